//! Git checkpoint → TOON: a snapshot of a repository for handing an AI session over.
//!
//! [`checkpoint`] reads a working tree with [`gix`](https://crates.io/crates/gix) (pure
//! Rust, no `git` process) and collects:
//!
//! | field | what |
//! |---|---|
//! | `branch` | the current branch (`main`), `null` when HEAD is detached |
//! | `detached` | whether HEAD is detached |
//! | `head` | `{id,summary,author,time}` of the HEAD commit, `null` before the first commit |
//! | `upstream` | `{name,ahead,behind}`: the branch's upstream (`origin/main`) and the commits only on HEAD / only on the upstream; `null` without an upstream, counts `null` when the upstream ref is gone |
//! | `staged[N]{path,status}` | HEAD → index changes: `A`, `M`, `D`, `T` (type), `R` and `C` (path `old -> new`) |
//! | `unstaged[N]{path,status}` | index → worktree changes: `M`, `D`, `T`, `A` (intent to add), `U` (conflict); a submodule with new commits or changes shows as `M` |
//! | `untracked[N]{path,status}` | untracked files (`?`), directories collapsed to `dir/` as `git status` does |
//! | `submodules[N]{name,path,commit,dirty}` | each submodule: the commit checked out in it (the recorded one when it is not checked out), and whether it differs from the superproject's index or has changes of its own (`null` when not checked out) |
//! | `commits[N]{id,summary,author,time}` | the last [`CheckpointToToonOptions::commits`] commits reachable from HEAD, newest first |
//! | `tasks[N]{done,text}` | checkbox items (`- [ ] todo`, `- [x] done`) of `TASKLIST.md` in the root, only when the file exists |
//!
//! Ids are full hexadecimal object ids; times are the author's, in RFC 3339 with the
//! author's offset (`2024-05-01T12:00:00+02:00`); authors are names. Every table is
//! sorted by path (commits by time), so the same repository state gives the same text.
//!
//! ```no_run
//! use checkpoint_to_toon::{CheckpointToToonOptions, checkpoint};
//!
//! let snapshot = checkpoint(std::path::Path::new("."), &CheckpointToToonOptions::default())?;
//! println!("{}", snapshot.to_toon()?);
//! # Ok::<(), checkpoint_to_toon::Error>(())
//! ```
//!
//! gives, for example:
//!
//! ```text
//! branch: main
//! detached: false
//! head:
//!   id: 0c7d6f5e1c3b8a2d9e4f7a6b5c4d3e2f1a0b9c8d
//!   summary: Parse the config lazily
//!   author: Ada
//!   time: "2024-05-01T12:00:00+02:00"
//! upstream:
//!   name: origin/main
//!   ahead: 2
//!   behind: 0
//! staged[1]{path,status}:
//!   src/config.rs,M
//! unstaged: []
//! untracked[1]{path,status}:
//!   notes/,?
//! submodules[1]{name,path,commit,dirty}:
//!   vendor/lib,vendor/lib,5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d,false
//! commits[2]{id,summary,author,time}:
//!   ...
//! tasks[2]{done,text}:
//!   true,Parse the config lazily
//!   false,Cache parsed configs
//! ```
//!
//! # Speed
//!
//! The superproject's status runs with submodule checks turned off; submodules are then
//! checked in parallel (one thread per core), each with an early stop at its first
//! change. `docs/benchmarks.md` has the figures against `git status` and
//! `git submodule status`.

mod history;
mod status;
mod submodules;
mod tasks;

use std::hash::Hasher as _;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use serde::Serialize;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

use history::{commit_info, recent_commits, upstream};
use status::status_entries;
use submodules::SubmoduleQueue;
pub use tasks::parse_tasks;
use tasks::read_tasks;

/// Options of the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointToToonOptions {
    /// How many recent commits to list (default 10).
    pub commits: usize,
    /// The task-list file, relative to the repository root (default `TASKLIST.md`);
    /// `None` skips tasks.
    pub tasklist: Option<PathBuf>,
    /// List untracked files (default `true`; `status.showUntrackedFiles` is respected).
    pub untracked: bool,
    /// List submodules and check them for changes (default `true`).
    pub submodules: bool,
}

impl Default for CheckpointToToonOptions {
    fn default() -> Self {
        CheckpointToToonOptions {
            commits: 10,
            tasklist: Some(PathBuf::from("TASKLIST.md")),
            untracked: true,
            submodules: true,
        }
    }
}

impl CheckpointToToonOptions {
    /// A stable fingerprint of the options: FNV-1a over their values, the same on every
    /// platform and run.
    pub fn key(&self) -> u64 {
        let mut hash = StableHasher::new();
        hash.write(b"checkpoint-to-toon/1");
        hash.write(&(self.commits as u64).to_le_bytes());
        match &self.tasklist {
            Some(path) => {
                hash.write(&[1]);
                hash.write(path.as_os_str().as_encoded_bytes());
                hash.write(&[0]);
            }
            None => hash.write(&[0]),
        }
        hash.write(&[u8::from(self.untracked), u8::from(self.submodules)]);
        hash.finish()
    }
}

/// A failed checkpoint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Encoding the TOON output failed.
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading a file (the task list) failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The path is not inside a git repository.
    #[error("not a git repository: {}: {source:#}", path.display())]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// Why discovery failed.
        source: gix::Error,
    },
    /// The repository is bare: there is no working tree to snapshot.
    #[error("{} is a bare repository; a checkpoint needs a working tree", .0.display())]
    Bare(PathBuf),
    /// The input was bytes; a checkpoint reads a directory.
    #[error("a checkpoint reads a repository directory: pass a path, not bytes")]
    NeedsPath,
    /// Reading the repository failed.
    #[error("git: {0:#}")]
    Git(#[from] gix::Error),
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Toon(e) => e.location(),
            _ => None,
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}

/// A snapshot of a repository (see the crate docs for the fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    /// The current branch, `None` when detached.
    pub branch: Option<String>,
    /// Whether HEAD is detached.
    pub detached: bool,
    /// The HEAD commit, `None` before the first commit.
    pub head: Option<Commit>,
    /// The upstream of the current branch.
    pub upstream: Option<Upstream>,
    /// HEAD → index changes.
    pub staged: Vec<Entry>,
    /// Index → worktree changes.
    pub unstaged: Vec<Entry>,
    /// Untracked files and directories.
    pub untracked: Vec<Entry>,
    /// The submodules.
    pub submodules: Vec<Submodule>,
    /// The most recent commits reachable from HEAD, newest first.
    pub commits: Vec<Commit>,
    /// The task list's checkbox items, when the file exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
}

impl Checkpoint {
    /// The TOON text of the snapshot.
    pub fn to_toon(&self) -> Result<String, Error> {
        Ok(toon::to_string(self)?)
    }
}

/// A commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full hexadecimal id.
    pub id: String,
    /// The first line of the message.
    pub summary: String,
    /// The author's name.
    pub author: String,
    /// The author time, RFC 3339 with the author's offset.
    pub time: String,
}

/// The upstream of the current branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upstream {
    /// The short name of the remote-tracking branch (`origin/main`).
    pub name: String,
    /// Commits on HEAD that are not on the upstream; `None` when the upstream ref is gone.
    pub ahead: Option<u64>,
    /// Commits on the upstream that are not on HEAD; `None` when the upstream ref is gone.
    pub behind: Option<u64>,
}

/// A changed or untracked path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The path relative to the repository root (`old -> new` for renames and copies,
    /// a trailing `/` for untracked directories).
    pub path: String,
    /// The status letter, as in `git status --short`.
    pub status: &'static str,
}

/// A submodule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submodule {
    /// Its name in `.gitmodules`.
    pub name: String,
    /// Its path relative to the superproject's root.
    pub path: String,
    /// The commit checked out in it, or the one recorded in the superproject when it is
    /// not checked out.
    pub commit: Option<String>,
    /// Whether its checkout differs from the superproject's index or has changes
    /// (untracked files included); `None` when it is not checked out.
    pub dirty: Option<bool>,
}

/// A checkbox item of the task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// Whether the box is ticked.
    pub done: bool,
    /// The item's text.
    pub text: String,
}

/// Takes a checkpoint of the repository containing `path`.
pub fn checkpoint(path: &Path, options: &CheckpointToToonOptions) -> Result<Checkpoint, Error> {
    let repo = gix::discover(path).map_err(|source| Error::NotARepository {
        path: path.to_owned(),
        source,
    })?;
    let Some(workdir) = repo.workdir().map(Path::to_owned) else {
        return Err(Error::Bare(path.to_owned()));
    };

    let head = repo.head()?;
    let detached = head.is_detached();
    let branch_ref = head.referent_name().map(|name| name.to_owned());
    let branch = branch_ref
        .as_ref()
        .map(|name| name.as_ref().shorten().to_str_lossy().into_owned());
    let head_id = repo.head_id().ok().map(gix::Id::detach);

    // Status of the superproject (without looking into submodules) and of the
    // submodules run side by side: they are independent.
    let (status, submodules) = if options.submodules {
        SubmoduleQueue::run(&repo, || status_entries(&repo, options.untracked))
    } else {
        (status_entries(&repo, options.untracked), Ok(Vec::new()))
    };
    let (staged, mut unstaged, untracked) = status?;
    let submodules = submodules?;
    for sm in &submodules {
        if sm.info.dirty == Some(true) && sm.in_index {
            unstaged.push(Entry {
                path: sm.info.path.clone(),
                status: "M",
            });
        }
    }
    unstaged.sort_by(|a, b| a.path.cmp(&b.path));
    unstaged.dedup_by(|a, b| a.path == b.path);

    let upstream = match (&branch_ref, head_id) {
        (Some(name), Some(head_id)) => upstream(&repo, name.as_ref(), head_id)?,
        _ => None,
    };
    let commits = match head_id {
        Some(id) if options.commits > 0 => recent_commits(&repo, id, options.commits)?,
        _ => Vec::new(),
    };
    let head = match head_id {
        Some(id) => Some(commit_info(&repo.find_commit(id)?)?),
        None => None,
    };
    let tasks = match &options.tasklist {
        Some(file) => read_tasks(&workdir.join(file))?,
        None => None,
    };

    Ok(Checkpoint {
        branch: if detached { None } else { branch },
        detached,
        head,
        upstream,
        staged,
        unstaged,
        untracked,
        submodules: submodules.into_iter().map(|sm| sm.info).collect(),
        commits,
        tasks,
    })
}

/// Takes a checkpoint and encodes it as TOON.
pub fn convert(path: &Path, options: &CheckpointToToonOptions) -> Result<String, Error> {
    checkpoint(path, options)?.to_toon()
}

/// The [`Converter`] for a git checkpoint (a repository directory) → TOON.
///
/// Not cacheable: the repository is live, its state changes without its path changing.
#[derive(Debug, Clone, Default)]
pub struct CheckpointToToon {
    options: CheckpointToToonOptions,
}

impl CheckpointToToon {
    /// A converter with the given options.
    pub fn new(options: CheckpointToToonOptions) -> Self {
        CheckpointToToon { options }
    }

    /// Its options.
    pub fn options(&self) -> &CheckpointToToonOptions {
        &self.options
    }
}

impl Converter for CheckpointToToon {
    fn name(&self) -> &'static str {
        "checkpoint-to-toon"
    }

    fn source(&self) -> Format {
        Format::Checkpoint
    }

    fn target(&self) -> Format {
        Format::Toon
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn cacheable(&self) -> bool {
        false
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let path = input.path().ok_or(Error::NeedsPath)?;
        Ok(convert(path, &self.options)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_key_is_stable_and_sensitive() {
        let base = CheckpointToToonOptions::default();
        assert_eq!(base.key(), CheckpointToToonOptions::default().key());
        let other = CheckpointToToonOptions {
            commits: 3,
            ..CheckpointToToonOptions::default()
        };
        assert_ne!(base.key(), other.key());
        let no_tasks = CheckpointToToonOptions {
            tasklist: None,
            ..CheckpointToToonOptions::default()
        };
        assert_ne!(base.key(), no_tasks.key());
    }
}
