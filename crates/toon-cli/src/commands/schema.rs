//! `toon schema`: the instructions and TOON skeleton a JSON Schema asks a model for, or
//! the check of a model's reply against it.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use toon::{DecodeOptions, RepairOptions};
use toon_prompt::Template;

use super::Input;
use crate::cli::SchemaArgs;
use crate::report;

/// Prints the template of the schema, or checks the reply and reports each mismatch.
pub(super) fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    let input = Input::read(Some(&args.schema))?;
    // The JSON converter's parse reports a bad schema file at its line and column.
    json_to_toon::parse_slice(&input.bytes)
        .map_err(|error| report::json_error(&input.name, error, &input.bytes))?;
    let schema: serde_json::Value =
        serde_json::from_slice(&input.bytes).with_context(|| input.name.clone())?;
    let template = Template::new(schema)
        .with_context(|| input.name.clone())?
        .with_delimiter(args.delimiter)
        .with_indent(args.indent);
    let Some(reply) = &args.check else {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", template.prompt())?;
        return Ok(ExitCode::SUCCESS);
    };
    let reply = Input::read(Some(reply))?;
    let options = RepairOptions::new().with_decode(DecodeOptions::new().with_indent(args.indent));
    let repaired = toon::repair_slice(&reply.bytes, &options)
        .map_err(|error| report::toon_error(&reply.name, error))?;
    let violations = template.check(&repaired.value);
    let mut stderr = std::io::stderr().lock();
    for violation in &violations {
        writeln!(stderr, "{}: {violation}", reply.name)?;
    }
    if let Some(truncated) = &repaired.truncated {
        writeln!(
            stderr,
            "{}:{}:{}: truncated: {}",
            reply.name,
            truncated.line,
            truncated.column,
            truncated.missing.join("; ")
        )?;
    }
    Ok(if violations.is_empty() && repaired.truncated.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
