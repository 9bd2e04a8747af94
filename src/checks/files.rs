//! Checks of whole files: large or binary files added, executable bits changed, a lock file
//! changed without its manifest or a manifest's dependencies without its lock file, and
//! source changed with no test changed.

use super::lines::added;
use super::{finding, is_test_path, line, Sides};
use crate::answer::{Finding, Priority};
use crate::git::{ChangeSet, Exclusion, FileChange, Status};
use crate::text::human_bytes;

/// An added file larger than this is reported whatever it holds.
const LARGE_FILE_BYTES: u64 = 1_000_000;

/// Below this many meaningful source lines changed, a change with no test is not remarked on.
const UNTESTED_LINES: usize = 30;

/// A large file or a binary one added.
pub(super) fn size_and_kind(file: &FileChange) -> Option<Finding> {
    if !matches!(file.status, Status::Added | Status::Copied) {
        return None;
    }
    let size = human_bytes(file.new_size);
    let mut found = if file.new_size > LARGE_FILE_BYTES {
        finding(
            Priority::P2,
            "size",
            format!("a large file ({size}) is added"),
            95,
            &file.path,
            None,
        )
    } else if file.exclusion == Some(Exclusion::Binary) {
        finding(
            Priority::P3,
            "size",
            format!("a binary file ({size}) is added"),
            90,
            &file.path,
            None,
        )
    } else {
        return None;
    };
    found.body = "Every clone downloads it forever, even after it is deleted; Git LFS or a \
                  release asset may suit it better."
        .to_string();
    Some(found)
}

/// The executable bit set or cleared on a file.
pub(super) fn executable_bit(file: &FileChange) -> Option<Finding> {
    const EXECUTABLE: u32 = 0o100_755;
    const REGULAR: u32 = 0o100_644;
    let title = match (file.old_mode, file.new_mode) {
        (REGULAR, EXECUTABLE) => "the file becomes executable",
        (EXECUTABLE, REGULAR) => "the file is no longer executable",
        _ => return None,
    };
    let mut found = finding(Priority::P3, "permissions", title, 90, &file.path, None);
    found.body = format!("Mode {:o} → {:o}; check it is meant.", file.old_mode, file.new_mode);
    Some(found)
}

/// A manifest and the lock file that pins what it declares.
struct Pair {
    manifest: &'static str,
    locks: &'static [&'static str],
    /// A lock file at the repository root serves manifests in sub-folders (workspaces).
    workspace: bool,
}

const PAIRS: &[Pair] = &[
    Pair { manifest: "Cargo.toml", locks: &["Cargo.lock"], workspace: true },
    Pair {
        manifest: "package.json",
        locks: &[
            "package-lock.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lock",
            "npm-shrinkwrap.json",
        ],
        workspace: true,
    },
    Pair {
        manifest: "pyproject.toml",
        locks: &["poetry.lock", "uv.lock", "pdm.lock"],
        workspace: true,
    },
    Pair { manifest: "Pipfile", locks: &["Pipfile.lock"], workspace: false },
    Pair { manifest: "Gemfile", locks: &["Gemfile.lock"], workspace: false },
    Pair { manifest: "composer.json", locks: &["composer.lock"], workspace: false },
    Pair { manifest: "go.mod", locks: &["go.sum"], workspace: false },
    Pair { manifest: "mix.exs", locks: &["mix.lock"], workspace: false },
    Pair { manifest: "flake.nix", locks: &["flake.lock"], workspace: false },
];

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').map_or(("", path), |(folder, name)| (folder, name))
}

fn joined(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// A lock file changed along with other work while no manifest it serves did, and a manifest
/// whose dependencies
/// changed while the lock file beside it (which the repository has) did not.
pub(super) fn lock_and_manifest(changes: &ChangeSet, sides: &dyn Sides) -> Vec<Finding> {
    let changed = |path: &str| changes.files.iter().any(|file| file.path == path);
    let mut findings = Vec::new();
    for file in &changes.files {
        let (folder, name) = split(&file.path);
        if file.status == Status::Deleted {
            continue;
        }
        if let Some(pair) = PAIRS.iter().find(|pair| pair.locks.contains(&name)) {
            let manifest_changed = changes.files.iter().any(|other| {
                let (other_folder, other_name) = split(&other.path);
                other_name == pair.manifest
                    && (other_folder == folder
                        || (pair.workspace
                            && (folder.is_empty()
                                || other_folder.starts_with(&format!("{folder}/")))))
            });
            // A lock-only push (a dependency bot, `cargo update`) is deliberate; a lock file
            // riding along with other work, without its manifest, may be an accident.
            let other_work = changes.files.iter().any(|other| {
                let other_name = split(&other.path).1;
                !PAIRS.iter().any(|pair| pair.locks.contains(&other_name))
            });
            if !manifest_changed && other_work && file.status == Status::Modified {
                let mut found = finding(
                    Priority::P3,
                    "dependencies",
                    format!("{name} changed without {}", pair.manifest),
                    40,
                    &file.path,
                    None,
                );
                found.body = format!(
                    "Fine after an update of pinned versions; otherwise the lock file no \
                     longer matches what {} declares.",
                    pair.manifest
                );
                findings.push(found);
            }
        }
        if let Some(pair) = PAIRS.iter().find(|pair| pair.manifest == name) {
            let mut folders = vec![folder.to_string()];
            if pair.workspace && !folder.is_empty() {
                folders.push(String::new());
            }
            let lock = folders.iter().find_map(|folder| {
                pair.locks
                    .iter()
                    .map(|lock| joined(folder, lock))
                    .find(|lock| sides.after(lock).is_some())
            });
            let Some(lock) = lock else { continue };
            if changed(&lock) {
                continue;
            }
            if let Some(first) = dependency_change(file, sides) {
                let mut found = finding(
                    Priority::P2,
                    "dependencies",
                    format!("dependencies change without {}", split(&lock).1),
                    70,
                    &file.path,
                    line(first),
                );
                found.body = format!(
                    "{lock} pins what this file declares; regenerate it so that builds use the \
                     versions declared here."
                );
                findings.push(found);
            }
        }
    }
    findings
}

/// The first added line of a manifest's dependency declarations (not a comment among them),
/// if the change touches them.
fn dependency_change(file: &FileChange, sides: &dyn Sides) -> Option<u32> {
    let patch = file.patch.as_ref().or(file.private_patch.as_ref())?;
    let after = sides.after(&file.path)?;
    let sections = dependency_lines(split(&file.path).1, &after);
    added(patch)
        .into_iter()
        .filter(|(_, text)| {
            let text = text.trim();
            !text.is_empty() && !text.starts_with('#') && !text.starts_with("//")
        })
        .map(|(number, _)| number)
        .find(|number| {
            usize::try_from(*number)
                .ok()
                .and_then(|at| sections.get(at.wrapping_sub(1)))
                .copied()
                .unwrap_or(false)
        })
}

/// For each line of a manifest, whether it declares a dependency.
fn dependency_lines(name: &str, content: &str) -> Vec<bool> {
    let mut inside = false;
    let mut result = Vec::new();
    match name {
        "Cargo.toml" | "pyproject.toml" | "Pipfile" => {
            let mut array = false;
            for text in content.lines() {
                let trimmed = text.trim();
                if trimmed.starts_with('[') && !array {
                    let section = trimmed.trim_matches(|c| c == '[' || c == ']');
                    inside = section.ends_with("dependencies")
                        || section.contains("dependencies.")
                        || section == "packages"
                        || section == "dev-packages";
                    result.push(false);
                    continue;
                }
                // pyproject's `dependencies = [` arrays under [project].
                if trimmed.starts_with("dependencies")
                    && trimmed.contains('[')
                    && !trimmed.contains(']')
                {
                    array = true;
                } else if array && trimmed.starts_with(']') {
                    array = false;
                    result.push(true);
                    continue;
                }
                result.push(inside || array);
            }
        }
        "package.json" | "composer.json" => {
            let mut depth = 0i32;
            for text in content.lines() {
                let trimmed = text.trim();
                if depth == 1 && trimmed.starts_with('"') {
                    let key = trimmed.trim_start_matches('"').split('"').next().unwrap_or("");
                    inside = key.to_ascii_lowercase().ends_with("dependencies")
                        || key == "require"
                        || key == "require-dev";
                }
                result.push(inside && depth >= 1);
                depth += i32::try_from(text.matches('{').count()).unwrap_or(0);
                depth -= i32::try_from(text.matches('}').count()).unwrap_or(0);
                if depth <= 1 {
                    inside = inside && depth == 1 && trimmed.ends_with('{');
                }
            }
        }
        "go.mod" => {
            for text in content.lines() {
                let trimmed = text.trim();
                if trimmed.starts_with("require (") {
                    inside = true;
                    result.push(true);
                } else if inside && trimmed.starts_with(')') {
                    inside = false;
                    result.push(true);
                } else {
                    result.push(
                        inside
                            || trimmed.starts_with("require ")
                            || trimmed.starts_with("replace "),
                    );
                }
            }
        }
        "Gemfile" => {
            result.extend(content.lines().map(|text| text.trim_start().starts_with("gem ")))
        }
        _ => result.extend(content.lines().map(|_| true)),
    }
    result
}

/// Source extensions whose changes call for a test.
const SOURCE: &[&str] = &[
    "rs", "py", "js", "jsx", "ts", "tsx", "go", "java", "kt", "rb", "c", "cc", "cpp", "h", "hpp",
    "cs", "php", "swift", "scala", "ex", "exs",
];

/// Source lines changed meaningfully (enough non-blank, non-comment lines) with no test file
/// changed, in a repository that keeps tests. Rust files whose change touches their own
/// `#[test]` functions count as tested.
pub(super) fn untested_source(changes: &ChangeSet, sides: &dyn Sides) -> Option<Finding> {
    let is_source = |file: &FileChange| {
        let extension = file.path.rsplit_once('.').map_or("", |(_, extension)| extension);
        SOURCE.contains(&extension) && file.patch.is_some()
    };
    let touches_tests = |file: &FileChange| {
        is_test_path(&file.path)
            || file.patch.as_ref().is_some_and(|patch| {
                patch.lines().any(|text| {
                    (text.starts_with('+') || text.starts_with('-'))
                        && (text.contains("#[test]") || text.contains("#[cfg(test)]"))
                })
            })
    };
    if changes.files.iter().any(touches_tests) {
        return None;
    }
    let mut total = 0usize;
    let mut biggest: Option<(&FileChange, usize)> = None;
    for file in changes.files.iter().filter(|file| is_source(file)) {
        let meaningful = file
            .patch
            .iter()
            .flat_map(|patch| patch.lines())
            .filter(|text| !text.starts_with("+++") && !text.starts_with("---"))
            .filter_map(|text| text.strip_prefix('+').or_else(|| text.strip_prefix('-')))
            .filter(|text| {
                let text = text.trim();
                !text.is_empty()
                    && !text.starts_with("//")
                    && !text.starts_with('#')
                    && !text.starts_with('*')
            })
            .count();
        total += meaningful;
        if biggest.is_none_or(|(_, most)| meaningful > most) {
            biggest = Some((file, meaningful));
        }
    }
    if total < UNTESTED_LINES || !sides.has_tests() {
        return None;
    }
    let (file, _) = biggest?;
    let first =
        file.patch.as_deref().map(added).and_then(|lines| lines.first().map(|(number, _)| *number));
    let mut found = finding(
        Priority::P3,
        "tests",
        "source changed and no test changed",
        40,
        &file.path,
        first.and_then(line),
    );
    found.body = format!(
        "{total} source lines changed, the most in this file, and no test was added or \
         changed."
    );
    Some(found)
}
