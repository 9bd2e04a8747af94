//! The Gemini generateContent wire format: `x-goog-api-key`, `systemInstruction`, and an
//! answer that may be blocked (`promptFeedback.blockReason`, `finishReason`) or have no parts.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::failure::{classify, Failure};
use super::http::{retry_after, Response};
use super::provider::Adapter;
use super::Prompt;

/// The generateContent wire format.
#[derive(Debug)]
pub(super) struct Gemini;

impl Adapter for Gemini {
    fn url(&self, base: &str, model: &str) -> String {
        url(base, model)
    }

    fn key_header(&self, key: &str) -> (&'static str, String) {
        ("x-goog-api-key", key.to_string())
    }

    fn body(&self, _model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
        body(prompt, dropped)
    }

    fn parse(&self, response: &Response) -> Result<String, Failure> {
        parse(response)
    }
}

/// The URL: the base URL has no version, as in Google's SDKs.
fn url(base: &str, model: &str) -> String {
    let model = model.strip_prefix("models/").unwrap_or(model);
    format!("{}/v1beta/models/{model}:generateContent", base.trim_end_matches('/'))
}

/// The request body.
fn body(prompt: &Prompt, dropped: &BTreeSet<String>) -> Value {
    let mut generation = json!({ "maxOutputTokens": prompt.max_output_tokens });
    if !dropped.contains("temperature") {
        generation["temperature"] = json!(prompt.temperature);
    }
    json!({
        "systemInstruction": {"parts": [{"text": prompt.system}]},
        "contents": [{"role": "user", "parts": [{"text": prompt.user}]}],
        "generationConfig": generation,
    })
}

/// The answer's text, or why there is none.
fn parse(response: &Response) -> Result<String, Failure> {
    let value: Result<Value, _> = serde_json::from_slice(&response.body);
    if response.status != 200 {
        let (error, message) = super::error_parts(&value, &response.body);
        let error = error.as_ref();
        if message.contains("API key not valid") || message.contains("API_KEY_INVALID") {
            return Err(Failure::Unauthorized { status: response.status, detail: message });
        }
        let status = error.and_then(|error| error["status"].as_str()).unwrap_or_default();
        // Gemini says how long to wait in the error details rather than in a header.
        let delay = error
            .and_then(|error| error["details"].as_array())
            .into_iter()
            .flatten()
            .find_map(|detail| detail["retryDelay"].as_str())
            .and_then(parse_delay)
            .or_else(|| retry_after(&response.headers));
        return Err(classify(response.status, status, &message, None, delay));
    }
    let value = value.map_err(|error| Failure::InvalidResponse(error.to_string()))?;
    if let Some(reason) = value["promptFeedback"]["blockReason"].as_str() {
        return Err(Failure::Blocked(reason.to_string()));
    }
    let candidate = &value["candidates"][0];
    let finish = candidate["finishReason"].as_str().unwrap_or("unknown");
    let parts = candidate["content"]["parts"].as_array();
    let text: String = parts
        .into_iter()
        .flatten()
        // Thought summaries are not the answer.
        .filter(|part| part["thought"] != Value::Bool(true))
        .filter_map(|part| part["text"].as_str())
        .collect::<Vec<_>>()
        .join("");
    if text.trim().is_empty() {
        if matches!(finish, "SAFETY" | "RECITATION" | "PROHIBITED_CONTENT" | "BLOCKLIST" | "SPII") {
            return Err(Failure::Blocked(finish.to_string()));
        }
        return Err(Failure::Empty(format!("finishReason: {finish}")));
    }
    Ok(text)
}

/// `"7s"` or `"1.5s"` (protobuf Duration in JSON) to a duration.
fn parse_delay(text: &str) -> Option<Duration> {
    let seconds: f64 = text.strip_suffix('s')?.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}
