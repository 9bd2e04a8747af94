//! From a collected `ChangeSet` to drafts: redact, plan (one request when the change fits a
//! model's budget, else map-reduce: per-file summaries packed into as few parallel requests
//! as the budget allows, then one reduce request), ask every model concurrently under one
//! deadline, and clean the answers. Per-file summaries are cached on disk.

pub mod cache;
pub mod prompt;
pub mod redact;

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::config::{CommitStyle, MergeMode, Provider, Settings};
use crate::env::Environment;
use crate::git::{ChangeSet, FileChange};
use crate::llm::{self, clean, failure::Failure, Answer, Message, Model, Prompt, Selection};
use cache::Cache;

/// Bumped whenever a prompt changes, so cached summaries of older prompts are not reused.
pub const PROMPT_VERSION: u32 = 1;
/// Bytes of input per token, a conservative estimate for code and diffs.
const BYTES_PER_TOKEN: usize = 3;
/// Tokens kept free in a model's context for instructions and the answer.
const CONTEXT_RESERVE_TOKENS: usize = 1500;
/// Tokens a commit message may take.
const MESSAGE_TOKENS: u32 = 600;
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

/// Everything one drafting run produced.
#[derive(Debug)]
pub struct Drafts {
    /// Which models ran and which were skipped.
    pub selection: Selection,
    /// One answer per selected model, in selection order.
    pub answers: Vec<Answer>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Secrets replaced before anything was sent.
    pub secrets: Vec<SecretFound>,
    /// A cache problem worth one warning (read-only `.git`, full disk).
    pub cache_warning: Option<String>,
}

/// What a drafting run needs besides the change.
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
pub fn draft_commit(
    changes: &ChangeSet,
    options: DraftOptions<'_>,
) -> Result<Drafts, crate::error::Error> {
    let started = std::time::Instant::now();
    let settings = options.settings;
    let selection = llm::select(settings, options.requested, options.environment, &|model| {
        llm::provider::ollama_serves(model, options.environment)
    })?;
    let style = settings.commit.style;
    let max_subject = settings.commit.max_subject;

    // The built-in model needs no runtime, no TLS and no redaction: keep that path instant.
    if selection.models.iter().all(|model| model.provider == Provider::Local) {
        let answers = selection
            .models
            .iter()
            .map(|model| {
                let begun = std::time::Instant::now();
                let message = llm::local::summarize(changes, style, max_subject);
                Answer {
                    model: model.name.clone(),
                    duration: begun.elapsed(),
                    outcome: Ok(message),
                }
            })
            .collect();
        return Ok(Drafts {
            selection,
            answers,
            elapsed: started.elapsed(),
            secrets: Vec::new(),
            cache_warning: None,
        });
    }

    let (sendable, secrets) =
        if settings.redact { redact_changes(changes) } else { (changes.clone(), Vec::new()) };
    let models: Vec<Arc<Model>> = selection
        .models
        .iter()
        .map(|model| Arc::new(Model::new(model.clone(), options.environment)))
        .collect();
    let context = Arc::new(RunContext {
        original: changes.clone(),
        sendable,
        style,
        max_subject,
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
        let mut answers = ask_all(&models, &client, &context, deadline, live.clone()).await;
        if let Some(live) = &live {
            live.finish();
        }
        if settings.commit.merge == MergeMode::Synthesize {
            synthesize(&models, &client, &context, &mut answers, deadline).await;
        }
        answers
    })?;
    let cache_warning = context.cache_failed.lock().ok().and_then(|mut warning| warning.take());
    Ok(Drafts { selection, answers, elapsed: started.elapsed(), secrets, cache_warning })
}

/// What every model task shares.
struct RunContext {
    /// The change as collected (for the built-in model, which never sends anything).
    original: ChangeSet,
    /// The change with secrets replaced: the only text that goes out.
    sendable: ChangeSet,
    style: CommitStyle,
    max_subject: usize,
    cache: Option<Cache>,
    cache_failed: std::sync::Mutex<Option<String>>,
}

/// Every model concurrently; answers back in selection order. A model still working at the
/// deadline is cancelled and reported as such.
async fn ask_all(
    models: &[Arc<Model>],
    client: &reqwest::Client,
    context: &Arc<RunContext>,
    deadline: Instant,
    live: Option<Arc<crate::ui::LiveStatus>>,
) -> Vec<Answer> {
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
                draft_one(&model, &client, &context, deadline),
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
    let mut answers: Vec<Option<Answer>> = models.iter().map(|_| None).collect();
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

/// One model's draft: one request when the change fits its budget, else map-reduce; a
/// "too long" answer to the single request shrinks once to map-reduce at half the budget.
async fn draft_one(
    model: &Arc<Model>,
    client: &reqwest::Client,
    context: &RunContext,
    deadline: Instant,
) -> Result<Message, String> {
    if model.settings.provider == Provider::Local {
        return Ok(llm::local::summarize(&context.original, context.style, context.max_subject));
    }
    let budget = input_budget(model);
    let full = prompt::render_changes(&context.sendable);
    let system = commit_instructions(COMMIT_PROMPT, context.style, context.max_subject);
    let ask = |user: String| Prompt {
        system: system.clone(),
        user,
        max_output_tokens: MESSAGE_TOKENS,
        temperature: 0.2,
    };
    let answer = if full.len() <= budget {
        match model.complete(client, &ask(full), deadline).await {
            Err(Failure::TooLong { .. }) => {
                let user = map_reduce_input(model, client, context, budget / 2, deadline).await?;
                model.complete(client, &ask(user), deadline).await
            }
            other => other,
        }
    } else {
        let user = map_reduce_input(model, client, context, budget, deadline).await?;
        model.complete(client, &ask(user), deadline).await
    };
    let text = answer.map_err(|failure| model.explain(&failure))?;
    clean::message(&text, context.max_subject)
        .ok_or_else(|| "the answer held no commit message".to_string())
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
async fn map_reduce_input(
    model: &Arc<Model>,
    client: &reqwest::Client,
    context: &RunContext,
    budget: usize,
    deadline: Instant,
) -> Result<String, String> {
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
    for (index, file) in files.iter().enumerate() {
        let parts: Vec<&Unit> = units.iter().filter(|unit| unit.file == index).collect();
        if parts.is_empty() {
            continue;
        }
        let texts: Vec<String> = units
            .iter()
            .enumerate()
            .filter(|(_, unit)| unit.file == index)
            .filter_map(|(unit_index, _)| unit_summaries[unit_index].clone())
            .collect();
        if texts.is_empty() {
            continue;
        }
        let complete = texts.len() == parts.len();
        let summary = texts.join(" ");
        if complete {
            if let Some(cache) = &context.cache {
                if let Err(error) = cache.put(&model.settings, file, PROMPT_VERSION, &summary) {
                    if let Ok(mut warning) = context.cache_failed.lock() {
                        warning.get_or_insert_with(|| {
                            format!("cannot write the summary cache: {error}")
                        });
                    }
                }
            }
        }
        summaries[index] = Some(summary);
    }
    Ok(prompt::render_summaries(&context.sendable, &summaries))
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

/// `merge: synthesize`: one more request asks the first model that answered to merge every
/// draft into one. When it fails, the drafts stay as they are.
async fn synthesize(
    models: &[Arc<Model>],
    client: &reqwest::Client,
    context: &RunContext,
    answers: &mut [Answer],
    deadline: Instant,
) {
    let drafts: Vec<(usize, String)> = answers
        .iter()
        .enumerate()
        .filter_map(|(index, answer)| {
            answer.outcome.as_ref().ok().map(|message| (index, message.to_text()))
        })
        .collect();
    if drafts.len() < 2 {
        return;
    }
    let Some((primary, model)) = drafts
        .iter()
        .map(|(index, _)| (*index, &models[*index]))
        .find(|(_, model)| model.settings.provider != Provider::Local)
    else {
        return;
    };
    let mut user = format!(
        "Change description:\n\n{}\n\nDrafts:\n",
        prompt::render_changes(&context.sendable)
    );
    for (index, text) in &drafts {
        user.push_str(&format!("\n--- draft by {} ---\n{text}", answers[*index].model));
    }
    let prompt = Prompt {
        system: commit_instructions(SYNTHESIZE_PROMPT, context.style, context.max_subject),
        user,
        max_output_tokens: MESSAGE_TOKENS,
        temperature: 0.2,
    };
    let begun = Instant::now();
    if let Ok(text) = model.complete(client, &prompt, deadline).await {
        if let Some(message) = clean::message(&text, context.max_subject) {
            answers[primary].outcome = Ok(message);
            answers[primary].duration += begun.elapsed();
        }
    }
}

/// Replaces known secret formats in every sendable patch, and says where they were.
pub fn redact_changes(changes: &ChangeSet) -> (ChangeSet, Vec<SecretFound>) {
    let mut sendable = changes.clone();
    let mut found = Vec::new();
    for file in &mut sendable.files {
        let Some(patch) = &file.patch else { continue };
        let redacted = redact::redact(patch);
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
