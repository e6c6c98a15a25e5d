//! The commands, and the input and output ends they share: whole-input reads from a
//! file or standard input, and buffered writes to a file or standard output.

mod checkpoint;
mod completions;
mod convert;
mod decode;
mod encode;
mod precommit;
mod repair;
mod schema;
mod tokens;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::Command;

/// The name error messages use for standard input.
const STDIN: &str = "<stdin>";
/// The name error messages use for standard output.
const STDOUT: &str = "<stdout>";

/// Runs one command to completion. Commands that report their own failures (one line
/// per bad file) return the exit code; the others fail with their error.
pub(crate) fn run(command: &Command) -> anyhow::Result<ExitCode> {
    let done = match command {
        Command::Encode(args) => encode::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Tokens(args) => tokens::run(args),
        Command::Checkpoint(args) => checkpoint::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Convert(args) => return convert::run(args),
        Command::Precommit(args) => return precommit::run(args),
        Command::Repair(args) => return repair::run(args),
        Command::Schema(args) => return schema::run(args),
    };
    done.map(|()| ExitCode::SUCCESS)
}

/// A whole input, with the name its errors are reported under.
struct Input {
    /// The path as given, or `<stdin>`.
    name: String,
    /// The raw bytes; each command decides how to validate them.
    bytes: Vec<u8>,
}

impl Input {
    /// Reads `path`, or standard input when it is absent or `-`.
    fn read(path: Option<&Path>) -> anyhow::Result<Input> {
        match path.filter(|path| *path != Path::new("-")) {
            Some(path) => {
                let name = path.display().to_string();
                let bytes = std::fs::read(path).with_context(|| name.clone())?;
                Ok(Input { name, bytes })
            }
            None => {
                let mut bytes = Vec::new();
                io::stdin().lock().read_to_end(&mut bytes).context(STDIN)?;
                Ok(Input {
                    name: STDIN.to_owned(),
                    bytes,
                })
            }
        }
    }
}

/// Writes `value` as JSON (ending with a newline) into `out`, as `toon decode` does.
fn write_json(
    value: &toon::Value<'_>,
    options: &toon_to_json::ToonToJsonOptions,
    out: &mut dyn Write,
) -> toon::Result<()> {
    toon_to_json::to_writer(value, options, out).map_err(|error| {
        // An `io::Error` keeps its kind, so a closed pipe stays a closed pipe.
        let io = match error {
            toon_to_json::Error::Json(json) => io::Error::from(json),
            toon_to_json::Error::Io(io) => io,
            other => io::Error::other(other),
        };
        toon::Error::from(io)
    })
}

/// Opens `path` (standard output when absent or `-`) and hands `write` a buffered writer,
/// then flushes it. Commands call it only after parsing their input, so that bad input
/// leaves no output file behind.
fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> toon::Result<()>,
) -> anyhow::Result<()> {
    let (name, sink): (String, Box<dyn Write>) = match path.filter(|path| *path != Path::new("-")) {
        Some(path) => {
            let name = path.display().to_string();
            let file = File::create(path).with_context(|| name.clone())?;
            (name, Box::new(file))
        }
        None => (STDOUT.to_owned(), Box::new(io::stdout().lock())),
    };
    let mut out = BufWriter::new(sink);
    write(&mut out)
        .and_then(|()| out.flush().map_err(toon::Error::from))
        .map_err(|error| {
            if error.is_io() {
                anyhow::Error::new(io::Error::from(error)).context(name)
            } else {
                anyhow::Error::new(error)
            }
        })
}
