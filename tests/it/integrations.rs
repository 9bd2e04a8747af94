//! Fitting into other tools: JSON output of every data command, no ANSI escapes when output
//! is not a terminal, the help texts and completions (snapshots), the pre-commit framework,
//! and a husky-style `core.hooksPath`.

use std::process::Command;

use crate::harness::{make_executable, TestRepo, CHANGES};

fn json(repo: &TestRepo, arguments: &[&str]) -> serde_json::Value {
    let run = repo.changes(arguments);
    serde_json::from_str(run.success())
        .unwrap_or_else(|error| panic!("{arguments:?}: {error}: {}", run.stdout))
}

#[test]
fn every_data_command_speaks_json() {
    let repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    repo.install_hooks();
    repo.stage("src/lib.rs", "pub fn lib() {}\n");
    repo.stage("Cargo.lock", "# lock\n");

    let draft = json(&repo, &["hook", "run", "--format", "json"]);
    assert!(draft["subject"].as_str().is_some_and(|subject| !subject.is_empty()));
    assert_eq!(draft["answers"][0]["model"], "local");
    let files = draft["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "Cargo.lock");
    assert_eq!(files[0]["sent"], false);
    assert_eq!(files[0]["not_sent_because"], "lock file");

    let models = json(&repo, &["models", "--format", "json"]);
    assert!(models["models"]
        .as_array()
        .is_some_and(|models| models.iter().any(|model| model["name"] == "local")));

    let config = json(&repo, &["config", "show", "--format", "json"]);
    assert_eq!(config["settings"]["commit"]["style"], "conventional");
    assert_eq!(config["origins"]["commit.style"], "built-in default");

    let status = json(&repo, &["hook", "status", "--format", "json"]);
    assert_eq!(status["hooks"][0]["name"], "prepare-commit-msg");
    assert_eq!(status["hooks"][0]["state"], "installed");

    // The same output twice: ordering is deterministic.
    assert_eq!(
        repo.changes(&["models", "--format", "json"]).stdout,
        repo.changes(&["models", "--format", "json"]).stdout
    );
}

#[test]
fn no_escape_sequences_when_not_on_a_terminal() {
    let repo = TestRepo::new();
    repo.stage(".env", "TOKEN=x\n");
    repo.stage("a.rs", "pub fn a() {}\n");
    for arguments in [
        &["hook", "run", "-v"][..],
        &["models"],
        &["config", "show"],
        &["hook", "run", "--models", "nope"],
        &["--help"],
    ] {
        let run = repo.changes(arguments);
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'),
            "{arguments:?}: {run:?}"
        );
    }
    // Without NO_COLOR too: output captured by a pipe is not a terminal.
    let output = Command::new(CHANGES)
        .args(["hook", "run", "--models", "nope"])
        .current_dir(&repo.root)
        .env("HOME", &repo.home)
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&output.stderr).contains('\u{1b}'));
}

#[test]
fn help_texts_and_completions_are_stable() {
    let repo = TestRepo::new();
    for command in [
        vec!["--help"],
        vec!["hook", "--help"],
        vec!["hook", "install", "--help"],
        vec!["hook", "uninstall", "--help"],
        vec!["hook", "status", "--help"],
        vec!["hook", "run", "--help"],
        vec!["report", "--help"],
        vec!["eval", "--help"],
        vec!["models", "--help"],
        vec!["config", "--help"],
        vec!["config", "init", "--help"],
        vec!["completions", "--help"],
        vec!["trust", "--help"],
    ] {
        let run = repo.changes(&command);
        let name = format!(
            "help_{}",
            command.iter().filter(|word| **word != "--help").copied().collect::<Vec<_>>().join("_")
        );
        insta::assert_snapshot!(
            if name == "help_" { "help".to_string() } else { name },
            run.success()
        );
    }
    let bash = repo.changes(&["completions", "bash"]);
    insta::assert_snapshot!("completions_bash", bash.success());
}

#[test]
fn a_husky_style_hooks_path_gets_the_draft_through_the_documented_line() {
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    // What husky 9 writes: core.hooksPath = .husky/_, whose scripts run .husky/<hook>.
    let underscore = repo.path(".husky/_");
    std::fs::create_dir_all(&underscore).expect("husky folder");
    std::fs::write(underscore.join("h"), "#!/usr/bin/env sh\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n[ ! -f \"$s\" ] && exit 0\nsh -e \"$s\" \"$@\"\n").expect("h");
    std::fs::write(
        underscore.join("prepare-commit-msg"),
        "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n",
    )
    .expect("stub");
    make_executable(&underscore.join("prepare-commit-msg"));
    repo.git(&["config", "core.hooksPath", ".husky/_"]);
    let install = repo.changes(&["hook", "install", "--hook", "prepare-commit-msg"]);
    assert!(install.stderr.contains("belongs to husky"), "{}", install.stderr);
    assert!(
        install
            .stderr
            .contains(".husky/prepare-commit-msg: changes hook run prepare-commit-msg \"$@\""),
        "{}",
        install.stderr
    );
    // The documented integration: husky keeps its folder, the user's hook file calls changes.
    repo.changes(&["hook", "uninstall"]).success();
    let binary_folder =
        std::path::Path::new(CHANGES).parent().expect("folder").display().to_string();
    let path = format!("{binary_folder}:{}", std::env::var("PATH").unwrap_or_default());
    repo.set_env("PATH", &path);
    std::fs::write(
        repo.path(".husky/prepare-commit-msg"),
        "changes hook run prepare-commit-msg \"$@\"\n",
    )
    .expect("user hook");
    let record = repo.record_editor();
    repo.stage("src/a.rs", "pub fn a() {}\n");
    repo.git(&["commit", "-q"]);
    let shown = std::fs::read_to_string(record).expect("record");
    assert!(shown.contains("# changes: 1 of 1 models answered"), "{shown}");
}

#[test]
fn the_pre_commit_framework_installs_changes_and_the_draft_appears() {
    let repo = TestRepo::new();
    let venv = repo.home.join("venv");
    let created =
        Command::new("python3").args(["-m", "venv", venv.to_str().unwrap_or_default()]).output();
    if !created.as_ref().is_ok_and(|output| output.status.success()) {
        eprintln!("skipped: python3 -m venv is not available here");
        return;
    }
    let pip = venv.join("bin/pip");
    let installed = Command::new(&pip)
        .args(["install", "--quiet", "--disable-pip-version-check", "pre-commit"])
        .output();
    if !installed.as_ref().is_ok_and(|output| output.status.success()) {
        eprintln!("skipped: pip could not install pre-commit (no package registry?)");
        return;
    }
    // A repository holding this project's .pre-commit-hooks.yaml, as users would reference it.
    let hooks_repo = repo.home.join("changes-hooks");
    std::fs::create_dir_all(&hooks_repo).expect("folder");
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml");
    std::fs::copy(manifest, hooks_repo.join(".pre-commit-hooks.yaml")).expect("manifest");
    let git_in = |folder: &std::path::Path, arguments: &[&str]| {
        let output = repo.command("git").current_dir(folder).args(arguments).output().expect("git");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    git_in(&hooks_repo, &["init", "-q", "-b", "main"]);
    git_in(&hooks_repo, &["add", "."]);
    git_in(&hooks_repo, &["commit", "-q", "-m", "hooks"]);
    let revision = git_in(&hooks_repo, &["rev-parse", "HEAD"]);

    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {revision}\n    hooks:\n      - id: changes-draft\n",
            hooks_repo.display()
        ),
    );
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let binary_folder =
        std::path::Path::new(CHANGES).parent().expect("folder").display().to_string();
    let path = format!(
        "{}:{binary_folder}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |program: &str, arguments: &[&str]| {
        let mut command = repo.command(program);
        command
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", repo.home.join("pre-commit-cache"))
            .args(arguments);
        command.output().expect("runs")
    };
    let install = run("pre-commit", &["install", "--hook-type", "prepare-commit-msg"]);
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    let record = repo.home.join("editor-record.txt");
    let editor = repo.home.join("editor.sh");
    std::fs::write(&editor, format!("#!/bin/sh\ncat \"$1\" > '{}'\n", record.display()))
        .expect("editor");
    make_executable(&editor);
    repo.stage("src/a.rs", "pub fn a() {}\n");
    let commit = {
        let mut command = repo.command("git");
        command
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", repo.home.join("pre-commit-cache"))
            .env("GIT_EDITOR", &editor)
            .args(["commit", "-q"]);
        command.output().expect("git commit")
    };
    assert!(
        commit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
    let shown = std::fs::read_to_string(&record).expect("the editor saw the file");
    assert!(shown.contains("# changes: 1 of 1 models answered"), "{shown}");
    assert!(repo.message("HEAD").contains("a.rs") || !repo.message("HEAD").trim().is_empty());
}
