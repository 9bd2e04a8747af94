//! Diff collection: the list of changed paths comes from one libgit2 diff (with rename
//! detection); each file's blobs are then read and diffed in parallel, one repository handle
//! per worker thread, and the byte caps are applied in path order.

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::{
    AttrCheckFlags, AttrValue, Delta as GitDelta, DiffFindOptions, DiffOptions, ObjectType, Oid,
};

use super::change::{ChangeSet, Cut, CutLimit, Exclusion, FileChange, Source, Status};
use super::cut;
use super::{CollectOptions, Context, GitError};
use crate::config::Limits;
use crate::privacy::filter::{self, Filter};

/// Blobs larger than this are never loaded: the file is listed with its sizes only, which
/// keeps memory bounded on huge generated or data files.
const MAX_BLOB_BYTES: usize = 8 * 1024 * 1024;
/// Files handed to each worker thread before another thread is worth starting.
const FILES_PER_WORKER: usize = 16;
/// Git's mode for a submodule entry.
const GITLINK_MODE: u32 = 0o160000;
/// How many added and deleted files rename detection compares, like `diff.renameLimit`.
const RENAME_LIMIT: usize = 1000;

/// Options shared by every diff: type changes reported, submodules compared by commit.
pub(super) fn diff_options() -> DiffOptions {
    let mut options = DiffOptions::new();
    options.include_typechange(true).ignore_submodules(false);
    options
}

/// One changed path as the libgit2 diff lists it, before any content is read.
#[derive(Debug)]
struct Delta {
    status: Status,
    path: String,
    old_path: Option<String>,
    old_id: Oid,
    new_id: Oid,
    old_mode: u32,
    new_mode: u32,
}

/// Turns a libgit2 diff into a filtered, capped `ChangeSet`.
pub(super) fn collect(
    repository: &git2::Repository,
    mut diff: git2::Diff<'_>,
    source: Source,
    options: &CollectOptions,
) -> Result<ChangeSet, GitError> {
    let mut find = DiffFindOptions::new();
    find.renames(true).rename_limit(RENAME_LIMIT);
    diff.find_similar(Some(&mut find)).context("detecting renames")?;

    let mut deltas: Vec<Delta> = diff.deltas().filter_map(convert_delta).collect();
    drop(diff);
    deltas.sort_by(|left, right| left.path.cmp(&right.path));

    let attributes = attributes_may_matter(repository);
    let mut files = build_files_in_parallel(repository, &deltas, options, attributes)?;
    apply_total_cap(&mut files, options.limits.max_total_bytes);
    Ok(ChangeSet { source, files })
}

fn convert_delta(delta: git2::DiffDelta<'_>) -> Option<Delta> {
    let status = match delta.status() {
        GitDelta::Added => Status::Added,
        GitDelta::Deleted => Status::Deleted,
        GitDelta::Modified => Status::Modified,
        GitDelta::Renamed => Status::Renamed,
        GitDelta::Copied => Status::Copied,
        GitDelta::Typechange => Status::TypeChanged,
        // Unmodified, ignored, untracked, unreadable and conflicted entries are not changes
        // that a commit records.
        _ => return None,
    };
    let path_of = |file: git2::DiffFile<'_>| {
        file.path_bytes().map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    };
    let old_path = path_of(delta.old_file());
    let new_path = path_of(delta.new_file());
    let path = match status {
        Status::Deleted => old_path.clone()?,
        _ => new_path.or_else(|| old_path.clone())?,
    };
    let old_path = match status {
        Status::Renamed | Status::Copied => old_path,
        _ => None,
    };
    Some(Delta {
        status,
        path,
        old_path,
        old_id: delta.old_file().id(),
        new_id: delta.new_file().id(),
        old_mode: u32::from(delta.old_file().mode()),
        new_mode: u32::from(delta.new_file().mode()),
    })
}

/// Builds every file on a pool of scoped threads, each with its own repository handle
/// (`git2::Repository` is not `Sync`), and returns them in the deltas' order.
fn build_files_in_parallel(
    repository: &git2::Repository,
    deltas: &[Delta],
    options: &CollectOptions,
    attributes: bool,
) -> Result<Vec<FileChange>, GitError> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let workers = cores.min(deltas.len().div_ceil(FILES_PER_WORKER)).max(1);
    let next = AtomicUsize::new(0);
    let git_dir = repository.path();

    let work = |repository: &git2::Repository| -> Result<Vec<(usize, FileChange)>, GitError> {
        let mut built = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(delta) = deltas.get(index) else {
                return Ok(built);
            };
            let file = build_file(repository, delta, &options.filter, options.limits, attributes)?;
            built.push((index, file));
        }
    };

    let mut indexed = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .map(|_| {
                scope.spawn(|| {
                    let own = git2::Repository::open(git_dir).context("opening the repository")?;
                    work(&own)
                })
            })
            .collect();
        let mut indexed = work(repository)?;
        for helper in helpers {
            match helper.join() {
                Ok(result) => indexed.extend(result?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok::<_, GitError>(indexed)
    })?;
    indexed.sort_by_key(|(index, _)| *index);
    Ok(indexed.into_iter().map(|(_, file)| file).collect())
}

/// Reads one file's blobs, classifies it and, when its content may be sent, builds its patch.
fn build_file(
    repository: &git2::Repository,
    delta: &Delta,
    filter: &Filter,
    limits: Limits,
    attributes: bool,
) -> Result<FileChange, GitError> {
    let mut file = FileChange {
        path: delta.path.clone(),
        old_path: delta.old_path.clone(),
        status: delta.status,
        added_lines: 0,
        removed_lines: 0,
        old_size: 0,
        new_size: 0,
        old_mode: delta.old_mode,
        new_mode: delta.new_mode,
        exclusion: None,
        cut: None,
        patch: None,
        private_patch: None,
    };

    if delta.old_mode == GITLINK_MODE || delta.new_mode == GITLINK_MODE {
        // A submodule moved to another commit: describe it the way `git diff` does.
        let line = |sign: char, id: Oid| format!("{sign}Subproject commit {id}\n");
        let mut patch = String::from("@@ -1 +1 @@\n");
        if !delta.old_id.is_zero() {
            patch.push_str(&line('-', delta.old_id));
            file.removed_lines = 1;
        }
        if !delta.new_id.is_zero() {
            patch.push_str(&line('+', delta.new_id));
            file.added_lines = 1;
        }
        file.patch = Some(patch);
        return Ok(file);
    }

    file.exclusion = filter
        .classify_path(&delta.path)
        .or_else(|| delta.old_path.as_deref().and_then(|old| filter.classify_path(old)));

    let object_database = repository.odb().context("opening the object database")?;
    let size_of = |id: Oid| -> Result<u64, GitError> {
        if id.is_zero() {
            return Ok(0);
        }
        let (size, _) = object_database.read_header(id).context("reading an object header")?;
        Ok(size as u64)
    };
    file.old_size = size_of(delta.old_id)?;
    file.new_size = size_of(delta.new_id)?;
    if delta.old_id == delta.new_id {
        // Only the mode changed; there is no content to compare.
        return Ok(file);
    }
    if file.old_size.max(file.new_size) > MAX_BLOB_BYTES as u64 {
        file.exclusion.get_or_insert(Exclusion::TooLarge);
        return Ok(file);
    }

    let blob_of = |id: Oid| -> Result<Option<git2::Blob<'_>>, GitError> {
        if id.is_zero() {
            return Ok(None);
        }
        let object =
            repository.find_object(id, Some(ObjectType::Blob)).context("reading a blob")?;
        Ok(object.into_blob().ok())
    };
    let old_blob = blob_of(delta.old_id)?;
    let new_blob = blob_of(delta.new_id)?;

    let binary = old_blob.iter().chain(new_blob.iter()).any(git2::Blob::is_binary);
    if binary {
        file.exclusion.get_or_insert(Exclusion::Binary);
        return Ok(file);
    }
    if attributes && file.exclusion.is_none() {
        file.exclusion = classify_by_attributes(repository, &delta.path);
    }
    // Notebooks carry outputs on very long lines; their source cells are what is diffed.
    if file.exclusion.is_none() && !delta.path.ends_with(".ipynb") {
        let newest = new_blob.as_ref().or(old_blob.as_ref());
        file.exclusion = newest.and_then(|blob| filter::classify_content(blob.content()));
    }
    if matches!(file.exclusion, Some(Exclusion::Binary)) {
        return Ok(file);
    }

    let mut options = diff_options();
    options.context_lines(3);
    let old_content = old_blob.as_ref().map_or(&[][..], git2::Blob::content);
    let new_content = new_blob.as_ref().map_or(&[][..], git2::Blob::content);
    // A notebook is diffed on its source cells: outputs, images and execution counts are
    // noise (and often megabytes).
    let notebooks = delta
        .path
        .ends_with(".ipynb")
        .then(|| Some((notebook_sources(old_content)?, notebook_sources(new_content)?)))
        .flatten();
    let (old_content, new_content) = match &notebooks {
        Some((old, new)) => (old.as_bytes(), new.as_bytes()),
        None => (old_content, new_content),
    };
    // With both blobs at hand libgit2 takes their ids as they are; from buffers it hashes
    // both sides again, which was a tenth of a large collection.
    let mut patch = match (&old_blob, &new_blob, &notebooks) {
        (Some(old), Some(new), None) => {
            git2::Patch::from_blobs(old, None, new, None, Some(&mut options))
        }
        _ => git2::Patch::from_buffers(old_content, None, new_content, None, Some(&mut options)),
    }
    .context("diffing a file")?;
    let (_, added, removed) = patch.line_stats().context("counting lines")?;
    file.added_lines = added;
    file.removed_lines = removed;
    if file.exclusion.is_none() {
        let text = patch.to_buf().context("printing a patch")?;
        let printed = String::from_utf8_lossy(&text);
        let (kept, cut) = cut::cut(hunks_only(&printed), limits.max_file_bytes, CutLimit::File);
        file.patch = Some(kept);
        file.cut = cut;
    } else if file.exclusion == Some(Exclusion::LockFile) {
        // Only the built-in model reads this (for exact versions); it is never sent.
        let text = patch.to_buf().context("printing a patch")?;
        let printed = String::from_utf8_lossy(&text);
        let (kept, _) = cut::cut(hunks_only(&printed), limits.max_file_bytes, CutLimit::File);
        file.private_patch = Some(kept);
    }
    Ok(file)
}

/// Whether any attribute file could set what `classify_by_attributes` asks about. Looking up
/// attributes costs libgit2 a dozen system calls per file; most repositories have no
/// attribute file, or one that only sets line endings.
fn attributes_may_matter(repository: &git2::Repository) -> bool {
    let nested = repository
        .index()
        .is_ok_and(|index| index.iter().any(|entry| entry.path.ends_with(b"/.gitattributes")));
    if nested {
        return true;
    }
    let mut files = vec![repository.path().join("info").join("attributes")];
    files.extend(repository.workdir().map(|root| root.join(".gitattributes")));
    if let Ok(path) = repository.config().and_then(|config| config.get_path("core.attributesFile"))
    {
        files.push(path);
    }
    files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .any(|text| text.contains("linguist") || text.contains("diff") || text.contains("binary"))
}

/// The source cells of a Jupyter notebook, each after a `# %% [kind]` marker line. Empty
/// content (an added or deleted notebook's other side) is no cells; content that is not a
/// notebook gives `None`, and the file is diffed as it is.
fn notebook_sources(content: &[u8]) -> Option<String> {
    if content.is_empty() {
        return Some(String::new());
    }
    let notebook: serde_json::Value = serde_json::from_slice(content).ok()?;
    let cells = notebook["cells"].as_array()?;
    let mut text = String::new();
    for cell in cells {
        let kind = cell["cell_type"].as_str().unwrap_or("code");
        text.push_str(&format!("# %% [{kind}]\n"));
        match &cell["source"] {
            serde_json::Value::String(source) => text.push_str(source),
            serde_json::Value::Array(lines) => {
                lines
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .for_each(|line| text.push_str(line));
            }
            _ => {}
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Some(text)
}

/// `.gitattributes`: `linguist-generated`, `linguist-vendored`, and `-diff` or `binary`.
fn classify_by_attributes(repository: &git2::Repository, path: &str) -> Option<Exclusion> {
    let path = Path::new(path);
    let flags = AttrCheckFlags::FILE_THEN_INDEX;
    let attribute = |name: &str| {
        repository
            .get_attr_bytes(path, name, flags)
            .ok()
            .flatten()
            .map(|value| AttrValue::from_bytes(Some(value)))
    };
    // `attr` and `attr=true` both mean set; PartialEq treats string and byte values alike.
    let is_true = |value: Option<AttrValue<'_>>| {
        value.is_some_and(|value| value == AttrValue::True || value == AttrValue::String("true"))
    };
    if is_true(attribute("linguist-generated")) {
        return Some(Exclusion::Generated);
    }
    if is_true(attribute("linguist-vendored")) {
        return Some(Exclusion::Vendored);
    }
    if matches!(attribute("diff"), Some(AttrValue::False)) {
        return Some(Exclusion::Binary);
    }
    None
}

/// The hunks of a printed patch, without the file header lines (`diff --git`, `---`,
/// `+++`): prompts name the file themselves.
fn hunks_only(printed: &str) -> &str {
    if printed.starts_with("@@") {
        return printed;
    }
    match printed.find("\n@@") {
        Some(index) => &printed[index + 1..],
        None => "",
    }
}

/// The least a file's share of the total is worth: about one hunk.
const MIN_SHARE_BYTES: usize = 1024;

/// Shares `max_total_bytes` fairly between the files so that every file that can have a
/// meaningful share (`MIN_SHARE_BYTES`) shows what describes its change, rather than the
/// first files whole and the rest nothing: small patches are kept whole, and what they leave is split
/// evenly between the larger ones (water-filling). When there are more files than shares,
/// the files past the last share, in path order, are listed with stats only.
fn apply_total_cap(files: &mut [FileChange], max_total_bytes: usize) {
    let total: usize = files.iter().filter_map(|file| file.patch.as_ref()).map(String::len).sum();
    if total <= max_total_bytes {
        return;
    }
    let with_patch: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, file)| file.patch.is_some())
        .map(|(index, _)| index)
        .collect();
    let shares = (max_total_bytes / MIN_SHARE_BYTES).max(1);
    for &index in with_patch.iter().skip(shares) {
        let file = &mut files[index];
        let total_bytes = original_bytes(file);
        file.patch = None;
        file.cut = Some(Cut::TotalCap { total_bytes });
    }
    let mut chosen: Vec<usize> = with_patch.into_iter().take(shares).collect();
    chosen.sort_by_key(|index| files[*index].patch.as_ref().map_or(0, String::len));
    let mut remaining = max_total_bytes;
    for (position, &index) in chosen.iter().enumerate() {
        let share = remaining / (chosen.len() - position);
        let file = &mut files[index];
        let Some(patch) = &file.patch else { continue };
        if patch.len() <= share {
            remaining -= patch.len();
            continue;
        }
        let total_bytes = original_bytes(file);
        let (kept, cut) = cut::cut(patch, share, CutLimit::Total);
        remaining -= kept.len();
        match (cut, file.cut) {
            (Some(Cut::FileCap { hunks_shown, added_shown, removed_shown, .. }), earlier)
                if !kept.is_empty() =>
            {
                // A patch cut before by its own cap keeps the whole patch's totals.
                let (hunks, added, removed) = match earlier {
                    Some(Cut::FileCap { hunks, added, removed, .. }) => (hunks, added, removed),
                    _ => totals(patch),
                };
                file.cut = Some(Cut::FileCap {
                    kept_bytes: kept.len(),
                    total_bytes,
                    hunks_shown,
                    hunks,
                    added_shown,
                    added,
                    removed_shown,
                    removed,
                    limit: CutLimit::Total,
                });
                file.patch = Some(kept);
            }
            _ => {
                file.patch = None;
                file.cut = Some(Cut::TotalCap { total_bytes });
            }
        }
    }
}

/// Hunks, added and removed lines of a patch.
fn totals(patch: &str) -> (usize, usize, usize) {
    let count = |prefix: &str| patch.lines().filter(|line| line.starts_with(prefix)).count();
    (count("@@"), count("+"), count("-"))
}

/// The size of a file's whole patch, before any cap.
fn original_bytes(file: &FileChange) -> usize {
    match file.cut {
        Some(Cut::FileCap { total_bytes, .. }) => total_bytes,
        _ => file.patch.as_ref().map_or(0, String::len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(start: usize, lines: usize) -> String {
        let mut text = format!("@@ -{start},{lines} +{start},{lines} @@ fn context\n");
        for line in 0..lines {
            text.push_str(&format!("+line {line} of a hunk starting at {start}\n"));
        }
        text
    }

    #[test]
    fn notebooks_become_their_source_cells() {
        let notebook = r##"{"cells": [
            {"cell_type": "markdown", "source": ["# Title\n", "Intro"]},
            {"cell_type": "code", "source": "x = 1", "outputs": [{"data": {"image/png": "iVBORw0KGgo="}}], "execution_count": 7}
        ], "metadata": {}, "nbformat": 4}"##;
        let text = notebook_sources(notebook.as_bytes()).expect("a notebook");
        assert_eq!(text, "# %% [markdown]\n# Title\nIntro\n# %% [code]\nx = 1\n");
        assert_eq!(notebook_sources(b"not json"), None);
        assert_eq!(notebook_sources(b"").as_deref(), Some(""));
    }

    #[test]
    fn file_headers_are_dropped_and_only_hunks_are_kept() {
        let printed = format!("diff --git a/x b/x\n--- a/x\n+++ b/x\n{}", hunk(1, 3));
        assert_eq!(hunks_only(&printed), hunk(1, 3));
        assert_eq!(hunks_only("Binary files differ\n"), "");
    }

    #[test]
    fn total_cap_shares_the_budget_so_every_file_shows_its_start() {
        let file = |path: &str, bytes: usize| FileChange::modified(path, &"x".repeat(bytes));
        let hunks =
            |count: usize| (0..count).map(|index| hunk(index * 10 + 1, 20)).collect::<String>();
        let mut files = vec![file("a", 0), file("b", 0), file("c", 0)];
        files[0].patch = Some(hunks(12));
        files[1].patch = Some(hunks(12));
        files[2].patch = Some(hunks(1));
        let small = files[2].patch.as_ref().map_or(0, String::len);
        let budget = 4 * 1024;
        apply_total_cap(&mut files, budget);
        assert_eq!(
            files[2].patch.as_ref().map(String::len),
            Some(small),
            "a small patch stays whole"
        );
        let sent: usize =
            files.iter().filter_map(|file| file.patch.as_ref()).map(String::len).sum();
        assert!(sent <= budget && sent > budget / 2, "{sent}");
        for file in &files[..2] {
            assert!(
                file.patch.as_ref().is_some_and(|patch| patch.starts_with("@@")),
                "every file keeps its start"
            );
            assert!(
                matches!(
                    file.cut,
                    Some(Cut::FileCap { hunks: 12, hunks_shown: 12, limit: CutLimit::Total, .. })
                ),
                "every hunk's header is shown: {:?}",
                file.cut
            );
        }
        let mut many: Vec<FileChange> =
            (0..10).map(|index| file(&format!("f{index}"), 0)).collect();
        for file in &mut many {
            file.patch = Some(hunks(5));
        }
        let whole = hunks(5).len();
        apply_total_cap(&mut many, 4 * 1024);
        assert_eq!(
            many.iter().filter(|file| file.patch.is_some()).count(),
            4,
            "four shares of 1 KB"
        );
        assert_eq!(many[9].cut, Some(Cut::TotalCap { total_bytes: whole }));
    }
}
