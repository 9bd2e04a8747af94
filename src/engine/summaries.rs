//! Reading a per-file summary answer the way models really write it. Asked for one
//! `[F3] summary` line per file, they also answer with headings of any level, bold or
//! backticked paths, numbered items, the path echoed after the label, the file name without
//! its folder, or a fenced block. Every summary that can be tied to a file is kept; what
//! cannot be tied to one is left out, never guessed.

use super::plan::Expected;
use crate::llm::strip_thinking;

/// The summaries an answer gives, as `(unit, summary)` in the order they appear.
pub(crate) fn read(answer: &str, expected: &[Expected]) -> Vec<(usize, String)> {
    let text = crate::text::sanitize(&strip_thinking(answer));
    let mut items: Vec<(usize, Vec<String>)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut unattributed = Vec::new();
    let mut taken: Vec<usize> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            continue;
        }
        let found = reference(trimmed, expected, &taken);
        if found == Reference::Unknown {
            // A label nobody asked for: what follows belongs to no file asked about.
            current = None;
            continue;
        }
        if let Reference::Known(position, rest) = found {
            if !taken.contains(&position) {
                taken.push(position);
            }
            let index = match items.iter().position(|(known, _)| *known == position) {
                Some(index) => index,
                None => {
                    items.push((position, Vec::new()));
                    items.len() - 1
                }
            };
            if !rest.is_empty() {
                items[index].1.push(rest);
            }
            current = Some(index);
        } else if !trimmed.is_empty() {
            match current {
                Some(index) => items[index].1.push(trimmed.to_string()),
                None => unattributed.push(trimmed.to_string()),
            }
        }
    }
    // One file asked about and an answer naming none: the whole answer is about it.
    if items.is_empty() && expected.len() == 1 && !unattributed.is_empty() {
        items.push((0, unattributed));
    }
    items
        .into_iter()
        .filter_map(|(position, texts)| {
            let summary = texts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
            (!summary.is_empty()).then(|| (expected[position].unit, summary))
        })
        .collect()
}

/// What a line starts by naming.
#[derive(Debug, PartialEq, Eq)]
enum Reference {
    /// An expected unit (by position), and the rest of the line.
    Known(usize, String),
    /// A label that was not asked for.
    Unknown,
    /// Nothing: the line continues the current summary.
    None,
}

/// Which expected unit a line starts by naming, and the rest of the line. `taken` holds the
/// units already named, so that a path shared by the parts of one file names the next part.
fn reference(line: &str, expected: &[Expected], taken: &[usize]) -> Reference {
    let stripped = strip_decoration(line);
    match by_label(stripped, expected) {
        Some(Some((position, rest))) => {
            return Reference::Known(position, after_reference(rest, &expected[position].path))
        }
        Some(None) => return Reference::Unknown,
        None => {}
    }
    match by_path(stripped, expected, taken) {
        Some((position, rest)) => {
            Reference::Known(position, after_reference(rest, &expected[position].path))
        }
        None => Reference::None,
    }
}

/// Removes what precedes a reference: indentation, list markers, numbering, heading and
/// quote marks, emphasis, backticks and brackets.
fn strip_decoration(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        let before = rest;
        rest = rest.trim_start_matches(['#', '>', '*', '_', '`', '[', '(', '•', '+']).trim_start();
        if let Some(stripped) = rest.strip_prefix("- ") {
            rest = stripped.trim_start();
        }
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && digits < 4 {
            let after = &rest[digits..];
            if let Some(stripped) = after.strip_prefix(". ").or_else(|| after.strip_prefix(") ")) {
                rest = stripped.trim_start();
            }
        }
        if rest == before {
            return rest;
        }
    }
}

/// `F3` or `f3` at the start, as a whole word: `Some(None)` when no unit has that label.
#[allow(clippy::option_option)]
fn by_label<'a>(text: &'a str, expected: &[Expected]) -> Option<Option<(usize, &'a str)>> {
    let first = text.chars().next()?;
    if first != 'F' && first != 'f' {
        return None;
    }
    let digits = text[1..].chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let end = 1 + digits;
    if text[end..].chars().next().is_some_and(|next| next.is_alphanumeric() || next == '.') {
        return None;
    }
    let label = format!("F{}", &text[1..end]);
    Some(
        expected
            .iter()
            .position(|unit| unit.label == label)
            .map(|position| (position, &text[end..])),
    )
}

/// The path (longest first), or its file name when no other expected file has that name.
fn by_path<'a>(text: &'a str, expected: &[Expected], taken: &[usize]) -> Option<(usize, &'a str)> {
    let starts = |name: &str| {
        text.strip_prefix(name).filter(|rest| {
            rest.chars().next().is_none_or(|next| !(next.is_alphanumeric() || next == '.'))
        })
    };
    // Parts of one file share its path: a mention names the first part not named yet.
    let pick = |matches: Vec<usize>| {
        matches
            .iter()
            .copied()
            .find(|position| !taken.contains(position))
            .or(matches.first().copied())
    };
    let mut by_length: Vec<usize> = (0..expected.len()).collect();
    by_length.sort_by_key(|&position| std::cmp::Reverse(expected[position].path.len()));
    for &position in &by_length {
        if let Some(rest) = starts(&expected[position].path) {
            let same: Vec<usize> = (0..expected.len())
                .filter(|&other| expected[other].path == expected[position].path)
                .collect();
            return pick(same).map(|chosen| (chosen, rest));
        }
    }
    for &position in &by_length {
        let name = file_name(&expected[position].path);
        let Some(rest) = starts(name) else { continue };
        let same: Vec<usize> =
            (0..expected.len()).filter(|&other| file_name(&expected[other].path) == name).collect();
        let one_file = same.iter().all(|&other| expected[other].path == expected[position].path);
        if one_file {
            return pick(same).map(|chosen| (chosen, rest));
        }
    }
    None
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The text after a reference: closing marks, an echoed path and header, separators.
fn after_reference(rest: &str, path: &str) -> String {
    let mut rest = rest.trim_start_matches([']', ')', '*', '_', '`']).trim_start();
    if let Some(stripped) = rest.strip_prefix(path) {
        rest = stripped.trim_start_matches([']', ')', '*', '_', '`']).trim_start();
    }
    // The header's own words, echoed: `(modified, +20 -3)`, `, part 2 of 3`.
    if rest.starts_with('(') {
        if let Some(close) = rest.find(')') {
            let inside = &rest[1..close];
            if inside.contains(['+', '-']) || inside.contains("added") || inside.contains("deleted")
            {
                rest = rest[close + 1..].trim_start();
            }
        }
    }
    if let Some(stripped) = rest.strip_prefix(", part ") {
        rest = stripped
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == 'o' || c == 'f');
    }
    let rest = rest.trim_start_matches([':', '-', '—', '–', '.', '*', '`', ' ']);
    rest.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(paths: &[&str]) -> Vec<Expected> {
        paths
            .iter()
            .enumerate()
            .map(|(index, path)| Expected {
                unit: index,
                label: format!("F{}", index + 1),
                path: (*path).to_string(),
            })
            .collect()
    }

    fn summaries(answer: &str, paths: &[&str]) -> Vec<(usize, String)> {
        read(answer, &expected(paths))
    }

    const PATHS: [&str; 3] = ["src/engine/plan.rs", "src/ui.rs", "README.md"];

    fn assert_three(answer: &str) {
        let read = summaries(answer, &PATHS);
        assert_eq!(
            read,
            vec![
                (0, "Adds the planner.".to_string()),
                (1, "Draws spinners.".to_string()),
                (2, "Documents it.".to_string())
            ],
            "{answer}"
        );
    }

    #[test]
    fn the_asked_format_and_its_usual_variants_are_read() {
        assert_three("[F1] Adds the planner.\n[F2] Draws spinners.\n[F3] Documents it.\n");
        assert_three("F1: Adds the planner.\nF2: Draws spinners.\nF3: Documents it.");
        assert_three(
            "**[F1]** Adds the planner.\n**[F2]** Draws spinners.\n**[F3]** Documents it.",
        );
        assert_three("1. [F1] src/engine/plan.rs: Adds the planner.\n2. [F2] src/ui.rs — Draws spinners.\n3. [F3] README.md (modified, +2 -0): Documents it.");
        assert_three("### [F1] src/engine/plan.rs (modified, +20 -3)\nAdds the planner.\n\n### [F2] src/ui.rs\nDraws spinners.\n### [F3] README.md\nDocuments it.");
    }

    #[test]
    fn paths_in_headings_bold_backticks_lists_and_bare_file_names_are_read() {
        assert_three("## src/engine/plan.rs\nAdds the planner.\n## src/ui.rs\nDraws spinners.\n## README.md\nDocuments it.");
        assert_three("**src/engine/plan.rs**: Adds the planner.\n**src/ui.rs**: Draws spinners.\n**README.md**: Documents it.");
        assert_three("`src/engine/plan.rs` — Adds the planner.\n`src/ui.rs` — Draws spinners.\n`README.md` — Documents it.");
        assert_three("1. src/engine/plan.rs: Adds the planner.\n2. src/ui.rs: Draws spinners.\n3. README.md: Documents it.");
        assert_three(
            "- plan.rs: Adds the planner.\n- ui.rs: Draws spinners.\n- README.md: Documents it.",
        );
        assert_three("```\n[F1] Adds the planner.\n[F2] Draws spinners.\n[F3] Documents it.\n```");
    }

    #[test]
    fn what_cannot_be_tied_to_a_file_is_left_out() {
        assert!(summaries("This change adds a planner and spinners.", &PATHS).is_empty());
        let one = summaries("Adds the planner\nin two lines.", &PATHS[..1]);
        assert_eq!(one, vec![(0, "Adds the planner in two lines.".to_string())]);
        let partial = summaries("[F2] Draws spinners.\n[F9] Not asked.\n", &PATHS);
        assert_eq!(partial, vec![(1, "Draws spinners.".to_string())], "F9 was not asked for");
        assert!(summaries("<think>F1 is...</think>", &PATHS).is_empty());
    }

    #[test]
    fn a_file_name_shared_by_two_files_is_not_a_reference_and_parts_follow_each_other() {
        let read = summaries("- mod.rs: Something.\n", &["src/a/mod.rs", "src/b/mod.rs"]);
        assert!(read.is_empty(), "{read:?}");
        let parts = summaries(
            "src/big.rs: First half.\nsrc/big.rs: Second half.\n",
            &["src/big.rs", "src/big.rs"],
        );
        assert_eq!(parts, vec![(0, "First half.".to_string()), (1, "Second half.".to_string())]);
        let words = summaries("Fixes: nothing\nF1x: no\n", &PATHS);
        assert!(words.is_empty(), "words that merely start with F are not labels: {words:?}");
    }
}
