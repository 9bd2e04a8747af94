//! How a network model's review of a push is read: a summary of intent, then risks with a
//! severity. (What the built-in engine finds on its own is in `offline::review`.)

use crate::answer::{Review, Risk, Severity};

/// Reads a review answer: a `Summary:` section and a `Risks:` section of `- [severity] text`
/// lines. An answer without the headings is all summary.
pub(crate) fn parse(text: &str) -> Option<Review> {
    let text = crate::text::sanitize(text);
    let mut summary = Vec::new();
    let mut risks = Vec::new();
    let mut in_risks = false;
    for line in text.lines() {
        let trimmed = line.trim();
        let heading =
            trimmed.trim_matches(|c| c == '*' || c == '#' || c == ' ').to_ascii_lowercase();
        if heading == "summary:" || heading == "summary" {
            in_risks = false;
            continue;
        }
        if heading == "risks:" || heading == "risks" {
            in_risks = true;
            continue;
        }
        if in_risks {
            if let Some(risk) = parse_risk(trimmed) {
                risks.push(risk);
            }
        } else if !trimmed.is_empty() {
            summary.push(trimmed.to_string());
        }
    }
    risks.sort_by_key(|risk| risk.severity);
    let summary = summary.join("\n");
    (!summary.is_empty() || !risks.is_empty()).then_some(Review { summary, risks })
}

/// `- [high] src/db.rs: drops a column` → a risk; `- none` and prose → nothing.
fn parse_risk(line: &str) -> Option<Risk> {
    let rest = line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))?.trim();
    let rest = rest.strip_prefix('[')?;
    let (label, text) = rest.split_once(']')?;
    let severity = match label.trim().to_ascii_lowercase().as_str() {
        "high" | "critical" => Severity::High,
        "medium" | "moderate" => Severity::Medium,
        "low" | "info" => Severity::Low,
        _ => return None,
    };
    let text = text.trim().trim_start_matches([':', '-', ' ']).trim().to_string();
    (!text.is_empty()).then_some(Risk { severity, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_with_sections_parse_into_summary_and_sorted_risks() {
        let answer = "**Summary:**\n- Adds a cache\n- Fixes retries\n\n**Risks:**\n- [low] src/a.rs: a TODO\n- [high] src/db.rs: drops the users table\n- none\n";
        let review = parse(answer).expect("review");
        assert_eq!(review.summary, "- Adds a cache\n- Fixes retries");
        assert_eq!(review.risks.len(), 2);
        assert_eq!(
            review.risks[0],
            Risk { severity: Severity::High, text: "src/db.rs: drops the users table".into() }
        );
        assert_eq!(review.verdict(), "2 risks (1 high, 1 low)");
    }

    #[test]
    fn answers_without_headings_are_all_summary_and_none_means_no_risk() {
        let review = parse("The push adds a parser.\n").expect("review");
        assert!(review.risks.is_empty());
        assert_eq!(review.verdict(), "no risks found");
        assert_eq!(
            parse("Summary:\n- x\nRisks:\n- none\n").map(|review| review.risks.len()),
            Some(0)
        );
        assert_eq!(parse("   \n"), None);
    }
}
