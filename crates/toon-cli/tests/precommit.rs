//! `toon precommit` end to end, in temporary repositories driven by the real `git`: the
//! `.md` of staged `.toon` files regenerated from their staged content and staged, a
//! commit blocked by invalid TOON through the installed hook, `--check` on fresh, stale
//! and missing `.md` files, `--all`, and `git commit -a`.

mod common;

use common::GitRepo;
use toon_to_markdown::{ToonToMarkdownOptions, convert};

/// A valid document with a list.
const A_TOON: &str = "title: Alpha\nitems[2]: x,y\n";
/// A valid document with a table.
const B_TOON: &str = "users[2]{id,name}:\n  1,Ada\n  2,Bo\n";
/// Row 2 has one value where the header declares two: line 3, column 3.
const BAD_TOON: &str = "rows[2]{a,b}:\n  1,2\n  3\n";

/// What the TOON → Markdown converter makes of `toon`.
fn markdown(toon: &str) -> String {
    convert(toon, &ToonToMarkdownOptions::default()).expect("valid TOON")
}

/// A repository whose first commit holds `docs/a.toon` and `b.toon` with their `.md`.
fn committed_repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("docs/a.toon", A_TOON);
    repo.write("b.toon", B_TOON);
    repo.git(&["add", "."]);
    repo.toon(&["precommit"]).succeeds();
    repo.git(&["commit", "-q", "-m", "first"]);
    repo
}

#[test]
fn regenerates_and_stages_the_md_of_staged_toon_files() {
    let repo = GitRepo::new();
    repo.write("docs/a.toon", A_TOON);
    repo.write("b.toon", B_TOON);
    // Tracked but not staged for this commit: left alone.
    repo.write("old.toon", "k: v\n");
    repo.git(&["add", "old.toon"]);
    repo.git(&["commit", "-q", "-m", "old, without its .md"]);
    repo.git(&["add", "docs/a.toon", "b.toon"]);

    let run = repo.toon(&["precommit"]).succeeds();
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "toon precommit: regenerated and staged 2 .md files (2 .toon files checked)\n"
    );
    assert_eq!(repo.read("docs/a.md"), markdown(A_TOON));
    assert_eq!(repo.staged("docs/a.md"), markdown(A_TOON));
    assert_eq!(repo.staged("b.md"), markdown(B_TOON));
    assert!(!repo.exists("old.md"), "old.toon is not staged");
    assert_eq!(
        repo.status(),
        ["A  b.md", "A  b.toon", "A  docs/a.md", "A  docs/a.toon"]
    );

    // Again: nothing to do, nothing printed.
    let run = repo.toon(&["precommit"]).succeeds();
    assert_eq!(run.stderr, "");
}

#[test]
fn runs_from_a_subdirectory_and_before_the_first_commit() {
    let repo = GitRepo::new();
    repo.write("docs/deep/a.toon", A_TOON);
    repo.git(&["add", "."]);
    let run = common::run(
        common::toon_command()
            .arg("precommit")
            .current_dir(repo.root().join("docs/deep")),
        b"",
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(repo.staged("docs/deep/a.md"), markdown(A_TOON));
}

#[test]
fn invalid_toon_blocks_the_commit_through_the_hook() {
    let repo = committed_repo();
    repo.install_hook();
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write("docs/bad.toon", BAD_TOON);
    repo.write("b.toon", "users[1]{id,name}:\n  3,Cy\n");
    repo.git(&["add", "."]);

    let commit = repo.git_output(&["commit", "-m", "broken"]);
    assert!(!commit.status.success(), "the commit must be refused");
    let stderr = String::from_utf8_lossy(&commit.stderr);
    assert!(
        stderr.contains("docs/bad.toon:3:3: expected 2 tabular row values, but got 1\n  3\n  ^\n"),
        "{stderr}"
    );
    assert!(stderr.contains("the commit is blocked"), "{stderr}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "no commit was made");
    // Nothing was written, not even the valid file's .md.
    assert_eq!(repo.read("b.md"), markdown(B_TOON));
    assert!(!repo.exists("docs/bad.md"));

    // Fixed, the same commit goes through with the regenerated .md files in it.
    let fixed = "rows[2]{a,b}:\n  1,2\n  3,4\n";
    repo.write("docs/bad.toon", fixed);
    repo.git(&["add", "docs/bad.toon"]);
    let commit = repo.git_output(&["commit", "-q", "-m", "fixed"]);
    assert!(
        commit.status.success(),
        "{}",
        String::from_utf8_lossy(&commit.stderr)
    );
    assert_eq!(
        repo.git(&["show", "HEAD:docs/bad.md"]),
        markdown(fixed),
        "the commit holds the new .md"
    );
    assert_eq!(
        repo.git(&["show", "HEAD:b.md"]),
        markdown("users[1]{id,name}:\n  3,Cy\n")
    );
    assert_eq!(repo.status(), Vec::<String>::new());
}

#[test]
fn commit_all_stages_through_git_s_temporary_index() {
    let repo = committed_repo();
    repo.install_hook();
    let changed = "title: Changed\n";
    repo.write("docs/a.toon", changed);
    let commit = repo.git_output(&["commit", "-q", "-a", "-m", "all"]);
    assert!(
        commit.status.success(),
        "{}",
        String::from_utf8_lossy(&commit.stderr)
    );
    assert_eq!(repo.git(&["show", "HEAD:docs/a.md"]), markdown(changed));
    assert_eq!(repo.status(), Vec::<String>::new());
}

#[test]
fn the_staged_content_is_what_counts() {
    let repo = committed_repo();
    let staged = "title: Staged\n";
    let worktree = "title: Worktree\n";
    repo.write("docs/a.toon", staged);
    repo.git(&["add", "docs/a.toon"]);
    repo.write("docs/a.toon", worktree);

    repo.toon(&["precommit"]).succeeds();
    // The commit gets the Markdown of the staged TOON; the work tree keeps following the
    // work-tree TOON.
    assert_eq!(repo.staged("docs/a.md"), markdown(staged));
    assert_eq!(repo.read("docs/a.md"), markdown(worktree));
    assert_eq!(repo.status(), ["MM docs/a.md", "MM docs/a.toon"]);

    // Broken only in the work tree: the staged version is valid, the commit may go on,
    // and the work-tree .md stays the staged one's.
    repo.write("docs/a.toon", BAD_TOON);
    repo.toon(&["precommit"]).succeeds();
    assert_eq!(repo.staged("docs/a.md"), markdown(staged));
    assert_eq!(repo.read("docs/a.md"), markdown(staged));

    // Broken in the index although fine in the work tree: refused, located in the
    // staged text.
    repo.write("docs/a.toon", BAD_TOON);
    repo.git(&["add", "docs/a.toon"]);
    repo.write("docs/a.toon", A_TOON);
    let stderr = repo.toon(&["precommit"]).fails(1);
    assert!(stderr.starts_with("docs/a.toon:3:3: "), "{stderr}");
}

#[test]
fn check_passes_on_fresh_md_files_in_a_clean_checkout() {
    let repo = committed_repo();
    // Nothing is staged, as in CI: every .toon of the index is checked.
    let run = repo.toon(&["precommit", "--check"]).succeeds();
    assert_eq!(
        run.stderr,
        "toon precommit --check: 2 .md files up to date\n"
    );
    assert_eq!(repo.toon(&["precommit", "--check", "--quiet"]).ok(), "");
}

#[test]
fn check_lists_stale_and_missing_md_files_and_writes_nothing() {
    let repo = committed_repo();
    repo.write("docs/a.toon", "title: New\n");
    repo.git(&["add", "docs/a.toon"]);
    repo.git(&["rm", "-q", "--cached", "b.md"]);
    let before = repo.status();

    let stderr = repo.toon(&["precommit", "--check"]).fails(1);
    assert_eq!(
        stderr,
        "b.md: missing (the Markdown of b.toon)\n\
         docs/a.md: stale (differs from the Markdown of docs/a.toon)\n\
         toon precommit --check: 2 of 2 .md files missing or stale; run `toon precommit \
         --all` and commit the result\n"
    );
    assert_eq!(repo.status(), before, "--check changes nothing");
    assert_eq!(repo.read("docs/a.md"), markdown(A_TOON));

    // `--all` repairs both, and the check passes again.
    repo.toon(&["precommit", "--all"]).succeeds();
    assert_eq!(repo.staged("docs/a.md"), markdown("title: New\n"));
    assert_eq!(repo.staged("b.md"), markdown(B_TOON));
    repo.toon(&["precommit", "--check"]).succeeds();
}

#[test]
fn check_reports_invalid_toon_with_its_place() {
    let repo = committed_repo();
    repo.write("b.toon", BAD_TOON);
    repo.git(&["add", "b.toon"]);
    let stderr = repo.toon(&["precommit", "--check"]).fails(1);
    assert!(
        stderr.starts_with("b.toon:3:3: expected 2 tabular row values, but got 1\n"),
        "{stderr}"
    );
    assert!(stderr.ends_with("toon precommit --check: 1 .toon file is invalid\n"));
}

#[test]
fn nothing_staged_is_a_quiet_success() {
    let repo = committed_repo();
    repo.write("notes.txt", "not TOON");
    repo.git(&["add", "notes.txt"]);
    assert_eq!(repo.toon(&["precommit"]).ok(), "");
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = common::TempDir::new();
    let run = common::run(
        common::toon_command()
            .arg("precommit")
            .current_dir(dir.root())
            // Keep git from finding a repository above the temp dir.
            .env("GIT_CEILING_DIRECTORIES", dir.root().parent().unwrap()),
        b"",
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("not inside a git work tree"),
        "{}",
        run.stderr
    );
}
