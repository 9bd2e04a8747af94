//! How a network model's review of a push is read: a summary of intent, then findings with a
//! priority. (What the built-in engine finds on its own is in `offline::review`.)

use crate::answer::{Finding, LineRange, Priority, Review};

/// Reads a review answer: a `Summary:` section and a `Risks:` (or `Findings:`) section of
/// `- [priority] path:line: text` lines. An answer without the headings is all summary.
pub(crate) fn parse(text: &str) -> Option<Review> {
    let text = crate::text::sanitize(text);
    let mut summary = Vec::new();
    let mut findings = Vec::new();
    let mut in_findings = false;
    for line in text.lines() {
        let trimmed = line.trim();
        let heading =
            trimmed.trim_matches(|c| c == '*' || c == '#' || c == ' ').to_ascii_lowercase();
        let heading = heading.trim_end_matches(':');
        if heading == "summary" {
            in_findings = false;
            continue;
        }
        if heading == "risks" || heading == "findings" {
            in_findings = true;
            continue;
        }
        if in_findings {
            if let Some(finding) = parse_line(trimmed) {
                findings.push(finding);
            }
        } else if !trimmed.is_empty() {
            summary.push(trimmed.to_string());
        }
    }
    let summary = summary.join("\n");
    (!summary.is_empty() || !findings.is_empty()).then(|| Review::new(summary, findings))
}

/// `- [high] src/db.rs:12: drops a column` → a finding; `- none` and prose → nothing. The
/// label is a priority (`P0`..`P3`) or one of the older severity words.
fn parse_line(line: &str) -> Option<Finding> {
    let rest = line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))?.trim();
    let rest = rest.strip_prefix('[')?;
    let (label, text) = rest.split_once(']')?;
    let priority = priority_of(label)?;
    let text = text.trim().trim_start_matches([':', '-', ' ']).trim();
    if text.is_empty() {
        return None;
    }
    let finding = match split_location(text) {
        Some((path, lines, title)) => Finding::new(priority, "general", title).at(path, lines),
        None => Finding::new(priority, "general", text),
    };
    Some(finding)
}

/// A priority label: `P0`..`P3`, or the severity words models and older prompts use.
pub(crate) fn priority_of(label: &str) -> Option<Priority> {
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "p0" | "critical" | "blocker" => Priority::P0,
        "p1" | "high" | "major" | "error" => Priority::P1,
        "p2" | "medium" | "moderate" | "warning" => Priority::P2,
        "p3" | "low" | "minor" | "info" | "nit" | "note" => Priority::P3,
        _ => return None,
    })
}

/// `src/db.rs:12-14: drops a column` → the path, the lines and the title, when the text
/// starts with something that looks like a path (no spaces, a `.` or `/` in it).
fn split_location(text: &str) -> Option<(String, Option<LineRange>, String)> {
    let (head, title) = text.split_once(": ")?;
    let head = head.trim().trim_matches('`');
    let (path, lines) = match head.split_once(':') {
        Some((path, lines)) => (path, parse_lines(lines)),
        None => (head, None),
    };
    let looks_like_path =
        !path.is_empty() && !path.contains(char::is_whitespace) && path.contains(['.', '/']);
    let title = title.trim();
    (looks_like_path && !title.is_empty()).then(|| (path.to_string(), lines, title.to_string()))
}

/// `12`, `12-14` or `L12-L14` → lines; anything else → none.
pub(crate) fn parse_lines(text: &str) -> Option<LineRange> {
    let number = |text: &str| text.trim().trim_start_matches(['L', 'l']).parse::<u32>().ok();
    let (start, end) = match text.split_once('-') {
        Some((start, end)) => (number(start)?, number(end)?),
        None => {
            let line = number(text)?;
            (line, line)
        }
    };
    (start >= 1 && end >= start).then_some(LineRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_with_sections_parse_into_summary_and_sorted_findings() {
        let answer = "**Summary:**\n- Adds a cache\n- Fixes retries\n\n**Risks:**\n- [low] src/a.rs: a TODO\n- [high] src/db.rs:3-4: drops the users table\n- none\n";
        let review = parse(answer).expect("review");
        assert_eq!(review.summary, "- Adds a cache\n- Fixes retries");
        assert_eq!(review.findings.len(), 2);
        let first = &review.findings[0];
        assert_eq!(first.priority, Priority::P1);
        assert_eq!(first.path.as_deref(), Some("src/db.rs"));
        assert_eq!(first.lines, Some(LineRange { start: 3, end: 4 }));
        assert_eq!(first.title, "drops the users table");
        assert_eq!(review.tally(), "2 findings (1 P1, 1 P3)");
        assert_eq!(review.verdict, crate::answer::Verdict::NeedsChanges);
    }

    #[test]
    fn answers_without_headings_are_all_summary_and_none_means_no_finding() {
        let review = parse("The push adds a parser.\n").expect("review");
        assert!(review.findings.is_empty());
        assert_eq!(review.tally(), "no findings");
        assert_eq!(
            parse("Summary:\n- x\nRisks:\n- none\n").map(|review| review.findings.len()),
            Some(0)
        );
        assert_eq!(parse("   \n"), None);
    }

    #[test]
    fn findings_about_the_whole_change_have_no_path() {
        let review = parse("Findings:\n- [P2] no test covers the new parser\n").expect("review");
        assert_eq!(review.findings[0].path, None);
        assert_eq!(review.findings[0].title, "no test covers the new parser");
    }
}
