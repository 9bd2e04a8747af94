//! Commits in a date window on the current branch, and the range that covers them: from the
//! parent of the oldest (the empty tree for a root commit) to the newest.

use git2::Sort;

use super::push::PushedCommit;
use super::{Context, GitError, Repository};

/// How far past the window's start the walk goes before it stops: commit dates are not
/// monotonic (rebases, clock skew), so a little slack keeps late-dated commits.
const CLOCK_SKEW_SECONDS: i64 = 30 * 86_400;

/// The commits of a window and the range to diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Newest first.
    pub commits: Vec<PushedCommit>,
    /// The parent of the oldest commit, `None` when that is a root commit.
    pub base: Option<String>,
    /// The newest commit.
    pub tip: String,
}

impl Repository {
    /// Commits reachable from `HEAD` whose committer date is in `[after, before)` (seconds
    /// since the epoch), like `git log --after --before`. `None` when there is none.
    pub fn window(&self, after: i64, before: i64) -> Result<Option<Window>, GitError> {
        let head = match self.inner.head() {
            Ok(head) => head.peel_to_commit().context("reading HEAD")?,
            Err(_) => return Ok(None),
        };
        let mut walk = self.inner.revwalk().context("walking history")?;
        walk.set_sorting(Sort::TIME).context("sorting history")?;
        walk.push(head.id()).context("walking history")?;
        let mut commits = Vec::new();
        let mut oldest = None;
        for id in walk {
            let commit = self
                .inner
                .find_commit(id.context("walking history")?)
                .context("reading a commit")?;
            let time = commit.committer().when().seconds();
            if time < after - CLOCK_SKEW_SECONDS {
                break;
            }
            if time < after || time >= before {
                continue;
            }
            commits.push(PushedCommit {
                id: commit.id().to_string(),
                summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                    .into_owned(),
                author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
            });
            oldest = Some(commit);
        }
        let (Some(first), Some(oldest)) = (commits.first(), oldest) else { return Ok(None) };
        Ok(Some(Window {
            tip: first.id.clone(),
            base: oldest.parent_id(0).ok().map(|id| id.to_string()),
            commits,
        }))
    }

    /// The URL of the `origin` remote, if there is one.
    pub fn origin_url(&self) -> Option<String> {
        self.remote_url("origin")
    }

    /// The URL a remote is configured with, `None` when there is no such remote.
    pub fn remote_url(&self, remote: &str) -> Option<String> {
        self.inner.find_remote(remote).ok()?.url().ok().map(str::to_string)
    }

    /// The current branch's short name, `None` when `HEAD` is detached or unborn.
    pub fn branch_name(&self) -> Option<String> {
        let head = self.inner.head().ok()?;
        head.is_branch().then(|| head.shorthand().ok().map(str::to_string)).flatten()
    }
}
