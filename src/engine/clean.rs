//! Turns a model's raw answer into a commit message: strips code fences, preambles ("Here is
//! the commit message:"), surrounding quotes, thinking blocks, escape sequences and control
//! characters (`text::sanitize`), and cuts the subject to the configured length at a word
//! boundary.

use crate::answer::Message;
use crate::llm::strip_thinking;

/// Lines a model puts before the message itself.
const PREAMBLES: &[&str] = &[
    "here is",
    "here's",
    "sure",
    "certainly",
    "commit message:",
    "suggested commit message",
    "proposed commit message",
];

/// The message in an answer, or `None` when nothing usable is left.
pub(crate) fn message(answer: &str, max_subject: usize) -> Option<Message> {
    let text = strip_thinking(answer);
    let text = crate::text::sanitize(&text);
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    // Code fences anywhere: keep what is inside them if there is a fenced block.
    if let Some(open) = lines.iter().position(|line| line.trim_start().starts_with("```")) {
        let close = lines[open + 1..]
            .iter()
            .position(|line| line.trim_start().starts_with("```"))
            .map_or(lines.len(), |offset| open + 1 + offset);
        let inside: Vec<&str> = lines[open + 1..close].to_vec();
        if inside.iter().any(|line| !line.trim().is_empty()) {
            lines = inside;
        } else {
            lines.retain(|line| !line.trim_start().starts_with("```"));
        }
    }
    while let Some(first) = lines.first() {
        let lower = first.trim().to_ascii_lowercase();
        let is_preamble = lower.is_empty()
            || (PREAMBLES.iter().any(|preamble| lower.starts_with(preamble))
                && lower.ends_with(':'))
            || lower == "commit message:"
            || lower.starts_with("**commit message");
        if !is_preamble {
            break;
        }
        lines.remove(0);
    }
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let (first, rest) = lines.split_first()?;
    let subject = clean_subject(first, max_subject)?;
    let mut body_lines: Vec<&str> = rest.to_vec();
    while body_lines.first().is_some_and(|line| line.trim().is_empty()) {
        body_lines.remove(0);
    }
    // Trailers vouch for people: a model must not write them (a forged Signed-off-by in an
    // unread draft would be committed in someone's name).
    body_lines.retain(|line| !is_trailer(line));
    let body = body_lines.join("\n");
    Some(Message { subject, body: body.trim_end().to_string() })
}

/// Trailers that speak for a person, which only people (or git itself) write.
const PERSON_TRAILERS: &[&str] = &[
    "signed-off-by:",
    "co-authored-by:",
    "reviewed-by:",
    "acked-by:",
    "tested-by:",
    "reported-by:",
    "suggested-by:",
    "helped-by:",
];

fn is_trailer(line: &str) -> bool {
    let lower = line.trim_start().to_ascii_lowercase();
    PERSON_TRAILERS.iter().any(|trailer| lower.starts_with(trailer))
}

/// Removes quotes, markdown emphasis and heading marks around a subject, then cuts it.
fn clean_subject(line: &str, max_subject: usize) -> Option<String> {
    let mut subject = line.trim();
    for prefix in ["subject:", "Subject:", "# ", "## ", "**", "`"] {
        subject = subject.strip_prefix(prefix).unwrap_or(subject).trim();
    }
    for (open, close) in [("\"", "\""), ("'", "'"), ("`", "`"), ("**", "**"), ("“", "”")] {
        if let Some(inner) = subject.strip_prefix(open).and_then(|rest| rest.strip_suffix(close)) {
            subject = inner.trim();
        }
    }
    let subject = subject.strip_suffix("**").unwrap_or(subject).trim_end_matches('.').trim();
    if subject.is_empty() {
        return None;
    }
    Some(cut_at_word(subject, max_subject))
}

/// Cuts `text` to at most `max` characters, at a word boundary when there is one.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(space) if space > max / 2 => {
            cut[..space].trim_end_matches([',', ';', ':', '-']).to_string()
        }
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(answer: &str) -> (String, String) {
        let message = message(answer, 72).expect("a message");
        (message.subject, message.body)
    }

    #[test]
    fn plain_answers_pass_through() {
        assert_eq!(
            parsed("feat: add x\n\n- one\n- two\n"),
            ("feat: add x".into(), "- one\n- two".into())
        );
    }

    #[test]
    fn fences_preambles_quotes_and_thinking_are_removed() {
        let answer = "<think>the user wants...</think>\nHere is the commit message:\n\n```\nfix(parser): handle empty input\n\n- Return early\n```\n";
        assert_eq!(
            parsed(answer),
            ("fix(parser): handle empty input".into(), "- Return early".into())
        );
        assert_eq!(
            parsed("\"docs: update readme.\""),
            ("docs: update readme".into(), String::new())
        );
        assert_eq!(
            parsed("**feat: bold subject**\n"),
            ("feat: bold subject".into(), String::new())
        );
    }

    #[test]
    fn control_and_ansi_characters_are_stripped() {
        let answer = "\u{1b}[31mfeat: red\u{1b}[0m\u{7}\r\n\r\nbody\u{0}";
        assert_eq!(parsed(answer), ("feat: red".into(), "body".into()));
        let titled = "\u{1b}]0;PWNED-TITLE\u{7}fix: x\n\n- \u{202e}bidi\u{9b}31m";
        assert_eq!(parsed(titled), ("fix: x".into(), "- bidi".into()), "OSC text never lands");
    }

    #[test]
    fn trailers_that_speak_for_people_are_dropped() {
        let answer =
            "fix: x\n\n- Why\n\nSigned-off-by: Someone <a@b.c>\nco-authored-by: Bot <x@y>\n";
        assert_eq!(parsed(answer), ("fix: x".into(), "- Why".into()));
    }

    #[test]
    fn long_subjects_are_cut_at_a_word() {
        let long = "feat: ".to_string() + &"word ".repeat(30);
        let message = message(&long, 40).expect("message");
        assert!(message.subject.chars().count() <= 40);
        assert!(message.subject.ends_with("word"));
    }

    #[test]
    fn empty_or_blank_answers_give_nothing() {
        assert_eq!(message("", 72), None);
        assert_eq!(message("```\n```", 72), None);
        assert_eq!(message("<think>only thinking", 72), None);
    }
}

/// Property tests: short runs in `cargo test`, long ones with `PROPTEST_CASES=100000`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::message;

    proptest! {
        #[test]
        fn cleaned_answers_have_one_short_clean_subject(answer_text in ".{0,300}", max in 20usize..120) {
            if let Some(message) = message(&answer_text, max) {
                prop_assert!(message.subject.chars().count() <= max);
                prop_assert!(!message.subject.contains('\n'));
                prop_assert!(!message.subject.trim().is_empty());
                prop_assert!(!message.to_text().chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
                prop_assert!(!message.subject.contains("<think>"));
            }
        }
    }
}
