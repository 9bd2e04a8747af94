//! The domain types that diff collection produces and everything downstream reads:
//! one `FileChange` per changed path, gathered in a `ChangeSet`.

use std::fmt;

pub use crate::privacy::Exclusion;
use crate::text::{human_bytes, one_line};

/// How a path changed between the two sides of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The path is new.
    Added,
    /// The path is gone.
    Deleted,
    /// The content or mode of the path changed.
    Modified,
    /// The path moved from `FileChange::old_path` (content may also have changed).
    Renamed,
    /// The path was copied from `FileChange::old_path`.
    Copied,
    /// The kind of entry changed (file to symbolic link, for example).
    TypeChanged,
}

impl Status {
    /// The lower-case word used in prompts and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Deleted => "deleted",
            Status::Modified => "modified",
            Status::Renamed => "renamed",
            Status::Copied => "copied",
            Status::TypeChanged => "type changed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Which cap cut a patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutLimit {
    /// `limits.max_file_bytes`.
    File,
    /// The file's share of `limits.max_total_bytes`.
    Total,
}

impl CutLimit {
    /// The setting, as the configuration names it.
    pub fn setting(self) -> &'static str {
        match self {
            CutLimit::File => "limits.max_file_bytes",
            CutLimit::Total => "its share of limits.max_total_bytes",
        }
    }
}

/// What the byte caps removed from a file's patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The patch was longer than its cap: every hunk's header and first changed lines are
    /// kept, added lines before removed ones, and each run left out is a `\ …` note line.
    FileCap {
        /// Bytes kept in `FileChange::patch`.
        kept_bytes: usize,
        /// Bytes of the whole patch.
        total_bytes: usize,
        /// Hunk headers kept.
        hunks_shown: usize,
        /// Hunks in the whole patch.
        hunks: usize,
        /// Added lines kept.
        added_shown: usize,
        /// Added lines in the whole patch.
        added: usize,
        /// Removed lines kept.
        removed_shown: usize,
        /// Removed lines in the whole patch.
        removed: usize,
        /// Which cap.
        limit: CutLimit,
    },
    /// The running total reached `limits.max_total_bytes`: no patch text kept at all.
    TotalCap {
        /// Bytes of the patch that was left out.
        total_bytes: usize,
    },
}

impl fmt::Display for Cut {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cut::FileCap {
                kept_bytes,
                total_bytes,
                hunks_shown,
                hunks,
                added_shown,
                added,
                removed_shown,
                removed,
                limit,
            } => write!(
                formatter,
                "{kept_bytes} of {total_bytes} patch bytes shown: {hunks_shown} of {hunks} hunks, \
                 {added_shown} of {added} added and {removed_shown} of {removed} removed lines \
                 ({})",
                limit.setting()
            ),
            Cut::TotalCap { total_bytes } => write!(
                formatter,
                "patch of {total_bytes} bytes left out (limits.max_total_bytes reached)"
            ),
        }
    }
}

/// One changed path with its stats and, when it may be sent, its patch text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path after the change (the old path for a deletion), `/`-separated, relative to the root.
    pub path: String,
    /// Path before the change, for renames and copies.
    pub old_path: Option<String>,
    /// How the path changed.
    pub status: Status,
    /// Lines added; zero for binaries and files too large to diff.
    pub added_lines: usize,
    /// Lines removed; zero for binaries and files too large to diff.
    pub removed_lines: usize,
    /// Size of the old blob in bytes (zero when added).
    pub old_size: u64,
    /// Size of the new blob in bytes (zero when deleted).
    pub new_size: u64,
    /// Git file mode before (zero when added).
    pub old_mode: u32,
    /// Git file mode after (zero when deleted).
    pub new_mode: u32,
    /// Why the content is never sent, when it is not.
    pub exclusion: Option<Exclusion>,
    /// What the byte caps removed, when they did.
    pub cut: Option<Cut>,
    /// Unified-diff hunks (`@@` headers and ` `, `+`, `-` lines), decoded lossily as UTF-8.
    /// `None` when the file is excluded, unchanged in content, or cut by the total cap.
    pub patch: Option<String>,
    /// A lock file's hunks, read only for the built-in model (which sends nothing), so that it
    /// can name the exact versions a dependency bump moved between. Never part of a prompt.
    pub private_patch: Option<String>,
}

impl FileChange {
    /// True when only the mode changed (for example the executable bit).
    pub fn mode_changed(&self) -> bool {
        self.old_mode != 0 && self.new_mode != 0 && self.old_mode != self.new_mode
    }

    /// Added plus removed lines: the size of the change used for ordering and budgets.
    pub fn changed_lines(&self) -> usize {
        self.added_lines + self.removed_lines
    }

    /// `path (status, +a -r)`, with the old path for renames and the sizes for binaries: how
    /// the file is named in prompts, reports and messages.
    pub fn header(&self) -> String {
        // Paths come from the repository: what they show is made safe, never what they are.
        let path = match &self.old_path {
            Some(old) => format!("{} → {}", one_line(old), one_line(&self.path)),
            None => one_line(&self.path),
        };
        let mut details = vec![self.status.to_string()];
        match self.exclusion {
            Some(Exclusion::Binary) | Some(Exclusion::TooLarge) => {
                details.push(format!(
                    "{} → {}",
                    human_bytes(self.old_size),
                    human_bytes(self.new_size)
                ));
            }
            _ if self.changed_lines() > 0 => {
                details.push(format!("+{} -{}", self.added_lines, self.removed_lines));
            }
            _ => {}
        }
        if self.mode_changed() {
            details.push(format!("mode {:o} → {:o}", self.old_mode, self.new_mode));
        }
        format!("{path} ({})", details.join(", "))
    }

    /// Why the file has no patch text: its exclusion, what a cap cut, or no content change.
    pub fn unsent_reason(&self) -> String {
        match (&self.exclusion, &self.cut) {
            (Some(exclusion), _) => exclusion.to_string(),
            (None, Some(cut)) => cut.to_string(),
            (None, None) => "no content change".to_string(),
        }
    }
}

#[cfg(test)]
impl FileChange {
    /// A modified text file with this patch, for tests.
    pub fn modified(path: &str, patch: &str) -> Self {
        Self {
            path: path.to_string(),
            old_path: None,
            status: Status::Modified,
            added_lines: 1,
            removed_lines: 0,
            old_size: 0,
            new_size: 0,
            old_mode: 0o100644,
            new_mode: 0o100644,
            exclusion: None,
            cut: None,
            patch: Some(patch.to_string()),
            private_patch: None,
        }
    }
}

/// Which two states of the repository a `ChangeSet` compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The index against `HEAD` (or the empty tree before the first commit).
    Staged,
    /// One commit against its first parent (or the empty tree for a root commit).
    Commit {
        /// The commit's full object id.
        id: String,
        /// The commit message's first line.
        summary: String,
    },
    /// Two commits: everything from `from` (exclusive) up to `to`.
    Range {
        /// Object id of the old side, `None` for the empty tree.
        from: Option<String>,
        /// Object id of the new side.
        to: String,
    },
}

/// Every changed file between two states, in path order, filtered and capped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// What was compared.
    pub source: Source,
    /// The files, sorted by path.
    pub files: Vec<FileChange>,
}

impl ChangeSet {
    /// True when nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Files whose patch text may be sent.
    pub fn sent(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|file| file.patch.is_some())
    }

    /// Sum of added lines over all files.
    pub fn added_lines(&self) -> usize {
        self.files.iter().map(|file| file.added_lines).sum()
    }

    /// Sum of removed lines over all files.
    pub fn removed_lines(&self) -> usize {
        self.files.iter().map(|file| file.removed_lines).sum()
    }
}
