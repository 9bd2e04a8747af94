//! The built-in `local` model: an offline, deterministic engine that answers the same jobs as
//! a network model — a commit message, a push review, a summary of a period — from a
//! `ChangeSet` alone, for machines with no API keys and no network. Nothing here sends anything.
//!
//! It reads paths and hunks, never guesses intent it cannot see, and prefers saying less to
//! saying something false: the type comes from what kind of files changed and whether new
//! definitions appeared, the scope from the common component of the paths, the summary
//! from real names (definitions, headings, dependencies, files), and the body lists one
//! bullet per logical change.
//!
//! Layout: `paths` (file roles and scopes), `definitions` (per-language patterns),
//! `patch` (one pass over a file's hunks), `dependencies` (manifests), `analysis` (per-file
//! facts and cross-file moves), `decide` (type, scope, summary), `text` (English and the
//! subject budget), `body` (bullets); `review` and `range` answer the other two jobs, both
//! summarizing their commits by intent (`intent`).

mod analysis;
mod body;
mod decide;
mod definitions;
mod dependencies;
pub(crate) mod intent;
mod patch;
mod paths;
mod range;
mod review;
mod signals;
mod text;
mod voice;

#[cfg(test)]
mod tests;

use crate::answer::Message;
use crate::config::CommitStyle;
use crate::git::change::ChangeSet;

pub(crate) use range::summarize_period;
pub(crate) use review::review;
pub(crate) use text::{lower_first, Case};
pub(crate) use voice::{analyse, status_letter, Analysed, Prefix, Voice};

use decide::{CommitType, Decision, Intent};
use text::Phrase;

/// Drafts a commit message for `changes` in `style`, with a subject of at most `max_subject`
/// characters (not bytes); the same input always gives the same message.
pub(crate) fn draft(changes: &ChangeSet, style: CommitStyle, max_subject: usize) -> Message {
    if changes.is_empty() {
        // Callers avoid this case; answer with an honest subject rather than an error.
        let decision = Decision {
            commit_type: CommitType::Chore,
            intent: Intent::Ordinary,
            scope: None,
            phrase: Phrase::plain("no changes".to_owned()),
        };
        return Message { subject: subject(style, &decision, max_subject), body: String::new() };
    }
    let analyses = analysis::analyze_all(changes);
    let decision = decide::decide(&analyses);
    let subject = subject(style, &decision, max_subject);
    let body = body::render(&analyses, &subject);
    Message { subject, body }
}

/// The subject line: the prefixes to try, longest first, then the budget-aware fitting.
fn subject(style: CommitStyle, decision: &Decision, max_subject: usize) -> String {
    let prefixes: Vec<String> = match style {
        CommitStyle::Conventional => {
            let commit_type = decision.commit_type.as_str();
            let mut prefixes = Vec::with_capacity(2);
            if let Some(scope) = &decision.scope {
                prefixes.push(format!("{commit_type}({scope}): "));
            }
            prefixes.push(format!("{commit_type}: "));
            prefixes
        }
        CommitStyle::Plain => vec![String::new()],
        CommitStyle::Gitmoji => vec![format!("{} ", decision.emoji())],
    };
    text::fit_subject(style, &prefixes, &decision.phrase, max_subject)
}
