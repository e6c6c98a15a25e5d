//! P7: a checkpoint of a repository with 19 submodules, next to what `git` needs for the
//! same facts (`git status --porcelain=v2 --branch` plus `git submodule status`, run as
//! subprocesses), in the same run on the same repository.
//!
//! `cargo bench -p toon-benches --bench checkpoint -- --warm-up-time 1 --measurement-time 5`
//!
//! The repository is built once in a temporary folder: 40 files in the superproject, 19
//! submodules of 6 files each (one with an edited file), an upstream one commit behind,
//! an edited and an untracked file. Goal: `checkpoint` ≤ 30 ms wall.

use std::path::Path;
use std::process::Command;

use checkpoint_to_toon::{CheckpointToToonOptions, checkpoint, convert};
use criterion::{Criterion, criterion_group, criterion_main};

const SUBMODULES: usize = 19;

fn git(dir: &Path, args: &[&str]) -> String {
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
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Builds the P7 repository under `root` and returns the superproject's path.
fn build(root: &Path) -> std::path::PathBuf {
    for i in 0..SUBMODULES {
        let dir = root.join(format!("lib{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q"]);
        for f in 0..6 {
            write(
                &dir.join(format!("src/file{f}.rs")),
                &format!("// lib {i} file {f}\npub fn f{f}() -> u32 {{ {f} }}\n"),
            );
        }
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "-q", "-m", "initial"]);
    }
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q"]);
    for f in 0..40 {
        write(
            &work.join(format!("src/m{}/file{f}.rs", f % 5)),
            &format!("// file {f}\n"),
        );
    }
    write(
        &work.join("TASKLIST.md"),
        "- [x] build the fixture\n- [ ] measure\n",
    );
    git(&work, &["add", "."]);
    git(&work, &["commit", "-q", "-m", "initial"]);
    for i in 0..SUBMODULES {
        let url = format!("../lib{i:02}");
        let path = format!("libs/lib{i:02}");
        git(&work, &["submodule", "add", "-q", &url, &path]);
    }
    git(&work, &["commit", "-q", "-m", "add submodules"]);
    git(root, &["clone", "-q", "--bare", "work", "origin.git"]);
    git(&work, &["remote", "add", "origin", "../origin.git"]);
    git(&work, &["push", "-q", "-u", "origin", "main"]);
    write(&work.join("src/m0/file0.rs"), "// file 0, ahead\n");
    git(&work, &["commit", "-q", "-am", "ahead"]);
    // Working changes: an edit, an untracked file, an edited submodule.
    write(&work.join("src/m1/file1.rs"), "// edited\n");
    write(&work.join("notes.txt"), "untracked\n");
    write(
        &work.join("libs/lib07/src/file3.rs"),
        "// edited in a submodule\n",
    );
    // Let git refresh the index stat data once, as any real checkout would have.
    git(&work, &["status", "--porcelain"]);
    work
}

fn git_status(work: &Path) -> usize {
    let status = git(work, &["status", "--porcelain=v2", "--branch"]);
    let submodules = git(work, &["submodule", "status"]);
    status.len() + submodules.len()
}

fn p7(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let work = build(tmp.path());
    let options = CheckpointToToonOptions::default();
    let cp = checkpoint(&work, &options).unwrap();
    assert_eq!(cp.submodules.len(), SUBMODULES);
    assert_eq!(
        cp.submodules
            .iter()
            .filter(|s| s.dirty == Some(true))
            .count(),
        1
    );
    assert_eq!(cp.upstream.as_ref().and_then(|u| u.ahead), Some(1));

    let mut group = c.benchmark_group(format!("p7/{SUBMODULES}-submodules"));
    group.sample_size(20);
    group.bench_function("checkpoint_to_toon", |b| {
        b.iter(|| convert(&work, &options).unwrap())
    });
    group.bench_function("git_status_v2_and_submodule_status", |b| {
        b.iter(|| git_status(&work))
    });
    group.finish();
}

criterion_group!(benches, p7);
criterion_main!(benches);
