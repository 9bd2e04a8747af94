//! Snapshots of what `changes` prints and writes, taken as it is today so that the redesign of
//! issue 12 is checked line by line rather than by `contains`: the push review (terminal,
//! markdown, JSON), the date-range report files, every `--format json` output and the text
//! outputs beside them. Filters replace what varies between runs (temporary folders, the
//! binary's path, ports, timestamps, durations); everything else, commit ids and JSON key
//! order included, is recorded exactly as printed.

use std::path::Path;

use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::findings::{agreeing_answers, store_repo, three_providers};
use crate::harness::{TestRepo, CHANGES};
use crate::push::{commit_file, pushed_repo, reports, review_answer};
use crate::report::{dated_repo, read, run_async};

/// Insta settings that replace what changes from one run to the next.
fn filters(repo: &TestRepo) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let folder = repo.root.parent().expect("the temporary folder holds the work tree");
    let mut literals: Vec<(String, &str)> = Vec::new();
    for (original, replacement) in [(folder, "[TEMP]"), (Path::new(CHANGES), "[CHANGES]")] {
        literals.push((original.display().to_string(), replacement));
        if let Ok(canonical) = original.canonicalize() {
            literals.push((canonical.display().to_string(), replacement));
        }
    }
    // Longest first: a canonical path may contain the other spelling (`/private/tmp/…`).
    literals.sort_by_key(|(literal, _)| std::cmp::Reverse(literal.len()));
    for (literal, replacement) in literals {
        settings.add_filter(&regex::escape(&literal), replacement);
    }
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "[TIMESTAMP]");
    settings.add_filter(r"\b\d{8}T\d{6}Z\b", "[TIMESTAMP]");
    // A second review in the same second gets `-2`: which one does depends on the clock.
    settings.add_filter(r"(push-\[TIMESTAMP\]-[0-9a-f]+)-\d+\.md", "$1.md");
    settings.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": [DURATION]"#);
    settings.add_filter(r#""latency_ms": \d+"#, r#""latency_ms": [DURATION]"#);
    settings.add_filter(r"\b\d+(?:\.\d+)? m?s\b", "[DURATION]");
    settings
}

/// The same arguments followed by `--format json`.
fn as_json<'a>(arguments: &[&'a str]) -> Vec<&'a str> {
    [arguments, &["--format", "json"]].concat()
}

/// A loopback server on which the built-in `gpt` answers `answer` and the built-in `claude`
/// is refused with a 401, and the variables that point both models at it.
async fn gpt_answers_and_claude_is_refused(repo: &mut TestRepo, answer: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(review_answer(answer))
        .mount(&server)
        .await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "error",
            "error": {"type": "authentication_error", "message": "invalid x-api-key"}
        })))
        .mount(&server)
        .await;
    repo.set_env("OPENAI_BASE_URL", &format!("{}/v1", server.uri()));
    repo.set_env("OPENAI_API_KEY", "sk-test-openai");
    repo.set_env("ANTHROPIC_BASE_URL", &server.uri());
    repo.set_env("ANTHROPIC_API_KEY", "sk-ant-test-refused");
    server
}

/// A pushed repository with two more commits that the built-in review has something to say
/// about: leftover debug code, a destructive migration, a secrets file and no test.
fn risky_commits() -> TestRepo {
    let repo = pushed_repo();
    commit_file(
        &repo,
        "src/debug.rs",
        "pub fn total(values: &[u32]) -> u32 {\n    dbg!(values.iter().sum())\n}\n",
        "Add a total helper",
    );
    repo.stage(".env", "DATABASE_URL=postgres://localhost/app\n");
    commit_file(&repo, "db/migrate.sql", "DROP TABLE users;\n", "Drop the users table");
    repo
}

/// The one report a review wrote.
fn only_report(repo: &TestRepo) -> String {
    let written = reports(repo);
    assert_eq!(written.len(), 1, "{written:?}");
    std::fs::read_to_string(&written[0]).expect("report")
}

#[test]
fn the_push_verdict_and_report_through_git_push() {
    let repo = risky_commits();
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("push_terminal", push.stderr);
    insta::assert_snapshot!("push_markdown", only_report(&repo));
}

#[test]
fn a_push_review_by_range_as_text_and_json() {
    let repo = risky_commits();
    let arguments = ["hook", "run", "pre-push", "--range", "HEAD~2..HEAD"];
    let text = repo.changes(&arguments);
    assert_eq!(text.success(), "");
    let json = repo.changes(&as_json(&arguments));
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("push_range_terminal", text.stderr);
    insta::assert_snapshot!("push_range_json", json.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_review_with_one_model_answering_and_one_refused() {
    let mut repo = risky_commits();
    let _server = gpt_answers_and_claude_is_refused(
        &mut repo,
        "Summary:\n- Drops the users table\n\nRisks:\n- [high] db/migrate.sql: drops the users table\n- [low] src/debug.rs: no test for total\n",
    )
    .await;
    let arguments =
        ["hook", "run", "pre-push", "--range", "HEAD~2..HEAD", "--models", "gpt,claude,local"];
    let text = run_async(&repo, &arguments).await;
    assert_eq!(text.success(), "");
    let markdown = only_report(&repo);
    let json = run_async(&repo, &as_json(&arguments)).await;
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("push_models_terminal", text.stderr);
    insta::assert_snapshot!("push_models_markdown", markdown);
    insta::assert_snapshot!("push_models_json", json.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_review_where_two_models_agree_and_one_points_outside_the_diff() {
    let mut repo = store_repo();
    let (gpt, claude, gemini) = agreeing_answers();
    let _server = three_providers(&mut repo, &gpt, &claude, &gemini).await;
    let arguments = [
        "hook",
        "run",
        "pre-push",
        "--range",
        "HEAD~1..HEAD",
        "--models",
        "gpt,claude,gemini-flash",
    ];
    let text = run_async(&repo, &arguments).await;
    assert_eq!(text.success(), "");
    let markdown = only_report(&repo);
    let sarif = run_async(&repo, &[&arguments[..], &["--format", "sarif"]].concat()).await;
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("push_findings_terminal", text.stderr);
    insta::assert_snapshot!("push_findings_markdown", markdown);
    insta::assert_snapshot!("push_findings_sarif", sarif.success());
}

/// A repository with one commit and two staged files, one of them a lock file.
fn staged_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    repo.stage("src/config.rs", "pub fn load() -> u32 {\n    1\n}\n\npub struct Settings;\n");
    repo.stage("Cargo.lock", "# lock\n");
    repo
}

#[test]
fn the_draft_as_text_and_json() {
    let repo = staged_repo();
    let text = repo.changes(&["hook", "run"]);
    let json = repo.changes(&as_json(&["hook", "run"]));
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("draft_text", text.success());
    insta::assert_snapshot!("draft_json", json.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_with_one_model_answering_and_one_refused() {
    let mut repo = staged_repo();
    let _server = gpt_answers_and_claude_is_refused(
        &mut repo,
        "feat(config): load the settings\n\n- Add `load` and the `Settings` type",
    )
    .await;
    let arguments = ["hook", "run", "--models", "gpt,claude,local"];
    let text = run_async(&repo, &arguments).await;
    let json = run_async(&repo, &as_json(&arguments)).await;
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("draft_models_text", text.success());
    insta::assert_snapshot!("draft_models_stderr", text.stderr);
    insta::assert_snapshot!("draft_models_json", json.success());
}

#[test]
fn the_model_table_as_text_and_json() {
    let mut repo = TestRepo::new();
    repo.set_env("ANTHROPIC_API_KEY", "sk-ant-test-present");
    let text = repo.changes(&["models"]);
    let json = repo.changes(&as_json(&["models"]));
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("models_text", text.success());
    insta::assert_snapshot!("models_json", json.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_check_with_one_model_answering_and_one_refused() {
    let mut repo = TestRepo::new();
    let _server = gpt_answers_and_claude_is_refused(&mut repo, "ok").await;
    let arguments = ["models", "--check", "--models", "gpt,claude,local"];
    let text = run_async(&repo, &arguments).await;
    assert_eq!(text.code, 5, "{}", text.stderr);
    // Today `--format json` prints the same text table.
    let json = run_async(&repo, &as_json(&arguments)).await;
    assert_eq!(json.code, 5, "{}", json.stderr);
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("models_check_text", text.stdout);
    insta::assert_snapshot!("models_check_json", json.stdout);
}

#[test]
fn hook_status_as_text_and_json() {
    let mut repo = TestRepo::new();
    repo.set_env("OPENAI_API_KEY", "sk-test-present");
    repo.install_hooks();
    let text = repo.changes(&["hook", "status"]);
    let json = repo.changes(&as_json(&["hook", "status"]));
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("hook_status_text", text.success());
    insta::assert_snapshot!("hook_status_json", json.success());
}

#[test]
fn config_show_with_every_layer_as_text_and_json() {
    let mut repo = TestRepo::new();
    let user_file = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(user_file.parent().expect("parent")).expect("folder");
    std::fs::write(&user_file, "commit:\n  max_subject: 60\n").expect("user file");
    repo.write(".changes.yaml", "commit:\n  style: plain\n");
    repo.set_env("CHANGES_EXCLUDE", "*.sql, fixtures/");
    let arguments = ["config", "show", "--timeout", "9s"];
    let text = repo.changes(&arguments);
    let json = repo.changes(&as_json(&arguments));
    let _filters = filters(&repo).bind_to_scope();
    insta::assert_snapshot!("config_show_text", text.success());
    insta::assert_snapshot!("config_show_json", json.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_date_range_report_files_and_json() {
    let mut repo = dated_repo();
    repo.git(&["remote", "add", "origin", "git@github.com:owner/project.git"]);
    let _server = gpt_answers_and_claude_is_refused(&mut repo, "unused").await;
    let out = repo.home.join("out");
    let out_text = out.display().to_string();
    let arguments = [
        "report",
        "--after",
        "2026-11-07",
        "--before",
        "2026-11-21",
        "--models",
        "local,claude",
        "--out",
        &out_text,
    ];
    let text = run_async(&repo, &arguments).await;
    let overview = read(&out, "overview.md");
    assert_eq!(text.success(), overview, "the overview is printed as written");
    let local = read(&out, "local.md");
    // Writes the same files again, and prints their paths instead of the overview.
    let json = run_async(&repo, &as_json(&arguments)).await;
    let mut settings = filters(&repo);
    // A model's output size is the length of its rendered file, whose "Duration:" line has as
    // many digits as the run took milliseconds.
    settings.add_filter(r#""bytes": \d+"#, r#""bytes": [BYTES]"#);
    let _filters = settings.bind_to_scope();
    insta::assert_snapshot!("report_overview", overview);
    insta::assert_snapshot!("report_local", local);
    insta::assert_snapshot!("report_json", json.success());
}
