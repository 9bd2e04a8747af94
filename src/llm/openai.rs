//! The OpenAI Chat Completions wire format, in its two dialects: as OpenAI itself speaks it
//! (reasoning models, the o-series and gpt-5 family, take `max_completion_tokens`, a
//! `developer` message and no `temperature`), and as Groq, DeepSeek, OpenRouter, Ollama,
//! Mistral and other compatible servers speak it (`max_tokens`, a `system` message).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::failure::{classify, Failure};
use super::http::{retry_after, Response};
use super::provider::Adapter;
use super::{strip_thinking, Prompt};

/// Chat Completions as OpenAI speaks it.
#[derive(Debug)]
pub(super) struct OpenAi;

/// Chat Completions as compatible servers speak it.
#[derive(Debug)]
pub(super) struct Compatible;

impl Adapter for OpenAi {
    fn url(&self, base: &str, _model: &str) -> String {
        url(base)
    }

    fn key_header(&self, key: &str) -> (&'static str, String) {
        bearer(key)
    }

    fn body(&self, model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
        // OpenAI itself documents max_completion_tokens.
        body(model, prompt, dropped, is_reasoning_model(model), "max_completion_tokens")
    }

    fn parse(&self, response: &Response) -> Result<String, Failure> {
        parse(response)
    }
}

impl Adapter for Compatible {
    fn url(&self, base: &str, _model: &str) -> String {
        url(base)
    }

    fn key_header(&self, key: &str) -> (&'static str, String) {
        bearer(key)
    }

    fn body(&self, model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
        // Compatible servers know max_tokens best, and OpenAI's reasoning rules are not theirs.
        body(model, prompt, dropped, false, "max_tokens")
    }

    fn parse(&self, response: &Response) -> Result<String, Failure> {
        parse(response)
    }
}

/// True for OpenAI's reasoning models, which reject `temperature` and `max_tokens`.
fn is_reasoning_model(model: &str) -> bool {
    let id = model.rsplit('/').next().unwrap_or(model);
    id.starts_with("o1") || id.starts_with("o3") || id.starts_with("o4") || id.starts_with("gpt-5")
}

/// The URL: the base URL includes the API version, as in OpenAI's SDKs.
fn url(base: &str) -> String {
    format!("{}/chat/completions", base.trim_end_matches('/'))
}

/// The key as a bearer token.
fn bearer(key: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {key}"))
}

/// The request body. `preferred` is the token-limit parameter this dialect knows best; the
/// other one is tried when the server rejected it.
fn body(
    model: &str,
    prompt: &Prompt,
    dropped: &BTreeSet<String>,
    reasoning: bool,
    preferred: &str,
) -> Value {
    let instructions_role = if reasoning { "developer" } else { "system" };
    let mut body = json!({
        "model": model,
        "messages": [
            {"role": instructions_role, "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
    });
    let tokens = if reasoning {
        // Reasoning tokens count against the same limit: leave room for them.
        prompt.max_output_tokens.saturating_mul(8)
    } else {
        prompt.max_output_tokens
    };
    let alternative =
        if preferred == "max_tokens" { "max_completion_tokens" } else { "max_tokens" };
    if !dropped.contains(preferred) {
        body[preferred] = json!(tokens);
    } else if !dropped.contains(alternative) {
        body[alternative] = json!(tokens);
    }
    if reasoning {
        if !dropped.contains("reasoning_effort") {
            body["reasoning_effort"] = json!("low");
        }
    } else if !dropped.contains("temperature") {
        body["temperature"] = json!(prompt.temperature);
    }
    body
}

/// The answer's text, or why there is none.
fn parse(response: &Response) -> Result<String, Failure> {
    let value: Result<Value, _> = serde_json::from_slice(&response.body);
    if response.status != 200 {
        let (error, message) = super::error_parts(&value, &response.body);
        let error = error.as_ref();
        let text =
            |key: &str| error.and_then(|error| error[key].as_str()).unwrap_or_default().to_string();
        let kind = format!("{} {}", text("type"), text("code"));
        let parameter = error.and_then(|error| error["param"].as_str());
        return Err(classify(
            response.status,
            &kind,
            &message,
            parameter,
            retry_after(&response.headers),
        ));
    }
    let value = value.map_err(|error| Failure::InvalidResponse(error.to_string()))?;
    let choice = &value["choices"][0];
    if choice.is_null() {
        return Err(Failure::InvalidResponse("no choices in the answer".to_string()));
    }
    let finish = choice["finish_reason"].as_str().unwrap_or("unknown");
    if finish == "content_filter" {
        return Err(Failure::Blocked("content_filter".to_string()));
    }
    // `reasoning_content` (DeepSeek, some compatible servers) is thinking, never the answer.
    let content = match &choice["message"]["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter(|part| part["type"] == "text")
            .filter_map(|part| part["text"].as_str())
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    };
    let text = strip_thinking(&content);
    if text.trim().is_empty() {
        if let Some(refusal) = choice["message"]["refusal"].as_str() {
            return Err(Failure::Blocked(refusal.to_string()));
        }
        return Err(Failure::Empty(format!("finish_reason: {finish}")));
    }
    Ok(text)
}
