//! `changes eval` with network models that fail: every draft refused, every draft a server
//! error or past the deadline, and some drafts failing. The failures are reported (how many,
//! of what kind, the first error once), kept out of the shares, and never shown as a model
//! that had nothing to do.

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::harness::{Run, TestRepo};

/// Written into the README by the documentation commits, so that the server can tell them.
const DOCS_MARKER: &str = "Release-notes-marker";

/// Answers as an OpenAI-compatible server would, by model: `refused` with a 401 for a bad
/// key, `broken` with a 500, `slow` after the deadline, `flaky` with a 500 for the
/// documentation commits only, anything else with a draft. Errors have OpenAI's shape.
struct Failing;

impl Respond for Failing {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let asked = body.to_string();
        let error = |status: u16, message: &str, kind: &str, code: Value| {
            ResponseTemplate::new(status).set_body_json(json!({
                "error": {"message": message, "type": kind, "param": null, "code": code}
            }))
        };
        let server_error = || {
            error(
                500,
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                Value::Null,
            )
        };
        match body["model"].as_str().unwrap_or_default() {
            "refused" => error(
                401,
                "Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                json!("invalid_api_key"),
            ),
            "broken" => server_error(),
            "flaky" if asked.contains(DOCS_MARKER) => server_error(),
            model => {
                let draft = ResponseTemplate::new(200).set_body_json(json!({
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "feat(core): add a step"}}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}
                }));
                if model == "slow" {
                    draft.set_delay(std::time::Duration::from_secs(10))
                } else {
                    draft
                }
            }
        }
    }
}

/// A history that alternates a code change and a documentation change, `rounds` times.
fn history(repo: &TestRepo, rounds: usize) {
    for round in 0..rounds {
        repo.stage("src/lib.rs", format!("pub fn step() -> usize {{\n    {round}\n}}\n"));
        repo.commit(&format!("feat(core): add step {round}"));
        repo.stage("README.md", format!("# App\n\n{DOCS_MARKER} {round}.\n"));
        repo.commit(&format!("docs: describe step {round}"));
    }
}

/// The user's configuration: one OpenAI-compatible model on `server` per name.
fn configure(repo: &TestRepo, server: &MockServer, names: &[&str]) {
    let mut yaml = String::from("models:\n");
    for name in names {
        yaml.push_str(&format!(
            "  - name: {name}\n    provider: openai-compatible\n    model: {name}\n    base_url: {}/v1\n",
            server.uri()
        ));
    }
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
}

async fn run(repo: &TestRepo, arguments: &[&str]) -> Run {
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(arguments);
    let output =
        tokio::task::spawn_blocking(move || command.output().expect("runs")).await.expect("joined");
    Run::from(output)
}

fn model<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["models"]
        .as_array()
        .and_then(|models| models.iter().find(|model| model["model"] == name))
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eval_reports_models_whose_drafts_fail_and_why() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(Failing)
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    history(&repo, 3);
    configure(&repo, &server, &["refused", "broken", "flaky", "slow"]);
    // The newest three: docs, feat, docs.
    let all = "local,refused,broken,flaky,slow";
    let done = run(
        &repo,
        &["eval", "--last", "3", "--models", all, "--yes", "--timeout", "2s", "--format", "json"],
    )
    .await;
    let report: Value = serde_json::from_str(done.success()).expect("json");
    assert_eq!(report["commits"], 3);

    let local = model(&report, "local");
    assert_eq!(local["all"]["commits"], 3, "{local}");
    assert_eq!(local["all"]["failures"], 0, "{local}");
    assert!(local["first_failure"].is_null(), "{local}");

    for (name, kind, said) in [
        ("refused", "unauthorized", "Incorrect API key provided"),
        ("broken", "server", "The server had an error"),
        ("slow", "timeout", ""),
    ] {
        let figures = model(&report, name);
        assert_eq!(figures["all"]["commits"], 0, "{figures}");
        assert_eq!(figures["all"]["failures"], 3, "{figures}");
        assert_eq!(figures["failure_kinds"], json!([{"kind": kind, "count": 3}]), "{figures}");
        let first = &figures["first_failure"];
        assert_eq!(first["kind"], kind, "{figures}");
        assert!(first["message"].as_str().is_some_and(|message| message.contains(said)), "{first}");
        assert!(
            done.stderr.contains(&format!("{name}: every draft failed (3), nothing was measured")),
            "{}",
            done.stderr
        );
    }
    // A refused key is asked once, never retried, and not asked again for later drafts.
    let requests = server.received_requests().await.expect("recorded");
    let refused = requests
        .iter()
        .filter(|request| {
            serde_json::from_slice::<Value>(&request.body)
                .is_ok_and(|body| body["model"] == "refused")
        })
        .count();
    assert_eq!(refused, 1);
    let oldest = &report["replayed"][2]["drafts"];
    let unsent = oldest
        .as_array()
        .and_then(|drafts| drafts.iter().find(|draft| draft["model"] == "refused"))
        .expect("refused's draft");
    assert_eq!(unsent["error"]["kind"], "unauthorized", "{unsent}");
    assert!(
        unsent["error"]["message"]
            .as_str()
            .is_some_and(|message| message.starts_with("not asked: the first draft failed")),
        "{unsent}"
    );
    let flaky = model(&report, "flaky");
    assert_eq!(flaky["all"]["commits"], 1, "{flaky}");
    assert_eq!(flaky["all"]["failures"], 2, "{flaky}");
    // The failed drafts are not misses: the one written is the whole of the share.
    assert_eq!(flaky["all"]["type_commits"], 1, "{flaky}");
    assert_eq!(flaky["all"]["type_match"], 1.0, "{flaky}");
    assert_eq!(flaky["first_failure"]["kind"], "server", "{flaky}");
    let newest = &report["replayed"][0];
    assert_eq!(newest["subject"], "docs: describe step 2");
    let flaky_draft = newest["drafts"]
        .as_array()
        .and_then(|drafts| drafts.iter().find(|draft| draft["model"] == "flaky"))
        .expect("flaky's draft");
    assert!(flaky_draft["subject"].is_null(), "{flaky_draft}");
    assert_eq!(flaky_draft["error"]["kind"], "server", "{flaky_draft}");
    assert!(!done.stderr.contains("flaky: every draft failed"), "{}", done.stderr);

    // The table says the same to a person, with each first error once.
    let text =
        run(&repo, &["eval", "--last", "3", "--models", "local,refused,flaky", "--yes"]).await;
    let table = text.success();
    assert!(table.contains("not as a miss"), "{table}");
    let row = |name: &str| {
        table
            .lines()
            .find(|line| line.starts_with(name) && line.contains(" all "))
            .map(|line| line.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
    };
    assert_eq!(row("refused").as_deref(), Some("refused all 0 3"), "{table}");
    assert_eq!(row("flaky").as_deref(), Some("flaky all 1 2"), "{table}");
    assert_eq!(row("local").as_deref(), Some("local all 3 0"), "{table}");
    assert!(
        table.contains("refused: every draft failed, nothing was measured (unauthorized 3)"),
        "{table}"
    );
    assert_eq!(table.matches("Incorrect API key provided").count(), 1, "{table}");
    assert!(table.contains("flaky: 2 of 3 drafts failed (server 2)"), "{table}");
    assert_eq!(table.matches("The server had an error").count(), 1, "{table}");
}
