//! The built-in engine's review of a push: its own summary of the change, and the risks any
//! reader of the diff would flag plainly — secrets, files that usually hold secrets, leftover
//! debug code, destructive migrations, source changed with no test changed.

use crate::answer::{Review, Risk, Severity};
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
/// risks any reader of the diff would flag.
pub(crate) fn review(
    changes: &ChangeSet,
    secrets: &[SecretFound],
    commits: &[super::intent::Commit],
    conventions: Option<&crate::conventions::Conventions>,
) -> Review {
    let summary = super::intent::summarize(commits, conventions);
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
    Review { summary, risks }
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
