//! The planning pieces of the pipeline: splitting, packing, reading map answers, and mapping
//! patch lines back to file lines.

use super::*;

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

#[test]
fn patch_lines_map_to_new_file_lines() {
    let patch = "@@ -10,3 +20,4 @@ fn x\n context\n-removed\n+added one\n+added two\n context\n";
    assert_eq!(new_file_line(patch, 1), None, "the header");
    assert_eq!(new_file_line(patch, 2), Some(20));
    assert_eq!(new_file_line(patch, 3), None, "a removed line");
    assert_eq!(new_file_line(patch, 4), Some(21));
    assert_eq!(new_file_line(patch, 5), Some(22));
    assert_eq!(new_file_line(patch, 6), Some(23));
}

#[test]
fn instructions_carry_the_style_and_the_subject_length() {
    let conventional = commit_instructions(COMMIT_PROMPT, CommitStyle::Conventional, 60);
    assert!(
        conventional.contains("`type(scope): summary`")
            && conventional.contains("At most 60 characters")
    );
    assert!(!conventional.contains('{'), "every placeholder filled: {conventional}");
    assert!(commit_instructions(COMMIT_PROMPT, CommitStyle::Gitmoji, 72).contains("gitmoji"));
}
