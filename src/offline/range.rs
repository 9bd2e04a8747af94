//! The built-in engine's summary of a period: its own draft of the whole change as the
//! overview, and one draft per file as that file's summary.

use crate::answer::RangeSummary;
use crate::config::CommitStyle;
use crate::git::{ChangeSet, Source};

/// Longest line the summaries may have.
const MAX_LINE: usize = 100;

/// The overview and one summary per file of `changes`, in file order.
pub(crate) fn summarize_period(changes: &ChangeSet) -> RangeSummary {
    let style = CommitStyle::Plain;
    let whole = super::draft(changes, style, MAX_LINE);
    let mut overview = format!("- {}", whole.subject);
    for line in whole.body.lines().filter(|line| !line.trim().is_empty()) {
        overview.push_str(&format!("\n  {}", line.trim()));
    }
    let files = changes
        .files
        .iter()
        .map(|file| {
            let single = ChangeSet { source: Source::Staged, files: vec![file.clone()] };
            let message = super::draft(&single, style, MAX_LINE);
            let detail =
                if message.body.is_empty() { String::new() } else { format!("\n{}", message.body) };
            Some(format!("{}.{detail}", message.subject.trim_end_matches('.')))
        })
        .collect();
    RangeSummary { overview, files }
}
