//! What models produce and how asking each one ended: the three outputs of a job (a commit
//! message, a push review, a summary of a period), a typed failure, and the reasons a model
//! was not asked. Network models and the built-in offline engine answer with the same types,
//! so nothing downstream needs to know which kind answered.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::config::ModelName;

/// A commit message as a model proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    /// The first line, without trailing newline, at most `commit.max_subject` characters.
    pub(crate) subject: String,
    /// Everything after the blank line (may be empty), without trailing newline.
    pub(crate) body: String,
}

impl Message {
    /// The message as it goes into a commit: subject, blank line, body.
    pub(crate) fn to_text(&self) -> String {
        if self.body.is_empty() {
            format!("{}\n", self.subject)
        } else {
            format!("{}\n\n{}\n", self.subject, self.body)
        }
    }
}

/// How urgent a finding is, P0 the most: the scale review tools share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Priority {
    /// Will break something or leak something: must not be pushed as it is.
    P0,
    /// Should be fixed before this is merged.
    P1,
    /// Worth fixing, not urgent.
    P2,
    /// A remark; worth a look.
    P3,
}

impl Priority {
    /// Every priority, most severe first.
    pub(crate) const ALL: [Priority; 4] = [Priority::P0, Priority::P1, Priority::P2, Priority::P3];
}

impl fmt::Display for Priority {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
        })
    }
}

/// Lines of the new version of a file, 1-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct LineRange {
    /// The first line.
    pub(crate) start: u32,
    /// The last line (equal to `start` for one line).
    pub(crate) end: u32,
}

impl fmt::Display for LineRange {
    /// `12`, or `12-14`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(formatter, "{}", self.start)
        } else {
            write!(formatter, "{}-{}", self.start, self.end)
        }
    }
}

/// One thing a reviewer found, in the format review tools share, whoever found it: a model,
/// the built-in engine, or the deterministic checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Finding {
    /// What is wrong, in one short line.
    pub(crate) title: String,
    /// Why it matters and how to fix it (may be empty).
    pub(crate) body: String,
    /// How urgent.
    pub(crate) priority: Priority,
    /// What kind of problem (`bug`, `security`, `tests`...), lower case.
    pub(crate) category: String,
    /// How sure the reviewer is, in percent.
    pub(crate) confidence: u8,
    /// The file, as the change names it after the push; `None` for the change as a whole.
    pub(crate) path: Option<String>,
    /// The lines of the new file it is about.
    pub(crate) lines: Option<LineRange>,
    /// Replacement text for those lines.
    pub(crate) suggestion: Option<String>,
    /// The models that raised it (`checks` for the deterministic checks), in run order.
    pub(crate) raised_by: Vec<String>,
    /// Whether its file or lines are not part of the pushed change: kept so that nothing a
    /// model said is lost, but never shown among the findings that count, and never blocking.
    pub(crate) outside_diff: bool,
}

impl Finding {
    /// A finding with only what every finding has; the rest is filled by the caller.
    pub(crate) fn new(priority: Priority, category: &str, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            body: String::new(),
            priority,
            category: category.to_string(),
            confidence: DEFAULT_CONFIDENCE,
            path: None,
            lines: None,
            suggestion: None,
            raised_by: Vec::new(),
            outside_diff: false,
        }
    }

    /// The same finding about `path`.
    pub(crate) fn at(mut self, path: impl Into<String>, lines: Option<LineRange>) -> Self {
        self.path = Some(path.into());
        self.lines = lines;
        self
    }

    /// `src/db.rs:12`, `src/db.rs:12-14`, `src/db.rs`, or `None` for the change as a whole.
    pub(crate) fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        Some(match self.lines {
            Some(lines) => format!("{path}:{lines}"),
            None => path.clone(),
        })
    }

    /// `[P0] src/db.rs:12: drops the users table`: the finding in one line.
    pub(crate) fn one_line(&self) -> String {
        match self.location() {
            Some(location) => format!("[{}] {location}: {}", self.priority, self.title),
            None => format!("[{}] {}", self.priority, self.title),
        }
    }
}

/// The confidence of a finding whose reviewer did not say how sure it is.
pub(crate) const DEFAULT_CONFIDENCE: u8 = 50;

/// A reviewer's overall judgement of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// Nothing stands in the way of pushing.
    Ready,
    /// Something should be fixed first.
    NeedsChanges,
}

impl Verdict {
    /// What findings alone say: a P0 or P1 finding inside the change needs changes.
    pub(crate) fn of(findings: &[Finding]) -> Self {
        let serious = findings
            .iter()
            .any(|finding| !finding.outside_diff && finding.priority <= Priority::P1);
        if serious {
            Verdict::NeedsChanges
        } else {
            Verdict::Ready
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Verdict::Ready => "ready",
            Verdict::NeedsChanges => "needs changes",
        })
    }
}

/// One model's review of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Review {
    /// What the pushed work does, as markdown bullets.
    pub(crate) summary: String,
    /// The reviewer's overall judgement.
    pub(crate) verdict: Verdict,
    /// Why, in one sentence, when the reviewer said (may be empty).
    pub(crate) explanation: String,
    /// Findings, most severe first.
    pub(crate) findings: Vec<Finding>,
}

impl Review {
    /// A review whose verdict is what its findings say; findings sorted most severe first.
    pub(crate) fn new(summary: String, mut findings: Vec<Finding>) -> Self {
        sort_findings(&mut findings);
        Self { summary, verdict: Verdict::of(&findings), explanation: String::new(), findings }
    }

    /// `no findings`, or `3 findings (1 P0, 2 P3)`, counting those inside the change.
    pub(crate) fn tally(&self) -> String {
        tally(&self.findings)
    }
}

/// Sorts findings most severe first; among equals, surer first, then by place.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.outside_diff, a.priority, std::cmp::Reverse(a.confidence), &a.path, a.lines).cmp(&(
            b.outside_diff,
            b.priority,
            std::cmp::Reverse(b.confidence),
            &b.path,
            b.lines,
        ))
    });
}

/// `no findings`, or `3 findings (1 P0, 2 P3)`, counting those inside the change (and saying
/// how many more fell outside it).
pub(crate) fn tally(findings: &[Finding]) -> String {
    let inside: Vec<&Finding> = findings.iter().filter(|finding| !finding.outside_diff).collect();
    let outside = findings.len() - inside.len();
    let mut text = if inside.is_empty() {
        "no findings".to_string()
    } else {
        let count = |priority| inside.iter().filter(|finding| finding.priority == priority).count();
        let parts: Vec<String> = Priority::ALL
            .into_iter()
            .filter(|priority| count(*priority) > 0)
            .map(|priority| format!("{} {priority}", count(priority)))
            .collect();
        format!("{} ({})", crate::text::count(inside.len(), "finding"), parts.join(", "))
    };
    if outside > 0 {
        text.push_str(&format!(", {outside} outside the diff"));
    }
    text
}

/// One model's view of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RangeSummary {
    /// The high-level changes, markdown.
    pub(crate) overview: String,
    /// One summary per file of the change (`None` for files not sent or not summarized).
    pub(crate) files: Vec<Option<String>>,
}

/// What kind of failure ended a model's work, for decisions and for programs reading JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FailureKind {
    /// The key was refused (401, 403).
    Unauthorized,
    /// The model id does not exist or was retired.
    ModelNotFound,
    /// The input was longer than the model takes.
    TooLong,
    /// Rate limited, quota or spend limit.
    Limited,
    /// The provider's own trouble (5xx, overloaded).
    Server,
    /// The provider rejected the request for another reason.
    Rejected,
    /// The deadline passed first.
    Timeout,
    /// No connection could be made.
    Connection,
    /// The answer was not what the wire format promises, empty, blocked, or held nothing
    /// usable.
    BadAnswer,
    /// The model is configured in a way that cannot work (no key, no endpoint).
    Configuration,
    /// A bug of ours.
    Internal,
}

/// Why a model produced nothing: the kind, and one line for people naming what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelError {
    /// What kind of failure.
    pub(crate) kind: FailureKind,
    /// One line, naming the key variable or setting involved; never the key itself.
    pub(crate) message: String,
}

impl ModelError {
    /// A failure of `kind` explained by `message`.
    pub(crate) fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    /// An answer arrived but could not be read as the job's output.
    pub(crate) fn unusable() -> Self {
        Self::new(FailureKind::BadAnswer, "the answer held nothing usable")
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// One model's result for one job.
#[derive(Debug, Clone)]
pub(crate) struct Answer<T> {
    /// Which model.
    pub(crate) model: ModelName,
    /// Wall time of the model's work.
    pub(crate) duration: Duration,
    /// The output, or why there is none.
    pub(crate) outcome: Result<T, ModelError>,
    /// Trouble that did not stop the model from answering (some per-file summaries failed,
    /// a synthesize request failed): kept so that it can be reported.
    pub(crate) notes: Vec<String>,
    /// How the model was asked (its plan), for `-v`.
    pub(crate) details: Vec<String>,
}

impl<T> Answer<T> {
    /// The output, when the model produced one.
    pub(crate) fn output(&self) -> Option<&T> {
        self.outcome.as_ref().ok()
    }
}

/// Why a configured model was not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Skip {
    /// None of its key variables is set (nor a key in the user file).
    NoKey {
        /// The variables that were looked for, in order.
        variables: Vec<String>,
    },
}

impl fmt::Display for Skip {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::NoKey { variables } => {
                write!(formatter, "no key: set {}", variables.join(" or "))
            }
        }
    }
}

/// A model left out of a run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// The model.
    pub(crate) model: ModelName,
    /// Why it was not asked.
    pub(crate) reason: Skip,
}
