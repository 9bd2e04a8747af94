//! Planning, with no I/O: from the redacted change, a model's budget and the job, the requests
//! to make — one request when the change fits, else per-file summary requests packed into
//! batches, then one final request over the summaries. Plans are plain data, tested without
//! any server; `run` carries them out.

use crate::git::{ChangeSet, FileChange};
use crate::llm::Prompt;

use super::prompt;

/// Bytes of input per token, a conservative estimate for code and diffs.
const BYTES_PER_TOKEN: usize = 3;
/// Tokens kept free in a model's context for instructions and the answer.
const CONTEXT_RESERVE_TOKENS: usize = 1500;
/// Tokens a per-file summary may take, per file in a map request.
const SUMMARY_TOKENS_PER_FILE: u32 = 120;
/// Bytes a unit costs in a batch beyond its patch (its heading and separators).
const UNIT_OVERHEAD_BYTES: usize = 120;

/// The instructions of a per-file summary request.
const MAP_PROMPT: &str = include_str!("prompts/map.txt");

/// Bytes of change description one request to a model with this context may carry.
pub(crate) fn input_budget(context_tokens: usize) -> usize {
    context_tokens.saturating_sub(CONTEXT_RESERVE_TOKENS).max(1000) * BYTES_PER_TOKEN
}

/// What to ask one model.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The whole change in one request: this is its input (preface included).
    Single(String),
    /// Per-file summaries first, then the final request over them.
    Map(MapPlan),
}

/// The per-file step of a plan.
#[derive(Debug, Clone)]
pub(crate) struct MapPlan {
    /// Summaries already known (from the cache), one slot per file of the change.
    pub(crate) known: Vec<Option<String>>,
    /// The pieces of patch still to summarize, in file order.
    pub(crate) units: Vec<Unit>,
    /// The requests that summarize them.
    pub(crate) batches: Vec<Batch>,
}

/// A piece of a file sent in a map request: the whole patch, or one run of hunks of a patch
/// larger than the budget.
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

/// One map request: its prompt, and the label each unit goes by in the answer.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    /// The request.
    pub(crate) prompt: Prompt,
    /// `(unit index, label)` for every unit in the request, in order.
    pub(crate) expected: Vec<(usize, String)>,
}

/// Plans one model's work. `known` holds the cached per-file summaries (one slot per file);
/// `budget` is in bytes (`input_budget`); `preface` comes before the change in the final
/// request; `force_map` asks for per-file summaries even when the change would fit (the
/// report wants them, and a "too long" answer shrinks to them).
pub(crate) fn plan(
    changes: &ChangeSet,
    known: Vec<Option<String>>,
    budget: usize,
    preface: &str,
    force_map: bool,
) -> Plan {
    if !force_map {
        // A change whose patches alone exceed the budget is not rendered whole first: with
        // several models that render was repeated for nothing.
        let patch_bytes: usize =
            changes.sent().filter_map(|file| file.patch.as_ref()).map(String::len).sum();
        if patch_bytes <= budget {
            let full = format!("{preface}{}", prompt::render_changes(changes));
            if full.len() <= budget {
                return Plan::Single(full);
            }
        }
    }
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
    let batches = pack(&units, budget)
        .into_iter()
        .map(|batch| {
            let mut user = String::new();
            let mut expected = Vec::new();
            for unit_index in batch {
                let unit = &units[unit_index];
                let label = unit_label(&changes.files[unit.file], unit);
                user.push_str(&format!("### {label}\n{}\n", unit.text));
                expected.push((unit_index, label));
            }
            let prompt = Prompt {
                system: MAP_PROMPT.to_string(),
                user,
                max_output_tokens: (SUMMARY_TOKENS_PER_FILE * expected.len() as u32)
                    .clamp(256, 8192),
                temperature: 0.2,
            };
            Batch { prompt, expected }
        })
        .collect();
    Plan::Map(MapPlan { known, units, batches })
}

/// What the per-file step produced: one summary per file of the change, and how many units
/// came back with none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summaries {
    /// One summary per file (`None` for files not sent or not summarized).
    pub(crate) files: Vec<Option<String>>,
    /// Files whose every part came back: these may be cached.
    pub(crate) complete: Vec<usize>,
}

/// Puts units' summaries back together per file (parts joined in order), next to the known
/// ones.
pub(crate) fn assemble(plan: &MapPlan, unit_summaries: Vec<Option<String>>) -> Summaries {
    let mut files = plan.known.clone();
    let mut complete = Vec::new();
    // Units are in file order, so one pass groups them (a scan per file was quadratic).
    let mut by_file: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (unit, summary) in plan.units.iter().zip(unit_summaries) {
        match by_file.last_mut() {
            Some((file, parts, texts)) if *file == unit.file => {
                *parts += 1;
                texts.extend(summary);
            }
            _ => by_file.push((unit.file, 1, summary.into_iter().collect())),
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

/// The final request's input after the per-file step.
pub(crate) fn final_input(
    changes: &ChangeSet,
    summaries: &[Option<String>],
    preface: &str,
) -> String {
    format!("{preface}{}", prompt::render_summaries(changes, summaries))
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
        let cost = unit.text.len() + UNIT_OVERHEAD_BYTES;
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
pub(crate) fn parse_map_answer(text: &str, expected: &[(usize, String)]) -> Vec<(usize, String)> {
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

#[cfg(test)]
mod tests;
