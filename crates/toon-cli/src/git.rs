//! Git plumbing for `toon precommit`: the work tree's top, the `.toon` files of the index
//! (all of them, or those staged for the next commit), their staged contents, and
//! `git add`.
//!
//! Everything goes through the `git` program, so hooks see exactly what git sees
//! (`GIT_INDEX_FILE` of `git commit -a`, `core.*` settings, worktrees), and with a fixed
//! number of processes whatever the number of files: one listing, one `git cat-file
//! --batch` for every blob, one `git add` for every path.

use std::io::{BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

/// File modes of regular files in the index; symlinks and submodules are skipped.
const REGULAR_MODES: [&str; 2] = ["100644", "100755"];

/// A work tree, known by its top directory.
#[derive(Debug)]
pub(crate) struct Repo {
    /// The absolute path of the work tree's top directory.
    top: PathBuf,
}

/// A regular file in the index: its path and the id of its staged blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    /// The path relative to the top of the work tree, with `/` separators, as git
    /// prints it.
    pub(crate) path: String,
    /// The hexadecimal object id of the staged content.
    pub(crate) oid: String,
}

impl Repo {
    /// The work tree containing `dir`.
    pub(crate) fn discover(dir: &Path) -> anyhow::Result<Repo> {
        let output = git(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .context("cannot run git")?;
        if !output.status.success() {
            bail!(
                "{}: not inside a git work tree ({})",
                dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let top = String::from_utf8(output.stdout)
            .context("git printed a work tree path that is not UTF-8")?;
        Ok(Repo {
            top: PathBuf::from(top.trim_end_matches(['\n', '\r'])),
        })
    }

    /// The path of an index path in the file system.
    pub(crate) fn file(&self, path: &str) -> PathBuf {
        self.top.join(path)
    }

    /// The files matching `pathspec` that the next commit adds or modifies (not the
    /// deleted ones), with their staged blobs. Works before the first commit too.
    pub(crate) fn staged(&self, pathspec: &str) -> anyhow::Result<Vec<IndexEntry>> {
        let raw = self.run(&[
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-renames",
            "--no-ext-diff",
            "--no-color",
            "--diff-filter=AM",
            "--",
            pathspec,
        ])?;
        parse_raw_diff(&raw)
    }

    /// Every file of the index matching one of `pathspecs`, with its blob. Conflicted
    /// paths (stages 1 to 3) are left out.
    pub(crate) fn indexed(&self, pathspecs: &[&str]) -> anyhow::Result<Vec<IndexEntry>> {
        let mut args = vec!["ls-files", "--stage", "-z", "--"];
        args.extend_from_slice(pathspecs);
        let listing = self.run(&args)?;
        parse_ls_files(&listing)
    }

    /// The contents of the blobs `oids`, in order, read by one `git cat-file --batch`.
    pub(crate) fn read_blobs(&self, oids: &[&str]) -> anyhow::Result<Vec<Vec<u8>>> {
        if oids.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = git(&self.top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run git cat-file")?;
        let mut request = String::with_capacity(oids.len() * 41);
        for oid in oids {
            request.push_str(oid);
            request.push('\n');
        }
        let mut stdin = child.stdin.take().context("git cat-file: no stdin")?;
        // Written from another thread: git answers while it reads, and a full output pipe
        // would otherwise block both sides.
        let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
        let stdout = child.stdout.take().context("git cat-file: no stdout")?;
        let blobs = read_batch(BufReader::new(stdout), oids.len());
        let written = writer.join();
        let output = child.wait_with_output().context("git cat-file")?;
        let blobs = blobs?;
        if !output.status.success() {
            bail!(
                "git cat-file --batch failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        match written {
            Ok(result) => result.context("writing to git cat-file")?,
            Err(_) => bail!("writing to git cat-file failed"),
        }
        Ok(blobs)
    }

    /// Stages `paths` (relative to the top) with one `git add`; the paths are taken
    /// literally, never as patterns.
    pub(crate) fn add(&self, paths: &[&str]) -> anyhow::Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut child = git(&self.top)
            .args([
                "--literal-pathspecs",
                "add",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run git add")?;
        let mut list = Vec::with_capacity(paths.iter().map(|p| p.len() + 1).sum());
        for path in paths {
            list.extend_from_slice(path.as_bytes());
            list.push(0);
        }
        let mut stdin = child.stdin.take().context("git add: no stdin")?;
        let written = stdin.write_all(&list);
        drop(stdin);
        let output = child.wait_with_output().context("git add")?;
        if !output.status.success() {
            bail!(
                "git add failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        written.context("writing to git add")
    }

    /// Runs a git command in the top directory and returns its standard output.
    fn run(&self, args: &[&str]) -> anyhow::Result<Vec<u8>> {
        let output = git(&self.top)
            .args(args)
            .output()
            .with_context(|| format!("cannot run git {}", args[0]))?;
        if !output.status.success() {
            bail!(
                "git {} failed: {}",
                args[0],
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    }
}

/// A `git` command in `dir`, without pagers, prompts or localized messages.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    command
}

/// Parses `git diff --raw -z --no-abbrev` output: `:old new oid oid status\0path\0`,
/// keeping regular files.
fn parse_raw_diff(raw: &[u8]) -> anyhow::Result<Vec<IndexEntry>> {
    let mut fields = raw.split(|&byte| byte == 0);
    let mut entries = Vec::new();
    while let Some(header) = fields.next() {
        if header.is_empty() {
            continue;
        }
        let path = fields
            .next()
            .context("git diff --raw: a status without a path")?;
        let header = std::str::from_utf8(header).context("git diff --raw: odd header")?;
        let mut parts = header.trim_start_matches(':').split(' ');
        let (_, new_mode, _, new_oid) = (parts.next(), parts.next(), parts.next(), parts.next());
        let (Some(mode), Some(oid)) = (new_mode, new_oid) else {
            bail!("git diff --raw: unexpected line {header:?}");
        };
        if REGULAR_MODES.contains(&mode) {
            entries.push(IndexEntry {
                path: utf8_path(path)?,
                oid: oid.to_owned(),
            });
        }
    }
    Ok(entries)
}

/// Parses `git ls-files --stage -z` output: `mode oid stage\tpath\0`, keeping regular
/// files at stage 0.
fn parse_ls_files(listing: &[u8]) -> anyhow::Result<Vec<IndexEntry>> {
    let mut entries = Vec::new();
    for record in listing.split(|&byte| byte == 0) {
        if record.is_empty() {
            continue;
        }
        let tab = record
            .iter()
            .position(|&byte| byte == b'\t')
            .context("git ls-files: a record without a path")?;
        let info = std::str::from_utf8(&record[..tab]).context("git ls-files: odd record")?;
        let mut parts = info.split(' ');
        let (Some(mode), Some(oid), Some(stage)) = (parts.next(), parts.next(), parts.next())
        else {
            bail!("git ls-files: unexpected record {info:?}");
        };
        if stage == "0" && REGULAR_MODES.contains(&mode) {
            entries.push(IndexEntry {
                path: utf8_path(&record[tab + 1..])?,
                oid: oid.to_owned(),
            });
        }
    }
    Ok(entries)
}

/// A path as git printed it; `toon precommit` handles UTF-8 paths only.
fn utf8_path(bytes: &[u8]) -> anyhow::Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        anyhow::anyhow!(
            "{}: paths that are not UTF-8 are not supported",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// Reads `count` answers of `git cat-file --batch`: `oid type size\n`, the content and a
/// newline each.
fn read_batch(mut out: impl std::io::BufRead, count: usize) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut blobs = Vec::with_capacity(count);
    let mut header = Vec::new();
    for _ in 0..count {
        header.clear();
        out.read_until(b'\n', &mut header)
            .context("reading git cat-file")?;
        let line = String::from_utf8_lossy(&header);
        let line = line.trim_end();
        let mut parts = line.split(' ');
        let (Some(oid), Some(kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            bail!("git cat-file: {line}");
        };
        if kind != "blob" {
            bail!("git cat-file: {oid} is a {kind}, not a blob");
        }
        let size: usize = size
            .parse()
            .with_context(|| format!("git cat-file: odd size in {line:?}"))?;
        let mut blob = vec![0; size + 1];
        out.read_exact(&mut blob)
            .context("git cat-file ended early")?;
        blob.pop();
        blobs.push(blob);
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_diff_keeps_regular_files() {
        let raw = b":000000 100644 0000 1111 A\0a b.toon\0:100644 120000 2222 3333 T\0link.toon\0\
                    :100644 100755 4444 5555 M\0d/x.toon\0";
        assert_eq!(
            parse_raw_diff(raw).unwrap(),
            [
                IndexEntry {
                    path: "a b.toon".into(),
                    oid: "1111".into()
                },
                IndexEntry {
                    path: "d/x.toon".into(),
                    oid: "5555".into()
                },
            ]
        );
    }

    #[test]
    fn ls_files_skips_conflicts_and_symlinks() {
        let records = [
            "100644 aaaa 0\tx.toon",
            "100644 bbbb 1\ty.toon",
            "100644 cccc 2\ty.toon",
            "120000 dddd 0\tz.toon",
            "100755 eeee 0\tdir/w\tv.md",
        ];
        let listing = records.join("\0") + "\0";
        let entries = parse_ls_files(listing.as_bytes()).unwrap();
        let paths: Vec<_> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["x.toon", "dir/w\tv.md"]);
        assert_eq!(entries[1].oid, "eeee");
    }

    #[test]
    fn batch_answers_split_on_sizes() {
        let out = b"aaaa blob 5\nab\ncd\nbbbb blob 0\n\n";
        let blobs = read_batch(&out[..], 2).unwrap();
        assert_eq!(blobs, [b"ab\ncd".to_vec(), Vec::new()]);
        let missing = b"cccc missing\n";
        assert!(read_batch(&missing[..], 1).is_err());
    }
}
