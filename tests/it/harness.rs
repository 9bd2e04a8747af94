//! A temporary repository in a sealed environment: empty environment but for PATH, HOME in a
//! temporary folder, git's global and system configuration set to /dev/null, fixed author and
//! dates. Every command, git or `changes`, runs through it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// Path of the binary under test, built by cargo for this test run.
pub(crate) const CHANGES: &str = env!("CARGO_BIN_EXE_changes");

/// A throwaway repository with its own HOME.
pub(crate) struct TestRepo {
    _folder: TempDir,
    /// The work-tree root.
    pub root: PathBuf,
    /// The sealed HOME.
    pub home: PathBuf,
    extra_env: Vec<(String, String)>,
}

impl TestRepo {
    /// `git init` on branch `main` in a fresh folder.
    pub(crate) fn new() -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        let root = folder.path().join("repo");
        let home = folder.path().join("home");
        std::fs::create_dir_all(&root).expect("repo folder");
        std::fs::create_dir_all(&home).expect("home folder");
        let repo = Self { _folder: folder, root, home, extra_env: Vec::new() };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A clone of `source` (a repository's path or URL), as a user would get it.
    pub(crate) fn cloned(source: &str) -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        let root = folder.path().join("repo");
        let home = folder.path().join("home");
        std::fs::create_dir_all(&home).expect("home folder");
        let repo = Self { _folder: folder, root, home, extra_env: Vec::new() };
        let output = repo
            .command("git")
            .current_dir(&repo.home)
            .args(["clone", "-q", source])
            .arg(&repo.root)
            .output()
            .expect("git clone runs");
        assert!(output.status.success(), "clone: {}", String::from_utf8_lossy(&output.stderr));
        repo
    }

    /// Adds a variable to every later command.
    pub(crate) fn set_env(&mut self, name: &str, value: &str) {
        self.extra_env.push((name.to_string(), value.to_string()));
    }

    /// A command with the sealed environment, run in the work tree.
    pub(crate) fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_SYSTEM", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Test Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
            .env("LANG", "C")
            .env("NO_COLOR", "1");
        for (name, value) in &self.extra_env {
            command.env(name, value);
        }
        command
    }

    /// Runs git and asserts it succeeded.
    pub(crate) fn git(&self, arguments: &[&str]) -> String {
        let output = self.command("git").args(arguments).output().expect("git runs");
        assert!(
            output.status.success(),
            "git {arguments:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs the `changes` binary.
    pub(crate) fn changes(&self, arguments: &[&str]) -> Run {
        Run::from(self.command(CHANGES).args(arguments).output().expect("changes runs"))
    }

    /// Writes a file (creating folders) relative to the root.
    pub(crate) fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let full = self.root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("parent folders");
        }
        std::fs::write(full, content).expect("write file");
    }

    /// Writes the file and stages it.
    pub(crate) fn stage(&self, path: &str, content: impl AsRef<[u8]>) {
        self.write(path, content);
        self.git(&["add", "--", path]);
    }

    /// Commits what is staged.
    pub(crate) fn commit(&self, message: &str) {
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    /// Opens the repository through the library, ignoring the environment.
    pub(crate) fn open(&self) -> changes::git::Repository {
        changes::git::Repository::open(&self.root).expect("open repository")
    }

    /// Runs git and returns the whole result, for commands expected to fail.
    pub(crate) fn git_output(&self, arguments: &[&str]) -> Run {
        Run::from(self.command("git").args(arguments).output().expect("git runs"))
    }

    /// Installs the hooks with the binary under test and asserts it succeeded.
    pub(crate) fn install_hooks(&self) -> Run {
        let run = self.changes(&["hook", "install"]);
        run.success();
        run
    }

    /// Makes git's editor a script that copies the file it is given to the returned path
    /// (appending, with a separator, when it runs several times) and leaves it unchanged.
    pub(crate) fn record_editor(&mut self) -> PathBuf {
        let record = self.home.join("editor-record.txt");
        let script = self.home.join("record-editor.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\ncat \"$1\" >> '{record}'\necho '=====' >> '{record}'\n",
                record = record.display()
            ),
        )
        .expect("editor script");
        make_executable(&script);
        self.set_env("GIT_EDITOR", &script.display().to_string());
        record
    }

    /// The message of a commit, as `git log` prints it.
    pub(crate) fn message(&self, revision: &str) -> String {
        self.git(&["log", "-1", "--format=%B", revision])
    }

    /// The path of a file in the work tree.
    pub(crate) fn path(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }
}

/// A finished `changes` process.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit code 0 and returns stdout.
    pub(crate) fn success(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "changes failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }
}

/// Collection options as the binary builds them from the built-in defaults.
pub(crate) fn default_options(root: &Path) -> changes::git::CollectOptions {
    changes::git::CollectOptions {
        filter: changes::git::Filter::new(Some(root), &[]).expect("filter"),
        limits: changes::config::Limits { max_file_bytes: 100_000, max_total_bytes: 400_000 },
    }
}

/// Sets the run bits of a file.
pub(crate) fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// The files a per-file summary request asks about, as `(label, path)`, from its section
/// headers `### [F3] src/a.rs (modified, +2 -1)`.
pub(crate) fn map_request_files(user: &str) -> Vec<(String, String)> {
    user.lines()
        .filter_map(|line| line.strip_prefix("### ["))
        .filter_map(|rest| {
            let (label, header) = rest.split_once("] ")?;
            let path = header.rsplit_once(" (").map_or(header, |(path, _)| path);
            Some((label.to_string(), path.to_string()))
        })
        .collect()
}

/// The ways real models write a per-file summary answer, asked for `[F1] summary` lines.
pub(crate) const MAP_FORMATS: [&str; 8] =
    ["asked", "heading", "bold", "backtick", "numbered", "basename", "fenced", "paragraph"];

/// A per-file summary answer written in `format` (one of [`MAP_FORMATS`]).
pub(crate) fn map_answer_as(format: &str, user: &str, summary: impl Fn(&str) -> String) -> String {
    let files = map_request_files(user);
    let line = |label: &str, path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let text = summary(path);
        match format {
            "heading" => format!("## {path}\n{text}\n\n"),
            "bold" => format!("**{path}**: {text}\n"),
            "backtick" => format!("`{path}` — {text}\n"),
            "numbered" => format!("1. {path}: {text}\n"),
            "basename" => format!("- {name}: {text}\n"),
            _ => format!("[{label}] {text}\n"),
        }
    };
    match format {
        "paragraph" => "These files together add modules and tests.".to_string(),
        "fenced" => {
            let body: String = files.iter().map(|(label, path)| line(label, path)).collect();
            format!("```\n{body}```\n")
        }
        _ => files.iter().map(|(label, path)| line(label, path)).collect(),
    }
}
