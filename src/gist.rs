//! Publishing report files as one secret GitHub gist through the REST API (`POST /gists`),
//! GitHub Enterprise included through `GITHUB_API_URL`.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::env::{self, Environment};
use crate::llm::http;
use crate::secret::ApiKey;

/// How long `gh auth token` may take.
const GH_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the upload may take.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// A GitHub token and where it came from (for messages; never the token itself).
#[derive(Debug)]
pub(crate) struct Token {
    /// The token.
    pub key: ApiKey,
    /// `GITHUB_TOKEN`, `GH_TOKEN` or `gh auth token`.
    pub source: &'static str,
}

/// `GITHUB_TOKEN`, else `GH_TOKEN`, else `gh auth token` when `gh` is installed.
pub(crate) fn token(environment: &Environment) -> Option<Token> {
    for variable in [env::GITHUB_TOKEN, env::GH_TOKEN] {
        if let Some(value) = environment.get(variable) {
            return Some(Token { key: ApiKey::new(value.trim()), source: variable });
        }
    }
    let token = crate::process::output("gh", &["auth", "token"], GH_TIMEOUT)?;
    (!token.is_empty()).then(|| Token { key: ApiKey::new(token), source: "gh auth token" })
}

/// Creates one secret gist with `files` (name, content) and returns its web address, or a
/// one-line reason.
pub(crate) fn publish(
    environment: &Environment,
    token: &Token,
    description: &str,
    files: &[(String, String)],
) -> Result<String, String> {
    let base = environment
        .get(env::GITHUB_API_URL)
        .unwrap_or("https://api.github.com")
        .trim_end_matches('/');
    let url = format!("{base}/gists");
    // A gist leaves the machine like a prompt: the report's file names, commit subjects and
    // summaries go through the same redactor first.
    let mut file_map = Map::new();
    for (name, content) in files {
        let (content, _) = crate::privacy::redact_text(content);
        file_map.insert(name.clone(), json!({ "content": content }));
    }
    let (description, _) = crate::privacy::redact_text(description);
    let body = json!({ "description": description, "public": false, "files": file_map });
    let headers = [
        ("authorization", format!("Bearer {}", token.key.expose())),
        ("accept", "application/vnd.github+json".to_string()),
        ("x-github-api-version", "2022-11-28".to_string()),
    ];
    let session = crate::llm::Session::new().map_err(|error| error.message)?;
    let response = session
        .block_on(async {
            let client = session.client().map_err(|failure| failure.to_string())?;
            let deadline = tokio::time::Instant::now() + UPLOAD_TIMEOUT;
            http::post_json(&client, &url, &headers, &body, deadline)
                .await
                .map_err(|failure| failure.to_string())
        })
        .map_err(|error| error.message)??;
    let value: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    // GitHub's words, one line, without the token should it repeat it.
    let message = crate::text::one_line(value["message"].as_str().unwrap_or_default())
        .replace(token.key.expose(), "[token]");
    match response.status {
        200 | 201 => value["html_url"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| "GitHub answered without the gist's address".to_string()),
        401 => Err(format!("GitHub rejected the token from {} (401 {message})", token.source)),
        403 => Err(format!("the token from {} may not create gists (403 {message})", token.source)),
        422 => {
            let details: Vec<String> = value["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|error| {
                    error["message"].as_str().or_else(|| error["code"].as_str()).map(str::to_string)
                })
                .collect();
            let details = if details.is_empty() {
                String::new()
            } else {
                format!(": {}", details.join("; "))
            };
            Err(format!("GitHub refused the gist (422 {message}{details})"))
        }
        status => Err(format!("GitHub answered {status} {message}")),
    }
}
