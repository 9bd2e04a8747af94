//! Each adapter against a loopback server speaking that provider's wire format: the request
//! bodies and headers sent, and the outcome of every error class.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::failure::Failure;
use super::{provider, Model, Prompt};
use crate::config::ModelSettings;
use crate::env::Environment;

const KEY: &str = "test-key-0123456789";

/// A model of the built-in provider row `provider`, at `base_url`.
fn settings(provider: &str, model: &str, base_url: String) -> ModelSettings {
    ModelSettings {
        base_url: Some(base_url),
        ..ModelSettings::example("under-test", provider, model)
    }
}

fn environment() -> Environment {
    Environment::from_pairs(
        [
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "GEMINI_API_KEY",
            "GROQ_API_KEY",
            "DEEPSEEK_API_KEY",
        ]
        .map(|name| (name, KEY)),
    )
}

fn prompt() -> Prompt {
    Prompt {
        system: "You write commit messages.".into(),
        user: "diff".into(),
        max_output_tokens: 100,
        temperature: 0.2,
    }
}

async fn ask(settings: ModelSettings, deadline: Duration) -> Result<String, Failure> {
    let model = Model::new(settings, &environment());
    let client = super::http::client().expect("client");
    model.complete(&client, &prompt(), Instant::now() + deadline).await
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

fn openai_answer(content: Value, finish: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    }))
}

fn openai_error(
    status: u16,
    message: &str,
    kind: &str,
    param: Option<&str>,
    code: Option<&str>,
) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(
        json!({"error": {"message": message, "type": kind, "param": param, "code": code}}),
    )
}

#[tokio::test]
async fn openai_reasoning_models_get_max_completion_tokens_and_no_temperature() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(openai_answer(json!("feat: add x"), "stop"))
        .expect(1)
        .mount(&server)
        .await;
    let text =
        ask(settings("openai", "o4-mini", format!("{}/v1", server.uri())), Duration::from_secs(5))
            .await
            .expect("answer");
    assert_eq!(text, "feat: add x");
    let requests = server.received_requests().await.expect("recorded");
    let body = body_of(&requests[0]);
    assert_eq!(body["model"], "o4-mini");
    assert_eq!(body["messages"][0]["role"], "developer");
    assert_eq!(body["messages"][1], json!({"role": "user", "content": "diff"}));
    assert!(body["max_completion_tokens"].as_u64().is_some_and(|tokens| tokens >= 100));
    assert!(body.get("temperature").is_none() && body.get("max_tokens").is_none(), "{body}");
    assert_eq!(body["reasoning_effort"], "low");
}

#[tokio::test]
async fn openai_chat_models_get_a_system_message_and_temperature() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(json!("fix: y"), "stop"))
        .mount(&server)
        .await;
    ask(settings("openai", "gpt-4.1", format!("{}/v1", server.uri())), Duration::from_secs(5))
        .await
        .expect("answer");
    let body = body_of(&server.received_requests().await.expect("recorded")[0]);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["max_completion_tokens"], 100);
    assert!((body["temperature"].as_f64().unwrap_or_default() - 0.2).abs() < 1e-6);
}

#[tokio::test]
async fn an_unsupported_parameter_is_dropped_and_the_request_retried_once() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_error(
            400,
            "Unsupported parameter: 'temperature' is not supported with this model.",
            "invalid_request_error",
            Some("temperature"),
            Some("unsupported_parameter"),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(json!("feat: ok"), "stop"))
        .with_priority(2)
        .mount(&server)
        .await;
    let text =
        ask(settings("openai", "gpt-4.1", format!("{}/v1", server.uri())), Duration::from_secs(5))
            .await;
    assert_eq!(text.expect("answer"), "feat: ok");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(body_of(&requests[0]).get("temperature").is_some());
    assert!(body_of(&requests[1]).get("temperature").is_none());
}

#[tokio::test]
async fn unauthorized_and_missing_models_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_error(
            401,
            "Incorrect API key provided",
            "invalid_request_error",
            None,
            Some("invalid_api_key"),
        ))
        .mount(&server)
        .await;
    let model =
        Model::new(settings("openai", "gpt-4.1", format!("{}/v1", server.uri())), &environment());
    let client = super::http::client().expect("client");
    let failure = model
        .complete(&client, &prompt(), Instant::now() + Duration::from_secs(5))
        .await
        .expect_err("401");
    assert!(matches!(failure, Failure::Unauthorized { status: 401, .. }));
    assert!(
        model.explain(&failure).contains("check OPENAI_API_KEY"),
        "{}",
        model.explain(&failure)
    );
    assert!(!model.explain(&failure).contains(KEY));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);

    let retired = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_error(
            404,
            "The model `gpt-3` does not exist",
            "invalid_request_error",
            None,
            Some("model_not_found"),
        ))
        .mount(&retired)
        .await;
    let model =
        Model::new(settings("openai", "gpt-3", format!("{}/v1", retired.uri())), &environment());
    let failure = model
        .complete(&client, &prompt(), Instant::now() + Duration::from_secs(5))
        .await
        .expect_err("404");
    assert!(
        model.explain(&failure).contains("set models.under-test.model"),
        "{}",
        model.explain(&failure)
    );
    assert_eq!(retired.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn rate_limits_wait_only_when_retry_after_fits_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(
            openai_error(429, "Rate limit reached", "requests", None, Some("rate_limit_exceeded"))
                .insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(json!("feat: later"), "stop"))
        .with_priority(2)
        .mount(&server)
        .await;
    let started = Instant::now();
    let text =
        ask(settings("groq", "llama", format!("{}/v1", server.uri())), Duration::from_secs(5))
            .await;
    assert_eq!(text.expect("answer after waiting"), "feat: later");
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited as asked");

    let long = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(
            openai_error(429, "Rate limit reached", "requests", None, None)
                .insert_header("retry-after", "60"),
        )
        .mount(&long)
        .await;
    let started = Instant::now();
    let failure =
        ask(settings("groq", "llama", format!("{}/v1", long.uri())), Duration::from_secs(5)).await;
    assert!(matches!(failure, Err(Failure::RateLimited { .. })));
    assert!(started.elapsed() < Duration::from_secs(1), "no pointless wait");
    assert_eq!(long.received_requests().await.expect("recorded").len(), 1);

    let quota = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_error(
            429,
            "You exceeded your current quota",
            "insufficient_quota",
            None,
            Some("insufficient_quota"),
        ))
        .mount(&quota)
        .await;
    let failure =
        ask(settings("openai", "gpt-4.1", format!("{}/v1", quota.uri())), Duration::from_secs(5))
            .await;
    assert!(matches!(failure, Err(Failure::Quota { .. })));
    assert_eq!(quota.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(
            ResponseTemplate::new(500).set_body_string("<html><body>Internal error</body></html>"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(json!("fix: flaky"), "stop"))
        .with_priority(2)
        .mount(&server)
        .await;
    let text = ask(
        settings("deepseek", "deepseek-v4-flash", format!("{}/v1", server.uri())),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(text.expect("answer"), "fix: flaky");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn anthropic_speaks_messages_and_overload_is_retried_twice_at_most() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", KEY))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-5",
            "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"}, {"type": "text", "text": "feat: from claude"}],
            "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 1}
        })))
        .mount(&server)
        .await;
    let text =
        ask(settings("anthropic", "claude-sonnet-5", server.uri()), Duration::from_secs(5)).await;
    assert_eq!(text.expect("answer"), "feat: from claude");
    let body = body_of(&server.received_requests().await.expect("recorded")[0]);
    assert_eq!(body["system"], "You write commit messages.");
    assert_eq!(body["max_tokens"], 100);
    assert_eq!(body["messages"], json!([{"role": "user", "content": "diff"}]));

    let overloaded = MockServer::start().await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(529).set_body_json(json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})))
        .mount(&overloaded)
        .await;
    let failure =
        ask(settings("anthropic", "claude-sonnet-5", overloaded.uri()), Duration::from_secs(8))
            .await;
    assert!(matches!(failure, Err(Failure::Server { status: 529, .. })), "{failure:?}");
    assert_eq!(
        overloaded.received_requests().await.expect("recorded").len(),
        3,
        "one try and two retries"
    );
}

#[tokio::test]
async fn gemini_speaks_generate_content_and_reports_blocks_and_empty_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1beta/models/gemini-3.5-flash:generateContent"))
        .and(header("x-goog-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "candidates": [{"content": {"role": "model", "parts": [{"text": "thinking...", "thought": true}, {"text": "docs: from gemini"}]}, "finishReason": "STOP"}]
        })))
        .mount(&server)
        .await;
    let text =
        ask(settings("gemini", "gemini-3.5-flash", server.uri()), Duration::from_secs(5)).await;
    assert_eq!(text.expect("answer"), "docs: from gemini");
    let body = body_of(&server.received_requests().await.expect("recorded")[0]);
    assert_eq!(body["systemInstruction"]["parts"][0]["text"], "You write commit messages.");
    assert_eq!(body["contents"][0]["parts"][0]["text"], "diff");
    assert_eq!(body["generationConfig"]["maxOutputTokens"], 100);

    let blocked = MockServer::start().await;
    Mock::given(path("/v1beta/models/g:generateContent"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"promptFeedback": {"blockReason": "SAFETY"}})),
        )
        .mount(&blocked)
        .await;
    let failure = ask(settings("gemini", "g", blocked.uri()), Duration::from_secs(5)).await;
    assert_eq!(failure, Err(Failure::Blocked("SAFETY".into())));

    let empty = MockServer::start().await;
    Mock::given(path("/v1beta/models/g:generateContent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}]}),
        ))
        .mount(&empty)
        .await;
    let failure = ask(settings("gemini", "g", empty.uri()), Duration::from_secs(5)).await;
    assert!(
        matches!(failure, Err(Failure::Empty(ref detail)) if detail.contains("MAX_TOKENS")),
        "{failure:?}"
    );

    let limited = MockServer::start().await;
    Mock::given(path("/v1beta/models/g:generateContent"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"}]}})))
        .mount(&limited)
        .await;
    let failure = ask(settings("gemini", "g", limited.uri()), Duration::from_secs(5)).await;
    assert_eq!(failure, Err(Failure::RateLimited { retry_after: Some(Duration::from_secs(30)) }));
    assert_eq!(
        limited.received_requests().await.expect("recorded").len(),
        1,
        "30 s does not fit in 5 s"
    );
}

#[tokio::test]
async fn invalid_json_empty_content_and_content_filters_are_failures_not_panics() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"choices\": [{\"message\": "))
        .mount(&server)
        .await;
    let failure =
        ask(settings("openai", "gpt-4.1", format!("{}/v1", server.uri())), Duration::from_secs(5))
            .await;
    assert!(matches!(failure, Err(Failure::InvalidResponse(_))), "{failure:?}");

    let empty = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(Value::Null, "length"))
        .mount(&empty)
        .await;
    let failure =
        ask(settings("openai", "gpt-4.1", format!("{}/v1", empty.uri())), Duration::from_secs(5))
            .await;
    assert_eq!(failure, Err(Failure::Empty("finish_reason: length".into())));

    let filtered = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(Value::Null, "content_filter"))
        .mount(&filtered)
        .await;
    let failure = ask(
        settings("openai", "gpt-4.1", format!("{}/v1", filtered.uri())),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(failure, Err(Failure::Blocked("content_filter".into())));
}

#[tokio::test]
async fn a_response_that_never_finishes_ends_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(openai_answer(json!("late"), "stop").set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let failure = ask(
        settings("openai", "gpt-4.1", format!("{}/v1", server.uri())),
        Duration::from_millis(700),
    )
    .await;
    assert_eq!(failure, Err(Failure::Timeout));
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(700) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn compatible_servers_get_max_tokens_and_thinking_is_never_the_answer() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                "reasoning_content": "REASONING", "content": "<think>THINKING</think>\nrefactor: tidy"}}]
        })))
        .mount(&server)
        .await;
    let model = settings("ollama", "llama3.2", format!("{}/v1", server.uri()));
    let text = ask(model, Duration::from_secs(5)).await.expect("answer");
    assert_eq!(text.trim(), "refactor: tidy");
    let request = &server.received_requests().await.expect("recorded")[0];
    assert!(request.headers.get("authorization").is_none(), "no key for a local server");
    let body = body_of(request);
    assert_eq!(body["max_tokens"], 100);
    assert!(body.get("max_completion_tokens").is_none());
}

#[tokio::test]
async fn a_missing_key_fails_without_a_request() {
    let server = MockServer::start().await;
    let model = Model::new(
        settings("openai", "gpt-4.1", format!("{}/v1", server.uri())),
        &Environment::default(),
    );
    let client = super::http::client().expect("client");
    let failure = model.complete(&client, &prompt(), Instant::now() + Duration::from_secs(5)).await;
    assert_eq!(failure, Err(Failure::MissingKey("OPENAI_API_KEY".into())));
    assert!(server.received_requests().await.expect("recorded").is_empty());
}

#[test]
fn endpoints_come_from_the_model_then_the_rows_variable_then_its_public_url() {
    let none = Environment::default();
    let mut gpt = settings("openai", "gpt-5.5", String::new());
    gpt.base_url = None;
    assert_eq!(provider::base_url(&gpt, &none).as_deref(), Some("https://api.openai.com/v1"));
    let variable = Environment::from_pairs([("OPENAI_BASE_URL", "http://proxy.test/v1/")]);
    assert_eq!(provider::base_url(&gpt, &variable).as_deref(), Some("http://proxy.test/v1"));
    gpt.base_url = Some("http://own.test/v1/".into());
    assert_eq!(provider::base_url(&gpt, &variable).as_deref(), Some("http://own.test/v1"));

    // Ollama's variable names a server, scheme optional, and the API is under /v1.
    let mut ollama = settings("ollama", "llama3.2", String::new());
    ollama.base_url = None;
    assert_eq!(provider::base_url(&ollama, &none).as_deref(), Some("http://localhost:11434/v1"));
    for (host, url) in [
        ("127.0.0.1:9", "http://127.0.0.1:9/v1"),
        ("https://gpu.test:11434/", "https://gpu.test:11434/v1"),
    ] {
        let environment = Environment::from_pairs([("OLLAMA_HOST", host)]);
        assert_eq!(provider::base_url(&ollama, &environment).as_deref(), Some(url), "{host}");
    }

    let mut compatible = settings("openai-compatible", "qwen", String::new());
    compatible.base_url = None;
    assert_eq!(provider::base_url(&compatible, &none), None);
    let mut local = settings("local", "builtin", String::new());
    local.base_url = None;
    assert_eq!(provider::base_url(&local, &none), None);
}

#[test]
fn each_wire_format_names_its_own_key_header() {
    use crate::config::WireFormat;

    let header = |wire| provider::adapter(wire).map(|adapter| adapter.key_header("k").0);
    assert_eq!(header(WireFormat::Openai), Some("authorization"));
    assert_eq!(header(WireFormat::OpenaiCompatible), Some("authorization"));
    assert_eq!(header(WireFormat::Anthropic), Some("x-api-key"));
    assert_eq!(header(WireFormat::Gemini), Some("x-goog-api-key"));
    assert!(
        provider::adapter(WireFormat::Offline).is_none(),
        "the offline engine takes no requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ollama_probe_asks_the_server_of_the_row_for_the_model() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "models": [{"name": "llama3.2:latest"}, {"name": "qwen3:8b"}]
        })))
        .mount(&server)
        .await;
    let host = server.uri().trim_start_matches("http://").to_string();
    let environment = Environment::from_pairs([("OLLAMA_HOST", host)]);
    let mut model = settings("ollama", "llama3.2", String::new());
    model.base_url = None;
    let probe = |model: ModelSettings, environment: Environment| {
        tokio::task::spawn_blocking(move || provider::ollama_serves(&model, &environment))
    };
    assert!(probe(model.clone(), environment.clone()).await.expect("joined"));
    model.model = "mistral".into();
    assert!(!probe(model, environment).await.expect("joined"), "a model not pulled");
}

#[tokio::test]
async fn a_provider_row_from_a_user_file_needs_no_code() {
    use crate::config::{resolve, Layer, Origin, DEFAULT_YAML};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat/completions"))
        .and(header("authorization", "Bearer acme-key"))
        .respond_with(openai_answer(json!("feat: from acme"), "stop"))
        .expect(1)
        .mount(&server)
        .await;
    let user = "providers:\n  - name: acme\n    wire: openai-compatible\n    key_variables: [ACME_KEY]\n    base_url_variable: ACME_URL\n    model_defaults: {timeout: 5s, max_concurrency: 2, context_tokens: 4000}\nmodels:\n  - name: big\n    provider: acme\n    model: acme-big\n";
    let layers = [
        Layer::parse(DEFAULT_YAML.to_string(), Origin::Default).expect("defaults"),
        Layer::parse(user.to_string(), Origin::UserFile("config.yaml".into())).expect("user"),
    ];
    let (settings, _) = resolve(&layers).expect("loads");
    let environment = Environment::from_pairs([
        ("ACME_KEY".to_string(), "acme-key".to_string()),
        ("ACME_URL".to_string(), format!("{}/api", server.uri())),
    ]);
    let model = Model::new(settings.model("big").expect("big").clone(), &environment);
    let client = super::http::client().expect("client");
    let text = model.complete(&client, &prompt(), Instant::now() + Duration::from_secs(5)).await;
    assert_eq!(text.expect("answer"), "feat: from acme");
    let no_key =
        Environment::from_pairs([("ACME_URL".to_string(), format!("{}/api", server.uri()))]);
    let missing = Model::new(settings.model("big").expect("big").clone(), &no_key);
    let failure =
        missing.complete(&client, &prompt(), Instant::now() + Duration::from_secs(5)).await;
    assert_eq!(failure, Err(Failure::MissingKey("ACME_KEY".into())));
}
