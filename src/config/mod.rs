//! Configuration: YAML layers (built-in defaults < user file < repository file < `CHANGES_*`
//! variables < command-line flags), each parsed to a value tree, merged in order with the
//! origin of every value kept for `changes config show`, then deserialized once into plain
//! `Settings`. Every default, per-model ones included, is in `default.yaml`. Loading never
//! writes anything.
//!
//! Layout: `layer` (one file, variable or flag as a tree), `merge` (the merge rules, the
//! origins, and resolving each model's provider row), `locate` (the line of a key, found when
//! something is wrong), `settings` (the one schema), `values` (value types that check
//! themselves), `show` (`config show`).

mod layer;
mod locate;
mod merge;
mod settings;
mod show;
pub(crate) mod trust;
mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::env::{self, Environment};
use merge::{KeyError, Merged};

pub(crate) use layer::Layer;
pub use settings::{
    CommitSettings, ConventionsSettings, Limits, ModelSettings, Provider, PushSettings,
    ReportSettings, Settings,
};
pub use show::render_annotated;
pub use values::{
    format_duration, BlockPolicy, CommitSource, CommitStyle, HumanDuration, MergeMode, ModelName,
    Probe, ProviderName, WireFormat,
};

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
    /// What the repository file set that does not apply until `changes trust` (dotted keys).
    pub held_back: Vec<String>,
    /// One line each about the repository file, to be said as warnings: what it holds back
    /// or refuses, or why it was left out.
    pub notices: Vec<String>,
}

/// Reads every layer and resolves them. `repository_root` is the work-tree root, when there is
/// one. Missing files are fine; an unreadable or invalid user file is an error. The repository
/// file is vetted (`trust`): what it may not set without the user's approval is held back,
/// and a repository file that is unreadable, invalid or a link out of the work tree is left
/// out with a notice, never a reason to stop.
pub fn load(
    environment: &Environment,
    repository_root: Option<&Path>,
    flags: &FlagOverrides,
) -> Result<Loaded, ConfigError> {
    let defaults = Layer::parse(DEFAULT_YAML.to_string(), Origin::Default)?;
    let mut layers = vec![defaults.clone()];
    let mut files = Vec::new();
    let mut notices = Vec::new();
    let mut held_back = Vec::new();

    if let Some(path) = environment.user_config_path() {
        let origin = Origin::UserFile(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(ConfigError::Unreadable { path, source }),
        };
        files.push((origin.clone(), text.is_some()));
        if let Some(text) = text {
            layers.push(Layer::parse(text, origin)?);
        }
    }
    let mut repository_layer = None;
    if let Some(root) = repository_root {
        let path = root.join(REPOSITORY_FILE_NAME);
        let origin = Origin::RepositoryFile(path.clone());
        match read_repository_file(root, &path) {
            Ok(None) => files.push((origin, false)),
            Ok(Some(text)) => {
                files.push((origin.clone(), true));
                let trusted = environment.state_dir().is_some_and(|state| {
                    trust::TrustStore::in_state_dir(&state).is_trusted(root, text.as_bytes())
                });
                let parsed = Layer::parse(text, origin).and_then(|layer| {
                    // Mistakes first, whatever trust says: a typo is a typo.
                    let mut with_it = layers.clone();
                    with_it.push(layer.clone());
                    match resolve(&with_it) {
                        Err(
                            error @ ConfigError::Invalid {
                                origin: Origin::RepositoryFile(_), ..
                            },
                        ) => Err(error),
                        _ => Ok(layer),
                    }
                });
                match parsed {
                    Ok(mut layer) => {
                        let base = resolve(&layers)?.0;
                        let vetted = trust::vet(&layer.tree, &base, trusted);
                        layer.tree = yaml_serde::Value::Mapping(vetted.tree);
                        if !vetted.untrusted.is_empty() {
                            notices.push(format!(
                                "{}: {} ignored until you run `changes trust` (`changes trust --show` says what it would change)",
                                path.display(),
                                vetted.untrusted.join(", ")
                            ));
                        }
                        if !vetted.refused.is_empty() {
                            notices.push(format!(
                                "{}: refused, trusted or not: {}",
                                path.display(),
                                vetted.refused.join(", ")
                            ));
                        }
                        held_back = vetted.untrusted;
                        repository_layer = Some(layers.len());
                        layers.push(layer);
                    }
                    Err(error) => notices.push(format!("{error}; the file is left out")),
                }
            }
            Err(why) => {
                files.push((origin, true));
                notices.push(format!("{}: {why}; the file is left out", path.display()));
            }
        }
    }

    for (variable, key) in env::CONFIG_VARIABLES {
        if let Some(value) = environment.get(variable) {
            // A key whose built-in value is a list also takes comma-separated words.
            let list = key
                .split('.')
                .try_fold(&defaults.tree, |node, segment| node.get(segment))
                .is_some_and(yaml_serde::Value::is_sequence);
            layers.push(Layer::from_variable(key, value, list, Origin::Environment(variable))?);
        }
    }

    if let Some(timeout) = flags.timeout {
        layers.push(Layer::from_timeout_flag(timeout));
    }

    let (settings, origins) = match (resolve(&layers), repository_layer) {
        (Ok(resolved), _) => resolved,
        // A repository file's mistake is its own: the run goes on without it.
        (
            Err(error @ ConfigError::Invalid { origin: Origin::RepositoryFile(_), .. }),
            Some(index),
        ) => {
            notices.push(format!("{error}; the file is left out"));
            layers.remove(index);
            held_back.clear();
            resolve(&layers)?
        }
        (Err(error), _) => return Err(error),
    };
    Ok(Loaded { settings, origins, files, held_back, notices })
}

/// The repository file's text, `None` when there is none; an error naming why it cannot be
/// used: unreadable, not UTF-8, or a link that leads out of the work tree (a repository
/// cannot make us read the user's other files as its configuration).
fn read_repository_file(root: &Path, path: &Path) -> Result<Option<String>, String> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read it: {error}")),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path)
                .map_err(|error| format!("a link that leads nowhere ({error})"))?;
            let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            if !target.starts_with(&root) {
                return Err(format!("a link out of the work tree (to {})", target.display()));
            }
        }
        Ok(_) => {}
    }
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read it: {error}"))?;
    String::from_utf8(bytes).map(Some).map_err(|_| "not UTF-8 text".to_string())
}

/// Merges the layers (built-in defaults first) and deserializes the result.
pub(crate) fn resolve(
    layers: &[Layer],
) -> Result<(Settings, BTreeMap<String, Origin>), ConfigError> {
    let mut merged = Merged::new(layers)?;
    match settings_of(&mut merged) {
        Ok(settings) => Ok((settings, merged.origins())),
        Err(error) => Err(merged.locate(error)),
    }
}

/// The settings of a merged tree. The provider table is read first, on its own: the models
/// name its rows, and each model takes its row's defaults before the whole tree is read.
fn settings_of(merged: &mut Merged<'_>) -> Result<Settings, KeyError> {
    /// The provider table alone.
    #[derive(serde::Deserialize)]
    struct Table {
        providers: Vec<Provider>,
    }

    let providers = merged.deserialize::<Table>()?.providers;
    merged.check_model_defaults(&providers)?;
    merged.resolve_models(&providers)?;
    let mut settings: Settings = merged.deserialize()?;
    check_defaults(&mut settings)?;
    Ok(settings)
}

/// Every name in `defaults` is a configured model; each is kept once, in order.
fn check_defaults(settings: &mut Settings) -> Result<(), KeyError> {
    let mut seen = Vec::new();
    for (index, name) in settings.defaults.iter().enumerate() {
        if settings.model(name.as_str()).is_none() {
            let known: Vec<&str> =
                settings.models.iter().map(|model| model.name.as_str()).collect();
            return Err(KeyError::at(
                vec!["defaults".to_string(), index.to_string()],
                format!("no model named `{name}` (configured: {})", known.join(", ")),
            )
            .named("defaults"));
        }
        if !seen.contains(name) {
            seen.push(name.clone());
        }
    }
    settings.defaults = seen;
    Ok(())
}

#[cfg(test)]
mod tests;
