//! `toon`: converts JSON to TOON (Token-Oriented Object Notation, spec v4.4) and back.
//!
//! `toon encode` and `toon decode` read a file or standard input and write standard output
//! or `-o OUT`; `toon FILE` picks the command from the extension. Input errors print
//! `FILE:LINE:COL: message` with the offending line and a caret, and exit with code 1.

mod cli;
mod commands;
mod json;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::with_implied_command(std::env::args_os().collect())
        .unwrap_or_else(|error| error.exit());
    let cli = cli::Cli::parse_from(args);
    match commands::run(&cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report::failure(&error),
    }
}
