//! Checkpoints of fixture repositories built with the `git` CLI in temporary folders:
//! every field checked, golden TOON with commit ids replaced by names, and a cross-check
//! against `git status --porcelain=v2 --branch`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use checkpoint_to_toon::{
    Checkpoint, CheckpointToToon, CheckpointToToonOptions, Entry, Error, checkpoint,
};
use toon::convert::{Converter, Format, Input};

/// Runs git in `dir` with a fixed identity and clock (the clock advances one minute per
/// commit, so ids are stable and commits are ordered), isolated from user config.
struct Git {
    clock: std::cell::Cell<u32>,
}

impl Git {
    fn new() -> Self {
        Git {
            clock: std::cell::Cell::new(0),
        }
    }

    fn run(&self, dir: &Path, args: &[&str]) -> String {
        let minute = self.clock.get();
        let date = format!("2024-05-01T12:{minute:02}:00+02:00");
        let output = Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "protocol.file.allow=always",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ada Lovelace")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Lovelace")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn commit(&self, dir: &Path, message: &str) {
        self.clock.set(self.clock.get() + 1);
        self.run(dir, &["commit", "-q", "-m", message]);
    }

    fn rev(&self, dir: &Path, rev: &str) -> String {
        self.run(dir, &["rev-parse", rev]).trim().to_owned()
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn new_repo(git: &Git, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git.run(dir, &["init", "-q", "-b", "main"]);
    git.run(dir, &["config", "user.name", "Ada Lovelace"]);
    git.run(dir, &["config", "user.email", "ada@example.com"]);
}

/// The fixture: `work` with two submodules (`vendor/lib`, `tools`), an upstream
/// (`origin/main`, 2 ahead and 1 behind), staged, unstaged and untracked changes, a dirty
/// submodule and a task list.
struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    work: PathBuf,
    git: Git,
    /// Commit ids by a readable name, for the golden files.
    names: BTreeMap<String, String>,
}

impl Fixture {
    fn build() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_owned();
        let git = Git::new();
        let mut names = BTreeMap::new();

        for (sub, file) in [("lib", "lib.rs"), ("tools", "run.sh")] {
            let dir = root.join(sub);
            new_repo(&git, &dir);
            write(&dir.join(file), &format!("{sub} v1\n"));
            git.run(&dir, &["add", "."]);
            git.commit(&dir, &format!("{sub}: initial"));
            names.insert(git.rev(&dir, "HEAD"), format!("{sub}-initial"));
        }

        let work = root.join("work");
        new_repo(&git, &work);
        write(&work.join("README.md"), "# Work\n");
        write(&work.join("src/a.txt"), "alpha\n");
        write(&work.join("src/b.txt"), "bravo bravo bravo bravo\n");
        write(&work.join("docs/old.md"), "old docs\n");
        write(
            &work.join("TASKLIST.md"),
            "# Tasks\n\n- [x] Build the fixture\n- [ ] Check every field\n  - [ ] Nested, with a comma, and \"quotes\"\n\nNot a task.\n",
        );
        git.run(&work, &["add", "."]);
        git.commit(&work, "Initial layout");
        names.insert(git.rev(&work, "HEAD"), "c1".into());

        // Relative URLs keep `.gitmodules` (and so every commit id) independent of the
        // temporary folder.
        git.run(&work, &["submodule", "add", "-q", "../lib", "vendor/lib"]);
        git.run(&work, &["submodule", "add", "-q", "../tools", "tools"]);
        git.commit(&work, "Add submodules");
        names.insert(git.rev(&work, "HEAD"), "c2".into());

        // The upstream: a bare clone, pushed to with -u.
        git.run(&root, &["clone", "-q", "--bare", "work", "origin.git"]);
        git.run(&work, &["remote", "add", "origin", "../origin.git"]);
        git.run(&work, &["push", "-q", "-u", "origin", "main"]);

        // Behind by one: a commit pushed from a second clone, then fetched.
        git.run(&root, &["clone", "-q", "origin.git", "other"]);
        let other = root.join("other");
        git.run(&other, &["config", "user.name", "Ada Lovelace"]);
        git.run(&other, &["config", "user.email", "ada@example.com"]);
        write(&other.join("remote.txt"), "from elsewhere\n");
        git.run(&other, &["add", "."]);
        git.commit(&other, "Remote change");
        names.insert(git.rev(&other, "HEAD"), "remote".into());
        git.run(&other, &["push", "-q", "origin", "main"]);
        git.run(&work, &["fetch", "-q", "origin"]);

        // Ahead by two.
        write(&work.join("src/a.txt"), "alpha\nmore\n");
        git.run(&work, &["add", "src/a.txt"]);
        git.commit(&work, "Extend a: more lines");
        names.insert(git.rev(&work, "HEAD"), "c3".into());
        write(&work.join("CHANGELOG.md"), "- things\n");
        git.run(&work, &["add", "CHANGELOG.md"]);
        git.commit(&work, "Add changelog, with a comma");
        names.insert(git.rev(&work, "HEAD"), "c4".into());

        // Working changes.
        write(&work.join("src/a.txt"), "alpha\nmore\nstaged\n");
        git.run(&work, &["add", "src/a.txt"]); // staged M
        write(&work.join("new.txt"), "new file\n");
        git.run(&work, &["add", "new.txt"]); // staged A
        git.run(&work, &["rm", "-q", "docs/old.md"]); // staged D
        git.run(&work, &["mv", "src/b.txt", "src/c.txt"]); // staged R
        write(&work.join("README.md"), "# Work\n\nunstaged edit\n"); // unstaged M
        write(&work.join("notes.txt"), "untracked\n"); // untracked file
        write(&work.join("scratch/one.txt"), "1\n"); // untracked directory
        write(&work.join("scratch/two.txt"), "2\n");
        write(&work.join("tools/run.sh"), "tools v1, edited\n"); // dirty submodule

        Fixture {
            _tmp: tmp,
            root,
            work,
            git,
            names,
        }
    }

    /// The TOON text with every known commit id replaced by `<name>`.
    fn named(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (id, name) in &self.names {
            text = text.replace(id.as_str(), &format!("<{name}>"));
        }
        text
    }
}

fn entries(list: &[Entry]) -> Vec<(&str, &str)> {
    list.iter().map(|e| (e.path.as_str(), e.status)).collect()
}

#[test]
fn full_fixture() {
    let fx = Fixture::build();
    let cp = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    let head = fx.git.rev(&fx.work, "HEAD");

    assert_eq!(cp.branch.as_deref(), Some("main"));
    assert!(!cp.detached);
    let h = cp.head.as_ref().unwrap();
    assert_eq!(h.id, head);
    assert_eq!(h.summary, "Add changelog, with a comma");
    assert_eq!(h.author, "Ada Lovelace");
    assert_eq!(h.time, "2024-05-01T12:07:00+02:00");

    let up = cp.upstream.as_ref().unwrap();
    assert_eq!(up.name, "origin/main");
    assert_eq!((up.ahead, up.behind), (Some(2), Some(1)));

    assert_eq!(
        entries(&cp.staged),
        [
            ("docs/old.md", "D"),
            ("new.txt", "A"),
            ("src/a.txt", "M"),
            ("src/b.txt -> src/c.txt", "R"),
        ]
    );
    assert_eq!(entries(&cp.unstaged), [("README.md", "M"), ("tools", "M")]);
    assert_eq!(
        entries(&cp.untracked),
        [("notes.txt", "?"), ("scratch/", "?")]
    );

    let subs: Vec<_> = cp
        .submodules
        .iter()
        .map(|s| (s.name.as_str(), s.path.as_str(), s.commit.clone(), s.dirty))
        .collect();
    assert_eq!(
        subs,
        [
            (
                "tools",
                "tools",
                Some(fx.git.rev(&fx.root.join("tools"), "HEAD")),
                Some(true)
            ),
            (
                "vendor/lib",
                "vendor/lib",
                Some(fx.git.rev(&fx.root.join("lib"), "HEAD")),
                Some(false)
            ),
        ]
    );

    let log: Vec<_> = cp.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        log,
        [
            "Add changelog, with a comma",
            "Extend a: more lines",
            "Add submodules",
            "Initial layout"
        ]
    );
    assert_eq!(cp.commits[0].id, head);
    assert_eq!(cp.commits[3].time, "2024-05-01T12:03:00+02:00");

    let tasks: Vec<_> = cp
        .tasks
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| (t.done, t.text.as_str()))
        .collect();
    assert_eq!(
        tasks,
        [
            (true, "Build the fixture"),
            (false, "Check every field"),
            (false, "Nested, with a comma, and \"quotes\""),
        ]
    );

    let toon = cp.to_toon().unwrap();
    insta::assert_snapshot!("full_fixture", fx.named(&toon));

    // The TOON decodes to the same structure as the serde value of the checkpoint.
    let decoded = toon::decode(&toon, &toon::DecodeOptions::default()).unwrap();
    assert_eq!(decoded, toon::to_value(&cp).unwrap());
}

/// `git status --porcelain=v2 --branch` on the same repository agrees on branch, HEAD,
/// upstream, ahead/behind and every entry.
#[test]
fn agrees_with_git_porcelain_v2() {
    let fx = Fixture::build();
    let cp = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    let porcelain = fx
        .git
        .run(&fx.work, &["status", "--porcelain=v2", "--branch"]);

    let mut headers = BTreeMap::new();
    let (mut staged, mut unstaged, mut untracked) = (Vec::new(), Vec::new(), Vec::new());
    for line in porcelain.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            let (key, value) = header.split_once(' ').unwrap();
            headers.insert(key.to_owned(), value.to_owned());
        } else if let Some(path) = line.strip_prefix("? ") {
            untracked.push(path.to_owned());
        } else if line.starts_with("1 ") || line.starts_with("2 ") {
            let fields: Vec<&str> = line
                .splitn(if line.starts_with('1') { 9 } else { 10 }, ' ')
                .collect();
            let xy = fields[1].as_bytes();
            let path = fields.last().unwrap();
            let path = match path.split_once('\t') {
                Some((new, old)) => format!("{old} -> {new}"),
                None => (*path).to_owned(),
            };
            if xy[0] != b'.' {
                staged.push((path.clone(), (xy[0] as char).to_string()));
            }
            if xy[1] != b'.' {
                unstaged.push((path, (xy[1] as char).to_string()));
            }
        }
    }

    assert_eq!(headers["branch.oid"], cp.head.as_ref().unwrap().id);
    assert_eq!(headers["branch.head"], cp.branch.clone().unwrap());
    let up = cp.upstream.as_ref().unwrap();
    assert_eq!(headers["branch.upstream"], up.name);
    assert_eq!(
        headers["branch.ab"],
        format!("+{} -{}", up.ahead.unwrap(), up.behind.unwrap())
    );
    let ours = |list: &[Entry]| -> Vec<(String, String)> {
        list.iter()
            .map(|e| (e.path.clone(), e.status.to_owned()))
            .collect()
    };
    staged.sort();
    unstaged.sort();
    untracked.sort();
    assert_eq!(ours(&cp.staged), staged);
    assert_eq!(ours(&cp.unstaged), unstaged);
    let our_untracked: Vec<String> = cp.untracked.iter().map(|e| e.path.clone()).collect();
    assert_eq!(our_untracked, untracked);

    // And `git submodule status`: the checked-out commit, `+` when it moved.
    let sub_status = fx.git.run(&fx.work, &["submodule", "status"]);
    for line in sub_status.lines() {
        let mut parts = line[1..].split(' ');
        let (id, path) = (parts.next().unwrap(), parts.next().unwrap());
        let ours = cp.submodules.iter().find(|s| s.path == path).unwrap();
        assert_eq!(ours.commit.as_deref(), Some(id), "{line}");
    }
}

#[test]
fn options_limit_the_snapshot() {
    let fx = Fixture::build();
    let options = CheckpointToToonOptions {
        commits: 2,
        tasklist: None,
        untracked: false,
        submodules: false,
    };
    let cp = checkpoint(&fx.work, &options).unwrap();
    assert_eq!(cp.commits.len(), 2);
    assert_eq!(cp.tasks, None);
    assert!(cp.untracked.is_empty());
    assert!(cp.submodules.is_empty());
    // Without submodule checks, the dirty submodule is not reported either.
    assert_eq!(entries(&cp.unstaged), [("README.md", "M")]);
    let toon = cp.to_toon().unwrap();
    assert!(!toon.contains("tasks"), "{toon}");
    insta::assert_snapshot!("limited", fx.named(&toon));

    // Another task-list file name.
    write(&fx.work.join("todo.md"), "* [X] elsewhere\n");
    let cp = checkpoint(
        &fx.work,
        &CheckpointToToonOptions {
            tasklist: Some("todo.md".into()),
            ..CheckpointToToonOptions::default()
        },
    )
    .unwrap();
    assert_eq!(cp.tasks.unwrap().len(), 1);
}

#[test]
fn detached_head_and_uninitialized_submodules() {
    let fx = Fixture::build();
    // `other` is a clone of the upstream: its submodules were never initialized.
    let other = fx.root.join("other");
    let c2 = fx.git.rev(&other, "HEAD~1");
    fx.git
        .run(&other, &["checkout", "-q", "--detach", "HEAD~1"]);
    let cp = checkpoint(&other, &CheckpointToToonOptions::default()).unwrap();
    assert_eq!(cp.branch, None);
    assert!(cp.detached);
    assert_eq!(cp.head.as_ref().unwrap().id, c2);
    assert_eq!(cp.upstream, None);
    assert!(cp.staged.is_empty() && cp.unstaged.is_empty() && cp.untracked.is_empty());
    let subs: Vec<_> = cp
        .submodules
        .iter()
        .map(|s| (s.path.as_str(), s.commit.clone(), s.dirty))
        .collect();
    assert_eq!(
        subs,
        [
            (
                "tools",
                Some(fx.git.rev(&fx.root.join("tools"), "HEAD")),
                None
            ),
            (
                "vendor/lib",
                Some(fx.git.rev(&fx.root.join("lib"), "HEAD")),
                None
            ),
        ]
    );
    insta::assert_snapshot!("detached", fx.named(&cp.to_toon().unwrap()));
}

#[test]
fn unborn_branch_and_subdirectory() {
    let tmp = tempfile::tempdir().unwrap();
    let git = Git::new();
    new_repo(&git, tmp.path());
    write(&tmp.path().join("src/first.txt"), "1\n");
    git.run(tmp.path(), &["add", "."]);
    write(&tmp.path().join("loose.txt"), "?\n");
    // Discovery from a subdirectory finds the root.
    let cp = checkpoint(&tmp.path().join("src"), &CheckpointToToonOptions::default()).unwrap();
    assert_eq!(cp.branch.as_deref(), Some("main"));
    assert!(!cp.detached);
    assert_eq!(cp.head, None);
    assert_eq!(cp.upstream, None);
    assert!(cp.commits.is_empty());
    assert_eq!(entries(&cp.staged), [("src/first.txt", "A")]);
    assert_eq!(entries(&cp.untracked), [("loose.txt", "?")]);
    insta::assert_snapshot!("unborn", cp.to_toon().unwrap());
}

#[test]
fn upstream_gone() {
    let fx = Fixture::build();
    fx.git
        .run(&fx.work, &["update-ref", "-d", "refs/remotes/origin/main"]);
    let cp = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    let up = cp.upstream.unwrap();
    assert_eq!(up.name, "origin/main");
    assert_eq!((up.ahead, up.behind), (None, None));
}

#[test]
fn errors() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let err = checkpoint(&plain, &CheckpointToToonOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NotARepository { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("not a git repository: "),
        "{err}"
    );

    let git = Git::new();
    git.run(tmp.path(), &["init", "-q", "--bare", "bare.git"]);
    let err = checkpoint(
        &tmp.path().join("bare.git"),
        &CheckpointToToonOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Bare(_)), "{err:?}");

    let err = CheckpointToToon::default()
        .convert(Input::Bytes(b"HEAD"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a checkpoint reads a repository directory: pass a path, not bytes"
    );
    assert_eq!(err.location(), None);
}

#[test]
fn converter_reads_the_live_work_tree() {
    let fx = Fixture::build();
    let converter = CheckpointToToon::default();
    assert_eq!(converter.name(), "checkpoint-to-toon");
    assert_eq!(converter.source(), Format::Checkpoint);
    assert_eq!(converter.target(), Format::Toon);
    assert!(!converter.cacheable());
    assert_eq!(
        converter.options_key(),
        CheckpointToToon::new(CheckpointToToonOptions::default()).options_key()
    );

    assert_eq!(Format::from_path(&fx.work), Some(Format::Checkpoint));
    let first = converter.convert(Input::Path(&fx.work)).unwrap();
    let expected: Checkpoint = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    assert_eq!(first, expected.to_toon().unwrap());

    // Live source: a change shows up on the next conversion.
    write(&fx.work.join("later.txt"), "later\n");
    let second = converter.convert(Input::Path(&fx.work)).unwrap();
    assert_ne!(first, second);
    assert!(second.contains("later.txt,?"), "{second}");
}

/// `submodule.<name>.ignore` and `diff.ignoreSubmodules` are honoured like `git status`
/// honours them.
#[test]
fn submodule_ignore_settings() {
    let fx = Fixture::build();
    fx.git
        .run(&fx.work, &["config", "submodule.tools.ignore", "dirty"]);
    let cp = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    let tools = cp.submodules.iter().find(|s| s.name == "tools").unwrap();
    assert_eq!(tools.dirty, Some(false));
    assert_eq!(entries(&cp.unstaged), [("README.md", "M")]);
    let porcelain = fx.git.run(&fx.work, &["status", "--porcelain=v2"]);
    assert!(!porcelain.contains(" tools\n"), "{porcelain}");

    fx.git
        .run(&fx.work, &["config", "diff.ignoreSubmodules", "all"]);
    fx.git
        .run(&fx.work, &["config", "--unset", "submodule.tools.ignore"]);
    let cp = checkpoint(&fx.work, &CheckpointToToonOptions::default()).unwrap();
    assert!(cp.submodules.iter().all(|s| s.dirty.is_none()));
    // The commits are still known.
    assert!(cp.submodules.iter().all(|s| s.commit.is_some()));
    assert_eq!(entries(&cp.unstaged), [("README.md", "M")]);
}
