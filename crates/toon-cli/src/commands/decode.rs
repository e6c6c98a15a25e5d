//! `toon decode`: TOON in, JSON out (compact, or indented with `--pretty`, numbers as
//! JavaScript writes them), with one final newline.

use std::io;

use serde::Serialize as _;
use serde_json::ser::{CompactFormatter, PrettyFormatter};
use toon::DecodeOptions;

use super::{Input, write_output};
use crate::cli::DecodeArgs;
use crate::json::JsNumbers;
use crate::report;

/// Decodes the whole input (ill-formed UTF-8 is an error), then writes the JSON.
pub(super) fn run(args: &DecodeArgs) -> anyhow::Result<()> {
    let input = Input::read(args.input.as_deref())?;
    let options = DecodeOptions::new()
        .with_indent(args.indent)
        .with_strict(!args.no_strict);
    let value = toon::decode_slice(&input.bytes, &options)
        .map_err(|error| report::toon_error(&input.name, error))?;
    write_output(args.output.as_deref(), |out| {
        let written = if args.pretty {
            let indent = vec![b' '; args.indent];
            let formatter = JsNumbers(PrettyFormatter::with_indent(&indent));
            value.serialize(&mut serde_json::Serializer::with_formatter(
                &mut *out, formatter,
            ))
        } else {
            let formatter = JsNumbers(CompactFormatter);
            value.serialize(&mut serde_json::Serializer::with_formatter(
                &mut *out, formatter,
            ))
        };
        written.map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}
