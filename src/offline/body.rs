//! The message body: one bullet per logical change, code first, naming real definitions,
//! sections, dependencies and files, capped at a screenful.

use std::collections::BTreeSet;

use crate::git::change::{Cut, Exclusion, Status};
use crate::text::human_bytes;

use super::analysis::FileAnalysis;
use super::definitions::{Kind, Language};
use super::dependencies::{display_requirement, DependencyChange, ManifestFacts};
use super::patch::Definition;
use super::paths;
use super::text::{count, count_definitions, join, MAX_NAMES};

/// Bullets shown before the rest is summed up in one line.
const MAX_BULLETS: usize = 8;

/// Bullets longer than this use counts and file names instead of names and paths.
const BULLET_WIDTH: usize = 72;

/// One bullet and what it names, to tell whether it only repeats the subject.
struct Bullet {
    text: String,
    names: Vec<String>,
    file_index: usize,
}

/// Renders the body for the given subject; empty when one bullet would only repeat it.
pub(super) fn render(analyses: &[FileAnalysis<'_>], subject: &str) -> String {
    let mut ordered: Vec<&FileAnalysis<'_>> = analyses.iter().collect();
    // Code first; within a role, files that add, remove, move or rename things before files
    // that are only updated, then manifests before lock files, then path order.
    ordered.sort_by_key(|analysis| {
        (analysis.role, !is_structural(analysis), analysis.area, analysis.index)
    });
    // Bullets are built only until the cap is passed; the files after that are only counted,
    // which keeps a 2,000-file change as cheap to render as a small one.
    let mut bullets: Vec<Bullet> = Vec::new();
    let mut visited = 0;
    while visited < ordered.len() && bullets.len() <= MAX_BULLETS {
        bullets.extend(file_bullets(ordered[visited], analyses));
        visited += 1;
    }
    let unvisited = ordered[visited..].iter().filter(|analysis| has_bullets(analysis)).count();
    if let [only] = bullets.as_slice() {
        // A bullet that says more than a verb and a file (`Add src/lexer.rs with lex and
        // token`) is kept even when the subject names the file by its stem.
        let bare = only.text.split_whitespace().count() <= 2;
        let repeated = only.names.iter().all(|name| subject.contains(name.as_str()))
            || (bare && only.names.iter().all(|name| mentioned(subject, name)));
        if unvisited == 0 && repeated {
            return String::new();
        }
    }
    let shown = bullets.len().min(MAX_BULLETS);
    let shown_files: BTreeSet<usize> =
        bullets[..shown].iter().map(|bullet| bullet.file_index).collect();
    let mut lines: Vec<String> =
        bullets[..shown].iter().map(|bullet| format!("- {}", bullet.text)).collect();
    let hidden_files = unvisited
        + bullets[shown..]
            .iter()
            .map(|bullet| bullet.file_index)
            .filter(|index| !shown_files.contains(index))
            .collect::<BTreeSet<usize>>()
            .len();
    let hidden_bullets = bullets.len() - shown;
    if hidden_files > 0 {
        lines.push(format!("- …and {}", count_plain(hidden_files, "file", "files")));
    } else if hidden_bullets > 0 {
        lines.push(format!("- …and {}", count_plain(hidden_bullets, "change", "changes")));
    }
    lines.join("\n")
}

/// True when the subject names `name`, or the file it names by its stem (`update plan
/// workflow` names `plan.yml`), so that a lone bullet about it would only repeat the subject.
fn mentioned(subject: &str, name: &str) -> bool {
    if subject.contains(name) {
        return true;
    }
    let stem = paths::stem(name);
    stem != name
        && stem.chars().count() >= 3
        && subject
            .split(|character: char| {
                !(character.is_alphanumeric() || matches!(character, '_' | '-' | '.'))
            })
            .any(|word| word.trim_end_matches('.').eq_ignore_ascii_case(stem))
}

/// True when `file_bullets` gives at least one bullet for the file, without building it.
fn has_bullets(analysis: &FileAnalysis<'_>) -> bool {
    let file = analysis.file;
    file.exclusion.is_some()
        || file.status != Status::Modified
        || file.mode_changed()
        || file.changed_lines() > 0
}

/// True when a file was added, deleted or renamed, or gained, lost or received definitions.
fn is_structural(analysis: &FileAnalysis<'_>) -> bool {
    analysis.file.status != Status::Modified
        || !analysis.new_definitions.is_empty()
        || !analysis.removed_definitions.is_empty()
        || !analysis.moved_in.is_empty()
}

/// `1 more file`, `3 more files`.
fn count_plain(number: usize, singular: &str, plural: &str) -> String {
    format!("{number} more {}", if number == 1 { singular } else { plural })
}

/// The first candidate that fits the bullet width, else the last (shortest) one.
fn choose(candidates: Vec<String>) -> String {
    let fallback = candidates.last().cloned().unwrap_or_default();
    candidates
        .into_iter()
        .find(|candidate| candidate.chars().count() <= BULLET_WIDTH)
        .unwrap_or(fallback)
}

/// The bullets for one file: exclusions, status, mode, then what its content shows.
fn file_bullets(analysis: &FileAnalysis<'_>, all: &[FileAnalysis<'_>]) -> Vec<Bullet> {
    let file = analysis.file;
    let path = analysis.path();
    let name = paths::file_name(path);
    let old_path = file.old_path.as_deref().unwrap_or(path);
    let mut bullets = Vec::new();
    let mut push = |text: String, names: Vec<String>| {
        bullets.push(Bullet { text, names, file_index: analysis.index });
    };
    let verb = match file.status {
        Status::Added | Status::Copied => "Add",
        Status::Deleted => "Delete",
        _ => "Update",
    };

    if let Some(exclusion) = &file.exclusion {
        // Content is never read for these: the status, the reason and the sizes are all
        // there is to say.
        let head = match file.status {
            Status::Renamed => format!("Rename {old_path} to {path}"),
            Status::Copied => format!("Copy {old_path} to {path}"),
            _ => format!("{verb} {path}"),
        };
        let text = match (exclusion, file.status) {
            (Exclusion::Binary, Status::Added | Status::Copied) => {
                format!("{head} (binary, {})", human_bytes(file.new_size))
            }
            (Exclusion::Binary, Status::Deleted) => {
                format!("{head} (binary, {})", human_bytes(file.old_size))
            }
            (Exclusion::Binary, _) if file.old_size != file.new_size => {
                format!(
                    "{head} (binary, {} → {})",
                    human_bytes(file.old_size),
                    human_bytes(file.new_size)
                )
            }
            (Exclusion::Binary, _) => format!("{head} (binary)"),
            (Exclusion::TooLarge, _) => format!("{head} (too large to diff)"),
            (Exclusion::LockFile | Exclusion::Generated | Exclusion::Minified, _)
            | (Exclusion::Vendored | Exclusion::Secret | Exclusion::UserExcluded(_), _) => {
                format!("{head} ({exclusion}, not shown)")
            }
        };
        push(text, vec![name.to_owned()]);
        return bullets;
    }

    let status_bullet = match file.status {
        Status::Added => {
            let definitions: Vec<&Definition> = analysis
                .new_definitions
                .iter()
                .filter(|definition| definition.kind.is_feature_worthy())
                .collect();
            Some(with_definitions(&format!("Add {path}"), &format!("Add {name}"), &definitions))
        }
        Status::Copied => Some(choose(vec![
            format!("Copy {old_path} to {path}"),
            format!("Copy {} to {name}", paths::file_name(old_path)),
        ])),
        Status::Deleted => Some(format!("Delete {path}")),
        Status::Renamed => {
            let verb = if paths::file_name(old_path) == name { "Move" } else { "Rename" };
            Some(choose(vec![
                format!("{verb} {old_path} to {path}"),
                format!("{verb} {} to {path}", paths::file_name(old_path)),
            ]))
        }
        Status::TypeChanged => Some(if file.new_mode == paths::SYMBOLIC_LINK_MODE {
            format!("Change {path} to a symbolic link")
        } else if file.old_mode == paths::SYMBOLIC_LINK_MODE {
            format!("Change {path} from a symbolic link to a file")
        } else {
            format!("Change the type of {path}")
        }),
        Status::Modified => None,
    };
    if let Some(text) = status_bullet {
        let names = match file.status {
            Status::Renamed | Status::Copied => {
                vec![paths::file_name(old_path).to_owned(), name.to_owned()]
            }
            _ => vec![name.to_owned()],
        };
        push(text, names);
    }
    if file.mode_changed() {
        let mode =
            if paths::is_executable(file.new_mode) { "executable" } else { "non-executable" };
        push(format!("Change mode of {path} to {mode}"), vec![name.to_owned()]);
    }

    let content_changed =
        matches!(file.status, Status::Modified | Status::Renamed) && file.changed_lines() > 0;
    if !content_changed {
        return bullets;
    }
    if file.patch.is_none() {
        push(
            format!(
                "{verb} {path} (+{} -{} lines, not shown)",
                file.added_lines, file.removed_lines
            ),
            vec![name.to_owned()],
        );
        return bullets;
    }
    if analysis.whitespace_only() {
        push(format!("Reformat {path}"), vec![name.to_owned()]);
        return bullets;
    }
    if analysis.facts.comment_only() {
        push(format!("Update comments in {path}"), vec![name.to_owned()]);
        return bullets;
    }
    let mut content: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(manifest) = &analysis.manifest {
        dependency_bullets(manifest, path, name, &mut content);
    } else if Language::for_path(path).is_prose() {
        section_bullets(analysis, path, &mut content);
    } else {
        definition_bullets(analysis, all, path, name, &mut content);
    }
    if matches!(file.cut, Some(Cut::FileCap { .. })) {
        // What was read covers only the start of the patch: say so, with the whole counts.
        let lines = format!("+{} -{} lines", file.added_lines, file.removed_lines);
        let text = if content.is_empty() {
            format!("Update {path} ({lines}, partly shown)")
        } else {
            format!("Update more of {path} ({lines}, partly shown)")
        };
        content.push((text, vec![name.to_owned()]));
    } else if content.is_empty() && file.status == Status::Modified {
        content.push((format!("Update {path}"), vec![name.to_owned()]));
    }
    for (text, names) in content {
        push(text, names);
    }
    bullets
}

/// `Add src/filter.rs with Filter and parse_filter`, shortened to counts when too long.
fn with_definitions(head: &str, short_head: &str, definitions: &[&Definition]) -> String {
    if definitions.is_empty() {
        return head.to_owned();
    }
    let names: Vec<&str> = definitions.iter().map(|definition| definition.name.as_str()).collect();
    let counted = count_definitions(definitions);
    let mut candidates = Vec::new();
    if names.len() <= MAX_NAMES {
        candidates.push(format!("{head} with {}", join(&names)));
    }
    candidates.push(format!("{head} with {counted}"));
    candidates.push(format!("{short_head} with {counted}"));
    candidates.push(head.to_owned());
    choose(candidates)
}

/// `{verb} names {preposition} path`, falling back to counts and the bare file name.
fn named_bullet(
    verb: &str,
    definitions: &[&Definition],
    preposition: &str,
    path: &str,
    name: &str,
) -> (String, Vec<String>) {
    let names: Vec<&str> = definitions.iter().map(|definition| definition.name.as_str()).collect();
    let counted = count_definitions(definitions);
    let mut candidates = Vec::new();
    if names.len() <= MAX_NAMES {
        candidates.push(format!("{verb} {} {preposition} {path}", join(&names)));
    }
    candidates.push(format!("{verb} {counted} {preposition} {path}"));
    if names.len() <= MAX_NAMES {
        candidates.push(format!("{verb} {} {preposition} {name}", join(&names)));
    }
    candidates.push(format!("{verb} {counted} {preposition} {name}"));
    (choose(candidates), names.iter().map(|name| (*name).to_owned()).collect())
}

/// Moved, added, removed and updated definitions of one code file.
fn definition_bullets(
    analysis: &FileAnalysis<'_>,
    all: &[FileAnalysis<'_>],
    path: &str,
    name: &str,
    content: &mut Vec<(String, Vec<String>)>,
) {
    // Definitions that moved here, grouped by the file they left (in file order).
    let mut sources: Vec<usize> = analysis.moved_in.iter().map(|(_, from)| *from).collect();
    sources.sort_unstable();
    sources.dedup();
    for source in sources {
        let names: Vec<&str> = analysis
            .moved_in
            .iter()
            .filter(|(_, from)| *from == source)
            .map(|(moved, _)| moved.as_str())
            .collect();
        let from_path = all.get(source).map_or("another file", |other| other.path());
        let object = if names.len() <= MAX_NAMES {
            join(&names)
        } else {
            count(names.len(), "definition", "definitions")
        };
        let text = choose(vec![
            format!("Move {object} from {from_path} to {path}"),
            format!("Move {object} from {} to {name}", paths::file_name(from_path)),
            format!("Move {} to {name}", count(names.len(), "definition", "definitions")),
        ]);
        content.push((text, names.iter().map(|moved| (*moved).to_owned()).collect()));
    }
    let added: Vec<&Definition> = analysis.new_definitions.iter().collect();
    if !added.is_empty() {
        content.push(named_bullet("Add", &added, "in", path, name));
    }
    let tests: Vec<&Definition> = analysis.added_tests.iter().collect();
    if !tests.is_empty() && analysis.file.status == Status::Modified {
        let names: Vec<&str> = tests.iter().map(|test| test.name.as_str()).collect();
        let text = choose(vec![
            format!("Add {} in {path}", join(&names)),
            format!("Add {} in {path}", count(names.len(), "test", "tests")),
            format!("Add {} in {name}", count(names.len(), "test", "tests")),
        ]);
        content.push((text, names.iter().map(|test| (*test).to_owned()).collect()));
    }
    let removed: Vec<&Definition> = analysis.removed_definitions.iter().collect();
    if !removed.is_empty() {
        content.push(named_bullet("Remove", &removed, "from", path, name));
    }
    if !analysis.removed_tests.is_empty() {
        let number = analysis.removed_tests.len();
        content.push((
            format!("Remove {} from {path}", count(number, "test", "tests")),
            vec![name.to_owned()],
        ));
    }
    let changed: Vec<&Definition> = analysis
        .facts
        .changed
        .iter()
        .chain(&analysis.facts.changed_tests)
        .filter(|definition| definition.kind != Kind::Heading)
        .collect();
    if !changed.is_empty() {
        content.push(named_bullet("Update", &changed, "in", path, name));
    }
}

/// Added, removed and updated sections of one prose file.
fn section_bullets(
    analysis: &FileAnalysis<'_>,
    path: &str,
    content: &mut Vec<(String, Vec<String>)>,
) {
    let facts = &analysis.facts;
    let quoted = |definitions: &[Definition]| -> Vec<String> {
        definitions
            .iter()
            .filter(|definition| definition.kind == Kind::Heading)
            .map(|definition| format!("\"{}\"", definition.name))
            .collect()
    };
    let name = paths::file_name(path);
    for (verb, preposition, definitions) in [
        ("Add", "to", &facts.added),
        ("Remove", "from", &facts.removed),
        ("Update", "of", &facts.changed),
    ] {
        let names = quoted(definitions);
        if names.is_empty() {
            continue;
        }
        let noun = if names.len() == 1 { "section" } else { "sections" };
        let mut candidates = Vec::new();
        if names.len() <= MAX_NAMES {
            candidates.push(format!("{verb} the {} {noun} {preposition} {path}", join(&names)));
            candidates.push(format!("{verb} the {} {noun} {preposition} {name}", join(&names)));
        }
        candidates.push(format!(
            "{verb} {} {preposition} {name}",
            count(names.len(), "section", "sections")
        ));
        let plain_names = definitions.iter().map(|definition| definition.name.clone()).collect();
        content.push((choose(candidates), plain_names));
    }
    if facts.unattributed_lines > 0 && !content.is_empty() {
        content.push((format!("Update other parts of {path}"), vec![name.to_owned()]));
    }
}

/// Bumped, added and removed dependencies, the version, and other settings of a manifest.
fn dependency_bullets(
    manifest: &ManifestFacts,
    path: &str,
    name: &str,
    content: &mut Vec<(String, Vec<String>)>,
) {
    let changes = &manifest.dependencies;
    if changes.len() > MAX_NAMES {
        let names: Vec<&str> = changes.iter().map(|change| change.name.as_str()).collect();
        let text = choose(vec![
            format!(
                "Update {} in {path}: {}",
                count(names.len(), "dependency", "dependencies"),
                join(&names)
            ),
            format!("Update {} in {path}", count(names.len(), "dependency", "dependencies")),
        ]);
        content.push((text, names.iter().map(|name| (*name).to_owned()).collect()));
    } else {
        // Bumps, then additions, then removals, as the subject lists them.
        let mut ordered: Vec<&DependencyChange> = changes.iter().collect();
        ordered.sort_by_key(|change| match (&change.old, &change.new) {
            (Some(_), Some(_)) => 0,
            (None, _) => 1,
            (Some(_), None) => 2,
        });
        for change in ordered {
            let dependency = &change.name;
            let text = match (change.old.as_deref(), change.new.as_deref()) {
                (Some(old), Some(new)) => choose(vec![
                    format!(
                        "Bump {dependency} from {} to {} in {path}",
                        display_requirement(old),
                        display_requirement(new)
                    ),
                    format!("Bump {dependency} to {} in {name}", display_requirement(new)),
                ]),
                (None, Some(new)) if !new.is_empty() => {
                    format!("Add {dependency} {} to {path}", display_requirement(new))
                }
                (None, _) => format!("Add {dependency} to {path}"),
                (Some(_), None) => format!("Remove {dependency} from {path}"),
            };
            content.push((text, vec![dependency.clone()]));
        }
    }
    if let Some((old, new)) = &manifest.version {
        content.push((format!("Bump version from {old} to {new} in {path}"), vec![new.clone()]));
    }
    if manifest.other_lines > 0 {
        let text = if content.is_empty() {
            format!("Update {path}")
        } else {
            format!("Update other settings in {path}")
        };
        content.push((text, vec![name.to_owned()]));
    }
}
