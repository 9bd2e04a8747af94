//! Network models: the one provider abstraction with an adapter per wire format, the shared
//! HTTP client, and the request loop with retries inside one deadline. (Which models a run
//! asks is `engine::select`; the built-in model is `offline`.)

mod anthropic;
pub(crate) mod failure;
mod gemini;
pub(crate) mod http;
mod openai;
pub(crate) mod provider;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::config::{ModelName, ModelSettings};
use crate::env::Environment;
use crate::error::{Error, Kind};
use crate::secret::ApiKey;
use failure::Failure;
use provider::Credential;

/// One request to a model: instructions, the input, and how long the answer may be.
#[derive(Debug, Clone)]
pub(crate) struct Prompt {
    /// Instructions (system, developer or `systemInstruction`).
    pub system: String,
    /// The input (the change description).
    pub user: String,
    /// Tokens the answer may use.
    pub max_output_tokens: u32,
    /// Sampling temperature for models that take one.
    pub temperature: f32,
}

/// A model ready to be asked: its settings, key, endpoint, concurrency cap, and the
/// parameters its server rejected earlier in this run.
#[derive(Debug)]
pub(crate) struct Model {
    /// The configuration.
    pub settings: ModelSettings,
    key: Option<ApiKey>,
    key_variable: Option<String>,
    base_url: Option<String>,
    permits: Semaphore,
    dropped: Mutex<BTreeSet<String>>,
    requests: AtomicU64,
    input_tokens: AtomicU64,
    output_tokens: AtomicU64,
}

/// What a model was sent and answered, as its server accounts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Spent {
    /// Requests that reached the server (retries included).
    pub(crate) requests: u64,
    /// Input tokens the server reported.
    pub(crate) input_tokens: u64,
    /// Output tokens the server reported.
    pub(crate) output_tokens: u64,
}

impl Spent {
    /// The sum of two.
    pub(crate) fn plus(self, other: Spent) -> Spent {
        Spent {
            requests: self.requests + other.requests,
            input_tokens: self.input_tokens + other.input_tokens,
            output_tokens: self.output_tokens + other.output_tokens,
        }
    }
}

/// The input and output tokens an answer reports, in any of the wire formats: `usage`
/// with `prompt_tokens`/`completion_tokens` (chat completions) or `input_tokens`/
/// `output_tokens` (Anthropic, responses), or Gemini's `usageMetadata`.
fn usage_of(body: &[u8]) -> (u64, u64) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else { return (0, 0) };
    let number = |object: &serde_json::Value, keys: &[&str]| {
        keys.iter().find_map(|key| object.get(*key).and_then(serde_json::Value::as_u64))
    };
    if let Some(usage) = value.get("usage") {
        let input = number(usage, &["prompt_tokens", "input_tokens"]).unwrap_or(0);
        let output = number(usage, &["completion_tokens", "output_tokens"]).unwrap_or(0);
        return (input, output);
    }
    if let Some(usage) = value.get("usageMetadata") {
        let input = number(usage, &["promptTokenCount"]).unwrap_or(0);
        let output = number(usage, &["candidatesTokenCount"]).unwrap_or(0)
            + number(usage, &["thoughtsTokenCount"]).unwrap_or(0);
        return (input, output);
    }
    (0, 0)
}

impl Model {
    /// Prepares a model: finds its key and endpoint.
    pub(crate) fn new(settings: ModelSettings, environment: &Environment) -> Self {
        let (key, key_variable) = match provider::credential(&settings, environment) {
            Credential::Present(variable) => {
                (environment.get(&variable).map(ApiKey::new), Some(variable))
            }
            Credential::UserFile => {
                (settings.api_key.clone(), Some(provider::USER_FILE_KEY.to_string()))
            }
            Credential::NotNeeded | Credential::Missing(_) => (None, None),
        };
        let base_url = provider::base_url(&settings, environment);
        let permits = Semaphore::new(settings.max_concurrency.max(1));
        Self {
            settings,
            key,
            key_variable,
            base_url,
            permits,
            dropped: Mutex::new(BTreeSet::new()),
            requests: AtomicU64::new(0),
            input_tokens: AtomicU64::new(0),
            output_tokens: AtomicU64::new(0),
        }
    }

    /// The model's name.
    pub(crate) fn name(&self) -> &ModelName {
        &self.settings.name
    }

    /// Requests and tokens spent on this model so far in this run.
    pub(crate) fn spent(&self) -> Spent {
        Spent {
            requests: self.requests.load(Ordering::Relaxed),
            input_tokens: self.input_tokens.load(Ordering::Relaxed),
            output_tokens: self.output_tokens.load(Ordering::Relaxed),
        }
    }

    /// One line explaining a failure, naming the key variable and settings involved.
    pub(crate) fn explain(&self, failure: &Failure) -> String {
        failure.explain(
            self.key_variable.as_deref(),
            self.settings.name.as_str(),
            &self.settings.model,
        )
    }

    /// Asks the model, retrying what is worth retrying, all before `deadline` (and the model's
    /// own timeout). Waits for a free slot under the model's concurrency cap first.
    pub(crate) async fn complete(
        &self,
        client: &reqwest::Client,
        prompt: &Prompt,
        deadline: Instant,
    ) -> Result<String, Failure> {
        let result = self.ask(client, prompt, deadline).await;
        // A server that repeats the key, in an error or an answer, must not get it shown or
        // stored anywhere.
        let Some(key) = self.key.as_ref().map(ApiKey::expose).filter(|key| key.len() >= 8) else {
            return result;
        };
        match result {
            Ok(text) => Ok(text.replace(key, "[key]")),
            Err(failure) => Err(failure.scrubbed(key)),
        }
    }

    async fn ask(
        &self,
        client: &reqwest::Client,
        prompt: &Prompt,
        deadline: Instant,
    ) -> Result<String, Failure> {
        let deadline = deadline.min(Instant::now() + self.settings.timeout);
        let _permit = tokio::time::timeout_at(deadline, self.permits.acquire())
            .await
            .map_err(|_| Failure::Timeout)?
            .map_err(|_| Failure::Timeout)?;
        let mut retries = 0;
        loop {
            let result = self.attempt(client, prompt, deadline).await;
            let failure = match result {
                Ok(text) => return Ok(text),
                Err(failure) => failure,
            };
            if let Failure::UnsupportedParameter { parameter } = &failure {
                // Drop it and try again, once per parameter; remembered for the whole run.
                let newly_dropped =
                    self.dropped.lock().map(|mut dropped| dropped.insert(parameter.clone()));
                if newly_dropped.unwrap_or(false) {
                    continue;
                }
                return Err(failure);
            }
            if !failure.is_retryable() {
                return Err(failure);
            }
            let Some(wait) = http::next_wait(retries, failure.retry_after(), deadline) else {
                return Err(failure);
            };
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    async fn attempt(
        &self,
        client: &reqwest::Client,
        prompt: &Prompt,
        deadline: Instant,
    ) -> Result<String, Failure> {
        let dropped = self.dropped.lock().map(|dropped| dropped.clone()).unwrap_or_default();
        let provider = &self.settings.provider;
        let base = self.base_url.as_deref().ok_or_else(|| {
            Failure::BadEndpoint(format!("none configured for provider {provider}"))
        })?;
        let variables = provider::key_variables(&self.settings);
        if !variables.is_empty() && self.key.is_none() {
            return Err(Failure::MissingKey(variables.join(" or ")));
        }
        let (url, body) = self.request(base, prompt, &dropped)?;
        let Some(adapter) = provider::adapter(provider.wire) else {
            return Err(Failure::BadEndpoint("the built-in model takes no requests".to_string()));
        };
        let mut headers = adapter.fixed_headers();
        headers.extend(self.key.as_ref().map(|key| adapter.key_header(key.expose())));
        let response = http::post_json(client, &url, &headers, &body, deadline).await?;
        let (input, output) = usage_of(&response.body);
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.input_tokens.fetch_add(input, Ordering::Relaxed);
        self.output_tokens.fetch_add(output, Ordering::Relaxed);
        adapter.parse(&response)
    }

    /// The address and JSON body of the request for `prompt`: what `attempt` sends, and what
    /// a dry run shows. Headers are left out: they hold the key.
    fn request(
        &self,
        base: &str,
        prompt: &Prompt,
        dropped: &BTreeSet<String>,
    ) -> Result<(String, serde_json::Value), Failure> {
        let adapter = provider::adapter(self.settings.provider.wire).ok_or_else(|| {
            Failure::BadEndpoint("the built-in model takes no requests".to_string())
        })?;
        let model = self.settings.model.as_str();
        Ok((adapter.url(base, model), adapter.body(model, prompt, dropped)))
    }

    /// The address and JSON body of the first attempt at `prompt`, byte for byte what would
    /// be posted; `None` for a model that sends nothing (no endpoint, the built-in model).
    pub(crate) fn preview(&self, prompt: &Prompt) -> Option<(String, serde_json::Value)> {
        let base = self.base_url.as_deref()?;
        self.request(base, prompt, &BTreeSet::new()).ok()
    }
}

/// One runtime and one HTTP client for everything a command asks over the network.
pub(crate) struct Session {
    runtime: tokio::runtime::Runtime,
    client: std::sync::OnceLock<Result<reqwest::Client, Failure>>,
}

impl Session {
    /// A single-threaded runtime: requests wait on the network, not the processor, and a
    /// thread pool would only cost start-up time.
    pub(crate) fn new() -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(
            |error| Error::new(Kind::Io, format!("cannot start the async runtime: {error}")),
        )?;
        Ok(Self { runtime, client: std::sync::OnceLock::new() })
    }

    /// The shared client, built on first use (TLS set-up is not free).
    pub(crate) fn client(&self) -> Result<reqwest::Client, Failure> {
        self.client.get_or_init(http::client).clone()
    }

    /// Runs `future` to completion. Ctrl-C (SIGINT) or SIGTERM drops it, which cancels every
    /// request in flight, and returns an `Interrupted` error before anything is written.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, Error> {
        use tokio::signal::unix::{signal, SignalKind};

        self.runtime.block_on(async {
            let interrupted = async {
                let (Ok(mut interrupt), Ok(mut terminate)) =
                    (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
                else {
                    // Without handlers the default action still ends the process at once.
                    return std::future::pending::<()>().await;
                };
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            };
            tokio::select! {
                output = future => Ok(output),
                () = interrupted => Err(Error::new(Kind::Interrupted, "interrupted; nothing was written")),
            }
        })
    }
}

/// Sends one tiny request to each model, all at once, and returns each one's latency or the
/// reason it failed, in the given order.
pub(crate) fn check(
    models: &[ModelSettings],
    environment: &Environment,
    timeout: Duration,
) -> Result<Vec<Result<Duration, String>>, Error> {
    let session = Session::new()?;
    session.block_on(async {
        let client = match session.client() {
            Ok(client) => client,
            Err(failure) => return models.iter().map(|_| Err(failure.to_string())).collect(),
        };
        let deadline = Instant::now() + timeout;
        let prompt = Prompt {
            system: "Reply with the single word OK.".to_string(),
            user: "Are you there?".to_string(),
            max_output_tokens: 16,
            temperature: 0.0,
        };
        let mut tasks = tokio::task::JoinSet::new();
        for (index, settings) in models.iter().enumerate() {
            let model = Model::new(settings.clone(), environment);
            let (client, prompt) = (client.clone(), prompt.clone());
            tasks.spawn(async move {
                let started = Instant::now();
                let result = if model.settings.provider.is_offline() {
                    Ok(Duration::ZERO)
                } else {
                    model
                        .complete(&client, &prompt, deadline)
                        .await
                        .map(|_| started.elapsed())
                        .map_err(|failure| model.explain(&failure))
                };
                (index, result)
            });
        }
        let mut results: Vec<Result<Duration, String>> =
            models.iter().map(|_| Err("internal error: the check stopped".to_string())).collect();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((index, result)) = joined {
                results[index] = result;
            }
        }
        results
    })
}

/// Removes `<think>…</think>` blocks (and an unterminated leading one) that reasoning models
/// served through OpenAI-compatible servers put before their answer.
pub(crate) fn strip_thinking(text: &str) -> String {
    let mut rest = text;
    let mut kept = String::with_capacity(text.len());
    while let Some(start) = rest.find("<think>") {
        kept.push_str(&rest[..start]);
        match rest[start..].find("</think>") {
            Some(end) => rest = &rest[start + end + "</think>".len()..],
            None => return kept,
        }
    }
    kept.push_str(rest);
    kept
}

/// The `error` object of a JSON error body (OpenAI, Anthropic and Gemini all use one) and
/// its message, or a description of a body that is not JSON (a proxy's HTML page).
fn error_parts(
    body: &Result<serde_json::Value, serde_json::Error>,
    raw: &[u8],
) -> (Option<serde_json::Value>, String) {
    let error =
        body.as_ref().ok().map(|value| value["error"].clone()).filter(|error| !error.is_null());
    let message = match error.as_ref().and_then(|error| error["message"].as_str()) {
        Some(message) => message.to_string(),
        None => describe_non_json(raw),
    };
    (error, message)
}

/// A short description of an error body that is not JSON: a proxy's HTML page, plain text.
fn describe_non_json(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.starts_with('<') {
        return "an HTML error page (a proxy or gateway answered)".to_string();
    }
    trimmed.lines().next().unwrap_or_default().chars().take(120).collect()
}

#[cfg(test)]
mod tests;
