//! The pre-push review as people read it: a few lines per model for the terminal and the full
//! markdown report, both from the same `PushOutput` that `--format json` prints.

use std::fmt::Write as _;

use crate::answer::{Priority, Skip, Skipped};
use crate::text::{count, short_duration, short_id};

use super::output::{PushOutput, PushRange};

/// A few lines for the terminal: per range, per model, the verdict and the worst findings.
pub(crate) fn render_terminal(report: &PushOutput<'_>) -> String {
    let mut text = String::new();
    for range in &report.ranges {
        let _ = writeln!(
            text,
            "changes: review of {} to {} {} ({})",
            count(range.commits.len(), "commit"),
            report.remote,
            range.remote_ref,
            range.kind
        );
        for model in &range.models {
            let _ = writeln!(
                text,
                "  {} ({}): {}",
                model.model,
                short_duration(model.duration),
                model.verdict()
            );
            if let Some(review) = model.review {
                let inside: Vec<_> =
                    review.findings.iter().filter(|finding| !finding.outside_diff).collect();
                for finding in inside.iter().take(3) {
                    let _ = writeln!(text, "    {}", finding.one_line());
                }
                if inside.len() > 3 {
                    let _ = writeln!(text, "    …and {} more in the report", inside.len() - 3);
                }
            }
        }
    }
    if let Some(path) = &report.report {
        let _ = writeln!(text, "  report: {path}");
    }
    text
}

/// The full markdown report.
pub(crate) fn render_markdown(report: &PushOutput<'_>) -> String {
    let mut text = String::new();
    let commits: usize = report.ranges.iter().map(|range| range.commits.len()).sum();
    let _ = writeln!(text, "# Push review: {} to {}\n", count(commits, "commit"), report.remote);
    let _ = writeln!(text, "- Remote: {} ({})", report.remote, report.url);
    let _ = writeln!(text, "- Generated: {}", report.generated);
    for range in &report.ranges {
        let base = range
            .base
            .as_deref()
            .map_or("the empty tree".to_string(), |base| format!("`{}`", short_id(base)));
        let _ = writeln!(
            text,
            "- {} → {} ({}): {base}..`{}`",
            range.local_ref,
            range.remote_ref,
            range.kind,
            short_id(&range.tip)
        );
    }
    for range in &report.ranges {
        if report.ranges.len() > 1 {
            let _ = writeln!(text, "\n## {} → {}", range.local_ref, range.remote_ref);
        }
        render_range(range, &mut text);
    }
    text
}

fn render_range(range: &PushRange<'_>, text: &mut String) {
    let _ = writeln!(text, "\n## Models\n\n| model | time | status | output |\n|---|---|---|---|");
    for model in &range.models {
        let size = match model.review {
            Some(review) => crate::text::human_bytes(
                (review.summary.len()
                    + review
                        .findings
                        .iter()
                        .map(|finding| finding.title.len() + finding.body.len())
                        .sum::<usize>()) as u64,
            ),
            None => "—".to_string(),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {size} |",
            model.model,
            short_duration(model.duration),
            model.verdict().replace('|', "\\|")
        );
    }
    // Models without a key are the usual case: one row names them all.
    let (no_key, others): (Vec<&Skipped>, Vec<&Skipped>) =
        range.skipped.iter().partition(|skipped| matches!(skipped.reason, Skip::NoKey { .. }));
    if !no_key.is_empty() {
        let names: Vec<&str> = no_key.iter().map(|skipped| skipped.model.as_str()).collect();
        let _ = writeln!(text, "| {} | — | not asked: no key set | — |", names.join(", "));
    }
    for skipped in others {
        let _ = writeln!(
            text,
            "| {} | — | skipped: {} | — |",
            skipped.model,
            skipped.reason.to_string().replace('|', "\\|")
        );
    }
    for model in &range.models {
        let Some(review) = model.review else { continue };
        let _ = writeln!(
            text,
            "\n## {}\n\n### Summary\n\n{}\n\n### Findings\n",
            model.model, review.summary
        );
        if review.findings.is_empty() {
            text.push_str("None found.\n");
        }
        for finding in &review.findings {
            let marker = match finding.priority {
                Priority::P0 | Priority::P1 => format!("**{}**", finding.priority),
                Priority::P2 | Priority::P3 => finding.priority.to_string(),
            };
            let place = finding.location().map(|place| format!("{place}: ")).unwrap_or_default();
            let outside = if finding.outside_diff { " (outside the diff)" } else { "" };
            let _ = writeln!(text, "- {marker} {place}{}{outside}", finding.title);
        }
    }
    let _ = writeln!(text, "\n## Commits\n");
    for commit in &range.commits {
        let _ = writeln!(
            text,
            "- `{}` {} ({})",
            commit.id,
            crate::text::one_line(&commit.summary),
            crate::text::one_line(&commit.author)
        );
    }
    let mut left_out = Vec::new();
    if range.commits_left_out > 0 {
        left_out.push(format!(
            "{} not reviewed (push.max_commits)",
            count(range.commits_left_out, "older commit")
        ));
    }
    if range.commits_rewritten > 0 {
        left_out.push(format!(
            "this push rewrites {} already on the remote",
            count(range.commits_rewritten, "commit")
        ));
    }
    for file in range.changes.files.iter().filter(|file| file.patch.is_none()) {
        left_out.push(format!("{}: {}", file.header(), file.unsent_reason()));
    }
    if !left_out.is_empty() {
        let _ = writeln!(text, "\n## Left out\n");
        for line in left_out {
            let _ = writeln!(text, "- {line}");
        }
    }
}
