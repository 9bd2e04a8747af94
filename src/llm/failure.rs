//! Why a model did not answer, classified by what to do about it: retry, drop a parameter,
//! shrink the input, or give up with a one-line reason naming the setting to change.

use std::fmt;
use std::time::Duration;

/// One failed attempt, or the final failure of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 401 or 403: the key is wrong, expired or lacks access.
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// The provider's words.
        detail: String,
    },
    /// 404, or a 400 saying the model does not exist or was retired.
    ModelNotFound {
        /// The provider's words.
        detail: String,
    },
    /// A 400 naming a request parameter this model does not take.
    UnsupportedParameter {
        /// The parameter (`temperature`, `max_tokens`, ...).
        parameter: String,
    },
    /// 413, or a 400 saying the input is longer than the model's context.
    TooLong {
        /// The provider's words.
        detail: String,
    },
    /// 429 for the request rate: worth waiting `retry_after` when it fits the deadline.
    RateLimited {
        /// What the provider asked us to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// 429 or 402 for money or quota: waiting does not help.
    Quota {
        /// The provider's words.
        detail: String,
    },
    /// 408, 409, 5xx or 529: the provider's trouble, worth a retry.
    Server {
        /// HTTP status.
        status: u16,
        /// The provider's words.
        detail: String,
        /// What the provider asked us to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// Any other 4xx: our request is wrong; a retry would fail the same way.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The provider's words.
        detail: String,
    },
    /// The deadline passed before the whole answer arrived.
    Timeout,
    /// No connection: DNS, refused, TLS, proxy.
    Connection(String),
    /// A 200 whose body is not the provider's JSON.
    InvalidResponse(String),
    /// A 200 with no text (`content: null`, no `parts`, cut at the token limit before any text).
    Empty(String),
    /// The provider's safety system refused.
    Blocked(String),
    /// No key for a provider that needs one.
    MissingKey(String),
    /// The model's base URL is not usable.
    BadEndpoint(String),
    /// The endpoint answered with a redirect, which is never followed: a key header must not
    /// go to another address.
    Redirected {
        /// HTTP status (301, 302, 307, 308...).
        status: u16,
        /// Where it pointed, credentials removed.
        location: String,
    },
}

impl Failure {
    /// True for failures that a retry may fix.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            Failure::RateLimited { .. } | Failure::Server { .. } | Failure::Connection(_)
        )
    }

    /// The wait the provider asked for, if any.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::RateLimited { retry_after } | Failure::Server { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// One line for the user, naming what to change; `key_variable` is the variable the key
    /// came from, `model_id` the configured model.
    pub(crate) fn explain(
        &self,
        key_variable: Option<&str>,
        model_name: &str,
        model_id: &str,
    ) -> String {
        let key = key_variable.unwrap_or("the key variable");
        match self {
            Failure::Unauthorized { status, detail } => {
                format!("{status} {} (check {key}){}", status_word(*status), brief(detail))
            }
            Failure::ModelNotFound { detail } => format!(
                "model `{model_id}` not found{} (set models.{model_name}.model to a current id)",
                brief(detail)
            ),
            Failure::UnsupportedParameter { parameter } => {
                format!("the model rejects the `{parameter}` parameter")
            }
            Failure::TooLong { detail } => format!(
                "the input is too long for the model{} (lower models.{model_name}.context_tokens)",
                brief(detail)
            ),
            Failure::RateLimited { retry_after: Some(wait) } => {
                format!("rate limited; the provider asked to wait {} s", wait.as_secs())
            }
            Failure::RateLimited { retry_after: None } => "rate limited".to_string(),
            Failure::Quota { detail } => format!("quota or spend limit reached{}", brief(detail)),
            Failure::Server { status, detail, .. } => {
                format!("{status} {}{}", status_word(*status), brief(detail))
            }
            Failure::Rejected { status, detail } => {
                format!("{status} {}{}", status_word(*status), brief(detail))
            }
            Failure::Timeout => "no answer before the deadline".to_string(),
            Failure::Connection(detail) => format!("cannot connect: {detail}"),
            Failure::InvalidResponse(detail) => format!("invalid response: {detail}"),
            Failure::Empty(detail) => format!("empty answer ({detail})"),
            Failure::Blocked(reason) => {
                format!("blocked by the provider's safety filter ({reason})")
            }
            Failure::MissingKey(variables) => format!("no key: set {variables}"),
            Failure::BadEndpoint(detail) => {
                format!("bad endpoint {detail} (check models.{model_name}.base_url)")
            }
            Failure::Redirected { status, location } => format!(
                "{status} redirect to {location}, not followed: keys are never sent to another \
                 address (check models.{model_name}.base_url)"
            ),
        }
    }

    /// The same failure with every occurrence of `secret` (the model's key) in the provider's
    /// words replaced: a server that repeats the key in an error must not get it printed.
    pub(crate) fn scrubbed(self, secret: &str) -> Failure {
        if secret.len() < 8 {
            return self;
        }
        let scrub = |text: String| text.replace(secret, "[key]");
        match self {
            Failure::Unauthorized { status, detail } => {
                Failure::Unauthorized { status, detail: scrub(detail) }
            }
            Failure::ModelNotFound { detail } => Failure::ModelNotFound { detail: scrub(detail) },
            Failure::TooLong { detail } => Failure::TooLong { detail: scrub(detail) },
            Failure::Quota { detail } => Failure::Quota { detail: scrub(detail) },
            Failure::Server { status, detail, retry_after } => {
                Failure::Server { status, detail: scrub(detail), retry_after }
            }
            Failure::Rejected { status, detail } => {
                Failure::Rejected { status, detail: scrub(detail) }
            }
            Failure::Connection(detail) => Failure::Connection(scrub(detail)),
            Failure::InvalidResponse(detail) => Failure::InvalidResponse(scrub(detail)),
            Failure::Empty(detail) => Failure::Empty(scrub(detail)),
            Failure::Blocked(detail) => Failure::Blocked(scrub(detail)),
            Failure::BadEndpoint(detail) => Failure::BadEndpoint(scrub(detail)),
            Failure::Redirected { status, location } => {
                Failure::Redirected { status, location: scrub(location) }
            }
            other => other,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.explain(None, "?", "?"))
    }
}

/// The usual words for a status.
fn status_word(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Overloaded",
        _ => "error",
    }
}

/// `: detail`, cut to one short line, or nothing.
fn brief(detail: &str) -> String {
    let line = detail.lines().next().unwrap_or_default().trim();
    if line.is_empty() {
        return String::new();
    }
    let mut cut: String = line.chars().take(120).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    format!(": {cut}")
}

/// Classifies an HTTP error status and the provider's error words. `kind` is the provider's
/// error type or code (`insufficient_quota`, `unsupported_parameter`, `RESOURCE_EXHAUSTED`...),
/// `parameter` the parameter it names, if any.
pub(crate) fn classify(
    status: u16,
    kind: &str,
    message: &str,
    parameter: Option<&str>,
    retry_after: Option<Duration>,
) -> Failure {
    let lower = message.to_ascii_lowercase();
    let kind_lower = kind.to_ascii_lowercase();
    let quota = kind_lower.contains("quota")
        || kind_lower.contains("billing")
        || lower.contains("quota")
        || lower.contains("billing")
        || lower.contains("credit balance")
        || lower.contains("spend limit")
        || lower.contains("insufficient balance");
    let detail = message.to_string();
    match status {
        401 | 403 => Failure::Unauthorized { status, detail },
        404 => Failure::ModelNotFound { detail },
        402 => Failure::Quota { detail },
        413 => Failure::TooLong { detail },
        429 if quota && retry_after.is_none() => Failure::Quota { detail },
        429 => Failure::RateLimited { retry_after },
        400 | 422 => {
            let unsupported = kind_lower.contains("unsupported_parameter")
                || kind_lower.contains("unsupported_value")
                || lower.contains("unsupported parameter")
                || lower.contains("unsupported value")
                || lower.contains("not supported with this model");
            if unsupported {
                if let Some(parameter) = parameter.filter(|name| !name.is_empty()) {
                    return Failure::UnsupportedParameter { parameter: parameter.to_string() };
                }
                for candidate in ["temperature", "max_tokens", "max_completion_tokens", "top_p"] {
                    if lower.contains(&format!("'{candidate}'"))
                        || lower.contains(&format!("`{candidate}`"))
                    {
                        return Failure::UnsupportedParameter { parameter: candidate.to_string() };
                    }
                }
            }
            if kind_lower.contains("context_length")
                || lower.contains("context length")
                || lower.contains("context window")
                || lower.contains("too long")
                || lower.contains("too many tokens")
                || lower.contains("maximum context")
            {
                return Failure::TooLong { detail };
            }
            if kind_lower.contains("model_not_found")
                || (lower.contains("model")
                    && (lower.contains("not found")
                        || lower.contains("does not exist")
                        || lower.contains("decommissioned")
                        || lower.contains("deprecated")))
            {
                return Failure::ModelNotFound { detail };
            }
            if quota {
                return Failure::Quota { detail };
            }
            Failure::Rejected { status, detail }
        }
        408 | 409 | 500..=599 => Failure::Server { status, detail, retry_after },
        _ => Failure::Rejected { status, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_words_map_to_the_right_failure() {
        assert!(matches!(classify(401, "", "bad key", None, None), Failure::Unauthorized { .. }));
        assert!(matches!(
            classify(404, "", "no such model", None, None),
            Failure::ModelNotFound { .. }
        ));
        assert_eq!(
            classify(
                400,
                "unsupported_parameter",
                "Unsupported parameter: 'temperature'",
                Some("temperature"),
                None
            ),
            Failure::UnsupportedParameter { parameter: "temperature".into() }
        );
        assert_eq!(
            classify(
                400,
                "invalid_request_error",
                "Unsupported value: 'temperature' does not support 0.2",
                None,
                None
            ),
            Failure::UnsupportedParameter { parameter: "temperature".into() }
        );
        assert!(matches!(
            classify(400, "", "This model's maximum context length is 8192 tokens", None, None),
            Failure::TooLong { .. }
        ));
        assert!(matches!(
            classify(429, "insufficient_quota", "You exceeded your current quota", None, None),
            Failure::Quota { .. }
        ));
        assert_eq!(
            classify(429, "rate_limit_exceeded", "slow down", None, Some(Duration::from_secs(1))),
            Failure::RateLimited { retry_after: Some(Duration::from_secs(1)) }
        );
        assert!(classify(529, "overloaded_error", "Overloaded", None, None).is_retryable());
        assert!(classify(503, "", "", None, None).is_retryable());
        assert!(!classify(422, "", "bad", None, None).is_retryable());
        assert!(!classify(400, "", "credit balance is too low", None, None).is_retryable());
    }

    #[test]
    fn explanations_name_what_to_change() {
        let unauthorized =
            Failure::Unauthorized { status: 401, detail: "invalid x-api-key".into() };
        assert_eq!(
            unauthorized.explain(Some("ANTHROPIC_API_KEY"), "claude", "claude-sonnet-5"),
            "401 Unauthorized (check ANTHROPIC_API_KEY): invalid x-api-key"
        );
        let retired = Failure::ModelNotFound { detail: String::new() };
        assert_eq!(
            retired.explain(None, "gpt", "gpt-4"),
            "model `gpt-4` not found (set models.gpt.model to a current id)"
        );
    }
}
