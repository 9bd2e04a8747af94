//! What becomes of the findings models raise: each is checked against the pushed change
//! (its file must be part of it, its lines must be lines the diff shows), the same finding
//! raised by several models becomes one naming all of them, and the reviews together give
//! one verdict.
//!
//! A finding that points outside the change is not dropped but flagged (`outside_diff`): it
//! stays in the report and the JSON, so that nothing a model said is silently lost, while it
//! is left out of the terminal, SARIF, the verdict and `push.block`, which speak only of
//! what is being pushed.

use std::collections::BTreeSet;

use crate::answer::{sort_findings, Finding, LineRange, Review, Verdict};
use crate::git::{hunks, ChangeSet, FileChange};

/// Anchors every finding of `review` to the change: paths as the change names them, lines
/// inside what the diff shows, and `outside_diff` where that cannot be done.
pub(crate) fn validate(review: &mut Review, changes: &ChangeSet) {
    for finding in &mut review.findings {
        anchor(finding, changes);
    }
    sort_findings(&mut review.findings);
}

fn anchor(finding: &mut Finding, changes: &ChangeSet) {
    let Some(path) = finding.path.as_deref() else { return };
    let Some(file) = find_file(changes, path) else {
        finding.outside_diff = true;
        return;
    };
    finding.path = Some(file.path.clone());
    let Some(lines) = finding.lines else { return };
    let Some(patch) = &file.patch else {
        // Its content was not sent, so the lines were guessed: the file is what is known.
        finding.lines = None;
        finding.suggestion = None;
        return;
    };
    let shown = hunks::shown_ranges(patch);
    match shown.iter().find(|range| range.start <= lines.end && lines.start <= range.end) {
        Some(range) => {
            let clamped =
                LineRange { start: lines.start.max(range.start), end: lines.end.min(range.end) };
            if clamped != lines {
                // A replacement for lines partly outside the diff cannot be applied to it.
                finding.suggestion = None;
            }
            finding.lines = Some(clamped);
        }
        None => finding.outside_diff = true,
    }
}

/// The file of the change that `path` names: exactly, after the usual prefixes models add
/// (`./`, `a/`, `b/`, a leading `/`), by its old name, or by a file name only one changed
/// file has.
fn find_file<'a>(changes: &'a ChangeSet, path: &str) -> Option<&'a FileChange> {
    let path = path.trim().trim_matches('`');
    let mut candidates = vec![path];
    for prefix in ["./", "a/", "b/", "/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            candidates.push(rest);
        }
    }
    for candidate in &candidates {
        let exact = changes
            .files
            .iter()
            .find(|file| file.path == *candidate || file.old_path.as_deref() == Some(*candidate));
        if exact.is_some() {
            return exact;
        }
    }
    if path.contains('/') {
        return None;
    }
    let suffix = format!("/{path}");
    let mut named = changes.files.iter().filter(|file| file.path.ends_with(&suffix));
    match (named.next(), named.next()) {
        (Some(file), None) => Some(file),
        _ => None,
    }
}

/// The findings of every review as one list: the same finding raised by several reviewers
/// is one, naming all of them, with the most severe priority and the highest confidence any
/// of them gave. Most severe first.
pub(crate) fn merge<'a>(reviews: impl IntoIterator<Item = &'a [Finding]>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::new();
    for findings in reviews {
        for finding in findings {
            match merged.iter_mut().find(|known| same(known, finding)) {
                Some(known) => absorb(known, finding),
                None => merged.push(finding.clone()),
            }
        }
    }
    sort_findings(&mut merged);
    merged
}

/// Whether two findings are the same one: the same file (or both about the whole change),
/// lines that meet when both give lines, and titles that say much the same thing — or the
/// same category on the very same lines.
fn same(a: &Finding, b: &Finding) -> bool {
    if a.path != b.path || a.outside_diff != b.outside_diff {
        return false;
    }
    let lines_meet = match (a.lines, b.lines) {
        (Some(x), Some(y)) => x.start <= y.end && y.start <= x.end,
        _ => true,
    };
    if !lines_meet {
        return false;
    }
    let same_category = a.category == b.category && a.category != "general";
    let both_lined = a.lines.is_some() && b.lines.is_some();
    similarity(&a.title, &b.title) >= 0.4 || (same_category && both_lined)
}

/// `known` absorbs `other`: its reviewers, a more severe priority, a higher confidence, and
/// the lines, body and suggestion it lacked.
fn absorb(known: &mut Finding, other: &Finding) {
    for name in &other.raised_by {
        if !known.raised_by.contains(name) {
            known.raised_by.push(name.clone());
        }
    }
    known.priority = known.priority.min(other.priority);
    known.confidence = known.confidence.max(other.confidence);
    if known.lines.is_none() {
        known.lines = other.lines;
    }
    if known.body.is_empty() {
        known.body.clone_from(&other.body);
    }
    if known.suggestion.is_none() {
        known.suggestion.clone_from(&other.suggestion);
    }
}

/// Shared words over all words (Jaccard) of two titles, ignoring case and short words.
fn similarity(a: &str, b: &str) -> f64 {
    let words = |text: &str| -> BTreeSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.len() > 2)
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The verdict of all reviews together: changes are needed when a P0 or P1 finding points
/// inside the change, or when most reviewers say so themselves.
pub(crate) fn overall<'a>(
    merged: &[Finding],
    reviews: impl IntoIterator<Item = &'a Review>,
) -> Verdict {
    let verdicts: Vec<Verdict> = reviews.into_iter().map(|review| review.verdict).collect();
    let asking = verdicts.iter().filter(|verdict| **verdict == Verdict::NeedsChanges).count();
    if Verdict::of(merged) == Verdict::NeedsChanges || asking * 2 > verdicts.len() {
        Verdict::NeedsChanges
    } else {
        Verdict::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Priority;
    use crate::git::{FileChange, Source, Status};

    fn file(path: &str, patch: Option<&str>) -> FileChange {
        FileChange {
            path: path.to_string(),
            old_path: None,
            status: Status::Modified,
            added_lines: 1,
            removed_lines: 0,
            old_size: 1,
            new_size: 2,
            old_mode: 0o100644,
            new_mode: 0o100644,
            exclusion: None,
            cut: None,
            patch: patch.map(str::to_string),
            private_patch: None,
        }
    }

    fn changes() -> ChangeSet {
        ChangeSet {
            source: Source::Staged,
            files: vec![
                file("src/db.rs", Some("@@ -10,3 +10,4 @@\n a\n+b\n c\n d\n")),
                file("config/secret.env", None),
            ],
        }
    }

    fn finding(path: &str, lines: Option<(u32, u32)>, title: &str, model: &str) -> Finding {
        let mut finding = Finding::new(Priority::P1, "bug", title)
            .at(path, lines.map(|(start, end)| LineRange { start, end }));
        finding.raised_by = vec![model.to_string()];
        finding.suggestion = Some("fixed".to_string());
        finding
    }

    fn validated(finding: Finding) -> Finding {
        let mut review = Review::new(String::new(), vec![finding]);
        validate(&mut review, &changes());
        review.findings.remove(0)
    }

    #[test]
    fn findings_inside_the_diff_keep_their_lines_and_prefixes_are_forgiven() {
        let kept = validated(finding("b/src/db.rs", Some((11, 12)), "x", "gpt"));
        assert_eq!(kept.path.as_deref(), Some("src/db.rs"));
        assert_eq!(kept.lines, Some(LineRange { start: 11, end: 12 }));
        assert!(!kept.outside_diff);
        assert_eq!(kept.suggestion.as_deref(), Some("fixed"));
        let by_name = validated(finding("db.rs", None, "x", "gpt"));
        assert_eq!(by_name.path.as_deref(), Some("src/db.rs"));
    }

    #[test]
    fn lines_partly_outside_are_clamped_and_lose_their_suggestion() {
        let clamped = validated(finding("src/db.rs", Some((12, 20)), "x", "gpt"));
        assert_eq!(clamped.lines, Some(LineRange { start: 12, end: 13 }));
        assert_eq!(clamped.suggestion, None);
        assert!(!clamped.outside_diff);
    }

    #[test]
    fn findings_outside_the_change_are_flagged() {
        assert!(validated(finding("src/db.rs", Some((40, 41)), "x", "gpt")).outside_diff);
        assert!(validated(finding("src/other.rs", Some((1, 1)), "x", "gpt")).outside_diff);
        let unsent = validated(finding("config/secret.env", Some((3, 3)), "x", "gpt"));
        assert!(!unsent.outside_diff, "a file not sent is in the change");
        assert_eq!(unsent.lines, None, "but its lines were guessed");
    }

    #[test]
    fn the_same_finding_from_two_models_is_one_naming_both() {
        let gpt = [finding("src/db.rs", Some((11, 12)), "Unchecked index can panic", "gpt")];
        let mut other =
            finding("src/db.rs", Some((12, 12)), "index can panic when empty", "claude");
        other.priority = Priority::P0;
        other.confidence = 90;
        let claude = [other, finding("src/db.rs", Some((40, 40)), "Typo in comment", "claude")];
        let merged = merge([&gpt[..], &claude[..]]);
        assert_eq!(merged.len(), 2, "{merged:#?}");
        assert_eq!(merged[0].raised_by, vec!["gpt".to_string(), "claude".to_string()]);
        assert_eq!(merged[0].priority, Priority::P0);
        assert_eq!(merged[0].confidence, 90);
        assert_eq!(merged[0].title, "Unchecked index can panic");
        assert_eq!(merged[1].raised_by, vec!["claude".to_string()]);
    }

    #[test]
    fn the_verdict_needs_changes_for_a_serious_finding_or_most_reviewers() {
        let ready = Review::new(String::new(), Vec::new());
        let serious = [finding("src/db.rs", Some((11, 11)), "x", "gpt")];
        assert_eq!(overall(&serious, [&ready]), Verdict::NeedsChanges);
        assert_eq!(overall(&[], [&ready]), Verdict::Ready);
        let mut asking = ready.clone();
        asking.verdict = Verdict::NeedsChanges;
        assert_eq!(overall(&[], [&asking, &asking, &ready]), Verdict::NeedsChanges);
        assert_eq!(overall(&[], [&asking, &ready]), Verdict::Ready);
    }
}
