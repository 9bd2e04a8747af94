//! One configuration layer as written in a file or a variable: every key optional, unknown keys
//! rejected, every value checked while parsing so that errors carry the file's line and key.

use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The whole file: every key optional, because each layer only overrides what it sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Models to add, or to change by `name`.
    pub models: Option<Vec<ModelLayer>>,
    /// Names of the models asked by default.
    pub defaults: Option<Vec<String>>,
    /// Commit-message drafting.
    pub commit: Option<CommitLayer>,
    /// Pre-push review.
    pub push: Option<PushLayer>,
    /// The date-range report.
    pub report: Option<ReportLayer>,
    /// Globs whose content is never sent; added to every other layer's globs.
    pub exclude: Option<Vec<String>>,
    /// Byte caps on what is sent.
    pub limits: Option<LimitsLayer>,
    /// Whether known secret formats are replaced before sending.
    pub redact: Option<bool>,
    /// Whether every hook is a no-op.
    pub skip: Option<bool>,
    /// How the repository's own conventions are learned.
    pub conventions: Option<ConventionsLayer>,
}

/// `conventions:` keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConventionsLayer {
    /// Whether drafts follow the conventions learned from the history and rule files.
    pub enabled: Option<bool>,
    /// Newest first-parent commits the profile learns from.
    pub history: Option<usize>,
    /// A free-text guide to commit messages, relative to the work-tree root.
    pub guide: Option<String>,
}

/// One entry of `models:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLayer {
    /// Unique name used in `--models` and in output.
    pub name: ModelName,
    /// Wire format and presets.
    pub provider: Option<Provider>,
    /// The provider's model id.
    pub model: Option<String>,
    /// Endpoint override.
    pub base_url: Option<String>,
    /// Variable holding the key, overriding the provider's usual one.
    pub api_key_env: Option<String>,
    /// Deadline for one request.
    pub timeout: Option<HumanDuration>,
    /// Cap on requests in flight to this model.
    pub max_concurrency: Option<NonZeroUsize>,
    /// Input the model takes in one request, in tokens; larger changes are summarized per
    /// file first (map-reduce).
    pub context_tokens: Option<NonZeroUsize>,
    /// The key itself, for GUI clients that do not see your shell's variables. Only allowed
    /// in the user file, never in a repository file that may be committed.
    pub api_key: Option<crate::secret::ApiKey>,
}

/// `commit:` keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitLayer {
    /// Message style.
    pub style: Option<CommitStyle>,
    /// How several drafts are combined.
    pub merge: Option<MergeMode>,
    /// Longest subject line, in characters.
    pub max_subject: Option<SubjectLength>,
    /// `prepare-commit-msg` sources left untouched.
    pub skip_sources: Option<Vec<CommitSource>>,
    /// Deadline for one whole draft.
    pub timeout: Option<HumanDuration>,
    /// Whether to write a draft when no editor will open (`--no-edit`, `GIT_EDITOR=:`).
    pub draft_without_editor: Option<bool>,
}

/// `push:` keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushLayer {
    /// When a review may stop a push.
    pub block: Option<BlockPolicy>,
    /// Deadline for the review.
    pub timeout: Option<HumanDuration>,
    /// Newest commits reviewed.
    pub max_commits: Option<NonZeroUsize>,
    /// Folder for the reports, relative to the work-tree root unless absolute.
    pub report_dir: Option<String>,
}

/// `report:` keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportLayer {
    /// Deadline for the whole report.
    pub timeout: Option<HumanDuration>,
}

/// `limits:` keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsLayer {
    /// Patch bytes sent per file.
    pub max_file_bytes: Option<NonZeroUsize>,
    /// Patch bytes sent per run.
    pub max_total_bytes: Option<NonZeroUsize>,
}

/// Which wire format and presets a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// OpenAI Chat Completions.
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini generateContent.
    Gemini,
    /// Groq, OpenAI wire format.
    Groq,
    /// DeepSeek, OpenAI wire format.
    Deepseek,
    /// OpenRouter, OpenAI wire format.
    Openrouter,
    /// A local Ollama server, OpenAI wire format.
    Ollama,
    /// Any server speaking the OpenAI wire format.
    OpenaiCompatible,
    /// The built-in offline summarizer.
    Local,
}

impl Provider {
    /// The name used in configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Openai => "openai",
            Provider::Anthropic => "anthropic",
            Provider::Gemini => "gemini",
            Provider::Groq => "groq",
            Provider::Deepseek => "deepseek",
            Provider::Openrouter => "openrouter",
            Provider::Ollama => "ollama",
            Provider::OpenaiCompatible => "openai-compatible",
            Provider::Local => "local",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Commit message style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitStyle {
    /// `type(scope): summary`.
    Conventional,
    /// A plain imperative sentence.
    Plain,
    /// An emoji from gitmoji.dev, then the summary.
    Gitmoji,
}

/// How the drafts of several models become one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeMode {
    /// The first model that answered is the draft; the others follow as comments.
    Alternatives,
    /// One more request asks the primary model to merge every draft.
    Synthesize,
    /// Only the primary model's draft.
    First,
}

/// The second argument git passes to `prepare-commit-msg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitSource {
    /// `-m` or `-F`.
    Message,
    /// `-t` or `commit.template`.
    Template,
    /// A merge commit.
    Merge,
    /// `--squash`.
    Squash,
    /// `--amend`, `-c` or `-C`.
    Commit,
}

/// When the pre-push review may stop a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockPolicy {
    /// The push always proceeds.
    Never,
    /// A high-severity finding stops the push.
    OnFindings,
}

/// A model name: letters, digits, `.`, `_` and `-`, so it is safe in flags, files and output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct ModelName(String);

impl ModelName {
    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ModelName {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if valid {
            Ok(Self(name))
        } else {
            Err(format!(
                "invalid model name `{name}`: use 1 to 64 letters, digits, `.`, `_` or `-`"
            ))
        }
    }
}

impl From<ModelName> for String {
    fn from(name: ModelName) -> Self {
        name.0
    }
}

impl fmt::Display for ModelName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A subject-line length: 20 to 200 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "u64")]
pub struct SubjectLength(pub usize);

impl TryFrom<u64> for SubjectLength {
    type Error = String;

    fn try_from(length: u64) -> Result<Self, Self::Error> {
        match usize::try_from(length) {
            Ok(length @ 20..=200) => Ok(Self(length)),
            _ => Err(format!("max_subject must be between 20 and 200, not {length}")),
        }
    }
}

/// A duration written as `30s`, `500ms`, `2m` or `1m30s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct HumanDuration(pub Duration);

impl TryFrom<String> for HumanDuration {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl FromStr for HumanDuration {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!("invalid duration `{text}`: write a number and a unit, like 500ms, 30s or 2m")
        };
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(invalid());
        }
        let mut total = Duration::ZERO;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(invalid)?;
            let number: u64 = rest[..digits].parse().map_err(|_| invalid())?;
            rest = &rest[digits..];
            let unit_length = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            let part = match &rest[..unit_length] {
                "ms" => Duration::from_millis(number),
                "s" => Duration::from_secs(number),
                "m" => Duration::from_secs(number.saturating_mul(60)),
                "h" => Duration::from_secs(number.saturating_mul(3600)),
                _ => return Err(invalid()),
            };
            total = total.saturating_add(part);
            rest = &rest[unit_length..];
        }
        if total.is_zero() || total > Duration::from_secs(24 * 3600) {
            return Err(format!("duration `{text}` must be more than zero and at most 24h"));
        }
        Ok(Self(total))
    }
}

/// Writes a duration the way the configuration reads it back: `30s`, `500ms`, `1m30s`.
pub fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis % 1000 != 0 {
        return format!("{millis}ms");
    }
    let seconds = millis / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut text = String::new();
    for (amount, unit) in [(hours, "h"), (minutes, "m"), (seconds, "s")] {
        if amount > 0 {
            text.push_str(&format!("{amount}{unit}"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit_and_round_trip() {
        for (text, millis) in [
            ("500ms", 500),
            ("30s", 30_000),
            ("2m", 120_000),
            ("1m30s", 90_000),
            ("1h", 3_600_000),
            ("1h1s", 3_601_000),
        ] {
            let parsed: HumanDuration = text.parse().expect("valid duration");
            assert_eq!(parsed.0, Duration::from_millis(millis), "{text}");
            assert_eq!(format_duration(parsed.0), text);
        }
    }

    #[test]
    fn durations_reject_missing_units_zero_and_garbage() {
        for text in ["30", "", "s", "0s", "30 seconds", "-1s", "25h", "1.5s"] {
            assert!(text.parse::<HumanDuration>().is_err(), "{text} should be rejected");
        }
    }

    #[test]
    fn model_names_are_restricted_to_safe_characters() {
        assert!(ModelName::try_from("gemini-3.5_flash".to_string()).is_ok());
        assert!(ModelName::try_from(String::new()).is_err());
        assert!(ModelName::try_from("a b".to_string()).is_err());
        assert!(ModelName::try_from("a,b".to_string()).is_err());
    }
}
