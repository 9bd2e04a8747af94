//! How a network model's review of a push is read. The prompt asks for JSON (a summary, a
//! verdict and findings with a priority, a place and a suggested replacement); the JSON may
//! come fenced or bare, among prose, with fields missing or named as other review tools name
//! them. An answer in the older text form — a `Summary:` section and `- [severity] path: text`
//! lines — is read as well. (What the built-in engine finds on its own is in
//! `offline::review`; checking findings against the change is `findings`.)

use serde_json::{Map, Value};

use crate::answer::{Finding, LineRange, Priority, Review, Verdict, DEFAULT_CONFIDENCE};

/// Reads a review answer: JSON when there is a JSON object with a summary or findings in
/// it, else the text form.
pub(crate) fn parse(text: &str) -> Option<Review> {
    if let Some(review) = json_object(text).and_then(|object| from_json(&object)) {
        return Some(review);
    }
    parse_text(text)
}

/// The first JSON object of the answer: inside a ```json fence, or from the first `{` to
/// the last `}`.
fn json_object(text: &str) -> Option<Map<String, Value>> {
    let mut candidates = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let body_start = after.find('\n').map_or(0, |newline| newline + 1);
        let Some(end) = after[body_start..].find("```") else { break };
        candidates.push(&after[body_start..body_start + end]);
        rest = &after[body_start + end + 3..];
    }
    if let (Some(start), Some(end)) = (text.find('{'), text.rfind('}')) {
        if start < end {
            candidates.push(&text[start..=end]);
        }
    }
    candidates.into_iter().find_map(|candidate| {
        match serde_json::from_str::<Value>(candidate.trim()) {
            Ok(Value::Object(object)) => Some(object),
            _ => None,
        }
    })
}

/// A review from the JSON the prompt asks for; `None` when the object is not a review.
fn from_json(object: &Map<String, Value>) -> Option<Review> {
    let summary = match field(object, &["summary", "overview", "changes"]) {
        Some(Value::String(text)) => clean_block(text),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|item| format!("- {}", one_line(item).trim_start_matches(['-', '*', ' '])))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    };
    let listed = field(object, &["findings", "issues", "comments", "risks"]);
    if summary.is_empty() && listed.is_none() {
        return None;
    }
    let findings: Vec<Finding> = listed
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(finding_from_json).collect())
        .unwrap_or_default();
    let explanation =
        field(object, &["explanation", "overall_explanation"]).and_then(Value::as_str);
    let mut review = Review::new(summary, findings);
    review.explanation = explanation.map(one_line).unwrap_or_default();
    if let Some(verdict) = field(object, &["verdict", "overall_correctness"]).and_then(verdict_of) {
        review.verdict = verdict;
    }
    Some(review)
}

/// One finding from JSON; a finding needs a title (or a body to take one from).
fn finding_from_json(value: &Value) -> Option<Finding> {
    let object = value.as_object()?;
    let text = |names: &[&str]| field(object, names).and_then(Value::as_str).map(one_line);
    let body = field(object, &["body", "description", "details", "explanation", "message"])
        .and_then(Value::as_str)
        .map(clean_block)
        .unwrap_or_default();
    let title = text(&["title", "summary", "issue"])
        .filter(|title| !title.is_empty())
        .or_else(|| body.lines().next().map(str::to_string))?;
    let title = strip_priority_tag(&title);
    let priority = field(object, &["priority", "severity", "level"])
        .and_then(priority_from_json)
        .unwrap_or(Priority::P2);
    let category = text(&["category", "type", "kind"])
        .map(|category| category.to_lowercase())
        .filter(|category| !category.is_empty())
        .unwrap_or_else(|| "general".to_string());
    let mut finding = Finding::new(priority, &category, title);
    finding.body = body;
    finding.confidence = field(object, &["confidence", "confidence_score"])
        .and_then(confidence_of)
        .unwrap_or(DEFAULT_CONFIDENCE);
    // Codex writes the place as `code_location: {absolute_file_path, line_range}`.
    let location = field(object, &["code_location", "location"]).and_then(Value::as_object);
    let place = location.unwrap_or(object);
    finding.path = field(place, &["path", "file", "file_path", "absolute_file_path", "filename"])
        .and_then(Value::as_str)
        .map(|path| one_line(path).trim_matches('`').to_string())
        .filter(|path| !path.is_empty());
    finding.lines = lines_from_json(place).or_else(|| lines_from_json(object));
    // Lines given but unreadable (negative, zero, not numbers) cannot be anchored in the
    // diff: such a finding is outside it, like one whose lines the diff does not show, and
    // never counts as a whole-file finding that could block a push.
    let gave_lines = |object: &Map<String, Value>| field(object, LINE_FIELDS).is_some();
    if finding.lines.is_none() && (gave_lines(place) || gave_lines(object)) {
        finding.outside_diff = true;
    }
    finding.suggestion = field(object, &["suggestion", "suggested_code", "replacement", "fix"])
        .and_then(Value::as_str)
        .map(|text| crate::text::sanitize(text).trim_end_matches('\n').to_string())
        .filter(|text| !text.trim().is_empty());
    Some(finding)
}

/// The first of `names` the object has, not `null`.
fn field<'a>(object: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|name| object.get(*name).filter(|value| !value.is_null()))
}

/// `"P1"`, `1`, `"high"` → a priority.
fn priority_from_json(value: &Value) -> Option<Priority> {
    match value {
        Value::Number(number) => match number.as_u64()? {
            0 => Some(Priority::P0),
            1 => Some(Priority::P1),
            2 => Some(Priority::P2),
            _ => Some(Priority::P3),
        },
        Value::String(text) => priority_of(text),
        _ => None,
    }
}

/// `80`, `0.8`, `"80%"` → 80.
fn confidence_of(value: &Value) -> Option<u8> {
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().trim_end_matches('%').trim().parse().ok()?,
        _ => return None,
    };
    let percent = if number <= 1.0 { number * 100.0 } else { number };
    // Clamped to 0..=100, so the conversion cannot overflow.
    Some(percent.clamp(0.0, 100.0).round() as u8)
}

/// `"ready"`, `"needs-changes"`, Codex's `"patch is correct"` → a verdict.
fn verdict_of(value: &Value) -> Option<Verdict> {
    let text = value.as_str()?.to_ascii_lowercase();
    if text.contains("incorrect") || text.contains("needs") || text.contains("request") {
        Some(Verdict::NeedsChanges)
    } else if text.contains("ready") || text.contains("correct") || text.contains("approve") {
        Some(Verdict::Ready)
    } else {
        None
    }
}

/// Every field a model may give lines in.
const LINE_FIELDS: &[&str] = &[
    "start_line",
    "line_start",
    "start",
    "end_line",
    "line_end",
    "lines",
    "line_range",
    "line",
    "range",
];

/// Lines from `start_line`/`end_line`, `line`, `lines: {start, end}`, `lines: "12-14"`,
/// `lines: [12, 14]` or `line_range`.
fn lines_from_json(object: &Map<String, Value>) -> Option<LineRange> {
    let number = |value: &Value| -> Option<u32> {
        match value {
            Value::Number(number) => u32::try_from(number.as_u64()?).ok(),
            Value::String(text) => text.trim().trim_start_matches(['L', 'l']).parse().ok(),
            _ => None,
        }
    };
    let checked =
        |start: u32, end: u32| (start >= 1).then_some(LineRange { start, end: end.max(start) });
    if let Some(start) = field(object, &["start_line", "line_start", "start"]).and_then(number) {
        let end = field(object, &["end_line", "line_end", "end"]).and_then(number);
        return checked(start, end.unwrap_or(start));
    }
    match field(object, &["lines", "line_range", "line", "range"])? {
        Value::Object(range) => lines_from_json(range),
        Value::Array(items) => {
            let start = number(items.first()?)?;
            checked(start, items.get(1).and_then(number).unwrap_or(start))
        }
        Value::String(text) => parse_lines(text),
        value => number(value).and_then(|line| checked(line, line)),
    }
}

/// `[P1] Title` → `Title`: a model repeating the priority in the title.
fn strip_priority_tag(title: &str) -> String {
    if let Some(rest) = title.strip_prefix('[') {
        if let Some((label, after)) = rest.split_once(']') {
            if priority_of(label).is_some() {
                return after.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Text from outside on one line.
fn one_line(text: &str) -> String {
    crate::text::one_line(text)
}

/// Text from outside as a block: sanitized, trimmed.
fn clean_block(text: &str) -> String {
    crate::text::sanitize(text).trim().to_string()
}

/// Reads the older text form: a `Summary:` section and a `Risks:` (or `Findings:`) section
/// of `- [priority] path:line: text` lines. An answer without the headings is all summary.
fn parse_text(text: &str) -> Option<Review> {
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

    #[test]
    fn lines_that_cannot_be_read_put_a_finding_outside_the_diff() {
        let answer = |lines: &str| {
            format!(
                "{{\"findings\": [{{\"title\": \"neg\", \"priority\": \"P0\", \"path\": \"a.rs\", {lines}}}]}}"
            )
        };
        for lines in [
            "\"start_line\": -3, \"end_line\": -1",
            "\"start_line\": 1.5e300, \"end_line\": \"abc\"",
            "\"line\": 0",
        ] {
            let review = parse(&answer(lines)).expect("a review");
            assert!(review.findings[0].outside_diff, "{lines}");
        }
        let whole_file = parse(&answer("\"category\": \"bug\"")).expect("a review");
        assert!(!whole_file.findings[0].outside_diff, "no lines given is about the whole file");
    }
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

    #[test]
    fn json_answers_fenced_among_prose_give_findings_with_places() {
        let answer = "Sure.\n```json\n{\"summary\": [\"Adds a cache\", \"- Fixes retries\"], \"verdict\": \"needs-changes\", \"explanation\": \"the cache never expires\", \"findings\": [{\"title\": \"Cache never expires\", \"body\": \"Entries live forever.\", \"priority\": \"P1\", \"category\": \"Bug\", \"confidence\": 0.75, \"path\": \"src/cache.rs\", \"start_line\": 12, \"end_line\": 14, \"suggestion\": \"let ttl = 60;\\n\"}]}\n```\nHope this helps.";
        let review = parse(answer).expect("review");
        assert_eq!(review.summary, "- Adds a cache\n- Fixes retries");
        assert_eq!(review.verdict, Verdict::NeedsChanges);
        assert_eq!(review.explanation, "the cache never expires");
        let finding = &review.findings[0];
        assert_eq!(finding.title, "Cache never expires");
        assert_eq!(finding.body, "Entries live forever.");
        assert_eq!(finding.priority, Priority::P1);
        assert_eq!(finding.category, "bug");
        assert_eq!(finding.confidence, 75);
        assert_eq!(finding.path.as_deref(), Some("src/cache.rs"));
        assert_eq!(finding.lines, Some(LineRange { start: 12, end: 14 }));
        assert_eq!(finding.suggestion.as_deref(), Some("let ttl = 60;"));
    }

    #[test]
    fn bare_json_with_missing_fields_and_other_tools_names_is_read() {
        let answer = r#"{"overall_correctness": "patch is incorrect", "findings": [
            {"title": "Leak", "code_location": {"absolute_file_path": "src/a.rs", "line_range": {"start": 3, "end": 5}}, "confidence_score": 0.4, "priority": 0},
            {"body": "No test covers the parser.\nAdd one."},
            {"priority": "P2"}
        ]}"#;
        let review = parse(answer).expect("review");
        assert_eq!(review.verdict, Verdict::NeedsChanges);
        assert_eq!(review.summary, "");
        assert_eq!(review.findings.len(), 2, "a finding needs a title or a body");
        let leak = &review.findings[0];
        assert_eq!((leak.priority, leak.confidence), (Priority::P0, 40));
        assert_eq!(leak.path.as_deref(), Some("src/a.rs"));
        assert_eq!(leak.lines, Some(LineRange { start: 3, end: 5 }));
        let untitled = &review.findings[1];
        assert_eq!(untitled.title, "No test covers the parser.");
        assert_eq!((untitled.priority, untitled.category.as_str()), (Priority::P2, "general"));
        assert_eq!(untitled.path, None);
    }

    #[test]
    fn escapes_written_as_json_escapes_are_removed_after_decoding() {
        let answer = r#"{"summary": "ok\u001b[31m red", "findings": [{"title": "bad\u001b]0;x\u0007 title", "path": "src/a\u202e.rs", "line": "7"}]}"#;
        let review = parse(answer).expect("review");
        assert_eq!(review.summary, "ok red");
        assert_eq!(review.findings[0].title, "bad title");
        assert_eq!(review.findings[0].path.as_deref(), Some("src/a.rs"));
        assert_eq!(review.findings[0].lines, Some(LineRange { start: 7, end: 7 }));
    }

    #[test]
    fn json_that_is_not_a_review_falls_back_to_text() {
        let review = parse("Summary:\n- uses {\"a\": 1} as config\n").expect("review");
        assert_eq!(review.summary, "- uses {\"a\": 1} as config");
    }
}
