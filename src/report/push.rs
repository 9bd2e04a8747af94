//! The pre-push review as people read it: a few lines per model and the worst findings for
//! the terminal, and the full markdown report, both from the same `PushOutput` that
//! `--format json` prints (and `sarif` turns into SARIF).

use std::fmt::Write as _;

use crate::answer::{tally, Finding, Priority, Skip, Skipped};
use crate::git::hunks::{self, LineKind};
use crate::git::ChangeSet;
use crate::text::{count, markdown_line, markdown_prose, short_duration, short_id};

use super::output::{PushCommit, PushOutput, PushRange, ReviewSource};

/// Findings the terminal shows per range, worst first; the rest are in the report.
const TERMINAL_FINDINGS: usize = 5;

/// A few lines for the terminal: per range, each model's tally, then the verdict of all of
/// them and the worst findings, one line each with `path:line`.
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
        }
        let inside: Vec<&Finding> =
            range.findings.iter().filter(|finding| !finding.outside_diff).collect();
        let answered = range.models.iter().filter(|model| model.review.is_some()).count();
        if answered == 0 && range.findings.is_empty() {
            continue;
        }
        let _ = writeln!(text, "  verdict: {}, {}", range.verdict, tally(&range.findings));
        for finding in inside.iter().take(TERMINAL_FINDINGS) {
            let _ = writeln!(text, "    {}{}", finding.one_line(), raised_by(finding, answered));
        }
        if inside.len() > TERMINAL_FINDINGS {
            let _ =
                writeln!(text, "    …and {} more in the report", inside.len() - TERMINAL_FINDINGS);
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
    let refs = range.remote_ref.as_deref().unwrap_or_default();
    if lost > 0 {
        // A forced update: what the remote's ref gains and what it loses, said as such.
        let target = match (&report.range, &report.remote) {
            (Some(manual), _) => format!("{}..{}", manual.from, manual.to),
            (None, Some(remote)) => format!("to {} {refs}", remote.name),
            (None, None) => refs.to_string(),
        };
        return format!(
            "a forced update {target}: the remote gains {} and loses {}, {files}",
            count(gained, "commit"),
            count(lost, "commit")
        );
    }
    let commits = count(gained, "commit");
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
            markdown_line(&model.verdict()).replace('|', "\\|")
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
            markdown_line(&skipped.reason.to_string()).replace('|', "\\|")
        );
    }
    render_findings(range, text);
    let answered = range.models.iter().filter(|model| model.review.is_some()).count();
    for model in &range.models {
        let Some(review) = model.review else { continue };
        let _ = writeln!(
            text,
            "\n## {}\n\n### Summary\n\n{}",
            model.model,
            markdown_prose(&review.summary)
        );
        // With one reviewer, the findings above are all its own.
        if answered < 2 {
            continue;
        }
        text.push_str("\n### Findings\n\n");
        match review.explanation.as_str() {
            "" => {
                let _ = writeln!(text, "Verdict: {}.\n", review.verdict);
            }
            explanation => {
                let explanation = markdown_line(explanation);
                let _ = writeln!(text, "Verdict: {}: {explanation}\n", review.verdict);
            }
        }
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
            let title = markdown_line(&finding.title);
            let _ = writeln!(text, "- {marker} {place}{title}{outside}");
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

/// ` — gpt, claude`: who raised a finding, when more than one reviewer could have.
fn raised_by(finding: &Finding, reviewers: usize) -> String {
    if reviewers < 2 || finding.raised_by.is_empty() {
        return String::new();
    }
    format!(" — {}", finding.raised_by.join(", "))
}

/// The verdict of all reviewers, then each finding inside the change with the diff lines it
/// points at and its suggested replacement, then those that fell outside it.
fn render_findings(range: &PushRange<'_>, text: &mut String) {
    let answered = range.models.iter().filter(|model| model.review.is_some()).count();
    if answered == 0 && range.findings.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "\n## Verdict: {}\n\n{}; worst first, the same finding from several reviewers once.",
        range.verdict,
        tally(&range.findings)
    );
    let (inside, outside): (Vec<&Finding>, Vec<&Finding>) =
        range.findings.iter().partition(|finding| !finding.outside_diff);
    for (number, finding) in inside.iter().enumerate() {
        render_finding(number + 1, finding, range.changes, text);
    }
    if !outside.is_empty() {
        let _ = writeln!(
            text,
            "\n### Outside the pushed change\n\nThese point at files or lines the push does not \
             change; they neither count nor block.\n"
        );
        for finding in outside {
            let line = markdown_line(&finding.one_line());
            let _ = writeln!(text, "- {line} ({})", finding.raised_by.join(", "));
        }
    }
}

/// One finding: a heading with its place, who raised it and how sure they are, its body, the
/// diff lines it is about, and the replacement as a diff of those lines.
fn render_finding(number: usize, finding: &Finding, changes: &ChangeSet, text: &mut String) {
    let place = finding.location().map(|place| format!(" `{place}`")).unwrap_or_default();
    let title = markdown_line(&finding.title);
    let _ = writeln!(text, "\n### {number}. {}{place}: {title}\n", finding.priority);
    let _ = writeln!(
        text,
        "{} · confidence {}% · raised by {}",
        finding.category,
        finding.confidence,
        if finding.raised_by.is_empty() { "—".to_string() } else { finding.raised_by.join(", ") }
    );
    if !finding.body.is_empty() {
        let _ = writeln!(text, "\n{}", markdown_prose(&finding.body));
    }
    let patch = finding
        .path
        .as_deref()
        .and_then(|path| changes.files.iter().find(|file| file.path == path))
        .and_then(|file| file.patch.as_deref());
    let (Some(patch), Some(lines)) = (patch, finding.lines) else { return };
    let excerpt = hunks::excerpt(patch, lines);
    if excerpt.is_empty() {
        return;
    }
    let quoted: String = excerpt
        .iter()
        .map(|line| {
            let marker = match line.kind {
                LineKind::Added => '+',
                LineKind::Removed => '-',
                LineKind::Context => ' ',
            };
            format!("{marker}{}\n", line.text)
        })
        .collect();
    fenced("diff", &quoted, text);
    if let Some(suggestion) = &finding.suggestion {
        let mut replacement: String = excerpt
            .iter()
            .filter(|line| line.new_line.is_some())
            .map(|line| format!("-{}\n", line.text))
            .collect();
        for line in suggestion.lines() {
            let _ = writeln!(replacement, "+{line}");
        }
        let _ = writeln!(text, "\nSuggested replacement:");
        fenced("diff", &replacement, text);
    }
}

/// `content` in a code fence longer than any run of backticks in it, so that no text from a
/// model can close the fence early.
fn fenced(language: &str, content: &str, text: &mut String) {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = write!(text, "\n{fence}{language}\n{content}");
    if !content.ends_with('\n') {
        text.push('\n');
    }
    let _ = writeln!(text, "{fence}");
}

fn list_commits(commits: &[PushCommit], text: &mut String) {
    for commit in commits {
        let _ = writeln!(
            text,
            "- `{}` {} ({})",
            commit.id,
            markdown_line(&commit.summary),
            markdown_line(&commit.author)
        );
    }
}
