//! The Anthropic Messages wire format: `x-api-key`, `anthropic-version`, `system` as a
//! top-level field, `max_tokens` always set, and only `text` blocks read from the answer.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::failure::{classify, Failure};
use super::http::{retry_after, Response};
use super::provider::Adapter;
use super::Prompt;

/// The API version this adapter speaks.
const VERSION: &str = "2023-06-01";

/// The Messages wire format.
#[derive(Debug)]
pub(super) struct Anthropic;

impl Adapter for Anthropic {
    fn url(&self, base: &str, _model: &str) -> String {
        url(base)
    }

    fn key_header(&self, key: &str) -> (&'static str, String) {
        ("x-api-key", key.to_string())
    }

    fn fixed_headers(&self) -> Vec<(&'static str, String)> {
        vec![("anthropic-version", VERSION.to_string())]
    }

    fn body(&self, model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
        body(model, prompt, dropped)
    }

    fn parse(&self, response: &Response) -> Result<String, Failure> {
        parse(response)
    }
}

/// The URL: the base URL has no version, as in Anthropic's SDKs.
fn url(base: &str) -> String {
    format!("{}/v1/messages", base.trim_end_matches('/'))
}

/// The request body.
fn body(model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
    let mut body = json!({
        "model": model,
        "max_tokens": prompt.max_output_tokens,
        "system": prompt.system,
        "messages": [{"role": "user", "content": prompt.user}],
    });
    if !dropped.contains("temperature") {
        body["temperature"] = json!(prompt.temperature);
    }
    body
}

/// The answer's text, or why there is none.
fn parse(response: &Response) -> Result<String, Failure> {
    let value: Result<Value, _> = serde_json::from_slice(&response.body);
    if response.status != 200 {
        let (error, message) = super::error_parts(&value, &response.body);
        let kind = error.as_ref().and_then(|error| error["type"].as_str()).unwrap_or_default();
        let parameter = ["temperature", "top_p", "top_k"]
            .into_iter()
            .find(|name| message.contains(name) && message.contains("not supported"));
        return Err(classify(
            response.status,
            kind,
            &message,
            parameter,
            retry_after(&response.headers),
        ));
    }
    let value = value.map_err(|error| Failure::InvalidResponse(error.to_string()))?;
    let Some(blocks) = value["content"].as_array() else {
        return Err(Failure::InvalidResponse("no content in the answer".to_string()));
    };
    let text: String = blocks
        .iter()
        .filter(|block| block["type"] == "text")
        .filter_map(|block| block["text"].as_str())
        .collect::<Vec<_>>()
        .join("");
    let stop = value["stop_reason"].as_str().unwrap_or("unknown");
    if stop == "refusal" {
        return Err(Failure::Blocked("refusal".to_string()));
    }
    if text.trim().is_empty() {
        return Err(Failure::Empty(format!("stop_reason: {stop}")));
    }
    Ok(text)
}
