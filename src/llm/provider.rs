//! What a request to a model's provider needs before it can be made, read from the model's row
//! of the provider table (`providers:` in `default.yaml`): its key, its endpoint, and the
//! adapter of its wire format. Model ids and provider facts never live here: they are
//! configuration.

use std::collections::BTreeSet;

use serde_json::Value;

use super::failure::Failure;
use super::http::Response;
use super::{anthropic, gemini, openai, Prompt};
use crate::config::{ModelSettings, WireFormat};
use crate::env::Environment;

/// One wire format: how a request is built and its answer read. One implementation per
/// format; `Model::attempt` only calls these.
pub(crate) trait Adapter: Sync {
    /// The URL of one request, from the base URL as configured and the model id.
    fn url(&self, base: &str, model: &str) -> String;

    /// The header that carries the key, and its value.
    fn key_header(&self, key: &str) -> (&'static str, String);

    /// Headers every request carries besides the key (an API version).
    fn fixed_headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The request body. `dropped` holds parameters the server rejected earlier in this run.
    fn body(&self, model: &str, prompt: &Prompt, dropped: &BTreeSet<String>) -> Value;

    /// The answer's text, or why there is none (the provider's error shapes included).
    fn parse(&self, response: &Response) -> Result<String, Failure>;
}

/// The adapter of a wire format; `None` for the built-in offline engine, which takes no
/// requests.
pub(crate) fn adapter(wire: WireFormat) -> Option<&'static dyn Adapter> {
    match wire {
        WireFormat::Openai => Some(&openai::OpenAi),
        WireFormat::OpenaiCompatible => Some(&openai::Compatible),
        WireFormat::Anthropic => Some(&anthropic::Anthropic),
        WireFormat::Gemini => Some(&gemini::Gemini),
        WireFormat::Offline => None,
    }
}

/// Variables that may hold a model's key, in the order they are tried: its `api_key_env`, else
/// its provider's. Empty when none is needed.
pub(crate) fn key_variables(model: &ModelSettings) -> Vec<String> {
    match &model.api_key_env {
        Some(variable) => vec![variable.clone()],
        None => model.provider.key_variables.clone(),
    }
}

/// Where a model's requests go: its own `base_url`, else the provider's variable, else the
/// public endpoint. `None` for the built-in model and for an unconfigured compatible server.
/// A provider with an `api_path` (Ollama) is named by its server (`OLLAMA_HOST`, scheme
/// optional) and the API is under that path.
pub(crate) fn base_url(model: &ModelSettings, environment: &Environment) -> Option<String> {
    if let Some(url) = &model.base_url {
        return Some(url.trim_end_matches('/').to_string());
    }
    let provider = &model.provider;
    let from_variable =
        provider.base_url_variable.as_deref().and_then(|name| environment.get(name));
    let url = from_variable.or(provider.public_url.as_deref())?.trim_end_matches('/');
    let Some(api_path) = &provider.api_path else { return Some(url.to_string()) };
    let url = if url.contains("://") { url.to_string() } else { format!("http://{url}") };
    Some(format!("{url}{api_path}"))
}

/// A server's own root (where Ollama's `/api/tags` lists the pulled models), from a model's
/// base URL.
fn server_root<'a>(model: &ModelSettings, base_url: &'a str) -> &'a str {
    let api_path = model.provider.api_path.as_deref().unwrap_or_default();
    base_url.strip_suffix(api_path).unwrap_or(base_url)
}

/// Whether a model's credential is there. Never holds the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    /// The provider needs no key.
    NotNeeded,
    /// The key is in this variable.
    Present(String),
    /// None of these variables is set.
    Missing(Vec<String>),
    /// The variable is not set, but the user file holds a key.
    UserFile,
}

/// How a key from the user file is named in messages.
pub(crate) const USER_FILE_KEY: &str = "api_key in your user file";

/// Looks for a model's key: `api_key_env` when set, else the provider's usual variables.
pub(crate) fn credential(model: &ModelSettings, environment: &Environment) -> Credential {
    let variables = key_variables(model);
    if variables.is_empty() {
        return if model.api_key.is_some() { Credential::UserFile } else { Credential::NotNeeded };
    }
    match variables.iter().find(|variable| environment.is_set(variable)) {
        Some(variable) => Credential::Present(variable.clone()),
        None if model.api_key.is_some() => Credential::UserFile,
        None => Credential::Missing(variables),
    }
}

/// How long the whole Ollama check may take, connecting and reading included: a local server
/// answers in a few milliseconds, and a closed port is refused at once.
const OLLAMA_PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(150);

/// True when an Ollama server answers at the model's endpoint and has the model pulled. A
/// plain HTTP/1.0 request over a socket, without starting the async runtime: this runs on
/// every default drafting run, and usually finds nothing listening.
pub(crate) fn ollama_serves(model: &ModelSettings, environment: &Environment) -> bool {
    use std::io::{Read, Write};
    use std::net::{TcpStream, ToSocketAddrs};

    let Some(base) = base_url(model, environment) else { return false };
    let Some(authority) = server_root(model, &base).strip_prefix("http://") else { return false };
    let authority = authority.split('/').next().unwrap_or(authority);
    let Some(address) = authority.to_socket_addrs().ok().and_then(|mut addresses| addresses.next())
    else {
        return false;
    };
    // One budget for the whole probe, not for each read: a server trickling a byte at a time
    // must not hold the run.
    let deadline = std::time::Instant::now() + OLLAMA_PROBE_TIMEOUT;
    let left = || {
        deadline.checked_duration_since(std::time::Instant::now()).filter(|left| !left.is_zero())
    };
    let Some(budget) = left() else { return false };
    let Ok(mut stream) = TcpStream::connect_timeout(&address, budget) else {
        return false;
    };
    let _ = stream.set_write_timeout(left());
    let request = format!("GET /api/tags HTTP/1.0\r\nHost: {authority}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let Some(budget) = left() else { return false };
        if stream.set_read_timeout(Some(budget)).is_err() {
            return false;
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) if response.len() + read <= 1 << 20 => {
                response.extend_from_slice(&chunk[..read])
            }
            _ => return false,
        }
    }
    let response = String::from_utf8_lossy(&response);
    let Some((head, body)) = response.split_once("\r\n\r\n") else { return false };
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return false;
    }
    let Ok(tags) = serde_json::from_str::<serde_json::Value>(body) else { return false };
    let wanted = model.model.as_str();
    tags["models"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["name"].as_str())
        .any(|name| name == wanted || name.strip_suffix(":latest") == Some(wanted))
}
