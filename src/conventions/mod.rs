//! The repository's language: how it writes commit messages, learned from its own history
//! (`index`, `profile`) and read from its declared rules (`rules`), then used three ways —
//! the built-in model writes in that voice (`voice`), every network prompt carries a compact
//! profile with real example subjects (`prompt`), and every draft from any model is checked
//! and repaired or annotated (`check`).
//!
//! The history used is exactly the first-parent line that ends at the commit a draft starts
//! from (`HEAD` for staged changes, the parent of a replayed commit), with the commits each
//! merge on that line brought in: all of them ancestors of that commit. The commit
//! described, anything after it and any branch not merged into it are never read.
//!
//! Layout: `subject` (reading messages), `shape` (what a change is), `features` (hashed
//! features of a shape), `model` (the learners), `index` (the on-disk history index),
//! `profile` (habits and predictions), `rules` (commitlint, cliff.toml, commitizen, guides),
//! `check` (validation and repair), `voice` (the built-in model's choices), `prompt` (what
//! network models are told).

mod cache;
pub(crate) mod check;
mod features;
pub(crate) mod index;
mod model;
pub(crate) mod profile;
pub(crate) mod prompt;
pub(crate) mod rules;
pub(crate) mod shape;
pub(crate) mod subject;
mod ticket;
mod voice;

#[cfg(test)]
mod tests;

use crate::git::{ChangeSet, CollectOptions, GitError, Repository};
use crate::offline;

pub(crate) use index::History;
use index::Index;
use profile::{Prediction, Profile};
use rules::Rules;
use shape::Shape;
pub(crate) use subject::Style;

/// Commits of a merge looked at to tell whether the merge's work is listed already.
const MAX_MERGED: usize = 200;
/// Commits the profile needs before its style is preferred to the configured one.
const MIN_COMMITS_FOR_STYLE: usize = 5;

/// The repository's conventions as learned for one run.
pub(crate) struct Conventions {
    /// What the history says; `None` when there is no usable history.
    pub(crate) profile: Option<Profile>,
    /// The rules the repository declares.
    pub(crate) rules: Rules,
    /// Commits learned from.
    pub(crate) commits: usize,
    /// Commits indexed by this run (the others came from the index).
    pub(crate) indexed_now: usize,
    /// The profile was one kept by an earlier run for the same history, not trained now.
    pub(crate) reused: bool,
    /// The history stopped early (a shallow clone).
    pub(crate) shallow: bool,
    /// Trouble that did not stop the run, each said once.
    pub(crate) warnings: Vec<String>,
    /// The e-mail address of whoever the draft is for (`user.email`), lower-cased.
    pub(crate) author: Option<String>,
    /// The branch staged changes are committed on, whose ticket key a draft may carry.
    pub(crate) branch: Option<String>,
    /// How the history writes ticket keys, learned once for all of a run's drafts.
    tickets: std::sync::OnceLock<Option<ticket::Habit>>,
}

/// Where a run's history starts and how much of it to read.
pub(crate) struct Source<'a> {
    /// The commit whose history is learned from (itself included); `None`
    /// before the first commit.
    pub(crate) base: Option<&'a str>,
    /// Newest commits learned from.
    pub(crate) history: usize,
    /// How rule files are read: from the work tree for staged changes, from the base
    /// commit's tree when a past commit is replayed.
    pub(crate) files: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The file `conventions.guide` names, if any.
    pub(crate) guide: Option<&'a str>,
    /// Whether commits indexed now are kept in the index (`false` writes nothing).
    pub(crate) write: bool,
}

/// Learns the conventions for a draft: the history from `source.base`, indexed
/// incrementally under the git folder, and the declared rules. `progress` hears (done, to
/// do) while commits are being indexed.
pub(crate) fn learn(
    repository: &Repository,
    source: &Source<'_>,
    options: &CollectOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Conventions, GitError> {
    let rules = rules::read(source.files, source.guide);
    let mut warnings = rules.skipped.clone();
    let Some(base) = source.base else {
        return Ok(Conventions::from_history(History::default(), rules, warnings));
    };
    // A history learned from already: its trained profile, without reading the index.
    let common_dir = repository.common_dir();
    let cache_folder = cache::folder(&common_dir);
    let key = cache::Key::of(repository, base, source.history);
    let mut conventions = match cache::load(&cache_folder, &key, !source.write) {
        Some(cached) => Conventions::from_profile(cached.profile, cached.shallow, rules, warnings),
        None => {
            let mut index = Index::open(&common_dir);
            index.read_only = !source.write;
            let history = index.history(repository, base, source.history, options, progress)?;
            warnings.extend(index.warning.take());
            let shallow = history.shallow;
            let conventions = Conventions::from_history(history, rules, warnings);
            if let (Some(profile), true) = (&conventions.profile, source.write) {
                // A profile that cannot be kept is only built again by the next run.
                let _ = cache::save(&cache_folder, &key, profile, shallow);
            }
            conventions
        }
    };
    conventions.author = repository.author_email().map(|email| email.to_lowercase());
    Ok(conventions)
}

/// The commits `ids` (on any branch) as the intent grouping reads them, in their order, from
/// the history index: commits not indexed yet are read from git now and added to it. Trouble
/// writing the index comes back as a warning; a commit that cannot be read is left out.
/// Unless `write`, commits read now are not kept in the index (a dry run writes nothing).
pub(crate) fn intent_commits(
    repository: &Repository,
    ids: &[&str],
    options: &CollectOptions,
    write: bool,
) -> (Vec<offline::intent::Commit>, Option<String>) {
    let mut index = Index::open(&repository.common_dir());
    index.read_only = !write;
    let records = index.records(repository, ids, options);
    let commits = records
        .iter()
        .map(|record| {
            let message = repository.logged(&record.id).map(|commit| commit.message);
            let body = message
                .ok()
                .and_then(|message| {
                    message.split_once('\n').map(|(_, body)| body.trim().to_string())
                })
                .unwrap_or_default();
            let mut commit = offline::intent::Commit::of(record, body);
            if record.merge {
                commit.merged = repository.merged_by(&record.id, MAX_MERGED).unwrap_or_default();
            }
            commit
        })
        .collect();
    (commits, index.warning.take())
}

impl Conventions {
    /// Conventions from a history already walked (the eval replays many commits from one).
    pub(crate) fn from_history(history: History, rules: Rules, warnings: Vec<String>) -> Self {
        let profile = (!history.commits.is_empty()).then(|| Profile::build(&history.commits));
        Conventions {
            commits: profile.as_ref().map_or(0, Profile::commits),
            profile,
            rules,
            indexed_now: history.indexed_now,
            reused: false,
            shallow: history.shallow,
            warnings,
            author: None,
            branch: None,
            tickets: std::sync::OnceLock::new(),
        }
    }

    /// Conventions from a profile trained by an earlier run on the same history.
    fn from_profile(profile: Profile, shallow: bool, rules: Rules, warnings: Vec<String>) -> Self {
        Conventions {
            commits: profile.commits(),
            profile: Some(profile),
            rules,
            indexed_now: 0,
            reused: true,
            shallow,
            warnings,
            author: None,
            branch: None,
            tickets: std::sync::OnceLock::new(),
        }
    }

    /// Conventions with no history and no rules: today's behaviour.
    #[cfg(test)]
    pub(crate) fn none() -> Self {
        Conventions::from_history(History::default(), Rules::default(), Vec::new())
    }

    /// How the speaking profile's subjects write ticket keys, when they do.
    pub(crate) fn ticket_habit(&self) -> Option<&ticket::Habit> {
        self.tickets
            .get_or_init(|| self.speaking_profile().and_then(Profile::ticket_habit))
            .as_ref()
    }

    /// The profile, when it has enough commits to speak for the repository's style.
    pub(crate) fn speaking_profile(&self) -> Option<&Profile> {
        self.profile.as_ref().filter(|profile| profile.commits() >= MIN_COMMITS_FOR_STYLE)
    }

    /// What the profile says about a change, with the facts it was judged from.
    pub(crate) fn advise(&self, changes: &ChangeSet) -> Advice {
        let analysed = offline::analyse(changes);
        let mut shape = Shape::of(changes, &analysed);
        shape.author = self.author.clone();
        let prediction = self.speaking_profile().map(|profile| profile.predict(&shape));
        Advice { shape, prediction }
    }
}

/// The profile's view of one change.
#[derive(Debug, Clone)]
pub(crate) struct Advice {
    /// The change's facts.
    pub(crate) shape: Shape,
    /// What the history would call it; `None` without a speaking profile.
    pub(crate) prediction: Option<Prediction>,
}

/// The built-in model's draft in the repository's voice (`configured` is `commit.style`,
/// used when the history is too short to say).
pub(crate) fn draft_locally(
    conventions: &Conventions,
    changes: &ChangeSet,
    configured: crate::config::CommitStyle,
    max_subject: usize,
    advice: Option<&Advice>,
) -> crate::answer::Message {
    let known = advice.and_then(|advice| advice.prediction.as_ref());
    voice::draft(conventions, changes, configured, max_subject, known)
}

/// Lines that say what was learned: the history read, the style and its share, the types
/// with their shares, and the rule files found (`-v`, `changes config show`).
pub(crate) fn describe(conventions: &Conventions) -> Vec<String> {
    let mut lines = Vec::new();
    if conventions.commits == 0 && conventions.rules.files.is_empty() {
        return lines;
    }
    let shallow =
        if conventions.shallow { "; the clone is shallow, history stops early" } else { "" };
    let reused =
        if conventions.reused { "; the profile kept for this commit was reused" } else { "" };
    lines.push(format!(
        "conventions: learned from {} commits ({} indexed by this run{reused}){shallow}",
        conventions.commits, conventions.indexed_now
    ));
    if let Some(profile) = &conventions.profile {
        let styles: Vec<String> = profile
            .style_shares
            .iter()
            .map(|(style, share)| format!("{} {:.0}%", style.as_str(), share * 100.0))
            .collect();
        lines.push(format!("conventions: style {}", styles.join(", ")));
        if !profile.types.is_empty() {
            let types: Vec<String> = profile
                .types
                .iter()
                .take(10)
                .map(|(name, share, count)| format!("{name} {:.0}% ({count})", share * 100.0))
                .collect();
            lines.push(format!("conventions: types {}", types.join(", ")));
        }
        let scopes: Vec<String> =
            profile.scopes().into_iter().take(10).map(|(scope, _)| scope).collect();
        if !scopes.is_empty() {
            lines.push(format!("conventions: scopes {}", scopes.join(", ")));
        }
    }
    if conventions.rules.files.is_empty() {
        lines.push(
            "conventions: no rule files (commitlint, cliff.toml, commitizen, a guide)".to_string(),
        );
    } else {
        lines.push(format!("conventions: rule files {}", conventions.rules.files.join(", ")));
    }
    lines
}

/// Lines that say what the profile makes of one change: its prediction and the scope used
/// before for the touched paths (`-v`).
pub(crate) fn describe_for(conventions: &Conventions, changes: &ChangeSet) -> Vec<String> {
    let advice = conventions.advise(changes);
    let mut lines = Vec::new();
    if let Some(prediction) = &advice.prediction {
        let commit_type = prediction
            .commit_type
            .as_ref()
            .filter(|_| prediction.style == Style::Conventional)
            .map(|(name, confidence)| format!(", type {name} ({:.0}%)", confidence * 100.0))
            .unwrap_or_default();
        let scope =
            prediction.scope.as_deref().map(|scope| format!(", scope {scope}")).unwrap_or_default();
        let from = if prediction.learned { "the history" } else { "the rules (history too short)" };
        lines.push(format!(
            "conventions: this change reads as {}{commit_type}{scope}, from {from}",
            prediction.style.as_str()
        ));
    }
    if let Some(profile) = conventions.speaking_profile() {
        for file in advice.shape.files.iter().take(5) {
            if let Some(scope) = profile.scope_for_path(&file.path) {
                lines.push(format!("conventions: {} was filed under {scope} before", file.path));
            }
        }
    }
    lines
}
