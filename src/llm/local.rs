//! placeholder until the summarizer lands
use super::Message;
use crate::config::CommitStyle;
use crate::git::ChangeSet;
/// Placeholder.
pub fn summarize(_changes: &ChangeSet, _style: CommitStyle, _max_subject: usize) -> Message {
    Message { subject: "chore: placeholder".into(), body: String::new() }
}
