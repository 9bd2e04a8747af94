//! Finds the line of a key in a layer's text, so that every configuration error names the
//! file, the line and the key.
//!
//! Layers are merged as value trees, which carry no lines. Lines are only needed when
//! something is wrong, so they are found then: the layer's text is read again by a
//! `DeserializeSeed` that walks the path to the key (skipping everything else) and raises an
//! error there; the YAML deserializer attaches the position of the node it was reading to any
//! error raised by a visitor, and that position is the answer.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use yaml_serde::Value;

/// One step of a path inside one layer's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// The value under this key of a mapping.
    Key(String),
    /// The item at this position of a list.
    Index(usize),
}

/// The 1-based line of the node at `path` in `text`, the key itself when the path ends with
/// a key. When the path is not there, the line of the deepest node that is.
pub(super) fn line_of(text: &str, path: &[Step]) -> Option<usize> {
    let deserializer = yaml_serde::Deserializer::from_str(text);
    let error = Walk(path).deserialize(deserializer).err()?;
    error.location().map(|location| location.line())
}

/// A scalar as it is written (`gpt`, `5`, `true`), for keys and names; other values in words.
pub(super) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Null => "null".to_string(),
        Value::Sequence(_) => "[list]".to_string(),
        Value::Mapping(_) => "{mapping}".to_string(),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
    }
}

/// The error raised where the walk ends; only its position matters.
const HERE: &str = "here";

/// Walks to the rest of the path from the node being deserialized.
struct Walk<'a>(&'a [Step]);

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.0.split_first() {
            // A visitor that accepts nothing: whatever the node is, the error is raised at it.
            None => deserializer.deserialize_any(Refuse),
            Some((Step::Key(key), rest)) => deserializer.deserialize_map(FindKey { key, rest }),
            Some((Step::Index(index), rest)) => {
                deserializer.deserialize_seq(FindItem { index: *index, rest })
            }
        }
    }
}

/// Refuses every value, so that the error carries the value's position.
struct Refuse;

impl Visitor<'_> for Refuse {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(HERE)
    }
}

/// Looks for `key` in a mapping, then walks on into its value, or stops at the key itself.
struct FindKey<'a> {
    key: &'a str,
    rest: &'a [Step],
}

impl<'de> Visitor<'de> for FindKey<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let seed = MatchKey { key: self.key, stop: self.rest.is_empty() };
        while let Some(found) = map.next_key_seed(seed)? {
            if found {
                return map.next_value_seed(Walk(self.rest));
            }
            map.next_value::<IgnoredAny>()?;
        }
        // Not there: the error is raised at this mapping, the nearest line there is.
        Err(de::Error::custom(HERE))
    }
}

/// Reads one key and says whether it is the one looked for; raises the error while reading it
/// when the walk stops at this key, so that the position is the key's own.
#[derive(Clone, Copy)]
struct MatchKey<'a> {
    key: &'a str,
    stop: bool,
}

impl<'de> DeserializeSeed<'de> for MatchKey<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MatchKey<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.key {
            true if self.stop => Err(E::custom(HERE)),
            found => Ok(found),
        }
    }

    fn visit_bool<E: de::Error>(self, key: bool) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_i64<E: de::Error>(self, key: i64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_u64<E: de::Error>(self, key: u64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_f64<E: de::Error>(self, key: f64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.visit_str("null")
    }

    // A key that is itself a list or a mapping is never the one looked for.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// Skips to item `index` of a list, then walks on into it.
struct FindItem<'a> {
    index: usize,
    rest: &'a [Step],
}

impl<'de> Visitor<'de> for FindItem<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for _ in 0..self.index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
        }
        seq.next_element_seed(Walk(self.rest))?;
        Err(de::Error::custom(HERE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Step {
        Step::Key(name.to_string())
    }

    const TEXT: &str = "# a comment\ncommit:\n  style: plain\n  max_subjct: 50\nmodels:\n  - name: a\n    provider: x\n  -\n    name: b\n    provider:\n      y\nexclude: [a,\n  b]\n";

    #[test]
    fn keys_items_and_values_are_found_on_their_own_lines() {
        assert_eq!(line_of(TEXT, &[key("commit")]), Some(2));
        assert_eq!(line_of(TEXT, &[key("commit"), key("max_subjct")]), Some(4));
        assert_eq!(line_of(TEXT, &[key("models"), Step::Index(1)]), Some(9));
        assert_eq!(line_of(TEXT, &[key("models"), Step::Index(1), key("provider")]), Some(10));
        assert_eq!(line_of(TEXT, &[key("models"), Step::Index(0), key("provider")]), Some(7));
        assert_eq!(line_of(TEXT, &[key("exclude"), Step::Index(1)]), Some(13));
        assert_eq!(line_of("42\n", &[]), Some(1));
    }

    #[test]
    fn a_path_that_is_not_there_gives_the_nearest_line() {
        assert_eq!(line_of(TEXT, &[key("commit"), key("timeout")]), Some(3));
        assert_eq!(line_of(TEXT, &[key("exclude"), Step::Index(7)]), Some(12));
        assert_eq!(line_of(TEXT, &[key("commit"), key("style"), key("deeper")]), Some(3));
    }
}
