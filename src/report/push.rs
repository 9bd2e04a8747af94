//! The pre-push review as people read it: a few lines per model for the terminal and the full
//! markdown report, both from the same `PushOutput` that `--format json` prints.

use std::fmt::Write as _;

use crate::answer::{Priority, Skip, Skipped};
use crate::text::{count, short_duration, short_id};

use super::output::{PushCommit, PushOutput, PushRange, ReviewSource};

/// A few lines for the terminal: per range, per model, the verdict and the worst findings.
pub(crate) fn render_terminal(report: &PushOutput<'_>) -> String {
    let mut text = String::new();
    for range in &report.ranges {
        let _ = writeln!(text, "changes: review of {}", headline(report, range));
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

/// What one reviewed range is, in a phrase that follows "review of": `2 commits to origin
/// refs/heads/main (update), 2 files +10 -1`, `19 commits, 1161471..5becb9d, …`, or for a
/// forced update what the remote gains and loses.
fn headline(report: &PushOutput<'_>, range: &PushRange<'_>) -> String {
    // The commits listed; those beyond `push.max_commits` are counted in the report.
    let gained = range.commits.len();
    let lost = range.commits_lost.len();
    let files = format!(
        "{} +{} -{}",
        count(range.files.len(), "file"),
        range.files.iter().map(|file| file.added).sum::<usize>(),
        range.files.iter().map(|file| file.removed).sum::<usize>()
    );
    let commits = if lost > 0 {
        format!("{}, gaining {} and losing {}", range.kind, count(gained, "commit"), lost)
    } else {
        count(gained, "commit")
    };
    let refs = range.remote_ref.as_deref().unwrap_or_default();
    match (&report.range, &report.remote, report.source) {
        (Some(manual), _, _) => format!("{commits}, {}..{}, {files}", manual.from, manual.to),
        (None, Some(remote), ReviewSource::Upstream) => format!(
            "{commits} that git push would send to {} {refs} ({}), {files}",
            remote.name, range.kind
        ),
        (None, Some(remote), _) => {
            format!("{commits} to {} {refs} ({}), {files}", remote.name, range.kind)
        }
        (None, None, _) => format!("{commits}, {files}"),
    }
}

/// The full markdown report.
pub(crate) fn render_markdown(report: &PushOutput<'_>) -> String {
    let mut text = String::new();
    let commits: usize = report.ranges.iter().map(|range| range.commits.len()).sum();
    match (&report.range, &report.remote) {
        (Some(manual), _) => {
            let _ = writeln!(
                text,
                "# Review of {}..{}: {}\n",
                manual.from,
                manual.to,
                count(commits, "commit")
            );
            let _ = writeln!(
                text,
                "- Range: {}..{} (`{}`..`{}`)",
                manual.from,
                manual.to,
                short_id(&manual.from_id),
                short_id(&manual.to_id)
            );
        }
        (None, Some(remote)) => {
            let _ =
                writeln!(text, "# Push review: {} to {}\n", count(commits, "commit"), remote.name);
            let _ = writeln!(text, "- Remote: {} ({})", remote.name, remote.url);
        }
        (None, None) => {
            let _ = writeln!(text, "# Push review: {}\n", count(commits, "commit"));
        }
    }
    let _ = writeln!(text, "- Generated: {}", report.generated);
    for range in &report.ranges {
        let base = match (&range.base, &range.base_ref) {
            (Some(base), Some(name)) => format!("`{}` (merge base with {name})", short_id(base)),
            (Some(base), None) => format!("`{}`", short_id(base)),
            (None, _) => "the empty tree".to_string(),
        };
        let tip = short_id(&range.tip);
        let _ = match (&range.local_ref, &range.remote_ref) {
            (Some(local), Some(remote)) => {
                writeln!(text, "- {local} → {remote} ({}): {base}..`{tip}`", range.kind)
            }
            _ => writeln!(text, "- Diff: {base}..`{tip}` ({})", range.kind),
        };
    }
    for range in &report.ranges {
        if let (Some(local), Some(remote), true) =
            (&range.local_ref, &range.remote_ref, report.ranges.len() > 1)
        {
            let _ = writeln!(text, "\n## {local} → {remote}");
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
    let forced = !range.commits_lost.is_empty();
    let _ =
        writeln!(text, "\n## {}\n", if forced { "Commits the remote gains" } else { "Commits" });
    if range.commits.is_empty() {
        text.push_str("None: the remote has every commit already.\n");
    }
    list_commits(&range.commits, text);
    if forced {
        let _ = writeln!(text, "\n## Commits the remote loses\n");
        list_commits(&range.commits_lost, text);
    }
    let _ = writeln!(
        text,
        "\n## Files\n\n{} changed, +{} -{}\n",
        count(range.files.len(), "file"),
        range.changes.added_lines(),
        range.changes.removed_lines()
    );
    for file in &range.changes.files {
        let _ = writeln!(text, "- {}", file.header());
    }
    let mut left_out = Vec::new();
    if range.commits_left_out > 0 {
        left_out.push(format!(
            "{} not reviewed (push.max_commits)",
            count(range.commits_left_out, "older commit")
        ));
    }
    if range.commits_lost_left_out > 0 {
        left_out.push(format!(
            "{} the remote loses, not listed (push.max_commits)",
            count(range.commits_lost_left_out, "older commit")
        ));
    }
    if range.commits_already_on_remote > 0 {
        left_out.push(format!(
            "{} already on the remote under another ref (merged or rebased onto), not listed",
            count(range.commits_already_on_remote, "commit")
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

fn list_commits(commits: &[PushCommit], text: &mut String) {
    for commit in commits {
        let _ = writeln!(
            text,
            "- `{}` {} ({})",
            commit.id,
            crate::text::one_line(&commit.summary),
            crate::text::one_line(&commit.author)
        );
    }
}
