//! The three jobs a run asks of every model — a commit message, a push review, a summary of a
//! period — each as one `Job`: what the final request says, how long its answer may be, how
//! the answer is read, and what the built-in offline engine answers instead. The change
//! description and the per-file step are shared by all of them (`plan`, `run`).

use std::sync::Arc;

use crate::answer::{Message, RangeSummary, Review};
use crate::config::CommitStyle;
use crate::conventions::{self, Conventions};
use crate::git::ChangeSet;
use crate::llm::strip_thinking;
use crate::offline;
use crate::privacy::SecretFound;

use super::{clean, review};

const COMMIT_PROMPT: &str = include_str!("prompts/commit.txt");
const REVIEW_PROMPT: &str = include_str!("prompts/review.txt");
const REPORT_PROMPT: &str = include_str!("prompts/report.txt");

/// Tokens a commit message may take.
pub(crate) const MESSAGE_TOKENS: u32 = 600;
/// Tokens a review may take.
const REVIEW_TOKENS: u32 = 2000;
/// Tokens the overview of a period may take.
const OVERVIEW_TOKENS: u32 = 1500;

/// What a run asks of every model.
pub(crate) trait Job: Send + Sync + 'static {
    /// What one model produces.
    type Output: Send + 'static;
    /// Instructions of the final request.
    fn instructions(&self) -> String;
    /// Text put before the change description in the final request.
    fn preface(&self) -> String {
        String::new()
    }
    /// Tokens the final answer may take.
    fn answer_tokens(&self) -> u32;
    /// Tokens a typical final answer takes, for estimating its time.
    fn expected_answer_tokens(&self) -> u32;
    /// Whether every file is summarized on its own first, even when the whole change would
    /// fit one request (the date-range report shows each file's summary).
    fn summarize_every_file(&self) -> bool {
        false
    }
    /// Reads a model's answer; `file_summaries` holds the per-file summaries when the
    /// per-file step ran (one per file of the change, `None` where there is none).
    fn parse(&self, answer: &str, file_summaries: &[Option<String>]) -> Option<Self::Output>;
    /// The built-in offline engine's answer to the same job, from the change as collected
    /// (nothing it reads leaves the machine) and the secrets redaction found.
    fn offline(&self, changes: &ChangeSet, secrets: &[SecretFound]) -> Self::Output;
}

/// A commit message in the configured style, or in the repository's own when its
/// conventions are known.
#[derive(Clone)]
pub(crate) struct CommitJob {
    /// Message style.
    pub(crate) style: CommitStyle,
    /// Longest subject line.
    pub(crate) max_subject: usize,
    /// The repository's conventions, when learned.
    pub(crate) conventions: Option<Arc<Conventions>>,
    /// The style rule the conventions call for, replacing the configured style's.
    pub(crate) style_rule: Option<String>,
    /// The conventions block of the prompt (empty without conventions).
    pub(crate) conventions_block: String,
    /// What the conventions make of the change, worked out once for every model.
    pub(crate) advice: Option<conventions::Advice>,
}

impl Job for CommitJob {
    type Output = Message;

    fn instructions(&self) -> String {
        let mut text = commit_instructions(COMMIT_PROMPT, self.style, self.max_subject);
        if let Some(rule) = &self.style_rule {
            text = COMMIT_PROMPT
                .replace("{style_rule}", rule)
                .replace("{max_subject}", &self.max_subject.to_string());
        }
        if !self.conventions_block.is_empty() {
            text.push('\n');
            text.push_str(&self.conventions_block);
        }
        text
    }

    fn answer_tokens(&self) -> u32 {
        MESSAGE_TOKENS
    }

    fn expected_answer_tokens(&self) -> u32 {
        // A subject and a few bullets.
        100
    }

    fn parse(&self, answer: &str, _: &[Option<String>]) -> Option<Message> {
        clean::message(answer, self.max_subject)
    }

    fn offline(&self, changes: &ChangeSet, _secrets: &[SecretFound]) -> Message {
        match &self.conventions {
            Some(conventions) => conventions::draft_locally(
                conventions,
                changes,
                self.style,
                self.max_subject,
                self.advice.as_ref(),
            ),
            None => offline::draft(changes, self.style, self.max_subject),
        }
    }
}

/// A review of commits being pushed: summary of intent and findings.
pub(crate) struct ReviewJob {
    /// The commits, one line each, shown before the change.
    pub(crate) commits: String,
    /// The commits as the built-in engine groups them by intent, newest first.
    pub(crate) intents: Vec<offline::intent::Commit>,
    /// The repository's conventions, when learned: how the built-in engine reads subjects.
    pub(crate) conventions: Option<Arc<Conventions>>,
}

impl Job for ReviewJob {
    type Output = Review;

    fn instructions(&self) -> String {
        REVIEW_PROMPT.to_string()
    }

    fn preface(&self) -> String {
        format!("Commits being pushed, newest first:\n{}\n", self.commits)
    }

    fn answer_tokens(&self) -> u32 {
        REVIEW_TOKENS
    }

    fn expected_answer_tokens(&self) -> u32 {
        500
    }

    fn parse(&self, answer: &str, _: &[Option<String>]) -> Option<Review> {
        review::parse(&strip_thinking(answer))
    }

    fn offline(&self, changes: &ChangeSet, _secrets: &[SecretFound]) -> Review {
        // Secrets are the deterministic checks' to report, with their lines.
        offline::review(changes, &self.intents, self.conventions.as_deref())
    }
}

/// Summarize a period: every file on its own, then one overview by intent, whose file
/// mentions become links to the file sections of the report.
pub(crate) struct RangeJob {
    /// The commits of the period, one line each.
    pub(crate) commits: String,
    /// The commits as the built-in engine groups them by intent, newest first.
    pub(crate) intents: Vec<offline::intent::Commit>,
    /// The repository's conventions, when learned: how the built-in engine reads subjects.
    pub(crate) conventions: Option<Arc<Conventions>>,
}

impl Job for RangeJob {
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

    fn expected_answer_tokens(&self) -> u32 {
        450
    }

    fn summarize_every_file(&self) -> bool {
        true
    }

    fn parse(&self, answer: &str, file_summaries: &[Option<String>]) -> Option<RangeSummary> {
        let overview = crate::text::sanitize(&strip_thinking(answer)).trim().to_string();
        (!overview.is_empty()).then(|| RangeSummary { overview, files: file_summaries.to_vec() })
    }

    fn offline(&self, changes: &ChangeSet, _secrets: &[SecretFound]) -> RangeSummary {
        offline::summarize_period(changes, &self.intents, self.conventions.as_deref())
    }
}

/// Instructions with the style rule and subject length filled in.
pub(crate) fn commit_instructions(
    template: &str,
    style: CommitStyle,
    max_subject: usize,
) -> String {
    let rule = match style {
        CommitStyle::Conventional => {
            "`type(scope): summary`, where type is one of feat, fix, docs, style, refactor, perf, \
             test, build, ci, chore, revert, and scope (optional) names the component changed."
        }
        CommitStyle::Plain => "a capitalised one-line summary.",
        CommitStyle::Gitmoji => {
            "one gitmoji (✨ feature, 🐛 fix, 📝 docs, ♻️ refactor, ✅ tests, 🔧 configuration, \
             ⬆️ dependencies, 🔥 removal, 🎨 style, 🚚 move or rename), a space, then the summary."
        }
    };
    template.replace("{style_rule}", rule).replace("{max_subject}", &max_subject.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
