//! Installing, removing and inspecting the hook stubs, in the hooks folder git itself uses.
//! A stub is a small `sh` script from `hooks/` carrying a fingerprint line; a hook that was
//! there before is moved aside to `<hook>.changes-legacy` and run first by the stub.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::{Context, GitError, Repository};
use crate::files::write_atomically_with_mode;

/// The line every stub carries, and nothing else does.
pub const FINGERPRINT: &str = "# changes-hook v1:";
/// Suffix of a displaced hook.
pub const LEGACY_SUFFIX: &str = ".changes-legacy";
/// Placeholder in the templates for the binary's absolute path.
const BINARY_PLACEHOLDER: &str = "@CHANGES_BINARY@";

/// A hook `changes` can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// Drafts the commit message.
    PrepareCommitMsg,
    /// Reviews the push.
    PrePush,
}

impl Hook {
    /// Both hooks, in the order they are installed and shown.
    pub const ALL: [Hook; 2] = [Hook::PrepareCommitMsg, Hook::PrePush];

    /// The file name git looks for.
    pub fn file_name(self) -> &'static str {
        match self {
            Hook::PrepareCommitMsg => "prepare-commit-msg",
            Hook::PrePush => "pre-push",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Hook::PrepareCommitMsg => include_str!("../../hooks/prepare-commit-msg"),
            Hook::PrePush => include_str!("../../hooks/pre-push"),
        }
    }

    /// The stub's text with the binary's path filled in.
    pub fn script(self, binary: &Path) -> String {
        self.template().replace(BINARY_PLACEHOLDER, &shell_quote(&binary.to_string_lossy()))
    }
}

/// Another tool that manages git hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    /// husky (`core.hooksPath` under `.husky`).
    Husky,
    /// lefthook (its scripts in the hooks folder).
    Lefthook,
    /// pre-commit (its scripts in the hooks folder).
    PreCommit,
}

impl Manager {
    /// The tool's name.
    pub fn name(self) -> &'static str {
        match self {
            Manager::Husky => "husky",
            Manager::Lefthook => "lefthook",
            Manager::PreCommit => "pre-commit",
        }
    }
}

/// The hooks folder git uses, and why.
#[derive(Debug, Clone)]
pub struct HooksLocation {
    /// The folder.
    pub folder: PathBuf,
    /// `core.hooksPath` and where it is set, or "the default".
    pub reason: String,
    /// The hook manager that owns `core.hooksPath`, when one does.
    pub manager: Option<Manager>,
    /// True when `core.hooksPath` points outside this repository (shared by others).
    pub shared: bool,
}

/// What `install` did to one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// A new stub where there was none.
    Created,
    /// An older stub of ours replaced.
    Updated,
    /// The same stub was already there.
    Unchanged,
    /// A foreign hook moved aside to this path; the stub runs it first.
    Chained(PathBuf),
}

/// What `uninstall` did to one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uninstalled {
    /// The stub removed.
    Removed,
    /// The stub removed and the displaced hook put back.
    Restored,
    /// The file there is not ours: left alone.
    NotOurs,
    /// Nothing of ours was there.
    NotInstalled,
}

/// One hook's state, for `hook status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookState {
    /// No file.
    Missing,
    /// Someone else's hook.
    Foreign {
        /// Whether git can run it.
        executable: bool,
        /// The manager that wrote it, when recognisable.
        manager: Option<Manager>,
    },
    /// Our stub.
    Ours {
        /// Whether git can run it.
        executable: bool,
        /// The binary path recorded at install.
        binary: PathBuf,
        /// Whether that binary still exists.
        binary_exists: bool,
        /// The displaced hook it runs first, if any.
        legacy: Option<PathBuf>,
    },
}

/// A hook-file operation that cannot go ahead.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// A displaced hook is already there and `--force` was not given.
    #[error("{legacy} already exists; refusing to replace it (a hook moved aside earlier)")]
    LegacyExists {
        /// The existing legacy file.
        legacy: PathBuf,
    },
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What we tried.
        action: &'static str,
        /// On which file.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// Git could not say where the hooks go.
    #[error(transparent)]
    Git(#[from] GitError),
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> HookError {
    let path = path.to_path_buf();
    move |source| HookError::Io { action, path, source }
}

impl Repository {
    /// The hooks folder git runs hooks from: `core.hooksPath` (relative to the work-tree root,
    /// `~` expanded), else `hooks` in the common git folder, which linked worktrees share.
    /// The same answer as `git rev-parse --git-path hooks`.
    pub fn hooks_location(&self) -> Result<HooksLocation, GitError> {
        let config = self.inner.config().context("reading git configuration")?;
        let configured = match config.get_entry("core.hooksPath") {
            Ok(entry) => entry.value().ok().map(|value| (value.to_string(), entry.level())),
            Err(_) => None,
        };
        let Some((value, level)) = configured.filter(|(value, _)| !value.is_empty()) else {
            return Ok(HooksLocation {
                folder: self.common_dir().join("hooks"),
                reason: "the default (core.hooksPath is not set)".to_string(),
                manager: None,
                shared: false,
            });
        };
        let expanded = config.get_path("core.hooksPath").unwrap_or_else(|_| PathBuf::from(&value));
        let base = self.work_tree().map_or_else(|| self.git_dir().to_path_buf(), Path::to_path_buf);
        let folder = if expanded.is_absolute() { expanded } else { base.join(expanded) };
        let scope = match level {
            git2::ConfigLevel::Local => "this repository's configuration",
            git2::ConfigLevel::Worktree => "this worktree's configuration",
            git2::ConfigLevel::Global | git2::ConfigLevel::XDG => "your global configuration",
            git2::ConfigLevel::System | git2::ConfigLevel::ProgramData => {
                "the system configuration"
            }
            git2::ConfigLevel::App | git2::ConfigLevel::Highest => "the configuration",
        };
        let inside = |root: &Path| folder.starts_with(root);
        let shared = !(self.work_tree().is_some_and(inside) || inside(&self.common_dir()));
        let manager = folder
            .components()
            .any(|component| component.as_os_str() == ".husky")
            .then_some(Manager::Husky);
        Ok(HooksLocation {
            folder,
            reason: format!("core.hooksPath = {value} (set in {scope})"),
            manager,
            shared,
        })
    }
}

/// Installs one hook's stub into `folder`, moving a foreign hook aside.
pub fn install(
    folder: &Path,
    hook: Hook,
    binary: &Path,
    force: bool,
) -> Result<Installed, HookError> {
    let target = folder.join(hook.file_name());
    let legacy = legacy_path(folder, hook);
    let script = hook.script(binary);
    fs::create_dir_all(folder).map_err(io_error("creating", folder))?;
    let existing = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(source) => return Err(HookError::Io { action: "reading", path: target, source }),
    };
    let outcome = match existing {
        None => Installed::Created,
        Some(bytes) if is_ours(&bytes) => {
            let executable = is_executable(&target);
            if bytes == script.as_bytes() && executable {
                return Ok(Installed::Unchanged);
            }
            Installed::Updated
        }
        Some(_) => {
            if legacy.exists() && !force {
                return Err(HookError::LegacyExists { legacy });
            }
            // A rename keeps the user's hook byte for byte, mode included.
            fs::rename(&target, &legacy).map_err(io_error("moving aside", &target))?;
            Installed::Chained(legacy)
        }
    };
    write_atomically_with_mode(&target, script.as_bytes(), 0o755)
        .map_err(io_error("writing", &target))?;
    Ok(outcome)
}

/// Removes one hook's stub and puts back the hook it displaced.
pub fn uninstall(folder: &Path, hook: Hook) -> Result<Uninstalled, HookError> {
    let target = folder.join(hook.file_name());
    let legacy = legacy_path(folder, hook);
    match fs::read(&target) {
        Ok(bytes) if is_ours(&bytes) => {
            if legacy.exists() {
                fs::rename(&legacy, &target).map_err(io_error("restoring", &legacy))?;
                Ok(Uninstalled::Restored)
            } else {
                fs::remove_file(&target).map_err(io_error("removing", &target))?;
                Ok(Uninstalled::Removed)
            }
        }
        Ok(_) => Ok(Uninstalled::NotOurs),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if legacy.exists() {
                fs::rename(&legacy, &target).map_err(io_error("restoring", &legacy))?;
                Ok(Uninstalled::Restored)
            } else {
                Ok(Uninstalled::NotInstalled)
            }
        }
        Err(source) => Err(HookError::Io { action: "reading", path: target, source }),
    }
}

/// Inspects one hook.
pub fn state(folder: &Path, hook: Hook) -> HookState {
    let target = folder.join(hook.file_name());
    let Ok(bytes) = fs::read(&target) else { return HookState::Missing };
    let executable = is_executable(&target);
    if !is_ours(&bytes) {
        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        let manager = if text.contains("lefthook") {
            Some(Manager::Lefthook)
        } else if text.contains("husky") {
            Some(Manager::Husky)
        } else if text.contains("pre-commit") && text.contains("install_python") {
            Some(Manager::PreCommit)
        } else {
            None
        };
        return HookState::Foreign { executable, manager };
    }
    let binary = recorded_binary(&String::from_utf8_lossy(&bytes)).unwrap_or_default();
    let legacy = legacy_path(folder, hook);
    HookState::Ours {
        executable,
        binary_exists: binary.is_file(),
        binary,
        legacy: legacy.exists().then_some(legacy),
    }
}

fn legacy_path(folder: &Path, hook: Hook) -> PathBuf {
    folder.join(format!("{}{LEGACY_SUFFIX}", hook.file_name()))
}

/// True when the file is a stub of ours: the fingerprint is on one of its first lines.
pub fn is_ours(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    String::from_utf8_lossy(head).lines().take(4).any(|line| line.starts_with(FINGERPRINT))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o111 != 0)
}

/// The path written into `installed='...'` at install.
fn recorded_binary(script: &str) -> Option<PathBuf> {
    let line = script.lines().find_map(|line| line.strip_prefix("installed="))?;
    Some(PathBuf::from(shell_unquote(line)))
}

/// Single-quotes a word for `sh`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Reverses `shell_quote`.
fn shell_unquote(quoted: &str) -> String {
    let inner =
        quoted.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')).unwrap_or(quoted);
    inner.replace(r"'\''", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stubs_carry_the_fingerprint_and_the_quoted_binary() {
        let script = Hook::PrepareCommitMsg.script(Path::new("/opt/it's here/changes"));
        assert!(is_ours(script.as_bytes()));
        assert!(script.contains(r"installed='/opt/it'\''s here/changes'"), "{script}");
        assert_eq!(recorded_binary(&script), Some(PathBuf::from("/opt/it's here/changes")));
        assert!(!script.contains('\r'));
        assert!(!is_ours(b"#!/bin/sh\necho mine\n"));
    }

    #[test]
    fn install_chains_a_foreign_hook_and_uninstall_restores_it_byte_for_byte() {
        let folder = tempfile::tempdir().expect("folder");
        let hooks = folder.path();
        let original = b"#!/bin/sh\r\necho user hook\r\n".to_vec();
        let target = hooks.join("pre-push");
        fs::write(&target, &original).expect("user hook");
        fs::set_permissions(&target, fs::Permissions::from_mode(0o750)).expect("mode");

        let binary = Path::new("/usr/bin/changes");
        let outcome = install(hooks, Hook::PrePush, binary, false).expect("install");
        assert_eq!(outcome, Installed::Chained(hooks.join("pre-push.changes-legacy")));
        assert_eq!(
            install(hooks, Hook::PrePush, binary, false).expect("again"),
            Installed::Unchanged
        );
        let mode = fs::metadata(&target).expect("stub").permissions().mode() & 0o777;
        assert_eq!(mode, 0o755);
        assert!(matches!(state(hooks, Hook::PrePush), HookState::Ours { legacy: Some(_), .. }));

        assert_eq!(uninstall(hooks, Hook::PrePush).expect("uninstall"), Uninstalled::Restored);
        assert_eq!(fs::read(&target).expect("restored"), original);
        let mode = fs::metadata(&target).expect("restored").permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
        assert_eq!(uninstall(hooks, Hook::PrePush).expect("again"), Uninstalled::NotOurs);
    }

    #[test]
    fn install_refuses_to_replace_an_existing_legacy_file_without_force() {
        let folder = tempfile::tempdir().expect("folder");
        let hooks = folder.path();
        fs::write(hooks.join("prepare-commit-msg"), "#!/bin/sh\necho new\n").expect("hook");
        fs::write(hooks.join("prepare-commit-msg.changes-legacy"), "#!/bin/sh\necho old\n")
            .expect("legacy");
        let binary = Path::new("/usr/bin/changes");
        let refused = install(hooks, Hook::PrepareCommitMsg, binary, false);
        assert!(matches!(refused, Err(HookError::LegacyExists { .. })));
        assert_eq!(
            fs::read_to_string(hooks.join("prepare-commit-msg")).expect("kept"),
            "#!/bin/sh\necho new\n"
        );
        let forced = install(hooks, Hook::PrepareCommitMsg, binary, true).expect("forced");
        assert!(matches!(forced, Installed::Chained(_)));
        assert_eq!(
            fs::read_to_string(hooks.join("prepare-commit-msg.changes-legacy")).expect("moved"),
            "#!/bin/sh\necho new\n"
        );
    }

    #[test]
    fn state_reports_a_missing_binary_and_a_lost_run_bit() {
        let folder = tempfile::tempdir().expect("folder");
        let hooks = folder.path();
        install(hooks, Hook::PrepareCommitMsg, Path::new("/nowhere/changes"), false)
            .expect("install");
        let target = hooks.join("prepare-commit-msg");
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).expect("mode");
        assert_eq!(
            state(hooks, Hook::PrepareCommitMsg),
            HookState::Ours {
                executable: false,
                binary: PathBuf::from("/nowhere/changes"),
                binary_exists: false,
                legacy: None
            }
        );
        assert_eq!(
            install(hooks, Hook::PrepareCommitMsg, Path::new("/nowhere/changes"), false)
                .expect("repair"),
            Installed::Updated
        );
        assert_eq!(state(hooks, Hook::PrePush), HookState::Missing);
    }
}
