//! `toon`: converts JSON to TOON (Token-Oriented Object Notation, spec v4.4) and back.
//!
//! `toon encode` and `toon decode` read a file or standard input and write standard output
//! or `-o OUT`; `toon FILE` picks the command from the extension. Input errors print
//! `FILE:LINE:COL: message` with the offending line and a caret, and exit with code 1.
//! `toon convert` runs the converters over many files in parallel, `toon checkpoint`
//! snapshots a repository, `toon precommit` is a git hook keeping `.md` renderings of
//! `.toon` files, `toon tokens` counts tokens, `toon completions` prints shell scripts.

mod cli;
mod commands;
mod git;
mod progress;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::with_implied_command(std::env::args_os().collect())
        .unwrap_or_else(|error| error.exit());
    let cli = cli::Cli::parse_from(args);
    report::set_format(cli.error_format);
    match commands::run(&cli.command) {
        Ok(code) => code,
        Err(error) => report::failure(&error),
    }
}
