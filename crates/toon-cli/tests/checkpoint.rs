//! `toon checkpoint` end to end on temporary repositories: the snapshot's fields decoded
//! from the TOON, its options, `-o`, and the error outside a repository.

mod common;

use common::{GitRepo, TempDir, text, toon};
use serde_json::Value;

/// A repository with two commits, a staged change, an unstaged change, an untracked
/// file and a task list.
fn busy_repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.write("TASKLIST.md", "- [x] parse\n- [ ] render\n");
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "-m", "Parse the config"]);
    repo.write("src/lib.rs", "fn a() {}\nfn b() {}\n");
    repo.git(&["commit", "-q", "-am", "Render the page"]);
    repo.write("staged.txt", "new\n");
    repo.git(&["add", "staged.txt"]);
    repo.write("src/lib.rs", "fn c() {}\n");
    repo.write("scratch.txt", "?\n");
    repo
}

/// The TOON snapshot as JSON values.
fn decode(text: &str) -> Value {
    toon::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn snapshots_a_repository() {
    let repo = busy_repo();
    let stdout = toon(&["checkpoint", &text(repo.root())], b"").ok();
    let snapshot = decode(&stdout);
    assert_eq!(snapshot["branch"], "main");
    assert_eq!(snapshot["detached"], false);
    assert_eq!(snapshot["head"]["summary"], "Render the page");
    assert_eq!(snapshot["head"]["author"], "Toon Test");
    assert_eq!(
        snapshot["head"]["id"],
        repo.git(&["rev-parse", "HEAD"]).trim()
    );
    assert_eq!(
        snapshot["staged"],
        serde_json::json!([{"path": "staged.txt", "status": "A"}])
    );
    assert_eq!(
        snapshot["unstaged"],
        serde_json::json!([{"path": "src/lib.rs", "status": "M"}])
    );
    assert_eq!(
        snapshot["untracked"],
        serde_json::json!([{"path": "scratch.txt", "status": "?"}])
    );
    let summaries: Vec<&Value> = snapshot["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .map(|commit| &commit["summary"])
        .collect();
    assert_eq!(summaries, ["Render the page", "Parse the config"]);
    assert_eq!(
        snapshot["tasks"],
        serde_json::json!([{"done": true, "text": "parse"}, {"done": false, "text": "render"}])
    );
}

#[test]
fn options_and_output_file() {
    let repo = busy_repo();
    let out = TempDir::new();
    let dest = out.path("handover.toon");
    let run = common::run(
        common::toon_command()
            .args([
                "checkpoint",
                "--commits",
                "1",
                "--no-untracked",
                "--no-tasks",
                "-o",
                &text(&dest),
            ])
            // REPO defaults to the current directory; any directory inside works.
            .current_dir(repo.root().join("src")),
        b"",
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (Some(0), ""),
        "{}",
        run.stderr
    );
    let snapshot = decode(&std::fs::read_to_string(&dest).unwrap());
    assert_eq!(snapshot["commits"].as_array().map(Vec::len), Some(1));
    assert_eq!(snapshot["untracked"], serde_json::json!([]));
    assert!(snapshot.get("tasks").is_none(), "{snapshot}");
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = TempDir::new();
    let run = common::run(
        common::toon_command()
            .args(["checkpoint", &text(dir.root())])
            .env("GIT_CEILING_DIRECTORIES", dir.root().parent().unwrap()),
        b"",
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
    let missing = text(&dir.path("nowhere"));
    let stderr = toon(&["checkpoint", &missing], b"").fails(1);
    assert!(stderr.contains("not a directory"), "{stderr}");
}
