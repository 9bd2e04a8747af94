//! From a collected change to every model's answer. The change is redacted once; then each
//! selected model gets a plan (`plan`: one request when the change fits its budget, else
//! per-file summaries then a final request), the plans run concurrently under one deadline
//! (`run`), and several commit drafts are merged (`merge`). The built-in offline engine
//! answers the same jobs through the same path, without any request. Per-file summaries are
//! cached on disk (`cache`).

pub(crate) mod cache;
pub(crate) mod clean;
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
use crate::llm::{provider, Model, Spent};
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
    /// The repository's conventions, for commit drafts: the built-in model writes in them,
    /// network prompts carry them, and every draft is checked against them.
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

/// A change as it may be sent: every patch with its secrets replaced, and where they were.
#[derive(Debug, Clone)]
pub(crate) struct Sendable {
    /// The change with secrets replaced: the only text that goes out.
    pub(crate) changes: ChangeSet,
    /// What redaction found.
    pub(crate) secrets: Vec<SecretFound>,
}

/// The change as it would be sent with these settings: every patch redacted once, unless
/// `redact: false`.
pub(crate) fn sendable(changes: &ChangeSet, settings: &Settings) -> Sendable {
    let mut sendable = changes.clone();
    let mut secrets = Vec::new();
    for file in &mut sendable.files {
        // Lock-file hunks are for the built-in model only.
        file.private_patch = None;
    }
    if settings.redact {
        for file in &mut sendable.files {
            let Some(patch) = &file.patch else { continue };
            let (text, found) = privacy::redact_patch(&file.path, patch);
            if !found.is_empty() {
                file.patch = Some(text);
                secrets.extend(found);
            }
        }
    }
    Sendable { changes: sendable, secrets }
}

/// Asks every selected model for a commit message for `changes`, then merges the drafts as
/// `commit.merge` says. Only a configuration error (an unknown `--models` name) fails; each
/// model's trouble is in its `Answer`.
pub(crate) fn draft_commit(changes: &ChangeSet, mut options: Options<'_>) -> Result<Drafts, Error> {
    let settings = options.settings;
    let conventions = options.conventions.clone();
    let advice = conventions.as_ref().map(|conventions| conventions.advise(changes));
    let job = CommitJob {
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
        advice: advice.clone(),
    };
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

/// Asks every selected model to review the push whose combined change is `changes`.
pub(crate) fn review_push(
    changes: &ChangeSet,
    commits: String,
    mut options: Options<'_>,
) -> Result<Run<Review>, Error> {
    let job = ReviewJob { commits, max_subject: options.settings.commit.max_subject };
    let session = Session::new()?;
    let prepared = prepare(changes, &mut options, job)?;
    execute(&session, &prepared, &options)
}

/// Asks every selected model to summarize a period: each file, then an overview.
pub(crate) fn summarize_range(
    changes: &ChangeSet,
    commits: String,
    mut options: Options<'_>,
) -> Result<Run<RangeSummary>, Error> {
    let session = Session::new()?;
    let prepared = prepare(changes, &mut options, RangeJob { commits })?;
    execute(&session, &prepared, &options)
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
    let shared = Arc::new(Shared {
        original: changes.clone(),
        sendable: sendable(changes, settings),
        job,
        cache: options.cache.take(),
        speeds: options.speeds.clone(),
        warnings: std::sync::Mutex::new(Vec::new()),
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
    let prompt = merge::synthesize_prompt(
        &prepared.shared.sendable.changes,
        &named,
        job.style,
        job.max_subject,
    );
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
