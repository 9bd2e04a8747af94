//! Commits in a date window on the current branch, and the range that covers them: from what
//! the branch held when the window opened (its newest first-parent commit made before it; the
//! empty tree when the branch began inside it) to the newest. A commit belongs to
//! a window by its committer date, the date `git log --since --until` reads: when the commit
//! was made on this branch (a rebase, a cherry-pick or a squash merge gives it a new one), not
//! when its author first wrote it.

use git2::Sort;

use super::{Context, GitError, Repository};

/// One commit of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodCommit {
    /// Full object id.
    pub id: String,
    /// First line of the message.
    pub summary: String,
    /// Author name.
    pub author: String,
    /// The committer date, seconds since the epoch: what puts the commit in the window.
    pub time: i64,
    /// More than one parent.
    pub merge: bool,
}

/// How far past the window's start the walk goes before it stops: commit dates are not
/// monotonic (rebases, clock skew), so a little slack keeps late-dated commits.
const CLOCK_SKEW_SECONDS: i64 = 30 * 86_400;

/// The commits of a window and the range to diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Newest first.
    pub commits: Vec<PeriodCommit>,
    /// The newest first-parent ancestor of the tip made before the window, `None` when the
    /// branch began inside the window.
    pub base: Option<String>,
    /// The newest commit.
    pub tip: String,
    /// The clone is shallow and its history ends inside the window: the change starts at the
    /// oldest commit the clone has, not where the branch stood when the window opened.
    pub cut_by_shallow: bool,
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
        // Children before parents even when a parent's date is later (a rebase, clock skew):
        // the newest listed commit is then the tip of the range.
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).context("sorting history")?;
        walk.push(head.id()).context("walking history")?;
        let mut commits = Vec::new();
        let mut tip = None;
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
            commits.push(PeriodCommit {
                id: commit.id().to_string(),
                summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                    .into_owned(),
                author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
                time,
                merge: commit.parent_count() > 1,
            });
            if tip.is_none() {
                tip = Some(commit);
            }
        }
        let Some(tip) = tip else { return Ok(None) };
        let shallow = self.shallow_commits();
        let (base, cut_by_shallow) = state_before(&tip, after, &shallow);
        Ok(Some(Window { tip: tip.id().to_string(), base, commits, cut_by_shallow }))
    }

    /// The commits a shallow clone's history is cut at (`.git/shallow`): git2 shows them
    /// with no parents, like a root commit. Empty for a full clone.
    fn shallow_commits(&self) -> Vec<git2::Oid> {
        if !self.inner.is_shallow() {
            return Vec::new();
        }
        let path = self.inner.commondir().join("shallow");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| git2::Oid::from_str(line.trim()).ok())
            .collect()
    }

    /// The paths a commit changes against its first parent (the empty tree for a root
    /// commit), old and new sides of renames both, without reading any content.
    pub fn touched_paths(&self, id: &str) -> Result<Vec<String>, GitError> {
        let commit = self.resolve_commit(id)?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree().context("reading the parent's tree")?),
            Err(_) => None,
        };
        let tree = commit.tree().context("reading the commit's tree")?;
        let diff = self
            .inner
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .context("comparing the commit with its parent")?;
        let mut paths = Vec::new();
        for delta in diff.deltas() {
            let (old, new) = (delta.old_file().path_bytes(), delta.new_file().path_bytes());
            paths.extend(new.map(|path| String::from_utf8_lossy(path).into_owned()));
            if old != new {
                paths.extend(old.map(|path| String::from_utf8_lossy(path).into_owned()));
            }
        }
        Ok(paths)
    }

    /// The commits a merge brought in: reachable from its other parents and not from its
    /// first, newest first, at most `limit`. Empty for a commit that is not a merge.
    pub fn merged_by(&self, id: &str, limit: usize) -> Result<Vec<String>, GitError> {
        let commit = self.resolve_commit(id)?;
        if commit.parent_count() < 2 {
            return Ok(Vec::new());
        }
        let mut walk = self.inner.revwalk().context("walking history")?;
        for parent in commit.parent_ids().skip(1) {
            walk.push(parent).context("walking history")?;
        }
        if let Ok(first) = commit.parent_id(0) {
            walk.hide(first).context("walking history")?;
        }
        let mut ids = Vec::new();
        for id in walk.take(limit) {
            ids.push(id.context("walking history")?.to_string());
        }
        Ok(ids)
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

/// What the branch held when the window opened: the newest first-parent ancestor of `tip`
/// made before `after`, `None` when the branch began inside the window. A side branch merged
/// during the window started from an older commit; diffing from that commit's parent would
/// report changes the main line made before the window. In a shallow clone whose history ends
/// inside the window, the oldest commit it has (and `true`): its parents are not there, and
/// diffing from the empty tree would report its whole tree as added.
fn state_before(
    tip: &git2::Commit<'_>,
    after: i64,
    shallow: &[git2::Oid],
) -> (Option<String>, bool) {
    let mut commit = tip.clone();
    loop {
        let Ok(parent) = commit.parent(0) else {
            return if shallow.contains(&commit.id()) {
                (Some(commit.id().to_string()), true)
            } else {
                (None, false)
            };
        };
        if parent.committer().when().seconds() < after {
            return (Some(parent.id().to_string()), false);
        }
        commit = parent;
    }
}
