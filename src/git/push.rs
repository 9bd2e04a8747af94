//! What a push sends: git's pre-push lines parsed, and for each ref the exact change the
//! remote's ref goes through — from the remote's tip to ours for an update (forced or not),
//! from the merge base with the closest remote branch for a new ref — with the commits no
//! ref of that remote has yet, and for a forced update the ones it loses.

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

/// What one ref update sends, and for a forced update what the remote's ref no longer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The update as git described it.
    pub update: RefUpdate,
    /// New, fast-forward, forced.
    pub kind: UpdateKind,
    /// The commits the remote gains that no ref of it has yet, newest first, at most
    /// `max_commits`.
    pub commits: Vec<PushedCommit>,
    /// Gained commits beyond the cap, counted but not listed.
    pub left_out: usize,
    /// For a forced update: the commits the remote's ref held that the push drops, newest
    /// first, at most `max_commits`.
    pub lost: Vec<PushedCommit>,
    /// Lost commits beyond the cap.
    pub lost_left_out: usize,
    /// Commits the reviewed diff carries that the remote already has under another ref (a
    /// branch merged in, or rebased onto): not listed, since they were pushed before.
    pub already_on_remote: usize,
    /// The commit the reviewed diff starts from (`None`: the empty tree): the remote's tip for
    /// an update, forced or not; for a new ref, the merge base with the remote's branch
    /// closest to the tip.
    pub base: Option<String>,
    /// For a new ref, the remote-tracking ref the base was taken from (`origin/main`).
    pub base_ref: Option<String>,
    /// The commit the reviewed diff ends at.
    pub tip: String,
}

/// At most this many remote-tracking refs are weighed as the base of a new branch: a remote
/// with thousands of branches must not hold the push while merge bases are computed.
const MAX_BASE_CANDIDATES: usize = 256;

impl Repository {
    /// What `update` sends to `remote`: the commits no ref of that remote has (newest first,
    /// capped at `max_commits`), the ones a forced update drops, and the two ends of the diff
    /// the remote's ref goes through. `remote` is `None` for a range given by hand, where no
    /// remote-tracking ref is hidden. `None` for a deletion or a ref that moves to commits the
    /// remote already has. Tags are peeled to their commit.
    pub fn outgoing(
        &self,
        update: &RefUpdate,
        remote: Option<&str>,
        max_commits: usize,
    ) -> Result<Option<Outgoing>, GitError> {
        if is_zero_id(&update.local_oid) {
            return Ok(None);
        }
        let tip = self.peel_to_commit_id(&update.local_oid)?;
        let remote_refs = match remote {
            Some(remote) => self.remote_tracking(remote),
            None => Vec::new(),
        };
        let remote_commit = if is_zero_id(&update.remote_oid) {
            None
        } else {
            Some(self.peel_to_commit_id(&update.remote_oid).ok())
        };
        let (kind, base, base_ref) = match remote_commit {
            Some(Some(remote_tip)) => {
                if remote_tip == tip {
                    return Ok(None);
                }
                let fast_forward = self.inner.graph_descendant_of(tip, remote_tip).unwrap_or(false);
                let kind = if fast_forward { UpdateKind::FastForward } else { UpdateKind::Forced };
                // What the remote's ref goes through, merges included: its tip to ours.
                (kind, Some(remote_tip), None)
            }
            None | Some(None) => {
                let kind =
                    if remote_commit.is_none() { UpdateKind::New } else { UpdateKind::Unknown };
                match self.closest_base(tip, &remote_refs) {
                    Some((base, name)) => (kind, Some(base), Some(name)),
                    None => (kind, None, None),
                }
            }
        };

        // Gained: reachable from our tip and from nothing the remote is known to have.
        let mut walk = self.walk_from(tip)?;
        if let Some(Some(remote_tip)) = remote_commit {
            walk.hide(remote_tip).context("walking history")?;
        }
        for (_, id) in &remote_refs {
            walk.hide(*id).context("walking history")?;
        }
        let (commits, gained) = self.listed(walk, max_commits)?;

        let (lost, lost_total) = match (kind, remote_commit) {
            (UpdateKind::Forced, Some(Some(remote_tip))) => {
                let mut walk = self.walk_from(remote_tip)?;
                walk.hide(tip).context("walking history")?;
                self.listed(walk, max_commits)?
            }
            _ => (Vec::new(), 0),
        };
        if gained == 0 && lost_total == 0 {
            return Ok(None);
        }
        let base = match base {
            Some(base) => Some(base),
            // No remote ref at all (a first push, a push to a URL): everything listed is new,
            // and the diff starts where the listed commits do.
            None => commits
                .last()
                .and_then(|oldest| Oid::from_str(&oldest.id).ok())
                .and_then(|oldest| self.inner.find_commit(oldest).ok())
                .and_then(|oldest| oldest.parent_id(0).ok()),
        };
        let already_on_remote = match base {
            Some(base) => {
                let (ahead, _) = self.inner.graph_ahead_behind(tip, base).unwrap_or((gained, 0));
                ahead.saturating_sub(gained)
            }
            None => 0,
        };
        Ok(Some(Outgoing {
            update: update.clone(),
            kind,
            left_out: gained - commits.len(),
            commits,
            lost_left_out: lost_total - lost.len(),
            lost,
            already_on_remote,
            base: base.map(|id| id.to_string()),
            base_ref,
            tip: tip.to_string(),
        }))
    }

    /// The remote's tracking refs as `(origin/main, commit)`, its default branch first
    /// (`refs/remotes/<remote>/HEAD`, else `main`, else `master`), the others in name order.
    fn remote_tracking(&self, remote: &str) -> Vec<(String, Oid)> {
        let prefix = format!("refs/remotes/{remote}/");
        let default = self
            .inner
            .find_reference(&format!("{prefix}HEAD"))
            .ok()
            .and_then(|head| head.symbolic_target().ok().flatten().map(str::to_string));
        let mut found: Vec<(u8, String, Oid)> = Vec::new();
        let Ok(references) = self.inner.references_glob(&format!("{prefix}*")) else {
            return Vec::new();
        };
        for reference in references.flatten() {
            let Ok(name) = reference.name().map(str::to_string) else { continue };
            if reference.kind() == Some(git2::ReferenceType::Symbolic) {
                continue;
            }
            let Ok(commit) = reference.peel_to_commit() else { continue };
            let rank = if default.as_deref() == Some(name.as_str()) {
                0
            } else if name == format!("{prefix}main") {
                1
            } else if name == format!("{prefix}master") {
                2
            } else {
                3
            };
            let short = name.strip_prefix("refs/remotes/").unwrap_or(&name).to_string();
            found.push((rank, short, commit.id()));
        }
        found.sort();
        found.into_iter().map(|(_, name, id)| (name, id)).collect()
    }

    /// Where a new ref's diff starts: the merge base with the remote branch it is closest to
    /// (fewest commits between that merge base and `tip`), the default branch winning ties.
    /// A branch started from a feature branch the remote already has is reviewed from that
    /// branch, so what the review shows is exactly what the remote does not have.
    fn closest_base(&self, tip: Oid, remote_refs: &[(String, Oid)]) -> Option<(Oid, String)> {
        let mut best: Option<(usize, Oid, &str)> = None;
        for (name, id) in remote_refs.iter().take(MAX_BASE_CANDIDATES) {
            let Ok(base) = self.inner.merge_base(tip, *id) else { continue };
            let Ok((distance, _)) = self.inner.graph_ahead_behind(tip, base) else { continue };
            if best.is_none_or(|(shortest, _, _)| distance < shortest) {
                best = Some((distance, base, name));
            }
        }
        best.map(|(_, base, name)| (base, name.to_string()))
    }

    fn walk_from(&self, tip: Oid) -> Result<git2::Revwalk<'_>, GitError> {
        let mut walk = self.inner.revwalk().context("walking history")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).context("sorting history")?;
        walk.push(tip).context("walking history")?;
        Ok(walk)
    }

    /// The first `max_commits` commits of a walk, and how many it has in all.
    fn listed(
        &self,
        walk: git2::Revwalk<'_>,
        max_commits: usize,
    ) -> Result<(Vec<PushedCommit>, usize), GitError> {
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
        Ok((commits, total))
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
