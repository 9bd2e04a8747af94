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

/// How bad a risk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// Likely to break something or leak something.
    High,
    /// Should be fixed before merging.
    Medium,
    /// Worth a look.
    Low,
}

impl fmt::Display for Severity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        })
    }
}

/// One risk a reviewer found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Risk {
    /// How bad.
    pub(crate) severity: Severity,
    /// Where and what, in one line.
    pub(crate) text: String,
}

/// One model's review of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Review {
    /// What the pushed work does, as markdown bullets.
    pub(crate) summary: String,
    /// Risks, most severe first.
    pub(crate) risks: Vec<Risk>,
}

impl Review {
    /// `no risks found`, or `3 risks (1 high, 2 low)`.
    pub(crate) fn verdict(&self) -> String {
        if self.risks.is_empty() {
            return "no risks found".to_string();
        }
        let count = |severity| self.risks.iter().filter(|risk| risk.severity == severity).count();
        let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low]
            .into_iter()
            .filter(|severity| count(*severity) > 0)
            .map(|severity| format!("{} {severity}", count(severity)))
            .collect();
        format!("{} ({})", crate::text::count(self.risks.len(), "risk"), parts.join(", "))
    }
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
