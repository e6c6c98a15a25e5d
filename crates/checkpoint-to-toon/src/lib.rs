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

use std::borrow::Cow;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use gix::bstr::{BStr, ByteSlice};
use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};
use serde::Serialize;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

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

type StatusEntries = (Vec<Entry>, Vec<Entry>, Vec<Entry>);

fn status_entries(repo: &gix::Repository, untracked: bool) -> Result<StatusEntries, Error> {
    let mut platform = repo
        .status(gix::progress::Discard)?
        .index_worktree_submodules(None)
        .index_worktree_rewrites(None);
    if !untracked {
        platform = platform.untracked_files(gix::status::UntrackedFiles::None);
    }
    let (mut staged, mut unstaged, mut untracked_entries) = (Vec::new(), Vec::new(), Vec::new());
    for item in platform.into_iter(None)? {
        match item? {
            gix::status::Item::TreeIndex(change) => staged.push(staged_entry(&change)),
            gix::status::Item::IndexWorktree(item) => match item {
                gix::status::index_worktree::Item::Modification {
                    rela_path, status, ..
                } => {
                    let letter = match status {
                        EntryStatus::Conflict { .. } => "U",
                        EntryStatus::Change(Change::Removed) => "D",
                        EntryStatus::Change(Change::Type { .. }) => "T",
                        EntryStatus::Change(
                            Change::Modification { .. } | Change::SubmoduleModification(_),
                        ) => "M",
                        EntryStatus::IntentToAdd => "A",
                        EntryStatus::NeedsUpdate(_) => continue,
                    };
                    unstaged.push(Entry {
                        path: path_string(rela_path.as_ref()),
                        status: letter,
                    });
                }
                gix::status::index_worktree::Item::DirectoryContents { entry, .. } => {
                    if entry.status == gix::dir::entry::Status::Untracked {
                        let mut path = path_string(entry.rela_path.as_ref());
                        if entry.disk_kind.is_some_and(|kind| kind.is_dir()) {
                            path.push('/');
                        }
                        untracked_entries.push(Entry { path, status: "?" });
                    }
                }
                gix::status::index_worktree::Item::Rewrite {
                    source,
                    dirwalk_entry,
                    copy,
                    ..
                } => {
                    // Only with worktree rename tracking, which is off; keep it honest anyway.
                    unstaged.push(Entry {
                        path: format!(
                            "{} -> {}",
                            path_string(source.rela_path()),
                            path_string(dirwalk_entry.rela_path.as_ref())
                        ),
                        status: if copy { "C" } else { "R" },
                    });
                }
            },
        }
    }
    for list in [&mut staged, &mut unstaged, &mut untracked_entries] {
        list.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok((staged, unstaged, untracked_entries))
}

fn staged_entry(change: &gix::diff::index::Change) -> Entry {
    use gix::diff::index::ChangeRef;
    match change {
        ChangeRef::Addition { location, .. } => Entry {
            path: path_string(location.as_ref()),
            status: "A",
        },
        ChangeRef::Deletion { location, .. } => Entry {
            path: path_string(location.as_ref()),
            status: "D",
        },
        ChangeRef::Modification {
            location,
            previous_entry_mode,
            entry_mode,
            ..
        } => Entry {
            path: path_string(location.as_ref()),
            status: if kind_of(*previous_entry_mode) == kind_of(*entry_mode) {
                "M"
            } else {
                "T"
            },
        },
        ChangeRef::Rewrite {
            source_location,
            location,
            copy,
            ..
        } => Entry {
            path: format!(
                "{} -> {}",
                path_string(source_location.as_ref()),
                path_string(location.as_ref())
            ),
            status: if *copy { "C" } else { "R" },
        },
    }
}

/// File (executable or not), symlink or submodule: a change between kinds is `T`.
fn kind_of(mode: gix::index::entry::Mode) -> u8 {
    use gix::index::entry::Mode;
    if mode.contains(Mode::SYMLINK) && !mode.contains(Mode::FILE) {
        1
    } else if mode.is_submodule() {
        2
    } else if mode.contains(Mode::DIR) && !mode.contains(Mode::FILE) {
        3
    } else {
        0
    }
}

struct SubmoduleState {
    info: Submodule,
    in_index: bool,
}

/// Checks every submodule on a few threads that pull the next submodule from a shared
/// counter; the calling thread computes the superproject's status meanwhile and then
/// helps with the remaining submodules.
struct SubmoduleQueue {
    repo: gix::ThreadSafeRepository,
    count: usize,
    next: AtomicUsize,
    failed: AtomicBool,
    global_ignore: Option<gix::submodule::config::Ignore>,
}

impl SubmoduleQueue {
    fn run<T>(
        repo: &gix::Repository,
        main_work: impl FnOnce() -> T,
    ) -> (T, Result<Vec<SubmoduleState>, Error>) {
        let count = match repo.submodules() {
            Ok(Some(modules)) => modules.count(),
            Ok(None) => 0,
            Err(e) => return (main_work(), Err(e.into())),
        };
        if count == 0 {
            return (main_work(), Ok(Vec::new()));
        }
        // `diff.ignoreSubmodules` overrides each submodule's own `ignore`, as in `git status`.
        let global_ignore = repo
            .config_snapshot()
            .string(gix::config::tree::Diff::IGNORE_SUBMODULES)
            .and_then(|value| {
                gix::config::tree::Diff::IGNORE_SUBMODULES
                    .try_into_ignore(value)
                    .ok()
            });
        let queue = SubmoduleQueue {
            repo: repo.clone().into_sync(),
            count,
            next: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            global_ignore,
        };
        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(count);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|| queue.work())).collect();
            let main = main_work();
            let mut states = queue.work();
            for handle in handles {
                let part = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                match (&mut states, part) {
                    (Ok(all), Ok(part)) => all.extend(part),
                    (Ok(_), Err(e)) => states = Err(e),
                    (Err(_), _) => {}
                }
            }
            let states = states.map(|mut all| {
                all.sort_by(|a, b| a.info.path.cmp(&b.info.path));
                all
            });
            (main, states)
        })
    }

    /// Takes submodules off the queue until it is empty (or another worker failed).
    fn work(&self) -> Result<Vec<SubmoduleState>, Error> {
        let mut out = Vec::new();
        if self.next.load(Ordering::Relaxed) >= self.count {
            return Ok(out);
        }
        let repo = self.repo.to_thread_local();
        let Some(modules) = repo.submodules()? else {
            return Ok(out);
        };
        let modules: Vec<_> = modules.collect();
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= modules.len() || self.failed.load(Ordering::Relaxed) {
                return Ok(out);
            }
            match submodule_state(&modules[i], self.global_ignore) {
                Ok(state) => out.push(state),
                Err(e) => {
                    self.failed.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
    }
}

fn submodule_state(
    sm: &gix::Submodule<'_>,
    global_ignore: Option<gix::submodule::config::Ignore>,
) -> Result<SubmoduleState, Error> {
    use gix::submodule::config::Ignore;
    let name = sm.name().to_str_lossy().into_owned();
    let path = sm.path()?;
    let path = path_string(path.as_ref());
    let ignore = global_ignore
        .or_else(|| sm.ignore().ok().flatten())
        .unwrap_or(Ignore::None);
    // The commit the superproject records (index, else HEAD tree).
    let index_id = sm.index_id()?;
    let recorded = || -> Result<Option<gix::ObjectId>, Error> {
        Ok(match index_id {
            Some(id) => Some(id),
            None => sm.head_id()?,
        })
    };
    let not_checked_out = |recorded: Option<gix::ObjectId>| SubmoduleState {
        info: Submodule {
            name: name.clone(),
            path: path.clone(),
            commit: recorded.map(|id| id.to_string()),
            dirty: None,
        },
        in_index: index_id.is_some(),
    };
    let state = sm.state()?;
    if !state.repository_exists || !state.worktree_checkout {
        return Ok(not_checked_out(recorded()?));
    }
    let Some(sub) = sm.open()? else {
        return Ok(not_checked_out(recorded()?));
    };
    let checked_out = sub.head_id().ok().map(gix::Id::detach);
    let dirty = match ignore {
        Ignore::All => None,
        // Only a moved HEAD counts.
        Ignore::Dirty => Some(checked_out != index_id),
        Ignore::Untracked | Ignore::None => {
            Some(checked_out != index_id || has_changes(&sub, ignore == Ignore::None)?)
        }
    };
    Ok(SubmoduleState {
        info: Submodule {
            name,
            path,
            commit: match checked_out {
                Some(id) => Some(id.to_string()),
                None => recorded()?.map(|id| id.to_string()),
            },
            dirty,
        },
        in_index: index_id.is_some(),
    })
}

/// Whether a (sub)repository has staged, unstaged or (with `untracked`) untracked
/// changes, stopping at the first one. Everything runs on the calling thread: the work
/// per submodule is small, and the submodules themselves are spread over threads.
fn has_changes(repo: &gix::Repository, untracked: bool) -> Result<bool, Error> {
    let index = repo.index_or_empty()?;
    let head_tree = repo.head_tree_id_or_empty()?;
    // A valid cache-tree extension covering every entry whose root is HEAD's tree means
    // nothing is staged (what `git diff-index --cached` relies on too); otherwise diff.
    let cache_tree_is_head = index.tree().is_some_and(|tree| {
        tree.id == head_tree
            && tree
                .num_entries
                .is_some_and(|n| usize::try_from(n).is_ok_and(|n| n == index.entries().len()))
    });
    if !cache_tree_is_head {
        let mut staged = false;
        repo.tree_index_status(
            &head_tree,
            &index,
            None,
            gix::status::tree_index::TrackRenames::Disabled,
            |_, _, _| {
                staged = true;
                Ok(std::ops::ControlFlow::Break(()))
            },
        )?;
        if staged {
            return Ok(true);
        }
    }
    // Nested submodules are checked (recursively, stopping early) like git does; without
    // any, that machinery is skipped.
    let nested = index.entries().iter().any(|e| e.mode.is_submodule());
    let items = repo
        .status(gix::progress::Discard)?
        .index(gix::worktree::IndexPersistedOrInMemory::Persisted(index))
        .index_worktree_rewrites(None)
        .index_worktree_submodules(nested.then_some(gix::status::Submodule::Given {
            ignore: gix::submodule::config::Ignore::None,
            check_dirty: true,
        }))
        .index_worktree_options_mut(|options| {
            options.thread_limit = Some(1);
            if !untracked {
                options.dirwalk_options = None;
            }
        })
        .into_index_worktree_iter(Vec::new())?;
    for item in items {
        if item?.summary().is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn upstream(
    repo: &gix::Repository,
    branch: &gix::refs::FullNameRef,
    head_id: gix::ObjectId,
) -> Result<Option<Upstream>, Error> {
    let Some(tracking) =
        repo.branch_remote_tracking_ref_name(branch, gix::remote::Direction::Fetch)
    else {
        return Ok(None);
    };
    let tracking = tracking?;
    let name = tracking.as_ref().shorten().to_str_lossy().into_owned();
    let Some(mut reference) = repo.try_find_reference(tracking.as_ref())? else {
        return Ok(Some(Upstream {
            name,
            ahead: None,
            behind: None,
        }));
    };
    let upstream_id = reference.peel_to_id()?.detach();
    let ahead = count_only_in(repo, head_id, upstream_id)?;
    let behind = count_only_in(repo, upstream_id, head_id)?;
    Ok(Some(Upstream {
        name,
        ahead: Some(ahead),
        behind: Some(behind),
    }))
}

/// Commits reachable from `tip` but not from `hidden` (`git rev-list --count hidden..tip`).
fn count_only_in(
    repo: &gix::Repository,
    tip: gix::ObjectId,
    hidden: gix::ObjectId,
) -> Result<u64, Error> {
    if tip == hidden {
        return Ok(0);
    }
    let mut count = 0;
    for info in repo.rev_walk([tip]).with_hidden([hidden]).all()? {
        info?;
        count += 1;
    }
    Ok(count)
}

fn recent_commits(
    repo: &gix::Repository,
    head: gix::ObjectId,
    limit: usize,
) -> Result<Vec<Commit>, Error> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let walk = repo
        .rev_walk([head])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()?;
    let mut commits = Vec::with_capacity(limit.min(64));
    for info in walk.take(limit) {
        let info = info?;
        commits.push(commit_info(&repo.find_commit(info.id)?)?);
    }
    Ok(commits)
}

fn commit_info(commit: &gix::Commit<'_>) -> Result<Commit, Error> {
    let author = commit.author()?;
    let time = author
        .time()?
        .format_or_unix(gix::date::time::format::ISO8601_STRICT);
    let summary = commit.message()?.summary().to_str_lossy().into_owned();
    Ok(Commit {
        id: commit.id.to_string(),
        summary,
        author: author.name.trim().to_str_lossy().into_owned(),
        time,
    })
}

/// The checkbox items of a Markdown task list, `None` when the file does not exist.
fn read_tasks(path: &Path) -> Result<Option<Vec<Task>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(parse_tasks(&String::from_utf8_lossy(&bytes)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Parses `- [ ] text` / `- [x] text` lines (also `*`, `+` and `1.` markers, at any
/// indentation), skipping fenced code blocks.
pub fn parse_tasks(markdown: &str) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        let Some(rest) = list_item(trimmed) else {
            continue;
        };
        let (done, text) = if let Some(text) = rest.strip_prefix("[ ]") {
            (false, text)
        } else if let Some(text) = rest
            .strip_prefix("[x]")
            .or_else(|| rest.strip_prefix("[X]"))
        {
            (true, text)
        } else {
            continue;
        };
        if !(text.is_empty() || text.starts_with([' ', '\t'])) {
            continue;
        }
        let text = text.trim();
        if !text.is_empty() {
            tasks.push(Task {
                done,
                text: text.to_owned(),
            });
        }
    }
    tasks
}

/// The text after a list marker (`- `, `* `, `+ `, `1. `, `1) `).
fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return Some(rest.trim_start());
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &line[digits..];
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .map(str::trim_start)
}

fn path_string(path: &BStr) -> String {
    match path.to_str_lossy() {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    }
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
    fn tasks_from_markdown() {
        let md = "# Tasks\n\n- [ ] first\n- [x] second\n  * [X] nested  \n+ [ ]third\n1. [ ] numbered\n- [ ]\n- plain\n```\n- [ ] in code\n```\n2) [x] paren\n";
        let tasks = parse_tasks(md);
        let got: Vec<(bool, &str)> = tasks.iter().map(|t| (t.done, t.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (false, "first"),
                (true, "second"),
                (true, "nested"),
                (false, "numbered"),
                (true, "paren"),
            ]
        );
    }

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
