//! Findings from models on loopback servers, each speaking its provider's real wire format
//! (OpenAI Chat Completions, Anthropic Messages, Gemini generateContent): asked for as JSON,
//! checked against the pushed diff, merged across models, and written as the review's
//! outputs.

use serde_json::{json, Value};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::TestRepo;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_models_raising_the_same_finding_become_one_and_outside_ones_are_flagged() {
    let mut repo = store_repo();
    let (gpt, claude, gemini) = agreeing_answers();
    let server = three_providers(&mut repo, &gpt, &claude, &gemini).await;
    let run = run_async(
        &repo,
        &[
            "hook",
            "run",
            "pre-push",
            "--range",
            "HEAD~1..HEAD",
            "--models",
            "gpt,claude,gemini-flash",
            "--format",
            "json",
        ],
    )
    .await;
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
