//! Carrying out plans: every model of a run at once on one single-threaded runtime with one
//! HTTP client, each request under the model's concurrency cap, everything under one deadline.
//! Each model's outcome and every partial failure are kept; progress goes out through a
//! callback, never to the terminal directly.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::answer::{Answer, FailureKind, ModelError};
use crate::config::ModelSettings;
use crate::git::{ChangeSet, FileChange};
use crate::llm::failure::Failure;
use crate::llm::{Model, Prompt};

use super::cache::Cache;
use super::job::Job;
use super::plan::{self, Batch, Capacity, Latency, MapPlan, Plan, Shape};
use super::share::{self, Precomputed};
use super::speed::Speeds;
use super::summaries;
use super::Sendable;

/// Bumped whenever a prompt changes, so cached summaries of older prompts are not reused.
pub(crate) const PROMPT_VERSION: u32 = 1;

/// What the engine says while it works, for a live display.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// These models are being asked, in this order.
    Started {
        /// Their names.
        models: Vec<String>,
    },
    /// The model at `index` is done: its time, or why it failed.
    Finished {
        /// Position in `Started`'s list.
        index: usize,
        /// Its time, or the one-line reason.
        result: Result<Duration, String>,
    },
    /// Every model is done.
    Done,
}

/// Where events go.
pub(crate) type Progress = Arc<dyn Fn(Event) + Send + Sync>;

/// A model of the run as it is asked: the built-in engine, or a network model.
pub(crate) enum Responder {
    /// The built-in offline engine, by name: no request at all.
    Offline(crate::config::ModelName),
    /// A model behind an HTTP API.
    Network(Arc<Model>),
}

impl Responder {
    fn name(&self) -> &crate::config::ModelName {
        match self {
            Responder::Offline(name) => name,
            Responder::Network(model) => model.name(),
        }
    }
}

/// What every model's task reads.
pub(crate) struct Shared<J> {
    /// The change as collected, for the offline engine (which sends nothing).
    pub(crate) original: ChangeSet,
    /// The change as it may be sent, redacted once for every model.
    pub(crate) sendable: Sendable,
    /// The job.
    pub(crate) job: J,
    /// The per-file summary cache, when enabled.
    pub(crate) cache: Option<Cache>,
    /// Where measured model speeds are kept, when anywhere.
    pub(crate) speeds: Option<Speeds>,
    /// Trouble of the run itself (a cache that cannot be written), said once.
    pub(crate) warnings: Mutex<Vec<String>>,
    /// Whether network models share the per-file step (`share_summaries`).
    pub(crate) share: bool,
    /// The per-file summaries written together, once they are.
    pub(crate) precomputed: std::sync::OnceLock<Precomputed>,
}

impl<J> Shared<J> {
    pub(crate) fn warn_once(&self, warning: String) {
        if let Ok(mut warnings) = self.warnings.lock() {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    }
}

/// Asks every responder concurrently; answers come back in the responders' order. A model
/// still working at the deadline is cancelled and reported as such.
pub(crate) async fn ask_all<J: Job>(
    responders: Vec<Responder>,
    client: Option<Result<reqwest::Client, Failure>>,
    shared: Arc<Shared<J>>,
    deadline: Instant,
    progress: Option<Progress>,
) -> Vec<Answer<J::Output>> {
    let names: Vec<crate::config::ModelName> =
        responders.iter().map(|responder| responder.name().clone()).collect();
    if let Some(progress) = &progress {
        progress(Event::Started { models: names.iter().map(ToString::to_string).collect() });
    }
    // With `share_summaries`, the per-file step of every network model that needs one is
    // written together first; its time counts in each of those models' time.
    let network: Vec<Arc<Model>> = responders
        .iter()
        .filter_map(|responder| match responder {
            Responder::Network(model) => Some(Arc::clone(model)),
            Responder::Offline(_) => None,
        })
        .collect();
    let mut head_start = Duration::ZERO;
    if let (true, Some(Ok(client))) = (shared.share && network.len() > 1, &client) {
        let begun = Instant::now();
        if let Some(precomputed) =
            share::summarize_together(&network, client, &shared, deadline).await
        {
            for note in &precomputed.notes {
                shared.warn_once(note.clone());
            }
            let _ = shared.precomputed.set(precomputed);
            head_start = begun.elapsed();
        }
    }
    let mut tasks = JoinSet::new();
    for (index, responder) in responders.into_iter().enumerate() {
        let shared = Arc::clone(&shared);
        let client = client.clone();
        let progress = progress.clone();
        let names_of_task = names[index].clone();
        tasks.spawn(async move {
            let begun = Instant::now();
            let mut trace = Trace::default();
            let outcome = match responder {
                Responder::Offline(_) => {
                    Ok(shared.job.offline(&shared.original, &shared.sendable.secrets))
                }
                Responder::Network(model) => match client {
                    None => Err(error_of(&model, &Failure::Connection("no HTTP client".into()))),
                    Some(Err(failure)) => Err(error_of(&model, &failure)),
                    Some(Ok(client)) => {
                        let work = ask_network(&model, &client, &shared, deadline, &mut trace);
                        let result = match tokio::time::timeout_at(deadline, work).await {
                            Ok(result) => result,
                            Err(_) => Err(error_of(&model, &Failure::Timeout)),
                        };
                        if let Some(speeds) = &shared.speeds {
                            if let Err(error) = speeds.record(&model.settings, &trace.ratios) {
                                shared.warn_once(format!("cannot keep measured speeds: {error}"));
                            }
                        }
                        result
                    }
                },
            };
            let together = shared
                .precomputed
                .get()
                .is_some_and(|precomputed| precomputed.models.contains(&names_of_task));
            let duration = begun.elapsed() + if together { head_start } else { Duration::ZERO };
            if let Some(progress) = &progress {
                let result =
                    outcome.as_ref().map(|_| duration).map_err(|error| error.message.clone());
                progress(Event::Finished { index, result });
            }
            (index, outcome, trace, duration)
        });
    }
    let mut answers: Vec<Option<Answer<J::Output>>> = names.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, outcome, trace, duration)) = joined {
            answers[index] = Some(Answer {
                model: names[index].clone(),
                duration,
                outcome,
                notes: trace.notes,
                details: trace.details,
            });
        }
    }
    if let Some(progress) = &progress {
        progress(Event::Done);
    }
    answers
        .into_iter()
        .zip(names)
        .map(|(answer, model)| {
            answer.unwrap_or_else(|| Answer {
                model,
                duration: Duration::ZERO,
                outcome: Err(ModelError::new(
                    FailureKind::Internal,
                    "internal error: the task stopped",
                )),
                notes: Vec::new(),
                details: Vec::new(),
            })
        })
        .collect()
}

/// What the planner needs to know about a model: its configured figures, scaled by what
/// earlier runs measured when they are known.
pub(crate) fn capacity_of(settings: &ModelSettings, speeds: Option<&Speeds>) -> Capacity {
    let configured = Latency {
        first_token: settings.first_token,
        input_tokens_per_second: settings.input_tokens_per_second as f64,
        output_tokens_per_second: settings.output_tokens_per_second as f64,
    };
    Capacity {
        context_tokens: settings.context_tokens,
        concurrency: settings.max_concurrency.max(1),
        latency: speeds.map_or(configured, |speeds| speeds.learned(settings, configured)),
    }
}

/// The ratio of the time a request took to the time `latency` predicts for its input and
/// the answer it got: what the next run's figures are scaled by.
fn ratio(latency: &Latency, prompt: &Prompt, answer: &str, took: Duration) -> Option<f64> {
    let output = (answer.len() / plan::ESTIMATE_BYTES_PER_TOKEN) as u32;
    let predicted = latency.estimate(prompt.system.len() + prompt.user.len(), output);
    (predicted > Duration::ZERO).then(|| took.as_secs_f64() / predicted.as_secs_f64())
}

/// Sends one request, noting how long it took against the prediction.
async fn timed(
    model: &Model,
    client: &reqwest::Client,
    prompt: &Prompt,
    deadline: Instant,
    latency: &Latency,
    trace: &mut Trace,
) -> Result<String, Failure> {
    let begun = Instant::now();
    let result = model.complete(client, prompt, deadline).await;
    if let Ok(answer) = &result {
        trace.ratios.extend(ratio(latency, prompt, answer, begun.elapsed()));
    }
    result
}

/// One network model's work: its plan carried out, then its answer read. A "too long"
/// answer to a single request shrinks once to per-file summaries at half the context.
async fn ask_network<J: Job>(
    model: &Arc<Model>,
    client: &reqwest::Client,
    shared: &Shared<J>,
    deadline: Instant,
    trace: &mut Trace,
) -> Result<J::Output, ModelError> {
    let changes = &shared.sendable.changes;
    let job = &shared.job;
    let mut capacity = capacity_of(&model.settings, shared.speeds.as_ref());
    let preface = &shared.sendable.preface;
    let shape = Shape {
        preface,
        answer_tokens: job.expected_answer_tokens(),
        every_file: job.summarize_every_file(),
    };
    let known = cached_summaries(model, changes, shared.cache.as_ref());
    let remaining = deadline.saturating_duration_since(Instant::now());
    let first = plan::plan(changes, known.clone(), &capacity, &shape, remaining, false);
    trace.details.push(format!("plan: {}", first.describe()));
    let map = match first {
        Plan::Single { input, .. } => {
            let prompt = final_prompt(shared, input);
            match timed(model, client, &prompt, deadline, &capacity.latency, trace).await {
                Err(Failure::TooLong { .. }) => {
                    capacity.context_tokens /= 2;
                    let remaining = deadline.saturating_duration_since(Instant::now());
                    let smaller = plan::plan(changes, known, &capacity, &shape, remaining, true);
                    trace.details.push(format!("too long; plan: {}", smaller.describe()));
                    match smaller {
                        Plan::Map(map) => map,
                        Plan::Single { .. } => {
                            let failure = Failure::TooLong { detail: String::new() };
                            return Err(error_of(model, &failure));
                        }
                    }
                }
                Ok(text) => return job.parse(&text, &[]).ok_or_else(ModelError::unusable),
                Err(failure) => return Err(error_of(model, &failure)),
            }
        }
        Plan::Map(map) => map,
    };
    if let Some(precomputed) =
        shared.precomputed.get().filter(|precomputed| precomputed.models.contains(model.name()))
    {
        trace
            .details
            .push(format!("per-file summaries written together by {} models", precomputed.writers));
        let input = plan::final_input(changes, &precomputed.files, &shape, &capacity);
        let prompt = final_prompt(shared, input);
        return match timed(model, client, &prompt, deadline, &capacity.latency, trace).await {
            Ok(text) => job.parse(&text, &precomputed.files).ok_or_else(ModelError::unusable),
            Err(failure) => Err(error_of(model, &failure)),
        };
    }
    if !map.left_to_stats.is_empty() {
        trace.notes.push(format!(
            "{} described by their stats only: summarizing them too would not end before the deadline",
            crate::text::count(map.left_to_stats.len(), "file")
        ));
    }
    let summaries =
        summarize_files(model, client, shared, &map, &capacity, &shape, deadline, trace).await?;
    let input = plan::final_input(changes, &summaries, &shape, &capacity);
    let prompt = final_prompt(shared, input);
    match timed(model, client, &prompt, deadline, &capacity.latency, trace).await {
        Ok(text) => job.parse(&text, &summaries).ok_or_else(ModelError::unusable),
        Err(failure) => Err(error_of(model, &failure)),
    }
}

/// What a model's work leaves besides its outcome.
#[derive(Debug, Default)]
struct Trace {
    /// Trouble worth a warning.
    notes: Vec<String>,
    /// How it was asked, for `-v`.
    details: Vec<String>,
    /// Measured time over predicted time, per request.
    ratios: Vec<f64>,
}

/// The final request of a job, with its instructions as redacted once for the run.
pub(crate) fn final_prompt<J: Job>(shared: &Shared<J>, user: String) -> Prompt {
    let job = &shared.job;
    Prompt {
        system: shared.sendable.instructions.clone(),
        user,
        max_output_tokens: job.answer_tokens(),
        temperature: 0.2,
    }
}

/// Cached per-file summaries for `model`, one slot per file of the change.
pub(crate) fn cached_summaries(
    model: &Model,
    changes: &ChangeSet,
    cache: Option<&Cache>,
) -> Vec<Option<String>> {
    changes
        .files
        .iter()
        .map(|file| {
            file.patch.as_ref()?;
            cache?.get(&model.settings, file, PROMPT_VERSION)
        })
        .collect()
}

/// Sends batches at once (the model's semaphore bounds how many are in flight) and reads
/// their answers into `unit_summaries`. Returns the failures, and the units that answers
/// left out.
async fn send_batches(
    model: &Arc<Model>,
    client: &reqwest::Client,
    batches: &[Batch],
    deadline: Instant,
    latency: &Latency,
    unit_summaries: &mut [Option<String>],
    trace: &mut Trace,
) -> (Vec<Failure>, Vec<usize>) {
    let mut requests = JoinSet::new();
    for (position, batch) in batches.iter().enumerate() {
        let model = Arc::clone(model);
        let client = client.clone();
        let prompt = batch.prompt.clone();
        requests.spawn(async move {
            let begun = Instant::now();
            let result = model.complete(&client, &prompt, deadline).await;
            (position, result, begun.elapsed())
        });
    }
    let mut failures = Vec::new();
    let mut left_out = Vec::new();
    while let Some(joined) = requests.join_next().await {
        let Ok((position, result, took)) = joined else { continue };
        let expected = &batches[position].expected;
        match result {
            Ok(text) => {
                trace.ratios.extend(ratio(latency, &batches[position].prompt, &text, took));
                for (unit, summary) in summaries::read(&text, expected) {
                    unit_summaries[unit] = Some(summary);
                }
                left_out.extend(
                    expected
                        .iter()
                        .map(|unit| unit.unit)
                        .filter(|&unit| unit_summaries[unit].is_none()),
                );
            }
            Err(failure) => failures.push(failure),
        }
    }
    left_out.sort_unstable();
    (failures, left_out)
}

/// The per-file step: one wave of batches, the units an answer left out asked for once more
/// when there is time, summaries put back together and complete files cached. Fails only
/// when every request failed; a model whose answers could not be read still goes on to its
/// final request with the stats, and what went missing is a note.
#[allow(clippy::too_many_arguments)]
async fn summarize_files<J: Job>(
    model: &Arc<Model>,
    client: &reqwest::Client,
    shared: &Shared<J>,
    map: &MapPlan,
    capacity: &Capacity,
    shape: &Shape<'_>,
    deadline: Instant,
    trace: &mut Trace,
) -> Result<Vec<Option<String>>, ModelError> {
    let changes = &shared.sendable.changes;
    let latency = capacity.latency;
    let mut unit_summaries: Vec<Option<String>> = vec![None; map.units.len()];
    let (failures, left_out) =
        send_batches(model, client, &map.batches, deadline, &latency, &mut unit_summaries, trace)
            .await;
    if !map.batches.is_empty() && failures.len() == map.batches.len() {
        let failure = &failures[0];
        return Err(ModelError::new(
            kind_of(failure),
            format!("summarizing files failed: {}", model.explain(failure)),
        ));
    }
    let remaining = deadline.saturating_duration_since(Instant::now());
    let again = plan::ask_again(changes, map, &left_out, capacity, shape, remaining);
    if !again.is_empty() {
        let _ = send_batches(model, client, &again, deadline, &latency, &mut unit_summaries, trace)
            .await;
    }
    let asked = map.units.len();
    let answered = unit_summaries.iter().filter(|summary| summary.is_some()).count();
    if answered < asked {
        let reason = failures.first().map_or_else(
            || "the answers left them out".to_string(),
            |failure| model.explain(failure),
        );
        trace.notes.push(format!(
            "{} of {asked} file parts got no summary ({reason}); they are described by their stats",
            asked - answered
        ));
    }
    let summaries = plan::assemble(map, &unit_summaries);
    // One append for all of them: a file open per entry cost a fifth of a second on 300 files.
    if let Some(cache) = &shared.cache {
        let files = &changes.files;
        let fresh: Vec<(&FileChange, String)> = summaries
            .complete
            .iter()
            .filter_map(|&index| Some((&files[index], summaries.files[index].clone()?)))
            .collect();
        if let Err(error) = cache.put_all(&model.settings, PROMPT_VERSION, &fresh) {
            shared.warn_once(format!("cannot write the summary cache: {error}"));
        }
    }
    Ok(summaries.files)
}

/// A failure as the run reports it: its kind, and the model's one-line explanation.
pub(crate) fn error_of(model: &Model, failure: &Failure) -> ModelError {
    ModelError::new(kind_of(failure), model.explain(failure))
}

/// What kind of failure a provider failure is.
fn kind_of(failure: &Failure) -> FailureKind {
    match failure {
        Failure::Unauthorized { .. } => FailureKind::Unauthorized,
        Failure::ModelNotFound { .. } => FailureKind::ModelNotFound,
        Failure::TooLong { .. } => FailureKind::TooLong,
        Failure::RateLimited { .. } | Failure::Quota { .. } => FailureKind::Limited,
        Failure::Server { .. } => FailureKind::Server,
        Failure::Rejected { .. } | Failure::UnsupportedParameter { .. } => FailureKind::Rejected,
        Failure::Timeout => FailureKind::Timeout,
        Failure::Connection(_) => FailureKind::Connection,
        Failure::InvalidResponse(_) | Failure::Empty(_) | Failure::Blocked(_) => {
            FailureKind::BadAnswer
        }
        Failure::MissingKey(_) | Failure::BadEndpoint(_) | Failure::Redirected { .. } => {
            FailureKind::Configuration
        }
    }
}
