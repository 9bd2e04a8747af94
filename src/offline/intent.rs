//! What a list of commits does, grouped by intent: features, fixes, documentation,
//! dependency updates… each with the commits' own subjects as bullets, the way a changelog
//! reads. The date-range report's overview and the push review's summary are written from
//! it by the built-in model.
//!
//! Each commit's intent comes, in this order, from its own subject (a Conventional Commits
//! type, a revert, a dependency bump, a release), from what its files are (only docs, only
//! tests, only CI), from the verb its subject starts with ("Fix …", "Add …"), and last from
//! the repository's conventions profile (the type its history would give such a change) or
//! today's rules. Scopes come from the subject, else, in a repository that writes them, from
//! the profile's prediction for the commit's paths. Subjects are cleaned of their prefix and
//! pull-request references (kept at the end of the bullet), duplicates are merged, a merged
//! pull request stands for the commits it brought in by its title, and dependency bumps are
//! collapsed into one line in the verb the repository uses for them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use crate::conventions::index::Record;
use crate::conventions::profile::Profile;
use crate::conventions::shape::Shape;
use crate::conventions::subject::{self, Style, Subject, TYPE_SYNONYMS};
use crate::conventions::Conventions;
use crate::text::{count, one_line};

/// Bullets shown per group before "…and N more".
const MAX_BULLETS: usize = 12;
/// Package names shown in the collapsed dependency line.
const MAX_NAMES: usize = 8;
/// The profile's confidence above which its type is used for a commit that names none.
const MIN_CONFIDENCE: f32 = 0.5;

/// One commit as the grouping reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The full id.
    pub(crate) id: String,
    /// The subject line as written.
    pub(crate) subject: String,
    /// The message after the subject (for a merge of a pull request, its title first).
    pub(crate) body: String,
    /// A `BREAKING CHANGE:` footer in the body.
    pub(crate) breaking: bool,
    /// More than one parent.
    pub(crate) merge: bool,
    /// For a merge: the commits it brought in (a bounded sample), newest first.
    pub(crate) merged: Vec<String>,
    /// What the commit changed (paths, kinds, bumps), when it could be read.
    pub(crate) shape: Option<Shape>,
}

impl Commit {
    /// The commit as the history index recorded it, with its body.
    pub(crate) fn of(record: &Record, body: String) -> Commit {
        Commit {
            id: record.id.clone(),
            subject: record.subject.clone(),
            body,
            breaking: record.body.breaking,
            merge: record.merge,
            merged: Vec::new(),
            shape: record.shape.clone(),
        }
    }
}

/// The intents, in the order the summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group {
    Features,
    Fixes,
    Performance,
    Refactoring,
    Documentation,
    Tests,
    Build,
    Dependencies,
    Releases,
    Reverts,
    Other,
}

impl Group {
    const ALL: [Group; 11] = [
        Group::Features,
        Group::Fixes,
        Group::Performance,
        Group::Refactoring,
        Group::Documentation,
        Group::Tests,
        Group::Build,
        Group::Dependencies,
        Group::Releases,
        Group::Reverts,
        Group::Other,
    ];

    fn title(self) -> &'static str {
        match self {
            Group::Features => "Features",
            Group::Fixes => "Fixes",
            Group::Performance => "Performance",
            Group::Refactoring => "Refactoring",
            Group::Documentation => "Documentation",
            Group::Tests => "Tests",
            Group::Build => "Build and CI",
            Group::Dependencies => "Dependencies",
            Group::Releases => "Releases",
            Group::Reverts => "Reverts",
            Group::Other => "Other changes",
        }
    }

    /// How many commits of the group, in words: `2 fixes`, `1 documentation change`.
    fn counted(self, number: usize) -> String {
        let (one, many) = match self {
            Group::Features => ("feature", "features"),
            Group::Fixes => ("fix", "fixes"),
            Group::Performance => ("performance change", "performance changes"),
            Group::Refactoring => ("refactoring", "refactorings"),
            Group::Documentation => ("documentation change", "documentation changes"),
            Group::Tests => ("test change", "test changes"),
            Group::Build => ("build or CI change", "build or CI changes"),
            Group::Dependencies => ("dependency update", "dependency updates"),
            Group::Releases => ("release", "releases"),
            Group::Reverts => ("revert", "reverts"),
            Group::Other => ("other change", "other changes"),
        };
        format!("{number} {}", if number == 1 { one } else { many })
    }

    /// The group of a Conventional Commits type (any spelling the repository uses).
    fn of_type(name: &str) -> Group {
        let name = name.to_lowercase();
        let name = TYPE_SYNONYMS
            .iter()
            .find(|(synonym, _)| *synonym == name)
            .map_or(name.as_str(), |(_, canonical)| canonical);
        match name {
            "feat" | "improvement" | "new" | "add" => Group::Features,
            "fix" | "security" => Group::Fixes,
            "perf" => Group::Performance,
            "refactor" | "cleanup" => Group::Refactoring,
            "docs" | "example" | "examples" => Group::Documentation,
            "test" => Group::Tests,
            "build" | "ci" | "infra" => Group::Build,
            "deps" | "bump" | "upgrade" => Group::Dependencies,
            "release" => Group::Releases,
            "revert" => Group::Reverts,
            _ => Group::Other,
        }
    }

    /// The group a plain subject's first word names, when it names one.
    fn of_verb(word: &str) -> Option<Group> {
        let word = word.to_lowercase();
        let word = word.trim_matches(|character: char| !character.is_alphanumeric());
        let group = match word {
            "fix" | "fixes" | "fixed" | "fixing" | "correct" | "corrects" | "corrected"
            | "resolve" | "resolves" | "resolved" | "prevent" | "prevents" | "avoid" | "avoids"
            | "repair" | "repairs" | "workaround" | "bugfix" | "hotfix" => Group::Fixes,
            "add" | "adds" | "added" | "adding" | "implement" | "implements" | "implemented"
            | "support" | "supports" | "introduce" | "introduces" | "introduced" | "allow"
            | "allows" | "enable" | "enables" | "expose" | "exposes" | "new" | "feature" => {
                Group::Features
            }
            "document" | "documents" | "documented" | "docs" | "doc" => Group::Documentation,
            "refactor" | "refactors" | "refactored" | "simplify" | "simplifies" | "rename"
            | "renames" | "renamed" | "move" | "moves" | "moved" | "extract" | "extracts"
            | "cleanup" | "clean" | "reorganize" | "reorganise" | "restructure" | "split"
            | "tidy" | "deduplicate" => Group::Refactoring,
            "optimize" | "optimizes" | "optimise" | "optimises" | "speed" | "faster" | "perf" => {
                Group::Performance
            }
            "test" | "tests" => Group::Tests,
            "revert" | "reverts" | "reverted" => Group::Reverts,
            "release" | "released" | "releasing" => Group::Releases,
            _ => return None,
        };
        Some(group)
    }
}

/// `Bump serde from 1 to 2`, `update rust crate clap to v4.5`, `Upgrade tokio to 1.41`: the
/// package, when the subject names one.
static DEPENDENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:bump|bumps|bumped|update|updates|updated|upgrade|upgrades|upgraded)\s+(?:the\s+)?(?:(?:rust\s+crate|crate|dependency|dependencies|module|package|gem|npm\s+package|github\s+action|action|docker\s+tag|go\s+module)\s+)?(?P<name>[A-Za-z0-9@_][\w@./:+-]*)(?:\s+(?:requirement\s+)?(?:from\s+\S+\s+)?to\s+v?(?P<version>\d[\w.+-]*)|\s+from\s+\S+\s+to\s+\S+)",
    )
    .expect("literal pattern compiles")
});
/// `Release 1.2.3`, `v1.2.3`, `Bump version to 1.2`, `Prepare release 1.2`.
static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:v?\d+\.\d+(?:\.\d+)?\S*$|(?:release|releasing|prepare\s+(?:for\s+)?release|bump\s+(?:the\s+)?version|version)\b)",
    )
    .expect("literal pattern compiles")
});
/// Pull-request references at the end of a subject: `(#123)`, `(#1, #2)`.
static REFERENCES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((#\d+(?:,\s*#\d+)*)\)\s*$").expect("literal pattern compiles"));
/// GitHub's merge subject: `Merge pull request #123 from owner/branch`.
static PULL_REQUEST_MERGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^Merge pull request #(\d+)\b").expect("literal pattern compiles")
});
/// Scopes that mean "dependencies" whatever the type.
const DEPENDENCY_SCOPES: &[&str] = &["deps", "dependencies", "deps-dev", "dev-deps", "dependency"];

/// What one commit is read as.
#[derive(Debug, Clone)]
struct Read {
    group: Group,
    scope: Option<String>,
    /// The subject without its prefix and references.
    summary: String,
    references: Vec<String>,
    breaking: bool,
    /// For a dependency update: the packages it names.
    packages: Vec<String>,
    /// The group comes from the subject's own words (a type, a verb, a dependency or a
    /// release), not from its files or the profile.
    declared: bool,
}

/// The summary of `commits` (newest first) grouped by intent, as markdown: one sentence of
/// counts, then per group a bold title and one bullet per change.
pub(crate) fn summarize(commits: &[Commit], conventions: Option<&Conventions>) -> String {
    let profile = conventions.and_then(Conventions::speaking_profile);
    let listed: Vec<&str> =
        commits.iter().filter(|commit| !commit.merge).map(|commit| commit.id.as_str()).collect();
    let known: Vec<String> = commits
        .iter()
        .filter(|commit| !commit.merge)
        .map(|commit| subject::parse(&commit.subject).summary.to_lowercase())
        .collect();
    // A merged pull request stands for the commits it brought in, by its title ("Add
    // --exact", not its six review commits); one whose commits are not in the list (made
    // before the period, or squashed away) is known by its title too. Other merges are
    // counted, not listed.
    let mut absorbed: Vec<&str> = Vec::new();
    let mut merges: Vec<&Commit> = Vec::new();
    // Newest first: (the change as read, the commits it stands for).
    let mut changes: Vec<(Read, usize)> = Vec::new();
    for commit in commits {
        if !commit.merge {
            continue;
        }
        let inside: Vec<&Commit> = commits
            .iter()
            .filter(|inner| !inner.merge && commit.merged.contains(&inner.id))
            .filter(|inner| !absorbed.contains(&inner.id.as_str()))
            .collect();
        let title = pull_request_title(commit);
        match title {
            Some(title) if !inside.is_empty() && !same_words(&title, &inside) => {
                absorbed.extend(inside.iter().map(|inner| inner.id.as_str()));
                let reads: Vec<Read> = inside.iter().map(|inner| read(inner, profile)).collect();
                let titled = Commit { subject: title, merge: false, ..commit.clone() };
                changes.push((pull_request(read(&titled, profile), &reads), inside.len()));
            }
            Some(title)
                if inside.is_empty()
                    && !commit.merged.iter().any(|id| listed.contains(&id.as_str()))
                    && !known.contains(&subject::parse(&title).summary.to_lowercase()) =>
            {
                let titled = Commit { subject: title, merge: false, ..commit.clone() };
                changes.push((read(&titled, profile), 1));
            }
            _ => merges.push(commit),
        }
    }
    // Every commit no pull request stands for, in its place: newest first throughout.
    let mut ordered: Vec<(usize, Read, usize)> = Vec::new();
    let mut requests = changes.into_iter();
    for (position, commit) in commits.iter().enumerate() {
        if commit.merge {
            if !merges.iter().any(|merge| merge.id == commit.id) {
                if let Some((read, inside)) = requests.next() {
                    ordered.push((position, read, inside));
                }
            }
        } else if !absorbed.contains(&commit.id.as_str()) {
            ordered.push((position, read(commit, profile), 1));
        }
    }
    let represented: usize = ordered.iter().map(|(_, _, inside)| inside).sum();
    let entries = ordered.len();
    if entries == 0 {
        // Only merges: what they merged is all there is to say.
        let mut text = format!("{}.\n", count(merges.len(), "merge"));
        for merge in merges.iter().rev().take(MAX_BULLETS) {
            let _ = write!(text, "\n- {}", one_line(&merge.subject));
        }
        return text;
    }
    let read: Vec<Read> = ordered.into_iter().rev().map(|(_, read, _)| read).collect();
    let mut counts: Vec<(Group, usize)> = Vec::new();
    for group in Group::ALL {
        let number = read.iter().filter(|commit| commit.group == group).count();
        if number > 0 {
            counts.push((group, number));
        }
    }
    let parts: Vec<String> = counts.iter().map(|(group, number)| group.counted(*number)).collect();
    let commits_total = represented.max(listed.len());
    let mut text = if commits_total == entries {
        format!("{}: {}.", count(commits_total, "commit"), join_words(&parts))
    } else {
        let changes = count(entries, "change");
        format!("{} in {changes}: {}.", count(commits_total, "commit"), join_words(&parts))
    };
    let breaking = read.iter().filter(|commit| commit.breaking).count();
    if breaking > 0 {
        let verb = if breaking == 1 { "is" } else { "are" };
        let _ = write!(text, " {} {verb} breaking.", count(breaking, "change"));
    }
    if !merges.is_empty() {
        let _ = write!(text, " {} not listed.", count(merges.len(), "merge"));
    }
    text.push('\n');
    for (group, number) in counts {
        let members: Vec<&Read> = read.iter().filter(|commit| commit.group == group).collect();
        let bullets = if group == Group::Dependencies && number > 1 {
            vec![collapse_dependencies(&members)]
        } else {
            bullets(&members)
        };
        let _ = write!(text, "\n**{}**\n\n", group.title());
        for bullet in bullets.iter().take(MAX_BULLETS) {
            let _ = writeln!(text, "- {bullet}");
        }
        if bullets.len() > MAX_BULLETS {
            let more = bullets.len() - MAX_BULLETS;
            let _ = writeln!(text, "- …and {more} more");
        }
    }
    text.trim_end().to_string()
}

/// The title of the pull request a merge brought in (the first line of its body), with the
/// request's number; `None` for a merge that is not one of a pull request.
fn pull_request_title(merge: &Commit) -> Option<String> {
    let number = PULL_REQUEST_MERGE.captures(&merge.subject)?[1].to_string();
    let title = merge.body.lines().map(str::trim).find(|line| !line.is_empty())?;
    Some(if title.contains(&format!("#{number}")) {
        title.to_string()
    } else {
        format!("{title} (#{number})")
    })
}

/// True when a pull request's title only repeats its one commit's subject: the commit
/// speaks for itself then.
fn same_words(title: &str, inside: &[&Commit]) -> bool {
    let summary = |text: &str| subject::parse(text).summary.to_lowercase();
    matches!(inside, [only] if summary(&only.subject) == summary(title))
}

/// A pull request read from its title, falling back on its commits where the title says
/// less: the group most of them name when the title names none, their scope when they
/// share one.
fn pull_request(mut title: Read, commits: &[Read]) -> Read {
    if !title.declared {
        // Commits whose own words say what they are speak first.
        let worded: Vec<&Read> = commits.iter().filter(|commit| commit.declared).collect();
        let voters: Vec<&Read> = if worded.is_empty() { commits.iter().collect() } else { worded };
        let mut groups: Vec<(Group, usize)> = Vec::new();
        for commit in voters {
            match groups.iter_mut().find(|(group, _)| *group == commit.group) {
                Some(known) => known.1 += 1,
                None => groups.push((commit.group, 1)),
            }
        }
        // The group most of its commits have; the first (newest) wins a tie.
        if let Some((group, _)) =
            groups.iter().fold(None, |best: Option<&(Group, usize)>, candidate| match best {
                Some(best) if best.1 >= candidate.1 => Some(best),
                _ => Some(candidate),
            })
        {
            title.group = *group;
        }
    }
    if title.scope.is_none() {
        let first = commits.first().and_then(|commit| commit.scope.clone());
        if commits.iter().all(|commit| commit.scope == first) {
            title.scope = first;
        }
    }
    title.breaking |= commits.iter().any(|commit| commit.breaking);
    if title.group == Group::Dependencies && title.packages.is_empty() {
        title.packages = commits.iter().flat_map(|commit| commit.packages.clone()).collect();
    }
    title
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Reads one commit: its group, scope and cleaned summary.
fn read(commit: &Commit, profile: Option<&Profile>) -> Read {
    let parsed = subject::parse(&one_line(&commit.subject));
    let references = REFERENCES
        .captures(commit.subject.trim())
        .map(|captures| {
            captures[1].split(',').map(|reference| reference.trim().to_string()).collect()
        })
        .unwrap_or_default();
    let style = profile.map_or(parsed.style, |profile| profile.style_of(&parsed));
    let summary = parsed.summary.trim_end_matches('.').trim().to_string();
    let mut scope = match style {
        Style::Conventional => parsed.scope.clone(),
        Style::Component => parsed.prefix.clone(),
        Style::Gitmoji | Style::Plain => None,
    }
    .map(|scope| scope.to_lowercase());
    let shape = commit.shape.as_ref();

    let dependency_scope = scope.as_deref().is_some_and(|scope| DEPENDENCY_SCOPES.contains(&scope));
    let declared =
        (style == Style::Conventional).then(|| parsed.commit_type().map(Group::of_type)).flatten();
    let packages = packages(&summary, shape);
    let group = if dependency_scope || declared == Some(Group::Dependencies) {
        Group::Dependencies
    } else if let Some(group) = declared.filter(|group| *group != Group::Other) {
        group
    } else {
        // No type, or one that says little (`chore`): what the change itself shows.
        undeclared(&parsed, &summary, shape, !packages.is_empty(), profile)
    };
    if dependency_scope || group == Group::Dependencies {
        scope = None;
    }
    if scope.is_none() && group != Group::Dependencies && parsed.style == Style::Plain {
        // A repository that files changes under scopes gets one from its own habits.
        scope = profile
            .filter(|profile| matches!(profile.style, Style::Conventional | Style::Component))
            .zip(shape)
            .and_then(|(profile, shape)| profile.predict(shape).scope);
    }
    let first_word = summary.split_whitespace().next().unwrap_or_default();
    let worded = dependency_scope
        || declared.is_some_and(|group| group != Group::Other)
        || !packages.is_empty()
        || RELEASE.is_match(&summary)
        || Group::of_verb(first_word).is_some();
    Read {
        group,
        scope,
        summary,
        references,
        breaking: parsed.breaking || commit.breaking,
        packages,
        declared: worded,
    }
}

/// The group of a commit whose subject declares no useful type.
fn undeclared(
    parsed: &Subject,
    summary: &str,
    shape: Option<&Shape>,
    names_packages: bool,
    profile: Option<&Profile>,
) -> Group {
    let first_word = summary.split_whitespace().next().unwrap_or_default();
    let verb = Group::of_verb(first_word);
    if verb == Some(Group::Reverts) || parsed.commit_type() == Some("revert") {
        return Group::Reverts;
    }
    let pure_bump = shape.is_some_and(|shape| shape.bump_count > 0 && shape.pure_bump());
    if names_packages || (pure_bump && shape.is_some_and(|shape| shape.version.is_none())) {
        return Group::Dependencies;
    }
    if RELEASE.is_match(summary) || shape.is_some_and(|shape| shape.changelog_release) {
        return Group::Releases;
    }
    if let Some(group) = shape.and_then(kinds_group) {
        return group;
    }
    if let Some(group) = verb {
        // "Add a test for …": adding is what the rules see as tests or docs.
        let rules = shape.map(|shape| Group::of_type(&shape.rule_type));
        return match rules {
            Some(rules @ (Group::Tests | Group::Documentation)) if group == Group::Features => {
                rules
            }
            _ => group,
        };
    }
    if let (Some(profile), Some(shape)) = (profile, shape) {
        let prediction = profile.predict(shape);
        if let Some((name, confidence)) = &prediction.commit_type {
            if prediction.learned && *confidence >= MIN_CONFIDENCE {
                return Group::of_type(name);
            }
        }
    }
    shape.map_or(Group::Other, |shape| Group::of_type(&shape.rule_type))
}

/// The group a commit's files alone decide: only prose, only tests, only CI and build files.
fn kinds_group(shape: &Shape) -> Option<Group> {
    let kinds: Vec<&str> = shape.files.iter().map(|file| file.kind.as_str()).collect();
    if kinds.is_empty() {
        return None;
    }
    let all = |allowed: &[&str]| kinds.iter().all(|kind| allowed.contains(kind));
    if all(&["docs"]) {
        Some(Group::Documentation)
    } else if all(&["test"]) {
        Some(Group::Tests)
    } else if all(&["ci", "meta", "build"]) {
        Some(Group::Build)
    } else {
        None
    }
}

/// The packages a dependency update names: from its subject, else from its manifests.
fn packages(summary: &str, shape: Option<&Shape>) -> Vec<String> {
    if let Some(captures) = DEPENDENCY.captures(summary) {
        let name = captures["name"].trim_end_matches([',', ':', '.']).to_string();
        if !name.is_empty() && !matches!(name.to_lowercase().as_str(), "version" | "msrv") {
            return vec![name];
        }
    }
    match shape {
        Some(shape) if shape.pure_bump() => {
            shape.bumps.iter().map(|bump| bump.name.clone()).collect()
        }
        _ => Vec::new(),
    }
}

/// One bullet per change: scoped ones together (the busiest scope first), duplicates merged.
fn bullets(members: &[&Read]) -> Vec<String> {
    let mut scope_counts: HashMap<Option<&str>, usize> = HashMap::new();
    for member in members {
        *scope_counts.entry(member.scope.as_deref()).or_default() += 1;
    }
    let mut ordered: Vec<(usize, &&Read)> = members.iter().enumerate().collect();
    ordered.sort_by_key(|(position, member)| {
        let scope = member.scope.as_deref();
        (
            scope.is_none(),
            std::cmp::Reverse(scope_counts.get(&scope).copied().unwrap_or(0)),
            scope.map(str::to_string),
            *position,
        )
    });
    // Merged duplicates: same scope and the same words.
    let mut merged: Vec<(&Read, usize, Vec<String>, bool)> = Vec::new();
    for (_, member) in ordered {
        let key = member.summary.to_lowercase();
        let same = merged.iter_mut().find(|(known, _, _, _)| {
            known.scope == member.scope && known.summary.to_lowercase() == key
        });
        match same {
            Some((_, times, references, breaking)) => {
                *times += 1;
                *breaking |= member.breaking;
                for reference in &member.references {
                    if !references.contains(reference) {
                        references.push(reference.clone());
                    }
                }
            }
            None => merged.push((member, 1, member.references.clone(), member.breaking)),
        }
    }
    merged
        .into_iter()
        .map(|(member, times, references, breaking)| {
            let mut bullet = match &member.scope {
                Some(scope) => format!("**{scope}**: {}", member.summary),
                None => capitalised(&member.summary),
            };
            let mut notes = Vec::new();
            if !references.is_empty() {
                notes.push(references.join(", "));
            }
            if times > 1 {
                notes.push(format!("{times} commits"));
            }
            if !notes.is_empty() {
                let _ = write!(bullet, " ({})", notes.join("; "));
            }
            if breaking {
                bullet.push_str(" — breaking change");
            }
            bullet
        })
        .collect()
}

/// A sentence's first letter in upper case: a bullet without a scope starts the line.
fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}

/// All dependency updates as one line, in the verb most of them use: `Bump 7 dependencies in
/// 9 commits (serde, tokio, …)`.
fn collapse_dependencies(members: &[&Read]) -> String {
    let mut verbs: Vec<(String, usize)> = Vec::new();
    for member in members {
        let Some(word) = member.summary.split_whitespace().next() else { continue };
        let word = capitalised(&word.to_lowercase());
        let word = match word.as_str() {
            "Bumps" | "Bumped" => "Bump".to_string(),
            "Updates" | "Updated" => "Update".to_string(),
            "Upgrades" | "Upgraded" => "Upgrade".to_string(),
            _ => word,
        };
        if !matches!(word.as_str(), "Bump" | "Update" | "Upgrade") {
            continue;
        }
        match verbs.iter_mut().find(|(known, _)| *known == word) {
            Some(known) => known.1 += 1,
            None => verbs.push((word, 1)),
        }
    }
    // The most used verb; the first seen wins a tie.
    let verb = verbs
        .iter()
        .fold(None, |best: Option<&(String, usize)>, candidate| match best {
            Some(best) if best.1 >= candidate.1 => Some(best),
            _ => Some(candidate),
        })
        .map_or("Bump", |(verb, _)| verb.as_str());
    let mut names: Vec<(String, usize)> = Vec::new();
    for member in members {
        for package in &member.packages {
            match names.iter_mut().find(|(known, _)| known.eq_ignore_ascii_case(package)) {
                Some(known) => known.1 += 1,
                None => names.push((package.clone(), 1)),
            }
        }
    }
    let commits = members.len();
    if names.is_empty() {
        return format!("{verb} dependencies ({})", count(commits, "commit"));
    }
    let mut shown: Vec<&(String, usize)> = names.iter().collect();
    // The packages bumped most often first; otherwise in the order they came.
    shown.sort_by_key(|(_, times)| std::cmp::Reverse(*times));
    let mut list: Vec<String> =
        shown.iter().take(MAX_NAMES).map(|(name, _)| one_line(name)).collect();
    if names.len() > MAX_NAMES {
        list.push("…".to_string());
    }
    let dependencies = count(names.len(), "dependency").replace("dependencys", "dependencies");
    let within = if commits == names.len() {
        String::new()
    } else {
        format!(" in {}", count(commits, "commit"))
    };
    format!("{verb} {dependencies}{within} ({})", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventions::shape::{ShapeBump, ShapeFile};

    fn commit(subject: &str, files: &[(&str, &str)]) -> Commit {
        let shape = Shape {
            files: files
                .iter()
                .map(|(path, kind)| ShapeFile {
                    path: (*path).to_string(),
                    old: None,
                    status: 'M',
                    kind: (*kind).to_string(),
                    added: 3,
                    removed: 1,
                })
                .collect(),
            file_count: files.len(),
            added: 3 * files.len(),
            removed: files.len(),
            rule_type: "refactor".to_string(),
            ..Shape::default()
        };
        Commit {
            id: format!("{:040x}", subject.len()),
            subject: subject.to_string(),
            body: String::new(),
            breaking: false,
            merge: false,
            merged: Vec::new(),
            shape: Some(shape),
        }
    }

    #[test]
    fn conventional_commits_are_grouped_by_type_with_scopes_and_merged_duplicates() {
        let commits = [
            commit("feat(config): load layered settings (#12)", &[("src/config.rs", "source")]),
            commit("fix(walk): stop at the file system boundary", &[("src/walk.rs", "source")]),
            commit("docs: explain the report", &[("README.md", "docs")]),
            commit("feat(config): load layered settings (#15)", &[("src/config.rs", "source")]),
            commit("feat!: drop the old flags", &[("src/cli.rs", "source")]),
            commit("chore(deps): bump serde from 1.0.1 to 1.0.2", &[("Cargo.lock", "lock")]),
            commit("fix(deps): update rust crate tokio to v1.41.0", &[("Cargo.lock", "lock")]),
            commit("build(deps): bump serde from 1.0.2 to 1.0.3", &[("Cargo.lock", "lock")]),
        ];
        let text = summarize(&commits, None);
        assert!(
            text.starts_with("8 commits: 3 features, 1 fix, 1 documentation change and 3 dependency updates. 1 change is breaking."),
            "{text}"
        );
        let features = text.split("**Features**").nth(1).unwrap_or_default();
        assert!(
            features.contains("- **config**: load layered settings (#15, #12; 2 commits)"),
            "{text}"
        );
        assert!(features.contains("- Drop the old flags — breaking change"), "{text}");
        assert!(
            text.contains("**Fixes**\n\n- **walk**: stop at the file system boundary"),
            "{text}"
        );
        assert!(
            text.contains("**Dependencies**\n\n- Bump 2 dependencies in 3 commits (serde, tokio)"),
            "{text}"
        );
        let order: Vec<usize> =
            ["**Features**", "**Fixes**", "**Documentation**", "**Dependencies**"]
                .iter()
                .map(|title| text.find(title).unwrap_or(usize::MAX))
                .collect();
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
    }

    #[test]
    fn plain_subjects_are_grouped_by_verb_files_and_rules() {
        let mut bump =
            commit("Update Cargo.lock", &[("Cargo.lock", "lock"), ("Cargo.toml", "manifest")]);
        if let Some(shape) = bump.shape.as_mut() {
            shape.bumps = vec![ShapeBump {
                name: "regex".into(),
                old: Some("1.0".into()),
                new: Some("1.1".into()),
            }];
            shape.bump_count = 1;
            shape.bump_lines = 8;
        }
        let commits = [
            commit("Add a --hyperlink option", &[("src/cli.rs", "source")]),
            commit("Fix a crash on broken symlinks.", &[("src/walk.rs", "source")]),
            commit("Fix typo in the README", &[("README.md", "docs")]),
            commit("Run the tests on Windows too", &[(".github/workflows/ci.yml", "ci")]),
            commit("Revert \"Add a --hyperlink option\"", &[("src/cli.rs", "source")]),
            commit("Release v10.2.0", &[("CHANGELOG.md", "docs"), ("Cargo.toml", "manifest")]),
            bump,
            commit("Tidy the output code", &[("src/output.rs", "source")]),
        ];
        let text = summarize(&commits, None);
        assert!(text.contains("**Features**\n\n- Add a --hyperlink option"), "{text}");
        assert!(text.contains("**Fixes**\n\n- Fix a crash on broken symlinks\n"), "{text}");
        assert!(text.contains("**Documentation**\n\n- Fix typo in the README"), "{text}");
        assert!(text.contains("**Build and CI**\n\n- Run the tests on Windows too"), "{text}");
        assert!(text.contains("**Reverts**"), "{text}");
        assert!(text.contains("**Releases**\n\n- Release v10.2.0"), "{text}");
        assert!(text.contains("**Dependencies**\n\n- Update Cargo.lock"), "{text}");
        assert!(text.contains("**Refactoring**\n\n- Tidy the output code"), "{text}");
        assert!(!text.contains("**Other changes**"), "{text}");
    }

    #[test]
    fn many_bumps_collapse_in_the_repository_verb_and_merges_are_counted_apart() {
        let mut commits: Vec<Commit> = ["clap", "serde", "tokio", "clap", "toml"]
            .iter()
            .map(|name| {
                commit(
                    &format!("Update Rust crate {name} to v2.0.{}", name.len()),
                    &[("Cargo.toml", "manifest")],
                )
            })
            .collect();
        let mut merge = commit("Merge pull request #9 from someone/branch", &[]);
        merge.merge = true;
        commits.push(merge);
        let text = summarize(&commits, None);
        assert!(text.starts_with("5 commits: 5 dependency updates. 1 merge not listed."), "{text}");
        assert!(
            text.contains("- Update 4 dependencies in 5 commits (clap, toml, tokio, serde)"),
            "{text}"
        );
    }

    #[test]
    fn merged_pull_requests_stand_for_their_commits_by_their_title() {
        let inside = commit("Fix the walker", &[("src/walk.rs", "source")]);
        let review = commit("Address review comments", &[("src/walk.rs", "source")]);
        let alone = commit("Fix the docs link", &[("README.md", "docs")]);
        let merge = |number: u32, title: &str, merged: &[&str]| Commit {
            id: format!("{number:040}"),
            subject: format!("Merge pull request #{number} from someone/branch"),
            body: format!("{title}\n"),
            merge: true,
            merged: merged.iter().map(|id| (*id).to_string()).collect(),
            shape: None,
            ..commit("merge", &[])
        };
        let commits = [
            merge(9, "Fix the docs link", &[alone.id.as_str()]),
            alone.clone(),
            merge(7, "Walker fixes for symlinks", &[inside.id.as_str(), review.id.as_str()]),
            review.clone(),
            inside.clone(),
            merge(5, "Add release automation", &["0123"]),
            Commit { subject: "Merge branch 'main' into topic".into(), ..merge(1, "", &[]) },
        ];
        let text = summarize(&commits, None);
        assert!(
            text.starts_with("4 commits in 3 changes: 1 feature, 1 fix and 1 documentation change. 2 merges not listed."),
            "{text}"
        );
        assert!(text.contains("**Fixes**\n\n- Walker fixes for symlinks (#7)\n"), "{text}");
        assert!(text.contains("- Add release automation (#5)"), "{text}");
        assert!(
            text.contains("- Fix the docs link\n") || text.ends_with("- Fix the docs link"),
            "{text}"
        );
        assert!(!text.contains("review comments") && !text.contains("Fix the walker"), "{text}");
    }

    #[test]
    fn long_groups_are_cut_and_say_how_many_more() {
        let commits: Vec<Commit> = (0..15)
            .map(|index| commit(&format!("Fix case {index}"), &[("src/a.rs", "source")]))
            .collect();
        let text = summarize(&commits, None);
        assert!(text.contains("**Fixes**\n\n- Fix case 14\n"), "oldest first: {text}");
        assert!(!text.contains("Fix case 0"), "{text}");
        assert!(text.ends_with("- …and 3 more"), "{text}");
    }
}
