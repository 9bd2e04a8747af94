//! Findings from models on loopback servers, each speaking its provider's real wire format
//! (OpenAI Chat Completions, Anthropic Messages, Gemini generateContent): asked for as JSON,
//! checked against the pushed diff, merged across models, and written as the review's
//! outputs.

use serde_json::{json, Value};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Run, TestRepo};
use crate::push::{commit_file, pushed_repo, review_answer};
use crate::report::run_async;

/// The file the pushed commit adds: its lines 2 to 4 are the loop the models talk about.
pub(crate) const STORE: &str = "pub fn first(values: &[u32]) -> u32 {\n    let index = 0;\n    let value = values[index];\n    value\n}\n";

/// A pushed repository with one more commit adding `src/store.rs`.
pub(crate) fn store_repo() -> TestRepo {
    let repo = pushed_repo();
    commit_file(&repo, "src/store.rs", STORE, "Add a first-value helper");
    repo
}

/// A JSON review answer with `findings`, as the prompt asks for it (fenced, as models do).
pub(crate) fn json_review(verdict: &str, findings: Value) -> String {
    let review = json!({
        "summary": ["Adds a helper returning the first value"],
        "verdict": verdict,
        "explanation": "the helper indexes without a check",
        "findings": findings,
    });
    format!(
        "Here is my review.\n```json\n{}\n```\n",
        serde_json::to_string_pretty(&review).unwrap_or_default()
    )
}

/// One server answering for the built-in `gpt` (OpenAI), `claude` (Anthropic) and
/// `gemini-flash` (Gemini) with the given answers, and the variables pointing them at it.
pub(crate) async fn three_providers(
    repo: &mut TestRepo,
    gpt: &str,
    claude: &str,
    gemini: &str,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions")).respond_with(review_answer(gpt)).mount(&server).await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-5",
            "content": [{"type": "text", "text": claude}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 10, "output_tokens": 10}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1beta/models/gemini-3.5-flash:generateContent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "candidates": [{"content": {"role": "model", "parts": [{"text": gemini}]}, "finishReason": "STOP"}]
        })))
        .mount(&server)
        .await;
    repo.set_env("OPENAI_BASE_URL", &format!("{}/v1", server.uri()));
    repo.set_env("OPENAI_API_KEY", "sk-test-openai");
    repo.set_env("ANTHROPIC_BASE_URL", &server.uri());
    repo.set_env("ANTHROPIC_API_KEY", "sk-ant-test");
    repo.set_env("GEMINI_BASE_URL", &server.uri());
    repo.set_env("GEMINI_API_KEY", "gemini-test");
    server
}

/// The answers of the merge test: gpt and claude raise the same unchecked index in their own
/// words; gemini raises one on lines the push does not touch.
pub(crate) fn agreeing_answers() -> (String, String, String) {
    let gpt = json_review(
        "needs-changes",
        json!([{
            "title": "Indexing an empty slice panics",
            "body": "`values[index]` panics when `values` is empty.",
            "priority": "P1", "category": "bug", "confidence": 80,
            "path": "src/store.rs", "start_line": 3, "end_line": 3,
            "suggestion": "    let value = values.first().copied().unwrap_or(0);"
        }]),
    );
    let claude = json_review(
        "needs-changes",
        json!([{
            "title": "[P0] Slice indexing panics when empty",
            "body": "An empty input crashes the caller.",
            "priority": "P0", "category": "bug", "confidence": 0.9,
            "path": "b/src/store.rs", "lines": {"start": 2, "end": 3}
        }]),
    );
    let gemini = json_review(
        "ready",
        json!([
            {"title": "Old helper is slow", "priority": "P2", "category": "performance",
             "path": "src/store.rs", "start_line": 40, "end_line": 42},
            {"title": "README lacks a usage example", "priority": "P3", "category": "docs",
             "path": "docs/usage.md", "line": 1}
        ]),
    );
    (gpt, claude, gemini)
}

/// A pushed repository with gpt, claude and gemini on loopback servers giving the agreeing
/// answers, reviewed with `hook run pre-push --range HEAD~1..HEAD --format FORMAT`.
async fn three_reviews(format: &str) -> (TestRepo, MockServer, Run) {
    let mut repo = store_repo();
    let (gpt, claude, gemini) = agreeing_answers();
    let server = three_providers(&mut repo, &gpt, &claude, &gemini).await;
    let arguments = ["hook", "run", "pre-push", "--range", "HEAD~1..HEAD"];
    let models = ["--models", "gpt,claude,gemini-flash", "--format", format];
    let run = run_async(&repo, &[&arguments[..], &models[..]].concat()).await;
    (repo, server, run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_models_raising_the_same_finding_become_one_and_outside_ones_are_flagged() {
    let (_repo, server, run) = three_reviews("json").await;
    let value: Value = serde_json::from_str(run.success()).expect("json on stdout");
    let range = &value["ranges"][0];
    let findings = range["findings"].as_array().expect("merged findings");
    let inside: Vec<&Value> =
        findings.iter().filter(|finding| finding["outside_diff"] == false).collect();
    assert_eq!(inside.len(), 1, "{findings:#?}");
    let merged = inside[0];
    assert_eq!(merged["raised_by"], json!(["gpt", "claude"]), "{merged:#}");
    assert_eq!(merged["priority"], "p0", "the most severe of the two");
    assert_eq!(merged["confidence"], 90);
    assert_eq!(merged["path"], "src/store.rs");
    assert_eq!(merged["lines"], json!({"start": 3, "end": 3}));
    assert_eq!(
        merged["suggestion"], "    let value = values.first().copied().unwrap_or(0);",
        "kept from the model that wrote one"
    );
    let outside: Vec<&Value> =
        findings.iter().filter(|finding| finding["outside_diff"] == true).collect();
    assert_eq!(outside.len(), 2, "{findings:#?}");
    assert!(outside.iter().all(|finding| finding["raised_by"] == json!(["gemini-flash"])));
    assert_eq!(range["verdict"], "needs-changes");
    let gemini_review = &range["models"][2]["review"];
    assert_eq!(gemini_review["verdict"], "ready");
    assert_eq!(gemini_review["findings"].as_array().map(Vec::len), Some(2));

    // Every model was asked for the structured format.
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 3);
    for request in &received {
        let body = String::from_utf8_lossy(&request.body);
        assert!(body.contains("start_line") && body.contains("P0"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_answering_in_the_older_text_form_still_gives_findings() {
    let mut repo = store_repo();
    let text = "Summary:\n- Adds a helper\n\nRisks:\n- [high] src/store.rs:3: indexing panics on an empty slice\n";
    let (_, claude, _) = agreeing_answers();
    let _server = three_providers(&mut repo, text, &claude, "not a review at all").await;
    let run = run_async(
        &repo,
        &[
            "hook",
            "run",
            "pre-push",
            "--range",
            "HEAD~1..HEAD",
            "--models",
            "gpt,claude",
            "--format",
            "json",
        ],
    )
    .await;
    let value: Value = serde_json::from_str(run.success()).expect("json on stdout");
    let findings = value["ranges"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["raised_by"], json!(["gpt", "claude"]));
    assert_eq!(findings[0]["lines"], json!({"start": 3, "end": 3}));
}

/// The published SARIF 2.1.0 schema (see tests/data/README.md for where it came from).
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// The schema's complaints about `log`, one line each.
fn schema_errors(log: &Value) -> Vec<String> {
    sarif_validator()
        .iter_errors(log)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

#[test]
fn the_validator_rejects_what_is_not_sarif() {
    let errors = schema_errors(&json!({"version": "2.1.0", "runs": [{"results": []}]}));
    assert!(!errors.is_empty(), "a run without a tool is not SARIF");
    assert!(!schema_errors(&json!({"version": "3", "runs": []})).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sarif_output_validates_and_holds_each_finding_inside_the_change() {
    let (_repo, _server, run) = three_reviews("sarif").await;
    let log: Value = serde_json::from_str(run.success()).expect("SARIF is JSON");
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "outside findings are left out: {results:#?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "bug");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/store.rs");
    assert_eq!(location["region"], json!({"startLine": 3, "endLine": 3}));
    assert_eq!(result["properties"]["raisedBy"], json!(["gpt", "claude"]));
    assert_eq!(result["properties"]["priority"], "P0");
    let replacement = &result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["insertedContent"]["text"],
        "    let value = values.first().copied().unwrap_or(0);"
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules[0]["id"], "bug");
}

#[test]
fn sarif_is_refused_where_there_is_no_review() {
    let repo = store_repo();
    let run = repo.changes(&["models", "--format", "sarif"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("are only for the push review"), "{}", run.stderr);
}

#[test]
fn an_empty_review_is_valid_sarif_too() {
    let repo = pushed_repo();
    commit_file(&repo, "notes.txt", "hello\n", "Add notes");
    let run = repo.changes(&[
        "hook",
        "run",
        "pre-push",
        "--range",
        "HEAD~1..HEAD",
        "--models",
        "local",
        "--format",
        "sarif",
    ]);
    let log: Value = serde_json::from_str(run.success()).expect("SARIF is JSON");
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert_eq!(log["runs"][0]["results"], json!([]));

    // A range with nothing to review still gives each format a document, not empty output.
    let nothing = ["hook", "run", "pre-push", "--range", "HEAD..HEAD", "--models", "local"];
    let sarif = repo.changes(&[&nothing[..], &["--format", "sarif"]].concat());
    let log: Value = serde_json::from_str(sarif.success()).expect("SARIF for an empty range");
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    let json = repo.changes(&[&nothing[..], &["--format", "json"]].concat());
    let value: Value = serde_json::from_str(json.success()).expect("JSON for an empty range");
    assert_eq!(value["ranges"], json!([]));
    let rdjson = repo.changes(&[&nothing[..], &["--format", "rdjson"]].concat());
    let _: Value = serde_json::from_str(rdjson.success()).expect("rdjson for an empty range");
}

/// A pushed repository whose user configuration asks one OpenAI-compatible model on a
/// loopback server, answering `answer`, with `push.block: block`.
async fn policy_repo(block: &str, answer: &str) -> (TestRepo, MockServer) {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(review_answer(answer))
        .mount(&server)
        .await;
    let repo = store_repo();
    crate::push::configure(&repo, &server, block, "10s");
    commit_file(&repo, "src/more.rs", "pub fn more() -> u32 {\n    1\n}\n", "Add more");
    (repo, server)
}

/// One finding of `priority` on the lines `src/more.rs` adds.
fn one_finding(priority: &str, title: &str) -> String {
    json_review(
        "needs-changes",
        json!([{"title": title, "priority": priority, "category": "bug", "confidence": 70,
                "path": "src/more.rs", "start_line": 2, "end_line": 2}]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_p0_finding_stops_a_push_and_the_message_names_it_and_the_way_past() {
    let (repo, _server) = policy_repo("p1", &one_finding("P0", "Returns a constant")).await;
    let (push, _) = crate::push::git_push(&repo).await;
    assert_ne!(push.code, 0, "the policy stops the push: {}", push.stderr);
    assert!(push.stderr.contains("push stopped by push.block: p1"), "{}", push.stderr);
    assert!(
        push.stderr.contains("blocking: [P0] src/more.rs:2: Returns a constant — reviewer"),
        "names the finding, its place and its model: {}",
        push.stderr
    );
    assert!(push.stderr.contains("git push --no-verify"), "{}", push.stderr);
    assert_ne!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
    // The way past works.
    let past = repo.git_output(&["push", "--no-verify", "origin", "main"]);
    assert_eq!(past.code, 0, "{}", past.stderr);
    assert_eq!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_p2_finding_under_threshold_p1_lets_the_push_through() {
    let (repo, _server) = policy_repo("p1", &one_finding("P2", "Could be const")).await;
    let (push, _) = crate::push::git_push(&repo).await;
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(push.stderr.contains("[P2] src/more.rs:2: Could be const"), "{}", push.stderr);
    assert!(!push.stderr.contains("push stopped"), "{}", push.stderr);
    assert_eq!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn threshold_p2_stops_that_same_p2_and_a_finding_outside_the_diff_never_blocks() {
    let (repo, _server) = policy_repo("p2", &one_finding("P2", "Could be const")).await;
    let (push, _) = crate::push::git_push(&repo).await;
    assert_ne!(push.code, 0, "p2 or worse blocks: {}", push.stderr);
    assert!(push.stderr.contains("push stopped by push.block: p2"), "{}", push.stderr);

    let outside = json_review(
        "needs-changes",
        json!([{"title": "Old code is broken", "priority": "P0", "category": "bug",
                "path": "src/more.rs", "start_line": 90, "end_line": 91}]),
    );
    let (repo, _server) = policy_repo("p3", &outside).await;
    let (push, _) = crate::push::git_push(&repo).await;
    assert_eq!(push.code, 0, "a finding outside the pushed change never blocks: {}", push.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_sequences_written_as_json_escapes_never_reach_the_terminal_or_the_report() {
    let mut repo = store_repo();
    // JSON escapes decode to control characters only after the answer's text was cleaned.
    let hostile = r#"{"summary": ["Adds \u001b]8;;https://evil.test\u0007a link"], "findings": [{"title": "Bad \u001b[2J\u001b[31mred\u202e title", "body": "body \u009b31m", "priority": "P1", "path": "src/store.rs", "start_line": 3, "suggestion": "x\u001b[0m"}]}"#;
    let _server = three_providers(&mut repo, hostile, hostile, hostile).await;
    let run = run_async(
        &repo,
        &["hook", "run", "pre-push", "--range", "HEAD~1..HEAD", "--models", "gpt"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("[P1] src/store.rs:3: Bad red title"), "{}", run.stderr);
    let report = crate::push::reports(&repo).pop().expect("report");
    let markdown = std::fs::read_to_string(report).expect("report");
    let sarif = run_async(
        &repo,
        &[
            "hook",
            "run",
            "pre-push",
            "--range",
            "HEAD~1..HEAD",
            "--models",
            "gpt",
            "--format",
            "sarif",
        ],
    )
    .await;
    for (what, text) in [("stderr", &run.stderr), ("report", &markdown)] {
        assert!(
            !text
                .chars()
                .any(|c| c == '\u{1b}' || c == '\u{9b}' || c == '\u{202e}' || c == '\u{7}'),
            "{what} holds a control character: {text:?}"
        );
    }
    // SARIF is JSON: a control character could only appear escaped, and none should.
    assert!(!sarif.success().contains("\\u001b"), "{}", sarif.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rdjson_output_validates_and_gives_reviewdog_the_merged_finding_and_its_suggestion() {
    let (_repo, _server, run) = three_reviews("rdjson").await;
    let result: Value = serde_json::from_str(run.success()).expect("rdjson is JSON");
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/rdjson-DiagnosticResult.json"),
    )
    .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&result).map(|error| error.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!validator.is_valid(&json!({"diagnostics": [{"severity": "LOUD"}]})), "it can fail");
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "outside findings are left out: {diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["severity"], "ERROR");
    assert_eq!(diagnostic["location"]["path"], "src/store.rs");
    assert_eq!(diagnostic["location"]["range"]["start"]["line"], 3);
    assert_eq!(diagnostic["source"]["name"], "gpt, claude");
    assert_eq!(
        diagnostic["suggestions"][0]["text"],
        "    let value = values.first().copied().unwrap_or(0);"
    );
}
