//! `toon repair`: a model's reply in, the recovered value out as compact JSON, each fix
//! and a cut-off reported on standard error (`LINE:COL: repaired: …`,
//! `LINE:COL: truncated: …`); exit 3 when the reply was cut off.

use std::io::{self, Write as _};
use std::process::ExitCode;

use toon::{DecodeOptions, RepairOptions};
use toon_to_json::ToonToJsonOptions;

use super::{Input, write_json, write_output};
use crate::cli::RepairArgs;
use crate::report;

/// The exit code of a reply that was cut off.
const TRUNCATED: u8 = 3;

/// Repairs the whole input and writes the value, unless it was cut off and `--partial`
/// was not given.
pub(super) fn run(args: &RepairArgs) -> anyhow::Result<ExitCode> {
    let input = Input::read(args.input.as_deref())?;
    let decode = DecodeOptions::new().with_indent(args.indent);
    let options = RepairOptions::new()
        .with_decode(decode)
        .with_fence(args.fence.map(|n| n as usize - 1));
    let repaired = toon::repair_slice(&input.bytes, &options)
        .map_err(|error| report::toon_error(&input.name, error))?;
    let mut stderr = io::stderr().lock();
    for repair in &repaired.repairs {
        writeln!(
            stderr,
            "{}:{}: repaired: {}; {}",
            repair.line, repair.column, repair.found, repair.done
        )?;
    }
    if let Some(truncated) = &repaired.truncated {
        writeln!(
            stderr,
            "{}:{}: truncated: {}",
            truncated.line,
            truncated.column,
            truncated.missing.join("; ")
        )?;
        if !args.partial {
            return Ok(ExitCode::from(TRUNCATED));
        }
    }
    drop(stderr);
    let json = ToonToJsonOptions {
        pretty: false,
        indent: args.indent,
        decode,
    };
    write_output(None, |out| write_json(&repaired.value, &json, out))?;
    Ok(match repaired.truncated {
        Some(_) => ExitCode::from(TRUNCATED),
        None => ExitCode::SUCCESS,
    })
}
