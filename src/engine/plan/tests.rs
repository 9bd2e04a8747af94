//! Planning without a server: when one request is enough, how patches are split and packed,
//! how map answers are matched and put back together.

use super::*;
use crate::git::{ChangeSet, FileChange, Source};

fn changes(files: Vec<FileChange>) -> ChangeSet {
    ChangeSet { source: Source::Staged, files }
}

fn hunk(start: usize, bytes: usize) -> String {
    format!("@@ -{start},1 +{start},1 @@\n+{}\n", "z".repeat(bytes))
}

#[test]
fn a_change_that_fits_is_one_request_with_the_preface_first() {
    let change = changes(vec![FileChange::modified("src/a.rs", &hunk(1, 100))]);
    let Plan::Single(input) = plan(&change, vec![None], 10_000, "Commits:\n- x\n", false) else {
        panic!("expected one request");
    };
    assert!(input.starts_with("Commits:\n- x\nStaged changes: 1 file"), "{input}");
    assert!(input.contains("## src/a.rs (modified"), "{input}");
}

#[test]
fn a_change_over_the_budget_is_summarized_per_file_in_packed_batches() {
    let files: Vec<FileChange> = (0..4)
        .map(|index| FileChange::modified(&format!("src/f{index}.rs"), &hunk(1, 400)))
        .collect();
    let change = changes(files);
    let Plan::Map(map) = plan(&change, vec![None; 4], 1100, "", false) else {
        panic!("expected the per-file step");
    };
    assert_eq!(map.units.len(), 4);
    let labels: Vec<Vec<&str>> = map
        .batches
        .iter()
        .map(|batch| batch.expected.iter().map(|(_, label)| label.as_str()).collect())
        .collect();
    assert_eq!(labels, vec![vec!["src/f0.rs", "src/f1.rs"], vec!["src/f2.rs", "src/f3.rs"]]);
    assert!(map.batches[0].prompt.user.starts_with("### src/f0.rs\n@@"));
    assert_eq!(map.batches[0].prompt.max_output_tokens, 256, "at least 256 tokens");
}

#[test]
fn cached_files_are_not_asked_again_and_forcing_the_map_skips_the_single_request() {
    let change = changes(vec![
        FileChange::modified("src/a.rs", &hunk(1, 10)),
        FileChange::modified("src/b.rs", &hunk(1, 10)),
    ]);
    let Plan::Map(map) = plan(&change, vec![Some("Adds a.".into()), None], 10_000, "", true) else {
        panic!("forced");
    };
    assert_eq!(map.units.len(), 1);
    assert_eq!(map.units[0].file, 1);
    let summaries = assemble(&map, vec![Some("Adds b.".into())]);
    assert_eq!(summaries.files, vec![Some("Adds a.".into()), Some("Adds b.".into())]);
    assert_eq!(summaries.complete, vec![1], "only fresh, complete files are cached");
}

#[test]
fn a_file_split_in_parts_is_joined_and_complete_only_when_every_part_came_back() {
    let patch: String = (0..6).map(|index| hunk(index * 10 + 1, 300)).collect();
    let change = changes(vec![FileChange::modified("src/big.rs", &patch)]);
    let Plan::Map(map) = plan(&change, vec![None], 1000, "", false) else { panic!("map") };
    let parts = map.units.len();
    assert!(parts >= 2, "{parts}");
    assert!(map.batches[0].expected[0].1.ends_with(&format!("(part 1 of {parts})")));
    let mut answers: Vec<Option<String>> =
        (0..parts).map(|part| Some(format!("p{part}"))).collect();
    let whole = assemble(&map, answers.clone());
    assert_eq!(whole.complete, vec![0]);
    assert!(whole.files[0].as_deref().is_some_and(|text| text.starts_with("p0 p1")));
    answers[1] = None;
    let partial = assemble(&map, answers);
    assert!(partial.complete.is_empty(), "a file with a missing part is not cached");
    assert!(partial.files[0].is_some(), "what came back is still used");
}

#[test]
fn split_patch_cuts_at_hunks_and_keeps_every_line() {
    let hunk = |start: usize| {
        let mut text = format!("@@ -{start},3 +{start},3 @@\n");
        for line in 0..3 {
            text.push_str(&format!("+{}\n", "z".repeat(40 + line)));
        }
        text
    };
    let patch: String = (0..6).map(|index| hunk(index * 10 + 1)).collect();
    let pieces = split_patch(&patch, 300);
    assert!(pieces.len() >= 2, "{pieces:?}");
    assert!(pieces.iter().all(|piece| piece.len() <= 300));
    assert!(pieces.iter().all(|piece| piece.starts_with("@@")), "pieces start at hunks");
    assert_eq!(pieces.concat(), patch);
    assert_eq!(split_patch("@@ -1 +1 @@\n+x\n", 300), vec!["@@ -1 +1 @@\n+x\n".to_string()]);
}

#[test]
fn pack_fills_batches_in_order_within_the_budget() {
    let unit =
        |file: usize, bytes: usize| Unit { file, part: 0, parts: 1, text: "x".repeat(bytes) };
    let units = vec![unit(0, 400), unit(1, 400), unit(2, 400), unit(3, 1500)];
    let batches = pack(&units, 1100);
    assert_eq!(batches, vec![vec![0, 1], vec![2], vec![3]]);
}

#[test]
fn map_answers_are_matched_to_the_files_asked_for() {
    let expected = vec![(0, "src/a.rs".to_string()), (1, "src/b.rs (part 1 of 2)".to_string())];
    let answer = "Here you go:\n### `src/a.rs`\nAdds a.\n\n### src/b.rs (part 1 of 2)\nChanges b\nin two lines.\n### src/unknown.rs\nignored\n";
    let parsed = parse_map_answer(answer, &expected);
    assert_eq!(
        parsed,
        vec![(0, "Adds a.".to_string()), (1, "Changes b in two lines.".to_string())]
    );
}
