//! The pre-push review as people and programs read it: a few lines per model for the
//! terminal, the full markdown report, and the same content as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::git::push::Outgoing;
use crate::git::ChangeSet;
use crate::llm::{Answer, NO_KEY_REASON};
use crate::report::{format_duration_short, human_bytes};
use crate::summarize::prompt::file_header;
use crate::summarize::review::{Review, Severity};

/// One reviewed range and what the models said about it.
#[derive(Debug)]
pub struct ReviewedRange<'a> {
    /// The commits and refs.
    pub outgoing: &'a Outgoing,
    /// The combined change that was reviewed.
    pub changes: &'a ChangeSet,
    /// Each model's review.
    pub answers: &'a [Answer<Review>],
    /// Models not asked, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Everything the report shows.
#[derive(Debug)]
pub struct PushReport<'a> {
    /// The remote's name (or URL when pushing to a URL).
    pub remote: &'a str,
    /// The remote's URL, credentials removed.
    pub url: String,
    /// When the review ran, readable.
    pub generated: &'a str,
    /// One entry per distinct range pushed.
    pub ranges: Vec<ReviewedRange<'a>>,
}

/// Removes `user:password@` from a URL; scp-like `git@host:path` stays as it is.
pub fn strip_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, path) =
        rest.split_once('/').map_or((rest, ""), |(authority, path)| (authority, path));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if path.is_empty() && !rest.contains('/') {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}/{path}")
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// The status cell of a model: its verdict, or why it failed.
fn status(answer: &Answer<Review>) -> String {
    match &answer.outcome {
        Ok(review) => review.verdict(),
        Err(reason) => format!("failed: {reason}"),
    }
}

/// A few lines for the terminal: per range, per model, the verdict and the top risks.
pub fn render_terminal(report: &PushReport<'_>, report_path: Option<&str>) -> String {
    let mut text = String::new();
    for range in &report.ranges {
        let outgoing = range.outgoing;
        let _ = writeln!(
            text,
            "changes: review of {} commit{} to {} {} ({})",
            outgoing.commits.len(),
            if outgoing.commits.len() == 1 { "" } else { "s" },
            report.remote,
            outgoing.update.remote_ref,
            outgoing.kind
        );
        for answer in range.answers {
            let _ = writeln!(
                text,
                "  {} ({}): {}",
                answer.model,
                format_duration_short(answer.duration),
                status(answer)
            );
            if let Ok(review) = &answer.outcome {
                for risk in review.risks.iter().take(3) {
                    let _ = writeln!(text, "    [{}] {}", risk.severity, risk.text);
                }
                if review.risks.len() > 3 {
                    let _ =
                        writeln!(text, "    …and {} more in the report", review.risks.len() - 3);
                }
            }
        }
    }
    if let Some(path) = report_path {
        let _ = writeln!(text, "  report: {path}");
    }
    text
}

/// The full markdown report.
pub fn render_markdown(report: &PushReport<'_>) -> String {
    let mut text = String::new();
    let commits: usize = report.ranges.iter().map(|range| range.outgoing.commits.len()).sum();
    let _ = writeln!(
        text,
        "# Push review: {commits} commit{} to {}\n",
        if commits == 1 { "" } else { "s" },
        report.remote
    );
    let _ = writeln!(text, "- Remote: {} ({})", report.remote, report.url);
    let _ = writeln!(text, "- Generated: {}", report.generated);
    for range in &report.ranges {
        let outgoing = range.outgoing;
        let base = outgoing
            .base
            .as_deref()
            .map_or("the empty tree".to_string(), |base| format!("`{}`", short(base)));
        let _ = writeln!(
            text,
            "- {} → {} ({}): {base}..`{}`",
            outgoing.update.local_ref,
            outgoing.update.remote_ref,
            outgoing.kind,
            short(&outgoing.tip)
        );
    }
    for range in &report.ranges {
        let outgoing = range.outgoing;
        if report.ranges.len() > 1 {
            let _ = writeln!(
                text,
                "\n## {} → {}",
                outgoing.update.local_ref, outgoing.update.remote_ref
            );
        }
        let _ =
            writeln!(text, "\n## Models\n\n| model | time | status | output |\n|---|---|---|---|");
        for answer in range.answers {
            let size = match &answer.outcome {
                Ok(review) => human_bytes(
                    (review.summary.len()
                        + review.risks.iter().map(|risk| risk.text.len()).sum::<usize>())
                        as u64,
                ),
                Err(_) => "—".to_string(),
            };
            let _ = writeln!(
                text,
                "| {} | {} | {} | {size} |",
                answer.model,
                format_duration_short(answer.duration),
                status(answer).replace('|', "\\|")
            );
        }
        // Models without a key are the usual case: one row names them all.
        let (no_key, others): (Vec<_>, Vec<_>) =
            range.skipped.iter().partition(|(_, reason)| reason.starts_with(NO_KEY_REASON));
        if !no_key.is_empty() {
            let names: Vec<&str> = no_key.iter().map(|(model, _)| model.as_str()).collect();
            let _ = writeln!(text, "| {} | — | not asked: no key set | — |", names.join(", "));
        }
        for (model, reason) in others {
            let _ = writeln!(text, "| {model} | — | skipped: {} | — |", reason.replace('|', "\\|"));
        }
        for answer in range.answers {
            let Ok(review) = &answer.outcome else { continue };
            let _ = writeln!(
                text,
                "\n## {}\n\n### Summary\n\n{}\n\n### Risks\n",
                answer.model, review.summary
            );
            if review.risks.is_empty() {
                text.push_str("None found.\n");
            }
            for risk in &review.risks {
                let marker = match risk.severity {
                    Severity::High => "**high**",
                    Severity::Medium => "**medium**",
                    Severity::Low => "low",
                };
                let _ = writeln!(text, "- {marker} {}", risk.text);
            }
        }
        let _ = writeln!(text, "\n## Commits\n");
        for commit in &outgoing.commits {
            let _ = writeln!(text, "- `{}` {} ({})", commit.id, commit.summary, commit.author);
        }
        let mut left_out = Vec::new();
        if outgoing.left_out > 0 {
            left_out.push(format!(
                "{} older commit{} not reviewed (push.max_commits)",
                outgoing.left_out,
                if outgoing.left_out == 1 { "" } else { "s" }
            ));
        }
        if outgoing.rewritten > 0 {
            left_out.push(format!(
                "this push rewrites {} commit{} already on the remote",
                outgoing.rewritten,
                if outgoing.rewritten == 1 { "" } else { "s" }
            ));
        }
        for file in range.changes.files.iter().filter(|file| file.patch.is_none()) {
            let reason = match (&file.exclusion, &file.cut) {
                (Some(exclusion), _) => exclusion.to_string(),
                (None, Some(cut)) => cut.to_string(),
                (None, None) => "no content change".to_string(),
            };
            left_out.push(format!("{}: {reason}", file_header(file)));
        }
        if !left_out.is_empty() {
            let _ = writeln!(text, "\n## Left out\n");
            for line in left_out {
                let _ = writeln!(text, "- {line}");
            }
        }
    }
    text
}

/// The report as JSON, with the same content and a stable order.
pub fn render_json(report: &PushReport<'_>, report_path: Option<&str>) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        remote: &'a str,
        url: &'a str,
        generated: &'a str,
        report: Option<&'a str>,
        ranges: Vec<RangeJson<'a>>,
    }
    #[derive(Serialize)]
    struct RangeJson<'a> {
        local_ref: &'a str,
        remote_ref: &'a str,
        kind: String,
        base: Option<&'a str>,
        tip: &'a str,
        commits: Vec<CommitJson<'a>>,
        commits_left_out: usize,
        commits_rewritten: usize,
        files_not_sent: Vec<String>,
        models: Vec<ModelJson<'a>>,
    }
    #[derive(Serialize)]
    struct CommitJson<'a> {
        id: &'a str,
        summary: &'a str,
        author: &'a str,
    }
    #[derive(Serialize)]
    struct ModelJson<'a> {
        model: &'a str,
        duration_ms: u128,
        status: &'static str,
        error: Option<&'a str>,
        review: Option<&'a Review>,
    }
    let json = Json {
        remote: report.remote,
        url: &report.url,
        generated: report.generated,
        report: report_path,
        ranges: report
            .ranges
            .iter()
            .map(|range| RangeJson {
                local_ref: &range.outgoing.update.local_ref,
                remote_ref: &range.outgoing.update.remote_ref,
                kind: range.outgoing.kind.to_string(),
                base: range.outgoing.base.as_deref(),
                tip: &range.outgoing.tip,
                commits: range
                    .outgoing
                    .commits
                    .iter()
                    .map(|commit| CommitJson {
                        id: &commit.id,
                        summary: &commit.summary,
                        author: &commit.author,
                    })
                    .collect(),
                commits_left_out: range.outgoing.left_out,
                commits_rewritten: range.outgoing.rewritten,
                files_not_sent: range
                    .changes
                    .files
                    .iter()
                    .filter(|file| file.patch.is_none())
                    .map(|file| file.path.clone())
                    .collect(),
                models: range
                    .answers
                    .iter()
                    .map(|answer| ModelJson {
                        model: answer.model.as_str(),
                        duration_ms: answer.duration.as_millis(),
                        status: if answer.outcome.is_ok() { "ok" } else { "failed" },
                        error: answer.outcome.as_ref().err().map(String::as_str),
                        review: answer.outcome.as_ref().ok(),
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::strip_credentials;

    #[test]
    fn credentials_are_removed_from_urls() {
        assert_eq!(
            strip_credentials("https://user:token@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(strip_credentials("https://github.com/o/r.git"), "https://github.com/o/r.git");
        assert_eq!(strip_credentials("ssh://git@host:22/r.git"), "ssh://host:22/r.git");
        assert_eq!(strip_credentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(strip_credentials("/tmp/remote.git"), "/tmp/remote.git");
    }
}
