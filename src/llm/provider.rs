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
pub fn base_url(model: &ModelSettings, environment: &Environment) -> Option<String> {
    if let Some(url) = &model.base_url {
        return Some(url.clone());
    }
    let (variable, public) = base_url_preset(model.provider)?;
    Some(environment.get(variable).unwrap_or(public).to_string())
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
}

/// Looks for a model's key: `api_key_env` when set, else the provider's usual variables.
pub fn credential(model: &ModelSettings, environment: &Environment) -> Credential {
    let variables: Vec<String> = match &model.api_key_env {
        Some(variable) => vec![variable.clone()],
        None => key_variables(model.provider).iter().map(|name| name.to_string()).collect(),
    };
    if variables.is_empty() {
        return Credential::NotNeeded;
    }
    match variables.iter().find(|variable| environment.is_set(variable)) {
        Some(variable) => Credential::Present(variable.clone()),
        None => Credential::Missing(variables),
    }
}

/// True when this build can talk to the provider. Only the built-in model for now; the
/// network adapters come with the HTTP client.
pub fn has_adapter(provider: Provider) -> bool {
    provider == Provider::Local
}
