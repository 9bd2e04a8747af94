//! The built-in engine's summary of a period: the period's commits grouped by intent as the
//! overview, and one draft per file as that file's summary.

use crate::answer::RangeSummary;
use crate::config::CommitStyle;
use crate::conventions::Conventions;
use crate::git::{ChangeSet, Source};

use super::intent;

/// Longest line the summaries may have.
const MAX_LINE: usize = 100;

/// The overview of `commits` (newest first) and one summary per file of `changes`, in file
/// order.
pub(crate) fn summarize_period(
    changes: &ChangeSet,
    commits: &[intent::Commit],
    conventions: Option<&Conventions>,
) -> RangeSummary {
    let style = CommitStyle::Plain;
    let overview = intent::summarize(commits, conventions);
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
