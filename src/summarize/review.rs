//! The pre-push review: what a model is asked (a summary of intent and risks with a
//! severity), how its answer is read, and the built-in model's own offline review, which
//! looks for what a diff shows plainly: secrets, leftover debug code, missing tests, risky
//! migrations.

use std::fmt;

use crate::git::{ChangeSet, Exclusion, FileChange};
use crate::llm::local;

use super::SecretFound;

/// The instructions of the final review request.
pub const REVIEW_PROMPT: &str = include_str!("prompts/review.txt");

/// How bad a risk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Risk {
    /// How bad.
    pub severity: Severity,
    /// Where and what, in one line.
    pub text: String,
}

/// One model's review of a push.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Review {
    /// What the pushed work does, as markdown bullets.
    pub summary: String,
    /// Risks, most severe first.
    pub risks: Vec<Risk>,
}

impl Review {
    /// The highest severity found, if any risk.
    pub fn worst(&self) -> Option<Severity> {
        self.risks.iter().map(|risk| risk.severity).min()
    }

    /// `no risks found`, or `3 risks (1 high, 2 low)`.
    pub fn verdict(&self) -> String {
        if self.risks.is_empty() {
            return "no risks found".to_string();
        }
        let count = |severity| self.risks.iter().filter(|risk| risk.severity == severity).count();
        let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low]
            .into_iter()
            .filter(|severity| count(*severity) > 0)
            .map(|severity| format!("{} {severity}", count(severity)))
            .collect();
        let total = self.risks.len();
        format!("{total} risk{} ({})", if total == 1 { "" } else { "s" }, parts.join(", "))
    }
}

/// Reads a review answer: a `Summary:` section and a `Risks:` section of `- [severity] text`
/// lines. An answer without the headings is all summary.
pub fn parse(text: &str) -> Option<Review> {
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

/// Added-line patterns that are debug code left behind, with what to say.
const DEBUG_PATTERNS: &[(&str, &str)] = &[
    ("dbg!(", "dbg!"),
    ("console.log(", "console.log"),
    ("debugger;", "debugger statement"),
    ("pdb.set_trace()", "pdb.set_trace()"),
    ("breakpoint()", "breakpoint()"),
    ("binding.pry", "binding.pry"),
    ("var_dump(", "var_dump"),
    ("System.out.println(", "System.out.println"),
];

/// The built-in model's review: the local summary, and risks any reader of the diff would
/// flag.
pub fn local_review(changes: &ChangeSet, secrets: &[SecretFound], max_subject: usize) -> Review {
    let message = local::summarize(changes, crate::config::CommitStyle::Plain, max_subject);
    let mut summary = vec![format!("- {}", message.subject)];
    summary.extend(
        message
            .body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| format!("  {}", line.trim())),
    );
    let mut risks = Vec::new();
    for secret in secrets {
        let line = secret.line.map(|line| format!(":{line}")).unwrap_or_default();
        risks.push(Risk {
            severity: Severity::High,
            text: format!("{}{line}: a {} is being pushed", secret.path, secret.kind),
        });
    }
    for file in &changes.files {
        if file.exclusion == Some(Exclusion::Secret) && file.new_size > 0 {
            risks.push(Risk {
                severity: Severity::High,
                text: format!("{}: a file that usually holds secrets is being pushed", file.path),
            });
        }
        risks.extend(debug_leftovers(file));
        risks.extend(risky_migration(file));
    }
    let is_test = |file: &FileChange| {
        let path = file.path.to_ascii_lowercase();
        path.contains("test") || path.contains("spec")
    };
    let is_code = |file: &FileChange| {
        file.patch.is_some()
            && [
                ".rs", ".py", ".js", ".ts", ".go", ".java", ".kt", ".rb", ".c", ".cc", ".cpp",
                ".cs", ".php", ".swift",
            ]
            .iter()
            .any(|extension| file.path.ends_with(extension))
    };
    let code_changed = changes.files.iter().filter(|file| is_code(file) && !is_test(file)).count();
    if code_changed > 0 && !changes.files.iter().any(is_test) {
        risks.push(Risk {
            severity: Severity::Low,
            text: format!("{code_changed} source file(s) changed and no test changed"),
        });
    }
    risks.sort_by_key(|risk| risk.severity);
    Review { summary: summary.join("\n"), risks }
}

fn added_lines(file: &FileChange) -> impl Iterator<Item = &str> {
    file.patch.iter().flat_map(|patch| patch.lines()).filter_map(|line| line.strip_prefix('+'))
}

fn debug_leftovers(file: &FileChange) -> Option<Risk> {
    let path = file.path.to_ascii_lowercase();
    if path.contains("test") || path.contains("example") || path.contains("bench") {
        return None;
    }
    let found: Vec<&str> = DEBUG_PATTERNS
        .iter()
        .filter(|(pattern, _)| added_lines(file).any(|line| line.contains(pattern)))
        .map(|(_, name)| *name)
        .collect();
    (!found.is_empty()).then(|| Risk {
        severity: Severity::Medium,
        text: format!("{}: leftover debug code ({})", file.path, found.join(", ")),
    })
}

fn risky_migration(file: &FileChange) -> Option<Risk> {
    let path = file.path.to_ascii_lowercase();
    if !(path.contains("migration") || path.ends_with(".sql")) {
        return None;
    }
    let destructive = added_lines(file).any(|line| {
        let upper = line.to_ascii_uppercase();
        upper.contains("DROP TABLE") || upper.contains("DROP COLUMN") || upper.contains("TRUNCATE")
    });
    destructive.then(|| Risk {
        severity: Severity::High,
        text: format!("{}: a migration drops or truncates data", file.path),
    })
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
        assert_eq!(review.worst(), Some(Severity::High));
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
