//! The built-in model in a repository's own voice. `analyse` reads a change once and keeps
//! today's rule-based decision; its facts feed the conventions profile (which learns what
//! this repository calls such a change), and `render` writes the message in the `Voice` the
//! profile chose: the prefix (a type and scope, a component, a gitmoji or none), the case,
//! whether a body is written, and a summary or a whole subject taken from the change itself
//! (a CHANGELOG entry, a release named the way earlier releases were).

use std::sync::LazyLock;

use regex::Regex;

use crate::answer::Message;
use crate::git::change::{ChangeSet, Status};

use super::analysis::{self, FileAnalysis};
use super::decide::{self, CommitType, Decision, Intent};
use super::paths::{self, Area};
use super::text::{self, Case, Phrase};

/// A change read once, with the decision today's rules make.
pub(crate) struct Analysed<'a> {
    analyses: Vec<FileAnalysis<'a>>,
    decision: Decision,
}

/// What the rules and the patches say about one file, for the conventions profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileFacts {
    /// The file's kind: `lock`, `manifest`, `ci`, `meta`, `docs`, `test`, `build`, `config`,
    /// `source` or `other`.
    pub(crate) kind: &'static str,
    /// Only whitespace changed.
    pub(crate) whitespace_only: bool,
    /// Only comments changed.
    pub(crate) comment_only: bool,
}

/// One dependency whose version changed, from a manifest or a lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bump {
    /// The package.
    pub(crate) name: String,
    /// The version before, when known.
    pub(crate) old: Option<String>,
    /// The version after, when known.
    pub(crate) new: Option<String>,
}

/// What a whole change shows beyond its paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChangeFacts {
    /// One entry per file of the change, in its order.
    pub(crate) files: Vec<FileFacts>,
    /// The package's own version, before and after.
    pub(crate) version: Option<(String, String)>,
    /// Dependencies whose version changed (manifests first, then lock files).
    pub(crate) bumps: Vec<Bump>,
    /// The first entry a CHANGELOG gains.
    pub(crate) changelog_entry: Option<String>,
    /// A version heading a CHANGELOG gains (a release).
    pub(crate) changelog_release: bool,
    /// The versions of the headings the CHANGELOGs gain, in order, each once.
    pub(crate) release_versions: Vec<String>,
    /// The entry an added changeset or change file (`.changeset/x.md`) declares, without its
    /// `feat:`-style prefix.
    pub(crate) declared_entry: Option<String>,
    /// Changed lines that only move a version number, hash or range (both sides counted).
    pub(crate) bump_lines: usize,
}

impl ChangeFacts {
    /// What the change says of itself that makes the best summary: a release named by the
    /// versions its CHANGELOG headings gain (never the first entry of the release's notes,
    /// which is one change among many), else the entry a CHANGELOG gains, else the entry an
    /// added changeset declares.
    pub(crate) fn summary(&self) -> Option<String> {
        if self.changelog_release {
            return release_summary(&self.release_versions);
        }
        self.changelog_entry.clone().or_else(|| self.declared_entry.clone())
    }
}

/// `bump version to 0.12.5`, `bump versions to 7.0.0-next.6 and 3.0.0-next.16`.
fn release_summary(versions: &[String]) -> Option<String> {
    match versions {
        [] => None,
        [only] => Some(format!("bump version to {only}")),
        [first, second] => Some(format!("bump versions to {first} and {second}")),
        more => Some(format!("bump {} package versions", more.len())),
    }
}

/// How the subject starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// `type(scope)!: `.
    Conventional {
        /// The type.
        commit_type: String,
        /// The scope, if any.
        scope: Option<String>,
        /// A `!` before the colon.
        breaking: bool,
    },
    /// `component: `.
    Component(String),
    /// The gitmoji for the change.
    Gitmoji,
    /// No prefix.
    Plain,
}

/// How to write the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Voice {
    /// The prefix.
    pub(crate) prefix: Prefix,
    /// The case of the summary's first letter.
    pub(crate) case: Case,
    /// Whether to write a body.
    pub(crate) body: bool,
    /// A summary to use instead of the rules' one.
    pub(crate) summary: Option<String>,
    /// A whole subject to use as it is (a release named like the earlier ones).
    pub(crate) subject: Option<String>,
}

/// Reads a non-empty change once.
pub(crate) fn analyse(changes: &ChangeSet) -> Analysed<'_> {
    let analyses = analysis::analyze_all(changes);
    let decision = if analyses.is_empty() {
        Decision {
            commit_type: CommitType::Chore,
            intent: Intent::Ordinary,
            scope: None,
            phrase: Phrase::plain("no changes".to_owned()),
        }
    } else {
        decide::decide(&analyses)
    };
    Analysed { analyses, decision }
}

impl Analysed<'_> {
    /// The type today's rules choose.
    pub(crate) fn rule_type(&self) -> &'static str {
        self.decision.commit_type.as_str()
    }

    /// The scope today's rules choose.
    pub(crate) fn rule_scope(&self) -> Option<&str> {
        self.decision.scope.as_deref()
    }

    /// What the content says about the kind of change, for the conventions profile.
    pub(crate) fn signals(&self) -> Vec<String> {
        super::signals::signals(&self.analyses)
    }

    /// The facts the conventions profile learns from.
    pub(crate) fn facts(&self) -> ChangeFacts {
        let mut facts = ChangeFacts::default();
        for analysis in &self.analyses {
            facts.files.push(FileFacts {
                kind: kind_of(analysis),
                whitespace_only: analysis.whitespace_only(),
                comment_only: analysis.file.patch.is_some() && analysis.facts.comment_only(),
            });
            if let Some(manifest) = &analysis.manifest {
                if facts.version.is_none() {
                    facts.version = manifest.version.clone();
                }
                for change in &manifest.dependencies {
                    push_bump(&mut facts.bumps, &change.name, &change.old, &change.new);
                }
            }
            for change in &analysis.locked {
                push_bump(&mut facts.bumps, &change.name, &change.old, &change.new);
            }
            if let Some(private) = analysis.file.private_patch.as_deref() {
                facts.bump_lines += super::dependencies::bump_lines(private);
            }
            if let Some(patch) = analysis.file.patch.as_deref() {
                facts.bump_lines += super::dependencies::bump_lines(patch);
                if is_changelog(analysis.path()) {
                    let additions = changelog_additions(patch);
                    facts.changelog_entry = facts.changelog_entry.take().or(additions.entry);
                    facts.changelog_release |= !additions.versions.is_empty();
                    for version in additions.versions {
                        if !facts.release_versions.contains(&version) {
                            facts.release_versions.push(version);
                        }
                    }
                } else if analysis.file.status == Status::Added
                    && super::signals::is_change_file(&analysis.path().to_ascii_lowercase())
                    && facts.declared_entry.is_none()
                {
                    facts.declared_entry = declared_entry(patch);
                }
            }
        }
        facts
    }

    /// The message in `voice`, its subject at most `max_subject` characters.
    pub(crate) fn render(&self, voice: &Voice, max_subject: usize) -> Message {
        let subject = match &voice.subject {
            Some(subject) => {
                let phrase = Phrase::plain(subject.clone());
                text::fit_subject_cased(Case::AsWritten, &[String::new()], &phrase, max_subject)
            }
            None => {
                let prefixes: Vec<String> = match &voice.prefix {
                    Prefix::Conventional { commit_type, scope, breaking } => {
                        let mark = if *breaking { "!" } else { "" };
                        let mut prefixes = Vec::with_capacity(2);
                        if let Some(scope) = scope {
                            prefixes.push(format!("{commit_type}({scope}){mark}: "));
                        }
                        prefixes.push(format!("{commit_type}{mark}: "));
                        prefixes
                    }
                    Prefix::Component(component) => vec![format!("{component}: ")],
                    Prefix::Gitmoji => vec![format!("{} ", self.decision.emoji())],
                    Prefix::Plain => vec![String::new()],
                };
                let phrase = match &voice.summary {
                    Some(summary) => Phrase::plain(summary.clone()),
                    None => self.decision.phrase.clone(),
                };
                text::fit_subject_cased(voice.case, &prefixes, &phrase, max_subject)
            }
        };
        let body =
            if voice.body { super::body::render(&self.analyses, &subject) } else { String::new() };
        Message { subject, body }
    }
}

/// Adds a bump once per package name; a later source fills in what an earlier one lacked
/// (a manifest's requirement `^1.2` and the lock file's exact versions).
fn push_bump(bumps: &mut Vec<Bump>, name: &str, old: &Option<String>, new: &Option<String>) {
    let clean = |version: &Option<String>| {
        version
            .as_deref()
            .map(|version| super::dependencies::display_requirement(version).to_owned())
            .filter(|version| !version.is_empty())
    };
    match bumps.iter_mut().find(|bump| bump.name == name) {
        Some(bump) => {
            // Exact versions from a lock file are better than a manifest's requirement.
            if let Some(old) = clean(old) {
                bump.old = Some(old);
            }
            if let Some(new) = clean(new) {
                bump.new = Some(new);
            }
        }
        None => bumps.push(Bump { name: name.to_owned(), old: clean(old), new: clean(new) }),
    }
}

/// The kind of a file for the profile's features.
fn kind_of(analysis: &FileAnalysis<'_>) -> &'static str {
    let path = analysis.path();
    let lower = path.to_ascii_lowercase();
    let name = paths::file_name(&lower);
    match analysis.area {
        Area::Lock => "lock",
        Area::Dependency => "manifest",
        Area::Ci => {
            if name == "dependabot.yml" || name == "renovate.json" {
                "meta"
            } else {
                "ci"
            }
        }
        _ if lower.starts_with(".github/")
            || name.starts_with("renovate")
            || name == ".gitignore"
            || name == ".gitattributes"
            || name == "codeowners"
            || name == ".mailmap" =>
        {
            "meta"
        }
        Area::Docs => "docs",
        Area::Test => "test",
        Area::Build => "build",
        Area::Config => "config",
        Area::Source => "source",
        Area::Other => "other",
    }
}

/// True for CHANGELOG, CHANGES, HISTORY and NEWS files.
pub(super) fn is_changelog(path: &str) -> bool {
    let stem = paths::stem(paths::file_name(path)).to_ascii_lowercase();
    matches!(stem.as_str(), "changelog" | "changes" | "history" | "news" | "release-notes")
}

static VERSION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^#{1,4}\s*\[?v?(\d+\.\d+[0-9A-Za-z.+-]*)").expect("literal pattern compiles")
});
static CONVENTIONAL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z]+(\([^)]*\))?!?:\s+").expect("literal pattern compiles")
});
static ENTRY_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(\s*[,;(]?\s*(see|by|thanks to|in|fixes|closes|refs)?\s*(\[?#\d+\]?(\([^)]*\))?|@[\w-]+|https?://\S+|\[[^\]]*\]\(https?://[^)]*\))\s*\)?)+\s*\.?$",
    )
    .expect("literal pattern compiles")
});

/// What a changelog patch adds: its first bullet and the versions of its headings.
struct ChangelogAdditions {
    entry: Option<String>,
    versions: Vec<String>,
}

/// The first bullet a changelog patch adds (without references to pull requests, authors
/// and links), and the versions of the headings it adds (a release).
fn changelog_additions(patch: &str) -> ChangelogAdditions {
    let mut entry = None;
    let mut versions: Vec<String> = Vec::new();
    for line in patch.lines() {
        let Some(added) = line.strip_prefix('+') else { continue };
        let trimmed = added.trim();
        if let Some(captures) = VERSION_HEADING.captures(trimmed) {
            let version = captures[1].trim_end_matches(['.', '-']).to_string();
            if !versions.contains(&version) {
                versions.push(version);
            }
        }
        if entry.is_some() {
            continue;
        }
        let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) else {
            continue;
        };
        entry = entry_summary(item);
    }
    ChangelogAdditions { entry, versions }
}

/// An entry as a summary: without references, in the imperative, of 2 to 16 words.
fn entry_summary(item: &str) -> Option<String> {
    let cleaned = imperative(&without_references(item.trim()));
    let cleaned = cleaned.trim_start_matches("**").trim().to_string();
    let words = cleaned.split_whitespace().count();
    ((2..=16).contains(&words) && !cleaned.contains("](")).then_some(cleaned)
}

/// The first line of prose an added changeset declares after its front matter, without a
/// `feat:`-style prefix: `feat: add snapshot helper` gives `add snapshot helper`.
fn declared_entry(patch: &str) -> Option<String> {
    let mut front_matter = false;
    let mut seen_front_matter = false;
    for line in super::patch::added_lines(patch) {
        let trimmed = line.trim();
        if trimmed == "---" {
            front_matter = !front_matter;
            seen_front_matter = true;
            continue;
        }
        if front_matter || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !seen_front_matter {
            return None;
        }
        let item =
            trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")).unwrap_or(trimmed);
        let item = CONVENTIONAL_PREFIX.replace(item, "");
        return entry_summary(&item);
    }
    None
}

/// An entry without what points elsewhere: `see PR #12 (@someone)`, `(#12)`, links.
fn without_references(item: &str) -> String {
    let mut text = ENTRY_NOISE.replace(item, "").trim().to_string();
    let lower = text.to_lowercase();
    for marker in [", see ", " see ", "; see ", ", closes ", ", fixes "] {
        if let Some(position) = lower.rfind(marker) {
            let rest = &lower[position + marker.len()..];
            if rest.starts_with("pr")
                || rest.starts_with('#')
                || rest.starts_with("issue")
                || rest.contains('@')
            {
                text.truncate(position);
            }
        }
    }
    text.trim().trim_end_matches([',', ';', '.', ':']).trim().to_string()
}

/// A changelog entry as a subject: `Added x` and `Fixes x` become `Add x`, `Fix x`.
fn imperative(entry: &str) -> String {
    const VERBS: &[(&str, &str)] = &[
        ("Added", "Add"),
        ("Adds", "Add"),
        ("Fixed", "Fix"),
        ("Fixes", "Fix"),
        ("Updated", "Update"),
        ("Updates", "Update"),
        ("Removed", "Remove"),
        ("Removes", "Remove"),
        ("Improved", "Improve"),
        ("Improves", "Improve"),
        ("Changed", "Change"),
        ("Changes", "Change"),
        ("Implemented", "Implement"),
        ("Implements", "Implement"),
        ("Made", "Make"),
        ("Makes", "Make"),
        ("Deprecated", "Deprecate"),
        ("Renamed", "Rename"),
        ("Moved", "Move"),
        ("Replaced", "Replace"),
        ("Allowed", "Allow"),
        ("Allows", "Allow"),
        ("Bumped", "Bump"),
        ("Dropped", "Drop"),
        ("Supported", "Support"),
        ("Supports", "Support"),
        ("Enabled", "Enable"),
        ("Disabled", "Disable"),
    ];
    let (first, rest) = entry.split_once(' ').unwrap_or((entry, ""));
    for (past, present) in VERBS {
        for (from, to) in
            [(past.to_string(), present.to_string()), (past.to_lowercase(), present.to_lowercase())]
        {
            if first == from {
                return if rest.is_empty() { to } else { format!("{to} {rest}") };
            }
        }
    }
    entry.to_string()
}

/// Whether a file was renamed, for the profile's status features.
pub(crate) fn status_letter(status: Status) -> char {
    match status {
        Status::Added => 'A',
        Status::Deleted => 'D',
        Status::Modified => 'M',
        Status::Renamed => 'R',
        Status::Copied => 'C',
        Status::TypeChanged => 'T',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changelog_entries_lose_their_references() {
        let patch = "@@ -1,3 +1,5 @@\n # Changelog\n+## v0.4.0\n+- Add hyperlink support, see #3617 (@someone)\n+- Second\n";
        let additions = changelog_additions(patch);
        assert_eq!(additions.entry.as_deref(), Some("Add hyperlink support"));
        assert_eq!(additions.versions, vec!["0.4.0"]);
        let additions = changelog_additions("@@ -1 +1,2 @@\n+- Fix the pager on Windows (#12).\n");
        assert_eq!(additions.entry.as_deref(), Some("Fix the pager on Windows"));
        assert!(additions.versions.is_empty());
        let additions = changelog_additions(
            "@@ -1 +1,2 @@\n+- Added paging to `-h` and `--help`, see PR #3478 (@someone)\n",
        );
        assert_eq!(additions.entry.as_deref(), Some("Add paging to `-h` and `--help`"));
    }

    #[test]
    fn a_release_is_named_by_its_versions_not_its_first_entry() {
        // uv 0.12.5: the release notes open with one change among many.
        let notes = "@@ -3,0 +4,6 @@\n+## 0.12.5\n+\n+### Python\n+\n+- Add CPython 3.10.21, 3.11.16, and 3.12.14\n+- Fix a thing\n";
        let facts = ChangeFacts {
            changelog_entry: changelog_additions(notes).entry,
            changelog_release: true,
            release_versions: changelog_additions(notes).versions,
            ..ChangeFacts::default()
        };
        assert_eq!(facts.summary().as_deref(), Some("bump version to 0.12.5"));
        let two = "@@ -1 +1,4 @@\n+## 7.0.0-next.6\n+### Patch Changes\n+## [3.0.0-next.16] - 2026-01-01\n";
        assert_eq!(
            release_summary(&changelog_additions(two).versions).as_deref(),
            Some("bump versions to 7.0.0-next.6 and 3.0.0-next.16")
        );
        let entry = ChangeFacts {
            changelog_entry: Some("Add hyperlink support".into()),
            declared_entry: Some("other".into()),
            ..ChangeFacts::default()
        };
        assert_eq!(entry.summary().as_deref(), Some("Add hyperlink support"));
    }

    #[test]
    fn a_changeset_declares_its_entry() {
        let patch = "@@ -0,0 +1,5 @@\n+---\n+'@sveltejs/kit': minor\n+---\n+\n+feat: add `snapshot` helper to `$app/navigation`\n";
        assert_eq!(
            declared_entry(patch).as_deref(),
            Some("add `snapshot` helper to `$app/navigation`")
        );
        let covector = "@@ -0,0 +1,4 @@\n+---\n+\"tauri\": patch:bug\n+---\n+Fixed the window title on Linux (#12).\n";
        assert_eq!(declared_entry(covector).as_deref(), Some("Fix the window title on Linux"));
        // Prose without front matter is not a changeset entry; one word says too little.
        assert_eq!(declared_entry("@@ -0,0 +1 @@\n+Some notes here\n"), None);
        assert_eq!(declared_entry("@@ -0,0 +1,3 @@\n+---\n+---\n+fix\n"), None);
    }
}
