//! From a collected change to every model's answer. The change is redacted once; then each
//! selected model gets a plan (`plan`: one request when the change fits its budget, else
//! per-file summaries then a final request), the plans run concurrently under one deadline
//! (`run`), and several commit drafts are merged (`merge`). The built-in offline engine
//! answers the same jobs through the same path, without any request. Per-file summaries are
//! cached on disk (`cache`).

pub(crate) mod cache;
pub(crate) mod clean;
pub(crate) mod findings;
mod job;
pub(crate) mod merge;
mod plan;
pub mod prompt;
mod review;
mod run;
mod select;
mod share;
pub(crate) mod speed;
mod summaries;

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::answer::{Answer, Message, RangeSummary, Review};
use crate::config::{MergeMode, Settings};
use crate::conventions::check::{self, Checked};
use crate::env::Environment;
use crate::error::Error;
use crate::git::ChangeSet;
use crate::llm::{provider, Model, Prompt, Spent};
use crate::privacy::{self, SecretFound};

use job::{CommitJob, Job, RangeJob, ReviewJob};
use merge::Merged;
use run::{Responder, Shared};

pub(crate) use crate::llm::Session;
pub(crate) use run::{Event, Progress};
pub(crate) use select::{is_offline, Selection};

/// What a run needs besides the change and the job.
pub(crate) struct Options<'a> {
    /// The resolved configuration.
    pub(crate) settings: &'a Settings,
    /// The environment (keys, endpoints).
    pub(crate) environment: &'a Environment,
    /// `--models`, empty for the defaults.
    pub(crate) requested: &'a [String],
    /// Where per-file summaries are cached; `None` disables the cache.
    pub(crate) cache: Option<cache::Cache>,
    /// The deadline of the whole run.
    pub(crate) timeout: Duration,
    /// Where progress events go (a live display on a terminal), if anywhere.
    pub(crate) progress: Option<Progress>,
    /// Where measured model speeds are kept, if anywhere.
    pub(crate) speeds: Option<speed::Speeds>,
    /// The repository's conventions: for commit drafts the built-in model writes in them,
    /// network prompts carry them, and every draft is checked against them; for reviews and
    /// reports the built-in model reads the commits' subjects with them.
    pub(crate) conventions: Option<Arc<crate::conventions::Conventions>>,
}

/// Everything one run produced.
#[derive(Debug)]
pub(crate) struct Run<T> {
    /// Which models ran and which were skipped.
    pub(crate) selection: Selection,
    /// One answer per selected model, in selection order.
    pub(crate) answers: Vec<Answer<T>>,
    /// Wall time of the whole run.
    pub(crate) elapsed: Duration,
    /// Secrets replaced before anything was sent.
    pub(crate) secrets: Vec<SecretFound>,
    /// Trouble of the run itself (a cache that cannot be written), each said once.
    pub(crate) warnings: Vec<String>,
    /// Requests and tokens spent per selected model, in selection order (nothing for the
    /// built-in model).
    pub(crate) spent: Vec<Spent>,
}

/// Commit drafts and how they are merged.
#[derive(Debug)]
pub(crate) struct Drafts {
    /// The run.
    pub(crate) run: Run<Message>,
    /// Which draft is the message and which are shown as alternatives.
    pub(crate) merged: Merged,
    /// Each answer's check against the repository's conventions (`None` for failures, or
    /// when conventions are off).
    pub(crate) checks: Vec<Option<Checked>>,
    /// One line when the drafts disagree on the type or the scope.
    pub(crate) disagreement: Option<String>,
}

impl Drafts {
    /// The message, when a model produced one.
    pub(crate) fn primary(&self) -> Option<&Answer<Message>> {
        self.merged.primary.map(|index| &self.run.answers[index])
    }
}

/// A change as it may be sent: every patch, file name and commit subject with its secrets
/// replaced, the texts the job puts around it redacted the same way, and what was found.
#[derive(Debug, Clone)]
pub(crate) struct Sendable {
    /// The change with secrets replaced: the only change text that goes out.
    pub(crate) changes: ChangeSet,
    /// The job's instructions as sent (the conventions block with its example subjects
    /// included).
    pub(crate) instructions: String,
    /// The text before the change as sent (the commits, with their subjects and bodies, and
    /// whatever else the job names: branches, remotes).
    pub(crate) preface: String,
    /// What redaction found in file content.
    pub(crate) secrets: Vec<SecretFound>,
    /// What redaction found elsewhere (file names, commit messages, example subjects), one
    /// line each, for a warning.
    pub(crate) replaced: Vec<String>,
    /// Whether redaction ran (`redact: true`), so that text added later is redacted too.
    pub(crate) redacted: bool,
}

/// The change and the job's texts as they would be sent with these settings: every patch,
/// file name, commit subject, instruction and preface redacted once, unless `redact: false`.
/// This is the one place where what leaves the machine is redacted: every request is built
/// from its output.
pub(crate) fn sendable<J: Job>(changes: &ChangeSet, settings: &Settings, job: &J) -> Sendable {
    let mut sendable = changes.clone();
    let mut secrets = Vec::new();
    let mut replaced = Vec::new();
    for file in &mut sendable.files {
        // Lock-file hunks are for the built-in model only.
        file.private_patch = None;
    }
    let mut instructions = job.instructions();
    let mut preface = job.preface();
    if settings.redact {
        for file in &mut sendable.files {
            if let Some(patch) = &file.patch {
                let (text, found) = privacy::redact_patch(&file.path, patch);
                if !found.is_empty() {
                    file.patch = Some(text);
                    secrets.extend(found);
                }
            }
            redact_in_place(&mut file.path, "a file name", &mut replaced);
            if let Some(old_path) = &mut file.old_path {
                redact_in_place(old_path, "a file name", &mut replaced);
            }
        }
        if let crate::git::Source::Commit { summary, .. } = &mut sendable.source {
            redact_in_place(summary, "the commit subject", &mut replaced);
        }
        redact_in_place(&mut instructions, "the instructions (example subjects)", &mut replaced);
        redact_in_place(&mut preface, "the commit messages", &mut replaced);
    }
    Sendable {
        changes: sendable,
        instructions,
        preface,
        secrets,
        replaced,
        redacted: settings.redact,
    }
}

/// Redacts `text` where it stands, saying what was replaced and where (`place`).
fn redact_in_place(text: &mut String, place: &str, replaced: &mut Vec<String>) {
    let (redacted, kinds) = privacy::redact_text(text);
    if kinds.is_empty() {
        return;
    }
    *text = redacted;
    for kind in kinds {
        let line =
            format!("{} {kind} in {place} was replaced before sending", privacy::article(kind));
        if !replaced.contains(&line) {
            replaced.push(line);
        }
    }
}

/// Asks every selected model for a commit message for `changes`, then merges the drafts as
/// `commit.merge` says. Only a configuration error (an unknown `--models` name) fails; each
/// model's trouble is in its `Answer`.
pub(crate) fn draft_commit(changes: &ChangeSet, mut options: Options<'_>) -> Result<Drafts, Error> {
    let settings = options.settings;
    let conventions = options.conventions.clone();
    let job = commit_job(changes, &options);
    let advice = job.advice.clone();
    let session = Session::new()?;
    let prepared = prepare(changes, &mut options, job)?;
    let mode = settings.commit.merge;
    let synthesis = if mode == MergeMode::Synthesize { Some(&prepared) } else { None };
    let mut run = execute(&session, &prepared, &options)?;
    let mut synthesized = false;
    if let Some(prepared) = synthesis {
        synthesized = synthesize(&session, prepared, &mut run.answers)?;
        run.spent = prepared.spent();
    }
    run.elapsed = prepared.started.elapsed();
    // Every draft is checked against the rules and habits, and repaired where that is clear.
    let mut checks: Vec<Option<Checked>> = Vec::with_capacity(run.answers.len());
    for answer in &mut run.answers {
        let checked = match (&conventions, &mut answer.outcome) {
            (Some(conventions), Ok(message)) => {
                let checked = check::check(conventions, message, settings.commit.max_subject);
                *message = checked.message.clone();
                Some(checked)
            }
            _ => None,
        };
        checks.push(checked);
    }
    let prediction = advice.as_ref().and_then(|advice| advice.prediction.as_ref());
    let fitness: Vec<i64> = checks
        .iter()
        .map(|checked| checked.as_ref().map_or(0, |checked| check::fitness(checked, prediction)))
        .collect();
    let merged = merge::arrange_fitted(&run.answers, mode, synthesized, &fitness);
    let disagreement = merge::disagreement(&run.answers);
    Ok(Drafts { run, merged, checks, disagreement })
}

/// The commit-message job for `changes` with these options: the style, and the repository's
/// conventions with the prompt block they call for.
fn commit_job(changes: &ChangeSet, options: &Options<'_>) -> CommitJob {
    let settings = options.settings;
    let conventions = options.conventions.clone();
    let advice = conventions.as_ref().map(|conventions| conventions.advise(changes));
    CommitJob {
        style: settings.commit.style,
        max_subject: settings.commit.max_subject,
        conventions: conventions.clone(),
        style_rule: conventions.as_deref().and_then(crate::conventions::prompt::style_rule),
        conventions_block: match (&conventions, &advice) {
            (Some(conventions), Some(advice)) => {
                crate::conventions::prompt::block(conventions, changes, advice)
            }
            _ => String::new(),
        },
        advice,
    }
}

/// One request a run would send, exactly as it would be posted (its headers aside: they
/// hold the key).
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct PlannedRequest {
    /// Where it is posted (without any credentials the configured address holds).
    pub(crate) url: String,
    /// The instructions it carries.
    pub(crate) system: String,
    /// The input it carries: the change description.
    pub(crate) user: String,
    /// The JSON body, as the provider's adapter builds it.
    pub(crate) body: serde_json::Value,
    /// True for the final request after per-file summary requests: it is built from their
    /// answers, so each summary still to come is shown as [`PENDING_SUMMARY`]; everything
    /// else in it (instructions, commits, stats, cached summaries) is as it would be sent.
    pub(crate) pending_summaries: bool,
}

/// What a run would send to one model.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct ModelRequests {
    /// The model's name.
    pub(crate) model: String,
    /// Its provider.
    pub(crate) provider: String,
    /// The provider's model id.
    pub(crate) model_id: String,
    /// The requests known before any answer, in the order they would be sent.
    pub(crate) requests: Vec<PlannedRequest>,
    /// What would follow that cannot be shown before answers come, or why nothing is sent.
    pub(crate) note: Option<String>,
}

/// What a dry run shows in the final request where a per-file summary will be.
pub(crate) const PENDING_SUMMARY: &str = "[the summary the answers above will give]";

/// What a run would send, model by model, and what redaction replaced on the way.
#[derive(Debug)]
pub(crate) struct Preview {
    /// Which models would be asked and which are skipped.
    pub(crate) selection: Selection,
    /// One entry per selected model, in selection order.
    pub(crate) models: Vec<ModelRequests>,
    /// Secrets replaced in file content.
    pub(crate) secrets: Vec<SecretFound>,
    /// Secrets replaced elsewhere, one line each.
    pub(crate) replaced: Vec<String>,
    /// The preface and change description a network model would be sent in one request.
    pub(crate) description: String,
}

impl Preview {
    /// Adds what a later run would send (the next range of a push): each model's requests
    /// follow its earlier ones, in the order they would be sent.
    pub(crate) fn append(&mut self, later: Preview) {
        for model in later.models {
            match self.models.iter_mut().find(|known| known.model == model.model) {
                Some(known) => {
                    known.requests.extend(model.requests);
                    known.note = match (known.note.take(), model.note) {
                        (Some(first), Some(second)) if first != second => {
                            Some(format!("{first}; {second}"))
                        }
                        (first, second) => first.or(second),
                    };
                }
                None => self.models.push(model),
            }
        }
        self.secrets.extend(later.secrets);
        for line in later.replaced {
            if !self.replaced.contains(&line) {
                self.replaced.push(line);
            }
        }
        self.description.push_str(&later.description);
    }
}

/// The requests a commit draft would send for `changes`, built by the same functions as the
/// real run (redaction, planning, the provider adapters), sending nothing.
pub(crate) fn preview_commit(changes: &ChangeSet, options: Options<'_>) -> Result<Preview, Error> {
    let job = commit_job(changes, &options);
    let synthesize = options.settings.commit.merge == MergeMode::Synthesize;
    let mut preview = preview(changes, options, job)?;
    if synthesize {
        // Only network models with their requests shown have no note yet.
        for model in preview.models.iter_mut().filter(|model| model.note.is_none()) {
            model.note = Some(
                "with `commit.merge: synthesize`, one more request merges the drafts".to_string(),
            );
        }
    }
    Ok(preview)
}

/// The requests a push review of `changes` would send, built as `review_push` builds them,
/// sending nothing.
pub(crate) fn preview_review(
    changes: &ChangeSet,
    commits: Commits,
    options: Options<'_>,
) -> Result<Preview, Error> {
    let job = review_job(commits, &options);
    preview(changes, options, job)
}

/// The requests a summary of a period would send, built as `summarize_range` builds them,
/// sending nothing.
pub(crate) fn preview_range(
    changes: &ChangeSet,
    commits: Commits,
    options: Options<'_>,
) -> Result<Preview, Error> {
    let job = range_job(commits, &options);
    preview(changes, options, job)
}

/// The requests `job` would send for `changes`: the same selection, redaction, plan and
/// provider adapter as a real run, with nothing sent.
fn preview<J: Job>(
    changes: &ChangeSet,
    mut options: Options<'_>,
    job: J,
) -> Result<Preview, Error> {
    let timeout = options.timeout;
    let prepared = prepare(changes, &mut options, job)?;
    let shared = &prepared.shared;
    let changes = &shared.sendable.changes;
    let mut models = Vec::new();
    for (settings, model) in prepared.selection.models.iter().zip(&prepared.network) {
        let mut entry = ModelRequests {
            model: settings.name.to_string(),
            provider: settings.provider.to_string(),
            model_id: settings.model.clone(),
            requests: Vec::new(),
            note: None,
        };
        let Some(model) = model else {
            entry.note = Some("the built-in model answers on this machine: nothing is sent".into());
            models.push(entry);
            continue;
        };
        let capacity = run::capacity_of(&model.settings, shared.speeds.as_ref());
        let known = run::cached_summaries(model, changes, shared.cache.as_ref());
        let shape = plan::Shape {
            preface: &shared.sendable.preface,
            answer_tokens: shared.job.expected_answer_tokens(),
            every_file: shared.job.summarize_every_file(),
        };
        // Each prompt, and whether it waits for the answers to the ones before it.
        let prompts: Vec<(Prompt, bool)> =
            match plan::plan(changes, known, &capacity, &shape, timeout, false) {
                plan::Plan::Single { input, .. } => vec![(run::final_prompt(shared, input), false)],
                plan::Plan::Map(map) => {
                    // The final request as the run builds it, with a placeholder for each
                    // summary still to come.
                    let mut summaries = map.known.clone();
                    for unit in &map.units {
                        if let Some(slot) = summaries.get_mut(unit.file) {
                            *slot = Some(PENDING_SUMMARY.to_string());
                        }
                    }
                    let input = plan::final_input(changes, &summaries, &shape, &capacity);
                    let last = run::final_prompt(shared, input);
                    entry.note = Some(format!(
                        "the last request is built from the answers to the per-file requests \
                         before it: it shows {PENDING_SUMMARY} where each of their summaries \
                         will be"
                    ));
                    map.batches
                        .into_iter()
                        .map(|batch| (batch.prompt, false))
                        .chain(std::iter::once((last, true)))
                        .collect()
                }
            };
        for (prompt, pending_summaries) in prompts {
            match model.preview(&prompt) {
                Some((url, body)) => entry.requests.push(PlannedRequest {
                    // Credentials in a `base_url` go in a header, and are never shown.
                    url: crate::text::without_credentials(&url),
                    system: prompt.system,
                    user: prompt.user,
                    body,
                    pending_summaries,
                }),
                None => entry.note = Some("no endpoint is configured: nothing is sent".into()),
            }
        }
        models.push(entry);
    }
    Ok(Preview {
        selection: prepared.selection.clone(),
        models,
        secrets: shared.sendable.secrets.clone(),
        replaced: shared.sendable.replaced.clone(),
        description: format!("{}{}", shared.sendable.preface, prompt::render_changes(changes)),
    })
}

/// The commits a review or a report is about: one line each for network models, and as the
/// built-in engine groups them by intent.
pub(crate) struct Commits {
    /// One line per commit, newest first.
    pub(crate) lines: String,
    /// The same commits for the intent grouping, newest first.
    pub(crate) intents: Vec<crate::offline::intent::Commit>,
}

/// Asks every selected model to review the push whose combined change is `changes`; every
/// finding is anchored to the change (`findings::validate`).
pub(crate) fn review_push(
    changes: &ChangeSet,
    commits: Commits,
    mut options: Options<'_>,
) -> Result<Run<Review>, Error> {
    let job = review_job(commits, &options);
    let session = Session::new()?;
    let prepared = prepare(changes, &mut options, job)?;
    let mut run = execute(&session, &prepared, &options)?;
    // Each finding names its model and is checked against the change it claims to be about.
    for answer in &mut run.answers {
        if let Ok(review) = &mut answer.outcome {
            for finding in &mut review.findings {
                finding.raised_by = vec![answer.model.to_string()];
            }
            findings::validate(review, changes);
        }
    }
    Ok(run)
}

/// Asks every selected model to summarize a period: each file, then an overview.
pub(crate) fn summarize_range(
    changes: &ChangeSet,
    commits: Commits,
    mut options: Options<'_>,
) -> Result<Run<RangeSummary>, Error> {
    let session = Session::new()?;
    let job = range_job(commits, &options);
    let prepared = prepare(changes, &mut options, job)?;
    execute(&session, &prepared, &options)
}

/// The push-review job over `commits`.
fn review_job(commits: Commits, options: &Options<'_>) -> ReviewJob {
    ReviewJob {
        commits: commits.lines,
        intents: commits.intents,
        conventions: options.conventions.clone(),
    }
}

/// The job of summarizing a period of `commits`.
fn range_job(commits: Commits, options: &Options<'_>) -> RangeJob {
    RangeJob {
        commits: commits.lines,
        intents: commits.intents,
        conventions: options.conventions.clone(),
    }
}

/// The models a run with these settings and `--models` names would ask.
pub(crate) fn selection(
    settings: &Settings,
    requested: &[String],
    environment: &Environment,
) -> Result<Selection, Error> {
    select::select(settings, requested, environment, &|model| {
        provider::ollama_serves(model, environment)
    })
}

/// A run ready to go: the selection, each model ready to be asked, what they share, and the
/// one deadline.
struct Prepared<J> {
    selection: Selection,
    network: Vec<Option<Arc<Model>>>,
    shared: Arc<Shared<J>>,
    started: std::time::Instant,
    deadline: Instant,
}

/// Selects the models and redacts the change, once for all of them.
fn prepare<J: Job>(
    changes: &ChangeSet,
    options: &mut Options<'_>,
    job: J,
) -> Result<Prepared<J>, Error> {
    let started = std::time::Instant::now();
    let deadline = Instant::now() + options.timeout;
    let settings = options.settings;
    let selection = select::select(settings, options.requested, options.environment, &|model| {
        provider::ollama_serves(model, options.environment)
    })?;
    let network = selection
        .models
        .iter()
        .map(|model| {
            (!is_offline(model)).then(|| Arc::new(Model::new(model.clone(), options.environment)))
        })
        .collect();
    let sendable = sendable(changes, settings, &job);
    let shared = Arc::new(Shared {
        original: changes.clone(),
        warnings: std::sync::Mutex::new(sendable.replaced.clone()),
        sendable,
        job,
        cache: options.cache.take(),
        speeds: options.speeds.clone(),
        share: settings.share_summaries,
        precomputed: std::sync::OnceLock::new(),
    });
    Ok(Prepared { selection, network, shared, started, deadline })
}

impl<J> Prepared<J> {
    /// Requests and tokens spent so far per selected model.
    fn spent(&self) -> Vec<Spent> {
        self.network
            .iter()
            .map(|model| model.as_ref().map(|model| model.spent()).unwrap_or_default())
            .collect()
    }
}

/// Asks every model of a prepared run, on the session's runtime.
fn execute<J: Job>(
    session: &Session,
    prepared: &Prepared<J>,
    options: &Options<'_>,
) -> Result<Run<J::Output>, Error> {
    let responders: Vec<Responder> = prepared
        .selection
        .models
        .iter()
        .zip(&prepared.network)
        .map(|(settings, model)| match model {
            Some(model) => Responder::Network(Arc::clone(model)),
            None => Responder::Offline(settings.name.clone()),
        })
        .collect();
    let client = prepared.network.iter().any(Option::is_some).then(|| session.client());
    let answers = session.block_on(run::ask_all(
        responders,
        client,
        Arc::clone(&prepared.shared),
        prepared.deadline,
        options.progress.clone(),
    ))?;
    let warnings =
        prepared.shared.warnings.lock().map(|warnings| warnings.clone()).unwrap_or_default();
    Ok(Run {
        selection: prepared.selection.clone(),
        answers,
        elapsed: prepared.started.elapsed(),
        secrets: prepared.shared.sendable.secrets.clone(),
        warnings,
        spent: prepared.spent(),
    })
}

/// `merge: synthesize`: one more request, inside the same deadline, asks the first network
/// model that answered to merge every draft into one. True when the merged draft replaced
/// the primary one; when the request fails, the drafts stay as they are and the failure is a
/// note on the primary answer.
fn synthesize(
    session: &Session,
    prepared: &Prepared<CommitJob>,
    answers: &mut [Answer<Message>],
) -> Result<bool, Error> {
    let drafts: Vec<(usize, String, Message)> = answers
        .iter()
        .enumerate()
        .filter_map(|(index, answer)| {
            answer.output().map(|message| (index, answer.model.to_string(), message.clone()))
        })
        .collect();
    if drafts.len() < 2 {
        return Ok(false);
    }
    let Some((primary, model)) = drafts
        .iter()
        .find_map(|(index, _, _)| prepared.network[*index].as_ref().map(|model| (*index, model)))
    else {
        return Ok(false);
    };
    let job = &prepared.shared.job;
    let named: Vec<(String, Message)> =
        drafts.iter().map(|(_, name, message)| (name.clone(), message.clone())).collect();
    let mut prompt = merge::synthesize_prompt(
        &prepared.shared.sendable.changes,
        &named,
        job.style,
        job.max_subject,
    );
    if prepared.shared.sendable.redacted {
        // The built-in model drafts from the change as collected: its draft may name what
        // the sendable change has redacted.
        prompt.user = privacy::redact_text(&prompt.user).0;
    }
    let begun = Instant::now();
    let result = match session.client() {
        Ok(client) => session.block_on(model.complete(&client, &prompt, prepared.deadline))?,
        Err(failure) => Err(failure),
    };
    let answer = &mut answers[primary];
    answer.duration += begun.elapsed();
    match result.map(|text| clean::message(&text, job.max_subject)) {
        Ok(Some(message)) => {
            answer.outcome = Ok(message);
            Ok(true)
        }
        Ok(None) => {
            answer.notes.push(
                "merging the drafts gave nothing usable; the drafts are shown as they are"
                    .to_string(),
            );
            Ok(false)
        }
        Err(failure) => {
            answer.notes.push(format!(
                "merging the drafts failed ({}); the drafts are shown as they are",
                model.explain(&failure)
            ));
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CommitStyle, FlagOverrides};
    use crate::git::{FileChange, Source};

    /// A made-up GitHub token, assembled so this file holds none.
    const TOKEN: &str = concat!("gh", "p_", "OJdRnGQnaWsEPcjiUJgE2cEUY1wDGXLJkCOh");

    fn settings() -> Settings {
        let folder = tempfile::tempdir().expect("temporary folder");
        let pairs = vec![
            (
                crate::env::CHANGES_CONFIG.to_string(),
                folder.path().join("none.yaml").display().to_string(),
            ),
            ("HOME".to_string(), folder.path().display().to_string()),
        ];
        crate::config::load(&Environment::from_pairs(pairs), None, &FlagOverrides::default())
            .expect("defaults load")
            .settings
    }

    #[test]
    fn file_names_subjects_commits_and_instructions_are_redacted_before_sending() {
        let mut changes = ChangeSet {
            source: Source::Commit { id: "0".repeat(40), summary: format!("rotate token {TOKEN}") },
            files: vec![FileChange::modified(&format!("keys/{TOKEN}.txt"), "@@ -0,0 +1 @@\n+x\n")],
        };
        changes.files[0].old_path = Some(format!("old/{TOKEN}"));
        let job = ReviewJob {
            commits: format!("- 1a2b3c4 rotate token {TOKEN}\n"),
            intents: Vec::new(),
            conventions: None,
        };
        let sendable = sendable(&changes, &settings(), &job);
        let sent = format!(
            "{}{}{}",
            sendable.instructions,
            sendable.preface,
            prompt::render_changes(&sendable.changes)
        );
        assert!(!sent.contains(TOKEN), "{sent}");
        assert!(sent.contains("keys/[REDACTED GitHub token].txt"), "{sent}");
        assert!(sent.contains("rotate token [REDACTED GitHub token]"), "{sent}");
        assert_eq!(sendable.replaced.len(), 3, "{:?}", sendable.replaced);

        let commit = CommitJob {
            style: CommitStyle::Conventional,
            max_subject: 72,
            conventions: None,
            style_rule: None,
            conventions_block: format!("Examples of subjects:\n- chore: rotate {TOKEN}\n"),
            advice: None,
        };
        let sendable = super::sendable(&changes, &settings(), &commit);
        assert!(!sendable.instructions.contains(TOKEN));
        assert!(sendable.instructions.contains("chore: rotate [REDACTED GitHub token]"));
    }

    #[test]
    fn a_later_range_s_requests_follow_each_model_s_earlier_ones() {
        let request = |user: &str| PlannedRequest {
            url: "http://127.0.0.1:9/v1/chat/completions".to_string(),
            system: "Review.".to_string(),
            user: user.to_string(),
            body: serde_json::json!({ "user": user }),
            pending_summaries: false,
        };
        let model = |name: &str, users: &[&str], note: Option<&str>| ModelRequests {
            model: name.to_string(),
            provider: "openai-compatible".to_string(),
            model_id: "m".to_string(),
            requests: users.iter().map(|user| request(user)).collect(),
            note: note.map(str::to_string),
        };
        let preview = |models: Vec<ModelRequests>, replaced: &str, description: &str| Preview {
            selection: Selection { models: Vec::new(), skipped: Vec::new() },
            models,
            secrets: Vec::new(),
            replaced: vec![replaced.to_string()],
            description: description.to_string(),
        };
        let mut first = preview(
            vec![model("a", &["main"], Some("built-in")), model("b", &["main"], None)],
            "a token was replaced",
            "main\n",
        );
        first.append(preview(
            vec![model("a", &["feature"], Some("built-in")), model("b", &[], Some("later"))],
            "a token was replaced",
            "feature\n",
        ));
        let users: Vec<Vec<&str>> = first
            .models
            .iter()
            .map(|model| model.requests.iter().map(|request| request.user.as_str()).collect())
            .collect();
        assert_eq!(users, [vec!["main", "feature"], vec!["main"]]);
        assert_eq!(first.models[0].note.as_deref(), Some("built-in"));
        assert_eq!(first.models[1].note.as_deref(), Some("later"));
        assert_eq!(first.replaced, ["a token was replaced"]);
        assert_eq!(first.description, "main\nfeature\n");
    }

    #[test]
    fn the_prompts_themselves_hold_nothing_the_redactor_replaces() {
        let commit = CommitJob {
            style: CommitStyle::Conventional,
            max_subject: 72,
            conventions: None,
            style_rule: None,
            conventions_block: String::new(),
            advice: None,
        };
        let review = ReviewJob { commits: String::new(), intents: Vec::new(), conventions: None };
        let range = RangeJob { commits: String::new(), intents: Vec::new(), conventions: None };
        for text in [
            commit.instructions(),
            review.instructions(),
            review.preface(),
            range.instructions(),
            range.preface(),
        ] {
            assert!(privacy::redact_text(&text).1.is_empty(), "{text}");
        }
    }
}
