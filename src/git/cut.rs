//! Cutting a patch to a byte budget so that what is left still describes the change. Lines
//! are kept by what they tell: every hunk's header first (with the function it is in), then
//! the first changed lines of every hunk, added lines before removed ones, then the rest of
//! the added lines, the rest of the removed lines, and context last. A block of code moved
//! unchanged inside the file becomes one line saying so. Each longer run of changed lines left
//! out is one `\ not shown: 7 added, 3 removed` line, which diff readers (the offline engine
//! among them) skip; left-out context needs none, the hunk header gives the line numbers.

use super::change::{Cut, CutLimit};

/// Changed lines of each hunk shown before any hunk's tail.
const FIRST_CHANGED_LINES: usize = 3;
/// Fewer left-out changed lines than this get no note of their own.
const MIN_NOTED_LINES: usize = 4;
/// A run of removed lines at least this long that reappears unchanged among the added lines
/// is a move.
const MIN_MOVED_LINES: usize = 5;

/// What a line of a patch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    Added,
    Removed,
    Context,
    /// `\ No newline at end of file` and our own notes.
    Note,
}

/// One line of the patch and how much it is worth keeping (lower first).
#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    kind: Kind,
    priority: u8,
    /// Position inside its hunk among lines of its own kind.
    rank: usize,
    /// Part of a block moved unchanged: replaced by one note.
    moved: bool,
}

/// `patch` cut to at most `max_bytes`, and what was cut; `None` when it fits already.
pub(crate) fn cut(patch: &str, max_bytes: usize, limit: CutLimit) -> (String, Option<Cut>) {
    if patch.len() <= max_bytes {
        return (patch.to_string(), None);
    }
    let mut lines = classify(patch);
    mark_moves(&mut lines);
    let hunks = lines.iter().filter(|line| line.kind == Kind::Header).count();
    let added = lines.iter().filter(|line| line.kind == Kind::Added).count();
    let removed = lines.iter().filter(|line| line.kind == Kind::Removed).count();

    // Keep lines in order of priority while the rendered text fits.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&index| (lines[index].priority, lines[index].rank, index));
    let mut keep = vec![false; lines.len()];
    let mut rendered = String::new();
    // Adding lines one by one and rendering each time would be quadratic: add a priority
    // level's lines in steps, and step back by halves when a step overshoots.
    let mut position = 0;
    let mut step = order.len().max(1);
    while position < order.len() && step > 0 {
        let end = (position + step).min(order.len());
        for &index in &order[position..end] {
            keep[index] = true;
        }
        let attempt = render(&lines, &keep);
        if attempt.len() <= max_bytes {
            rendered = attempt;
            position = end;
        } else {
            for &index in &order[position..end] {
                keep[index] = false;
            }
            step /= 2;
        }
    }
    let shown = |kind: Kind| {
        lines
            .iter()
            .zip(&keep)
            .filter(|(line, kept)| **kept && line.kind == kind && !line.moved)
            .count()
    };
    let cut = Cut::FileCap {
        kept_bytes: rendered.len(),
        total_bytes: patch.len(),
        hunks_shown: shown(Kind::Header),
        hunks,
        added_shown: shown(Kind::Added),
        added,
        removed_shown: shown(Kind::Removed),
        removed,
        limit,
    };
    (rendered, Some(cut))
}

/// Each line's kind and priority, hunk by hunk.
fn classify(patch: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let (mut added_rank, mut removed_rank, mut context_rank) = (0, 0, 0);
    for text in patch.split_inclusive('\n') {
        let kind = match text.as_bytes().first() {
            Some(b'@') if text.starts_with("@@") => Kind::Header,
            Some(b'+') => Kind::Added,
            Some(b'-') => Kind::Removed,
            Some(b'\\') => Kind::Note,
            _ => Kind::Context,
        };
        let (priority, rank) = match kind {
            Kind::Header => {
                (added_rank, removed_rank, context_rank) = (0, 0, 0);
                (0, 0)
            }
            Kind::Added | Kind::Removed => {
                let own = if kind == Kind::Added { &mut added_rank } else { &mut removed_rank };
                let rank = *own;
                *own += 1;
                // The first changed lines of every hunk come before any hunk's tail, added
                // lines before removed ones at every level.
                let first = rank < FIRST_CHANGED_LINES;
                match (kind, first) {
                    (Kind::Added, true) => (1, rank),
                    (Kind::Removed, true) => (2, rank),
                    (Kind::Added, false) => (3, rank),
                    _ => (4, rank),
                }
            }
            Kind::Note => (5, 0),
            Kind::Context => {
                let rank = context_rank;
                context_rank += 1;
                (6, rank)
            }
        };
        lines.push(Line { text, kind, priority, rank, moved: false });
    }
    lines
}

/// Marks runs of removed lines that reappear unchanged as a run of added lines (a block moved
/// inside the file): both become one note each, and are kept before other changed lines.
fn mark_moves(lines: &mut [Line<'_>]) {
    let runs = |kind: Kind, lines: &[Line<'_>]| {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (index, line) in lines.iter().enumerate() {
            match (line.kind == kind, start) {
                (true, None) => start = Some(index),
                (false, Some(begun)) => {
                    runs.push((begun, index));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(begun) = start {
            runs.push((begun, lines.len()));
        }
        runs
    };
    let body = |line: &Line<'_>| line.text.get(1..).unwrap_or_default().trim_end().to_string();
    let removed = runs(Kind::Removed, lines);
    let added = runs(Kind::Added, lines);
    for &(from, to) in &removed {
        if to - from < MIN_MOVED_LINES {
            continue;
        }
        let block: Vec<String> = lines[from..to].iter().map(body).collect();
        let found = added.iter().find(|&&(start, end)| {
            end - start == to - from && lines[start..end].iter().map(body).eq(block.iter().cloned())
        });
        if let Some(&(start, end)) = found {
            for line in &mut lines[from..to] {
                line.moved = true;
                line.priority = 1;
            }
            for line in &mut lines[start..end] {
                line.moved = true;
                line.priority = 1;
            }
        }
    }
}

/// The kept lines in patch order, each run of left-out lines as one note line, and each
/// moved block as one note line.
fn render(lines: &[Line<'_>], keep: &[bool]) -> String {
    let mut text = String::new();
    let mut skipped = (0usize, 0usize, 0usize);
    let flush = |text: &mut String, skipped: &mut (usize, usize, usize)| {
        // Left-out context needs no note: the hunk header gives the line numbers. Nor does a
        // line or three: the file's `[shortened: …]` note gives the totals, and at small
        // budgets notes would crowd out the lines themselves.
        let (added, removed, _) = *skipped;
        *skipped = (0, 0, 0);
        if added + removed < MIN_NOTED_LINES {
            return;
        }
        let parts: Vec<String> = [(added, "added"), (removed, "removed")]
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, what)| format!("{count} {what}"))
            .collect();
        if !parts.is_empty() {
            text.push_str(&format!("\\ not shown: {}\n", parts.join(", ")));
        }
    };
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        if line.moved {
            // A moved block: one note for the whole run, whatever is kept of it.
            let end = (index..lines.len())
                .find(|&next| !lines[next].moved || lines[next].kind != line.kind)
                .unwrap_or(lines.len());
            if keep[index] {
                flush(&mut text, &mut skipped);
                let count = end - index;
                let what =
                    if line.kind == Kind::Removed { "moved away from here" } else { "moved here" };
                text.push_str(&format!("\\ {count} lines {what}, unchanged\n"));
            } else {
                for moved in &lines[index..end] {
                    match moved.kind {
                        Kind::Added => skipped.0 += 1,
                        _ => skipped.1 += 1,
                    }
                }
            }
            index = end;
            continue;
        }
        if keep[index] {
            flush(&mut text, &mut skipped);
            text.push_str(line.text);
            if !line.text.ends_with('\n') {
                text.push('\n');
            }
        } else {
            match line.kind {
                Kind::Added => skipped.0 += 1,
                Kind::Removed => skipped.1 += 1,
                Kind::Context => skipped.2 += 1,
                // A left-out hunk header ends the run: the next lines belong to another place.
                Kind::Header | Kind::Note => {}
            }
        }
        index += 1;
    }
    flush(&mut text, &mut skipped);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(start: usize, removed: usize, added: usize) -> String {
        let mut text =
            format!("@@ -{start},{removed} +{start},{added} @@ fn function_{start}() {{\n");
        text.push_str(" context before\n");
        for line in 0..removed {
            text.push_str(&format!("-old line {line} of hunk {start}\n"));
        }
        for line in 0..added {
            text.push_str(&format!("+new line {line} of hunk {start}\n"));
        }
        text.push_str(" context after\n");
        text
    }

    fn facts(cut: Option<Cut>) -> (usize, usize, usize, usize) {
        match cut {
            Some(Cut::FileCap { hunks_shown, hunks, added_shown, removed_shown, .. }) => {
                (hunks_shown, hunks, added_shown, removed_shown)
            }
            other => panic!("expected a cut, got {other:?}"),
        }
    }

    #[test]
    fn a_patch_that_fits_is_kept_whole() {
        let patch = hunk(1, 2, 2);
        assert_eq!(cut(&patch, 10_000, CutLimit::File), (patch.clone(), None));
    }

    #[test]
    fn added_lines_come_before_removed_ones_in_a_hunk_that_removes_then_adds() {
        // The peers' fixture: one hunk, 50 removed lines, then 50 added ones.
        let patch = hunk(10, 50, 50);
        let (kept, cut) = cut(&patch, 2000, CutLimit::Total);
        assert!(kept.len() <= 2000, "{}", kept.len());
        assert!(kept.starts_with("@@ -10,50 +10,50 @@ fn function_10()"), "{kept}");
        let (_, _, added, removed) = facts(cut);
        assert_eq!(added, 50, "every added line is kept:\n{kept}");
        assert!((3..50).contains(&removed), "{removed}");
        assert!(kept.contains("\\ "), "what was left out is said: {kept}");
        assert!(kept.contains("+new line 49 of hunk 10"));
    }

    #[test]
    fn every_hunk_shows_its_header_and_first_changes_before_any_tail() {
        let patch: String = (0..20).map(|index| hunk(index * 100 + 1, 10, 10)).collect();
        let (kept, cut) = cut(&patch, 2500, CutLimit::File);
        assert!(kept.len() <= 2500);
        let (hunks_shown, hunks, added, _) = facts(cut);
        assert_eq!((hunks_shown, hunks), (20, 20), "every header:\n{kept}");
        assert!(added >= 20, "the first added lines of every hunk: {added}");
        for index in 0..20 {
            assert!(kept.contains(&format!("+new line 0 of hunk {}\n", index * 100 + 1)), "{kept}");
        }
        assert!(
            !kept.contains("+new line 9 of hunk 1\n"),
            "no hunk's tail before the others' starts"
        );
    }

    #[test]
    fn a_block_moved_unchanged_is_one_line_each_way() {
        let block: String = (0..30).map(|line| format!("    statement_{line}();\n")).collect();
        let minus: String = block.lines().map(|line| format!("-{line}\n")).collect();
        let plus: String = block.lines().map(|line| format!("+{line}\n")).collect();
        let patch = format!(
            "@@ -10,31 +10,1 @@ fn a() {{\n{minus} keep\n@@ -300,1 +270,31 @@ fn b() {{\n keep\n{plus}@@ -400,1 +400,1 @@\n-x = 1\n+x = 2\n"
        );
        let (kept, cut) = cut(&patch, 400, CutLimit::File);
        assert!(kept.contains("\\ 30 lines moved away from here, unchanged"), "{kept}");
        assert!(kept.contains("\\ 30 lines moved here, unchanged"), "{kept}");
        assert!(kept.contains("+x = 2"), "the real edit is kept: {kept}");
        assert!(cut.is_some());
    }

    #[test]
    fn a_tiny_budget_keeps_what_fits_and_never_more() {
        let patch: String = (0..50).map(|index| hunk(index * 10 + 1, 3, 3)).collect();
        for budget in [0, 10, 100, 1000] {
            let (kept, _) = cut(&patch, budget, CutLimit::File);
            assert!(kept.len() <= budget, "{budget}: {}", kept.len());
        }
    }
}
