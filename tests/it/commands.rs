//! The binary end to end: `hook run` drafts, `models` lists, unfinished commands say so.

use crate::harness::TestRepo;

/// `type(scope): summary` or `type: summary`, as conventional commits define it.
fn is_conventional_subject(line: &str) -> bool {
    let pattern = regex::Regex::new(
        r"^(feat|fix|docs|test|ci|build|refactor|chore|style|perf)(\([a-z0-9._/-]+\))?!?: \S",
    )
    .expect("valid pattern");
    pattern.is_match(line) && line.chars().count() <= 72
}

#[test]
fn hook_run_drafts_a_conventional_subject_for_staged_changes() {
    let repo = TestRepo::new();
    repo.stage("src/config/mod.rs", "pub fn load() -> u32 {\n    1\n}\n\npub struct Settings;\n");
    repo.stage("src/config/layer.rs", "pub fn parse_layer() {}\n");
    let run = repo.changes(&["hook", "run"]);
    let draft = run.success();
    let subject = draft.lines().next().expect("a subject line");
    assert!(is_conventional_subject(subject), "not a conventional subject: {subject:?}");
}

#[test]
fn hook_run_on_the_first_commit_and_for_an_existing_commit() {
    let repo = TestRepo::new();
    repo.stage("README.md", "# Tool\n\n## Install\n\nRun it.\n");
    let first = repo.changes(&["hook", "run"]);
    assert!(is_conventional_subject(first.success().lines().next().unwrap_or_default()));
    repo.commit("docs: readme");
    let nothing = repo.changes(&["hook", "run"]);
    assert_eq!(nothing.code, 2);
    assert!(nothing.stderr.contains("nothing is staged"), "{}", nothing.stderr);
    assert!(nothing.stderr.contains("hint:"), "{}", nothing.stderr);
    let existing = repo.changes(&["hook", "run", "--rev", "HEAD"]);
    assert!(is_conventional_subject(existing.success().lines().next().unwrap_or_default()));
}

#[test]
fn dry_run_prints_what_would_be_sent_and_warns_about_secret_files() {
    let repo = TestRepo::new();
    repo.stage(".env", "TOKEN=DRYRUNSECRET\n");
    repo.stage("app.py", "def handler():\n    return 1\n");
    let run = repo.changes(&["hook", "run", "--dry-run"]);
    let text = run.success();
    assert!(text.contains("+def handler():"), "{text}");
    assert!(!text.contains("DRYRUNSECRET"));
    assert!(run.stderr.contains(".env may hold secrets"), "{}", run.stderr);
}

#[test]
fn unknown_models_are_an_error_naming_the_configured_ones() {
    let repo = TestRepo::new();
    repo.stage("a.txt", "a\n");
    let run = repo.changes(&["hook", "run", "--models", "nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no model named `nope`"), "{}", run.stderr);
    assert!(run.stderr.contains("local"), "{}", run.stderr);
}

#[test]
fn a_provider_that_cannot_be_reached_fails_with_one_line_and_never_leaks_the_key() {
    let mut repo = TestRepo::new();
    repo.set_env("OPENAI_API_KEY", "sk-test-not-a-real-key");
    // Nothing listens on port 9 of the loopback address: the connection is refused at once.
    repo.set_env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    repo.stage("a.txt", "a\n");
    let run = repo.changes(&["hook", "run", "--models", "gpt", "--timeout", "5s"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("gpt: failed: cannot connect"), "{}", run.stderr);
    assert!(run.stderr.contains("--models local"), "{}", run.stderr);
    assert!(!run.stderr.contains("sk-test-not-a-real-key"));
    let local = repo.changes(&["hook", "run", "--models", "local"]);
    assert!(!local.success().is_empty());
}

#[test]
fn models_lists_every_model_with_key_state_and_never_the_key() {
    let mut repo = TestRepo::new();
    repo.set_env("ANTHROPIC_API_KEY", "sk-ant-secret-value");
    let run = repo.changes(&["models"]);
    let table = run.success();
    assert!(table.starts_with("NAME"), "{table}");
    let claude = table.lines().find(|line| line.starts_with("claude ")).expect("claude row");
    assert!(
        claude.contains("claude-sonnet-5") && claude.contains("ANTHROPIC_API_KEY set"),
        "{claude}"
    );
    let gpt = table.lines().find(|line| line.starts_with("gpt ")).expect("gpt row");
    assert!(
        gpt.contains("missing: OPENAI_API_KEY") && gpt.contains("https://api.openai.com/v1"),
        "{gpt}"
    );
    assert!(table.lines().any(|line| line.starts_with("local ") && line.contains("not needed")));
    assert!(!table.contains("sk-ant-secret-value"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    let repo = TestRepo::new();
    for (shell, marker) in [
        ("bash", "_changes()"),
        ("zsh", "#compdef changes"),
        ("fish", "complete -c changes"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = repo.changes(&["completions", shell]);
        assert!(
            run.success().contains(marker),
            "{shell}: {}",
            &run.stdout[..run.stdout.len().min(200)]
        );
    }
    let unknown = repo.changes(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn a_hook_invocation_from_git_never_fails() {
    let repo = TestRepo::new();
    let message = repo.path(".git/COMMIT_EDITMSG");
    std::fs::write(&message, "keep me\n").expect("message file");
    let run =
        repo.changes(&["hook", "run", "prepare-commit-msg", message.to_str().unwrap_or_default()]);
    assert_eq!(run.code, 0);
    assert_eq!(std::fs::read_to_string(&message).expect("read"), "keep me\n");
}

#[test]
fn outside_a_repository_hook_run_explains() {
    let repo = TestRepo::new();
    std::fs::remove_dir_all(repo.path(".git")).expect("remove .git");
    let run = repo.changes(&["hook", "run"]);
    assert_eq!(run.code, 4);
    assert!(run.stderr.contains("not inside a git repository"), "{}", run.stderr);
}
