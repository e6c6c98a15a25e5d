//! `toon encode`: JSON in (parsed by the JSON → TOON converter), TOON out, streamed to
//! the output with one final newline; or, for a model, the cheapest format (`--auto`) or
//! TOON within a token budget (`--max-tokens`).

use std::io::Write as _;

use toon::EncodeOptions;
use toon_prompt::{CheapestOptions, Counting};
use toon_tokens::TokenCounter;

use super::{Input, write_output};
use crate::cli::EncodeArgs;
use crate::report;

/// Parses the JSON input whole (strings borrow from it), then streams the TOON; with
/// `--stats`, `--auto` or `--max-tokens`, builds the text whole first (it is counted).
pub(super) fn run(args: &EncodeArgs) -> anyhow::Result<()> {
    let input = Input::read(args.input.as_deref())?;
    let value = json_to_toon::parse_slice(&input.bytes)
        .map_err(|error| report::json_error(&input.name, error, &input.bytes))?;
    let options = EncodeOptions::new()
        .with_indent(args.indent)
        .with_delimiter(args.delimiter);
    let counter = || TokenCounter::uncached(args.encoding);
    if args.auto {
        // Every candidate is counted to the end: the report line gives all four counts.
        let options = CheapestOptions {
            indent: args.indent,
            counting: Counting::Exact,
            ..CheapestOptions::default()
        };
        let choice = toon_prompt::cheapest(&value, &counter(), &options)?;
        write_text(args, &choice.text)?;
        eprintln!("{choice}");
        return Ok(());
    }
    if let Some(max_tokens) = args.max_tokens {
        let fitted = toon_prompt::fit_to_budget(&value, max_tokens, &counter(), &options)?;
        write_text(args, &fitted.text)?;
        let mut stderr = std::io::stderr().lock();
        for cut in &fitted.cuts {
            writeln!(stderr, "{cut}")?;
        }
        return Ok(());
    }
    if args.stats {
        let text = toon::encode(&value, &options)?;
        write_text(args, &text)?;
        super::tokens::print_stats(args.encoding, &input.bytes, &text);
        return Ok(());
    }
    write_output(args.output.as_deref(), |out| {
        toon::encode_to_writer(&value, &options, &mut *out)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}

/// Writes a whole text and one final newline to the output.
fn write_text(args: &EncodeArgs, text: &str) -> anyhow::Result<()> {
    write_output(args.output.as_deref(), |out| {
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    })
}
