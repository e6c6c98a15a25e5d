//! `toon encode`: JSON in (parsed by the JSON → TOON converter), TOON out, streamed to
//! the output with one final newline.

use toon::EncodeOptions;

use super::{Input, write_output};
use crate::cli::EncodeArgs;
use crate::report;

/// Parses the JSON input whole (strings borrow from it), then streams the TOON; with
/// `--stats`, builds it whole and prints the token counts to standard error.
pub(super) fn run(args: &EncodeArgs) -> anyhow::Result<()> {
    let input = Input::read(args.input.as_deref())?;
    let value = json_to_toon::parse_slice(&input.bytes)
        .map_err(|error| report::json_error(&input.name, error, &input.bytes))?;
    let options = EncodeOptions::new()
        .with_indent(args.indent)
        .with_delimiter(args.delimiter);
    if args.stats {
        // The counts need the whole TOON text, so it is built before it is written.
        let text = toon::encode(&value, &options)?;
        write_output(args.output.as_deref(), |out| {
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
            Ok(())
        })?;
        super::tokens::print_stats(&input.bytes, &text);
        return Ok(());
    }
    write_output(args.output.as_deref(), |out| {
        toon::encode_to_writer(&value, &options, &mut *out)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}
