//! Per-file summaries written once for several network models (`share_summaries: true`).
//! When more than one model needs the per-file step, they write it together: one plan over
//! the request slots of all of them (at the smallest context, at the slowest speed among
//! them), each batch sent to one model in proportion to its slots, what an answer left out
//! asked once more of another model; each model then writes its own draft from all the
//! summaries. One model's cost for the per-file step instead of one per model, and the step
//! ends sooner since it has more slots.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::config::ModelName;
use crate::git::FileChange;
use crate::llm::Model;

use super::job::Job;
use super::plan::{self, Capacity, Latency, Plan, Shape};
use super::run::{cached_summaries, capacity_of, Shared, PROMPT_VERSION};
use super::summaries;

/// The summaries written together, and for which models.
#[derive(Debug, Clone)]
pub(crate) struct Precomputed {
    /// One summary per file of the change (`None` where there is none).
    pub(crate) files: Vec<Option<String>>,
    /// The models that take them instead of writing their own.
    pub(crate) models: Vec<ModelName>,
    /// How many models wrote them, for `-v`.
    pub(crate) writers: usize,
    /// What went missing, for a warning.
    pub(crate) notes: Vec<String>,
}

/// Writes the per-file summaries together for the `models` whose plan needs them; `None`
/// when fewer than two do (each then does its own work, as without sharing).
pub(crate) async fn summarize_together<J: Job>(
    models: &[Arc<Model>],
    client: &reqwest::Client,
    shared: &Shared<J>,
    deadline: Instant,
) -> Option<Precomputed> {
    let changes = &shared.sendable.changes;
    let shape = Shape {
        preface: &shared.sendable.preface,
        answer_tokens: shared.job.expected_answer_tokens(),
        every_file: shared.job.summarize_every_file(),
    };
    let remaining = deadline.saturating_duration_since(Instant::now());
    let mut writers: Vec<(Arc<Model>, Capacity, Vec<Option<String>>)> = Vec::new();
    for model in models {
        let capacity = capacity_of(&model.settings, shared.speeds.as_ref());
        let known = cached_summaries(model, changes, shared.cache.as_ref());
        if let Plan::Map(_) =
            plan::plan(changes, known.clone(), &capacity, &shape, remaining, false)
        {
            writers.push((Arc::clone(model), capacity, known));
        }
    }
    if writers.len() < 2 {
        return None;
    }
    // A summary any of them has cached is known to all.
    let known: Vec<Option<String>> = (0..changes.files.len())
        .map(|file| writers.iter().find_map(|(_, _, known)| known[file].clone()))
        .collect();
    let combined = Capacity {
        context_tokens: writers.iter().map(|(_, capacity, _)| capacity.context_tokens).min()?,
        concurrency: writers.iter().map(|(_, capacity, _)| capacity.concurrency).sum(),
        latency: slowest(writers.iter().map(|(_, capacity, _)| capacity.latency)),
    };
    let Plan::Map(map) = plan::plan(changes, known, &combined, &shape, remaining, true) else {
        return None;
    };
    let owners = owners(
        &writers.iter().map(|(_, capacity, _)| capacity.concurrency).collect::<Vec<_>>(),
        map.batches.len(),
    );
    let mut unit_summaries: Vec<Option<String>> = vec![None; map.units.len()];
    let mut produced_by: Vec<Option<usize>> = vec![None; map.units.len()];
    let mut requests = JoinSet::new();
    for (position, batch) in map.batches.iter().enumerate() {
        let owner = owners[position];
        let model = Arc::clone(&writers[owner].0);
        let client = client.clone();
        let prompt = batch.prompt.clone();
        requests.spawn(async move {
            (position, owner, model.complete(&client, &prompt, deadline).await)
        });
    }
    let mut missing = Vec::new();
    let mut failed_writers = Vec::new();
    while let Some(joined) = requests.join_next().await {
        let Ok((position, owner, result)) = joined else { continue };
        let expected = &map.batches[position].expected;
        match result {
            Ok(text) => {
                for (unit, summary) in summaries::read(&text, expected) {
                    unit_summaries[unit] = Some(summary);
                    produced_by[unit] = Some(owner);
                }
            }
            Err(_) => failed_writers.push(owner),
        }
        missing.extend(
            expected.iter().map(|unit| unit.unit).filter(|&unit| unit_summaries[unit].is_none()),
        );
    }
    // What is missing is asked once more, of a model whose requests did not fail.
    missing.sort_unstable();
    let remaining = deadline.saturating_duration_since(Instant::now());
    let helper = (0..writers.len()).find(|writer| !failed_writers.contains(writer));
    if let Some(helper) = helper {
        let again = plan::ask_again(changes, &map, &missing, &writers[helper].1, &shape, remaining);
        let mut retries = JoinSet::new();
        for batch in again {
            let model = Arc::clone(&writers[helper].0);
            let client = client.clone();
            retries.spawn(async move {
                let result = model.complete(&client, &batch.prompt, deadline).await;
                (batch.expected, result)
            });
        }
        while let Some(joined) = retries.join_next().await {
            let Ok((expected, Ok(text))) = joined else { continue };
            for (unit, summary) in summaries::read(&text, &expected) {
                unit_summaries[unit] = Some(summary);
                produced_by[unit] = Some(helper);
            }
        }
    }
    let mut notes = Vec::new();
    let answered = unit_summaries.iter().filter(|summary| summary.is_some()).count();
    if answered < map.units.len() {
        notes.push(format!(
            "{} of {} file parts got no shared summary; they are described by their stats",
            map.units.len() - answered,
            map.units.len()
        ));
    }
    let summaries = plan::assemble(&map, &unit_summaries);
    // Each summary is cached under the model that wrote (the first part of) it, in one
    // append per model.
    let mut writer_of: Vec<Option<usize>> = vec![None; changes.files.len()];
    for (unit, by) in map.units.iter().zip(&produced_by) {
        writer_of[unit.file] = writer_of[unit.file].or(*by);
    }
    if let Some(cache) = &shared.cache {
        for (writer, (model, _, _)) in writers.iter().enumerate() {
            let fresh: Vec<(&FileChange, String)> = summaries
                .complete
                .iter()
                .filter(|&&file| writer_of[file] == Some(writer))
                .filter_map(|&file| Some((&changes.files[file], summaries.files[file].clone()?)))
                .collect();
            if let Err(error) = cache.put_all(&model.settings, PROMPT_VERSION, &fresh) {
                shared.warn_once(format!("cannot write the summary cache: {error}"));
            }
        }
    }
    Some(Precomputed {
        files: summaries.files,
        models: writers.iter().map(|(model, _, _)| model.name().clone()).collect(),
        writers: writers.len(),
        notes,
    })
}

/// The slowest of several latencies, figure by figure: a plan made for it ends in time on
/// every model.
fn slowest(latencies: impl Iterator<Item = Latency>) -> Latency {
    latencies
        .reduce(|left, right| Latency {
            first_token: left.first_token.max(right.first_token),
            input_tokens_per_second: left
                .input_tokens_per_second
                .min(right.input_tokens_per_second),
            output_tokens_per_second: left
                .output_tokens_per_second
                .min(right.output_tokens_per_second),
        })
        .unwrap_or(Latency {
            first_token: Duration::ZERO,
            input_tokens_per_second: 1.0,
            output_tokens_per_second: 1.0,
        })
}

/// Which writer sends each of `batches` requests: in proportion to their slots, taking turns
/// so that every writer's share starts at once.
fn owners(slots: &[usize], batches: usize) -> Vec<usize> {
    let mut turns = Vec::new();
    let most = slots.iter().copied().max().unwrap_or(0);
    for round in 0..most {
        for (writer, &count) in slots.iter().enumerate() {
            if round < count {
                turns.push(writer);
            }
        }
    }
    if turns.is_empty() {
        return vec![0; batches];
    }
    (0..batches).map(|batch| turns[batch % turns.len()]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_go_to_writers_in_proportion_to_their_slots() {
        assert_eq!(owners(&[2, 1], 6), vec![0, 1, 0, 0, 1, 0]);
        assert_eq!(owners(&[16, 16], 4), vec![0, 1, 0, 1]);
        let shares = owners(&[16, 8, 8], 32);
        assert_eq!(shares.iter().filter(|&&writer| writer == 0).count(), 16);
        assert_eq!(owners(&[], 2), vec![0, 0]);
    }

    #[test]
    fn the_slowest_latency_is_taken_figure_by_figure() {
        let fast = Latency {
            first_token: Duration::from_millis(200),
            input_tokens_per_second: 50_000.0,
            output_tokens_per_second: 250.0,
        };
        let slow = Latency {
            first_token: Duration::from_millis(800),
            input_tokens_per_second: 15_000.0,
            output_tokens_per_second: 40.0,
        };
        let both = slowest([fast, slow].into_iter());
        assert_eq!(both.first_token, Duration::from_millis(800));
        assert_eq!(both.output_tokens_per_second, 40.0);
    }
}
