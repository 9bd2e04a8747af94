//! From a collected `ChangeSet` to drafts: redact, plan (one request when the change fits a
//! model's budget, else map-reduce: per-file summaries packed into as few parallel requests
//! as the budget allows, then one reduce request), ask every model concurrently under one
//! deadline, and clean the answers. Per-file summaries are cached on disk.

pub mod cache;
pub mod prompt;
pub mod range;
pub mod redact;
pub mod review;

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::config::{CommitStyle, MergeMode, Settings};
use crate::env::Environment;
use crate::error::Error;
use crate::git::{ChangeSet, FileChange};
use crate::llm::{self, clean, failure::Failure, Answer, Message, Model, Prompt, Selection};
use cache::Cache;
pub use review::Review;

/// Bumped whenever a prompt changes, so cached summaries of older prompts are not reused.
pub const PROMPT_VERSION: u32 = 1;
/// Bytes of input per token, a conservative estimate for code and diffs.
const BYTES_PER_TOKEN: usize = 3;
/// Tokens kept free in a model's context for instructions and the answer.
const CONTEXT_RESERVE_TOKENS: usize = 1500;
/// Tokens a commit message may take.
const MESSAGE_TOKENS: u32 = 600;
/// Tokens a review may take.
const REVIEW_TOKENS: u32 = 1200;
/// Tokens a per-file summary may take, per file in a map request.
const SUMMARY_TOKENS_PER_FILE: u32 = 120;

const COMMIT_PROMPT: &str = include_str!("prompts/commit.txt");
const MAP_PROMPT: &str = include_str!("prompts/map.txt");
const SYNTHESIZE_PROMPT: &str = include_str!("prompts/synthesize.txt");

/// A secret found in a file's patch and replaced before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFound {
    /// The file.
    pub path: String,
    /// The line in the new version of the file, when known.
    pub line: Option<usize>,
    /// What kind of secret.
    pub kind: &'static str,
}

/// What a run asks of every model: its final instructions, how its answer is read, and what
/// the built-in model does instead. The change description and the map step are shared.
pub trait Job: Send + Sync + 'static {
    /// What one model produces.
    type Output: Send + 'static;
    /// Instructions of the final request.
    fn instructions(&self) -> String;
    /// Text put before the change description in the final request.
    fn preface(&self) -> String {
        String::new()
    }
    /// Tokens the final answer may take.
    fn answer_tokens(&self) -> u32;
    /// Whether every file is summarized on its own first, even when the whole change would
    /// fit one request (the date-range report shows each file's summary).
    fn summarize_every_file(&self) -> bool {
        false
    }
    /// Reads a model's answer; `file_summaries` holds the per-file summaries when the map
    /// step ran (one per file of the change, `None` where there is none).
    fn parse(&self, answer: &str, file_summaries: &[Option<String>]) -> Option<Self::Output>;
    /// The built-in model's result, from the change as collected.
    fn local(&self, changes: &ChangeSet, secrets: &[SecretFound]) -> Self::Output;
}

/// A commit message in the configured style.
#[derive(Debug, Clone)]
pub struct CommitJob {
    /// Message style.
    pub style: CommitStyle,
    /// Longest subject line.
    pub max_subject: usize,
}

impl Job for CommitJob {
    type Output = Message;

    fn instructions(&self) -> String {
        commit_instructions(COMMIT_PROMPT, self.style, self.max_subject)
    }

    fn answer_tokens(&self) -> u32 {
        MESSAGE_TOKENS
    }

    fn parse(&self, answer: &str, _: &[Option<String>]) -> Option<Message> {
        clean::message(answer, self.max_subject)
    }

    fn local(&self, changes: &ChangeSet, _secrets: &[SecretFound]) -> Message {
        llm::local::summarize(changes, self.style, self.max_subject)
    }
}

/// A review of commits being pushed: summary of intent and risks.
pub struct ReviewJob {
    /// The commits, one line each, shown before the change.
    pub commits: String,
    /// Longest line of the built-in model's summary.
    pub max_subject: usize,
}

impl Job for ReviewJob {
    type Output = Review;

    fn instructions(&self) -> String {
        review::REVIEW_PROMPT.to_string()
    }

    fn preface(&self) -> String {
        format!("Commits being pushed, newest first:\n{}\n", self.commits)
    }

    fn answer_tokens(&self) -> u32 {
        REVIEW_TOKENS
    }

    fn parse(&self, answer: &str, _: &[Option<String>]) -> Option<Review> {
        review::parse(&llm::strip_thinking(answer))
    }

    fn local(&self, changes: &ChangeSet, secrets: &[SecretFound]) -> Review {
        review::local_review(changes, secrets, self.max_subject)
    }
}

/// Everything one run produced.
#[derive(Debug)]
pub struct Drafts<T = Message> {
    /// Which models ran and which were skipped.
    pub selection: Selection,
    /// One answer per selected model, in selection order.
    pub answers: Vec<Answer<T>>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Secrets replaced before anything was sent.
    pub secrets: Vec<SecretFound>,
    /// A cache problem worth one warning (read-only `.git`, full disk).
    pub cache_warning: Option<String>,
}

/// What a run needs besides the change and the job.
pub struct DraftOptions<'a> {
    /// The resolved configuration.
    pub settings: &'a Settings,
    /// The environment (keys, endpoints).
    pub environment: &'a Environment,
    /// `--models`, empty for the defaults.
    pub requested: &'a [String],
    /// Where per-file summaries are cached; `None` disables the cache.
    pub cache: Option<Cache>,
    /// The deadline of the whole run.
    pub timeout: Duration,
    /// Whether to show a live line per model on a terminal.
    pub live: bool,
}

/// Asks every selected model for a commit message for `changes`. Only a configuration error
/// (an unknown `--models` name) fails; each model's trouble is in its `Answer`.
pub fn draft_commit(changes: &ChangeSet, options: DraftOptions<'_>) -> Result<Drafts, Error> {
    let settings = options.settings;
    let job = CommitJob { style: settings.commit.style, max_subject: settings.commit.max_subject };
    let synthesize_drafts = settings.commit.merge == MergeMode::Synthesize;
    let (environment, timeout) = (options.environment, options.timeout);
    let mut drafts = run(changes, options, job.clone())?;
    if synthesize_drafts {
        let sendable = if settings.redact { redact_changes(changes).0 } else { changes.clone() };
        synthesize(&drafts.selection, environment, &sendable, &job, &mut drafts.answers, timeout)?;
    }
    Ok(drafts)
}

/// Asks every selected model to review the push whose combined change is `changes`.
pub fn review_push(
    changes: &ChangeSet,
    commits: String,
    options: DraftOptions<'_>,
) -> Result<Drafts<Review>, Error> {
    let job = ReviewJob { commits, max_subject: options.settings.commit.max_subject };
    run(changes, options, job)
}

/// Asks every selected model to summarize a period: each file, then an overview.
pub fn summarize_range(
    changes: &ChangeSet,
    commits: String,
    options: DraftOptions<'_>,
) -> Result<Drafts<range::RangeSummary>, Error> {
    run(changes, options, range::ReportJob { commits })
}

/// Selects the models and runs `job` on each, concurrently, under one deadline.
fn run<J: Job>(
    changes: &ChangeSet,
    options: DraftOptions<'_>,
    job: J,
) -> Result<Drafts<J::Output>, Error> {
    let started = std::time::Instant::now();
    let settings = options.settings;
    let selection = llm::select(settings, options.requested, options.environment, &|model| {
        llm::provider::ollama_serves(model, options.environment)
    })?;
    let (sendable, secrets) =
        if settings.redact { redact_changes(changes) } else { (changes.clone(), Vec::new()) };

    // The built-in model needs no runtime and no TLS: keep that path instant.
    if selection.models.iter().all(|model| model.provider.is_offline()) {
        let answers = selection
            .models
            .iter()
            .map(|model| {
                let begun = std::time::Instant::now();
                let output = job.local(changes, &secrets);
                Answer { model: model.name.clone(), duration: begun.elapsed(), outcome: Ok(output) }
            })
            .collect();
        return Ok(Drafts {
            selection,
            answers,
            elapsed: started.elapsed(),
            secrets,
            cache_warning: None,
        });
    }

    let models: Vec<Arc<Model>> = selection
        .models
        .iter()
        .map(|model| Arc::new(Model::new(model.clone(), options.environment)))
        .collect();
    let context = Arc::new(RunContext {
        original: changes.clone(),
        sendable,
        secrets: secrets.clone(),
        job,
        cache: options.cache,
        cache_failed: std::sync::Mutex::new(None),
    });
    let answers = llm::block_on(async {
        let deadline = Instant::now() + options.timeout;
        let client = match llm::http::client() {
            Ok(client) => client,
            Err(failure) => {
                return models
                    .iter()
                    .map(|model| Answer {
                        model: model.name().clone(),
                        duration: Duration::ZERO,
                        outcome: Err(model.explain(&failure)),
                    })
                    .collect();
            }
        };
        let names: Vec<String> = models.iter().map(|model| model.name().to_string()).collect();
        let live =
            if options.live { crate::ui::LiveStatus::start(&names).map(Arc::new) } else { None };
        let spinner = live.clone().map(|live| {
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(Duration::from_millis(100));
                loop {
                    interval.tick().await;
                    live.tick();
                }
            })
        });
        let answers = ask_all(&models, &client, &context, deadline, live.clone()).await;
        if let Some(spinner) = spinner {
            spinner.abort();
        }
        if let Some(live) = &live {
            live.finish();
        }
        answers
    })?;
    let cache_warning = context.cache_failed.lock().ok().and_then(|mut warning| warning.take());
    Ok(Drafts { selection, answers, elapsed: started.elapsed(), secrets, cache_warning })
}

/// What every model task shares.
struct RunContext<J> {
    /// The change as collected (for the built-in model, which never sends anything).
    original: ChangeSet,
    /// The change with secrets replaced: the only text that goes out.
    sendable: ChangeSet,
    /// What redaction found.
    secrets: Vec<SecretFound>,
    job: J,
    cache: Option<Cache>,
    cache_failed: std::sync::Mutex<Option<String>>,
}

/// Every model concurrently; answers back in selection order. A model still working at the
/// deadline is cancelled and reported as such.
async fn ask_all<J: Job>(
    models: &[Arc<Model>],
    client: &reqwest::Client,
    context: &Arc<RunContext<J>>,
    deadline: Instant,
    live: Option<Arc<crate::ui::LiveStatus>>,
) -> Vec<Answer<J::Output>> {
    let mut tasks = JoinSet::new();
    for (index, model) in models.iter().enumerate() {
        let model = Arc::clone(model);
        let client = client.clone();
        let context = Arc::clone(context);
        let live = live.clone();
        tasks.spawn(async move {
            let begun = Instant::now();
            let outcome = match tokio::time::timeout_at(
                deadline,
                ask_one(&model, &client, &context, deadline),
            )
            .await
            {
                Ok(outcome) => outcome,
                Err(_) => Err(model.explain(&Failure::Timeout)),
            };
            if let Some(live) = &live {
                let shown = outcome.as_ref().map(|_| begun.elapsed()).map_err(String::as_str);
                live.update(index, model.name().as_str(), shown);
            }
            (index, Answer { model: model.name().clone(), duration: begun.elapsed(), outcome })
        });
    }
    let mut answers: Vec<Option<Answer<J::Output>>> = models.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, answer)) = joined {
            answers[index] = Some(answer);
        }
    }
    answers
        .into_iter()
        .zip(models)
        .map(|(answer, model)| {
            answer.unwrap_or_else(|| Answer {
                model: model.name().clone(),
                duration: Duration::ZERO,
                outcome: Err("internal error: the task stopped".to_string()),
            })
        })
        .collect()
}

/// One model's answer: one request when the change fits its budget, else map-reduce; a
/// "too long" answer to the single request shrinks once to map-reduce at half the budget.
async fn ask_one<J: Job>(
    model: &Arc<Model>,
    client: &reqwest::Client,
    context: &RunContext<J>,
    deadline: Instant,
) -> Result<J::Output, String> {
    if model.settings.provider.is_offline() {
        return Ok(context.job.local(&context.original, &context.secrets));
    }
    let budget = input_budget(model);
    let preface = context.job.preface();
    // A change whose patches alone exceed the budget goes to map-reduce without rendering it
    // whole first: with several models that render was repeated for nothing.
    let patch_bytes: usize =
        context.sendable.sent().filter_map(|file| file.patch.as_ref()).map(String::len).sum();
    let full = if patch_bytes <= budget {
        format!("{preface}{}", prompt::render_changes(&context.sendable))
    } else {
        String::new()
    };
    let system = context.job.instructions();
    let ask = |user: String| Prompt {
        system: system.clone(),
        user,
        max_output_tokens: context.job.answer_tokens(),
        temperature: 0.2,
    };
    if context.job.summarize_every_file() {
        let summaries = map_summaries(model, client, context, budget, deadline).await?;
        let user = format!("{preface}{}", prompt::render_summaries(&context.sendable, &summaries));
        let text = model
            .complete(client, &ask(user), deadline)
            .await
            .map_err(|failure| model.explain(&failure))?;
        return context
            .job
            .parse(&text, &summaries)
            .ok_or_else(|| "the answer held nothing usable".to_string());
    }
    let answer = if !full.is_empty() && full.len() <= budget {
        match model.complete(client, &ask(full), deadline).await {
            Err(Failure::TooLong { .. }) => {
                let user = map_reduce_input(model, client, context, budget / 2, deadline).await?;
                model.complete(client, &ask(format!("{preface}{user}")), deadline).await
            }
            other => other,
        }
    } else {
        let user = map_reduce_input(model, client, context, budget, deadline).await?;
        model.complete(client, &ask(format!("{preface}{user}")), deadline).await
    };
    let text = answer.map_err(|failure| model.explain(&failure))?;
    context.job.parse(&text, &[]).ok_or_else(|| "the answer held nothing usable".to_string())
}

/// Bytes of change description one request to this model may carry.
fn input_budget(model: &Model) -> usize {
    model.settings.context_tokens.saturating_sub(CONTEXT_RESERVE_TOKENS).max(1000) * BYTES_PER_TOKEN
}

/// Instructions with the style rule and subject length filled in.
fn commit_instructions(template: &str, style: CommitStyle, max_subject: usize) -> String {
    let rule = match style {
        CommitStyle::Conventional => {
            "`type(scope): summary`, where type is one of feat, fix, docs, style, refactor, perf, \
             test, build, ci, chore, revert, and scope (optional) names the component changed."
        }
        CommitStyle::Plain => "a capitalised one-line summary.",
        CommitStyle::Gitmoji => {
            "one gitmoji (✨ feature, 🐛 fix, 📝 docs, ♻️ refactor, ✅ tests, 🔧 configuration, \
             ⬆️ dependencies, 🔥 removal, 🎨 style, 🚚 move or rename), a space, then the summary."
        }
    };
    template.replace("{style_rule}", rule).replace("{max_subject}", &max_subject.to_string())
}

/// A piece of a file sent in a map request: the whole patch, or one run of hunks of a patch
/// larger than the budget.
struct Unit {
    file: usize,
    part: usize,
    parts: usize,
    text: String,
}

/// The map step: per-file summaries from the cache or from as few parallel requests as the
/// budget allows, rendered as the reduce request's input.
async fn map_reduce_input<J: Job>(
    model: &Arc<Model>,
    client: &reqwest::Client,
    context: &RunContext<J>,
    budget: usize,
    deadline: Instant,
) -> Result<String, String> {
    let summaries = map_summaries(model, client, context, budget, deadline).await?;
    Ok(prompt::render_summaries(&context.sendable, &summaries))
}

/// One summary per sendable file (in file order; `None` for files not sent or not
/// summarized), from the cache or from as few parallel requests as the budget allows.
async fn map_summaries<J: Job>(
    model: &Arc<Model>,
    client: &reqwest::Client,
    context: &RunContext<J>,
    budget: usize,
    deadline: Instant,
) -> Result<Vec<Option<String>>, String> {
    let files = &context.sendable.files;
    let mut summaries: Vec<Option<String>> = vec![None; files.len()];
    let mut units = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let Some(patch) = &file.patch else { continue };
        if let Some(cached) = context
            .cache
            .as_ref()
            .and_then(|cache| cache.get(&model.settings, file, PROMPT_VERSION))
        {
            summaries[index] = Some(cached);
            continue;
        }
        let pieces = split_patch(patch, budget.saturating_sub(200).max(500));
        let parts = pieces.len();
        units.extend(pieces.into_iter().enumerate().map(|(part, text)| Unit {
            file: index,
            part,
            parts,
            text,
        }));
    }

    let batches = pack(&units, budget);
    let mut requests = JoinSet::new();
    let system = MAP_PROMPT.to_string();
    for batch in batches {
        let mut user = String::new();
        let mut expected = Vec::new();
        for &unit_index in &batch {
            let unit = &units[unit_index];
            let file = &files[unit.file];
            let label = unit_label(file, unit);
            user.push_str(&format!("### {label}\n{}\n", unit.text));
            expected.push((unit_index, label));
        }
        let prompt = Prompt {
            system: system.clone(),
            user,
            max_output_tokens: (SUMMARY_TOKENS_PER_FILE * expected.len() as u32).clamp(256, 8192),
            temperature: 0.2,
        };
        // The model's semaphore bounds how many of these are in flight at once.
        let model = Arc::clone(model);
        let client = client.clone();
        requests.spawn(async move { (expected, model.complete(&client, &prompt, deadline).await) });
    }
    let mut failures = Vec::new();
    let mut unit_summaries: Vec<Option<String>> = vec![None; units.len()];
    while let Some(joined) = requests.join_next().await {
        let Ok((expected, result)) = joined else { continue };
        match result {
            Ok(text) => {
                let parsed = parse_map_answer(&text, &expected);
                for (unit_index, summary) in parsed {
                    unit_summaries[unit_index] = Some(summary);
                }
            }
            Err(failure) => failures.push(failure),
        }
    }
    if !units.is_empty() && unit_summaries.iter().all(Option::is_none) {
        let reason = failures
            .first()
            .map_or_else(|| "no per-file summaries".to_string(), |failure| model.explain(failure));
        return Err(format!("summarizing files failed: {reason}"));
    }
    // Whole-file summaries from their parts, cached when every part came back.
    // Units are in file order, so one pass groups them (a scan per file was quadratic).
    let mut by_file: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (unit, summary) in units.iter().zip(unit_summaries) {
        match by_file.last_mut() {
            Some((file, parts, texts)) if *file == unit.file => {
                *parts += 1;
                texts.extend(summary);
            }
            _ => by_file.push((unit.file, 1, summary.into_iter().collect())),
        }
    }
    let mut fresh: Vec<(&FileChange, String)> = Vec::new();
    for (index, parts, texts) in by_file {
        if texts.is_empty() {
            continue;
        }
        let file = &files[index];
        let complete = texts.len() == parts;
        let summary = texts.join(" ");
        if complete {
            fresh.push((file, summary.clone()));
        }
        summaries[index] = Some(summary);
    }
    // One append for all of them: a file open per entry cost a fifth of a second on 300 files.
    if let Some(cache) = &context.cache {
        if let Err(error) = cache.put_all(&model.settings, PROMPT_VERSION, &fresh) {
            if let Ok(mut warning) = context.cache_failed.lock() {
                warning.get_or_insert_with(|| format!("cannot write the summary cache: {error}"));
            }
        }
    }
    Ok(summaries)
}

/// `path` or `path (part 2 of 3)`: how a unit is named in a map request and its answer.
fn unit_label(file: &FileChange, unit: &Unit) -> String {
    if unit.parts > 1 {
        format!("{} (part {} of {})", file.path, unit.part + 1, unit.parts)
    } else {
        file.path.clone()
    }
}

/// Splits a patch into pieces of at most `limit` bytes, at hunk boundaries where possible and
/// at line breaks inside a hunk larger than the limit.
fn split_patch(patch: &str, limit: usize) -> Vec<String> {
    if patch.len() <= limit {
        return vec![patch.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in patch.split_inclusive('\n') {
        let starts_hunk = line.starts_with("@@");
        if !current.is_empty()
            && (current.len() + line.len() > limit || (starts_hunk && current.len() > limit / 2))
        {
            pieces.push(std::mem::take(&mut current));
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Packs units, in order, into batches of at most `budget` bytes (a unit is never split).
fn pack(units: &[Unit], budget: usize) -> Vec<Vec<usize>> {
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for (index, unit) in units.iter().enumerate() {
        let cost = unit.text.len() + 120;
        match batches.last_mut() {
            Some(batch) if size + cost <= budget => {
                batch.push(index);
                size += cost;
            }
            _ => {
                batches.push(vec![index]);
                size = cost;
            }
        }
    }
    batches
}

/// Reads `### label` sections of a map answer, matched to the labels that were asked for.
fn parse_map_answer(text: &str, expected: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<usize> = None;
    let mut buffer = String::new();
    let flush = |current: Option<usize>, buffer: &mut String, found: &mut Vec<(usize, String)>| {
        if let Some(unit) = current {
            let summary = buffer.split_whitespace().collect::<Vec<_>>().join(" ");
            if !summary.is_empty() {
                found.push((unit, summary));
            }
        }
        buffer.clear();
    };
    for line in text.lines() {
        if let Some(header) = line.trim().strip_prefix("###") {
            flush(current, &mut buffer, &mut found);
            let header = header.trim().trim_matches('`').trim_matches('*').trim();
            current = expected
                .iter()
                .find(|(_, label)| label == header || header.starts_with(label.as_str()))
                .map(|(unit, _)| *unit);
        } else {
            buffer.push_str(line);
            buffer.push('\n');
        }
    }
    flush(current, &mut buffer, &mut found);
    found
}

/// `merge: synthesize`: one more request asks the first network model that answered to merge
/// every draft into one. When it fails, the drafts stay as they are.
fn synthesize(
    selection: &Selection,
    environment: &Environment,
    sendable: &ChangeSet,
    job: &CommitJob,
    answers: &mut [Answer],
    timeout: Duration,
) -> Result<(), Error> {
    let drafts: Vec<(usize, String)> = answers
        .iter()
        .enumerate()
        .filter_map(|(index, answer)| {
            answer.outcome.as_ref().ok().map(|message| (index, message.to_text()))
        })
        .collect();
    if drafts.len() < 2 {
        return Ok(());
    }
    let Some((primary, settings)) = drafts
        .iter()
        .map(|(index, _)| (*index, &selection.models[*index]))
        .find(|(_, model)| !model.provider.is_offline())
    else {
        return Ok(());
    };
    let model = Model::new(settings.clone(), environment);
    let mut user =
        format!("Change description:\n\n{}\n\nDrafts:\n", prompt::render_changes(sendable));
    for (index, text) in &drafts {
        user.push_str(&format!("\n--- draft by {} ---\n{text}", answers[*index].model));
    }
    let prompt = Prompt {
        system: commit_instructions(SYNTHESIZE_PROMPT, job.style, job.max_subject),
        user,
        max_output_tokens: MESSAGE_TOKENS,
        temperature: 0.2,
    };
    let begun = Instant::now();
    let merged = llm::block_on(async {
        let client = llm::http::client().ok()?;
        model.complete(&client, &prompt, Instant::now() + timeout).await.ok()
    })?;
    if let Some(message) = merged.and_then(|text| clean::message(&text, job.max_subject)) {
        answers[primary].outcome = Ok(message);
        answers[primary].duration += begun.elapsed();
    }
    Ok(())
}

/// Replaces known secret formats in every sendable patch, and says where they were.
pub fn redact_changes(changes: &ChangeSet) -> (ChangeSet, Vec<SecretFound>) {
    let mut sendable = changes.clone();
    let mut found = Vec::new();
    for file in &mut sendable.files {
        let Some(patch) = &file.patch else { continue };
        let redacted = redact::redact_file(&file.path, patch);
        if redacted.findings.is_empty() {
            continue;
        }
        for finding in &redacted.findings {
            found.push(SecretFound {
                path: file.path.clone(),
                line: new_file_line(patch, finding.line),
                kind: finding.kind.label(),
            });
        }
        file.patch = Some(redacted.text);
    }
    (sendable, found)
}

/// The line number in the new file of the patch's `patch_line`-th line (1-based), from the
/// hunk headers; `None` for a removed line or a header.
fn new_file_line(patch: &str, patch_line: usize) -> Option<usize> {
    let mut new_line = 0usize;
    for (index, line) in patch.lines().enumerate() {
        if let Some(header) = line.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@
            let start = header.split_whitespace().find_map(|part| part.strip_prefix('+'))?;
            new_line = start.split(',').next()?.parse().ok()?;
            if index + 1 == patch_line {
                return None;
            }
            continue;
        }
        let is_target = index + 1 == patch_line;
        match line.chars().next() {
            Some('-') => {
                if is_target {
                    return None;
                }
            }
            Some('\\') => {}
            _ => {
                if is_target {
                    return Some(new_line);
                }
                new_line += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
