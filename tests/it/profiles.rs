//! The trained conventions profiles kept under the common git folder: two linked worktrees at
//! two commits keep one each instead of replacing each other's, also when they run at once
//! and when one of them commits; and `hook install` trains the profile, so that the first
//! `git commit` neither indexes nor trains.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::harness::{Run, TestRepo};

/// `rounds` code changes under `src/` and documentation changes, in Conventional Commits.
fn history(repo: &TestRepo, rounds: usize) {
    for round in 0..rounds {
        let module = ["parser", "cache", "output"][round % 3];
        repo.stage(
            &format!("src/{module}/mod.rs"),
            format!("pub fn step() -> usize {{\n    {round}\n}}\n"),
        );
        repo.commit(&format!("feat({module}): add step {round}"));
        repo.stage("README.md", format!("# App\n\nStep {round}.\n"));
        repo.commit(&format!("docs: describe step {round}"));
    }
}

/// `changes -v hook run --models local` in the work tree at `folder`.
fn run_in(repo: &TestRepo, folder: &Path) -> Run {
    let mut command = repo.command(crate::harness::CHANGES);
    command.current_dir(folder).args(["-v", "hook", "run", "--models", "local"]);
    let run = Run::from(command.output().expect("changes runs"));
    run.success();
    run
}

fn git_in(repo: &TestRepo, folder: &Path, arguments: &[&str]) {
    let output =
        repo.command("git").current_dir(folder).args(arguments).output().expect("git runs");
    assert!(
        output.status.success(),
        "git {arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The profile files kept, by name.
fn kept(repo: &TestRepo) -> Vec<PathBuf> {
    let folder = repo.root.join(".git/changes/conventions/profiles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
}

const REUSED: &str = "the profile kept for this commit was reused";

#[test]
fn two_worktrees_keep_a_profile_each() {
    let repo = TestRepo::new();
    history(&repo, 12);
    let other = repo.root.parent().expect("parent").join("other");
    repo.git(&["worktree", "add", "-q", "-b", "other", &other.display().to_string(), "HEAD~4"]);
    repo.stage("src/parser/mod.rs", "pub fn later() {}\n");
    git_in(&repo, &other, &["rm", "-q", "README.md"]);

    let first_main = run_in(&repo, &repo.root);
    assert!(first_main.stderr.contains("learned from 24 commits"), "{}", first_main.stderr);
    assert!(!first_main.stderr.contains(REUSED), "{}", first_main.stderr);
    let first_other = run_in(&repo, &other);
    assert!(first_other.stderr.contains("learned from 20 commits"), "{}", first_other.stderr);
    assert!(!first_other.stderr.contains(REUSED), "{}", first_other.stderr);
    assert_eq!(kept(&repo).len(), 2, "one profile per commit learned from");

    // Each worktree's second run loads its own profile, whatever ran in between.
    for _ in 0..2 {
        let main = run_in(&repo, &repo.root);
        assert!(main.stderr.contains(REUSED), "{}", main.stderr);
        assert_eq!(main.stdout, first_main.stdout, "the kept profile drafts as the trained one");
        let again = run_in(&repo, &other);
        assert!(again.stderr.contains(REUSED), "{}", again.stderr);
        assert_eq!(again.stdout, first_other.stdout);
    }

    // The other worktree commits: its next run learns its new commit, and the first
    // worktree's profile stays valid although the shared index grew.
    git_in(&repo, &other, &["commit", "-q", "--no-verify", "-m", "docs: drop the readme"]);
    git_in(&repo, &other, &["rm", "-q", "--cached", "src/parser/mod.rs"]);
    let moved = run_in(&repo, &other);
    assert!(moved.stderr.contains("learned from 21 commits (1 indexed"), "{}", moved.stderr);
    assert!(!moved.stderr.contains(REUSED), "{}", moved.stderr);
    let main = run_in(&repo, &repo.root);
    assert!(main.stderr.contains(REUSED), "{}", main.stderr);
    assert_eq!(kept(&repo).len(), 3);
}

#[test]
fn two_worktrees_running_at_once_each_end_with_a_usable_profile() {
    let repo = TestRepo::new();
    history(&repo, 10);
    let other = repo.root.parent().expect("parent").join("other");
    repo.git(&["worktree", "add", "-q", "-b", "other", &other.display().to_string(), "HEAD~2"]);
    repo.stage("src/parser/mod.rs", "pub fn later() {}\n");
    git_in(&repo, &other, &["rm", "-q", "README.md"]);
    let spawn = |folder: &Path| {
        let mut command = repo.command(crate::harness::CHANGES);
        command.current_dir(folder).args(["-v", "hook", "run", "--models", "local"]);
        command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        command.spawn().expect("changes starts")
    };
    let mut drafts: Option<(String, String)> = None;
    for _ in 0..4 {
        std::fs::remove_dir_all(repo.root.join(".git/changes")).ok();
        let (main, second) = (spawn(&repo.root), spawn(&other));
        let main = Run::from(main.wait_with_output().expect("main run"));
        let second = Run::from(second.wait_with_output().expect("other run"));
        let pair = (main.success().to_string(), second.success().to_string());
        assert_eq!(drafts.get_or_insert_with(|| pair.clone()), &pair, "racing runs draft alike");
        for folder in [&repo.root, &other] {
            let again = run_in(&repo, folder);
            assert!(again.stderr.contains(REUSED), "{}", again.stderr);
        }
    }
}

#[test]
fn hook_install_trains_the_profile_so_the_first_commit_does_not_wait() {
    let mut repo = TestRepo::new();
    history(&repo, 10);
    let installed = repo.install_hooks();
    assert!(
        installed.stderr.contains("conventions: learned from 20 commits"),
        "{}",
        installed.stderr
    );
    let index = repo.root.join(".git/changes/conventions/index.log");
    let index_bytes = std::fs::metadata(&index).expect("the index is built").len();
    let profiles = kept(&repo);
    assert_eq!(profiles.len(), 1, "the profile is trained: {profiles:?}");
    let trained = std::fs::metadata(&profiles[0]).expect("profile").ino();

    let record = repo.record_editor();
    repo.stage("src/parser/mod.rs", "pub fn later() {}\n");
    repo.git(&["commit", "-q"]);
    let drafted = std::fs::read_to_string(record).expect("the editor ran");
    assert!(drafted.starts_with("feat(parser): "), "drafted from the profile: {drafted}");
    // Nothing indexed, and the profile read, not trained and written again (a write
    // replaces the file, so it would have another inode).
    assert_eq!(std::fs::metadata(&index).expect("index").len(), index_bytes);
    assert_eq!(kept(&repo), profiles);
    assert_eq!(std::fs::metadata(&profiles[0]).expect("profile").ino(), trained);
}
