//! Submodules: the commit each has checked out and whether it is dirty, checked in
//! parallel (and alongside the superproject's status), each stopping at its first change.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use gix::bstr::ByteSlice;

use crate::status::path_string;
use crate::{Error, Submodule};

/// A submodule as the checkpoint lists it, and whether the superproject's index has it.
pub(crate) struct SubmoduleState {
    /// The submodule's row of the checkpoint.
    pub(crate) info: Submodule,
    /// Whether the superproject's index records it: only then does a dirty
    /// submodule also count as an unstaged change.
    pub(crate) in_index: bool,
}

/// Checks every submodule on a few threads that pull the next submodule from a shared
/// counter; the calling thread computes the superproject's status meanwhile and then
/// helps with the remaining submodules.
pub(crate) struct SubmoduleQueue {
    /// The superproject, opened again on each worker thread.
    repo: gix::ThreadSafeRepository,
    /// How many submodules there are.
    count: usize,
    /// The index of the next submodule to take.
    next: AtomicUsize,
    /// Set by the first worker that fails, so the others stop.
    failed: AtomicBool,
    /// `diff.ignoreSubmodules`, which overrides each submodule's own `ignore`.
    global_ignore: Option<gix::submodule::config::Ignore>,
}

impl SubmoduleQueue {
    /// Checks every submodule of `repo` while `main_work` runs on the calling thread;
    /// gives the result of `main_work` and the submodules sorted by path.
    pub(crate) fn run<T>(
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

/// The state of one submodule, honouring its `ignore` setting (or `global_ignore`,
/// from `diff.ignoreSubmodules`).
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
