//! Single commits as the conventions index reads them: the id and first parent, whether it
//! is a merge, its message and author, and files of its tree. Only this file walks history
//! for `conventions`; the walk itself (first parents, and the commits each merge on that line
//! brought in, never another branch) is done by the caller one commit at a time, so that a
//! warm index needs no git read at all.

use super::{Context, GitError, Repository};

/// One commit's metadata, decoded lossily where git stores bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedCommit {
    /// The full object id.
    pub id: String,
    /// The first parent, `None` for a root commit. At the edge of a shallow clone it names a
    /// commit that is not there: reading it fails, and the walk stops.
    pub parent: Option<String>,
    /// True when the commit has more than one parent.
    pub merge: bool,
    /// The whole message, decoded lossily.
    pub message: String,
    /// The author's name.
    pub author_name: String,
    /// The author's e-mail address.
    pub author_email: String,
    /// The committer date, seconds since the epoch.
    pub time: i64,
}

impl Repository {
    /// The id of `HEAD`'s commit, `None` before the first commit.
    pub fn head_id(&self) -> Option<String> {
        let head = self.inner.head().ok()?;
        head.peel_to_commit().ok().map(|commit| commit.id().to_string())
    }

    /// Reads one commit by id.
    pub fn logged(&self, id: &str) -> Result<LoggedCommit, GitError> {
        let commit = self.resolve_commit(id)?;
        let parent = commit.parent_id(0).ok();
        let author = commit.author();
        let time = commit.committer().when().seconds();
        Ok(LoggedCommit {
            id: commit.id().to_string(),
            parent: parent.map(|parent| parent.to_string()),
            merge: commit.parent_count() > 1,
            message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
            author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time,
        })
    }

    /// The non-merge commits that merge `id` brought in: reachable from its other parents
    /// and not from its first, newest first, at most `limit`. All of them are ancestors of
    /// the merge; a parent missing from a shallow clone brings nothing.
    pub fn brought_by(&self, id: &str, limit: usize) -> Result<Vec<String>, GitError> {
        let commit = self.resolve_commit(id)?;
        let mut walk = self.inner.revwalk().context("walking a merge")?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME).context("walking a merge")?;
        let mut pushed = false;
        for parent in commit.parent_ids().skip(1) {
            if walk.push(parent).is_ok() {
                pushed = true;
            }
        }
        if !pushed {
            return Ok(Vec::new());
        }
        if let Ok(first) = commit.parent_id(0) {
            walk.hide(first).context("walking a merge")?;
        }
        let mut brought = Vec::new();
        for oid in walk {
            let Ok(oid) = oid else { break };
            let Ok(side) = self.inner.find_commit(oid) else { break };
            if side.parent_count() <= 1 {
                brought.push(oid.to_string());
                if brought.len() == limit {
                    break;
                }
            }
        }
        Ok(brought)
    }

    /// The content of `path` in the tree of commit `id`, `None` when there is no such file
    /// (or it is not a blob). Rule files are read this way when a past commit is replayed.
    pub fn file_at(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let commit = self.resolve_commit(id)?;
        let tree = commit.tree().context("reading a tree")?;
        let Ok(entry) = tree.get_path(std::path::Path::new(path)) else { return Ok(None) };
        let object = entry.to_object(&self.inner).context("reading a blob")?;
        Ok(object.as_blob().map(|blob| blob.content().to_vec()))
    }

    /// The content of the file at `path` in commit `id`, when it is a blob of at most
    /// `max_bytes` (its size is read from the object's header first, so a huge blob is never
    /// loaded); `None` when there is no such file, it is a link or larger, or `path` is not a
    /// plain relative path.
    pub fn small_file_at(
        &self,
        id: &str,
        path: &str,
        max_bytes: u64,
    ) -> Result<Option<Vec<u8>>, GitError> {
        use std::path::Component;
        let plain = std::path::Path::new(path);
        if path.is_empty() || !plain.components().all(|part| matches!(part, Component::Normal(_))) {
            return Ok(None);
        }
        let commit = self.resolve_commit(id)?;
        let tree = commit.tree().context("reading a tree")?;
        let Ok(entry) = tree.get_path(plain) else { return Ok(None) };
        // A link's blob is its target's name, not a file's content.
        if entry.kind() != Some(git2::ObjectType::Blob) || entry.filemode() == 0o120000 {
            return Ok(None);
        }
        let odb = self.inner.odb().context("opening the object database")?;
        let (size, _) = odb.read_header(entry.id()).context("reading an object's size")?;
        if size as u64 > max_bytes {
            return Ok(None);
        }
        let object = entry.to_object(&self.inner).context("reading a blob")?;
        Ok(object.as_blob().map(|blob| blob.content().to_vec()))
    }

    /// True when some file path in the tree of commit `id` satisfies `wanted`; false when
    /// none does or the tree cannot be read. Stops at the first match.
    pub fn any_path(&self, id: &str, wanted: impl Fn(&str) -> bool) -> bool {
        let Ok(commit) = self.resolve_commit(id) else { return false };
        let Ok(tree) = commit.tree() else { return false };
        let mut found = false;
        let _ = tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
            if entry.kind() != Some(git2::ObjectType::Blob) {
                return git2::TreeWalkResult::Ok;
            }
            let path = format!("{folder}{}", String::from_utf8_lossy(entry.name_bytes()));
            if wanted(&path) {
                found = true;
                return git2::TreeWalkResult::Abort;
            }
            git2::TreeWalkResult::Ok
        });
        found
    }

    /// The e-mail address git would record as the author of a new commit: `GIT_AUTHOR_EMAIL`,
    /// else `user.email`.
    pub fn author_email(&self) -> Option<String> {
        std::env::var("GIT_AUTHOR_EMAIL")
            .ok()
            .filter(|email| !email.is_empty())
            .or_else(|| self.config_string("user.email"))
    }

    /// True when the repository is a shallow clone: its history stops early.
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }
}
