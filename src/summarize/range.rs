//! The date-range report's job: every file summarized on its own (the report shows each
//! file's summary), then one overview of the changes by intent, whose file mentions become
//! links to the file sections.

use super::{Job, SecretFound};
use crate::git::{ChangeSet, Source};
use crate::llm::local;

/// The instructions of the overview request.
const REPORT_PROMPT: &str = include_str!("prompts/report.txt");
/// Tokens the overview may take.
const OVERVIEW_TOKENS: u32 = 1500;

/// One model's view of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeSummary {
    /// The high-level changes, markdown.
    pub overview: String,
    /// One summary per file of the change (`None` for files not sent or not summarized).
    pub files: Vec<Option<String>>,
}

/// Summarize a period: the commits (one line each) come before the change.
pub struct ReportJob {
    /// The commits of the period, one line each.
    pub commits: String,
}

impl Job for ReportJob {
    type Output = RangeSummary;

    fn instructions(&self) -> String {
        REPORT_PROMPT.to_string()
    }

    fn preface(&self) -> String {
        format!("Commits of the period, newest first:\n{}\n", self.commits)
    }

    fn answer_tokens(&self) -> u32 {
        OVERVIEW_TOKENS
    }

    fn summarize_every_file(&self) -> bool {
        true
    }

    fn parse(&self, answer: &str, file_summaries: &[Option<String>]) -> Option<RangeSummary> {
        let overview = crate::llm::strip_thinking(answer).trim().to_string();
        (!overview.is_empty()).then(|| RangeSummary { overview, files: file_summaries.to_vec() })
    }

    fn local(&self, changes: &ChangeSet, _secrets: &[SecretFound]) -> RangeSummary {
        let style = crate::config::CommitStyle::Plain;
        let whole = local::summarize(changes, style, 100);
        let mut overview = format!("- {}", whole.subject);
        for line in whole.body.lines().filter(|line| !line.trim().is_empty()) {
            overview.push_str(&format!("\n  {}", line.trim()));
        }
        let files = changes
            .files
            .iter()
            .map(|file| {
                let single = ChangeSet { source: Source::Staged, files: vec![file.clone()] };
                let message = local::summarize(&single, style, 100);
                let detail = if message.body.is_empty() {
                    String::new()
                } else {
                    format!("\n{}", message.body)
                };
                Some(format!("{}.{detail}", message.subject.trim_end_matches('.')))
            })
            .collect();
        RangeSummary { overview, files }
    }
}
