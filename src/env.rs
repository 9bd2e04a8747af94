//! Every environment variable `changes` reads, documented in one place (but the providers',
//! which are configuration: see below), and the snapshot of them taken once at start-up so
//! that the rest of the program (and its tests) never reads the process environment directly.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// Path of the user configuration file, overriding `$XDG_CONFIG_HOME/changes/config.yaml`.
pub(crate) const CHANGES_CONFIG: &str = "CHANGES_CONFIG";
/// `1` (or `true`) turns every hook into a no-op.
pub(crate) const CHANGES_SKIP: &str = "CHANGES_SKIP";
/// Comma-separated model names, the same as `--models`.
pub(crate) const CHANGES_MODELS: &str = "CHANGES_MODELS";
/// Base folder of user configuration files (XDG Base Directory specification).
pub(crate) const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
/// Base folder of state kept between runs (XDG Base Directory specification): measured model
/// speeds, trusted repository files.
pub(crate) const XDG_STATE_HOME: &str = "XDG_STATE_HOME";
/// The user's home folder, used when `XDG_CONFIG_HOME` is not set.
pub(crate) const HOME: &str = "HOME";
/// Any non-empty value turns colour off (<https://no-color.org>).
pub(crate) const NO_COLOR: &str = "NO_COLOR";

/// The editor git opens for commit messages, first in git's order of precedence.
pub(crate) const GIT_EDITOR: &str = "GIT_EDITOR";
/// The user's visual editor, used by git when the terminal is not dumb.
pub(crate) const VISUAL: &str = "VISUAL";
/// The user's editor, git's last resort before `vi`.
pub(crate) const EDITOR: &str = "EDITOR";
/// The terminal type; git ignores `VISUAL` when it is `dumb`.
pub(crate) const TERM: &str = "TERM";

// The variables that hold providers' keys and endpoints (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
// `OLLAMA_HOST`...) are not constants here: each provider's are listed in its row of the
// provider table (`providers:` in `config/default.yaml`, printed by `changes config show`),
// where a new provider adds its own, and `changes models` shows each model's.

/// GitHub token for `--gist`.
pub(crate) const GITHUB_TOKEN: &str = "GITHUB_TOKEN";
/// GitHub token for `--gist`, the name the `gh` CLI also reads.
pub(crate) const GH_TOKEN: &str = "GH_TOKEN";
/// GitHub API root (`https://api.github.com`; GitHub Enterprise: `https://host/api/v3`).
pub(crate) const GITHUB_API_URL: &str = "GITHUB_API_URL";
/// Set by the pre-commit framework for `prepare-commit-msg`: git's second argument.
pub(crate) const PRE_COMMIT_COMMIT_MSG_SOURCE: &str = "PRE_COMMIT_COMMIT_MSG_SOURCE";
/// Set by the pre-commit framework for `prepare-commit-msg`: git's third argument.
pub(crate) const PRE_COMMIT_COMMIT_OBJECT_NAME: &str = "PRE_COMMIT_COMMIT_OBJECT_NAME";
/// Set by the pre-commit framework for `pre-push`: what the remote has.
pub(crate) const PRE_COMMIT_FROM_REF: &str = "PRE_COMMIT_FROM_REF";
/// Set by the pre-commit framework for `pre-push`: what is pushed.
pub(crate) const PRE_COMMIT_TO_REF: &str = "PRE_COMMIT_TO_REF";
/// Set by the pre-commit framework for `pre-push`: the remote's name.
pub(crate) const PRE_COMMIT_REMOTE_NAME: &str = "PRE_COMMIT_REMOTE_NAME";
/// Set by the pre-commit framework for `pre-push`: the remote's URL.
pub(crate) const PRE_COMMIT_REMOTE_URL: &str = "PRE_COMMIT_REMOTE_URL";
/// Set by the pre-commit framework for `pre-push`: the remote branch.
pub(crate) const PRE_COMMIT_REMOTE_BRANCH: &str = "PRE_COMMIT_REMOTE_BRANCH";
/// Set by the pre-commit framework for `pre-push`: the local branch.
pub(crate) const PRE_COMMIT_LOCAL_BRANCH: &str = "PRE_COMMIT_LOCAL_BRANCH";

/// The moment relative dates (`7 days ago`) count from, instead of the clock (for tests and
/// reproducible reports), in any form `--after` takes.
pub(crate) const CHANGES_NOW: &str = "CHANGES_NOW";

/// Configuration keys that can be set through the environment, each with its variable.
/// The value is parsed as YAML, exactly as if it stood in a configuration file under that key.
pub(crate) const CONFIG_VARIABLES: &[(&str, &str)] = &[
    ("CHANGES_DEFAULTS", "defaults"),
    ("CHANGES_COMMIT_STYLE", "commit.style"),
    ("CHANGES_COMMIT_MERGE", "commit.merge"),
    ("CHANGES_COMMIT_MAX_SUBJECT", "commit.max_subject"),
    ("CHANGES_COMMIT_SKIP_SOURCES", "commit.skip_sources"),
    ("CHANGES_COMMIT_TIMEOUT", "commit.timeout"),
    ("CHANGES_COMMIT_DRAFT_WITHOUT_EDITOR", "commit.draft_without_editor"),
    ("CHANGES_PUSH_BLOCK", "push.block"),
    ("CHANGES_PUSH_TIMEOUT", "push.timeout"),
    ("CHANGES_PUSH_MAX_COMMITS", "push.max_commits"),
    ("CHANGES_PUSH_REPORT_DIR", "push.report_dir"),
    ("CHANGES_REPORT_TIMEOUT", "report.timeout"),
    ("CHANGES_EXCLUDE", "exclude"),
    ("CHANGES_LIMITS_MAX_FILE_BYTES", "limits.max_file_bytes"),
    ("CHANGES_LIMITS_MAX_TOTAL_BYTES", "limits.max_total_bytes"),
    ("CHANGES_REDACT", "redact"),
    ("CHANGES_SHARE_SUMMARIES", "share_summaries"),
    ("CHANGES_CONVENTIONS_ENABLED", "conventions.enabled"),
    ("CHANGES_CONVENTIONS_HISTORY", "conventions.history"),
    ("CHANGES_SKIP", "skip"),
];

/// A snapshot of the process environment, taken once.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    variables: BTreeMap<String, OsString>,
}

impl Environment {
    /// Reads the current process environment.
    pub fn capture() -> Self {
        Self::from_pairs(std::env::vars_os().filter_map(|(name, value)| {
            let name = name.into_string().ok()?;
            Some((name, value))
        }))
    }

    /// Builds an environment from explicit pairs (used by tests and embedders).
    pub fn from_pairs<I, N, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: Into<String>,
        V: Into<OsString>,
    {
        let variables =
            pairs.into_iter().map(|(name, value)| (name.into(), value.into())).collect();
        Self { variables }
    }

    /// The value of a variable when it is set, valid UTF-8 and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.variables.get(name).and_then(|value| value.to_str()).filter(|value| !value.is_empty())
    }

    /// True when the variable is set to a non-empty value.
    pub fn is_set(&self, name: &str) -> bool {
        self.variables.get(name).is_some_and(|value| !value.is_empty())
    }

    /// True when the variable holds a "yes" value: `1`, `true`, `yes` or `on`.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|value| {
            matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
        })
    }

    /// The folder of what `changes` keeps between runs: `$XDG_STATE_HOME/changes`, else
    /// `~/.local/state/changes`. `None` when no home folder is known.
    pub(crate) fn state_dir(&self) -> Option<PathBuf> {
        let base = match self.variables.get(XDG_STATE_HOME).filter(|value| !value.is_empty()) {
            Some(folder) => PathBuf::from(folder),
            None => PathBuf::from(self.variables.get(HOME).filter(|value| !value.is_empty())?)
                .join(".local")
                .join("state"),
        };
        Some(base.join("changes"))
    }

    /// The user configuration file: `CHANGES_CONFIG`, else under `XDG_CONFIG_HOME`, else
    /// `~/.config`. `None` when no home folder is known.
    pub fn user_config_path(&self) -> Option<PathBuf> {
        if let Some(path) = self.variables.get(CHANGES_CONFIG).filter(|value| !value.is_empty()) {
            return Some(PathBuf::from(path));
        }
        let base = match self.variables.get(XDG_CONFIG_HOME).filter(|value| !value.is_empty()) {
            Some(folder) => PathBuf::from(folder),
            None => PathBuf::from(self.variables.get(HOME).filter(|value| !value.is_empty())?)
                .join(".config"),
        };
        Some(base.join("changes").join("config.yaml"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_config_path_prefers_explicit_then_xdg_then_home() {
        let explicit = Environment::from_pairs([(CHANGES_CONFIG, "/a.yaml"), (HOME, "/home/u")]);
        assert_eq!(explicit.user_config_path(), Some(PathBuf::from("/a.yaml")));
        let xdg = Environment::from_pairs([(XDG_CONFIG_HOME, "/x"), (HOME, "/home/u")]);
        assert_eq!(xdg.user_config_path(), Some(PathBuf::from("/x/changes/config.yaml")));
        let home = Environment::from_pairs([(HOME, "/home/u"), (XDG_CONFIG_HOME, "")]);
        assert_eq!(
            home.user_config_path(),
            Some(PathBuf::from("/home/u/.config/changes/config.yaml"))
        );
        assert_eq!(Environment::default().user_config_path(), None);
    }

    #[test]
    fn flag_accepts_common_yes_values_only() {
        let environment =
            Environment::from_pairs([("A", "1"), ("B", "TRUE"), ("C", "0"), ("D", "")]);
        assert!(environment.flag("A"));
        assert!(environment.flag("B"));
        assert!(!environment.flag("C"));
        assert!(!environment.flag("D"));
        assert!(!environment.flag("E"));
    }
}
