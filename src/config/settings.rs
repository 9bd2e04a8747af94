//! The resolved configuration: plain structs deserialized once, with serde, from the merged tree
//! of every layer. Each key lives in its field here, its value in `default.yaml`, and (when it
//! has one) its variable in `env::CONFIG_VARIABLES`; nothing downstream deals with missing
//! values.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};

use super::values::{
    duration, optional_text, positive, subject_length, text, texts, BlockPolicy, CommitSource,
    CommitStyle, MergeMode, ModelName, Probe, ProviderName, WireFormat,
};
use crate::secret::ApiKey;

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Every model, in configured order.
    pub models: Vec<ModelSettings>,
    /// Names of the default models, each present in `models`, each once.
    pub defaults: Vec<ModelName>,
    /// Commit drafting.
    pub commit: CommitSettings,
    /// Pre-push review.
    pub push: PushSettings,
    /// The date-range report.
    pub report: ReportSettings,
    /// User globs whose content is never sent, from every layer.
    #[serde(deserialize_with = "texts")]
    pub exclude: Vec<String>,
    /// Byte caps.
    pub limits: Limits,
    /// Whether secrets are redacted.
    pub redact: bool,
    /// Whether hooks are no-ops.
    pub skip: bool,
    /// Whether several network models write the per-file summaries together, each a share,
    /// and each writes its own draft from all of them.
    pub share_summaries: bool,
    /// How drafts follow the repository's own conventions.
    pub conventions: ConventionsSettings,
    /// The provider table: one row per provider a model may name.
    pub providers: Vec<Provider>,
    /// What every model gets for the keys neither its entry nor its provider's row sets.
    pub model_defaults: yaml_serde::Mapping,
}

impl Settings {
    /// The model with this name.
    pub fn model(&self, name: &str) -> Option<&ModelSettings> {
        self.models.iter().find(|model| model.name.as_str() == name)
    }
}

/// One model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    /// Unique name used in `--models` and in output.
    pub name: ModelName,
    /// Its provider's row of the table, resolved when the configuration is loaded; written
    /// back as the provider's name.
    #[serde(serialize_with = "provider_name")]
    pub provider: Provider,
    /// The provider's model id.
    #[serde(deserialize_with = "text")]
    pub model: String,
    /// Endpoint override, if any; shown without credentials.
    #[serde(default, deserialize_with = "optional_text", serialize_with = "shown_url")]
    pub base_url: Option<String>,
    /// Variable holding the key, overriding the provider's usual ones.
    #[serde(default, deserialize_with = "optional_text")]
    pub api_key_env: Option<String>,
    /// Deadline for one request.
    #[serde(with = "duration")]
    pub timeout: Duration,
    /// Cap on requests in flight to this model.
    #[serde(deserialize_with = "positive")]
    pub max_concurrency: usize,
    /// Input tokens one request may carry; larger changes are summarized per file first.
    #[serde(deserialize_with = "positive")]
    pub context_tokens: usize,
    /// Expected time to the first token of an answer, for planning (corrected by the times
    /// measured in earlier runs).
    #[serde(with = "duration")]
    pub first_token: Duration,
    /// Input tokens the model reads per second, for planning.
    #[serde(deserialize_with = "positive")]
    pub input_tokens_per_second: usize,
    /// Output tokens the model writes per second, for planning: what most of a request's
    /// time is.
    #[serde(deserialize_with = "positive")]
    pub output_tokens_per_second: usize,
    /// The key itself, for GUI clients that do not see your shell's variables. Only allowed in
    /// the user file, never in a file that may be committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<ApiKey>,
}

#[cfg(test)]
impl ModelSettings {
    /// A model of the built-in provider row `provider`, for tests: a 10 s timeout, 4 requests
    /// in flight, 32,000 tokens of context, and the speed of the reference model.
    pub(crate) fn example(name: &str, provider: &str, model: &str) -> Self {
        Self {
            name: ModelName::try_from(name.to_string()).unwrap_or_else(|error| panic!("{error}")),
            provider: Provider::built_in(provider).unwrap_or_else(|| panic!("no row {provider}")),
            model: model.to_string(),
            base_url: None,
            api_key_env: None,
            timeout: Duration::from_secs(10),
            max_concurrency: 4,
            context_tokens: 32_000,
            first_token: Duration::from_millis(400),
            input_tokens_per_second: 20_000,
            output_tokens_per_second: 80,
            api_key: None,
        }
    }
}

/// A model names its provider; the whole row travels with it.
fn provider_name<S: Serializer>(provider: &Provider, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(provider.name.as_str())
}

/// One row of the provider table: everything a request to this provider needs but the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// What a model writes in `provider:`.
    pub name: ProviderName,
    /// How requests are made and answers read.
    pub wire: WireFormat,
    /// Variables that may hold the key, in the order they are tried; empty when none is needed.
    #[serde(default)]
    pub key_variables: Vec<String>,
    /// Variable that overrides `public_url`.
    pub base_url_variable: Option<String>,
    /// Where requests go when neither the model's `base_url` nor the variable says otherwise.
    pub public_url: Option<String>,
    /// For a server named by its host (Ollama): the path of the API under it. The variable may
    /// then leave out the scheme (`localhost:11434`), which means `http://`.
    pub api_path: Option<String>,
    /// How to see that the provider's local server runs; its models are then asked by default
    /// without being in `defaults`.
    pub probe: Option<Probe>,
    /// Values every model of this provider takes unless it sets its own: `model`, `timeout`,
    /// `max_concurrency`, `context_tokens`, and any other key a model takes but those that
    /// say which model it is or where its requests and key go.
    #[serde(default)]
    pub model_defaults: yaml_serde::Mapping,
}

impl Provider {
    /// The name used in configuration files.
    pub fn as_str(&self) -> &str {
        self.name.as_str()
    }

    /// True for the built-in offline engine, which sends nothing anywhere.
    pub fn is_offline(&self) -> bool {
        self.wire == WireFormat::Offline
    }

    /// The row of the built-in table with this name (for tests that build settings by hand).
    #[cfg(test)]
    pub fn built_in(name: &str) -> Option<Provider> {
        let loaded = super::load(
            &crate::env::Environment::default(),
            None,
            &super::FlagOverrides::default(),
        )
        .ok()?;
        loaded.settings.providers.into_iter().find(|provider| provider.as_str() == name)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// `commit:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitSettings {
    /// Message style.
    pub style: CommitStyle,
    /// How drafts are combined.
    pub merge: MergeMode,
    /// Longest subject line in characters (20 to 200).
    #[serde(deserialize_with = "subject_length")]
    pub max_subject: usize,
    /// Sources left untouched by `prepare-commit-msg`.
    pub skip_sources: Vec<CommitSource>,
    /// Deadline for one whole draft.
    #[serde(with = "duration")]
    pub timeout: Duration,
    /// Whether to write a draft nobody will review because no editor opens.
    pub draft_without_editor: bool,
}

/// `push:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushSettings {
    /// When the review may stop a push.
    pub block: BlockPolicy,
    /// Deadline for the review.
    #[serde(with = "duration")]
    pub timeout: Duration,
    /// Newest commits reviewed.
    #[serde(deserialize_with = "positive")]
    pub max_commits: usize,
    /// Folder for the reports, relative to the work-tree root unless absolute; `None`:
    /// `<git dir>/changes/reports`.
    #[serde(default, deserialize_with = "optional_text")]
    pub report_dir: Option<String>,
}

/// `report:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Deadline for the whole report.
    #[serde(with = "duration")]
    pub timeout: Duration,
}

/// `conventions:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConventionsSettings {
    /// Whether drafts follow the conventions learned from the history and rule files.
    pub enabled: bool,
    /// Newest first-parent commits the profile learns from.
    pub history: usize,
    /// A free-text guide to commit messages, relative to the work-tree root.
    #[serde(default, deserialize_with = "optional_text")]
    pub guide: Option<String>,
}

/// `limits:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Patch bytes sent per file.
    #[serde(deserialize_with = "positive")]
    pub max_file_bytes: usize,
    /// Patch bytes sent per run.
    #[serde(deserialize_with = "positive")]
    pub max_total_bytes: usize,
}

/// The keys a model entry takes, as serde's derive lists them, so that a provider's
/// `model_defaults` is checked against the one definition above.
pub(super) fn model_keys() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    /// Answers serde's request to deserialize a struct by handing back the struct's fields.
    struct FieldNames;

    /// The fields, carried out as an error since nothing is deserialized.
    #[derive(Debug)]
    struct Fields(&'static [&'static str]);

    impl fmt::Display for Fields {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str(&self.0.join(", "))
        }
    }

    impl std::error::Error for Fields {}

    impl de::Error for Fields {
        fn custom<T: fmt::Display>(_message: T) -> Self {
            Fields(&[])
        }
    }

    impl<'de> de::Deserializer<'de> for FieldNames {
        type Error = Fields;

        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Fields> {
            Err(Fields(&[]))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Fields> {
            Err(Fields(fields))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    match ModelSettings::deserialize(FieldNames) {
        Err(Fields(fields)) => fields,
        Ok(_) => &[],
    }
}

/// A URL as `config show` writes it: credentials in it are never shown.
fn shown_url<S: serde::Serializer>(url: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match url {
        Some(url) => serializer.serialize_some(&crate::text::without_credentials(url)),
        None => serializer.serialize_none(),
    }
}
