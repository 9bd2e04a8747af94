//! A staged file holding one example of each secret kind, drafted by a model on a loopback
//! server: none of them may reach the server, and the user is told where they were.

use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "../../src/privacy/redact/tests/fakes.rs"]
#[allow(dead_code)]
mod fakes;

use fakes::*;

use crate::harness::{Run, TestRepo};

/// (kind, a realistic line of source holding the secret, the secret itself).
fn secret_lines() -> Vec<(&'static str, String, String)> {
    let pem = format!("{BEGIN_RSA}\n{PEM_LINE_1}\n{PEM_LINE_2}\n{END_RSA}");
    vec![
        (
            "AWS access key",
            format!("AWS_ACCESS_KEY_ID = \"{AWS_ACCESS_KEY_1}\""),
            AWS_ACCESS_KEY_1.to_string(),
        ),
        (
            "AWS secret key",
            format!("aws_secret_access_key = \"{AWS_SECRET_KEY_1}\""),
            AWS_SECRET_KEY_1.to_string(),
        ),
        (
            "Google API key",
            format!("const MAPS_KEY: &str = \"{GOOGLE_API_KEY_1}\";"),
            GOOGLE_API_KEY_1.to_string(),
        ),
        (
            "GitHub token",
            format!("github_token = \"{GITHUB_CLASSIC}\""),
            GITHUB_CLASSIC.to_string(),
        ),
        (
            "GitLab token",
            format!("let gitlab = \"{GITLAB_PERSONAL}\";"),
            GITLAB_PERSONAL.to_string(),
        ),
        ("Slack token", format!("slack_bot = \"{SLACK_BOT}\""), SLACK_BOT.to_string()),
        (
            "Slack webhook",
            format!("webhook = \"https://hooks.slack.com/services/{SLACK_WEBHOOK_PATH}\""),
            SLACK_WEBHOOK_PATH.to_string(),
        ),
        ("Stripe key", format!("stripe.api_key = \"{STRIPE_LIVE}\""), STRIPE_LIVE.to_string()),
        (
            "OpenAI key",
            format!("OPENAI_API_KEY = \"{OPENAI_PROJECT}\""),
            OPENAI_PROJECT.to_string(),
        ),
        ("Anthropic key", format!("anthropic_key = \"{ANTHROPIC_1}\""), ANTHROPIC_1.to_string()),
        ("Groq key", format!("groq = \"{GROQ}\""), GROQ.to_string()),
        ("JWT", format!("let session = \"{JWT_1}\";"), JWT_1.to_string()),
        ("private key", pem, PEM_LINE_1.to_string()),
        (
            "password in URL",
            format!("let url = \"postgres://app:{KUBERNETES_PASSWORD}@db.internal:5432/app\";"),
            KUBERNETES_PASSWORD.to_string(),
        ),
        (
            "high-entropy assignment",
            format!("let client_secret = \"{SECRET_BASE62_40}\";"),
            SECRET_BASE62_40.to_string(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_of_any_kind_reaches_the_server() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "feat: add configuration"}}]
        })))
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    let yaml = format!(
        "models:\n  - name: remote\n    provider: openai-compatible\n    model: m\n    base_url: {}/v1\ndefaults: [remote]\n",
        server.uri()
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("configuration");
    let lines = secret_lines();
    let source: String = lines.iter().map(|(_, line, _)| format!("{line}\n")).collect();
    repo.stage("src/settings.rs", &source);

    let mut command = repo.command(crate::harness::CHANGES);
    command.args(["hook", "run"]);
    let run = tokio::task::spawn_blocking(move || Run::from(command.output().expect("runs")))
        .await
        .expect("joined");
    assert_eq!(run.success(), "feat: add configuration\n");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent = String::from_utf8_lossy(&requests[0].body).into_owned();
    for (kind, _, secret) in &lines {
        assert!(!sent.contains(secret.as_str()), "the {kind} reached the server");
    }
    assert!(sent.contains("[REDACTED"), "the model is told something was there");
    assert!(sent.contains("src/settings.rs"));
    // The user is told where: one warning per secret, naming the file and line.
    assert!(run.stderr.contains("src/settings.rs:1: this looks like a"), "{}", run.stderr);
    assert!(
        run.stderr.lines().filter(|line| line.contains("src/settings.rs:")).count() >= lines.len(),
        "{}",
        run.stderr
    );
}
