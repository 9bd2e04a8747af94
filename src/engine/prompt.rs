//! The change description sent to models: a stats line, each sendable file's hunks under a
//! header, and a list of the files whose content is not sent and why. Excluded files
//! contribute only their names and counts; their bytes never reach this text.

use std::fmt::Write as _;

use crate::git::{ChangeSet, Cut, FileChange, Source};
use crate::text::short_id;

/// The first line: what was compared and how much changed.
fn render_stats_line(changes: &ChangeSet) -> String {
    let mut text = String::new();
    let what = match &changes.source {
        Source::Staged => "Staged changes".to_string(),
        Source::Commit { id, summary } => {
            format!("Changes of commit {} ({summary})", short_id(id))
        }
        Source::Range { from, to } => format!(
            "Changes from {} to {}",
            from.as_deref().map_or("the empty tree", |id| short_id(id)),
            short_id(to)
        ),
    };
    let _ = writeln!(
        text,
        "{what}: {} file{}, +{} -{}\n",
        changes.files.len(),
        if changes.files.len() == 1 { "" } else { "s" },
        changes.added_lines(),
        changes.removed_lines()
    );
    text
}

/// Renders the change description for a model.
pub fn render_changes(changes: &ChangeSet) -> String {
    let mut text = render_stats_line(changes);
    for file in changes.sent() {
        let _ = writeln!(text, "## {}", file.header());
        if let Some(patch) = &file.patch {
            text.push_str(patch);
            if !patch.ends_with('\n') {
                text.push('\n');
            }
        }
        if let Some(cut @ Cut::FileCap { .. }) = &file.cut {
            let _ = writeln!(text, "[shortened: {cut}]");
        }
        text.push('\n');
    }
    render_unsent(changes, &mut text);
    text
}

/// `text` cut to at most `bytes` bytes at a word boundary, with `…` when cut.
fn cut_at_word(text: &str, bytes: usize) -> String {
    if text.len() <= bytes {
        return text.to_string();
    }
    let mut end = bytes.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(' ').filter(|&space| space > end / 2).unwrap_or(end);
    format!("{}…", text[..cut].trim_end())
}

/// More files not sent than this are listed by folder, with counts.
const MAX_UNSENT_LISTED: usize = 40;

/// The list of files whose content is not sent, with the reason: one line each, or one line
/// per folder and reason when there are many (thousands of names would fill a context).
fn render_unsent(changes: &ChangeSet, text: &mut String) {
    render_unsent_as(changes, text, unsent_count(changes) > MAX_UNSENT_LISTED);
}

fn unsent_count(changes: &ChangeSet) -> usize {
    changes.files.iter().filter(|file| file.patch.is_none()).count()
}

fn render_unsent_as(changes: &ChangeSet, text: &mut String, by_folder: bool) {
    let unsent: Vec<&FileChange> =
        changes.files.iter().filter(|file| file.patch.is_none()).collect();
    if unsent.is_empty() {
        return;
    }
    let _ = writeln!(text, "Changed, content not sent:");
    if !by_folder {
        for file in unsent {
            let _ = writeln!(text, "- {}: {}", file.header(), file.unsent_reason());
        }
        return;
    }
    // Folder (two levels at most) and reason, in path order, with counts and line totals.
    let mut groups: Vec<(String, String, usize, usize, usize)> = Vec::new();
    for file in unsent {
        let folder = folder_of(&file.path);
        let reason = group_reason(file);
        match groups.iter_mut().find(|(known, why, ..)| *known == folder && *why == reason) {
            Some((_, _, count, added, removed)) => {
                *count += 1;
                *added += file.added_lines;
                *removed += file.removed_lines;
            }
            None => {
                groups.push((folder, reason, 1, file.added_lines, file.removed_lines));
            }
        }
    }
    for (folder, reason, count, added, removed) in groups {
        let files = crate::text::count(count, "file");
        let _ = writeln!(text, "- {folder} ({files}, +{added} -{removed}): {reason}");
    }
}

/// `src/engine/` for `src/engine/plan/tests.rs`: the first two folders, or `./` at the root.
fn folder_of(path: &str) -> String {
    let folders: Vec<&str> = path.split('/').collect();
    match folders.len() {
        0 | 1 => "./".to_string(),
        length => format!("{}/", folders[..(length - 1).min(2)].join("/")),
    }
}

/// A file's reason for not being sent, without the numbers that differ from file to file.
fn group_reason(file: &FileChange) -> String {
    match (&file.exclusion, &file.cut) {
        (Some(exclusion), _) => exclusion.to_string(),
        (None, Some(Cut::TotalCap { .. })) => {
            "left out (limits.max_total_bytes reached)".to_string()
        }
        (None, Some(cut)) => cut.to_string(),
        (None, None) => "no content change".to_string(),
    }
}

/// The final request's input after the per-file step: the stats line, one summary per sent
/// file (or its stats when it has none), and the files not sent. When that would exceed
/// `budget` bytes, files not sent are listed by folder, then summaries are cut to their first
/// sentence, then to nothing but their header: the request always fits.
pub(crate) fn render_summaries(
    changes: &ChangeSet,
    summaries: &[Option<String>],
    budget: usize,
) -> String {
    let mut by_folder = unsent_count(changes) > MAX_UNSENT_LISTED;
    for brevity in [Brevity::Whole, Brevity::FirstSentence] {
        let text = summaries_text(changes, summaries, by_folder, brevity);
        if text.len() <= budget {
            return text;
        }
        if !by_folder {
            by_folder = true;
            let text = summaries_text(changes, summaries, true, brevity);
            if text.len() <= budget {
                return text;
            }
        }
    }
    // What is left after the headers, shared evenly between the summaries.
    let headers = summaries_text(changes, summaries, true, Brevity::Headers);
    let summarized = summaries.iter().filter(|summary| summary.is_some()).count().max(1);
    let share = budget.saturating_sub(headers.len()) / summarized;
    if share > 16 {
        let text = summaries_text(changes, summaries, true, Brevity::Share(share - 2));
        if text.len() <= budget {
            return text;
        }
    }
    if headers.len() <= budget {
        return headers;
    }
    let mut text = summaries_text(changes, summaries, true, Brevity::Headers);
    let mut end = budget.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

/// How much of each summary the final request keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brevity {
    /// All of it.
    Whole,
    /// Its first sentence.
    FirstSentence,
    /// At most this many bytes, cut at a word.
    Share(usize),
    /// None: the file's header only.
    Headers,
}

fn summaries_text(
    changes: &ChangeSet,
    summaries: &[Option<String>],
    by_folder: bool,
    brevity: Brevity,
) -> String {
    let mut text = render_stats_line(changes);
    let _ = writeln!(text, "Per-file summaries of the change (the diff itself is not included):\n");
    for (file, summary) in changes.files.iter().zip(summaries) {
        if file.patch.is_none() {
            continue;
        }
        let _ = writeln!(text, "## {}", file.header());
        match (summary, brevity) {
            (Some(_), Brevity::Headers) => text.push('\n'),
            (Some(summary), Brevity::FirstSentence) => {
                let first = summary.split_inclusive(". ").next().unwrap_or(summary);
                let _ = writeln!(text, "{}\n", first.trim_end());
            }
            (Some(summary), Brevity::Whole) => {
                let _ = writeln!(text, "{summary}\n");
            }
            (Some(summary), Brevity::Share(bytes)) => {
                let _ = writeln!(text, "{}\n", cut_at_word(summary, bytes));
            }
            (None, _) => text.push_str("(no summary: only the stats above are known)\n\n"),
        }
    }
    render_unsent_as(changes, &mut text, by_folder);
    text
}
