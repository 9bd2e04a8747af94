//! Checks of the lines a push adds: secrets the redactor recognises, conflict markers,
//! leftover debug code per language, and new TODO/FIXME/XXX comments.

use std::collections::HashSet;

use super::{finding, is_test_path, line, Sides};
use crate::answer::{Finding, LineRange, Priority};
use crate::git::hunks::{self, LineKind};
use crate::git::{Exclusion, FileChange};

/// Debug code is reported once per file and kind; the other lines are named in the body.
const MAX_LINES_NAMED: usize = 10;

/// The lines a patch adds, with their line numbers in the new file.
pub(super) fn added(patch: &str) -> Vec<(u32, &str)> {
    hunks::lines(patch)
        .into_iter()
        .filter(|line| line.kind == LineKind::Added)
        .filter_map(|line| Some((line.new_line?, line.text)))
        .collect()
}

/// The trimmed text of every line a patch removes: an added line equal to one of them was
/// moved, not written.
fn removed(patch: &str) -> HashSet<&str> {
    patch
        .lines()
        .filter(|text| !text.starts_with("---"))
        .filter_map(|text| text.strip_prefix('-'))
        .map(str::trim)
        .collect()
}

/// Secrets in the added lines, by the redactor's own detections, and files that usually hold
/// secrets (`.env`, private keys) being added or changed.
pub(super) fn secrets(file: &FileChange) -> Vec<Finding> {
    let mut findings = Vec::new();
    if file.exclusion == Some(Exclusion::Secret) && file.new_size > 0 {
        let mut found = finding(
            Priority::P1,
            "security",
            "a file that usually holds secrets is being pushed",
            70,
            &file.path,
            None,
        );
        found.body = "Files like this one are rarely meant for a repository; its content was \
                      not read. Remove it from the commit and add it to .gitignore if it holds \
                      real credentials."
            .to_string();
        findings.push(found);
    }
    let Some(patch) = &file.patch else { return findings };
    let (_, found) = crate::privacy::redact_patch(&file.path, patch);
    let mut seen = HashSet::new();
    for secret in found {
        let Some(number) = secret.line.and_then(|number| u32::try_from(number).ok()) else {
            continue;
        };
        if !seen.insert((number, secret.kind)) {
            continue;
        }
        let mut found = finding(
            Priority::P0,
            "security",
            format!("{} {} is being pushed", crate::privacy::article(secret.kind), secret.kind),
            90,
            &file.path,
            line(number),
        );
        found.body = "Once pushed, a credential is public to everyone who can fetch: revoke \
                      it, then remove it from the history before pushing."
            .to_string();
        findings.push(found);
    }
    findings
}

/// `<<<<<<<`, `=======`, `>>>>>>>` left from a merge: one finding per conflict, from its
/// first marker to its last. A lone `=======` (a heading underline) is not a conflict.
pub(super) fn conflict_markers(file: &FileChange) -> Vec<Finding> {
    let Some(patch) = &file.patch else { return Vec::new() };
    let is_marker = |text: &str, marker: &str| {
        text.strip_prefix(marker).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let mut findings = Vec::new();
    let mut open: Option<u32> = None;
    let lines = added(patch);
    for (number, text) in &lines {
        if is_marker(text, "<<<<<<<") {
            open = Some(open.unwrap_or(*number));
        } else if is_marker(text, ">>>>>>>") {
            let start = open.take().unwrap_or(*number);
            findings.push(conflict(file, LineRange { start, end: *number }));
        }
    }
    if let Some(start) = open {
        findings.push(conflict(file, LineRange { start, end: start }));
    }
    findings
}

fn conflict(file: &FileChange, lines: LineRange) -> Finding {
    let mut found = finding(
        Priority::P0,
        "bug",
        "conflict markers left from a merge",
        95,
        &file.path,
        Some(lines),
    );
    found.body = "Resolve the conflict: keep the side you want and delete the markers.".to_string();
    found
}

/// One kind of debug code: which files it is looked for in, what it looks like, and whether
/// it is only unusual (printing) rather than always a leftover.
struct DebugPattern {
    extensions: &'static [&'static str],
    needle: &'static str,
    name: &'static str,
    /// Printing is a leftover only where the file's history shows it is unusual.
    printing: bool,
}

const RUST: &[&str] = &["rs"];
const PYTHON: &[&str] = &["py"];
const SCRIPT: &[&str] = &["js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"];
const RUBY: &[&str] = &["rb"];
const PHP: &[&str] = &["php"];

const DEBUG_PATTERNS: &[DebugPattern] = &[
    DebugPattern { extensions: RUST, needle: "dbg!(", name: "dbg!", printing: false },
    DebugPattern { extensions: RUST, needle: "println!(", name: "println!", printing: true },
    DebugPattern {
        extensions: PYTHON,
        needle: "breakpoint()",
        name: "breakpoint()",
        printing: false,
    },
    DebugPattern {
        extensions: PYTHON,
        needle: "pdb.set_trace(",
        name: "pdb.set_trace()",
        printing: false,
    },
    DebugPattern { extensions: PYTHON, needle: "import pdb", name: "import pdb", printing: false },
    DebugPattern {
        extensions: PYTHON,
        needle: "import ipdb",
        name: "import ipdb",
        printing: false,
    },
    DebugPattern { extensions: SCRIPT, needle: "debugger;", name: "debugger", printing: false },
    DebugPattern {
        extensions: SCRIPT,
        needle: "console.log(",
        name: "console.log",
        printing: true,
    },
    DebugPattern { extensions: RUBY, needle: "binding.pry", name: "binding.pry", printing: false },
    DebugPattern { extensions: RUBY, needle: "byebug", name: "byebug", printing: false },
    DebugPattern { extensions: PHP, needle: "var_dump(", name: "var_dump", printing: false },
];

/// A file already printing at least this often (lines per printing line) prints on purpose.
const PRINTING_IS_USUAL: usize = 2;

/// Debug code added outside tests, examples and benchmarks: one finding per file and kind at
/// its first line. Printing (`println!`, `console.log`) counts only in library code whose
/// earlier version hardly printed; in Rust, nothing after `#[cfg(test)]` counts.
pub(super) fn debug_leftovers(file: &FileChange, sides: &dyn Sides) -> Vec<Finding> {
    let Some(patch) = &file.patch else { return Vec::new() };
    if is_test_path(&file.path) {
        return Vec::new();
    }
    let extension = file.path.rsplit_once('.').map_or("", |(_, extension)| extension);
    let lines = added(patch);
    let mut findings = Vec::new();
    let mut test_code_from: Option<Option<u32>> = None;
    for pattern in DEBUG_PATTERNS.iter().filter(|pattern| pattern.extensions.contains(&extension)) {
        let mut hits: Vec<u32> = lines
            .iter()
            .filter(|(_, text)| !is_comment(text) && contains_call(text, pattern.needle))
            .map(|(number, _)| *number)
            .collect();
        if hits.is_empty() {
            continue;
        }
        if extension == "rs" {
            let from = *test_code_from.get_or_insert_with(|| rust_test_code_from(file, sides));
            hits.retain(|number| from.is_none_or(|from| *number < from));
        }
        if hits.is_empty()
            || (pattern.printing && !printing_is_unusual(file, pattern, hits.len(), sides))
        {
            continue;
        }
        findings.push(debug_finding(file, pattern, &hits));
    }
    findings
}

fn debug_finding(file: &FileChange, pattern: &DebugPattern, hits: &[u32]) -> Finding {
    let mut found = finding(
        if pattern.printing { Priority::P3 } else { Priority::P2 },
        "debug",
        format!("leftover debug code ({})", pattern.name),
        if pattern.printing { 50 } else { 85 },
        &file.path,
        line(hits[0]),
    );
    let mut body = if pattern.printing {
        format!(
            "This file hardly printed before; `{}` here looks like tracing left behind.",
            pattern.name
        )
    } else {
        format!("`{}` is debugging code; remove it before pushing.", pattern.name)
    };
    if hits.len() > 1 {
        let others: Vec<String> =
            hits[1..].iter().take(MAX_LINES_NAMED).map(ToString::to_string).collect();
        let more = hits.len().saturating_sub(1 + MAX_LINES_NAMED);
        body.push_str(&format!(" Also at line {}", others.join(", ")));
        if more > 0 {
            body.push_str(&format!(" and {more} more"));
        }
        body.push('.');
    }
    found.body = body;
    found
}

/// `needle` in `text`, not as the tail of a longer name (`println!(` inside `eprintln!(`).
fn contains_call(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|before| before.is_alphanumeric() || before == '_')
    })
}

/// Whether printing in this file is new: library code (not a binary's `main.rs`, `bin/`,
/// `build.rs`, scripts) whose earlier version printed on fewer than two lines, and whose
/// change adds more printing lines than it removes (a rewritten `println!` is not new). A new
/// file has no history: its printing is not judged.
fn printing_is_unusual(
    file: &FileChange,
    pattern: &DebugPattern,
    added: usize,
    sides: &dyn Sides,
) -> bool {
    let path = file.path.as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    let binary = name == "main.rs"
        || name == "build.rs"
        || path.contains("/bin/")
        || path.starts_with("bin/")
        || path.starts_with("scripts/")
        || path.contains("/scripts/")
        || path.contains("cli");
    if binary {
        return false;
    }
    let removed = file
        .patch
        .iter()
        .flat_map(|patch| patch.lines())
        .filter_map(|text| text.strip_prefix('-'))
        .filter(|text| contains_call(text, pattern.needle))
        .count();
    if removed >= added {
        return false;
    }
    let Some(before) = sides.before(path) else { return false };
    let printing = before.lines().filter(|text| contains_call(text, pattern.needle)).count();
    printing < PRINTING_IS_USUAL
}

/// The first line of a Rust file's test code (`#[cfg(test)]`) after the change, if any.
fn rust_test_code_from(file: &FileChange, sides: &dyn Sides) -> Option<u32> {
    let after = sides.after(&file.path)?;
    let index = after.lines().position(|text| text.trim_start().starts_with("#[cfg(test)]"))?;
    u32::try_from(index + 1).ok()
}

/// True for a line that is only a comment (`//`, `#`, `/*`, `*`).
fn is_comment(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with("//")
        || text.starts_with('#')
        || text.starts_with("/*")
        || text.starts_with('*')
}

/// Comment openers a marker must follow to be a marker and not, say, `XXX` in a format string.
const COMMENT_OPENERS: &[&str] = &["//", "#", "/*", "*", "--", "<!--", ";", "%"];

/// New `TODO`, `FIXME` and `XXX` comments (not ones a moved line carries): one finding per
/// file at the first, the others named.
pub(super) fn new_markers(file: &FileChange) -> Vec<Finding> {
    let Some(patch) = &file.patch else { return Vec::new() };
    let moved = removed(patch);
    let hits: Vec<(u32, &str)> = added(patch)
        .into_iter()
        .filter(|(_, text)| !moved.contains(text.trim()))
        .filter_map(|(number, text)| marker_in(text).map(|marker| (number, marker)))
        .collect();
    let Some((first, marker)) = hits.first() else { return Vec::new() };
    let mut found = finding(
        Priority::P3,
        "maintainability",
        format!("new {marker} comment"),
        70,
        &file.path,
        line(*first),
    );
    found.body = "Work left for later: worth an issue, or finishing before the push.".to_string();
    if hits.len() > 1 {
        let others: Vec<String> = hits[1..]
            .iter()
            .take(MAX_LINES_NAMED)
            .map(|(number, marker)| format!("{marker} at line {number}"))
            .collect();
        found.body.push_str(&format!(" Also: {}.", others.join(", ")));
    }
    vec![found]
}

/// `TODO`, `FIXME` or `XXX` as a whole upper-case word inside a comment of the line.
fn marker_in(text: &str) -> Option<&'static str> {
    let comment = COMMENT_OPENERS
        .iter()
        .filter_map(|opener| text.find(opener).map(|at| at + opener.len()))
        .min()?;
    let comment = &text[comment..];
    ["TODO", "FIXME", "XXX"].into_iter().find(|marker| {
        comment.match_indices(marker).any(|(at, _)| {
            let before = comment[..at].chars().next_back();
            let after = comment[at + marker.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(|next| next.is_alphanumeric() || next == '_')
        })
    })
}
