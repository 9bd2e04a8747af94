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
            _ if summary.merged.same_as_primary.is_empty() => {
                format!("The draft above is {}'s.", primary_answer.model)
            }
            _ => {
                let same: Vec<String> = summary
                    .merged
                    .same_as_primary
                    .iter()
                    .map(|&index| summary.answers[index].model.to_string())
                    .collect();
                format!(
                    "The draft above is {}'s ({} wrote the same).",
                    primary_answer.model,
                    same.join(", ")
                )
            }
        }
    )];
    // Every draft shown, each once with every model that wrote it.
    let merged = &summary.merged;
    let mut others: Vec<(usize, Vec<usize>)> = merged
        .alternatives
        .iter()
        .map(|alternative| (alternative.answer, alternative.same.clone()))
        .collect();
    if placement == Placement::CommentsOnly {
        if let Some(primary) = merged.primary {
            others.insert(0, (primary, merged.same_as_primary.clone()));
        }
    }
    // A note is one line, whatever a rule file or a model put into it.
    block.extend(summary.notes.iter().map(|note| commented(comment, &crate::text::one_line(note))));
    if !others.is_empty() && placement != Placement::CommentsOnly {
        block.push(format!("{comment} The others follow. Uncomment one to use it."));
    }
    for (first, same) in others {
        let Some(message) = summary.answers[first].output() else { continue };
        block.push(comment.to_string());
        block.push(format!("{comment} ── {} ──", who(summary.answers, first, &same)));
        let broken = summary.violations.get(first).filter(|broken| !broken.is_empty());
        if let Some(broken) = broken {
            let broken = crate::text::one_line(&broken.join("; "));
            block.push(commented(comment, &format!("(breaks: {broken})")));
        }
        block.extend(
            message.to_text().lines().map(|line| commented(comment, &crate::text::sanitize(line))),
        );
    }
    for answer in summary.answers {
        if let Err(error) = &answer.outcome {
            block.push(format!(
                "{comment} ── {}: failed: {} ──",
                answer.model,
                crate::text::one_line(&error.message)
            ));
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
        let reason = crate::text::one_line(&skipped.reason.to_string());
        block.push(format!("{comment} ── {}: skipped: {reason} ──", skipped.model));
    }

    let mut lines: Vec<String> = Vec::new();
    let original_lines: Vec<&str> = split_keeping_content(text);
    match placement {
        Placement::Draft | Placement::Redraft => {
            lines.extend(primary.to_text().lines().map(|line| draft_line(comment, line)));
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

/// `gpt (1.2 s)`, or `gpt, claude (1.2 s, 0.9 s)` for a draft several models wrote.
pub(crate) fn who(answers: &[Answer<Message>], first: usize, same: &[usize]) -> String {
    let all: Vec<&Answer<Message>> =
        std::iter::once(first).chain(same.iter().copied()).map(|index| &answers[index]).collect();
    let names: Vec<String> = all.iter().map(|answer| answer.model.to_string()).collect();
    let times: Vec<String> = all.iter().map(|answer| short_duration(answer.duration)).collect();
    format!("{} ({})", names.join(", "), times.join(", "))
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

/// A line of a draft as it may stand uncommented in the file: one that git would drop as a
/// comment gets a leading space, so the user sees it rather than loses it, and none can be
/// mistaken for `commit -v`'s scissors line.
fn draft_line(comment: &str, line: &str) -> String {
    // A draft is ours: no escape or control character of a history, a rule file or an
    // answer reaches the message file.
    let line = without_scissors(&crate::text::sanitize(line));
    if line.starts_with(comment) {
        format!(" {line}")
    } else {
        line
    }
}

/// A line commented out. A text that would make it `commit -v`'s scissors line, below which
/// git drops everything (the template's text included), is broken up first.
fn commented(comment: &str, line: &str) -> String {
    if line.is_empty() {
        comment.to_string()
    } else {
        format!("{comment} {}", without_scissors(line))
    }
}

/// `-- >8 --` becomes `-- > 8 --`: git looks for its scissors line to the letter.
fn without_scissors(line: &str) -> String {
    if line.contains(">8") && line.contains("--") {
        line.replace(">8", "> 8")
    } else {
        line.to_string()
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
            details: Vec::new(),
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
    fn identical_drafts_are_shown_once_with_every_model_that_wrote_them() {
        let answers = [
            answer("claude", Ok(("feat: add x", ""))),
            answer("gpt", Ok(("fix: repair x", "- Why"))),
            answer("gemini", Ok(("feat: add x", ""))),
            answer("llama", Ok(("fix: repair x", "- Why"))),
        ];
        let output =
            render_message_file(GIT_PLAIN.as_bytes(), "#", Placement::Draft, &summary(&answers))
                .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.contains("The draft above is claude's (gemini wrote the same)."), "{text}");
        assert_eq!(text.matches("# fix: repair x").count(), 1, "{text}");
        assert!(text.contains("# ── gpt, llama (1.2 s, 1.2 s) ──\n# fix: repair x\n"), "{text}");
        assert!(!text.contains("# feat: add x"), "the primary is not repeated: {text}");
    }

    #[test]
    fn answers_cannot_cut_the_file_hide_their_lines_or_break_out_of_comments() {
        let scissors = "------------------------ >8 ------------------------";
        let answers = [
            answer("claude", Ok(("#123 fix the parser", &format!("- one\n# {scissors}")))),
            answer("gpt", Ok(("feat: other", scissors))),
            answer("llama", Err("500 Internal Server Error: line one\nfix: not a comment")),
        ];
        let template = format!("Ticket:\n\n# Please enter\n# {scissors}\ndiff --git a/x b/x\n");
        let output =
            render_message_file(template.as_bytes(), "#", Placement::Draft, &summary(&answers))
                .expect("changed");
        let text = String::from_utf8(output).expect("utf-8");
        assert!(text.starts_with(" #123 fix the parser\n"), "kept visible: {text}");
        assert_eq!(text.matches(&format!("# {scissors}")).count(), 1, "only git's own: {text}");
        assert!(text.contains("# ------------------------ > 8 ------------------------"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let draft_end =
            lines.iter().position(|line| line.starts_with("# changes:")).expect("block");
        assert!(
            lines[draft_end..]
                .iter()
                .take_while(|line| !line.starts_with("Ticket"))
                .all(|line| line.starts_with('#')),
            "every line of the block is a comment: {text}"
        );
        assert!(text.ends_with(&template), "the template and git's text stay whole: {text}");
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

/// Property tests: short runs in `cargo test`, long ones with `PROPTEST_CASES=100000`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use std::time::Duration;

    use super::{render_message_file, DraftSummary, Placement};
    use crate::answer::{Answer, Message};
    use crate::config::MergeMode;
    use crate::engine::merge;

    fn answer(subject: &str) -> Answer<Message> {
        Answer {
            model: crate::config::ModelName::try_from("local".to_string())
                .unwrap_or_else(|_| unreachable!()),
            duration: Duration::from_millis(5),
            outcome: Ok(Message { subject: subject.to_string(), body: "- a bullet".to_string() }),
            notes: Vec::new(),
            details: Vec::new(),
        }
    }

    proptest! {
        #[test]
        fn the_message_file_keeps_every_byte_git_wrote_and_is_idempotent(
            original in prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..600),
                "(?s)[#;/a-zA-Z0-9 \r\n>8-]{0,600}".prop_map(String::into_bytes),
                "(?s).{0,300}".prop_map(String::into_bytes),
            ],
            subject in "[a-z]{1,10}: [a-z ]{1,40}",
            comment in prop_oneof![Just("#".to_string()), Just(";".to_string()), Just("//".to_string())],
        ) {
            let answers = [answer(&subject)];
            let merged = merge::arrange(&answers, MergeMode::Alternatives, false);
            let summary = DraftSummary { answers: &answers, skipped: &[], elapsed: Duration::from_millis(5), merged, notes: Vec::new(), violations: Vec::new() };
            for placement in [Placement::Draft, Placement::CommentsOnly] {
                let Some(updated) = render_message_file(&original, &comment, placement, &summary) else { continue };
                let text = String::from_utf8(updated.clone()).expect("only UTF-8 input is changed");
                let original_text = String::from_utf8(original.clone()).expect("UTF-8");
                // Every line git wrote is still there, in order.
                let mut rest = text.as_str();
                for line in original_text.split('\n').map(|line| line.trim_end_matches('\r')) {
                    let found = rest.find(line);
                    prop_assert!(found.is_some(), "lost {:?}", line);
                    rest = &rest[found.unwrap_or(0) + line.len()..];
                }
                prop_assert_eq!(render_message_file(&updated, &comment, placement, &summary), None);
            }
        }
    }
}
