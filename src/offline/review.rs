//! The built-in engine's review of a push: its own summary of the change, and the findings any
//! reader of the diff would flag plainly — secrets, files that usually hold secrets, leftover
//! debug code, destructive migrations, source changed with no test changed.

use crate::answer::{Finding, LineRange, Priority, Review};
use crate::git::{ChangeSet, Exclusion, FileChange};
use crate::privacy::SecretFound;

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

/// The built-in model's review: the outgoing commits (newest first) grouped by intent, and
/// findings any reader of the diff would flag.
pub(crate) fn review(
    changes: &ChangeSet,
    secrets: &[SecretFound],
    commits: &[super::intent::Commit],
    conventions: Option<&crate::conventions::Conventions>,
) -> Review {
    let summary = super::intent::summarize(commits, conventions);
    let mut findings = Vec::new();
    for secret in secrets {
        let lines = secret.line.and_then(|line| u32::try_from(line).ok());
        findings.push(
            finding(Priority::P0, "security", format!("a {} is being pushed", secret.kind), 90)
                .at(secret.path.clone(), lines.map(|line| LineRange { start: line, end: line })),
        );
    }
    for file in &changes.files {
        if file.exclusion == Some(Exclusion::Secret) && file.new_size > 0 {
            findings.push(
                finding(
                    Priority::P0,
                    "security",
                    "a file that usually holds secrets is being pushed",
                    70,
                )
                .at(file.path.clone(), None),
            );
        }
        findings.extend(debug_leftovers(file));
        findings.extend(risky_migration(file));
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
        findings.push(finding(
            Priority::P3,
            "tests",
            format!("{code_changed} source file(s) changed and no test changed"),
            60,
        ));
    }
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
    file.patch.iter().flat_map(|patch| patch.lines()).filter_map(|line| line.strip_prefix('+'))
}

fn debug_leftovers(file: &FileChange) -> Option<Finding> {
    let path = file.path.to_ascii_lowercase();
    if path.contains("test") || path.contains("example") || path.contains("bench") {
        return None;
    }
    let found: Vec<&str> = DEBUG_PATTERNS
        .iter()
        .filter(|(pattern, _)| added_lines(file).any(|line| line.contains(pattern)))
        .map(|(_, name)| *name)
        .collect();
    (!found.is_empty()).then(|| {
        finding(Priority::P2, "debug", format!("leftover debug code ({})", found.join(", ")), 80)
            .at(file.path.clone(), None)
    })
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
