//! What each provider needs before a request can be made: its key variables, its base URL,
//! and whether this build has its adapter. Model ids never live here: they are configuration.

use crate::config::{ModelSettings, Provider};
use crate::env::{self, Environment};

/// Variables that may hold a provider's key, in the order they are tried. Empty for providers
/// that need none.
pub fn key_variables(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Openai => &[env::OPENAI_API_KEY],
        Provider::Anthropic => &[env::ANTHROPIC_API_KEY],
        Provider::Gemini => &[env::GEMINI_API_KEY, env::GOOGLE_API_KEY],
        Provider::Groq => &[env::GROQ_API_KEY],
        Provider::Deepseek => &[env::DEEPSEEK_API_KEY],
        Provider::Openrouter => &[env::OPENROUTER_API_KEY],
        Provider::Ollama | Provider::OpenaiCompatible | Provider::Local => &[],
    }
}

/// The variable that overrides a provider's endpoint, and the public endpoint otherwise.
fn base_url_preset(provider: Provider) -> Option<(&'static str, &'static str)> {
    match provider {
        Provider::Openai => Some((env::OPENAI_BASE_URL, "https://api.openai.com/v1")),
        Provider::Anthropic => Some((env::ANTHROPIC_BASE_URL, "https://api.anthropic.com")),
        Provider::Gemini => {
            Some((env::GEMINI_BASE_URL, "https://generativelanguage.googleapis.com"))
        }
        Provider::Groq => Some((env::GROQ_BASE_URL, "https://api.groq.com/openai/v1")),
        Provider::Deepseek => Some((env::DEEPSEEK_BASE_URL, "https://api.deepseek.com/v1")),
        Provider::Openrouter => Some((env::OPENROUTER_BASE_URL, "https://openrouter.ai/api/v1")),
        Provider::Ollama => Some((env::OLLAMA_HOST, "http://localhost:11434")),
        Provider::OpenaiCompatible | Provider::Local => None,
    }
}

/// Where a model's requests go: its own `base_url`, else the provider's variable, else the
/// public endpoint. `None` for the built-in model and for an unconfigured compatible server.
/// For Ollama the variable names the server (`OLLAMA_HOST`, scheme optional) and the
/// OpenAI-compatible API is under `/v1`.
pub fn base_url(model: &ModelSettings, environment: &Environment) -> Option<String> {
    if let Some(url) = &model.base_url {
        return Some(url.trim_end_matches('/').to_string());
    }
    let (variable, public) = base_url_preset(model.provider)?;
    let url = environment.get(variable).unwrap_or(public).trim_end_matches('/').to_string();
    if model.provider != Provider::Ollama {
        return Some(url);
    }
    let url = if url.contains("://") { url } else { format!("http://{url}") };
    Some(format!("{url}/v1"))
}

/// Ollama's own API root (where `/api/tags` lists the pulled models), from a base URL.
pub fn ollama_root(base_url: &str) -> &str {
    base_url.strip_suffix("/v1").unwrap_or(base_url)
}

/// Whether a model's credential is there. Never holds the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
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
pub const USER_FILE_KEY: &str = "api_key in your user file";

/// Looks for a model's key: `api_key_env` when set, else the provider's usual variables.
pub fn credential(model: &ModelSettings, environment: &Environment) -> Credential {
    let variables: Vec<String> = match &model.api_key_env {
        Some(variable) => vec![variable.clone()],
        None => key_variables(model.provider).iter().map(|name| name.to_string()).collect(),
    };
    if variables.is_empty() {
        return if model.api_key.is_some() { Credential::UserFile } else { Credential::NotNeeded };
    }
    match variables.iter().find(|variable| environment.is_set(variable)) {
        Some(variable) => Credential::Present(variable.clone()),
        None if model.api_key.is_some() => Credential::UserFile,
        None => Credential::Missing(variables),
    }
}

/// How long the Ollama check may take: a local server answers in a few milliseconds, and a
/// closed port is refused at once.
const OLLAMA_PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(150);

/// True when an Ollama server answers at the model's endpoint and has the model pulled. A
/// plain HTTP/1.0 request over a socket, without starting the async runtime: this runs on
/// every default drafting run, and usually finds nothing listening.
pub fn ollama_serves(model: &ModelSettings, environment: &Environment) -> bool {
    use std::io::{Read, Write};
    use std::net::{TcpStream, ToSocketAddrs};

    let Some(base) = base_url(model, environment) else { return false };
    let Some(authority) = ollama_root(&base).strip_prefix("http://") else { return false };
    let authority = authority.split('/').next().unwrap_or(authority);
    let Some(address) = authority.to_socket_addrs().ok().and_then(|mut addresses| addresses.next())
    else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&address, OLLAMA_PROBE_TIMEOUT) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(OLLAMA_PROBE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(OLLAMA_PROBE_TIMEOUT));
    let request = format!("GET /api/tags HTTP/1.0\r\nHost: {authority}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = Vec::new();
    let _ = stream.take(1 << 20).read_to_end(&mut response);
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
