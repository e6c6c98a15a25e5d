//! `toon checkpoint`: the Checkpoint → TOON converter on a repository, to standard output
//! or a file.

use checkpoint_to_toon::CheckpointToToonOptions;
use toon_convert::{Format, Input, StandardOptions, standard_registry};

use super::write_output;
use crate::cli::CheckpointArgs;
use crate::report;

/// Snapshots the repository, then writes the TOON (the output file is only created once
/// the snapshot succeeded).
pub(super) fn run(args: &CheckpointArgs) -> anyhow::Result<()> {
    let defaults = CheckpointToToonOptions::default();
    let mut options = StandardOptions::default();
    options.checkpoint_to_toon = CheckpointToToonOptions {
        commits: args.commits,
        tasklist: if args.no_tasks {
            None
        } else {
            defaults.tasklist
        },
        untracked: !args.no_untracked,
        submodules: !args.no_submodules,
    };
    let registry = standard_registry(&options);
    let name = args.repo.display().to_string();
    if !args.repo.is_dir() {
        anyhow::bail!("{name}: not a directory; give a repository's directory");
    }
    let text = registry
        .convert(Format::Checkpoint, Format::Toon, Input::Path(&args.repo))
        .map_err(|error| report::conversion_error(&name, &error, None))?;
    write_output(args.output.as_deref(), |out| {
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        Ok(())
    })
}
