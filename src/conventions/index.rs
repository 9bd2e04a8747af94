//! The history index: one record per commit (its subject, body habits, author kind and the
//! `Shape` of its change), kept under the git folder so that a run adds only the commits it
//! has not seen.
//!
//! One append-only log (`<git common dir>/changes/conventions/index.log`), like the summary
//! cache: a run reads it once and appends every new record with a single `O_APPEND` write, so
//! runs in two worktrees at once never corrupt it; a line that is torn, foreign, or written by
//! another version of the index is skipped, and duplicates are harmless. Records are keyed by
//! commit id, which names the commit's content, so a record never goes stale; which records
//! a run uses is decided by walking first parents from the commit the draft starts from,
//! never from the log's order, so another branch's or a later commit's record is never read.
//!
//! A repository whose work arrives through merged branches has little on its first-parent
//! line but merges, so a merge's record lists the non-merge commits it brought in (reachable
//! from its other parents and not from its first), and the walk takes them right after the
//! merge: each is an ancestor of the merge, so of the commit the walk started from.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::git::log::LoggedCommit;
use crate::git::{CollectOptions, GitError, Repository};
use crate::offline;

use super::shape::Shape;
use super::subject::{self, Body};

/// Bumped whenever what a record holds or how a shape is computed changes: records of other
/// versions are ignored, then dropped by the next compaction.
pub(crate) const INDEX_VERSION: u32 = 4;
/// A log larger than this is compacted (rewritten with one line per commit) when appended to.
const MAX_LOG_BYTES: u64 = 32 * 1024 * 1024;
/// Records kept by a compaction, newest first.
const KEPT_BY_COMPACTION: usize = 20_000;
/// Merges walked through per commit asked for, so that a history of merges only (a
/// repository that merges every pull request) ends the walk instead of reading it all.
const MERGES_PER_COMMIT: usize = 4;
/// Commits a merge's record lists at most, newest first: a long-lived branch merged once
/// brings its newest work, not all of it.
const MAX_BROUGHT: usize = 200;

/// One commit as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The commit id.
    pub(crate) id: String,
    /// The first parent's id (it may be missing from a shallow clone).
    #[serde(default)]
    pub(crate) parent: Option<String>,
    /// More than one parent: walked through, never learned from.
    #[serde(default)]
    pub(crate) merge: bool,
    /// Committer date.
    #[serde(default)]
    pub(crate) time: i64,
    /// Written by a bot.
    #[serde(default)]
    pub(crate) bot: bool,
    /// The subject line.
    #[serde(default)]
    pub(crate) subject: String,
    /// How the body is written.
    #[serde(default)]
    pub(crate) body: Body,
    /// The change, `None` for merges and commits whose diff could not be read.
    #[serde(default)]
    pub(crate) shape: Option<Shape>,
    /// A merge's: the non-merge commits it brought in, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) brought: Vec<String>,
}

/// Collection options for indexing: the run's path rules with smaller caps, because a
/// shape needs the start of each patch, not all of it.
pub(crate) fn index_options(options: &CollectOptions) -> CollectOptions {
    let mut options = options.clone();
    options.limits.max_file_bytes = options.limits.max_file_bytes.min(16_000);
    options.limits.max_total_bytes = options.limits.max_total_bytes.min(64_000);
    options
}

/// Reading the index and adding to it.
#[derive(Debug)]
pub(crate) struct Index {
    path: PathBuf,
    records: HashMap<String, Arc<Record>>,
    /// Never append (`changes config show` writes nothing).
    pub(crate) read_only: bool,
    /// Trouble writing the log, said once by the caller.
    pub(crate) warning: Option<String>,
}

/// What a walk found.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// The non-merge commits, newest first.
    pub(crate) commits: Vec<Arc<Record>>,
    /// Commits that had to be read from git (the rest came from the index).
    pub(crate) indexed_now: usize,
    /// The walk stopped at a commit that is not there (a shallow clone).
    pub(crate) shallow: bool,
}

impl Index {
    /// The index of the repository whose common git folder is `common_dir`.
    pub(crate) fn open(common_dir: &Path) -> Index {
        Index::at(common_dir.join("changes").join("conventions").join("index.log"))
    }

    /// An index in any file (tests).
    pub(crate) fn at(path: PathBuf) -> Index {
        let records = read_log(&path);
        Index { path, records, read_only: false, warning: None }
    }

    /// Records known, for tests and benchmarks.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// The subject of a known record (tests).
    #[cfg(test)]
    pub(crate) fn subject_of(&self, id: &str) -> Option<String> {
        self.records.get(id).map(|record| record.subject.clone())
    }

    /// The newest `limit` non-merge commits of the first-parent line that ends at `base`
    /// (`base` itself included), each merge on it followed by the commits it brought in,
    /// reading from git and appending to the log only the commits not indexed yet.
    /// `progress` hears (done, to do) while commits are being indexed.
    pub(crate) fn history(
        &mut self,
        repository: &Repository,
        base: &str,
        limit: usize,
        options: &CollectOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<History, GitError> {
        let mut history = History::default();
        // The walk: ids in order, each with its record or the commit read from git.
        let mut walked: Vec<Result<Arc<Record>, LoggedCommit>> = Vec::new();
        // Merges read from git now: their records are made here, since they need no diff.
        let mut new_merges: Vec<Arc<Record>> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        // The commits the last merge brought in, still to take.
        let mut side: VecDeque<String> = VecDeque::new();
        let mut next = Some(base.to_string());
        let mut non_merges = 0;
        let mut merges = 0;
        loop {
            if non_merges >= limit || merges > limit.max(1) * MERGES_PER_COMMIT {
                break;
            }
            let (id, on_side) = match side.pop_front() {
                Some(id) => (id, true),
                None => match next.take() {
                    Some(id) => (id, false),
                    None => break,
                },
            };
            if !seen.insert(id.clone()) {
                continue;
            }
            let (parent, brought) = match self.records.get(&id) {
                Some(record) if on_side && record.merge => continue,
                Some(record) => {
                    let found =
                        (record.parent.clone(), record.merge.then(|| record.brought.clone()));
                    walked.push(Ok(Arc::clone(record)));
                    found
                }
                None => match repository.logged(&id) {
                    Ok(commit) if on_side && commit.merge => continue,
                    Ok(commit) if commit.merge => {
                        let brought = repository.brought_by(&id, MAX_BROUGHT).unwrap_or_default();
                        let mut record = bare_record(&commit);
                        record.brought.clone_from(&brought);
                        let record = Arc::new(record);
                        new_merges.push(Arc::clone(&record));
                        walked.push(Ok(record));
                        (commit.parent.clone(), Some(brought))
                    }
                    Ok(commit) => {
                        let parent = commit.parent.clone();
                        walked.push(Err(commit));
                        (parent, None)
                    }
                    // A brought-in commit missing from a shallow clone is only skipped.
                    Err(_) if on_side => continue,
                    // The first commit is known to exist; a later one that cannot be read is
                    // the edge of a shallow clone.
                    Err(_) if !walked.is_empty() => {
                        history.shallow = true;
                        break;
                    }
                    Err(error) => return Err(error),
                },
            };
            if on_side {
                non_merges += 1;
                continue;
            }
            match brought {
                Some(brought) => {
                    merges += 1;
                    side.extend(brought);
                }
                None => non_merges += 1,
            }
            next = parent;
        }
        // A shallow clone's last commit looks like a root: its parents were not fetched.
        if next.is_none() && non_merges < limit && repository.is_shallow() {
            history.shallow = true;
        }

        let missing: Vec<&LoggedCommit> =
            walked.iter().filter_map(|entry| entry.as_ref().err()).collect();
        history.indexed_now = missing.len() + new_merges.len();
        let built = if missing.is_empty() {
            Vec::new()
        } else {
            build_records(repository.git_dir(), &missing, &index_options(options), progress)
        };
        let mut built_by_id: HashMap<String, Arc<Record>> =
            built.into_iter().map(|record| (record.id.clone(), Arc::new(record))).collect();
        if (!built_by_id.is_empty() || !new_merges.is_empty()) && !self.read_only {
            let records = built_by_id.values().chain(&new_merges).map(Arc::as_ref);
            if let Err(error) = self.append(records) {
                self.warning = Some(format!(
                    "cannot write the conventions index {}: {error}",
                    self.path.display()
                ));
            }
        }
        for record in new_merges {
            self.records.insert(record.id.clone(), record);
        }
        for entry in walked {
            let record = match entry {
                Ok(record) => record,
                Err(commit) => match built_by_id.remove(&commit.id) {
                    Some(record) => {
                        self.records.insert(record.id.clone(), Arc::clone(&record));
                        record
                    }
                    None => continue,
                },
            };
            if !record.merge {
                history.commits.push(record);
            }
        }
        Ok(history)
    }

    /// The records of the commits `ids`, in their order, whatever branch they are on: those
    /// indexed already from the log, the others read from git now (in parallel) and appended.
    /// A commit that cannot be read is left out.
    pub(crate) fn records(
        &mut self,
        repository: &Repository,
        ids: &[&str],
        options: &CollectOptions,
    ) -> Vec<Arc<Record>> {
        let missing: Vec<LoggedCommit> = ids
            .iter()
            .filter(|id| !self.records.contains_key(**id))
            .filter_map(|id| repository.logged(id).ok())
            .collect();
        if !missing.is_empty() {
            let missing: Vec<&LoggedCommit> = missing.iter().collect();
            let built =
                build_records(repository.git_dir(), &missing, &index_options(options), &|_, _| ());
            if !self.read_only {
                if let Err(error) = self.append(built.iter()) {
                    self.warning = Some(format!(
                        "cannot write the conventions index {}: {error}",
                        self.path.display()
                    ));
                }
            }
            for record in built {
                self.records.insert(record.id.clone(), Arc::new(record));
            }
        }
        ids.iter().filter_map(|id| self.records.get(*id).map(Arc::clone)).collect()
    }

    /// Appends records with one write; compacts the log first when it has grown too large.
    fn append<'a>(&self, records: impl Iterator<Item = &'a Record>) -> std::io::Result<()> {
        let mut text = String::new();
        for record in records {
            text.push_str(&line_of(record)?);
        }
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        if std::fs::metadata(&self.path).is_ok_and(|metadata| metadata.len() > MAX_LOG_BYTES) {
            self.compact()?;
        }
        OpenOptions::new().create(true).append(true).open(&self.path)?.write_all(text.as_bytes())
    }

    /// Rewrites the log with one line per known commit, newest first, through a temporary
    /// file renamed over it: a run appending at the same time may lose its lines, which only
    /// costs indexing them again.
    fn compact(&self) -> std::io::Result<()> {
        let mut records: Vec<&Arc<Record>> = self.records.values().collect();
        records.sort_by(|left, right| right.time.cmp(&left.time).then(left.id.cmp(&right.id)));
        let mut text = String::new();
        for record in records.into_iter().take(KEPT_BY_COMPACTION) {
            text.push_str(&line_of(record)?);
        }
        crate::files::write_atomically(&self.path, text.as_bytes())
    }
}

/// One log line: the index version, a space, the record as JSON, a line break.
fn line_of(record: &Record) -> std::io::Result<String> {
    let json = serde_json::to_string(record).map_err(std::io::Error::other)?;
    Ok(format!("{INDEX_VERSION} {json}\n"))
}

/// A log smaller than this is read on one thread.
const PARALLEL_LOG_BYTES: usize = 256 * 1024;

/// Every readable record of the log; torn, foreign and other versions' lines are skipped,
/// and bytes that are not UTF-8 only cost their own line. A large log is parsed in one
/// slice of whole lines per core; a commit's later line still wins over an earlier one.
fn read_log(path: &Path) -> HashMap<String, Arc<Record>> {
    let Ok(bytes) = std::fs::read(path) else { return HashMap::new() };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let parts = if bytes.len() < PARALLEL_LOG_BYTES { 1 } else { cores.min(4) };
    let mut slices: Vec<&[u8]> = Vec::with_capacity(parts);
    let mut rest: &[u8] = &bytes;
    for part in (1..=parts).rev() {
        let target = rest.len() / part;
        let end = if part == 1 {
            rest.len()
        } else {
            rest[target..]
                .iter()
                .position(|byte| *byte == b'\n')
                .map_or(rest.len(), |at| target + at + 1)
        };
        let (slice, after) = rest.split_at(end);
        slices.push(slice);
        rest = after;
    }
    let parsed: Vec<Vec<Record>> = if slices.len() == 1 {
        slices.iter().map(|slice| parse_lines(slice)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                slices.iter().map(|slice| scope.spawn(move || parse_lines(slice))).collect();
            handles.into_iter().map(|handle| handle.join().unwrap_or_default()).collect()
        })
    };
    let mut records = HashMap::with_capacity(parsed.iter().map(Vec::len).sum());
    for record in parsed.into_iter().flatten() {
        records.insert(record.id.clone(), Arc::new(record));
    }
    records
}

/// The records of whole log lines, in order.
fn parse_lines(bytes: &[u8]) -> Vec<Record> {
    let prefix = format!("{INDEX_VERSION} ");
    let mut records = Vec::new();
    for line in bytes.split(|byte| *byte == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else { continue };
        let Some(json) = line.strip_prefix(&prefix) else { continue };
        if let Ok(record) = serde_json::from_str::<Record>(json) {
            if valid_id(&record.id) {
                records.push(record);
            }
        }
    }
    records
}

fn valid_id(id: &str) -> bool {
    matches!(id.len(), 40 | 64) && id.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Builds the records of commits not indexed yet, on one thread per core, each with its own
/// repository handle; the results are in no particular order.
fn build_records(
    git_dir: &Path,
    commits: &[&LoggedCommit],
    options: &CollectOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Record> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let workers = cores.min(commits.len().div_ceil(8)).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let built = Mutex::new(Vec::with_capacity(commits.len()));
    let work = || {
        let Ok(repository) = Repository::open(git_dir) else { return };
        let mut mine = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(commit) = commits.get(index) else { break };
            mine.push(record_of(&repository, commit, options));
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if finished % 25 == 0 || finished == commits.len() {
                progress(finished, commits.len());
            }
        }
        if let Ok(mut built) = built.lock() {
            built.extend(mine);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
    built.into_inner().unwrap_or_default()
}

/// The record of one non-merge commit; a diff that cannot be read leaves the shape out.
fn record_of(repository: &Repository, commit: &LoggedCommit, options: &CollectOptions) -> Record {
    let mut record = bare_record(commit);
    record.shape = repository.commit(&commit.id, options).ok().map(|changes| {
        let analysed = offline::analyse(&changes);
        let mut shape = Shape::of(&changes, &analysed);
        shape.author = Some(commit.author_email.to_lowercase());
        shape
    });
    record
}

/// A commit's record without its change (a merge's, or one whose diff is still to read).
fn bare_record(commit: &LoggedCommit) -> Record {
    Record {
        id: commit.id.clone(),
        parent: commit.parent.clone(),
        merge: commit.merge,
        time: commit.time,
        bot: subject::is_bot(&commit.author_name, &commit.author_email),
        subject: commit.message.lines().next().unwrap_or_default().trim().to_string(),
        body: subject::body(&commit.message),
        shape: None,
        brought: Vec::new(),
    }
}
