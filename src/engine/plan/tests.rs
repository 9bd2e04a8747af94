//! Planning without a server: when one request is enough, how the per-file step spreads over
//! a model's request slots, what a deadline leaves out, and how parts come back together.

use super::*;
use crate::git::{ChangeSet, Cut, FileChange, Source};

fn changes(files: Vec<FileChange>) -> ChangeSet {
    ChangeSet { source: Source::Staged, files }
}

fn hunk(start: usize, bytes: usize) -> String {
    format!("@@ -{start},1 +{start},1 @@\n+{}\n", "z".repeat(bytes))
}

fn file(index: usize, bytes: usize) -> FileChange {
    let mut file = FileChange::modified(&format!("src/f{index}.rs"), &hunk(1, bytes));
    file.added_lines = bytes / 40 + 1;
    file
}

const GPT: Capacity = Capacity {
    context_tokens: 64_000,
    concurrency: 16,
    latency: Latency {
        first_token: Duration::from_millis(400),
        input_tokens_per_second: 20_000.0,
        output_tokens_per_second: 80.0,
    },
};

const SHAPE: Shape<'static> = Shape { preface: "", answer_tokens: 100, every_file: false };

fn per_file(plan: Plan) -> MapPlan {
    match plan {
        Plan::Map(map) => map,
        Plan::Single { .. } => panic!("expected the per-file step"),
    }
}

#[test]
fn a_change_that_fits_is_one_request_with_the_preface_first_and_an_estimate() {
    let change = changes(vec![file(0, 100)]);
    let shape = Shape { preface: "Commits:\n- x\n", ..SHAPE };
    let Plan::Single { input, estimate } =
        plan(&change, vec![None], &GPT, &shape, Duration::from_secs(30), false)
    else {
        panic!("expected one request");
    };
    assert!(input.starts_with("Commits:\n- x\nStaged changes: 1 file"), "{input}");
    assert!(input.contains("## src/f0.rs (modified"), "{input}");
    // 0.4 s to the first token and 100 tokens at 80 a second: about 1.65 s.
    assert!(estimate > Duration::from_millis(1600) && estimate < Duration::from_millis(1700));
}

#[test]
fn the_per_file_step_uses_every_request_slot_in_one_balanced_wave() {
    let files: Vec<FileChange> = (0..300).map(|index| file(index, 1200)).collect();
    let change = changes(files);
    let small = Capacity { context_tokens: 32_000, ..GPT };
    let map =
        per_file(plan(&change, vec![None; 300], &small, &SHAPE, Duration::from_secs(30), false));
    assert_eq!(map.batches.len(), 16, "one request per slot");
    let sizes: Vec<usize> = map.batches.iter().map(|batch| batch.expected.len()).collect();
    assert!(sizes.iter().all(|&size| size == 18 || size == 19), "balanced: {sizes:?}");
    assert!(map.left_to_stats.is_empty());
    // 19 summaries of 45 tokens at 80 a second, then the final request: well under 30 s.
    assert!(map.estimate < Duration::from_secs(16), "{:?}", map.estimate);
    let first = &map.batches[0];
    assert!(first.prompt.user.starts_with("### [F1] src/f"), "{}", &first.prompt.user[..80]);
    assert_eq!(first.expected[0].label, "F1");
    assert_eq!(first.prompt.max_output_tokens, 120 * first.expected.len() as u32);
}

#[test]
fn a_deadline_too_short_for_every_summary_keeps_the_largest_changes() {
    let mut files: Vec<FileChange> = (0..400).map(|index| file(index, 600)).collect();
    files[7].added_lines = 5_000;
    let change = changes(files);
    let map = per_file(plan(&change, vec![None; 400], &GPT, &SHAPE, Duration::from_secs(8), true));
    assert!(!map.left_to_stats.is_empty(), "400 summaries cannot be written in 8 s");
    assert!(map.estimate <= Duration::from_secs(8).mul_f64(DEADLINE_SHARE), "{:?}", map.estimate);
    let summarized: Vec<usize> = map
        .batches
        .iter()
        .flat_map(|batch| &batch.expected)
        .map(|expected| map.units[expected.unit].file)
        .collect();
    assert!(summarized.contains(&7), "the largest change is summarized");
    assert_eq!(summarized.len() + map.left_to_stats.len(), 400, "every file is in one list");
    let none =
        per_file(plan(&change, vec![None; 400], &GPT, &SHAPE, Duration::from_millis(100), true));
    assert!(
        none.batches.is_empty() && none.left_to_stats.len() == 400,
        "stats alone, never no plan"
    );
}

#[test]
fn every_request_carrying_a_cut_file_says_so_with_its_header() {
    let mut cut = file(0, 300);
    cut.cut = Some(Cut::FileCap {
        kept_bytes: 310,
        total_bytes: 9000,
        hunks_shown: 4,
        hunks: 4,
        added_shown: 5,
        added: 40,
        removed_shown: 0,
        removed: 20,
        limit: crate::git::CutLimit::File,
    });
    let change = changes(vec![cut, file(1, 300)]);
    let map = per_file(plan(&change, vec![None; 2], &GPT, &SHAPE, Duration::from_secs(30), true));
    let user: String = map.batches.iter().map(|batch| batch.prompt.user.clone()).collect();
    assert!(user.contains("### [F1] src/f0.rs (modified, +8 -0)\n@@"), "{user}");
    assert!(user.contains("[shortened: 310 of 9000 patch bytes shown: 4 of 4 hunks"), "{user}");
}

#[test]
fn cached_files_are_not_asked_again_and_parts_are_joined_in_order() {
    let change = changes(vec![file(0, 10), file(1, 10)]);
    let plan_ = per_file(plan(
        &change,
        vec![Some("Adds a.".into()), None],
        &GPT,
        &SHAPE,
        Duration::from_secs(30),
        true,
    ));
    assert_eq!(plan_.units.len(), 1);
    assert_eq!(plan_.units[0].file, 1);
    let summaries = assemble(&plan_, &[Some("Adds b.".into())]);
    assert_eq!(summaries.files, vec![Some("Adds a.".into()), Some("Adds b.".into())]);
    assert_eq!(summaries.complete, vec![1], "only fresh, complete files are cached");

    let patch: String = (0..6).map(|index| hunk(index * 10 + 1, 800)).collect();
    let big = changes(vec![FileChange::modified("src/big.rs", &patch)]);
    let tiny = Capacity { context_tokens: 1, ..GPT };
    let parts = per_file(plan(&big, vec![None], &tiny, &SHAPE, Duration::from_secs(30), false));
    let count = parts.units.len();
    assert!(count >= 2, "{count}");
    let headers: String = parts.batches.iter().map(|batch| batch.prompt.user.clone()).collect();
    assert!(headers.contains(&format!(", part 1 of {count}\n")), "{headers}");
    let mut answers: Vec<Option<String>> =
        (0..count).map(|part| Some(format!("p{part}"))).collect();
    let whole = assemble(&parts, &answers);
    assert_eq!(whole.complete, vec![0]);
    assert!(whole.files[0].as_deref().is_some_and(|text| text.starts_with("p0 p1")));
    answers[1] = None;
    let partial = assemble(&parts, &answers);
    assert!(partial.complete.is_empty(), "a file with a missing part is not cached");
    assert!(partial.files[0].is_some(), "what came back is still used");
}

#[test]
fn files_left_out_are_asked_again_only_when_there_is_time() {
    let change = changes((0..20).map(|index| file(index, 200)).collect());
    let map = per_file(plan(&change, vec![None; 20], &GPT, &SHAPE, Duration::from_secs(30), true));
    let again = ask_again(&change, &map, &[3, 4], &GPT, &SHAPE, Duration::from_secs(30));
    let asked: Vec<usize> =
        again.iter().flat_map(|batch| &batch.expected).map(|expected| expected.unit).collect();
    assert_eq!(asked, vec![3, 4]);
    assert!(ask_again(&change, &map, &[3, 4], &GPT, &SHAPE, Duration::from_millis(500)).is_empty());
}

#[test]
fn the_final_request_fits_the_budget_whatever_the_number_of_files() {
    let mut files: Vec<FileChange> = (0..3000).map(|index| file(index, 100)).collect();
    for file in files.iter_mut().skip(100) {
        file.patch = None;
        file.cut = Some(Cut::TotalCap { total_bytes: 2000 });
    }
    let change = changes(files);
    let summaries: Vec<Option<String>> = (0..3000)
        .map(|index| (index < 100).then(|| "Adds a helper. Renames a type. ".repeat(4)))
        .collect();
    let small = Capacity { context_tokens: 4_000, ..GPT };
    let input = final_input(&change, &summaries, &SHAPE, &small);
    assert!(input.len() <= small.input_budget(), "{} > {}", input.len(), small.input_budget());
    assert!(
        input.contains("- src/ (2900 files, +"),
        "grouped by folder: {}",
        &input[input.len() - 300..]
    );
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
