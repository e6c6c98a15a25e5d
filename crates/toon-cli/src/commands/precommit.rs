//! `toon precommit`: keeps each `.toon` file's sibling `.md` (same path, extension `.md`)
//! rendered from it, as a git pre-commit hook.
//!
//! The `.toon` contents come from the index, not the work tree, so the commit holds the
//! Markdown of exactly the TOON it commits. Git is asked a fixed number of times whatever
//! the number of files (list, one `cat-file --batch`, one `add`); rendering and file
//! writes run on rayon's pool.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use rayon::prelude::*;
use toon_convert::{
    Converter, ConverterRegistry, Format, Input, StandardOptions, standard_registry,
};

use crate::cli::PrecommitArgs;
use crate::git::{IndexEntry, Repo};
use crate::report;

/// The `.toon` files, in any letter case, anywhere in the tree.
const TOON_PATHSPEC: &str = ":(icase)*.toon";
/// The `.md` files anywhere in the tree (siblings are always written `.md`).
const MD_PATHSPEC: &str = "*.md";

/// Regenerates (or with `--check` verifies) the `.md` siblings.
pub(super) fn run(args: &PrecommitArgs) -> anyhow::Result<ExitCode> {
    let repo = Repo::discover(Path::new("."))?;
    let registry = standard_registry(&StandardOptions::default());
    let converter = registry
        .find(Format::Toon, Format::Markdown)
        .context("no TOON → Markdown converter is registered")?;
    let renderer = Renderer {
        registry: &registry,
        converter,
    };
    if args.check {
        return check(&repo, &renderer, args.quiet);
    }
    let entries = if args.all {
        repo.indexed(&[TOON_PATHSPEC])?
    } else {
        repo.staged(TOON_PATHSPEC)?
    };
    regenerate(&repo, &renderer, &entries, args.quiet)
}

/// The TOON → Markdown converter, run through the registry (metrics, panics contained).
struct Renderer<'r> {
    /// The registry holding the converter.
    registry: &'r ConverterRegistry,
    /// The TOON → Markdown converter.
    converter: &'r dyn Converter,
}

impl Renderer<'_> {
    /// The Markdown of `toon`, or its error located in `name` (`FILE:LINE:COL: message`).
    fn render(&self, name: &str, toon: &[u8]) -> anyhow::Result<String> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.registry
                .convert_with(self.converter, Input::Bytes(toon))
                .map(|markdown| markdown.to_string())
                .map_err(|error| report::conversion_error(name, &error, Some(toon)))
        }))
        .unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "{name}: the converter crashed on this file"
            ))
        })
    }

    /// Renders every blob in parallel, in order.
    fn render_all(&self, entries: &[IndexEntry], blobs: &[Vec<u8>]) -> Vec<anyhow::Result<String>> {
        entries
            .par_iter()
            .zip(blobs)
            .map(|(entry, blob)| self.render(&entry.path, blob))
            .collect()
    }
}

/// The sibling of a `.toon` path: the same path with the extension `.md`.
fn sibling(path: &str) -> String {
    let name_start = path.rfind('/').map_or(0, |slash| slash + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => format!("{}.md", &path[..name_start + dot]),
        _ => format!("{path}.md"),
    }
}

/// Prints each rendering error; returns their number.
fn print_errors(rendered: &[anyhow::Result<String>]) -> usize {
    let mut failed = 0;
    for error in rendered.iter().filter_map(|result| result.as_ref().err()) {
        report::print(error);
        failed += 1;
    }
    failed
}

/// Regenerates the `.md` of `entries` from their staged content, writes those that
/// changed, stages them all, then brings the work tree's `.md` of partially staged files
/// in line with their work-tree `.toon`. Invalid TOON writes nothing and exits with 1.
fn regenerate(
    repo: &Repo,
    renderer: &Renderer<'_>,
    entries: &[IndexEntry],
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    if entries.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let oids: Vec<&str> = entries.iter().map(|entry| entry.oid.as_str()).collect();
    let blobs = repo.read_blobs(&oids)?;
    let rendered = renderer.render_all(entries, &blobs);
    let failed = print_errors(&rendered);
    if failed > 0 {
        eprintln!(
            "toon precommit: {failed} of {} .toon file{} {} invalid; nothing was written and \
             the commit is blocked",
            entries.len(),
            plural(entries.len()),
            if failed == 1 { "is" } else { "are" }
        );
        return Ok(ExitCode::FAILURE);
    }
    let markdown: Vec<String> = rendered.into_iter().flatten().collect();

    let written: Vec<Written> = entries
        .par_iter()
        .zip(&blobs)
        .zip(&markdown)
        .map(|((entry, staged), markdown)| write_sibling(repo, entry, staged, markdown))
        .collect::<anyhow::Result<_>>()?;
    let siblings: Vec<&str> = written.iter().map(|w| w.sibling.as_str()).collect();
    repo.add(&siblings)?;

    // Partially staged: the index now holds the .md of the staged .toon; the work tree
    // gets the .md of the work-tree .toon (left as is when that one is not valid TOON).
    written
        .par_iter()
        .filter_map(|w| Some((w, w.worktree_toon.as_deref()?)))
        .try_for_each(|(w, toon)| -> anyhow::Result<()> {
            if let Ok(markdown) = renderer.render(&w.sibling, toon) {
                let path = repo.file(&w.sibling);
                write_in_place(&path, markdown.as_bytes())
                    .with_context(|| path.display().to_string())?;
            }
            Ok(())
        })?;

    let changed = written.iter().filter(|w| w.changed).count();
    if !quiet && changed > 0 {
        eprintln!(
            "toon precommit: regenerated and staged {changed} .md file{} ({} .toon file{} \
             checked)",
            plural(changed),
            entries.len(),
            plural(entries.len())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What writing one sibling did.
#[derive(Debug)]
struct Written {
    /// The `.md` path, relative to the top.
    sibling: String,
    /// Whether the work-tree `.md` was rewritten.
    changed: bool,
    /// The work-tree `.toon`, when it differs from the staged one.
    worktree_toon: Option<Vec<u8>>,
}

/// Writes `markdown` to the sibling of `entry` unless it already holds it, and reads the
/// work-tree `.toon` to tell whether the file is partially staged.
fn write_sibling(
    repo: &Repo,
    entry: &IndexEntry,
    staged: &[u8],
    markdown: &str,
) -> anyhow::Result<Written> {
    let sibling = sibling(&entry.path);
    let path = repo.file(&sibling);
    let changed = std::fs::read(&path).map_or(true, |current| current != markdown.as_bytes());
    if changed {
        write_in_place(&path, markdown.as_bytes()).with_context(|| path.display().to_string())?;
    }
    let worktree = std::fs::read(repo.file(&entry.path)).ok();
    let worktree_toon = worktree.filter(|worktree| worktree.as_slice() != staged);
    Ok(Written {
        sibling,
        changed,
        worktree_toon,
    })
}

/// Writes `contents` over an existing file without truncating it first (the length is
/// set afterwards), or creates the file.
///
/// Truncating a file to zero and writing it again makes ext4 push the new data to disk
/// when the file is closed (its `auto_da_alloc` safeguard for programs that rewrite files
/// that way); on a slow disk that costs milliseconds per file: rewriting 1,000 files took
/// 3 s that way on the machine of `docs/benchmarks.md`, 11 ms in place.
fn write_in_place(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(mut file) => {
            file.write_all(contents)?;
            file.set_len(contents.len() as u64)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::write(path, contents)
        }
        Err(error) => Err(error),
    }
}

/// Why a sibling `.md` is stale.
#[derive(Debug)]
enum Stale {
    /// The index has no `.md` for the `.toon`.
    Missing,
    /// The index's `.md` differs from the rendering.
    Differs,
}

/// Verifies, without writing, that every `.toon` of the index has its rendering as the
/// `.md` of the index; lists the stale ones and exits with 1 when any is.
fn check(repo: &Repo, renderer: &Renderer<'_>, quiet: bool) -> anyhow::Result<ExitCode> {
    let listing = repo.indexed(&[TOON_PATHSPEC, MD_PATHSPEC])?;
    let (toon, md): (Vec<IndexEntry>, Vec<IndexEntry>) = listing
        .into_iter()
        .partition(|entry| entry.path.to_ascii_lowercase().ends_with(".toon"));
    if toon.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let md_oids: std::collections::HashMap<&str, &str> = md
        .iter()
        .map(|entry| (entry.path.as_str(), entry.oid.as_str()))
        .collect();
    let siblings: Vec<String> = toon.iter().map(|entry| sibling(&entry.path)).collect();
    // One batch: the .toon blobs, then the .md blobs that exist.
    let mut oids: Vec<&str> = toon.iter().map(|entry| entry.oid.as_str()).collect();
    let present: Vec<Option<usize>> = siblings
        .iter()
        .map(|sibling| {
            md_oids.get(sibling.as_str()).map(|oid| {
                oids.push(oid);
                oids.len() - 1
            })
        })
        .collect();
    let blobs = repo.read_blobs(&oids)?;
    let rendered = renderer.render_all(&toon, &blobs[..toon.len()]);
    let failed = print_errors(&rendered);

    let mut stale = Vec::new();
    for ((index, markdown), sibling) in rendered.iter().enumerate().zip(&siblings) {
        let Ok(markdown) = markdown else { continue };
        match present[index] {
            None => stale.push((sibling, &toon[index].path, Stale::Missing)),
            Some(blob) if blobs[blob] != markdown.as_bytes() => {
                stale.push((sibling, &toon[index].path, Stale::Differs));
            }
            Some(_) => {}
        }
    }
    for (sibling, toon_path, why) in &stale {
        match why {
            Stale::Missing => eprintln!("{sibling}: missing (the Markdown of {toon_path})"),
            Stale::Differs => {
                eprintln!("{sibling}: stale (differs from the Markdown of {toon_path})")
            }
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "toon precommit --check: {} of {} .md file{} missing or stale; run `toon precommit \
             --all` and commit the result",
            stale.len(),
            toon.len(),
            plural(toon.len())
        );
    }
    if failed > 0 {
        eprintln!(
            "toon precommit --check: {failed} .toon file{} invalid",
            if failed == 1 { " is" } else { "s are" }
        );
    }
    if failed > 0 || !stale.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    if !quiet {
        eprintln!(
            "toon precommit --check: {} .md file{} up to date",
            toon.len(),
            plural(toon.len())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `s` for counts other than one.
fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_swap_the_last_extension() {
        assert_eq!(sibling("a.toon"), "a.md");
        assert_eq!(sibling("docs/v1.2/notes.TOON"), "docs/v1.2/notes.md");
        assert_eq!(sibling("x.y.toon"), "x.y.md");
        assert_eq!(sibling("dir.d/.toon"), "dir.d/.toon.md");
    }

    #[test]
    fn writes_in_place_shrink_grow_and_create() {
        let dir = std::env::temp_dir().join(format!("toon-cli-in-place-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.md");
        write_in_place(&path, b"a long first version\n").unwrap();
        write_in_place(&path, b"short\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short\n");
        write_in_place(&path, b"longer than before\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"longer than before\n");
        let missing_dir = dir.join("no/such/dir.md");
        assert!(write_in_place(&missing_dir, b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
