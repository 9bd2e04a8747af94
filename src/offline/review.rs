//! The built-in engine's review of a push: its own summary of the change, and what reading
//! the diff as a reviewer adds to the deterministic checks (`checks`), which already report
//! secrets, debug code, markers, sizes, modes, lock files and missing tests with their lines:
//! destructive migrations.

use crate::answer::{Finding, Priority, Review};
use crate::git::{ChangeSet, FileChange};

/// The built-in model's review: the outgoing commits (newest first) grouped by intent, and
/// findings a reader of the diff would flag that no deterministic check does.
pub(crate) fn review(
    changes: &ChangeSet,
    commits: &[super::intent::Commit],
    conventions: Option<&crate::conventions::Conventions>,
) -> Review {
    let summary = super::intent::summarize(commits, conventions);
    let findings = changes.files.iter().filter_map(risky_migration).collect();
    Review::new(summary, findings)
}

/// A finding of the built-in engine, which names itself as the one that raised it.
fn finding(
    priority: Priority,
    category: &str,
    title: impl Into<String>,
    confidence: u8,
) -> Finding {
    let mut finding = Finding::new(priority, category, title);
    finding.confidence = confidence;
    finding
}

fn added_lines(file: &FileChange) -> impl Iterator<Item = &str> {
    file.patch.iter().flat_map(|patch| super::patch::added_lines(patch))
}

fn risky_migration(file: &FileChange) -> Option<Finding> {
    let path = file.path.to_ascii_lowercase();
    if !(path.contains("migration") || path.ends_with(".sql")) {
        return None;
    }
    let destructive = added_lines(file).any(|line| {
        let upper = line.to_ascii_uppercase();
        upper.contains("DROP TABLE") || upper.contains("DROP COLUMN") || upper.contains("TRUNCATE")
    });
    destructive.then(|| {
        finding(Priority::P1, "data", "a migration drops or truncates data", 70)
            .at(file.path.clone(), None)
    })
}
