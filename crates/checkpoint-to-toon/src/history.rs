//! Commit history: HEAD and the recent commits as `{id,summary,author,time}`, and how far
//! the current branch is ahead of and behind its upstream.

use gix::bstr::ByteSlice;

use crate::{Commit, Error, Upstream};

/// The upstream of `branch` and the commits only on HEAD / only on the upstream; `None`
/// when the branch has no upstream.
pub(crate) fn upstream(
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

/// The last `limit` commits reachable from `head`, newest first.
pub(crate) fn recent_commits(
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

/// A commit's id, summary, author name and author time (RFC 3339, author's offset).
pub(crate) fn commit_info(commit: &gix::Commit<'_>) -> Result<Commit, Error> {
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
