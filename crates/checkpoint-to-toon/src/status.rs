//! The superproject's status as `git status --short` spells it: staged (HEAD → index),
//! unstaged (index → worktree) and untracked entries, each list sorted by path.

use std::borrow::Cow;

use gix::bstr::{BStr, ByteSlice};
use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};

use crate::{Entry, Error};

/// The staged, unstaged and untracked entries, in that order.
type StatusEntries = (Vec<Entry>, Vec<Entry>, Vec<Entry>);

/// The status of the repository's own files, without looking into submodules (they
/// are checked on their own, in parallel); `untracked` lists untracked files too.
pub(crate) fn status_entries(
    repo: &gix::Repository,
    untracked: bool,
) -> Result<StatusEntries, Error> {
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

/// The entry of one HEAD → index change.
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

/// A repository path as text (lossy for paths that are not UTF-8).
pub(crate) fn path_string(path: &BStr) -> String {
    match path.to_str_lossy() {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    }
}
