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

/// The list of files whose content is not sent, with the reason.
fn render_unsent(changes: &ChangeSet, text: &mut String) {
    let unsent: Vec<&FileChange> =
        changes.files.iter().filter(|file| file.patch.is_none()).collect();
    if !unsent.is_empty() {
        let _ = writeln!(text, "Changed, content not sent:");
        for file in unsent {
            let _ = writeln!(text, "- {}: {}", file.header(), file.unsent_reason());
        }
    }
}

/// The reduce request's input when the change was too large to send at once: the stats
/// line, one summary per file (or its stats when it has none), and the unsent files.
pub(crate) fn render_summaries(changes: &ChangeSet, summaries: &[Option<String>]) -> String {
    let mut text = render_stats_line(changes);
    let _ = writeln!(text, "Per-file summaries of the change (the diff itself is not included):\n");
    for (file, summary) in changes.files.iter().zip(summaries) {
        if file.patch.is_none() {
            continue;
        }
        let _ = writeln!(text, "## {}", file.header());
        match summary {
            Some(summary) => {
                let _ = writeln!(text, "{summary}\n");
            }
            None => text.push_str("(no summary: only the stats above are known)\n\n"),
        }
    }
    render_unsent(changes, &mut text);
    text
}
