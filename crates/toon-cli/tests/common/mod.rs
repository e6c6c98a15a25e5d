//! What the CLI test files share: running the built `toon` binary, temporary
//! directories, and temporary git repositories driven by the real `git` program with a
//! configuration of their own (no global or system git configuration is read).

// Each test file is its own crate and uses a different part of this module.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one run of the binary produced.
#[derive(Debug)]
pub(crate) struct Run {
    /// The exit code (`None` when killed by a signal).
    pub(crate) code: Option<i32>,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl Run {
    /// Asserts success with nothing on stderr and returns stdout.
    pub(crate) fn ok(self) -> String {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        assert_eq!(self.stderr, "");
        self.stdout
    }

    /// Asserts success (stderr may hold a summary) and returns the run.
    pub(crate) fn succeeds(self) -> Run {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        self
    }

    /// Asserts exit code `code` with nothing on stdout and returns stderr.
    pub(crate) fn fails(self, code: i32) -> String {
        assert_eq!(self.code, Some(code), "stderr: {}", self.stderr);
        assert_eq!(self.stdout, "", "stdout must stay empty on error");
        assert!(!self.stderr.is_empty());
        self.stderr
    }
}

/// Runs `toon` with `args`, feeding `stdin`.
pub(crate) fn toon<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Run {
    run(toon_command().args(args), stdin)
}

/// The `toon` binary as a command, isolated from the user's git configuration.
pub(crate) fn toon_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_toon"));
    isolate_git(&mut command);
    command
}

/// Spawns `command` with piped standard streams, feeds `stdin` and collects the rest.
pub(crate) fn run(command: &mut Command, stdin: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn toon");
    // The binary may exit before reading everything (usage errors); ignore a closed pipe.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let output = child.wait_with_output().expect("wait for toon");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A path as a `&str` argument.
pub(crate) fn text(path: &Path) -> String {
    path.to_str().expect("UTF-8 temp path").to_owned()
}

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// Creates the directory.
    pub(crate) fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let crate_test = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("toon-cli-{crate_test}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    /// Writes `contents` to `name` inside the directory (creating its parents) and
    /// returns its path.
    pub(crate) fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, contents).expect("write temp file");
        path
    }

    /// The path of `name` inside the directory.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The directory itself.
    pub(crate) fn root(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Keeps a command away from the user's and the machine's git configuration and from
/// any repository the tests themselves run in (`GIT_DIR` of an enclosing hook).
fn isolate_git(command: &mut Command) {
    command
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_OBJECT_DIRECTORY");
}

/// A temporary git repository with its own identity, no signing and hooks in
/// `.git/hooks`.
pub(crate) struct GitRepo {
    dir: TempDir,
}

impl GitRepo {
    /// `git init` on branch `main`, configured for commits.
    pub(crate) fn new() -> GitRepo {
        let repo = GitRepo {
            dir: TempDir::new(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        for (key, value) in [
            ("user.name", "Toon Test"),
            ("user.email", "toon@example.com"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
            ("core.hooksPath", ".git/hooks"),
            ("core.autocrlf", "false"),
        ] {
            repo.git(&["config", key, value]);
        }
        repo
    }

    /// The top directory.
    pub(crate) fn root(&self) -> &Path {
        self.dir.root()
    }

    /// Writes a file (creating its directories).
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        self.dir.file(path, contents);
    }

    /// Reads a work-tree file.
    pub(crate) fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path(path))
            .unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    /// Whether a work-tree file exists.
    pub(crate) fn exists(&self, path: &str) -> bool {
        self.dir.path(path).exists()
    }

    /// Runs git, which must succeed, and returns its standard output.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args);
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("git output is UTF-8")
    }

    /// Runs git and returns what it did, success or not; `toon` (the built binary) is
    /// first on its PATH, as an installed one would be for a hook.
    pub(crate) fn git_output(&self, args: &[&str]) -> Output {
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_toon"))
            .parent()
            .expect("binary directory")
            .to_path_buf();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin_dir];
        dirs.extend(std::env::split_paths(&path));
        let mut command = Command::new("git");
        isolate_git(&mut command);
        command
            .args(args)
            .current_dir(self.root())
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .stdin(Stdio::null())
            .output()
            .expect("run git")
    }

    /// The staged content of `path` (`git show :path`).
    pub(crate) fn staged(&self, path: &str) -> String {
        self.git(&["show", &format!(":{path}")])
    }

    /// `git status --porcelain` lines, sorted.
    pub(crate) fn status(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    }

    /// Runs `toon` in the top directory.
    pub(crate) fn toon(&self, args: &[&str]) -> Run {
        run(toon_command().args(args).current_dir(self.root()), b"")
    }

    /// Installs the documented one-line pre-commit hook.
    pub(crate) fn install_hook(&self) {
        let status = Command::new("sh")
            .arg("-c")
            .arg(
                "mkdir -p .git/hooks && printf '#!/bin/sh\\nexec toon precommit\\n' \
                 > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit",
            )
            .current_dir(self.root())
            .status()
            .expect("run sh");
        assert!(status.success());
    }
}
