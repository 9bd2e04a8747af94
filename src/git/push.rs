//! What a push sends: git's pre-push lines parsed, and for each ref the commits the remote
//! does not have yet, computed the way git's own sample hook does it (`remote..local`, or
//! for a new branch everything not reachable from the remote's refs).

use std::fmt;

use git2::{Oid, Sort};

use super::{Context, GitError, Repository};

/// One line of pre-push input: `<local ref> <local oid> <remote ref> <remote oid>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    /// The local ref being pushed (`refs/heads/main`, `refs/tags/v1`, `(delete)`).
    pub local_ref: String,
    /// Its object id, all zeros for a deletion.
    pub local_oid: String,
    /// The ref on the remote.
    pub remote_ref: String,
    /// What the remote has now, all zeros for a new ref.
    pub remote_oid: String,
}

/// A pre-push line that does not have four fields or has ids that are not hexadecimal.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unexpected pre-push input line {line}: {text:?}")]
pub struct PushInputError {
    /// 1-based line number.
    pub line: usize,
    /// The line, cut to 200 characters.
    pub text: String,
}

fn is_object_id(text: &str) -> bool {
    (4..=64).contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// True for an all-zeros id of any length (SHA-1 or SHA-256).
pub fn is_zero_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte == b'0')
}

/// Parses git's pre-push standard input. Blank lines are ignored.
pub fn parse_push_input(input: &str) -> Result<Vec<RefUpdate>, PushInputError> {
    let mut updates = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        let error = || PushInputError { line: index + 1, text: line.chars().take(200).collect() };
        let [local_ref, local_oid, remote_ref, remote_oid] = fields.as_slice() else {
            return Err(error());
        };
        if !is_object_id(local_oid) || !is_object_id(remote_oid) || remote_ref.is_empty() {
            return Err(error());
        }
        updates.push(RefUpdate {
            local_ref: local_ref.to_string(),
            local_oid: local_oid.to_ascii_lowercase(),
            remote_ref: remote_ref.to_string(),
            remote_oid: remote_oid.to_ascii_lowercase(),
        });
    }
    Ok(updates)
}

/// How a ref changes on the remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    /// The remote does not have the ref yet.
    New,
    /// The remote's commit is an ancestor of ours.
    FastForward,
    /// The remote's commit is not in our history: a force push.
    Forced,
    /// The remote's commit is not known locally (not fetched).
    Unknown,
}

impl fmt::Display for UpdateKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            UpdateKind::New => "new ref",
            UpdateKind::FastForward => "update",
            UpdateKind::Forced => "forced update",
            UpdateKind::Unknown => "update of a remote commit not fetched here",
        })
    }
}

/// One commit being pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedCommit {
    /// Full object id.
    pub id: String,
    /// First line of the message.
    pub summary: String,
    /// Author name.
    pub author: String,
}

/// What one ref update sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The update as git described it.
    pub update: RefUpdate,
    /// New, fast-forward, forced.
    pub kind: UpdateKind,
    /// The reviewed commits, newest first, at most `max_commits`.
    pub commits: Vec<PushedCommit>,
    /// Outgoing commits beyond the cap, counted but not reviewed.
    pub left_out: usize,
    /// For a forced update: commits on the remote that the push drops.
    pub rewritten: usize,
    /// The commit the reviewed diff starts from (`None`: the empty tree).
    pub base: Option<String>,
    /// The commit the reviewed diff ends at.
    pub tip: String,
}

impl Repository {
    /// The commits `update` sends to `remote`, newest first, capped at `max_commits`; `None`
    /// for a deletion or a ref that adds no commit. Tags are peeled to their commit.
    pub fn outgoing(
        &self,
        update: &RefUpdate,
        remote: &str,
        max_commits: usize,
    ) -> Result<Option<Outgoing>, GitError> {
        if is_zero_id(&update.local_oid) {
            return Ok(None);
        }
        let tip = self.peel_to_commit_id(&update.local_oid)?;
        let mut walk = self.inner.revwalk().context("walking history")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).context("sorting history")?;
        walk.push(tip).context("walking history")?;

        let remote_commit = if is_zero_id(&update.remote_oid) {
            None
        } else {
            Some(self.peel_to_commit_id(&update.remote_oid).ok())
        };
        let (kind, rewritten) = match remote_commit {
            None => (UpdateKind::New, 0),
            Some(None) => (UpdateKind::Unknown, 0),
            Some(Some(remote_tip)) => {
                let base = self.inner.merge_base(tip, remote_tip).ok();
                if base == Some(remote_tip) {
                    walk.hide(remote_tip).context("walking history")?;
                    (UpdateKind::FastForward, 0)
                } else {
                    if let Some(base) = base {
                        walk.hide(base).context("walking history")?;
                    }
                    (UpdateKind::Forced, self.count_between(base, remote_tip)?)
                }
            }
        };
        if matches!(kind, UpdateKind::New | UpdateKind::Unknown) {
            // Everything not already on that remote, as far as we know it.
            let pattern = format!("refs/remotes/{remote}/*");
            if let Ok(references) = self.inner.references_glob(&pattern) {
                for reference in references.flatten() {
                    if let Ok(commit) = reference.peel_to_commit() {
                        walk.hide(commit.id()).context("walking history")?;
                    }
                }
            }
        }

        let mut commits = Vec::new();
        let mut total = 0usize;
        for id in walk {
            let id = id.context("walking history")?;
            total += 1;
            if commits.len() < max_commits {
                let commit = self.inner.find_commit(id).context("reading a commit")?;
                commits.push(PushedCommit {
                    id: id.to_string(),
                    summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                        .into_owned(),
                    author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
                });
            }
        }
        if commits.is_empty() {
            return Ok(None);
        }
        // The reviewed diff starts at the parent of the oldest reviewed commit.
        let oldest = commits.last().map(|commit| commit.id.clone()).unwrap_or_default();
        let base = self
            .inner
            .revparse_single(&oldest)
            .and_then(|object| object.peel_to_commit())
            .ok()
            .and_then(|commit| commit.parent_id(0).ok())
            .map(|id| id.to_string());
        Ok(Some(Outgoing {
            update: update.clone(),
            kind,
            left_out: total - commits.len(),
            commits,
            rewritten,
            base,
            tip: tip.to_string(),
        }))
    }

    /// What `git push` would send for the current branch: its upstream's commit and ours.
    pub fn upstream_update(&self) -> Result<(String, RefUpdate), GitError> {
        let head = self.inner.head().context("reading HEAD")?;
        let branch_name = head.shorthand().unwrap_or("HEAD").to_string();
        let local_oid = head.peel_to_commit().context("reading HEAD")?.id().to_string();
        let branch = git2::Branch::wrap(head);
        let upstream = branch.upstream().map_err(|source| GitError::Git {
            context: "finding the current branch's upstream (set one with git push -u)",
            source,
        })?;
        let upstream_name = upstream.get().shorthand().unwrap_or_default().to_string();
        let remote = upstream_name.split('/').next().unwrap_or("origin").to_string();
        let remote_oid =
            upstream.get().peel_to_commit().context("reading the upstream")?.id().to_string();
        let remote_ref = format!(
            "refs/heads/{}",
            upstream_name.split_once('/').map_or(branch_name.as_str(), |(_, rest)| rest)
        );
        Ok((
            remote,
            RefUpdate {
                local_ref: format!("refs/heads/{branch_name}"),
                local_oid,
                remote_ref,
                remote_oid,
            },
        ))
    }

    /// A commit id for any revision (`A`, `HEAD~2`, an object id).
    pub fn commit_id(&self, revision: &str) -> Result<String, GitError> {
        Ok(self.resolve_commit(revision)?.id().to_string())
    }

    fn peel_to_commit_id(&self, id: &str) -> Result<Oid, GitError> {
        self.inner
            .revparse_single(id)
            .and_then(|object| object.peel_to_commit())
            .map(|commit| commit.id())
            .map_err(|error| GitError::BadRevision {
                revision: id.to_string(),
                message: error.message().to_string(),
            })
    }

    fn count_between(&self, base: Option<Oid>, tip: Oid) -> Result<usize, GitError> {
        let mut walk = self.inner.revwalk().context("walking history")?;
        walk.push(tip).context("walking history")?;
        if let Some(base) = base {
            walk.hide(base).context("walking history")?;
        }
        Ok(walk.count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_lines_parse_with_ids_of_any_length() {
        let sha1 = "a".repeat(40);
        let sha256 = "b".repeat(64);
        let zero = "0".repeat(40);
        let input = format!("refs/heads/main {sha1} refs/heads/main {zero}\n\nrefs/tags/v1 {sha256} refs/tags/v1 {}\n", "0".repeat(64));
        let updates = parse_push_input(&input).expect("valid");
        assert_eq!(updates.len(), 2);
        assert!(is_zero_id(&updates[0].remote_oid) && is_zero_id(&updates[1].remote_oid));
        assert_eq!(updates[1].local_oid, sha256);
        assert_eq!(parse_push_input("").expect("empty"), Vec::new());
    }

    #[test]
    fn malformed_push_lines_are_errors_naming_the_line() {
        let error = parse_push_input("refs/heads/main abc\n").expect_err("too few fields");
        assert_eq!(error.line, 1);
        assert!(parse_push_input("a zzzz b 0000\n").is_err());
        assert!(!is_zero_id(""));
    }
}

/// Property tests: short runs in `cargo test`, long ones with `PROPTEST_CASES=100000`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::parse_push_input;

    proptest! {
        #[test]
        fn push_input_never_panics_and_accepts_what_git_writes(
            noise in ".{0,400}",
            lines in proptest::collection::vec(("[a-z/]{1,30}", "[0-9a-f]{40}", "[a-z/]{1,30}", "[0-9a-f]{40}"), 0..5),
        ) {
            let _ = parse_push_input(&noise);
            let input: String = lines.iter().map(|(a, b, c, d)| format!("{a} {b} {c} {d}\n")).collect();
            let parsed = parse_push_input(&input).expect("git's own format parses");
            prop_assert_eq!(parsed.len(), lines.len());
        }
    }
}
