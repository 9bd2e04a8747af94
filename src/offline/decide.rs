//! Choosing the commit type, scope and summary from the per-file analyses.
//!
//! Code decides when there is code: a new file or definition is a feature, renames and
//! moves are refactors, removals are refactors, and other modifications are fixes when
//! small. Without code, the roles take precedence in the order tests, build, CI, docs, chore.

use std::collections::BTreeSet;

use crate::git::change::Status;

use super::analysis::{FileAnalysis, Role};
use super::definitions::{Kind, Language};
use super::dependencies::{display_requirement, DependencyChange};
use super::patch::Definition;
use super::paths::{self, Area};
use super::text::{count, count_definitions, join, Phrase, MAX_NAMES};

/// Modifications to existing code up to this many changed lines count as a fix.
const FIX_LINE_LIMIT: usize = 30;

/// The Conventional Commits type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CommitType {
    /// New behaviour: new files, definitions, fields.
    Feat,
    /// A small change to existing lines of code.
    Fix,
    /// Prose and comments.
    Docs,
    /// Whitespace and formatting only.
    Style,
    /// Renames, moves, removals and reshaping.
    Refactor,
    /// Tests only.
    Test,
    /// Build inputs and dependencies.
    Build,
    /// Continuous-integration pipelines.
    Ci,
    /// Configuration, assets, permissions and everything else.
    Chore,
}

impl CommitType {
    /// The type as written in a conventional subject.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            CommitType::Feat => "feat",
            CommitType::Fix => "fix",
            CommitType::Docs => "docs",
            CommitType::Style => "style",
            CommitType::Refactor => "refactor",
            CommitType::Test => "test",
            CommitType::Build => "build",
            CommitType::Ci => "ci",
            CommitType::Chore => "chore",
        }
    }
}

/// A finer intent than the type, for gitmoji, which distinguishes removals, moves, upgrades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Intent {
    /// Nothing beyond the type.
    Ordinary,
    /// Files or definitions removed.
    Removal,
    /// Files renamed or definitions moved.
    Move,
    /// Dependency requirements raised.
    DependencyUpgrade,
    /// Dependencies added.
    DependencyAddition,
    /// Dependencies removed.
    DependencyRemoval,
    /// The package version bumped.
    Release,
}

/// What the subject line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decision {
    /// The commit type.
    pub(super) commit_type: CommitType,
    /// The intent, for gitmoji.
    pub(super) intent: Intent,
    /// The component, when the change has one.
    pub(super) scope: Option<String>,
    /// The summary after the type.
    pub(super) phrase: Phrase,
}

impl Decision {
    /// Bundles the four parts.
    fn new(
        commit_type: CommitType,
        intent: Intent,
        scope: Option<String>,
        phrase: Phrase,
    ) -> Decision {
        Decision { commit_type, intent, scope, phrase }
    }

    /// The gitmoji (gitmoji.dev) for this change.
    pub(super) fn emoji(&self) -> &'static str {
        match self.intent {
            Intent::Removal => return "🔥",
            Intent::Move => return "🚚",
            Intent::DependencyUpgrade => return "⬆️",
            Intent::DependencyAddition => return "➕",
            Intent::DependencyRemoval => return "➖",
            Intent::Release => return "🔖",
            Intent::Ordinary => {}
        }
        match self.commit_type {
            CommitType::Feat => "✨",
            CommitType::Fix => "🐛",
            CommitType::Docs => "📝",
            CommitType::Style => "🎨",
            CommitType::Refactor => "♻️",
            CommitType::Test => "✅",
            CommitType::Build => "📦",
            CommitType::Ci => "👷",
            CommitType::Chore => "🔧",
        }
    }
}

/// Decides type, scope and summary for a non-empty set of analysed files.
pub(super) fn decide(analyses: &[FileAnalysis<'_>]) -> Decision {
    let substantive: Vec<&FileAnalysis<'_>> =
        analyses.iter().filter(|analysis| analysis.is_substantive()).collect();
    let mut decision = if substantive.is_empty() {
        let reformatted: Vec<&FileAnalysis<'_>> =
            analyses.iter().filter(|analysis| analysis.whitespace_only()).collect();
        if reformatted.is_empty() {
            decide_modes(&analyses.iter().collect::<Vec<_>>())
        } else {
            Decision::new(
                CommitType::Style,
                Intent::Ordinary,
                scope_of(&reformatted),
                files_phrase("reformat", &reformatted),
            )
        }
    } else if substantive.iter().any(|analysis| analysis.role == Role::Code) {
        let code: Vec<&FileAnalysis<'_>> =
            substantive.iter().copied().filter(|analysis| analysis.role == Role::Code).collect();
        adapted_bump(&substantive, &code).unwrap_or_else(|| decide_code(&code))
    } else {
        decide_other(&substantive)
    };
    if decision.scope.as_deref().is_some_and(|scope| mentions(&decision.phrase.detailed, scope)) {
        decision.scope = None;
    }
    decision
}

/// Code lines a dependency bump may change to adapt to the new versions and still be named
/// by the bump (`update deps` with a one-line fix for a renamed API).
const ADAPTATION_LINE_LIMIT: usize = 12;

/// The dependency bump, when manifests bump dependencies and the code only adapts to them:
/// a few changed lines in existing files, fewer than the manifests and lock files change.
fn adapted_bump(substantive: &[&FileAnalysis<'_>], code: &[&FileAnalysis<'_>]) -> Option<Decision> {
    let dependency_files: Vec<&FileAnalysis<'_>> = substantive
        .iter()
        .copied()
        .filter(|analysis| matches!(analysis.area, Area::Dependency | Area::Lock))
        .collect();
    if !dependency_files.iter().any(|analysis| analysis.area == Area::Dependency)
        || substantive.len() != dependency_files.len() + code.len()
    {
        return None;
    }
    let code_lines: usize = code.iter().map(|analysis| analysis.file.changed_lines()).sum();
    let dependency_lines: usize =
        dependency_files.iter().map(|analysis| analysis.file.changed_lines()).sum();
    let adapts = code.iter().all(|analysis| {
        analysis.file.status == Status::Modified
            && analysis.file.patch.is_some()
            && analysis.new_definitions.is_empty()
            && analysis.removed_definitions.is_empty()
    }) && code_lines <= ADAPTATION_LINE_LIMIT
        && code_lines < dependency_lines;
    if !adapts {
        return None;
    }
    let decision = decide_build(&dependency_files);
    matches!(
        decision.intent,
        Intent::DependencyUpgrade | Intent::DependencyAddition | Intent::DependencyRemoval
    )
    .then_some(decision)
}

/// True when the summary already names the scope as a word (`update README.md` and `readme`).
fn mentions(summary: &str, scope: &str) -> bool {
    summary
        .split(|character: char| {
            !(character.is_alphanumeric() || character == '_' || character == '-')
        })
        .any(|word| word.to_lowercase() == scope)
}

/// The common scope of the files' current and former paths.
fn scope_of(files: &[&FileAnalysis<'_>]) -> Option<String> {
    paths::common_scope(files.iter().flat_map(|analysis| {
        [Some(analysis.file.path.as_str()), analysis.file.old_path.as_deref()].into_iter().flatten()
    }))
}

/// Decides from the code files, which outrank everything else in a mixed change.
fn decide_code(code: &[&FileAnalysis<'_>]) -> Decision {
    let scope = scope_of(code);
    if code.iter().all(|analysis| analysis.file.status == Status::Deleted) {
        return Decision::new(
            CommitType::Refactor,
            Intent::Removal,
            scope,
            modules_phrase("remove", code),
        );
    }
    let new_files: Vec<&FileAnalysis<'_>> = code
        .iter()
        .copied()
        .filter(|analysis| matches!(analysis.file.status, Status::Added | Status::Copied))
        // A file made only of definitions moved from elsewhere is a split, not a feature.
        .filter(|analysis| analysis.moved_in.is_empty() || !analysis.new_definitions.is_empty())
        .collect();
    if !new_files.is_empty() {
        return Decision::new(
            CommitType::Feat,
            Intent::Ordinary,
            scope,
            modules_phrase("add", &new_files),
        );
    }
    if let Some(phrase) = renamed_definition(code) {
        return Decision::new(CommitType::Refactor, Intent::Move, scope, phrase);
    }
    let new_definitions: Vec<&Definition> = code
        .iter()
        .flat_map(|analysis| &analysis.new_definitions)
        .filter(|definition| definition.kind.is_feature_worthy())
        .collect();
    if !new_definitions.is_empty() {
        return Decision::new(
            CommitType::Feat,
            Intent::Ordinary,
            scope,
            definitions_phrase("add", &new_definitions),
        );
    }
    let renamed: Vec<&FileAnalysis<'_>> =
        code.iter().copied().filter(|analysis| analysis.file.status == Status::Renamed).collect();
    if !renamed.is_empty() {
        return Decision::new(CommitType::Refactor, Intent::Move, scope, rename_phrase(&renamed));
    }
    let moved: Vec<(&str, &str)> = code
        .iter()
        .flat_map(|analysis| {
            analysis.moved_in.iter().map(|(name, _)| (name.as_str(), analysis.path()))
        })
        .collect();
    if !moved.is_empty() {
        return Decision::new(CommitType::Refactor, Intent::Move, scope, move_phrase(&moved));
    }
    let added_lines: usize = code.iter().map(|analysis| analysis.file.added_lines).sum();
    let removed_lines: usize = code.iter().map(|analysis| analysis.file.removed_lines).sum();
    let deleted: Vec<&FileAnalysis<'_>> =
        code.iter().copied().filter(|analysis| analysis.file.status == Status::Deleted).collect();
    // What a deleted file defined goes with the file; only removals from kept files count.
    let removed_definitions: Vec<&Definition> = code
        .iter()
        .filter(|analysis| analysis.file.status != Status::Deleted)
        .flat_map(|analysis| &analysis.removed_definitions)
        .filter(|definition| definition.kind.is_feature_worthy())
        .collect();
    if (!deleted.is_empty() || !removed_definitions.is_empty()) && added_lines <= removed_lines {
        return Decision::new(
            CommitType::Refactor,
            Intent::Removal,
            scope,
            removal_phrase(&deleted, &removed_definitions),
        );
    }
    let changed = unique_definitions(code.iter().flat_map(|analysis| &analysis.facts.changed));
    // When some code is not shown, names from the rest would not stand for the whole change.
    let all_shown = code.iter().all(|analysis| analysis.file.patch.is_some());
    let phrase = if changed.is_empty() || !all_shown {
        files_phrase("update", code)
    } else {
        definitions_phrase("update", &changed)
    };
    let total = added_lines + removed_lines;
    let grows_types = code
        .iter()
        .any(|analysis| analysis.facts.type_body_added > analysis.facts.type_body_removed);
    let commit_type = if grows_types {
        // New fields or variants in existing types extend what the code can express.
        CommitType::Feat
    } else if total <= FIX_LINE_LIMIT && removed_lines > 0 {
        // Conservative: a fix changes existing lines; pure additions are not called fixes.
        CommitType::Fix
    } else if added_lines > 2 * removed_lines {
        // Mostly additive work inside existing definitions extends behaviour.
        CommitType::Feat
    } else {
        CommitType::Refactor
    };
    Decision::new(commit_type, Intent::Ordinary, scope, phrase)
}

/// `rename parse_severs to parse_servers`: one definition gone and one of the same kind come
/// in its place, in a change that adds as many lines as it removes (a rename with its calls).
fn renamed_definition(code: &[&FileAnalysis<'_>]) -> Option<Phrase> {
    let worthy = |definitions: &[Definition]| -> Vec<Definition> {
        definitions
            .iter()
            .filter(|definition| definition.kind.is_feature_worthy())
            .cloned()
            .collect()
    };
    let added: Vec<Definition> =
        code.iter().flat_map(|analysis| worthy(&analysis.new_definitions)).collect();
    let removed: Vec<Definition> =
        code.iter().flat_map(|analysis| worthy(&analysis.removed_definitions)).collect();
    let ([new], [old]) = (added.as_slice(), removed.as_slice()) else { return None };
    let balanced = code.iter().all(|analysis| {
        analysis.file.status == Status::Modified
            && analysis.file.added_lines == analysis.file.removed_lines
    });
    (balanced && new.kind == old.kind && new.name != old.name).then(|| Phrase {
        detailed: format!("rename {} to {}", old.name, new.name),
        counted: format!("rename {}", old.name),
    })
}

/// Decides a change without code, from the role with the highest precedence.
fn decide_other(substantive: &[&FileAnalysis<'_>]) -> Decision {
    if substantive.iter().all(|analysis| analysis.file.status == Status::Deleted) {
        return Decision::new(
            CommitType::Chore,
            Intent::Removal,
            scope_of(substantive),
            files_phrase("remove", substantive),
        );
    }
    let role = substantive.iter().map(|analysis| analysis.role).min().unwrap_or(Role::Chore);
    let group: Vec<&FileAnalysis<'_>> =
        substantive.iter().copied().filter(|analysis| analysis.role == role).collect();
    let commit_type = match role {
        Role::Code => CommitType::Refactor,
        Role::Test => CommitType::Test,
        Role::Build => CommitType::Build,
        Role::Ci => CommitType::Ci,
        Role::Docs => CommitType::Docs,
        Role::Chore => CommitType::Chore,
    };
    if group.iter().all(|analysis| analysis.file.status == Status::Renamed) {
        return Decision::new(commit_type, Intent::Move, scope_of(&group), rename_phrase(&group));
    }
    match role {
        Role::Test => decide_tests(&group),
        Role::Build => decide_build(&group),
        Role::Ci => decide_ci(&group),
        Role::Docs => decide_docs(&group),
        Role::Code | Role::Chore => Decision::new(
            CommitType::Chore,
            Intent::Ordinary,
            scope_of(&group),
            status_files_phrase(&group),
        ),
    }
}

/// Decides a change that only flips file modes.
fn decide_modes(files: &[&FileAnalysis<'_>]) -> Decision {
    let executable: Vec<bool> =
        files.iter().map(|analysis| paths::is_executable(analysis.file.new_mode)).collect();
    let names = display_names(files);
    let object =
        if names.len() <= MAX_NAMES { join(&names) } else { count(names.len(), "file", "files") };
    let counted_object = count(names.len(), "file", "files");
    let phrase = if executable.iter().all(|flag| *flag) {
        Phrase {
            detailed: format!("make {object} executable"),
            counted: format!("make {counted_object} executable"),
        }
    } else if executable.iter().all(|flag| !*flag) {
        Phrase {
            detailed: format!("make {object} non-executable"),
            counted: format!("make {counted_object} non-executable"),
        }
    } else {
        Phrase {
            detailed: format!("change mode of {object}"),
            counted: format!("change mode of {counted_object}"),
        }
    };
    Decision::new(CommitType::Chore, Intent::Ordinary, scope_of(files), phrase)
}

/// New test files, then new tests, removed tests, and finally updated ones.
fn decide_tests(group: &[&FileAnalysis<'_>]) -> Decision {
    let scope = scope_of(group);
    // Fixtures and data under `tests/` are not tests of their own.
    let new_files: Vec<&FileAnalysis<'_>> = group
        .iter()
        .copied()
        .filter(|analysis| analysis.file.status == Status::Added)
        .filter(|analysis| Language::for_path(analysis.path()) != Language::Data)
        .collect();
    let phrase = if !new_files.is_empty() {
        let subjects = unique_strings(
            new_files.iter().filter_map(|analysis| paths::test_subject(analysis.path())),
        );
        let counted = format!("add {}", count(new_files.len(), "test file", "test files"));
        if subjects.len() == new_files.len() && subjects.len() <= 2 {
            Phrase { detailed: format!("add tests for {}", join(&subjects)), counted }
        } else {
            Phrase::listing(
                "add",
                &display_names(&new_files),
                &count(new_files.len(), "test file", "test files"),
            )
        }
    } else {
        let added: Vec<&Definition> =
            group.iter().flat_map(|analysis| &analysis.added_tests).collect();
        let removed: Vec<&Definition> =
            group.iter().flat_map(|analysis| &analysis.removed_tests).collect();
        if !added.is_empty() {
            let names: Vec<&str> =
                added.iter().map(|definition| definition.name.as_str()).collect();
            Phrase::listing("add", &names, &count(names.len(), "test", "tests"))
        } else if !removed.is_empty() {
            let names: Vec<&str> =
                removed.iter().map(|definition| definition.name.as_str()).collect();
            Phrase::listing("remove", &names, &count(names.len(), "test", "tests"))
        } else {
            let subjects = unique_strings(
                group.iter().filter_map(|analysis| paths::test_subject(analysis.path())),
            );
            let counted = format!("update {}", count(group.len(), "test file", "test files"));
            if !subjects.is_empty() && subjects.len() <= 2 {
                Phrase { detailed: format!("update {} tests", join(&subjects)), counted }
            } else {
                Phrase::plain(counted)
            }
        }
    };
    Decision::new(CommitType::Test, Intent::Ordinary, scope, phrase)
}

/// Dependencies (`deps` scope) and version bumps when the manifests say so, else file names.
fn decide_build(group: &[&FileAnalysis<'_>]) -> Decision {
    let manifests: Vec<&FileAnalysis<'_>> =
        group.iter().copied().filter(|analysis| analysis.area == Area::Dependency).collect();
    let only_dependency_files =
        group.iter().all(|analysis| matches!(analysis.area, Area::Dependency | Area::Lock));
    let modified = group.iter().all(|analysis| analysis.file.status == Status::Modified);
    if only_dependency_files && modified {
        let facts: Vec<_> = manifests.iter().map(|analysis| analysis.manifest.as_ref()).collect();
        let locked: Vec<&DependencyChange> =
            group.iter().flat_map(|analysis| &analysis.locked).collect();
        if manifests.is_empty() && !locked.is_empty() {
            let (intent, phrase) = dependencies_phrase(&locked);
            return Decision::new(CommitType::Build, intent, Some("deps".to_owned()), phrase);
        }
        if manifests.is_empty() {
            return Decision::new(
                CommitType::Build,
                Intent::Ordinary,
                Some("deps".to_owned()),
                files_phrase("update", group),
            );
        }
        if facts.iter().all(|facts| facts.is_some_and(|facts| facts.dependencies_only())) {
            // The lock file knows the exact versions a requirement moved between.
            let exact: Vec<DependencyChange> = facts
                .iter()
                .flatten()
                .flat_map(|facts| &facts.dependencies)
                .map(|change| match locked.iter().find(|lock| lock.name == change.name) {
                    Some(lock) if change.old.is_some() && change.new.is_some() => {
                        DependencyChange {
                            name: change.name.clone(),
                            old: lock.old.clone().or_else(|| change.old.clone()),
                            new: lock.new.clone().or_else(|| change.new.clone()),
                        }
                    }
                    _ => change.clone(),
                })
                .collect();
            let changes: Vec<&DependencyChange> = exact.iter().collect();
            let (intent, phrase) = dependencies_phrase(&changes);
            return Decision::new(CommitType::Build, intent, Some("deps".to_owned()), phrase);
        }
        if facts.iter().all(|facts| facts.is_some_and(|facts| facts.version_only())) {
            let versions: BTreeSet<&str> = facts
                .iter()
                .flatten()
                .filter_map(|facts| facts.version.as_ref())
                .map(|(_, new)| new.as_str())
                .collect();
            let phrase = match versions.iter().next() {
                Some(version) if versions.len() == 1 => {
                    Phrase::plain(format!("bump version to {version}"))
                }
                _ => Phrase::plain("bump versions".to_owned()),
            };
            return Decision::new(
                CommitType::Chore,
                Intent::Release,
                Some("release".to_owned()),
                phrase,
            );
        }
    }
    Decision::new(CommitType::Build, Intent::Ordinary, scope_of(group), status_files_phrase(group))
}

/// Workflows by name, else file names.
fn decide_ci(group: &[&FileAnalysis<'_>]) -> Decision {
    let is_workflow = |analysis: &&FileAnalysis<'_>| {
        let path = analysis.path().to_lowercase();
        path.contains(".github/workflows/") || path.contains(".gitlab/ci/")
    };
    let phrase = if group.iter().all(is_workflow) {
        let names = unique_strings(
            group.iter().map(|analysis| paths::stem(paths::file_name(analysis.path()))),
        );
        let verb = status_verb(group);
        let counted = format!("{verb} {}", count(names.len(), "workflow", "workflows"));
        if names.len() <= MAX_NAMES {
            let noun = if names.len() == 1 { "workflow" } else { "workflows" };
            Phrase { detailed: format!("{verb} {} {noun}", join(&names)), counted }
        } else {
            Phrase::plain(counted)
        }
    } else {
        status_files_phrase(group)
    };
    Decision::new(CommitType::Ci, Intent::Ordinary, scope_of(group), phrase)
}

/// Comments in code, sections of prose, or file names.
fn decide_docs(group: &[&FileAnalysis<'_>]) -> Decision {
    let scope = scope_of(group);
    let prose: Vec<&FileAnalysis<'_>> =
        group.iter().copied().filter(|analysis| analysis.area != Area::Source).collect();
    if prose.is_empty() {
        let names = display_names(group);
        let counted = format!("update comments in {}", count(names.len(), "file", "files"));
        let phrase = if names.len() <= MAX_NAMES {
            Phrase { detailed: format!("update comments in {}", join(&names)), counted }
        } else {
            Phrase::plain(counted)
        };
        return Decision::new(CommitType::Docs, Intent::Ordinary, scope, phrase);
    }
    match sections_phrase(&prose) {
        Some(phrase) => {
            // The scope follows the text the phrase is about, not images beside it.
            let readable: Vec<&FileAnalysis<'_>> = prose
                .iter()
                .copied()
                .filter(|analysis| analysis.file.exclusion.is_none())
                .collect();
            Decision::new(CommitType::Docs, Intent::Ordinary, scope_of(&readable), phrase)
        }
        None => {
            Decision::new(CommitType::Docs, Intent::Ordinary, scope, status_files_phrase(&prose))
        }
    }
}

/// `update Installation section` when every changed prose line sits under a known heading.
fn sections_phrase(prose: &[&FileAnalysis<'_>]) -> Option<Phrase> {
    // Images and other unreadable files beside the text (screenshots) do not hide the
    // sections; text whose sections are unknown does.
    let prose: Vec<&FileAnalysis<'_>> =
        prose.iter().copied().filter(|analysis| analysis.file.exclusion.is_none()).collect();
    let all_known = !prose.is_empty()
        && prose.iter().all(|analysis| {
            analysis.file.status == Status::Modified
                && analysis.file.patch.is_some()
                && Language::for_path(analysis.path()).is_prose()
                && analysis.facts.unattributed_lines == 0
        });
    if !all_known {
        return None;
    }
    let added = headings(prose.iter().flat_map(|analysis| &analysis.facts.added));
    let removed = headings(prose.iter().flat_map(|analysis| &analysis.facts.removed));
    let changed = headings(prose.iter().flat_map(|analysis| &analysis.facts.changed));
    let (verb, names) = match (added.is_empty(), removed.is_empty(), changed.is_empty()) {
        (false, true, true) => ("add", added),
        (true, false, true) => ("remove", removed),
        (true, true, true) => return None,
        _ => ("update", unique_strings(changed.into_iter().chain(added).chain(removed))),
    };
    let files = status_files_phrase(&prose);
    if names.len() > MAX_NAMES {
        return Some(Phrase {
            detailed: format!("{verb} {}", count(names.len(), "section", "sections")),
            counted: files.counted,
        });
    }
    let noun = if names.len() == 1 { "section" } else { "sections" };
    Some(Phrase { detailed: format!("{verb} {} {noun}", join(&names)), counted: files.counted })
}

/// The distinct heading names among some definitions, in order.
fn headings<'a>(definitions: impl Iterator<Item = &'a Definition>) -> Vec<&'a str> {
    unique_strings(
        definitions
            .filter(|definition| definition.kind == Kind::Heading)
            .map(|definition| definition.name.as_str()),
    )
}

/// `bump serde to 1.0.200`, `add tokio dependency`, `bump serde and add tokio`.
fn dependencies_phrase(changes: &[&DependencyChange]) -> (Intent, Phrase) {
    let mut seen = BTreeSet::new();
    let changes: Vec<&DependencyChange> =
        changes.iter().copied().filter(|change| seen.insert(change.name.as_str())).collect();
    let bumped: Vec<&str> = changes
        .iter()
        .filter(|change| change.old.is_some() && change.new.is_some())
        .map(|change| change.name.as_str())
        .collect();
    let added: Vec<&str> = changes
        .iter()
        .filter(|change| change.old.is_none())
        .map(|change| change.name.as_str())
        .collect();
    let removed: Vec<&str> = changes
        .iter()
        .filter(|change| change.new.is_none())
        .map(|change| change.name.as_str())
        .collect();
    let noun = |number: usize| count(number, "dependency", "dependencies");
    let plural = |number: usize| if number == 1 { "dependency" } else { "dependencies" };
    match (bumped.len(), added.len(), removed.len()) {
        (1, 0, 0) => {
            let version = changes
                .iter()
                .find_map(|change| change.new.as_deref())
                .map(display_requirement)
                .unwrap_or_default();
            let old = changes
                .iter()
                .find_map(|change| change.old.as_deref())
                .map(display_requirement)
                .unwrap_or_default();
            let detailed = if version.is_empty() {
                format!("bump {}", bumped[0])
            } else if old.is_empty() || old == version {
                format!("bump {} to {version}", bumped[0])
            } else {
                format!("bump {} from {old} to {version}", bumped[0])
            };
            (Intent::DependencyUpgrade, Phrase { detailed, counted: format!("bump {}", bumped[0]) })
        }
        (_, 0, 0) => {
            (Intent::DependencyUpgrade, Phrase::listing("bump", &bumped, &noun(bumped.len())))
        }
        (0, _, 0) => (
            Intent::DependencyAddition,
            Phrase {
                detailed: if added.len() <= MAX_NAMES {
                    format!("add {} {}", join(&added), plural(added.len()))
                } else {
                    format!("add {}", noun(added.len()))
                },
                counted: format!("add {}", noun(added.len())),
            },
        ),
        (0, 0, _) => (
            Intent::DependencyRemoval,
            Phrase {
                detailed: if removed.len() <= MAX_NAMES {
                    format!("remove {} {}", join(&removed), plural(removed.len()))
                } else {
                    format!("remove {}", noun(removed.len()))
                },
                counted: format!("remove {}", noun(removed.len())),
            },
        ),
        _ => {
            let mut parts = Vec::new();
            for (verb, names) in [("bump", &bumped), ("add", &added), ("remove", &removed)] {
                if !names.is_empty() {
                    parts.push(format!("{verb} {}", join(names)));
                }
            }
            let counted = format!("update {}", noun(changes.len()));
            let detailed = if changes.len() <= MAX_NAMES { join(&parts) } else { counted.clone() };
            let intent = if bumped.is_empty() {
                Intent::DependencyAddition
            } else {
                Intent::DependencyUpgrade
            };
            (intent, Phrase { detailed, counted })
        }
    }
}

/// Names definitions, preferring types and functions over constants and implementations.
fn definitions_phrase(verb: &str, definitions: &[&Definition]) -> Phrase {
    let implementations_only =
        definitions.iter().all(|definition| definition.kind == Kind::Implementation);
    let named: Vec<&Definition> = if implementations_only {
        definitions.to_vec()
    } else {
        definitions
            .iter()
            .copied()
            .filter(|definition| definition.kind != Kind::Implementation)
            .collect()
    };
    let verb = if implementations_only && verb == "add" { "implement" } else { verb };
    let names: Vec<&str> = named.iter().map(|definition| definition.name.as_str()).collect();
    Phrase::listing(verb, &names, &count_definitions(&named))
}

/// `add filter module`, `remove exporter and importer modules`, or file names for languages
/// without modules.
fn modules_phrase(verb: &str, files: &[&FileAnalysis<'_>]) -> Phrase {
    let has_modules = files.iter().all(|analysis| {
        !matches!(
            Language::for_path(analysis.path()),
            Language::Shell | Language::Data | Language::Markdown | Language::AsciiDoc
        )
    });
    if !has_modules {
        return files_phrase(verb, files);
    }
    // A package entry (`mod.rs`, `__init__.py`, `index.ts`) names its folder, so the files
    // beside it are part of that one module.
    let package_folders: BTreeSet<&str> = files
        .iter()
        .map(|analysis| analysis.path())
        .filter(|path| paths::FOLDER_STEMS.contains(&paths::stem(paths::file_name(path))))
        .map(paths::parent)
        .collect();
    let names = unique_strings(
        files
            .iter()
            .map(|analysis| analysis.path())
            .filter(|path| {
                paths::FOLDER_STEMS.contains(&paths::stem(paths::file_name(path)))
                    || !package_folders.contains(paths::parent(path))
            })
            .map(paths::module_name),
    );
    let counted = format!("{verb} {}", count(names.len(), "module", "modules"));
    if names.len() > MAX_NAMES {
        return Phrase::plain(counted);
    }
    // Files named after the type or component they hold (`OrderService.java`,
    // `UserCard.tsx`) read better as `add OrderService` than as a module.
    let named_after_type = files.iter().all(|analysis| {
        let module = paths::module_name(analysis.path());
        analysis.new_definitions.iter().chain(&analysis.removed_definitions).any(|definition| {
            matches!(definition.kind, Kind::Type | Kind::Function) && definition.name == module
        })
    });
    let detailed = if named_after_type {
        format!("{verb} {}", join(&names))
    } else {
        let noun = if names.len() == 1 { "module" } else { "modules" };
        format!("{verb} {} {noun}", join(&names))
    };
    Phrase { detailed, counted }
}

/// `remove exporter module`, `remove old_loader`, or both kinds of names together.
fn removal_phrase(deleted: &[&FileAnalysis<'_>], definitions: &[&Definition]) -> Phrase {
    if definitions.is_empty() {
        return modules_phrase("remove", deleted);
    }
    if deleted.is_empty() {
        return definitions_phrase("remove", definitions);
    }
    let mut names =
        unique_strings(deleted.iter().map(|analysis| paths::module_name(analysis.path())));
    names.extend(definitions.iter().map(|definition| definition.name.as_str()));
    let counted = format!(
        "remove {} and {}",
        count(deleted.len(), "file", "files"),
        count_definitions(definitions)
    );
    Phrase::listing("remove", &names, &counted)
}

/// `rename util.rs to paths.rs`, `move util.rs to src/common`, `move 3 files to src/common`.
fn rename_phrase(renamed: &[&FileAnalysis<'_>]) -> Phrase {
    if let [only] = renamed {
        let new_path = only.path();
        let old_path = only.file.old_path.as_deref().unwrap_or(new_path);
        let (old_name, new_name) = (paths::file_name(old_path), paths::file_name(new_path));
        let same_folder = paths::parent(old_path) == paths::parent(new_path);
        let detailed = if same_folder {
            format!("rename {old_name} to {new_name}")
        } else if old_name == new_name {
            let folder = paths::parent(new_path);
            let folder = if folder.is_empty() { "the root" } else { folder };
            format!("move {old_name} to {folder}")
        } else {
            format!("move {old_name} to {new_path}")
        };
        let counted =
            if same_folder { format!("rename {old_name}") } else { format!("move {old_name}") };
        return Phrase { detailed, counted };
    }
    let folders: BTreeSet<&str> =
        renamed.iter().map(|analysis| paths::parent(analysis.path())).collect();
    let names_kept = renamed.iter().all(|analysis| {
        analysis
            .file
            .old_path
            .as_deref()
            .is_some_and(|old| paths::file_name(old) == paths::file_name(analysis.path()))
    });
    let files = count(renamed.len(), "file", "files");
    match folders.iter().next() {
        Some(folder) if folders.len() == 1 && names_kept && !folder.is_empty() => Phrase {
            detailed: format!("move {files} to {folder}"),
            counted: format!("move {files}"),
        },
        _ => Phrase::plain(format!("rename {files}")),
    }
}

/// `move parse_duration to paths.rs`, `move 4 definitions`.
fn move_phrase(moved: &[(&str, &str)]) -> Phrase {
    let names = unique_strings(moved.iter().map(|(name, _)| *name));
    let destinations: BTreeSet<&str> =
        moved.iter().map(|(_, path)| paths::file_name(path)).collect();
    let counted_object = count(names.len(), "definition", "definitions");
    match destinations.iter().next() {
        Some(destination) if destinations.len() == 1 => {
            let object =
                if names.len() <= MAX_NAMES { join(&names) } else { counted_object.clone() };
            Phrase {
                detailed: format!("move {object} to {destination}"),
                counted: format!("move {counted_object} to {destination}"),
            }
        }
        _ => Phrase::listing("move", &names, &counted_object),
    }
}

/// The verb for a group of files from their statuses.
fn status_verb(files: &[&FileAnalysis<'_>]) -> &'static str {
    if files.iter().all(|analysis| analysis.file.status == Status::Added) {
        "add"
    } else if files.iter().all(|analysis| analysis.file.status == Status::Deleted) {
        "remove"
    } else {
        "update"
    }
}

/// File names with the verb their statuses call for.
fn status_files_phrase(files: &[&FileAnalysis<'_>]) -> Phrase {
    files_phrase(status_verb(files), files)
}

/// `update config.rs and main.rs`, or `update 5 files`.
fn files_phrase(verb: &str, files: &[&FileAnalysis<'_>]) -> Phrase {
    let names = display_names(files);
    if names.len() == 1 {
        return Phrase::plain(format!("{verb} {}", names[0]));
    }
    Phrase::listing(verb, &names, &count(names.len(), "file", "files"))
}

/// File names, or full paths when two files share a name.
fn display_names<'a>(files: &[&'a FileAnalysis<'_>]) -> Vec<&'a str> {
    let names: Vec<&str> = files.iter().map(|analysis| paths::file_name(analysis.path())).collect();
    let distinct: BTreeSet<&str> = names.iter().copied().collect();
    if distinct.len() == names.len() {
        names
    } else {
        unique_strings(files.iter().map(|analysis| analysis.path()))
    }
}

/// The items without repeats, in first-seen order.
fn unique_strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    items.into_iter().filter(|item| seen.insert(*item)).collect()
}

/// The definitions without repeated names, in first-seen order.
fn unique_definitions<'a>(items: impl IntoIterator<Item = &'a Definition>) -> Vec<&'a Definition> {
    let mut seen = BTreeSet::new();
    items.into_iter().filter(|definition| seen.insert(definition.name.as_str())).collect()
}
