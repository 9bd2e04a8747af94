//! Configuration: YAML layers (built-in defaults < user file < repository file < `CHANGES_*`
//! variables < command-line flags) resolved once into plain `Settings`, with the origin of
//! every value kept for `changes config show`. Loading never writes anything.

mod layer;
mod show;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::env::{self, Environment};
use crate::secret::ApiKey;

pub use layer::{
    format_duration, BlockPolicy, CommitSource, CommitStyle, HumanDuration, Layer, MergeMode,
    ModelName, Provider,
};
pub use show::render_annotated;

/// The built-in defaults, a real configuration file read by the same loader as user files.
pub const DEFAULT_YAML: &str = include_str!("default.yaml");
/// The commented starter file that `changes config init` writes.
pub const STARTER_YAML: &str = include_str!("starter.yaml");
/// Name of the repository configuration file at the work-tree root.
pub const REPOSITORY_FILE_NAME: &str = ".changes.yaml";

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The compiled-in `default.yaml`.
    Default,
    /// The user file.
    UserFile(PathBuf),
    /// The repository's `.changes.yaml`.
    RepositoryFile(PathBuf),
    /// A `CHANGES_*` variable.
    Environment(&'static str),
    /// A command-line flag.
    CommandLine(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => formatter.write_str("built-in default"),
            Origin::UserFile(path) | Origin::RepositoryFile(path) => {
                write!(formatter, "{}", path.display())
            }
            Origin::Environment(name) => write!(formatter, "environment {name}"),
            Origin::CommandLine(flag) => write!(formatter, "command line {flag}"),
        }
    }
}

/// A configuration problem, naming the file (or variable), the line where known, and the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or variable is not valid YAML for the schema.
    #[error("{origin}{line}: {message}", line = line.map(|line| format!(":{line}")).unwrap_or_default())]
    Invalid {
        /// Where the bad text is.
        origin: Origin,
        /// 1-based line, when the parser knows it.
        line: Option<usize>,
        /// What is wrong, naming the key.
        message: String,
    },
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One model, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelSettings {
    /// Unique name.
    pub name: ModelName,
    /// Wire format and presets.
    pub provider: Provider,
    /// The provider's model id.
    pub model: String,
    /// Endpoint override, if any.
    pub base_url: Option<String>,
    /// Variable holding the key, if overridden.
    pub api_key_env: Option<String>,
    /// Deadline for one request.
    #[serde(serialize_with = "serialize_duration")]
    pub timeout: Duration,
    /// Cap on requests in flight.
    pub max_concurrency: usize,
    /// Input tokens one request may carry.
    pub context_tokens: usize,
    /// A key from the user file, used when the key variable is not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<ApiKey>,
}

/// `commit:` resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitSettings {
    /// Message style.
    pub style: CommitStyle,
    /// How drafts are combined.
    pub merge: MergeMode,
    /// Longest subject line in characters.
    pub max_subject: usize,
    /// Sources left untouched by `prepare-commit-msg`.
    pub skip_sources: Vec<CommitSource>,
    /// Deadline for one whole draft.
    #[serde(serialize_with = "serialize_duration")]
    pub timeout: Duration,
    /// Whether to write a draft nobody will review because no editor opens.
    pub draft_without_editor: bool,
}

/// `push:` resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushSettings {
    /// When the review may stop a push.
    pub block: BlockPolicy,
    /// Deadline for the review.
    #[serde(serialize_with = "serialize_duration")]
    pub timeout: Duration,
    /// Newest commits reviewed.
    pub max_commits: usize,
    /// Folder for the reports; `None`: `<git dir>/changes/reports`.
    pub report_dir: Option<String>,
}

/// `report:` resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSettings {
    /// Deadline for the whole report.
    #[serde(serialize_with = "serialize_duration")]
    pub timeout: Duration,
}

/// `conventions:` resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConventionsSettings {
    /// Whether drafts follow the conventions learned from the history and rule files.
    pub enabled: bool,
    /// Newest first-parent commits the profile learns from.
    pub history: usize,
    /// A free-text guide to commit messages, relative to the work-tree root.
    pub guide: Option<String>,
}

/// `limits:` resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Patch bytes sent per file.
    pub max_file_bytes: usize,
    /// Patch bytes sent per run.
    pub max_total_bytes: usize,
}

/// The whole configuration, resolved once; nothing downstream deals with missing values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Every model, in configured order.
    pub models: Vec<ModelSettings>,
    /// Names of the default models, each present in `models`.
    pub defaults: Vec<ModelName>,
    /// Commit drafting.
    pub commit: CommitSettings,
    /// Pre-push review.
    pub push: PushSettings,
    /// The date-range report.
    pub report: ReportSettings,
    /// User globs whose content is never sent, from every layer.
    pub exclude: Vec<String>,
    /// Byte caps.
    pub limits: Limits,
    /// Whether secrets are redacted.
    pub redact: bool,
    /// Whether hooks are no-ops.
    pub skip: bool,
    /// The repository's own conventions.
    pub conventions: ConventionsSettings,
}

impl Settings {
    /// The model with this name.
    pub fn model(&self, name: &str) -> Option<&ModelSettings> {
        self.models.iter().find(|model| model.name.as_str() == name)
    }
}

fn serialize_duration<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_duration(*duration))
}

/// Overrides taken from command-line flags, the last layer.
#[derive(Debug, Clone, Default)]
pub struct FlagOverrides {
    /// `--timeout`: the deadline of this run, whichever job it does.
    pub timeout: Option<Duration>,
}

/// The resolved settings and the origin of every value, keyed by dotted path
/// (`commit.style`, `models.claude.timeout`, `exclude.0`).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The settings.
    pub settings: Settings,
    /// Origin of each value.
    pub origins: BTreeMap<String, Origin>,
    /// The files that were looked for, and whether each existed.
    pub files: Vec<(Origin, bool)>,
}

/// Reads every layer and resolves them. `repository_root` is the work-tree root, when there is
/// one. Missing files are fine; unreadable or invalid ones are errors.
pub fn load(
    environment: &Environment,
    repository_root: Option<&Path>,
    flags: &FlagOverrides,
) -> Result<Loaded, ConfigError> {
    let mut resolver = Resolver::default();
    let mut files = Vec::new();
    resolver.apply(parse_layer(DEFAULT_YAML, &Origin::Default)?, &Origin::Default)?;

    let user_file = environment.user_config_path().map(Origin::UserFile);
    let repository_file =
        repository_root.map(|root| Origin::RepositoryFile(root.join(REPOSITORY_FILE_NAME)));
    for origin in user_file.into_iter().chain(repository_file) {
        let (Origin::UserFile(path) | Origin::RepositoryFile(path)) = &origin else {
            continue;
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(ConfigError::Unreadable { path: path.clone(), source }),
        };
        files.push((origin.clone(), text.is_some()));
        if let Some(text) = text {
            resolver.apply(parse_layer(&text, &origin)?, &origin)?;
        }
    }

    for (variable, key) in env::CONFIG_VARIABLES {
        if let Some(value) = environment.get(variable) {
            let origin = Origin::Environment(variable);
            resolver.apply(parse_variable(key, value, &origin)?, &origin)?;
        }
    }

    if let Some(timeout) = flags.timeout {
        let origin = Origin::CommandLine("--timeout");
        let layer = Layer {
            commit: Some(layer::CommitLayer {
                timeout: Some(HumanDuration(timeout)),
                ..Default::default()
            }),
            push: Some(layer::PushLayer {
                timeout: Some(HumanDuration(timeout)),
                ..Default::default()
            }),
            report: Some(layer::ReportLayer { timeout: Some(HumanDuration(timeout)) }),
            ..Default::default()
        };
        resolver.apply(layer, &origin)?;
    }

    let (settings, origins) = resolver.finish()?;
    Ok(Loaded { settings, origins, files })
}

/// Parses one file's text. An empty file (or one with only comments) is an empty layer.
pub fn parse_layer(text: &str, origin: &Origin) -> Result<Layer, ConfigError> {
    let invalid = |error: serde_yaml::Error| ConfigError::Invalid {
        origin: origin.clone(),
        line: error.location().map(|location| location.line()),
        message: strip_location(&error.to_string()),
    };
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(invalid)?;
    if value.is_null() {
        return Ok(Layer::default());
    }
    serde_yaml::from_str(text).map_err(invalid)
}

/// Parses one `CHANGES_*` variable as the YAML value of `key` (`commit.style`, `exclude`, ...).
/// A list key also takes comma-separated words.
fn parse_variable(key: &str, value: &str, origin: &Origin) -> Result<Layer, ConfigError> {
    let is_list = matches!(key, "defaults" | "exclude" | "commit.skip_sources");
    let value = if is_list && !value.trim_start().starts_with('[') {
        let items: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| serde_yaml::to_string(item).unwrap_or_default().trim_end().to_string())
            .collect();
        format!("[{}]", items.join(", "))
    } else {
        value.to_string()
    };
    let text = match key.split_once('.') {
        Some((section, field)) => format!("{section}:\n  {field}: {value}\n"),
        None => format!("{key}: {value}\n"),
    };
    parse_layer(&text, origin).map_err(|error| match error {
        ConfigError::Invalid { origin, message, .. } => {
            ConfigError::Invalid { origin, line: None, message: format!("{key}: {message}") }
        }
        other => other,
    })
}

/// serde_yaml appends " at line L column C" to its messages; the line is shown separately.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Folds layers in order into settings, recording where each value came from.
#[derive(Default)]
struct Resolver {
    models: Vec<PartialModel>,
    defaults: Option<Vec<String>>,
    commit: layer::CommitLayer,
    push: layer::PushLayer,
    report: layer::ReportLayer,
    exclude: Vec<String>,
    limits: layer::LimitsLayer,
    redact: Option<bool>,
    skip: Option<bool>,
    conventions: layer::ConventionsLayer,
    origins: BTreeMap<String, Origin>,
}

/// A model while layers are being folded.
struct PartialModel {
    fields: layer::ModelLayer,
    origin: Origin,
}

/// Copies each listed field of a layer section that is set into the resolver's section of
/// the same name, recording the origin under `section.field`.
macro_rules! take_fields {
    ($resolver:ident, $origin:ident, $section:ident, $layer:expr, [$($field:ident),*]) => {
        $(
            if let Some(value) = $layer.$field {
                $resolver.$section.$field = Some(value);
                $resolver.origins.insert(
                    concat!(stringify!($section), ".", stringify!($field)).to_string(),
                    $origin.clone(),
                );
            }
        )*
    };
}

impl Resolver {
    fn apply(&mut self, layer: Layer, origin: &Origin) -> Result<(), ConfigError> {
        for model in layer.models.unwrap_or_default() {
            if model.api_key.is_some() && !matches!(origin, Origin::UserFile(_)) {
                return Err(ConfigError::Invalid {
                    origin: origin.clone(),
                    line: None,
                    message: format!(
                        "models.{}.api_key: a key belongs in your user file or in a variable, \
                         never in a file that may be committed",
                        model.name
                    ),
                });
            }
            self.apply_model(model, origin);
        }
        if let Some(defaults) = layer.defaults {
            self.defaults = Some(defaults);
            self.origins.insert("defaults".to_string(), origin.clone());
        }
        if let Some(commit) = layer.commit {
            take_fields!(
                self,
                origin,
                commit,
                commit,
                [style, merge, max_subject, skip_sources, timeout, draft_without_editor]
            );
        }
        if let Some(push) = layer.push {
            take_fields!(self, origin, push, push, [block, timeout, max_commits, report_dir]);
        }
        if let Some(report) = layer.report {
            take_fields!(self, origin, report, report, [timeout]);
        }
        if layer.exclude.is_some() {
            self.origins.insert("exclude".to_string(), origin.clone());
        }
        for pattern in layer.exclude.unwrap_or_default() {
            if !self.exclude.contains(&pattern) {
                self.origins.insert(format!("exclude.{}", self.exclude.len()), origin.clone());
                self.exclude.push(pattern);
            }
        }
        if let Some(conventions) = layer.conventions {
            take_fields!(self, origin, conventions, conventions, [enabled, history, guide]);
        }
        if let Some(limits) = layer.limits {
            take_fields!(self, origin, limits, limits, [max_file_bytes, max_total_bytes]);
        }
        for (value, target, key) in
            [(layer.redact, &mut self.redact, "redact"), (layer.skip, &mut self.skip, "skip")]
        {
            if let Some(value) = value {
                *target = Some(value);
                self.origins.insert(key.to_string(), origin.clone());
            }
        }
        Ok(())
    }

    fn apply_model(&mut self, model: layer::ModelLayer, origin: &Origin) {
        let name = model.name.clone();
        let prefix = format!("models.{name}");
        let index = match self.models.iter().position(|known| known.fields.name == name) {
            Some(index) => index,
            None => {
                self.origins.insert(format!("{prefix}.name"), origin.clone());
                self.models.push(PartialModel {
                    fields: layer::ModelLayer {
                        name,
                        provider: None,
                        model: None,
                        base_url: None,
                        api_key_env: None,
                        timeout: None,
                        max_concurrency: None,
                        context_tokens: None,
                        api_key: None,
                    },
                    origin: origin.clone(),
                });
                self.models.len() - 1
            }
        };
        let target = &mut self.models[index].fields;
        let origins = &mut self.origins;
        let mut record = |key: &str| {
            origins.insert(format!("{prefix}.{key}"), origin.clone());
        };
        if let Some(value) = model.provider {
            target.provider = Some(value);
            record("provider");
        }
        if let Some(value) = model.model {
            target.model = Some(value);
            record("model");
        }
        if let Some(value) = model.base_url {
            target.base_url = Some(value);
            record("base_url");
        }
        if let Some(value) = model.api_key_env {
            target.api_key_env = Some(value);
            record("api_key_env");
        }
        if let Some(value) = model.timeout {
            target.timeout = Some(value);
            record("timeout");
        }
        if let Some(value) = model.max_concurrency {
            target.max_concurrency = Some(value);
            record("max_concurrency");
        }
        if let Some(value) = model.context_tokens {
            target.context_tokens = Some(value);
            record("context_tokens");
        }
        if let Some(value) = model.api_key {
            target.api_key = Some(value);
            record("api_key");
        }
    }

    fn finish(self) -> Result<(Settings, BTreeMap<String, Origin>), ConfigError> {
        let origins = self.origins;
        let missing = |key: &str| {
            let origin = origins.get(key).cloned().unwrap_or(Origin::Default);
            ConfigError::Invalid { origin, line: None, message: format!("{key}: no value set") }
        };
        let mut models = Vec::with_capacity(self.models.len());
        for PartialModel { fields, origin } in self.models {
            let key = |field: &str| format!("models.{}.{field}", fields.name);
            let required = |field: &str| ConfigError::Invalid {
                origin: origin.clone(),
                line: None,
                message: format!(
                    "{}: a new model needs `{field}` (known providers: openai, anthropic, gemini, \
                     groq, deepseek, openrouter, ollama, openai-compatible, local)",
                    key(field)
                ),
            };
            let provider = fields.provider.ok_or_else(|| required("provider"))?;
            let model = match fields.model {
                Some(model) => model,
                None if provider == Provider::Local => "builtin".to_string(),
                None => return Err(required("model")),
            };
            models.push(ModelSettings {
                name: fields.name,
                provider,
                model,
                base_url: fields.base_url,
                api_key_env: fields.api_key_env,
                timeout: fields.timeout.map_or(Duration::from_secs(30), |timeout| timeout.0),
                max_concurrency: fields.max_concurrency.map_or(4, |cap| cap.get()),
                context_tokens: fields.context_tokens.map_or(32_000, |tokens| tokens.get()),
                api_key: fields.api_key,
            });
        }

        let defaults_origin = origins.get("defaults").cloned().unwrap_or(Origin::Default);
        let mut defaults = Vec::new();
        for name in self.defaults.ok_or_else(|| missing("defaults"))? {
            if !models.iter().any(|model| model.name.as_str() == name) {
                let known: Vec<&str> = models.iter().map(|model| model.name.as_str()).collect();
                return Err(ConfigError::Invalid {
                    origin: defaults_origin,
                    line: None,
                    message: format!(
                        "defaults: no model named `{name}` (configured: {})",
                        known.join(", ")
                    ),
                });
            }
            let name = ModelName::try_from(name).map_err(|message| ConfigError::Invalid {
                origin: defaults_origin.clone(),
                line: None,
                message,
            })?;
            if !defaults.contains(&name) {
                defaults.push(name);
            }
        }

        let commit = CommitSettings {
            style: self.commit.style.ok_or_else(|| missing("commit.style"))?,
            merge: self.commit.merge.ok_or_else(|| missing("commit.merge"))?,
            max_subject: self.commit.max_subject.ok_or_else(|| missing("commit.max_subject"))?.0,
            skip_sources: self.commit.skip_sources.ok_or_else(|| missing("commit.skip_sources"))?,
            timeout: self.commit.timeout.ok_or_else(|| missing("commit.timeout"))?.0,
            draft_without_editor: self
                .commit
                .draft_without_editor
                .ok_or_else(|| missing("commit.draft_without_editor"))?,
        };
        let push = PushSettings {
            block: self.push.block.ok_or_else(|| missing("push.block"))?,
            timeout: self.push.timeout.ok_or_else(|| missing("push.timeout"))?.0,
            max_commits: self.push.max_commits.ok_or_else(|| missing("push.max_commits"))?.get(),
            report_dir: self.push.report_dir,
        };
        let report = ReportSettings {
            timeout: self.report.timeout.ok_or_else(|| missing("report.timeout"))?.0,
        };
        let limits = Limits {
            max_file_bytes: self
                .limits
                .max_file_bytes
                .ok_or_else(|| missing("limits.max_file_bytes"))?
                .get(),
            max_total_bytes: self
                .limits
                .max_total_bytes
                .ok_or_else(|| missing("limits.max_total_bytes"))?
                .get(),
        };
        let settings = Settings {
            models,
            defaults,
            commit,
            push,
            report,
            exclude: self.exclude,
            limits,
            redact: self.redact.ok_or_else(|| missing("redact"))?,
            skip: self.skip.ok_or_else(|| missing("skip"))?,
            conventions: ConventionsSettings {
                enabled: self.conventions.enabled.ok_or_else(|| missing("conventions.enabled"))?,
                history: self.conventions.history.ok_or_else(|| missing("conventions.history"))?,
                guide: self.conventions.guide,
            },
        };
        Ok((settings, origins))
    }
}

#[cfg(test)]
mod tests;
