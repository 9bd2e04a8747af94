//! Deterministic checks of a push, run every time before any model and with none: secrets,
//! conflict markers, leftover debug code, new TODO/FIXME/XXX, large or binary files added,
//! executable bits changed, a lock file out of step with its manifest, and source changed
//! with no test changed. Each check is a pure function of the change and of the two sides of
//! the files it needs to look at, and answers in the findings models answer with, raised by
//! `checks` and anchored to lines of the new files.

mod files;
mod lines;
#[cfg(test)]
mod tests;

use crate::answer::{Finding, LineRange, Priority};
use crate::git::{ChangeSet, Repository};

/// The name findings of the deterministic checks are raised by.
pub(crate) const RAISED_BY: &str = "checks";

/// Files larger than this are not read whole by any check.
const MAX_READ_BYTES: usize = 1 << 20;

/// What a check may read beyond the patches: a file as it was before the push and as it is
/// after, and whether the repository keeps tests at all.
pub(crate) trait Sides {
    /// The file before the change, `None` when it did not exist (or is too large to read).
    fn before(&self, path: &str) -> Option<String>;
    /// The file after the change, `None` when it does not exist (or is too large to read).
    fn after(&self, path: &str) -> Option<String>;
    /// Whether the tree after the change holds any test file.
    fn has_tests(&self) -> bool;
}

/// Every check over `changes`, findings most severe first.
pub(crate) fn run(changes: &ChangeSet, sides: &dyn Sides) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in &changes.files {
        findings.extend(lines::secrets(file));
        findings.extend(lines::conflict_markers(file));
        findings.extend(lines::debug_leftovers(file, sides));
        findings.extend(lines::new_markers(file));
        findings.extend(files::size_and_kind(file));
        findings.extend(files::executable_bit(file));
    }
    findings.extend(files::lock_and_manifest(changes, sides));
    findings.extend(files::untested_source(changes, sides));
    for finding in &mut findings {
        finding.raised_by = vec![RAISED_BY.to_string()];
    }
    crate::answer::sort_findings(&mut findings);
    findings
}

/// A finding of the checks: priority, category, title, how sure, where.
fn finding(
    priority: Priority,
    category: &str,
    title: impl Into<String>,
    confidence: u8,
    path: &str,
    lines: Option<LineRange>,
) -> Finding {
    let mut finding = Finding::new(priority, category, title).at(path, lines);
    finding.confidence = confidence;
    finding
}

/// One line of the new file.
fn line(number: u32) -> Option<LineRange> {
    Some(LineRange { start: number, end: number })
}

/// True for paths of tests, examples, benchmarks and fixtures: debug output and markers
/// there are usually meant.
fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let in_folder = lower.split('/').rev().skip(1).any(|folder| {
        matches!(
            folder,
            "test"
                | "tests"
                | "__tests__"
                | "spec"
                | "specs"
                | "testdata"
                | "fixtures"
                | "examples"
                | "example"
                | "benches"
                | "bench"
                | "benchmarks"
        )
    });
    in_folder
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains("_spec.")
        || name.ends_with("_tests.rs")
        || name == "tests.rs"
        || name == "conftest.py"
}

/// The two sides of a push in a repository: `base` (`None`: the empty tree) and `tip`.
pub(crate) struct GitSides<'a> {
    repository: &'a Repository,
    base: Option<&'a str>,
    tip: &'a str,
}

impl<'a> GitSides<'a> {
    /// The sides of the diff from `base` to `tip`.
    pub(crate) fn new(repository: &'a Repository, base: Option<&'a str>, tip: &'a str) -> Self {
        Self { repository, base, tip }
    }

    fn read(&self, revision: &str, path: &str) -> Option<String> {
        let bytes = self.repository.file_at(revision, path).ok()??;
        (bytes.len() <= MAX_READ_BYTES).then(|| String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl Sides for GitSides<'_> {
    fn before(&self, path: &str) -> Option<String> {
        self.read(self.base?, path)
    }

    fn after(&self, path: &str) -> Option<String> {
        self.read(self.tip, path)
    }

    fn has_tests(&self) -> bool {
        self.repository.any_path(self.tip, is_test_path)
    }
}
