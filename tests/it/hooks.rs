//! The hooks through git itself: `changes hook install` into temporary repositories, then real
//! `git commit`, `git merge`, `git rebase` and `git push`, asserting on the files git reads and
//! writes and on exit codes.

use std::fs;

use crate::harness::{make_executable, TestRepo, CHANGES};

/// The marker line our comment block starts with.
const BLOCK: &str = "# changes: ";

fn read(path: &std::path::Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

/// A repository with one commit, hooks installed, and an editor that records what it shows.
fn repo_with_hooks() -> (TestRepo, std::path::PathBuf) {
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let record = repo.record_editor();
    repo.install_hooks();
    (repo, record)
}

#[test]
fn a_plain_commit_opens_the_editor_with_the_draft_above_gits_comments() {
    let (repo, record) = repo_with_hooks();
    repo.stage("src/parser.rs", "pub fn parse(input: &str) -> usize {\n    input.len()\n}\n");
    repo.git(&["commit", "-q"]);
    let shown = read(&record);
    let subject = shown.lines().next().expect("a first line");
    assert!(!subject.is_empty() && !subject.starts_with('#'), "{shown}");
    let draft_at = shown.find(subject).expect("draft");
    let block_at = shown.find(BLOCK).expect("our comment block");
    let git_at = shown.find("# Please enter the commit message").expect("git's comments");
    assert!(draft_at < block_at && block_at < git_at, "{shown}");
    assert!(shown.contains("1 of 1 models answered"), "{shown}");
    assert_eq!(repo.message("HEAD").lines().next(), Some(subject));
    assert!(!repo.message("HEAD").contains("changes:"), "comments are stripped by git");
}

#[test]
fn messages_given_on_the_command_line_are_kept_exactly() {
    let (repo, record) = repo_with_hooks();
    repo.stage("a.txt", "a\n");
    repo.git(&["commit", "-q", "-m", "mine"]);
    assert_eq!(repo.message("HEAD"), "mine\n\n");
    assert_eq!(read(&record), "", "no editor for -m");
    repo.stage("b.txt", "b\n");
    fs::write(repo.home.join("message.txt"), "from a file\n").expect("message file");
    let file = repo.home.join("message.txt");
    repo.git(&["commit", "-q", "-F", file.to_str().unwrap_or_default()]);
    assert_eq!(repo.message("HEAD"), "from a file\n\n");
}

#[test]
fn amend_merge_and_squash_leave_the_message_untouched() {
    let (repo, record) = repo_with_hooks();
    repo.stage("a.txt", "a\n");
    repo.git(&["commit", "-q", "-m", "first message"]);
    repo.stage("a.txt", "a\nmore\n");
    repo.git(&["commit", "-q", "--amend"]);
    assert_eq!(repo.message("HEAD"), "first message\n\n");
    assert!(!read(&record).contains(BLOCK), "{}", read(&record));

    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.stage("feature.txt", "feature\n");
    repo.git(&["commit", "-q", "-m", "feature work"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main\n");
    repo.git(&["commit", "-q", "-m", "main work"]);
    repo.git(&["merge", "-q", "--no-ff", "--edit", "feature"]);
    assert_eq!(repo.message("HEAD"), "Merge branch 'feature'\n\n");

    repo.git(&["checkout", "-q", "-b", "squashed", "HEAD~1"]);
    repo.git(&["merge", "-q", "--squash", "feature"]);
    repo.git(&["commit", "-q"]);
    let squash = repo.message("HEAD");
    assert!(squash.starts_with("Squashed commit of the following:"), "{squash}");
    assert!(!read(&record).contains(BLOCK), "{}", read(&record));
}

#[test]
fn an_interactive_rebase_rewording_three_commits_adds_no_draft() {
    let (mut repo, record) = repo_with_hooks();
    for name in ["one", "two", "three"] {
        repo.stage(&format!("{name}.txt"), format!("{name}\n"));
        repo.git(&["commit", "-q", "-m", &format!("commit {name}")]);
    }
    repo.set_env("GIT_SEQUENCE_EDITOR", "sed -i s/^pick/reword/");
    repo.git(&["rebase", "-q", "-i", "HEAD~3"]);
    let log = repo.git(&["log", "--format=%s", "-3"]);
    assert_eq!(log, "commit three\ncommit two\ncommit one\n");
    let shown = read(&record);
    assert_eq!(shown.matches("=====").count(), 3, "the editor opened once per commit: {shown}");
    assert!(!shown.contains(BLOCK), "{shown}");
}

#[test]
fn templates_comment_characters_and_verbose_commits_get_correct_files() {
    let (repo, record) = repo_with_hooks();
    let template = repo.home.join("template.txt");
    fs::write(&template, "Ticket: ABC-123\n").expect("template");
    repo.git(&["config", "commit.template", template.to_str().unwrap_or_default()]);
    repo.git(&["config", "core.commentChar", ";"]);
    repo.stage("lib.py", "def handler():\n    return 1\n");
    repo.git(&["commit", "-q", "-v"]);
    let shown = read(&record);
    let block_at = shown.find("; changes: ").unwrap_or_else(|| panic!("block with ';':\n{shown}"));
    let template_at = shown.find("Ticket: ABC-123").expect("template kept");
    let scissors_at = shown.find("; ------------------------ >8").expect("scissors");
    assert!(block_at < template_at && template_at < scissors_at, "{shown}");
    assert_eq!(shown.matches("Ticket: ABC-123").count(), 1, "{shown}");
    assert!(!shown.contains("\n# "), "no '#' comments when the comment character is ';':\n{shown}");
    let message = repo.message("HEAD");
    assert!(message.contains("Ticket: ABC-123"), "{message}");
    assert_eq!(message.lines().next(), shown.lines().next());
}

#[test]
fn a_second_run_on_the_same_file_adds_no_second_draft() {
    let (repo, _) = repo_with_hooks();
    repo.stage("a.rs", "pub fn a() {}\n");
    let file = repo.home.join("COMMIT_EDITMSG");
    fs::write(&file, "\n# Please enter the commit message\n").expect("file");
    let path = file.to_str().unwrap_or_default();
    repo.changes(&["hook", "run", "prepare-commit-msg", path]).success();
    let once = read(&file);
    assert_eq!(once.matches(BLOCK).count(), 1, "{once}");
    repo.changes(&["hook", "run", "prepare-commit-msg", path]).success();
    assert_eq!(read(&file), once);
}

#[test]
fn foreign_hooks_keep_running_and_uninstall_restores_them_byte_for_byte() {
    let repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let hooks = repo.path(".git/hooks");
    let prepare =
        "#!/bin/sh\n# the user's own hook\necho \"prepare $2\" >> \"$HOME/prepare-ran\"\n";
    let push = "#!/bin/sh\nwhile read local_ref local_sha remote_ref remote_sha; do\n  echo \"$local_ref\" >> \"$HOME/push-ran\"\ndone\nexit 1\n";
    fs::write(hooks.join("prepare-commit-msg"), prepare).expect("hook");
    fs::write(hooks.join("pre-push"), push).expect("hook");
    make_executable(&hooks.join("prepare-commit-msg"));
    make_executable(&hooks.join("pre-push"));

    let installed = repo.install_hooks();
    assert!(installed.stderr.contains("still runs first"), "{}", installed.stderr);
    assert!(hooks.join("pre-push.changes-legacy").exists());

    repo.stage("a.txt", "a\n");
    repo.git(&["commit", "-q", "-m", "with legacy"]);
    assert_eq!(read(&repo.home.join("prepare-ran")), "prepare message\n");

    let remote = repo.home.join("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap_or_default()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap_or_default()]);
    let push_run = repo.git_output(&["push", "-q", "origin", "main"]);
    assert_ne!(push_run.code, 0, "the user's failing pre-push still stops the push");
    assert_eq!(read(&repo.home.join("push-ran")), "refs/heads/main\n", "it read git's stdin");

    repo.changes(&["hook", "uninstall"]).success();
    assert_eq!(read(&hooks.join("prepare-commit-msg")), prepare);
    assert_eq!(read(&hooks.join("pre-push")), push);
    assert!(!hooks.join("pre-push.changes-legacy").exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(hooks.join("pre-push")).expect("restored").permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "run bit restored");
}

#[test]
fn a_custom_hooks_path_and_a_linked_worktree_get_working_hooks() {
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let record = repo.record_editor();
    repo.git(&["config", "core.hooksPath", "custom-hooks"]);
    let expected = repo.git(&["rev-parse", "--git-path", "hooks"]);
    repo.install_hooks();
    assert_eq!(expected.trim(), "custom-hooks");
    assert!(repo.path("custom-hooks/prepare-commit-msg").exists());
    assert!(!repo.path(".git/hooks/prepare-commit-msg").exists());
    repo.stage("a.rs", "pub fn a() {}\n");
    repo.git(&["commit", "-q"]);
    assert!(read(&record).contains(BLOCK), "{}", read(&record));

    repo.git(&["config", "--unset", "core.hooksPath"]);
    let worktree = repo.home.join("second");
    repo.git(&["worktree", "add", "-q", worktree.to_str().unwrap_or_default(), "-b", "side"]);
    let in_worktree = repo
        .command(CHANGES)
        .current_dir(&worktree)
        .args(["hook", "install"])
        .output()
        .expect("install from the worktree");
    assert!(in_worktree.status.success());
    assert!(
        repo.path(".git/hooks/prepare-commit-msg").exists(),
        "worktrees share the common hooks"
    );
    fs::write(worktree.join("b.rs"), "pub fn b() {}\n").expect("file");
    let git = |arguments: &[&str]| {
        let output =
            repo.command("git").current_dir(&worktree).args(arguments).output().expect("git");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    fs::remove_file(&record).expect("reset record");
    git(&["add", "b.rs"]);
    git(&["commit", "-q"]);
    assert!(read(&record).contains(BLOCK), "{}", read(&record));
}

#[test]
fn a_missing_binary_a_skip_switch_and_an_unwritable_file_never_stop_a_commit() {
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let record = repo.record_editor();
    // Install from a copy of the binary, then delete the copy: the stub must warn and go on.
    let copy = repo.home.join("bin/changes");
    fs::create_dir_all(copy.parent().expect("parent")).expect("bin folder");
    // Copied by `cp`, not `fs::copy`: a write descriptor held by this multi-threaded process
    // leaks into children that other tests fork meanwhile, and exec then fails with ETXTBSY.
    let copied = std::process::Command::new("cp").arg(CHANGES).arg(&copy).status();
    assert!(copied.expect("cp runs").success(), "copy binary");
    let installed =
        repo.command(copy.to_str().unwrap_or_default()).args(["hook", "install"]).output();
    assert!(installed.expect("install").status.success());
    fs::remove_file(&copy).expect("remove binary");
    let status = repo.changes(&["hook", "status"]);
    assert!(status.success().contains("that binary is missing"), "{}", status.stdout);
    repo.stage("a.txt", "a\n");
    let commit = repo.git_output(&["commit", "-q", "-m", "still commits"]);
    assert_eq!(commit.code, 0, "{}", commit.stderr);
    assert!(commit.stderr.contains("the changes binary is gone"), "{}", commit.stderr);
    assert_eq!(repo.message("HEAD"), "still commits\n\n");

    repo.install_hooks();
    repo.set_env("CHANGES_SKIP", "1");
    repo.stage("b.txt", "b\n");
    repo.git(&["commit", "-q", "--allow-empty-message"]);
    assert!(read(&record).contains("# Please enter"), "the editor opened");
    assert!(!read(&record).contains(BLOCK), "CHANGES_SKIP=1 turns the hook off");
    assert_eq!(repo.message("HEAD").trim(), "");
}

#[test]
fn a_message_file_that_cannot_be_read_or_written_is_a_warning_and_exit_0() {
    let repo = TestRepo::new();
    repo.stage("a.rs", "pub fn a() {}\n");
    // A file that cannot be written, even by root: the draft is not written, nothing breaks.
    let unwritable = repo.home.join("unwritable-message");
    // Opening /proc/self/stat for writing fails with EINVAL whoever asks.
    std::os::unix::fs::symlink("/proc/self/stat", &unwritable).expect("symlink");
    let run = repo.changes(&[
        "hook",
        "run",
        "prepare-commit-msg",
        unwritable.to_str().unwrap_or_default(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one warning line: {}", run.stderr);
    assert!(fs::symlink_metadata(&unwritable).expect("still there").file_type().is_symlink());
    let missing = repo.home.join("no/such/folder/COMMIT_EDITMSG");
    let run_missing =
        repo.changes(&["hook", "run", "prepare-commit-msg", missing.to_str().unwrap_or_default()]);
    assert_eq!(run_missing.code, 0);
    assert!(run_missing.stderr.contains("cannot read"), "{}", run_missing.stderr);
    assert!(!missing.exists());
    assert!(!repo.home.join("no").exists(), "no folder created");
}

#[test]
fn status_names_the_folder_the_hooks_and_the_models() {
    let (repo, _) = repo_with_hooks();
    let status = repo.changes(&["hook", "status"]);
    let text = status.success();
    assert!(text.contains(".git/hooks"), "{text}");
    assert!(text.contains("the default (core.hooksPath is not set)"), "{text}");
    assert!(text.contains("prepare-commit-msg: installed, calls"), "{text}");
    assert!(text.contains("local (local): no key needed"), "{text}");
    assert!(text.contains("claude (anthropic, default): no key (ANTHROPIC_API_KEY)"), "{text}");
    let again = repo.changes(&["hook", "install"]);
    assert!(again.stderr.contains("prepare-commit-msg: already installed"), "{}", again.stderr);
}
