//! `toon decode`: TOON in, JSON out through the TOON → JSON converter (compact, or
//! indented with `--pretty`, numbers as JavaScript writes them), with one final newline.

use toon::DecodeOptions;
use toon_to_json::ToonToJsonOptions;

use super::{Input, write_json, write_output};
use crate::cli::DecodeArgs;
use crate::report;

/// Decodes the whole input (ill-formed UTF-8 is an error), then streams the JSON.
pub(super) fn run(args: &DecodeArgs) -> anyhow::Result<()> {
    let input = Input::read(args.input.as_deref())?;
    let options = ToonToJsonOptions {
        pretty: args.pretty,
        indent: args.indent,
        decode: DecodeOptions::new()
            .with_indent(args.indent)
            .with_strict(!args.no_strict),
    };
    let value = toon::decode_slice(&input.bytes, &options.decode)
        .map_err(|error| report::toon_error(&input.name, error))?;
    write_output(args.output.as_deref(), |out| {
        write_json(&value, &options, out)
    })
}
