//! The commit message file: where the draft goes in what git wrote, the comment block that
//! says which models answered, and the rules that keep the user's bytes: everything git wrote
//! is kept as it was, line endings are the file's own, and a second run adds nothing.

use std::time::Duration;

use crate::answer::{Answer, Message, Skip, Skipped};
use crate::engine::merge::Merged;
use crate::text::short_duration;

/// The characters git tries, in order, for `core.commentChar = auto`.
const AUTO_COMMENT_CANDIDATES: &str = "#;@!$%^&|:";
/// Words after the comment string that mark our block, for idempotence.
const MARKER: &str = "changes:";

/// How the drafts go into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// The primary draft on top, as the message (plain commit, template).
    Draft,
    /// Every draft as comments only, below the user's text (`-m`, merge, squash when the
    /// user opted in).
    CommentsOnly,
    /// The primary draft on top and the old message kept as comments (amend, opted in).
    Redraft,
}

/// What the models did, for the comment block.
#[derive(Debug, Clone)]
pub(crate) struct DraftSummary<'a> {
    /// Every asked model's answer, in configured order.
    pub(crate) answers: &'a [Answer<Message>],
    /// Models not asked, each with the reason.
    pub(crate) skipped: &'a [Skipped],
    /// Wall time of the whole run.
    pub(crate) elapsed: Duration,
    /// Which draft is the message and which are shown as alternatives.
    pub(crate) merged: Merged,
    /// Lines about the drafts as a whole: the rules the message breaks, disagreement on the
    /// type or scope.
    pub(crate) notes: Vec<String>,
    /// For each answer, the rules its draft breaks.
    pub(crate) violations: Vec<Vec<String>>,
}

impl<'a> DraftSummary<'a> {
    /// The summary of a finished run.
    pub(crate) fn of(drafts: &'a crate::engine::Drafts) -> Self {
        let violations: Vec<Vec<String>> = drafts
            .checks
            .iter()
            .map(|checked| {
                checked.as_ref().map(|checked| checked.violations.clone()).unwrap_or_default()
            })
            .collect();
        let mut notes: Vec<String> = drafts
            .merged
            .primary
            .and_then(|index| violations.get(index))
            .into_iter()
            .flatten()
            .map(|violation| format!("this draft breaks a rule: {violation}"))
            .collect();
        notes.extend(drafts.disagreement.clone());
        Self {
            answers: &drafts.run.answers,
            skipped: &drafts.run.selection.skipped,
            elapsed: drafts.run.elapsed,
            merged: drafts.merged.clone(),
            notes,
            violations,
        }
    }
}

/// The comment string git uses for this file: `configured` is `core.commentString` or
/// `core.commentChar` (`None` for the default `#`); `auto` is resolved from the file itself.
pub(crate) fn comment_string(configured: Option<&str>, original: &str) -> String {
    match configured {
        None | Some("") => "#".to_string(),
        Some("auto") => {
            // git chose a character no line of the message started with and used it for its
            // own help text: find that text, else make the same choice git does.
            let starts = |prefix: &str| original.lines().any(|line| line.starts_with(prefix));
            AUTO_COMMENT_CANDIDATES
                .chars()
                .map(String::from)
                .find(|candidate| {
                    starts(&format!("{candidate} Please enter"))
                        || starts(&format!("{candidate} ------------------------ >8"))
                })
                .or_else(|| {
                    AUTO_COMMENT_CANDIDATES
                        .chars()
                        .map(String::from)
                        .find(|candidate| !starts(candidate))
                })
                .unwrap_or_else(|| "#".to_string())
        }
        Some(other) => other.to_string(),
    }
}

/// True when a previous run already wrote its block into this file.
pub(crate) fn already_drafted(original: &str, comment: &str) -> bool {
    let marker = format!("{comment} {MARKER} ");
    original.lines().any(|line| line.starts_with(&marker))
}

/// The new file content, or `None` when nothing should change (no successful draft, or a
/// block of ours already there). `original` is the file as git wrote it.
pub(crate) fn render_message_file(
    original: &[u8],
    comment: &str,
    placement: Placement,
    summary: &DraftSummary<'_>,
) -> Option<Vec<u8>> {
    // Bytes we do not understand are kept as they are: a file that is not UTF-8 is left alone.
    let text = std::str::from_utf8(original).ok()?;
    if already_drafted(text, comment) {
        return None;
    }
    let successes = summary.answers.iter().filter(|answer| answer.output().is_some()).count();
    let primary_answer = &summary.answers[summary.merged.primary?];
    let primary = primary_answer.output()?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };

    let mut block = vec![format!(
        "{comment} {MARKER} {successes} of {} models answered in {}. {}",
        summary.answers.len(),
        short_duration(summary.elapsed),
        match placement {
            Placement::CommentsOnly => "Their drafts follow; uncomment one to use it.".to_string(),
            _ => format!("The draft above is {}'s.", primary_answer.model),
        }
    )];
    let others: Vec<&Answer<Message>> = match placement {
        Placement::CommentsOnly => {
            summary.answers.iter().filter(|answer| answer.output().is_some()).collect()
        }
        _ => summary.merged.alternatives.iter().map(|&index| &summary.answers[index]).collect(),
    };
    block.extend(summary.notes.iter().map(|note| commented(comment, note)));
    if !others.is_empty() && placement != Placement::CommentsOnly {
        block.push(format!("{comment} The others follow. Uncomment one to use it."));
    }
    for answer in others {
        let Some(message) = answer.output() else { continue };
        block.push(comment.to_string());
        block.push(format!(
            "{comment} ── {} ({}) ──",
            answer.model,
            short_duration(answer.duration)
        ));
        let index = summary.answers.iter().position(|known| std::ptr::eq(known, answer));
        let broken = index
            .and_then(|index| summary.violations.get(index))
            .filter(|broken| !broken.is_empty());
        if let Some(broken) = broken {
            block.push(commented(comment, &format!("(breaks: {})", broken.join("; "))));
        }
        block.extend(message.to_text().lines().map(|line| commented(comment, line)));
    }
    for answer in summary.answers {
        if let Err(error) = &answer.outcome {
            block.push(format!("{comment} ── {}: failed: {error} ──", answer.model));
        }
    }
    // Models without a key are the usual case, not news: one line names them all.
    let (no_key, other_skips): (Vec<&Skipped>, Vec<&Skipped>) =
        summary.skipped.iter().partition(|skipped| matches!(skipped.reason, Skip::NoKey { .. }));
    if !no_key.is_empty() {
        let names: Vec<&str> = no_key.iter().map(|skipped| skipped.model.as_str()).collect();
        block.push(format!(
            "{comment} ── not asked, no key set: {} (`changes models` lists the variables) ──",
            names.join(", ")
        ));
    }
    for skipped in other_skips {
        block.push(format!("{comment} ── {}: skipped: {} ──", skipped.model, skipped.reason));
    }

    let mut lines: Vec<String> = Vec::new();
    let original_lines: Vec<&str> = split_keeping_content(text);
    match placement {
        Placement::Draft | Placement::Redraft => {
            lines.extend(primary.to_text().lines().map(str::to_string));
            lines.push(String::new());
            lines.extend(block);
            if placement == Placement::Redraft {
                lines.push(format!("{comment} The message before this redraft:"));
                let scissors = scissors_index(&original_lines, comment);
                for (index, line) in original_lines.iter().enumerate() {
                    let is_comment = line.starts_with(comment);
                    if index < scissors && !is_comment {
                        lines.push(commented(comment, line));
                    } else {
                        lines.push((*line).to_string());
                    }
                }
            } else {
                lines.extend(original_lines.iter().map(|line| (*line).to_string()));
            }
        }
        Placement::CommentsOnly => {
            // Below the user's text, above git's own comments and the scissors line.
            let insert_at = original_lines
                .iter()
                .position(|line| line.starts_with(comment))
                .unwrap_or(original_lines.len());
            lines.extend(original_lines[..insert_at].iter().map(|line| (*line).to_string()));
            if lines.last().is_some_and(|line| !line.is_empty()) {
                lines.push(String::new());
            }
            lines.extend(block);
            lines.extend(original_lines[insert_at..].iter().map(|line| (*line).to_string()));
        }
    }
    let mut rendered = lines.join(newline);
    if text.is_empty() || text.ends_with('\n') {
        rendered.push_str(newline);
    }
    Some(rendered.into_bytes())
}

/// The file's lines without their line endings (a final line ending adds no empty line).
fn split_keeping_content(text: &str) -> Vec<&str> {
    let trimmed = text.strip_suffix('\n').unwrap_or(text);
    if trimmed.is_empty() && text.is_empty() {
        return Vec::new();
    }
    trimmed.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect()
}

/// The index of `commit -v`'s scissors line, or the number of lines when there is none.
fn scissors_index(lines: &[&str], comment: &str) -> usize {
    let scissors = format!("{comment} ------------------------ >8 ------------------------");
    lines.iter().position(|line| *line == scissors).unwrap_or(lines.len())
}

fn commented(comment: &str, line: &str) -> String {
    if line.is_empty() {
        comment.to_string()
    } else {
        format!("{comment} {line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{FailureKind, ModelError};
    use crate::config::ModelName;

    fn answer(name: &str, outcome: Result<(&str, &str), &str>) -> Answer<Message> {
        Answer {
            model: ModelName::try_from(name.to_string()).expect("valid name"),
            duration: Duration::from_millis(1200),
            outcome: outcome
                .map(|(subject, body)| Message { subject: subject.into(), body: body.into() })
                .map_err(|reason| ModelError::new(FailureKind::Server, reason)),
            notes: Vec::new(),
        }
    }

    fn merged(answers: &[Answer<Message>]) -> Merged {
        crate::engine::merge::arrange(answers, crate::config::MergeMode::Alternatives, false)
    }

    const GIT_PLAIN: &str = "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n#\n# On branch main\n";

    fn summary(answers: &[Answer<Message>]) -> DraftSummary<'_> {
        DraftSummary {
            answers,
            skipped: &[],
            elapsed: Duration::from_millis(2400),
            merged: merged(answers),
            notes: Vec::new(),
            violations: Vec::new(),
        }
    }

    #[test]
    fn a_plain_commit_gets_the_draft_above_gits_comments() {
        let answers = [answer("local", Ok(("feat: add x", "- Add x")))];
        let output =
            render_message_file(GIT_PLAIN.as_bytes(), "#", Placement::Draft, &summary(&answers))
                .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(
            text.starts_with(
                "feat: add x\n\n- Add x\n\n# changes: 1 of 1 models answered in 2.4 s."
            ),
            "{text}"
        );
        assert!(text.ends_with(GIT_PLAIN), "git's text is kept whole:\n{text}");
        let again = render_message_file(text.as_bytes(), "#", Placement::Draft, &summary(&answers));
        assert_eq!(again, None, "a second run adds nothing");
    }

    #[test]
    fn alternatives_failures_and_skips_are_listed_as_comments() {
        let answers = [
            answer("claude", Ok(("feat(config): load layers", ""))),
            answer("gpt", Ok(("feat: add configuration loading", "- Loads YAML"))),
            answer("llama", Err("401 Unauthorized (check GROQ_API_KEY)")),
        ];
        let name = |name: &str| ModelName::try_from(name.to_string()).expect("valid name");
        let no_key = |model: &str, variable: &str| Skipped {
            model: name(model),
            reason: Skip::NoKey { variables: vec![variable.to_string()] },
        };
        let skipped = [no_key("deepseek", "DEEPSEEK_API_KEY"), no_key("o4-mini", "OPENAI_API_KEY")];
        let summary = DraftSummary {
            answers: &answers,
            skipped: &skipped,
            elapsed: Duration::from_millis(2400),
            merged: merged(&answers),
            notes: Vec::new(),
            violations: Vec::new(),
        };
        let output = render_message_file(GIT_PLAIN.as_bytes(), "#", Placement::Draft, &summary)
            .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.starts_with("feat(config): load layers\n\n# changes: 2 of 3 models answered in 2.4 s. The draft above is claude's.\n"), "{text}");
        assert!(
            text.contains(
                "# ── gpt (1.2 s) ──\n# feat: add configuration loading\n#\n# - Loads YAML\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("# ── llama: failed: 401 Unauthorized (check GROQ_API_KEY) ──"),
            "{text}"
        );
        assert!(text.contains("# ── not asked, no key set: deepseek, o4-mini (`changes models` lists the variables) ──"), "{text}");
    }

    #[test]
    fn nothing_changes_when_every_model_failed_or_the_file_is_not_utf8() {
        let failed = [answer("local", Err("boom"))];
        assert_eq!(
            render_message_file(GIT_PLAIN.as_bytes(), "#", Placement::Draft, &summary(&failed)),
            None
        );
        let answers = [answer("local", Ok(("fix: x", "")))];
        assert_eq!(
            render_message_file(b"\xff\xfe", "#", Placement::Draft, &summary(&answers)),
            None
        );
    }

    #[test]
    fn crlf_files_stay_crlf_and_templates_stay_below_the_draft() {
        let original = "Ticket: ABC-1\r\n\r\n# Please enter the commit message\r\n";
        let answers = [answer("local", Ok(("fix: handle empty input", "")))];
        let output =
            render_message_file(original.as_bytes(), "#", Placement::Draft, &summary(&answers))
                .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.starts_with("fix: handle empty input\r\n\r\n# changes:"), "{text:?}");
        assert!(
            text.ends_with("\r\nTicket: ABC-1\r\n\r\n# Please enter the commit message\r\n"),
            "{text:?}"
        );
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{text:?}");
    }

    #[test]
    fn comments_only_keeps_the_users_message_first_and_stays_above_the_scissors() {
        let original = "my message\n\n# Please enter\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
        let answers = [answer("local", Ok(("feat: x", "")))];
        let output = render_message_file(
            original.as_bytes(),
            "#",
            Placement::CommentsOnly,
            &summary(&answers),
        )
        .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.starts_with("my message\n\n# changes: 1 of 1"), "{text}");
        assert!(text.contains("# feat: x\n"), "{text}");
        let block = text.find("# changes:").expect("block");
        assert!(block < text.find(">8").expect("scissors"));
        assert!(text.ends_with("# Please enter\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n"));
    }

    #[test]
    fn a_redraft_keeps_the_old_message_as_comments() {
        let original = "old subject\n\nold body\n; Please enter\n";
        let answers = [answer("local", Ok(("feat: new", "")))];
        let output =
            render_message_file(original.as_bytes(), ";", Placement::Redraft, &summary(&answers))
                .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.starts_with("feat: new\n\n; changes:"), "{text}");
        assert!(text.contains("; old subject\n;\n; old body\n; Please enter\n"), "{text}");
    }

    #[test]
    fn auto_comment_character_follows_git() {
        assert_eq!(comment_string(None, ""), "#");
        assert_eq!(comment_string(Some(";"), ""), ";");
        assert_eq!(comment_string(Some("//"), ""), "//");
        assert_eq!(comment_string(Some("auto"), "#1 issue\n\n; Please enter the message\n"), ";");
        assert_eq!(comment_string(Some("auto"), "#1 issue\n"), ";");
        assert_eq!(comment_string(Some("auto"), "plain\n"), "#");
    }
}
