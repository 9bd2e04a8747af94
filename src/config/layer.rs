//! One layer of configuration as a YAML value tree: a file (the built-in `default.yaml`, the
//! user's, the repository's), a `CHANGES_*` variable, or a command-line flag. A layer is only
//! parsed here; its keys and values are checked once the layers are merged, against the one
//! schema in `settings.rs`.

use std::time::Duration;

use yaml_serde::{Mapping, Value};

use super::locate::{self, Step};
use super::values::format_duration;
use super::{ConfigError, Origin};

/// A parsed layer.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    /// Where it came from.
    pub origin: Origin,
    /// The text of a file, read again to find the line of a key when something is wrong.
    pub text: Option<String>,
    /// Its keys: a mapping, empty for an empty file.
    pub tree: Value,
}

impl Layer {
    /// Parses a file's text. An empty file (or one with only comments) is an empty layer;
    /// anything but a mapping at the top is an error on its first line.
    pub(crate) fn parse(text: String, origin: Origin) -> Result<Layer, ConfigError> {
        let tree: Value = yaml_serde::from_str(&text).map_err(|error| ConfigError::Invalid {
            origin: origin.clone(),
            line: error.location().map(|location| location.line()),
            message: strip_location(&error.to_string()),
        })?;
        let tree = match tree {
            Value::Null => Value::Mapping(Mapping::new()),
            Value::Mapping(_) => tree,
            other => {
                let message = format!(
                    "expected a mapping of configuration keys (`commit:`, `models:`...), found {}",
                    describe(&other)
                );
                let line = locate::line_of(&text, &[]);
                return Err(ConfigError::Invalid { origin, line, message });
            }
        };
        let layer = Layer { origin, text: Some(text), tree };
        layer.refuse_keys_outside_the_user_file()?;
        Ok(layer)
    }

    /// One `CHANGES_*` variable as the value of `key` (`commit.style`, `exclude`...), parsed as
    /// YAML exactly as if it stood in a file under that key. A list key (`list`) also takes
    /// comma-separated words.
    pub(crate) fn from_variable(
        key: &str,
        value: &str,
        list: bool,
        origin: Origin,
    ) -> Result<Layer, ConfigError> {
        let value = if list && !value.trim_start().starts_with('[') {
            value
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_string()))
                .collect()
        } else {
            yaml_serde::from_str(value).map_err(|error| ConfigError::Invalid {
                origin: origin.clone(),
                line: None,
                message: format!("{key}: {}", strip_location(&error.to_string())),
            })?
        };
        let tree = key.rsplit('.').fold(value, |inner, segment| {
            let mut mapping = Mapping::new();
            mapping.insert(Value::String(segment.to_string()), inner);
            Value::Mapping(mapping)
        });
        Ok(Layer { origin, text: None, tree })
    }

    /// `--timeout`: the deadline of this run, whichever job it does.
    pub(crate) fn from_timeout_flag(timeout: Duration) -> Layer {
        let mut tree = Mapping::new();
        for section in ["commit", "push", "report"] {
            let mut keys = Mapping::new();
            keys.insert("timeout".into(), Value::String(format_duration(timeout)));
            tree.insert(section.into(), Value::Mapping(keys));
        }
        Layer { origin: Origin::CommandLine("--timeout"), text: None, tree: Value::Mapping(tree) }
    }

    /// A key belongs in the user's own file or in a variable, never in a file that may be
    /// committed (the repository's) or shipped (the built-in one).
    fn refuse_keys_outside_the_user_file(&self) -> Result<(), ConfigError> {
        if matches!(self.origin, Origin::UserFile(_)) {
            return Ok(());
        }
        let models = self.tree.get("models").and_then(Value::as_sequence);
        for (index, model) in models.into_iter().flatten().enumerate() {
            if model.get("api_key").is_some() {
                let name = model.get("name").map(locate::scalar_text).unwrap_or_default();
                let path =
                    [Step::Key("models".into()), Step::Index(index), Step::Key("api_key".into())];
                return Err(ConfigError::Invalid {
                    origin: self.origin.clone(),
                    line: self.text.as_deref().and_then(|text| locate::line_of(text, &path)),
                    message: format!(
                        "models.{name}.api_key: a key belongs in your user file or in a variable, \
                         never in a file that may be committed"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The YAML parser appends " at line L column C" to its messages; the line is shown
/// separately.
pub(super) fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// What kind of value this is, in words, for messages.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_string(),
        Value::Bool(value) => format!("the boolean `{value}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => format!("the text `{text}`"),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(tagged) => format!("a value tagged `{}`", tagged.tag),
    }
}
