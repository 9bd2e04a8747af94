//! The value types of the configuration: each one checks itself while it is deserialized (a
//! duration's unit, a subject length's range, a name's characters), so that a bad value fails
//! at its key, and the loader can name the file and line it came from.

use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::time::Duration;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a provider's requests are made: the adapter that builds them and reads the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WireFormat {
    /// OpenAI Chat Completions as OpenAI itself speaks it: reasoning models get a `developer`
    /// message, `max_completion_tokens` and no `temperature`.
    Openai,
    /// Chat Completions as other servers speak it (Groq, DeepSeek, OpenRouter, Ollama, vLLM...):
    /// a `system` message and `max_tokens`.
    OpenaiCompatible,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini generateContent.
    Gemini,
    /// No network at all: the built-in offline engine answers.
    Offline,
}

/// How to tell that a provider's local server is running, so that its models are asked by
/// default without a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    /// Ollama's `GET /api/tags` answers and lists the model as pulled.
    Ollama,
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

/// When the pre-push review may stop a push: never, or when a finding inside the pushed
/// change is at least as severe as a priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockPolicy {
    /// The push always proceeds.
    Never,
    /// The older name of `p1`: a P0 or P1 finding stops the push.
    OnFindings,
    /// Only a P0 finding stops the push.
    P0,
    /// A P0 or P1 finding stops the push.
    P1,
    /// A finding of P2 or worse stops the push.
    P2,
    /// Any finding stops the push.
    P3,
}

impl BlockPolicy {
    /// The least severe priority that stops a push, `None` when nothing does.
    pub(crate) fn threshold(self) -> Option<crate::answer::Priority> {
        use crate::answer::Priority;
        match self {
            BlockPolicy::Never => None,
            BlockPolicy::P0 => Some(Priority::P0),
            BlockPolicy::OnFindings | BlockPolicy::P1 => Some(Priority::P1),
            BlockPolicy::P2 => Some(Priority::P2),
            BlockPolicy::P3 => Some(Priority::P3),
        }
    }

    /// The value as written in a configuration file.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockPolicy::Never => "never",
            BlockPolicy::OnFindings => "on-findings",
            BlockPolicy::P0 => "p0",
            BlockPolicy::P1 => "p1",
            BlockPolicy::P2 => "p2",
            BlockPolicy::P3 => "p3",
        }
    }
}

/// A model name: letters, digits, `.`, `_` and `-`, so it is safe in flags, files and output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct ModelName(String);

/// A provider name, as a model gives it in `provider:`; the same characters as a model name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProviderName(String);

/// The checks, accessors and conversions both kinds of names share.
macro_rules! safe_name {
    ($type:ident, $what:literal) => {
        impl $type {
            /// The name as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $type {
            type Error = String;

            fn try_from(name: String) -> Result<Self, Self::Error> {
                let valid = !name.is_empty()
                    && name.len() <= 64
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if valid {
                    Ok(Self(name))
                } else {
                    Err(format!(
                        concat!(
                            "invalid ",
                            $what,
                            " name `{}`: use 1 to 64 letters, digits, `.`, `_` or `-`"
                        ),
                        name
                    ))
                }
            }
        }

        impl From<$type> for String {
            fn from(name: $type) -> Self {
                name.0
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }
    };
}

safe_name!(ModelName, "model");
safe_name!(ProviderName, "provider");

/// A subject-line length: 20 to 200 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "u64")]
pub(super) struct SubjectLength(pub usize);

impl TryFrom<u64> for SubjectLength {
    type Error = String;

    fn try_from(length: u64) -> Result<Self, Self::Error> {
        match usize::try_from(length) {
            Ok(length @ 20..=200) => Ok(Self(length)),
            _ => Err(format!("must be between 20 and 200, not {length}")),
        }
    }
}

/// A duration written as `30s`, `500ms`, `2m` or `1m30s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanDuration(pub Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Takes text, and says what is wrong with a bare number (`timeout: 30`) in words
        /// rather than as a type error: the unit is what is missing.
        struct DurationVisitor;

        impl Visitor<'_> for DurationVisitor {
            type Value = HumanDuration;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a duration such as 500ms, 30s or 2m")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<HumanDuration, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<HumanDuration, E> {
                self.visit_str(&number.to_string())
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<HumanDuration, E> {
                self.visit_str(&number.to_string())
            }

            fn visit_f64<E: de::Error>(self, number: f64) -> Result<HumanDuration, E> {
                self.visit_str(&number.to_string())
            }
        }

        deserializer.deserialize_any(DurationVisitor)
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

/// Serde adapter for a `Duration` field written as `30s`: read through `HumanDuration`, written
/// back by `format_duration`.
pub(super) mod duration {
    use super::*;

    pub(in crate::config) fn serialize<S: Serializer>(
        duration: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_duration(*duration))
    }

    pub(in crate::config) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        HumanDuration::deserialize(deserializer).map(|duration| duration.0)
    }
}

/// Text where YAML would read a plain scalar as something else (`exclude: [2024]`, `model: 4`):
/// the scalar as written, as a file's text is read where text is expected.
#[derive(Debug)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Takes any scalar as its text.
        struct TextVisitor;

        impl Visitor<'_> for TextVisitor {
            type Value = Text;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text(text.to_string()))
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Text, E> {
                Ok(Text(number.to_string()))
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Text, E> {
                Ok(Text(number.to_string()))
            }

            fn visit_f64<E: de::Error>(self, number: f64) -> Result<Text, E> {
                Ok(Text(number.to_string()))
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

/// Reads a text field through `Text`.
pub(super) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Text::deserialize(deserializer).map(|text| text.0)
}

/// Reads an optional text field through `Text`.
pub(super) fn optional_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<Text>::deserialize(deserializer).map(|text| text.map(|text| text.0))
}

/// Reads a list of texts through `Text`.
pub(super) fn texts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Vec::<Text>::deserialize(deserializer)
        .map(|texts| texts.into_iter().map(|text| text.0).collect())
}

/// Reads a count that must be at least one (`max_concurrency`, byte caps) into a plain `usize`.
pub(super) fn positive<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    NonZeroUsize::deserialize(deserializer).map(NonZeroUsize::get)
}

/// Reads `max_subject` (20 to 200) into a plain `usize`.
pub(super) fn subject_length<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<usize, D::Error> {
    SubjectLength::deserialize(deserializer).map(|length| length.0)
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
    fn a_bare_number_is_an_invalid_duration_in_words() {
        let error = yaml_serde::from_value::<HumanDuration>(yaml_serde::Value::from(30))
            .expect_err("no unit");
        assert!(error.to_string().starts_with("invalid duration `30`"), "{error}");
    }

    #[test]
    fn model_names_are_restricted_to_safe_characters() {
        assert!(ModelName::try_from("gemini-3.5_flash".to_string()).is_ok());
        assert!(ModelName::try_from(String::new()).is_err());
        assert!(ModelName::try_from("a b".to_string()).is_err());
        assert!(ModelName::try_from("a,b".to_string()).is_err());
        assert!(ProviderName::try_from("mistral".to_string()).is_ok());
        assert!(ProviderName::try_from("a/b".to_string()).is_err());
    }
}
