//! Every structured output `changes` prints, as plain `Serialize` structs: `--format json`
//! is these serialized, so keys come in the order of the fields, which is the order the
//! README documents, and every key is always present (`null` where it does not apply). The
//! text renderers read the same structs, so text and JSON cannot drift apart.

use std::time::Duration;

use serde::Serialize;

use crate::answer::{Answer, Finding, Message, Review, Skipped, Verdict};
use crate::engine::Drafts;
use crate::git::{ChangeSet, FileChange};

/// JSON as printed on stdout: pretty, with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Plain structs of strings, numbers and options cannot fail to serialize.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// Whether a model produced its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// It answered.
    Ok,
    /// It did not; `error` says why.
    Failed,
}

/// Milliseconds, as every `duration_ms` key gives them.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `changes hook run --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct DraftOutput {
    /// The whole message (`null` when no model answered).
    pub(crate) message: Option<String>,
    /// Its first line.
    pub(crate) subject: Option<String>,
    /// The rest.
    pub(crate) body: Option<String>,
    /// Every asked model.
    pub(crate) answers: Vec<DraftAnswer>,
    /// Every model not asked.
    pub(crate) skipped: Vec<SkippedModel>,
    /// Every changed file, and whether its content was sent.
    pub(crate) files: Vec<FileOutput>,
}

/// One model's draft, or why there is none.
#[derive(Debug, Serialize)]
pub(crate) struct DraftAnswer {
    /// The model.
    pub(crate) model: String,
    /// Its wall time.
    pub(crate) duration_ms: u64,
    /// `ok` or `failed`.
    pub(crate) status: Status,
    /// Its subject line.
    pub(crate) subject: Option<String>,
    /// Its body.
    pub(crate) body: Option<String>,
    /// Why it failed.
    pub(crate) error: Option<String>,
}

/// A model that was not asked.
#[derive(Debug, Serialize)]
pub(crate) struct SkippedModel {
    /// The model.
    pub(crate) model: String,
    /// Why not.
    pub(crate) reason: String,
}

/// One changed file.
#[derive(Debug, Serialize)]
pub(crate) struct FileOutput {
    /// Path after the change.
    pub(crate) path: String,
    /// Path before a rename or copy.
    pub(crate) old_path: Option<String>,
    /// `added`, `modified`, `renamed`...
    pub(crate) status: &'static str,
    /// Lines added.
    pub(crate) added: usize,
    /// Lines removed.
    pub(crate) removed: usize,
    /// Whether any of its content was sent.
    pub(crate) sent: bool,
    /// Why its content was not sent.
    pub(crate) not_sent_because: Option<String>,
}

impl FileOutput {
    fn of(file: &FileChange) -> Self {
        Self {
            path: file.path.clone(),
            old_path: file.old_path.clone(),
            status: file.status.as_str(),
            added: file.added_lines,
            removed: file.removed_lines,
            sent: file.patch.is_some(),
            not_sent_because: file.patch.is_none().then(|| file.unsent_reason()),
        }
    }
}

impl DraftOutput {
    /// The output of a drafting run over `changes`.
    pub(crate) fn of(drafts: &Drafts, changes: &ChangeSet) -> Self {
        let message = drafts.primary().and_then(Answer::output);
        Self {
            message: message.map(Message::to_text),
            subject: message.map(|message| message.subject.clone()),
            body: message.map(|message| message.body.clone()),
            answers: drafts
                .run
                .answers
                .iter()
                .map(|answer| DraftAnswer {
                    model: answer.model.to_string(),
                    duration_ms: millis(answer.duration),
                    status: if answer.output().is_some() { Status::Ok } else { Status::Failed },
                    subject: answer.output().map(|message| message.subject.clone()),
                    body: answer.output().map(|message| message.body.clone()),
                    error: answer.outcome.as_ref().err().map(ToString::to_string),
                })
                .collect(),
            skipped: drafts
                .run
                .selection
                .skipped
                .iter()
                .map(|skipped| SkippedModel {
                    model: skipped.model.to_string(),
                    reason: skipped.reason.to_string(),
                })
                .collect(),
            files: changes.files.iter().map(FileOutput::of).collect(),
        }
    }
}

/// `changes hook status --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct StatusOutput {
    /// The folder git runs hooks from.
    pub(crate) hooks_folder: String,
    /// Why that folder.
    pub(crate) reason: String,
    /// The hook manager that owns the folder, if one does.
    pub(crate) manager: Option<&'static str>,
    /// Each hook `changes` installs.
    pub(crate) hooks: Vec<HookOutput>,
    /// Each configured model.
    pub(crate) models: Vec<StatusModel>,
}

/// The state of one hook file.
#[derive(Debug, Serialize)]
pub(crate) struct HookOutput {
    /// `prepare-commit-msg` or `pre-push`.
    pub(crate) name: &'static str,
    /// `installed`, `foreign` or `missing`.
    pub(crate) state: &'static str,
    /// Whether git can run it.
    pub(crate) executable: Option<bool>,
    /// The binary our hook calls.
    pub(crate) binary: Option<String>,
    /// Whether that binary exists.
    pub(crate) binary_exists: Option<bool>,
    /// The hook ours runs first, if any.
    pub(crate) chained: Option<String>,
    /// The manager that wrote a foreign hook, when recognisable.
    pub(crate) manager: Option<&'static str>,
}

/// A model as `hook status` lists it.
#[derive(Debug, Serialize)]
pub(crate) struct StatusModel {
    /// Its name.
    pub(crate) name: String,
    /// Its provider.
    pub(crate) provider: String,
    /// Whether it is asked by default.
    pub(crate) default: bool,
    /// `present`, `missing` or `not needed`.
    pub(crate) key: &'static str,
    /// Where the key is, or which variables were looked for (text output only).
    #[serde(skip)]
    pub(crate) key_detail: String,
}

/// `changes report --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct ReportOutput {
    /// Start of the period, as resolved.
    pub(crate) after: String,
    /// End of the period, as resolved.
    pub(crate) before: String,
    /// The branch reported on.
    pub(crate) branch: String,
    /// The commits of the period, newest first.
    pub(crate) commits: Vec<String>,
    /// The changed files.
    pub(crate) files: Vec<String>,
    /// Where the reports were written.
    pub(crate) folder: String,
    /// The overview file.
    pub(crate) overview: String,
    /// Each model's report, fastest first.
    pub(crate) models: Vec<ReportModel>,
    /// The gist's address, with `--gist`.
    pub(crate) gist: Option<String>,
}

/// One model's line of the report overview.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportModel {
    /// The model.
    pub(crate) model: String,
    /// Its wall time.
    pub(crate) duration_ms: u64,
    /// `ok`, or `failed: <why>`.
    pub(crate) status: String,
    /// Size of its report file.
    pub(crate) bytes: Option<u64>,
    /// Its report file's path.
    pub(crate) file: Option<String>,
    /// Its wall time, for the overview table.
    #[serde(skip)]
    pub(crate) duration: Duration,
    /// Its report file's name, which the overview links to.
    #[serde(skip)]
    pub(crate) name: Option<String>,
}

/// A model's report file: its name, its full path and its size.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    /// The file name (`claude.md`).
    pub(crate) name: String,
    /// Where it is.
    pub(crate) path: String,
    /// Its size in bytes.
    pub(crate) bytes: u64,
}

impl ReportModel {
    /// The row of a model that wrote its report, or failed.
    pub(crate) fn of<T>(answer: &Answer<T>, written: Option<Written>) -> Self {
        let status = match &answer.outcome {
            Ok(_) => "ok".to_string(),
            Err(error) => format!("failed: {error}"),
        };
        Self {
            model: answer.model.to_string(),
            duration_ms: millis(answer.duration),
            status,
            bytes: written.as_ref().map(|written| written.bytes),
            file: written.as_ref().map(|written| written.path.clone()),
            duration: answer.duration,
            name: written.map(|written| written.name),
        }
    }
}

/// `changes hook run pre-push --format json`, and what the terminal verdict and the markdown
/// report are made from.
#[derive(Debug, Serialize)]
pub(crate) struct PushOutput<'a> {
    /// Who asked: git running the hook, or a review by hand of the upstream or of a range.
    pub(crate) source: ReviewSource,
    /// The remote pushed to (`null` for `--range`, which names no remote).
    pub(crate) remote: Option<PushRemote>,
    /// The range given with `--range` (`null` otherwise).
    pub(crate) range: Option<ManualRange>,
    /// When the review ran.
    pub(crate) generated: String,
    /// The markdown report, once written.
    pub(crate) report: Option<String>,
    /// One entry per distinct range pushed.
    pub(crate) ranges: Vec<PushRange<'a>>,
}

/// What started a push review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ReviewSource {
    /// git ran the pre-push hook.
    Push,
    /// By hand: what `git push` would send for the current branch to its upstream.
    Upstream,
    /// By hand: `--range A..B`.
    Range,
}

/// The remote a push goes to.
#[derive(Debug, Serialize)]
pub(crate) struct PushRemote {
    /// Its name (or URL when pushing to a URL).
    pub(crate) name: String,
    /// Its URL, credentials removed.
    pub(crate) url: String,
}

/// `--range A..B` as given and as resolved.
#[derive(Debug, Serialize)]
pub(crate) struct ManualRange {
    /// `A`, as written.
    pub(crate) from: String,
    /// `B`, as written (`HEAD` when left out).
    pub(crate) to: String,
    /// The commit `A` names.
    pub(crate) from_id: String,
    /// The commit `B` names.
    pub(crate) to_id: String,
}

/// One reviewed range.
#[derive(Debug, Serialize)]
pub(crate) struct PushRange<'a> {
    /// The local ref pushed (`null` for `--range`).
    pub(crate) local_ref: Option<String>,
    /// The ref on the remote (`null` for `--range`).
    pub(crate) remote_ref: Option<String>,
    /// New ref, update, forced update.
    pub(crate) kind: String,
    /// Where the reviewed diff starts (`null`: the empty tree): the remote's tip for an
    /// update, the merge base with `base_ref` for a new ref.
    pub(crate) base: Option<String>,
    /// For a new ref, the remote branch the base was taken from (`origin/main`).
    pub(crate) base_ref: Option<String>,
    /// Where it ends.
    pub(crate) tip: String,
    /// The commits the remote gains that no ref of it has yet, newest first.
    pub(crate) commits: Vec<PushCommit>,
    /// Gained commits beyond `push.max_commits`.
    pub(crate) commits_left_out: usize,
    /// For a forced update, the commits the remote's ref loses, newest first.
    pub(crate) commits_lost: Vec<PushCommit>,
    /// Lost commits beyond `push.max_commits`.
    pub(crate) commits_lost_left_out: usize,
    /// Commits the diff carries that the remote already has under another ref.
    pub(crate) commits_already_on_remote: usize,
    /// Every file the diff changes, in path order.
    pub(crate) files: Vec<PushFile>,
    /// Files whose content was not sent.
    pub(crate) files_not_sent: Vec<String>,
    /// The verdict of all reviews together.
    pub(crate) verdict: Verdict,
    /// Every reviewer's findings, the same one raised by several merged into one naming them
    /// all; most severe first.
    pub(crate) findings: Vec<Finding>,
    /// Each model's review.
    pub(crate) models: Vec<PushModel<'a>>,
    /// The combined change, for the report's list of what was left out.
    #[serde(skip)]
    pub(crate) changes: &'a ChangeSet,
    /// Models not asked, with the reason.
    #[serde(skip)]
    pub(crate) skipped: &'a [Skipped],
}

/// One file a push changes.
#[derive(Debug, Serialize)]
pub(crate) struct PushFile {
    /// Its path after the change.
    pub(crate) path: String,
    /// Its path before, for renames and copies.
    pub(crate) old_path: Option<String>,
    /// `added`, `modified`, `deleted`, `renamed`…
    pub(crate) status: String,
    /// Lines added.
    pub(crate) added: usize,
    /// Lines removed.
    pub(crate) removed: usize,
}

impl PushFile {
    /// A changed file as the outputs list it.
    pub(crate) fn of(file: &FileChange) -> Self {
        Self {
            path: file.path.clone(),
            old_path: file.old_path.clone(),
            status: file.status.to_string(),
            added: file.added_lines,
            removed: file.removed_lines,
        }
    }
}

/// One commit of a push.
#[derive(Debug, Serialize)]
pub(crate) struct PushCommit {
    /// Its full id.
    pub(crate) id: String,
    /// Its subject.
    pub(crate) summary: String,
    /// Its author.
    pub(crate) author: String,
}

/// One model's review.
#[derive(Debug, Serialize)]
pub(crate) struct PushModel<'a> {
    /// The model.
    pub(crate) model: String,
    /// Its wall time.
    pub(crate) duration_ms: u64,
    /// `ok` or `failed`.
    pub(crate) status: Status,
    /// Why it failed.
    pub(crate) error: Option<String>,
    /// Its review.
    pub(crate) review: Option<&'a Review>,
    /// Its wall time, for text.
    #[serde(skip)]
    pub(crate) duration: Duration,
}

impl<'a> PushModel<'a> {
    /// A model's review as the outputs show it.
    pub(crate) fn of(answer: &'a Answer<Review>) -> Self {
        Self {
            model: answer.model.to_string(),
            duration_ms: millis(answer.duration),
            status: if answer.output().is_some() { Status::Ok } else { Status::Failed },
            error: answer.outcome.as_ref().err().map(ToString::to_string),
            review: answer.output(),
            duration: answer.duration,
        }
    }

    /// How many findings it raised, or why it failed.
    pub(crate) fn verdict(&self) -> String {
        match (self.review, &self.error) {
            (Some(review), _) => review.tally(),
            (None, Some(error)) => format!("failed: {error}"),
            (None, None) => "failed".to_string(),
        }
    }
}

/// `changes models --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct ModelsOutput {
    /// Every configured model, in configured order.
    pub(crate) models: Vec<ModelRow>,
}

/// One configured model.
#[derive(Debug, Serialize)]
pub(crate) struct ModelRow {
    /// Its name.
    pub(crate) name: String,
    /// Its provider.
    pub(crate) provider: String,
    /// The provider's model id.
    pub(crate) model: String,
    /// Where its requests go (credentials removed), `null` for the built-in model.
    pub(crate) base_url: Option<String>,
    /// Whether its key is there.
    pub(crate) key: KeyState,
    /// Whether it is asked by default.
    pub(crate) default: bool,
    /// Asked when no other model can (the built-in one), for the text table.
    #[serde(skip)]
    pub(crate) fallback: bool,
}

/// Whether a model's key is there, and in which variable (never the key).
#[derive(Debug, Serialize)]
pub(crate) struct KeyState {
    /// `present`, `missing`, `not needed` or `user file`.
    pub(crate) state: &'static str,
    /// The variable it is in, or the ones looked for.
    pub(crate) variable: Option<String>,
}

/// `changes models --check --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct CheckOutput {
    /// Every model checked, in order.
    pub(crate) models: Vec<CheckRow>,
}

/// One model's answer to the tiny request.
#[derive(Debug, Serialize)]
pub(crate) struct CheckRow {
    /// Its name.
    pub(crate) name: String,
    /// `ok` or `failed`.
    pub(crate) status: Status,
    /// Time to its answer (`null` when it failed; 0 for the built-in model).
    pub(crate) latency_ms: Option<u64>,
    /// Whether it is the built-in model, which needs no request.
    pub(crate) offline: bool,
    /// Why it failed.
    pub(crate) error: Option<String>,
}

impl CheckRow {
    /// The row of a check's result.
    pub(crate) fn of(name: String, offline: bool, result: Result<Duration, String>) -> Self {
        match result {
            Ok(latency) => Self {
                name,
                status: Status::Ok,
                latency_ms: Some(millis(latency)),
                offline,
                error: None,
            },
            Err(error) => {
                Self { name, status: Status::Failed, latency_ms: None, offline, error: Some(error) }
            }
        }
    }
}

/// `changes config show --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct ConfigOutput<'a> {
    /// The resolved configuration (keys redacted).
    pub(crate) settings: &'a crate::config::Settings,
    /// Dotted key to the file, variable or `built-in default` it came from.
    pub(crate) origins: std::collections::BTreeMap<&'a str, String>,
    /// Keys the repository file sets that are ignored until `changes trust`.
    pub(crate) held_back: &'a [String],
    /// What the repository's history and rule files say, one line each.
    pub(crate) conventions: &'a [String],
}
