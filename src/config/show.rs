//! `changes config show`: the resolved settings as YAML that could be loaded again, with the
//! origin of every value as a trailing comment.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use yaml_serde::{Mapping, Value};

use super::{Origin, Settings};

/// Column where origin comments start, so they line up in a terminal.
const COMMENT_COLUMN: usize = 44;

/// Renders the settings as annotated YAML.
pub fn render_annotated(settings: &Settings, origins: &BTreeMap<String, Origin>) -> String {
    let mut output = String::new();
    // Serializing plain structs of strings, numbers and enums cannot fail; an empty document
    // would still be valid output.
    let value = yaml_serde::to_value(settings).unwrap_or(Value::Null);
    if let Value::Mapping(mapping) = value {
        render_mapping(&mapping, "", 0, false, origins, &mut output);
    }
    output
}

/// Renders a mapping at `indent`; the first key of a list item shares its line with the item's
/// `- ` marker.
fn render_mapping(
    mapping: &Mapping,
    path: &str,
    indent: usize,
    list_item: bool,
    origins: &BTreeMap<String, Origin>,
    output: &mut String,
) {
    for (index, (key, value)) in mapping.iter().enumerate() {
        let key = scalar_text(key);
        let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        let lead = if list_item && index == 0 {
            format!("{}- ", " ".repeat(indent - 2))
        } else {
            " ".repeat(indent)
        };
        match value {
            Value::Mapping(inner) => {
                let _ = writeln!(output, "{lead}{key}:");
                render_mapping(inner, &child_path, indent + 2, false, origins, output);
            }
            Value::Sequence(items) if items.iter().all(Value::is_mapping) && !items.is_empty() => {
                let _ = writeln!(output, "{lead}{key}:");
                for item in items {
                    if let Value::Mapping(inner) = item {
                        let name =
                            inner.get("name").map(scalar_text).unwrap_or_else(|| "?".to_string());
                        render_mapping(
                            inner,
                            &format!("{child_path}.{name}"),
                            indent + 4,
                            true,
                            origins,
                            output,
                        );
                    }
                }
            }
            Value::Sequence(items) if origins.contains_key(&format!("{child_path}.0")) => {
                let _ = writeln!(output, "{lead}{key}:");
                for (position, item) in items.iter().enumerate() {
                    let line = format!("{}- {}", " ".repeat(indent + 2), scalar_text(item));
                    let origin = origins.get(&format!("{child_path}.{position}"));
                    push_annotated(output, &line, origin);
                }
            }
            Value::Sequence(items) => {
                let texts: Vec<String> = items.iter().map(scalar_text).collect();
                let line = format!("{lead}{key}: [{}]", texts.join(", "));
                push_annotated(output, &line, origins.get(&child_path));
            }
            scalar => {
                let line = format!("{lead}{key}: {}", scalar_text(scalar));
                push_annotated(output, &line, origins.get(&child_path));
            }
        }
    }
}

/// Writes `line` with its origin as a comment; a value that no layer set says so.
fn push_annotated(output: &mut String, line: &str, origin: Option<&Origin>) {
    let comment = match origin {
        Some(origin) => origin.to_string(),
        None => "not set".to_string(),
    };
    let width = line.chars().count();
    let padding = COMMENT_COLUMN.saturating_sub(width).max(1);
    let _ = writeln!(output, "{line}{}# {comment}", " ".repeat(padding));
}

/// A scalar as YAML writes it, quoted only when YAML would read the bare text as something else.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        other => {
            yaml_serde::to_string(other).map(|text| text.trim_end().to_string()).unwrap_or_default()
        }
    }
}
