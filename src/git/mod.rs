//! Everything `changes` reads from git goes through here: a thin wrapper around
//! `git2::Repository` that answers in domain types (`ChangeSet`), never in git2 ones.

pub mod change;
mod cut;
mod diff;
pub mod history;
pub mod hooks;
pub(crate) mod hunks;
pub mod log;
pub mod push;

use std::path::{Path, PathBuf};

use crate::config::Limits;

pub use crate::privacy::{Filter, PatternError};
pub use change::{ChangeSet, Cut, CutLimit, Exclusion, FileChange, Source, Status};

/// A git failure, with what we were doing when it happened.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No repository at or above the current folder (or at `GIT_DIR`).
    #[error("not inside a git repository: {0}")]
    NotARepository(String),
    /// A revision that does not name a commit.
    #[error("`{revision}` does not name a commit: {message}")]
    BadRevision {
        /// What the user wrote.
        revision: String,
        /// libgit2's explanation.
        message: String,
    },
    /// Anything else libgit2 reports.
    #[error("{context}: {source}")]
    Git {
        /// What we were doing.
        context: &'static str,
        /// libgit2's error.
        source: git2::Error,
    },
    /// An `exclude:` glob or `.changesignore` line that does not parse.
    #[error(transparent)]
    Pattern(#[from] PatternError),
}

/// Attaches what we were doing to a libgit2 error.
pub(crate) trait Context<T> {
    /// Wraps the error with `context`.
    fn context(self, context: &'static str) -> Result<T, GitError>;
}

impl<T> Context<T> for Result<T, git2::Error> {
    fn context(self, context: &'static str) -> Result<T, GitError> {
        self.map_err(|source| GitError::Git { context, source })
    }
}

/// Reading objects need not re-hash them: git itself does not, and with SHA-1 collision
/// detection it was a fifth of the time spent collecting a large change.
fn skip_hash_verification() {
    git2::opts::strict_hash_verification(false);
}

/// What diff collection needs besides the two sides: the path rules and the byte caps.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Which files' content may be read into a prompt.
    pub filter: Filter,
    /// Per-file and total caps on patch text.
    pub limits: Limits,
}

/// An open repository.
pub struct Repository {
    inner: git2::Repository,
}

impl Repository {
    /// Opens the repository the way git does for the current process: `GIT_DIR`,
    /// `GIT_WORK_TREE`, `GIT_INDEX_FILE` and the other variables first, else the current
    /// folder and its parents.
    pub fn discover() -> Result<Self, GitError> {
        skip_hash_verification();
        git2::Repository::open_from_env()
            .map(|inner| Self { inner })
            .map_err(|error| GitError::NotARepository(error.message().to_string()))
    }

    /// Opens the repository at or above `path`, ignoring the environment.
    pub fn open(path: &Path) -> Result<Self, GitError> {
        skip_hash_verification();
        git2::Repository::discover(path)
            .map(|inner| Self { inner })
            .map_err(|error| GitError::NotARepository(error.message().to_string()))
    }

    /// The work-tree root, `None` for a bare repository.
    pub fn work_tree(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The git directory (for a linked worktree, its own one under `.git/worktrees`).
    pub fn git_dir(&self) -> &Path {
        self.inner.path()
    }

    /// The folder shared by all worktrees, where caches and reports live.
    pub fn common_dir(&self) -> PathBuf {
        self.inner.commondir().to_path_buf()
    }

    /// The staged changes: the index against `HEAD`, or against the empty tree before the
    /// first commit.
    pub fn staged(&self, options: &CollectOptions) -> Result<ChangeSet, GitError> {
        let head_tree = match self.inner.head() {
            Ok(head) => Some(head.peel_to_tree().context("reading HEAD's tree")?),
            Err(error)
                if matches!(
                    error.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                None
            }
            Err(source) => return Err(GitError::Git { context: "reading HEAD", source }),
        };
        self.index_against(head_tree.as_ref(), options)
    }

    /// The index against `revision` instead of `HEAD` (an amend redraft compares with
    /// `HEAD^`); `None` compares with the empty tree.
    pub fn staged_since(
        &self,
        revision: Option<&str>,
        options: &CollectOptions,
    ) -> Result<ChangeSet, GitError> {
        let base = revision.map(|revision| self.resolve_commit(revision)).transpose()?;
        let base_tree =
            base.as_ref().map(git2::Commit::tree).transpose().context("reading a tree")?;
        self.index_against(base_tree.as_ref(), options)
    }

    /// The index compared with `tree` (`None`: the empty tree).
    fn index_against(
        &self,
        tree: Option<&git2::Tree<'_>>,
        options: &CollectOptions,
    ) -> Result<ChangeSet, GitError> {
        let index = self.inner.index().context("reading the index")?;
        let mut diff_options = diff::diff_options();
        let diff = self
            .inner
            .diff_tree_to_index(tree, Some(&index), Some(&mut diff_options))
            .context("comparing the index with a commit")?;
        diff::collect(&self.inner, diff, Source::Staged, options)
    }

    /// The operation in progress that replays commits one by one (git runs the commit hooks
    /// for each), or `None` when nothing is being replayed.
    pub fn replay_in_progress(&self) -> Option<&'static str> {
        use git2::RepositoryState as State;
        match self.inner.state() {
            State::Rebase | State::RebaseInteractive | State::RebaseMerge => Some("a rebase"),
            State::ApplyMailbox | State::ApplyMailboxOrRebase => Some("git am"),
            State::CherryPick | State::CherryPickSequence => Some("a cherry-pick"),
            State::Revert | State::RevertSequence => Some("a revert"),
            State::Clean | State::Merge | State::Bisect => None,
        }
    }

    /// A string value from git's configuration, `None` when unset or unreadable.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.inner.config().ok()?.get_string(key).ok()
    }

    /// True when the parent of `revision` exists (it is not a root commit).
    pub fn has_parent(&self, revision: &str) -> bool {
        self.resolve_commit(revision).is_ok_and(|commit| commit.parent_count() > 0)
    }

    /// The changes one commit made, against its first parent (the empty tree for a root).
    pub fn commit(&self, revision: &str, options: &CollectOptions) -> Result<ChangeSet, GitError> {
        let commit = self.resolve_commit(revision)?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree().context("reading the parent's tree")?),
            Err(_) => None,
        };
        let tree = commit.tree().context("reading the commit's tree")?;
        let mut diff_options = diff::diff_options();
        let diff = self
            .inner
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut diff_options))
            .context("comparing the commit with its parent")?;
        let source = Source::Commit {
            id: commit.id().to_string(),
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        };
        diff::collect(&self.inner, diff, source, options)
    }

    /// Everything between two commits: `from` (exclusive; `None` for the empty tree) to `to`.
    pub fn range(
        &self,
        from: Option<&str>,
        to: &str,
        options: &CollectOptions,
    ) -> Result<ChangeSet, GitError> {
        let old = from.map(|revision| self.resolve_commit(revision)).transpose()?;
        let new = self.resolve_commit(to)?;
        let old_tree =
            old.as_ref().map(git2::Commit::tree).transpose().context("reading a tree")?;
        let new_tree = new.tree().context("reading a tree")?;
        let mut diff_options = diff::diff_options();
        let diff = self
            .inner
            .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut diff_options))
            .context("comparing two commits")?;
        let source = Source::Range {
            from: old.map(|commit| commit.id().to_string()),
            to: new.id().to_string(),
        };
        diff::collect(&self.inner, diff, source, options)
    }

    fn resolve_commit(&self, revision: &str) -> Result<git2::Commit<'_>, GitError> {
        self.inner.revparse_single(revision).and_then(|object| object.peel_to_commit()).map_err(
            |error| GitError::BadRevision {
                revision: revision.to_string(),
                message: error.message().to_string(),
            },
        )
    }
}
