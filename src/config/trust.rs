//! A repository's `.changes.yaml` arrives with `git clone`, so it is not trusted like the
//! user's own file. Until `changes trust` records its exact content (a SHA-256 of it, with the
//! work tree's path, in the user's state folder, as direnv and mise do), it may only make
//! `changes` more careful: add `exclude` globs, lower limits, timeouts and concurrency, choose
//! the message style, turn hooks off. Anything that decides where data or keys go, what is
//! sent, what blocks, what is written where, or how long a hook may take is held back and
//! named in one warning. Trusted or not, a repository file cannot point a model the user
//! already has elsewhere (`provider`, `base_url`, `api_key_env`), and the key variable of a
//! model it adds can only be one its provider uses.

use std::path::{Path, PathBuf};

use yaml_serde::{Mapping, Value};

use super::locate::scalar_text;
use super::settings::Settings;

/// Keys a repository file may always set, at the top level or `section.key`.
const ALWAYS: &[&str] = &[
    "exclude",
    "commit.style",
    "commit.max_subject",
    "commit.merge",
    "conventions.enabled",
    "conventions.guide",
];
/// Numbers and durations a repository file may lower but never raise.
const LOWER_ONLY: &[&str] = &[
    "commit.timeout",
    "push.timeout",
    "push.max_commits",
    "report.timeout",
    "limits.max_file_bytes",
    "limits.max_total_bytes",
    // Indexing a longer history makes a first commit take longer: a deadline.
    "conventions.history",
];
/// Switches a repository file may turn one way only: `(key, the careful value)`.
const ONE_WAY: &[(&str, bool)] = &[("redact", true), ("skip", true)];
/// What a repository file may lower for a model the user already has.
const MODEL_LOWER_ONLY: &[&str] = &["timeout", "max_concurrency", "context_tokens"];
/// What says where a model's requests and key go: never changed by a repository file for a
/// model the user already has.
const MODEL_DESTINATION: &[&str] = &["provider", "base_url", "api_key_env"];

/// A repository file's tree with what it may not do taken out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vetted {
    /// What applies.
    pub(crate) tree: Mapping,
    /// Keys held back until `changes trust` (dotted).
    pub(crate) untrusted: Vec<String>,
    /// Keys refused whether trusted or not, with why.
    pub(crate) refused: Vec<String>,
}

/// Takes out of a repository file's `tree` what it may not set: everything but the careful
/// keys when not `trusted`, and, trusted or not, any change of where a model the user already
/// has sends its requests, or a key variable its provider does not use. `base` is what the
/// built-in defaults and the user's file resolve to, the measure of "lower".
pub(crate) fn vet(tree: &Value, base: &Settings, trusted: bool) -> Vetted {
    let mut vetted = Vetted::default();
    let Some(mapping) = tree.as_mapping() else { return vetted };
    for (key, value) in mapping {
        let name = scalar_text(key);
        match name.as_str() {
            "models" => vet_models(value, base, trusted, &mut vetted),
            section @ ("commit" | "push" | "report" | "limits" | "conventions") => {
                let Some(fields) = value.as_mapping() else {
                    hold(&mut vetted, trusted, &name, key, value);
                    continue;
                };
                let mut kept = Mapping::new();
                for (field, field_value) in fields {
                    let dotted = format!("{section}.{}", scalar_text(field));
                    let careful = ALWAYS.contains(&dotted.as_str())
                        || (LOWER_ONLY.contains(&dotted.as_str())
                            && is_lower(base_value(base, &dotted).as_ref(), field_value));
                    if careful || trusted {
                        kept.insert(field.clone(), field_value.clone());
                    } else {
                        vetted.untrusted.push(dotted);
                    }
                }
                if !kept.is_empty() {
                    vetted.tree.insert(key.clone(), Value::Mapping(kept));
                }
            }
            _ => {
                let careful = ALWAYS.contains(&name.as_str())
                    || ONE_WAY
                        .iter()
                        .any(|(switch, safe)| *switch == name && value.as_bool() == Some(*safe));
                if careful {
                    vetted.tree.insert(key.clone(), value.clone());
                } else {
                    hold(&mut vetted, trusted, &name, key, value);
                }
            }
        }
    }
    vetted
}

/// Keeps a key when trusted, else holds it back.
fn hold(vetted: &mut Vetted, trusted: bool, name: &str, key: &Value, value: &Value) {
    if trusted {
        vetted.tree.insert(key.clone(), value.clone());
    } else {
        vetted.untrusted.push(name.to_string());
    }
}

/// `models:` entries: for a model the user already has, only lower limits unless trusted, and
/// never where it points; a new model only when trusted, with a key variable of its provider.
fn vet_models(value: &Value, base: &Settings, trusted: bool, vetted: &mut Vetted) {
    let Some(entries) = value.as_sequence() else {
        if trusted {
            vetted.tree.insert(Value::String("models".into()), value.clone());
        } else {
            vetted.untrusted.push("models".to_string());
        }
        return;
    };
    let mut kept = Vec::new();
    for entry in entries {
        let Some(fields) = entry.as_mapping() else { continue };
        let name = fields.get("name").map(scalar_text).unwrap_or_default();
        let existing = base.model(&name);
        let mut out = Mapping::new();
        for (field, field_value) in fields {
            let field_name = scalar_text(field);
            let dotted = format!("models.{name}.{field_name}");
            if field_name == "name" {
                out.insert(field.clone(), field_value.clone());
                continue;
            }
            match existing {
                Some(model) => {
                    if MODEL_DESTINATION.contains(&field_name.as_str()) {
                        vetted.refused.push(format!(
                            "{dotted} (a repository file cannot point `{name}` elsewhere)"
                        ));
                        continue;
                    }
                    let lower = MODEL_LOWER_ONLY.contains(&field_name.as_str())
                        && is_lower(model_value(model, &field_name).as_ref(), field_value);
                    if lower || trusted {
                        out.insert(field.clone(), field_value.clone());
                    } else {
                        vetted.untrusted.push(dotted);
                    }
                }
                None if !trusted => {
                    vetted.untrusted.push(format!("models.{name}"));
                    out.clear();
                    break;
                }
                None => {
                    if field_name == "api_key_env" && !usual_variable(fields, base, field_value) {
                        vetted.refused.push(format!(
                            "{dotted} (only a variable its provider uses may hold its key)"
                        ));
                        continue;
                    }
                    out.insert(field.clone(), field_value.clone());
                }
            }
        }
        if out.len() > 1 {
            kept.push(Value::Mapping(out));
        }
    }
    if !kept.is_empty() {
        vetted.tree.insert(Value::String("models".into()), Value::Sequence(kept));
    }
}

/// Whether `variable` is one of the key variables of the provider the entry names.
fn usual_variable(fields: &Mapping, base: &Settings, variable: &Value) -> bool {
    let provider = fields.get("provider").map(scalar_text).unwrap_or_default();
    let variable = scalar_text(variable);
    base.providers
        .iter()
        .find(|row| row.as_str() == provider)
        .is_some_and(|row| row.key_variables.contains(&variable))
}

/// The value `base` has at a dotted key, as YAML, for comparing.
fn base_value(base: &Settings, dotted: &str) -> Option<Value> {
    let tree = yaml_serde::to_value(base).ok()?;
    dotted.split('.').try_fold(tree, |node, segment| node.get(segment).cloned())
}

/// A model's value of `field`, as YAML.
fn model_value(model: &super::ModelSettings, field: &str) -> Option<Value> {
    yaml_serde::to_value(model).ok()?.get(field).cloned()
}

/// Whether `new` is strictly below or equal to `old`: numbers, or durations (`30s`, `2m`).
fn is_lower(old: Option<&Value>, new: &Value) -> bool {
    let Some(old) = old else { return false };
    let number = |value: &Value| -> Option<f64> {
        if let Some(number) = value.as_f64() {
            return Some(number);
        }
        let text = value.as_str()?;
        text.parse::<super::HumanDuration>().ok().map(|duration| duration.0.as_secs_f64())
    };
    match (number(old), number(new)) {
        (Some(old), Some(new)) => new <= old && new > 0.0,
        _ => false,
    }
}

/// The trusted repository files: one line per work tree, the SHA-256 of the file's content
/// and the work tree's path.
#[derive(Debug, Clone)]
pub(crate) struct TrustStore {
    path: PathBuf,
}

impl TrustStore {
    /// The store under the user's state folder.
    pub(crate) fn in_state_dir(state_dir: &Path) -> Self {
        Self { path: state_dir.join("trusted") }
    }

    fn entries(&self) -> Vec<(String, String)> {
        let Ok(text) = std::fs::read_to_string(&self.path) else { return Vec::new() };
        text.lines()
            .filter_map(|line| {
                let (hash, root) = line.split_once(' ')?;
                Some((hash.to_string(), root.to_string()))
            })
            .collect()
    }

    /// Whether the file at `root` with this content was trusted.
    pub(crate) fn is_trusted(&self, root: &Path, content: &[u8]) -> bool {
        let (Some(hash), root) = (content_hash(content), key_of(root)) else { return false };
        self.entries().iter().any(|(known, path)| *known == hash && *path == root)
    }

    /// Trusts this content at `root`, in place of what was trusted there before.
    pub(crate) fn trust(&self, root: &Path, content: &[u8]) -> std::io::Result<()> {
        let hash =
            content_hash(content).ok_or_else(|| std::io::Error::other("cannot hash the file"))?;
        let root = key_of(root);
        let mut entries: Vec<(String, String)> =
            self.entries().into_iter().filter(|(_, path)| *path != root).collect();
        entries.push((hash, root));
        self.write(&entries)
    }

    /// Forgets what was trusted at `root`; false when nothing was.
    pub(crate) fn revoke(&self, root: &Path) -> std::io::Result<bool> {
        let root = key_of(root);
        let entries = self.entries();
        let kept: Vec<(String, String)> =
            entries.iter().filter(|(_, path)| *path != root).cloned().collect();
        if kept.len() == entries.len() {
            return Ok(false);
        }
        self.write(&kept)?;
        Ok(true)
    }

    fn write(&self, entries: &[(String, String)]) -> std::io::Result<()> {
        let text: String = entries.iter().map(|(hash, root)| format!("{hash} {root}\n")).collect();
        crate::files::write_atomically(&self.path, text.as_bytes())
    }
}

/// A work tree as the store names it: its canonical path.
fn key_of(root: &Path) -> String {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()).display().to_string()
}

/// The SHA-256 of a file's content, in hexadecimal.
fn content_hash(content: &[u8]) -> Option<String> {
    git2::Oid::hash_object_ext(git2::ObjectType::Blob, content, git2::ObjectFormat::Sha256)
        .ok()
        .map(|id| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Settings {
        let defaults = super::super::Layer::parse(
            super::super::DEFAULT_YAML.to_string(),
            super::super::Origin::Default,
        )
        .expect("defaults");
        super::super::resolve(&[defaults]).expect("resolves").0
    }

    fn vetted(yaml: &str, trusted: bool) -> Vetted {
        let tree: Value = yaml_serde::from_str(yaml).expect("yaml");
        vet(&tree, &base(), trusted)
    }

    #[test]
    fn an_untrusted_file_may_only_make_changes_more_careful() {
        let file = "exclude: ['*.sql']\ncommit: {style: plain, timeout: 10s, draft_without_editor: true}\npush: {timeout: 5m, block: on-findings, report_dir: ../../x}\nlimits: {max_total_bytes: 1000}\nredact: false\nskip: true\ndefaults: [evil]\nproviders: [{name: openai, public_url: 'https://evil.test'}]\nmodels:\n  - {name: gpt, base_url: 'https://evil.test', timeout: 10s, api_key_env: AWS_SECRET_ACCESS_KEY}\n  - {name: evil, provider: openai-compatible, model: x, base_url: 'https://evil.test'}\n  - {name: local, provider: openai-compatible}\n";
        let vetted = vetted(file, false);
        let kept = yaml_serde::to_string(&vetted.tree).expect("yaml");
        for careful in
            ["'*.sql'", "style: plain", "timeout: 10s", "max_total_bytes: 1000", "skip: true"]
        {
            assert!(kept.contains(careful), "{careful} is kept:\n{kept}");
        }
        for held in [
            "draft_without_editor",
            "block",
            "report_dir",
            "5m",
            "redact",
            "defaults",
            "providers",
            "evil.test",
            "AWS_SECRET",
        ] {
            assert!(!kept.contains(held), "{held} is held back:\n{kept}");
        }
        assert!(vetted.untrusted.contains(&"push.block".to_string()), "{:?}", vetted.untrusted);
        assert!(vetted.untrusted.contains(&"models.evil".to_string()), "{:?}", vetted.untrusted);
        assert!(vetted.refused.iter().any(|key| key.starts_with("models.gpt.base_url")));
        assert!(vetted.refused.iter().any(|key| key.starts_with("models.local.provider")));
    }

    #[test]
    fn every_push_block_value_waits_for_trust() {
        for value in ["never", "on-findings", "p0", "p1", "p2", "p3"] {
            let file = format!("push: {{block: {value}}}\n");
            let untrusted = vetted(&file, false);
            assert_eq!(untrusted.untrusted, vec!["push.block".to_string()], "{value}");
            let kept = yaml_serde::to_string(&untrusted.tree).expect("yaml");
            assert!(!kept.contains("block"), "{value} is held back:\n{kept}");
            let trusted = yaml_serde::to_string(&vetted(&file, true).tree).expect("yaml");
            assert!(trusted.contains(&format!("block: {value}")), "{trusted}");
        }
    }

    #[test]
    fn a_trusted_file_still_cannot_point_a_known_model_elsewhere_or_name_any_variable() {
        let file = "push: {block: on-findings}\nmodels:\n  - {name: gpt, base_url: 'https://evil.test'}\n  - {name: team, provider: anthropic, model: x, api_key_env: AWS_SECRET_ACCESS_KEY}\n  - {name: team2, provider: anthropic, model: y, api_key_env: ANTHROPIC_API_KEY}\n";
        let vetted = vetted(file, true);
        let kept = yaml_serde::to_string(&vetted.tree).expect("yaml");
        assert!(kept.contains("block: on-findings"), "{kept}");
        assert!(!kept.contains("evil.test") && !kept.contains("AWS_SECRET"), "{kept}");
        assert!(kept.contains("ANTHROPIC_API_KEY") && kept.contains("name: team"), "{kept}");
        assert_eq!(vetted.refused.len(), 2, "{:?}", vetted.refused);
    }

    #[test]
    fn trust_follows_the_exact_content_and_the_work_tree() {
        let folder = tempfile::tempdir().expect("folder");
        let store = TrustStore::in_state_dir(folder.path());
        let root = folder.path().join("repo");
        std::fs::create_dir_all(&root).expect("root");
        assert!(!store.is_trusted(&root, b"push: {block: p1}\n"));
        store.trust(&root, b"push: {block: p1}\n").expect("trust");
        assert!(store.is_trusted(&root, b"push: {block: p1}\n"));
        assert!(!store.is_trusted(&root, b"push: {block: p0}\n"), "an edited file is untrusted");
        assert!(!store.is_trusted(&folder.path().join("other"), b"push: {block: p1}\n"));
        assert!(store.revoke(&root).expect("revoke"));
        assert!(!store.is_trusted(&root, b"push: {block: p1}\n"));
        assert!(!store.revoke(&root).expect("revoke"), "nothing left to revoke");
    }
}
