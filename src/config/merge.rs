//! Merges the layers' value trees in order, recording where every value was written, and
//! turns any error found afterwards (by serde, or by a check of the whole) into one that names
//! the file, the line and the key.
//!
//! The rules: mappings merge key by key; a `null` sets nothing; `models` and `providers` merge
//! by `name` (an entry with a known name changes only the keys it sets, a new name appends an
//! entry); `exclude` appends what every layer lists, each glob once; any other list or scalar
//! replaces what was there. Every value is recorded under the dotted key `config show` uses:
//! `commit.style`, `models.claude.timeout`, `exclude.0`.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use yaml_serde::{Mapping, Value};

use super::layer::{describe, Layer};
use super::locate::{line_of, scalar_text, Step};
use super::settings::{model_keys, Provider};
use super::{ConfigError, Origin};

/// A key of the merged tree, segment by segment (model names may contain dots).
pub(super) type Key = Vec<String>;

/// Where one value of the merged tree was written.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// Which layer.
    layer: usize,
    /// Its path in that layer's tree.
    path: Vec<Step>,
    /// The key it was written under, when that is not where it ended up: a provider's
    /// `model_defaults` value taken by a model.
    written_as: Option<Key>,
}

/// Something wrong with the merged configuration, by key: `key` is named in the message,
/// `at` is the key whose file and line are shown (the entry that introduced a model that lacks
/// a key, for example).
#[derive(Debug)]
pub(super) struct KeyError {
    key: Key,
    at: Key,
    message: String,
}

impl KeyError {
    /// A problem with the value at `key`.
    pub(super) fn at(key: Key, message: String) -> Self {
        Self { at: key.clone(), key, message }
    }

    /// Names `key` (dotted) in the message, while the line is still that of where it was.
    pub(super) fn named(mut self, key: &str) -> Self {
        self.key = key.split('.').map(String::from).collect();
        self
    }
}

/// How the values of one key from two layers combine.
enum Rule {
    /// Mappings key by key, anything else replaced.
    Merge,
    /// Lists of entries with a `name`, entry by entry.
    ByName,
    /// Lists appended, each item once.
    Append,
}

fn rule(key: &[String]) -> Rule {
    match key {
        [only] if only == "models" || only == "providers" => Rule::ByName,
        [only] if only == "exclude" => Rule::Append,
        _ => Rule::Merge,
    }
}

/// The merged tree and the source of every value in it.
#[derive(Debug)]
pub(super) struct Merged<'a> {
    layers: &'a [Layer],
    tree: Value,
    sources: BTreeMap<Key, Source>,
}

impl<'a> Merged<'a> {
    /// Merges `layers`, earliest first.
    pub(super) fn new(layers: &'a [Layer]) -> Result<Self, ConfigError> {
        let mut merged =
            Self { layers, tree: Value::Mapping(Mapping::new()), sources: BTreeMap::new() };
        for (index, layer) in layers.iter().enumerate() {
            let mut target = std::mem::take(&mut merged.tree);
            let mut walk =
                Walk { merged: &mut merged, layer: index, key: Vec::new(), path: Vec::new() };
            let result = walk.merge(&mut target, &layer.tree);
            merged.tree = target;
            result?;
        }
        Ok(merged)
    }

    /// Deserializes the merged tree into `T`, or says which key failed.
    pub(super) fn deserialize<T: DeserializeOwned>(&self) -> Result<T, KeyError> {
        serde_path_to_error::deserialize(&self.tree).map_err(|error| {
            let key = self.key_of(error.path());
            let message = error.inner().to_string();
            // A required key no layer set, in an entry a layer added: say so at the entry.
            let entry = match key.as_slice() {
                [list, _name] if list == "models" => Some("model"),
                [list, _name] if list == "providers" => Some("provider"),
                _ => None,
            };
            if let (Some(field), Some(entry)) = (message.strip_prefix("missing field `"), entry) {
                let field = field.trim_end_matches('`');
                let mut at = key.clone();
                at.push("name".to_string());
                let mut named = key.clone();
                named.push(field.to_string());
                return KeyError {
                    key: named,
                    at,
                    message: format!("a new {entry} needs `{field}`"),
                };
            }
            // An unknown key is named by the mapping it is in, and found on its own line.
            if message.starts_with("unknown field") {
                let parent = key[..key.len().saturating_sub(1)].to_vec();
                return KeyError { key: parent, at: key, message };
            }
            KeyError::at(key, message)
        })
    }

    /// Checks that each provider's `model_defaults` names only keys a model takes, and none of
    /// those that say which model it is or where its requests and key go: the row itself says
    /// that (`public_url`, `key_variables`), and a model's own `base_url` or `api_key_env`
    /// would silently override the row's variables for every model.
    pub(super) fn check_model_defaults(&self, providers: &[Provider]) -> Result<(), KeyError> {
        let settable: Vec<&str> = model_keys()
            .iter()
            .copied()
            .filter(|key| {
                !matches!(*key, "name" | "provider" | "base_url" | "api_key_env" | "api_key")
            })
            .collect();
        let global = self.tree.get("model_defaults").and_then(Value::as_mapping);
        let tables = providers
            .iter()
            .map(|provider| (vec!["providers", provider.as_str()], &provider.model_defaults))
            .chain(global.map(|mapping| (Vec::new(), mapping)));
        for (prefix, defaults) in tables {
            for field in defaults.keys() {
                let field = scalar_text(field);
                if !settable.contains(&field.as_str()) {
                    let key: Vec<&str> =
                        prefix.iter().copied().chain(["model_defaults", &field]).collect();
                    let key: Vec<String> = key.into_iter().map(String::from).collect();
                    let expected: Vec<String> =
                        settable.iter().map(|key| format!("`{key}`")).collect();
                    return Err(KeyError::at(
                        key,
                        format!(
                            "`{field}` is not a key a provider sets for its models, expected one \
                             of {}",
                            expected.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Gives each model its provider's row: checks that `provider:` names a row, fills in the
    /// keys the model does not set from the row's `model_defaults` (recording the row's values
    /// as their source), and puts the row itself in place of the name, so that the model
    /// deserializes with everything a request needs.
    pub(super) fn resolve_models(&mut self, providers: &[Provider]) -> Result<(), KeyError> {
        let known: Vec<String> =
            providers.iter().map(|provider| format!("`{}`", provider.as_str())).collect();
        let known = known.join(", ");
        let rows: Vec<Value> =
            self.tree.get("providers").and_then(Value::as_sequence).cloned().unwrap_or_default();
        let global: Option<Value> = self.tree.get("model_defaults").cloned();
        let Some(models) = self.tree.get_mut("models").and_then(Value::as_sequence_mut) else {
            return Ok(());
        };
        for model in models.iter_mut() {
            let Some(entry) = model.as_mapping_mut() else { continue };
            let name = entry.get("name").map(scalar_text).unwrap_or_default();
            let key = |field: &str| vec!["models".to_string(), name.clone(), field.to_string()];
            let provider = match entry.get("provider") {
                None | Some(Value::Null) => {
                    return Err(KeyError {
                        key: key("provider"),
                        at: key("name"),
                        message: format!("a new model needs `provider` (known providers: {known})"),
                    })
                }
                Some(provider) => scalar_text(provider),
            };
            let Some(row) = rows
                .iter()
                .find(|row| row.get("name").map(scalar_text).as_ref() == Some(&provider))
            else {
                return Err(KeyError::at(
                    key("provider"),
                    format!("unknown provider `{provider}`, expected one of {known}"),
                ));
            };
            // The row's defaults first, then those of every model for what the row leaves out.
            let row_defaults = row.get("model_defaults").and_then(Value::as_mapping);
            let global_defaults = global.as_ref().and_then(Value::as_mapping);
            let sources = row_defaults
                .into_iter()
                .flatten()
                .map(|pair| (pair, true))
                .chain(global_defaults.into_iter().flatten().map(|pair| (pair, false)));
            for ((field, value), from_row) in sources {
                let field = scalar_text(field);
                if value.is_null() || entry.get(field.as_str()).is_some_and(|own| !own.is_null()) {
                    continue;
                }
                entry.insert(Value::String(field.clone()), value.clone());
                let written: Key = if from_row {
                    ["providers", &provider, "model_defaults", &field].map(String::from).to_vec()
                } else {
                    ["model_defaults", &field].map(String::from).to_vec()
                };
                let inherited: Vec<(Key, Source)> = self
                    .sources
                    .range(written.clone()..)
                    .take_while(|(source_key, _)| source_key.starts_with(&written))
                    .map(|(source_key, source)| {
                        let mut target = key(&field);
                        target.extend(source_key[written.len()..].iter().cloned());
                        let source =
                            Source { written_as: Some(source_key.clone()), ..source.clone() };
                        (target, source)
                    })
                    .collect();
                self.sources.extend(inherited);
            }
            entry.insert(Value::String("provider".to_string()), row.clone());
        }
        Ok(())
    }

    /// The origin of every value, by dotted key.
    pub(super) fn origins(&self) -> BTreeMap<String, Origin> {
        self.sources
            .iter()
            .map(|(key, source)| (key.join("."), self.layers[source.layer].origin.clone()))
            .collect()
    }

    /// Names the file, the line and the key of a problem.
    pub(super) fn locate(&self, error: KeyError) -> ConfigError {
        let found = self.find_source(&error.at);
        let (origin, line, written) = match found {
            Some((source, rest)) => {
                let layer = &self.layers[source.layer];
                let mut path = source.path.clone();
                path.extend(rest.iter().map(|segment| match segment.parse() {
                    Ok(index) => Step::Index(index),
                    Err(_) => Step::Key(segment.clone()),
                }));
                let line = layer.text.as_deref().and_then(|text| line_of(text, &path));
                let written = source.written_as.clone().map(|mut written| {
                    written.extend(rest.iter().cloned());
                    written
                });
                (layer.origin.clone(), line, written)
            }
            None => (Origin::Default, None, None),
        };
        let key = match written {
            Some(written) if error.key == error.at => written,
            _ => error.key,
        };
        let message = if key.is_empty() {
            error.message
        } else {
            format!("{}: {}", key.join("."), error.message)
        };
        ConfigError::Invalid { origin, line, message }
    }

    /// The source of `key`: its own, else its nearest ancestor's with the rest of the key
    /// (an item of a list a layer wrote whole), else one of its descendants' (a mapping built
    /// from several keys).
    fn find_source(&self, key: &[String]) -> Option<(Source, Vec<String>)> {
        for length in (1..=key.len()).rev() {
            if let Some(source) = self.sources.get(&key[..length]) {
                return Some((source.clone(), key[length..].to_vec()));
            }
        }
        let start: Key = key.to_vec();
        self.sources
            .range(start..)
            .take_while(|(source_key, _)| source_key.starts_with(key))
            .find(|(_, source)| source.written_as.is_none())
            .map(|(_, source)| {
                let mut source = source.clone();
                source.path.truncate(key.len());
                (source, Vec::new())
            })
    }

    /// The dotted key of a serde path through the merged tree: list entries merged by name are
    /// named by their `name`.
    fn key_of(&self, path: &serde_path_to_error::Path) -> Key {
        use serde_path_to_error::Segment;

        let mut key = Vec::new();
        let mut node = Some(&self.tree);
        for segment in path.iter() {
            match segment {
                Segment::Map { key: name } => {
                    node = node.and_then(|node| node.get(name.as_str()));
                    key.push(name.clone());
                }
                Segment::Seq { index } => {
                    let item = node.and_then(|node| node.get(*index));
                    let name = match rule(&key) {
                        Rule::ByName => item.and_then(|item| item.get("name")).map(scalar_text),
                        Rule::Merge | Rule::Append => None,
                    };
                    key.push(name.unwrap_or_else(|| index.to_string()));
                    node = item;
                }
                Segment::Enum { variant } => key.push(variant.clone()),
                Segment::Unknown => key.push("?".to_string()),
            }
        }
        key
    }
}

/// The walk of one layer's tree into the merged tree.
struct Walk<'m, 'a> {
    merged: &'m mut Merged<'a>,
    layer: usize,
    key: Key,
    path: Vec<Step>,
}

impl Walk<'_, '_> {
    fn merge(&mut self, target: &mut Value, incoming: &Value) -> Result<(), ConfigError> {
        match (rule(&self.key), incoming) {
            (_, Value::Null) => Ok(()),
            (Rule::ByName, Value::Sequence(entries)) => self.merge_by_name(target, entries),
            (Rule::Append, Value::Sequence(items)) => {
                self.append(target, items);
                Ok(())
            }
            (_, Value::Mapping(incoming)) => {
                if !target.is_mapping() {
                    self.forget();
                    *target = Value::Mapping(Mapping::new());
                }
                self.merge_keys(target, incoming, false)
            }
            (_, value) => {
                self.forget();
                *target = value.clone();
                self.record();
                Ok(())
            }
        }
    }

    /// Merges a mapping's keys into `target` (a mapping), each under its own key; keys are
    /// kept as text, as a file's keys are read.
    fn merge_keys(
        &mut self,
        target: &mut Value,
        incoming: &Mapping,
        skip_name: bool,
    ) -> Result<(), ConfigError> {
        for (name, value) in incoming {
            let name = scalar_text(name);
            if value.is_null() || (skip_name && name == "name") {
                continue;
            }
            let Some(mapping) = target.as_mapping_mut() else { return Ok(()) };
            let slot = mapping.entry(Value::String(name.clone())).or_insert(Value::Null);
            self.key.push(name.clone());
            self.path.push(Step::Key(name));
            let result = self.merge(slot, value);
            self.key.pop();
            self.path.pop();
            result?;
        }
        Ok(())
    }

    fn merge_by_name(&mut self, target: &mut Value, entries: &[Value]) -> Result<(), ConfigError> {
        if !target.is_sequence() {
            self.forget();
            *target = Value::Sequence(Vec::new());
        }
        for (position, entry) in entries.iter().enumerate() {
            self.path.push(Step::Index(position));
            let name = entry.as_mapping().and_then(|mapping| mapping.get("name"));
            let (Some(mapping), Some(name)) =
                (entry.as_mapping(), name.filter(|name| !name.is_null()))
            else {
                let what = if entry.is_mapping() {
                    "has no `name`".to_string()
                } else {
                    format!("must be a mapping with a `name`, not {}", describe(entry))
                };
                return Err(self.error(format!("entry {} {what}", position + 1)));
            };
            let name = scalar_text(name);
            let Some(list) = target.as_sequence_mut() else { return Ok(()) };
            let known = list
                .iter()
                .position(|known| known.get("name").map(scalar_text).as_ref() == Some(&name));
            let (slot, skip_name) = match known {
                Some(index) => (&mut list[index], true),
                None => {
                    list.push(Value::Mapping(Mapping::new()));
                    let last = list.len() - 1;
                    (&mut list[last], false)
                }
            };
            self.key.push(name);
            let result = self.merge_keys(slot, mapping, skip_name);
            self.key.pop();
            self.path.pop();
            result?;
        }
        Ok(())
    }

    fn append(&mut self, target: &mut Value, items: &[Value]) {
        if !target.is_sequence() {
            self.forget();
            *target = Value::Sequence(Vec::new());
        }
        self.record();
        let Some(list) = target.as_sequence_mut() else { return };
        for (position, item) in items.iter().enumerate() {
            if list.contains(item) {
                continue;
            }
            self.key.push(list.len().to_string());
            self.path.push(Step::Index(position));
            self.record();
            self.key.pop();
            self.path.pop();
            list.push(item.clone());
        }
    }

    /// Records the current key as written by this layer at the current path.
    fn record(&mut self) {
        let source = Source { layer: self.layer, path: self.path.clone(), written_as: None };
        self.merged.sources.insert(self.key.clone(), source);
    }

    /// Forgets the sources of the current key and everything under it: it is being replaced.
    fn forget(&mut self) {
        let key = &self.key;
        self.merged.sources.retain(|source_key, _| !source_key.starts_with(key));
    }

    /// An error at the current path of this layer, naming the current key.
    fn error(&self, message: String) -> ConfigError {
        let layer = &self.merged.layers[self.layer];
        ConfigError::Invalid {
            origin: layer.origin.clone(),
            line: layer.text.as_deref().and_then(|text| line_of(text, &self.path)),
            message: format!("{}: {message}", self.key.join(".")),
        }
    }
}
