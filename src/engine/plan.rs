//! Planning, with no I/O: from the redacted change, a model's capacity (context, concurrency,
//! speed) and the job, the requests to make. One request when the change fits the model's
//! context; else one wave of per-file summary requests, balanced so that each finishes at
//! about the same time, then one final request over the summaries. A model's time is mostly
//! the tokens it writes, so the plan spreads the summaries over every request slot the model
//! has, labels files with short tags instead of echoed paths, and, when even that cannot end
//! inside the deadline, summarizes the largest changes and describes the rest by their stats.
//! Plans are plain data, tested without any server; `run` carries them out.

use std::time::Duration;

use crate::git::{ChangeSet, Cut, FileChange};
use crate::llm::Prompt;

use super::prompt;

/// Bytes of input per token when checking that a request fits a context: a cautious figure
/// for code and diffs, so no request is refused as too long.
const BUDGET_BYTES_PER_TOKEN: usize = 3;
/// Bytes per token when estimating time: what tokenizers give on code and prose.
pub(crate) const ESTIMATE_BYTES_PER_TOKEN: usize = 4;
/// Tokens kept free in a model's context for instructions and the answer.
const CONTEXT_RESERVE_TOKENS: usize = 1500;
/// Tokens a per-file summary takes in an answer, label included (one or two sentences).
pub(crate) const SUMMARY_TOKENS: u32 = 45;
/// Tokens a per-file summary may take at most.
const SUMMARY_TOKENS_LIMIT: u32 = 120;
/// Bytes a unit costs in a batch beyond its patch (its header line and separators).
const UNIT_OVERHEAD_BYTES: usize = 120;
/// Share of the remaining time a plan may be expected to take: estimates are estimates.
const DEADLINE_SHARE: f64 = 0.8;

/// The instructions of a per-file summary request.
const MAP_PROMPT: &str = include_str!("prompts/map.txt");

/// How fast a model answers: time to the first token, then input and output rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Latency {
    /// Time to the first token of an answer.
    pub(crate) first_token: Duration,
    /// Input tokens read per second.
    pub(crate) input_tokens_per_second: f64,
    /// Output tokens written per second.
    pub(crate) output_tokens_per_second: f64,
}

impl Latency {
    /// The expected time of one request with `input_bytes` of input and an answer of
    /// `output_tokens`.
    pub(crate) fn estimate(&self, input_bytes: usize, output_tokens: u32) -> Duration {
        let input = input_bytes as f64 / ESTIMATE_BYTES_PER_TOKEN as f64;
        let seconds = input / self.input_tokens_per_second.max(1.0)
            + f64::from(output_tokens) / self.output_tokens_per_second.max(0.1);
        self.first_token + Duration::from_secs_f64(seconds.min(86_400.0))
    }
}

/// What planning needs to know about one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Capacity {
    /// Input tokens one request may carry.
    pub(crate) context_tokens: usize,
    /// Requests in flight at once.
    pub(crate) concurrency: usize,
    /// How fast it answers.
    pub(crate) latency: Latency,
}

impl Capacity {
    /// Bytes of change description one request may carry.
    pub(crate) fn input_budget(&self) -> usize {
        self.context_tokens.saturating_sub(CONTEXT_RESERVE_TOKENS).max(1000)
            * BUDGET_BYTES_PER_TOKEN
    }
}

/// What planning needs to know about the job.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape<'a> {
    /// Text before the change in the final request.
    pub(crate) preface: &'a str,
    /// Tokens a typical final answer takes.
    pub(crate) answer_tokens: u32,
    /// Whether every file is summarized on its own even when the change would fit.
    pub(crate) every_file: bool,
}

/// What to ask one model.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The whole change in one request: this is its input (preface included).
    Single {
        /// The input.
        input: String,
        /// Its expected time.
        estimate: Duration,
    },
    /// Per-file summaries first, then the final request over them.
    Map(MapPlan),
}

impl Plan {
    /// The plan in one line, for `-v`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Plan::Single { input, estimate } => format!(
                "one request of {}, about {} expected",
                crate::text::human_bytes(input.len() as u64),
                crate::text::short_duration(*estimate)
            ),
            Plan::Map(map) => {
                let files: usize = map.batches.iter().map(|batch| batch.expected.len()).sum();
                let mut text = format!(
                    "{} of {} each, then a final request, about {} expected",
                    crate::text::count(map.batches.len(), "per-file request"),
                    files.div_ceil(map.batches.len().max(1)),
                    crate::text::short_duration(map.estimate)
                );
                if !map.left_to_stats.is_empty() {
                    text.push_str(&format!("; {} by stats only", map.left_to_stats.len()));
                }
                text
            }
        }
    }
}

/// The per-file step of a plan.
#[derive(Debug, Clone)]
pub(crate) struct MapPlan {
    /// Summaries already known (from the cache), one slot per file of the change.
    pub(crate) known: Vec<Option<String>>,
    /// The pieces of patch to summarize, in file order.
    pub(crate) units: Vec<Unit>,
    /// The requests that summarize them, one wave.
    pub(crate) batches: Vec<Batch>,
    /// Files whose content is sent but that are left to their stats, because summarizing
    /// them too would not end inside the deadline.
    pub(crate) left_to_stats: Vec<usize>,
    /// The expected time of the wave and the final request.
    pub(crate) estimate: Duration,
}

/// A piece of a file sent in a map request: the whole patch, or one run of hunks of a patch
/// larger than one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Index of the file in the change.
    pub(crate) file: usize,
    /// Which part of the file (0-based).
    pub(crate) part: usize,
    /// How many parts the file was split into.
    pub(crate) parts: usize,
    /// The patch text of this part.
    pub(crate) text: String,
}

/// One map request: its prompt, and what each file in it is called.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    /// The request.
    pub(crate) prompt: Prompt,
    /// Every unit in the request, in order.
    pub(crate) expected: Vec<Expected>,
    /// Its expected time.
    pub(crate) estimate: Duration,
}

/// A unit as a map request names it, and the ways an answer may name it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expected {
    /// Index of the unit in the plan.
    pub(crate) unit: usize,
    /// Its short label (`F3`).
    pub(crate) label: String,
    /// The file's path.
    pub(crate) path: String,
}

/// Plans one model's work. `known` holds the cached per-file summaries (one slot per file);
/// `remaining` is the time left before the deadline; `force_map` asks for per-file summaries
/// even when the change would fit one request (a "too long" answer shrinks to them).
pub(crate) fn plan(
    changes: &ChangeSet,
    known: Vec<Option<String>>,
    capacity: &Capacity,
    shape: &Shape<'_>,
    remaining: Duration,
    force_map: bool,
) -> Plan {
    let budget = capacity.input_budget();
    if !force_map && !shape.every_file {
        // A change whose patches alone exceed the budget is not rendered whole first: with
        // several models that render was repeated for nothing.
        let patch_bytes: usize =
            changes.sent().filter_map(|file| file.patch.as_ref()).map(String::len).sum();
        if patch_bytes <= budget {
            let input = format!("{}{}", shape.preface, prompt::render_changes(changes));
            if input.len() <= budget {
                let estimate = capacity.latency.estimate(input.len(), shape.answer_tokens);
                return Plan::Single { input, estimate };
            }
        }
    }
    let units = units_of(changes, &known, budget);
    // Largest changes first: when not everything can be summarized in time, these are the
    // ones worth a summary.
    let mut by_size: Vec<usize> = units.iter().map(|unit| unit.file).collect();
    by_size.dedup();
    by_size.sort_by_key(|&file| std::cmp::Reverse(changes.files[file].changed_lines()));
    let allowed = remaining.mul_f64(DEADLINE_SHARE);
    // The final request without its summaries: file headers, the stats, the files not sent
    // (listed by folder when there are many), as it will really be rendered.
    let skeleton =
        prompt::render_summaries(changes, &vec![None; changes.files.len()], budget).len();
    let plan_for = |kept: usize| {
        let mut chosen = vec![false; changes.files.len()];
        for &file in &by_size[..kept] {
            chosen[file] = true;
        }
        let kept_units: Vec<usize> =
            (0..units.len()).filter(|&unit| chosen[units[unit].file]).collect();
        let batches = balance(&units, &kept_units, capacity, budget);
        let wave = wave_estimate(&units, &batches, capacity);
        let summarized = known.iter().filter(|summary| summary.is_some()).count() + kept;
        let final_input = shape.preface.len()
            + skeleton
            + summarized * SUMMARY_TOKENS as usize * ESTIMATE_BYTES_PER_TOKEN;
        let final_time = capacity.latency.estimate(final_input, shape.answer_tokens);
        (batches, wave + final_time)
    };
    let (mut batches, mut estimate) = plan_for(by_size.len());
    let mut kept = by_size.len();
    if estimate > allowed && kept > 0 {
        // The most files whose wave still ends in time (binary search; time grows with files).
        let (mut low, mut high) = (0usize, kept);
        while low < high {
            let middle = (low + high).div_ceil(2);
            if plan_for(middle).1 <= allowed {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        kept = low;
        (batches, estimate) = plan_for(kept);
    }
    let mut left_to_stats: Vec<usize> = by_size[kept..].to_vec();
    left_to_stats.sort_unstable();
    let batches =
        batches.into_iter().map(|members| batch(changes, &units, &members, capacity)).collect();
    Plan::Map(MapPlan { known, units, batches, left_to_stats, estimate })
}

/// The units of every sendable file without a known summary, split where one patch is
/// larger than a request may carry.
fn units_of(changes: &ChangeSet, known: &[Option<String>], budget: usize) -> Vec<Unit> {
    let mut units = Vec::new();
    for (index, file) in changes.files.iter().enumerate() {
        let Some(patch) = &file.patch else { continue };
        if known.get(index).is_some_and(Option::is_some) {
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
    units
}

/// Spreads `members` (unit indexes) over as many requests as the model takes at once, so
/// that each ends at about the same time (longest-processing-time first), more only when
/// the input would not fit. Each batch lists its units in file order.
fn balance(
    units: &[Unit],
    members: &[usize],
    capacity: &Capacity,
    budget: usize,
) -> Vec<Vec<usize>> {
    if members.is_empty() {
        return Vec::new();
    }
    let input_of = |unit: usize| units[unit].text.len() + UNIT_OVERHEAD_BYTES;
    let total_input: usize = members.iter().map(|&unit| input_of(unit)).sum();
    let needed_for_input = total_input.div_ceil(budget.max(1));
    let count = capacity.concurrency.max(1).max(needed_for_input).min(members.len());
    let cost = |unit: usize| {
        capacity.latency.estimate(input_of(unit), SUMMARY_TOKENS) - capacity.latency.first_token
    };
    let mut order: Vec<usize> = members.to_vec();
    order.sort_by_key(|&unit| std::cmp::Reverse(cost(unit)));
    let mut batches: Vec<(Duration, usize, Vec<usize>)> =
        (0..count).map(|_| (Duration::ZERO, 0, Vec::new())).collect();
    for unit in order {
        let size = input_of(unit);
        let fitting = batches
            .iter_mut()
            .filter(|(_, input, members)| members.is_empty() || input + size <= budget)
            .min_by_key(|(load, _, _)| *load);
        match fitting {
            Some((load, input, members)) => {
                *load += cost(unit);
                *input += size;
                members.push(unit);
            }
            None => batches.push((cost(unit), size, vec![unit])),
        }
    }
    let mut batches: Vec<Vec<usize>> = batches
        .into_iter()
        .map(|(_, _, mut members)| {
            members.sort_unstable();
            members
        })
        .filter(|members| !members.is_empty())
        .collect();
    batches.sort_by_key(|members| members[0]);
    batches
}

/// The expected time of a set of batches run `concurrency` at a time: the slowest of each
/// wave, wave after wave (balanced batches make one wave the usual case).
fn wave_estimate(units: &[Unit], batches: &[Vec<usize>], capacity: &Capacity) -> Duration {
    let mut times: Vec<Duration> = batches
        .iter()
        .map(|members| {
            let input: usize = members
                .iter()
                .map(|&unit| units[unit].text.len() + UNIT_OVERHEAD_BYTES)
                .sum::<usize>()
                + MAP_PROMPT.len();
            capacity.latency.estimate(input, SUMMARY_TOKENS * members.len() as u32)
        })
        .collect();
    times.sort_unstable_by(|left, right| right.cmp(left));
    times.chunks(capacity.concurrency.max(1)).map(|wave| wave[0]).sum()
}

/// One map request over `members`.
fn batch(changes: &ChangeSet, units: &[Unit], members: &[usize], capacity: &Capacity) -> Batch {
    let mut user = String::new();
    let mut expected = Vec::new();
    for (position, &unit_index) in members.iter().enumerate() {
        let unit = &units[unit_index];
        let file = &changes.files[unit.file];
        let label = format!("F{}", position + 1);
        user.push_str(&unit_header(&label, file, unit));
        user.push_str(&unit.text);
        if !unit.text.ends_with('\n') {
            user.push('\n');
        }
        if let Some(cut @ Cut::FileCap { .. }) = &file.cut {
            if unit.part + 1 == unit.parts {
                user.push_str(&format!("[shortened: {cut}]\n"));
            }
        }
        user.push('\n');
        expected.push(Expected { unit: unit_index, label, path: file.path.clone() });
    }
    let output = SUMMARY_TOKENS * expected.len() as u32;
    let estimate = capacity.latency.estimate(user.len() + MAP_PROMPT.len(), output);
    let prompt = Prompt {
        system: MAP_PROMPT.to_string(),
        user,
        max_output_tokens: (SUMMARY_TOKENS_LIMIT * expected.len() as u32).clamp(256, 8192),
        temperature: 0.2,
    };
    Batch { prompt, expected, estimate }
}

/// `### [F3] src/a.rs (modified, +20 -3)`, with `, part 2 of 3` for a piece of a file.
fn unit_header(label: &str, file: &FileChange, unit: &Unit) -> String {
    let part = if unit.parts > 1 {
        format!(", part {} of {}", unit.part + 1, unit.parts)
    } else {
        String::new()
    };
    format!("### [{label}] {}{part}\n", file.header())
}

/// What the per-file step produced: one summary per file of the change, and which files
/// came back whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summaries {
    /// One summary per file (`None` for files not sent or not summarized).
    pub(crate) files: Vec<Option<String>>,
    /// Files whose every part came back in this run: these may be cached.
    pub(crate) complete: Vec<usize>,
}

/// Puts units' summaries back together per file (parts joined in order), next to the known
/// ones.
pub(crate) fn assemble(plan: &MapPlan, unit_summaries: &[Option<String>]) -> Summaries {
    let mut files = plan.known.clone();
    let mut complete = Vec::new();
    // Units are in file order, so one pass groups them (a scan per file was quadratic).
    let mut by_file: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (unit, summary) in plan.units.iter().zip(unit_summaries) {
        match by_file.last_mut() {
            Some((file, parts, texts)) if *file == unit.file => {
                *parts += 1;
                texts.extend(summary.clone());
            }
            _ => by_file.push((unit.file, 1, summary.iter().cloned().collect())),
        }
    }
    for (index, parts, texts) in by_file {
        if texts.is_empty() {
            continue;
        }
        if texts.len() == parts {
            complete.push(index);
        }
        if let Some(slot) = files.get_mut(index) {
            *slot = Some(texts.join(" "));
        }
    }
    Summaries { files, complete }
}

/// The requests that ask again, once, for the units an answer left out, when they and the
/// final request are still expected to end inside `remaining`.
pub(crate) fn ask_again(
    changes: &ChangeSet,
    map: &MapPlan,
    missing: &[usize],
    capacity: &Capacity,
    shape: &Shape<'_>,
    remaining: Duration,
) -> Vec<Batch> {
    if missing.is_empty() {
        return Vec::new();
    }
    let budget = capacity.input_budget();
    let batches: Vec<Batch> = balance(&map.units, missing, capacity, budget)
        .into_iter()
        .map(|members| batch(changes, &map.units, &members, capacity))
        .collect();
    let wave = batches.iter().map(|batch| batch.estimate).max().unwrap_or_default();
    let summarized = map.units.len() + map.known.iter().filter(|known| known.is_some()).count();
    let final_time = capacity.latency.estimate(
        shape.preface.len() + summarized * (UNIT_OVERHEAD_BYTES + SUMMARY_TOKENS as usize * 4),
        shape.answer_tokens,
    );
    if wave + final_time <= remaining.mul_f64(DEADLINE_SHARE) {
        batches
    } else {
        Vec::new()
    }
}

/// The final request's input after the per-file step, shortened to fit the model's budget.
pub(crate) fn final_input(
    changes: &ChangeSet,
    summaries: &[Option<String>],
    shape: &Shape<'_>,
    capacity: &Capacity,
) -> String {
    let budget = capacity.input_budget().saturating_sub(shape.preface.len());
    format!("{}{}", shape.preface, prompt::render_summaries(changes, summaries, budget))
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

#[cfg(test)]
mod tests;
