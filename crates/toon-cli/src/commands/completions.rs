//! `toon completions`: the shell completion script of every command and option, from the
//! clap definitions (so it never drifts from them).

use std::io::{self, Write as _};

use anyhow::Context as _;
use clap::CommandFactory as _;

use super::STDOUT;
use crate::cli::{Cli, CompletionsArgs};

/// Writes the script for the shell to standard output.
pub(super) fn run(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "toon", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .context(STDOUT)
}
