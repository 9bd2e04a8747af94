//! What the conventions profile knows about one change: its files (path, status, kind, line
//! counts), what the patches show (whitespace or comments only, version bumps, dependency
//! bumps, a CHANGELOG entry) and the type and scope today's rules would give it. The same
//! `Shape` is built for every indexed commit of the history and for the change being
//! described, so the two are compared feature for feature.

use serde::{Deserialize, Serialize};

use crate::git::ChangeSet;
use crate::offline;

/// Files of one change kept in the index; a change with more is counted, not listed.
pub(crate) const MAX_FILES: usize = 64;

/// One file of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShapeFile {
    /// Path after the change.
    pub(crate) path: String,
    /// Path before, for renames and copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) old: Option<String>,
    /// `A`, `D`, `M`, `R`, `C` or `T`.
    pub(crate) status: char,
    /// The file's kind (`source`, `test`, `docs`, `lock`...).
    pub(crate) kind: String,
    /// Lines added.
    pub(crate) added: u32,
    /// Lines removed.
    pub(crate) removed: u32,
}

/// One dependency bump.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShapeBump {
    /// The package.
    pub(crate) name: String,
    /// Version before.
    #[serde(default)]
    pub(crate) old: Option<String>,
    /// Version after.
    #[serde(default)]
    pub(crate) new: Option<String>,
}

/// The facts of one change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Shape {
    /// The first `MAX_FILES` files, in path order.
    pub(crate) files: Vec<ShapeFile>,
    /// Every file, listed or not.
    pub(crate) file_count: usize,
    /// Lines added over all files.
    pub(crate) added: usize,
    /// Lines removed over all files.
    pub(crate) removed: usize,
    /// Only whitespace changed.
    #[serde(default)]
    pub(crate) whitespace_only: bool,
    /// Only comments changed.
    #[serde(default)]
    pub(crate) comment_only: bool,
    /// Changed lines that only move a version or hash.
    #[serde(default)]
    pub(crate) bump_lines: usize,
    /// The package version, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<(String, String)>,
    /// Dependency bumps (at most a few).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) bumps: Vec<ShapeBump>,
    /// Dependencies bumped in all.
    #[serde(default)]
    pub(crate) bump_count: usize,
    /// The entry a CHANGELOG gains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) changelog_entry: Option<String>,
    /// A CHANGELOG gains a version heading.
    #[serde(default)]
    pub(crate) changelog_release: bool,
    /// What the change says of itself that makes the best summary (a release's versions, a
    /// CHANGELOG entry, a changeset's entry); only the change being described needs it, so
    /// the index does not keep it.
    #[serde(skip)]
    pub(crate) summary: Option<String>,
    /// The type today's rules give.
    pub(crate) rule_type: String,
    /// The scope today's rules give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rule_scope: Option<String>,
    /// What the content says about the kind of change (`offline::Analysed::signals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) signals: Vec<String>,
    /// The author's e-mail address, lower-cased: in a history that mixes styles, people keep
    /// their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) author: Option<String>,
}

/// Bumps kept per change.
const MAX_BUMPS: usize = 4;

impl Shape {
    /// The shape of a change already analysed by the built-in model.
    pub(crate) fn of(changes: &ChangeSet, analysed: &offline::Analysed<'_>) -> Shape {
        let facts = analysed.facts();
        let mut shape = Shape {
            file_count: changes.files.len(),
            added: changes.added_lines(),
            removed: changes.removed_lines(),
            rule_type: analysed.rule_type().to_string(),
            rule_scope: analysed.rule_scope().map(str::to_string),
            bump_lines: facts.bump_lines,
            version: facts.version.clone(),
            bump_count: facts.bumps.len(),
            changelog_entry: facts.changelog_entry.clone(),
            changelog_release: facts.changelog_release,
            summary: facts.summary(),
            signals: analysed.signals(),
            ..Shape::default()
        };
        shape.whitespace_only =
            !facts.files.is_empty() && facts.files.iter().all(|file| file.whitespace_only);
        shape.comment_only = !facts.files.is_empty()
            && facts.files.iter().all(|file| file.comment_only || file.whitespace_only)
            && !shape.whitespace_only;
        shape.bumps = facts
            .bumps
            .iter()
            .take(MAX_BUMPS)
            .map(|bump| ShapeBump {
                name: bump.name.clone(),
                old: bump.old.clone(),
                new: bump.new.clone(),
            })
            .collect();
        for (file, facts) in changes.files.iter().zip(&facts.files).take(MAX_FILES) {
            shape.files.push(ShapeFile {
                path: file.path.clone(),
                old: file.old_path.clone(),
                status: offline::status_letter(file.status),
                kind: facts.kind.to_string(),
                added: u32::try_from(file.added_lines).unwrap_or(u32::MAX),
                removed: u32::try_from(file.removed_lines).unwrap_or(u32::MAX),
            });
        }
        shape
    }

    /// Lines added and removed.
    pub(crate) fn changed_lines(&self) -> usize {
        self.added.saturating_add(self.removed)
    }

    /// True when at least half of the changed lines only move versions.
    pub(crate) fn pure_bump(&self) -> bool {
        self.bump_lines > 0 && self.bump_lines.saturating_mul(2) >= self.changed_lines()
    }
}
