//! The trained profiles kept next to the history index, so that a run at a commit already
//! learned from neither parses the index nor trains again.
//!
//! Each profile is one file, `<git common dir>/changes/conventions/profiles/<key hash>.bin`,
//! holding the key of the history it was learned from: the commit that history ends at, the
//! history limit, the shallow clone's boundary, and the index's and this build's versions. A
//! profile is only used when every part of its key matches, so another commit (a new one,
//! `--rev C`) builds anew. Several are kept, because linked worktrees share the common git
//! folder: two worktrees at two commits each keep their own profile instead of replacing each
//! other's. A history is named by its commits alone: records in the index are keyed by commit
//! id and never go stale, so another worktree adding its commits to the index leaves this one's
//! profile valid.
//!
//! Bounded: at most [`KEPT`] profiles (a few hundred KB each); writing one removes the
//! least recently used beyond that (a load marks its file used). Safe when runs race: every file
//! is written whole to a temporary name and renamed over its target, so a reader sees an old
//! file or a new one, and a file that is missing, stale, torn or foreign (or removed by another
//! run's pruning while being read) is only a reason to build: it never fails a run.
//!
//! The format is hand-written little-endian binary (lengths as `u32`, floats as their
//! bits), because most of a profile is arrays of `f32` weights that text formats parse
//! slowly; every read is bounds-checked.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::git::Repository;

use super::index::INDEX_VERSION;
use super::profile::Profile;
use super::subject::Style;

/// Bumped whenever what the file holds or how a profile is trained changes.
const CACHE_VERSION: u32 = 5;
/// The file's first bytes.
const MAGIC: &[u8; 16] = b"changes-profile\n";
/// Profiles kept at most: a few worktrees and a few `--rev` runs.
pub(crate) const KEPT: usize = 8;
/// A temporary file older than this was left by a run that was killed while writing.
const ABANDONED: Duration = Duration::from_secs(3600);

/// What a cached profile was learned from; equal keys name the same history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    /// The commit the history ends at.
    pub(crate) base: String,
    /// Newest commits learned from at most (`conventions.history`).
    pub(crate) history: usize,
    /// A hash of the shallow clone's boundary (`shallow`), 0 when the clone is whole.
    pub(crate) shallow_boundary: u64,
}

impl Key {
    /// The key of the history that ends at `base`.
    pub(crate) fn of(repository: &Repository, base: &str, history: usize) -> Key {
        let common = repository.common_dir();
        let shallow_boundary =
            std::fs::read(common.join("shallow")).map_or(0, |bytes| fnv(&bytes) | 1);
        Key { base: base.to_string(), history, shallow_boundary }
    }

    /// The file name of this key's profile: a hash of every part (the file holds the key
    /// itself too, so two keys of one hash only cost a build).
    pub(super) fn file_name(&self) -> String {
        let text = format!(
            "{CACHE_VERSION} {INDEX_VERSION} {} {} {} {}",
            env!("CARGO_PKG_VERSION"),
            self.base,
            self.history,
            self.shallow_boundary
        );
        format!("{:016x}.bin", fnv(text.as_bytes()))
    }
}

/// A profile read back, with what its history walk found.
pub(crate) struct Cached {
    /// The trained profile.
    pub(crate) profile: Profile,
    /// The walk stopped at the edge of a shallow clone.
    pub(crate) shallow: bool,
}

/// The folder that holds the profiles of the repository whose common git folder is
/// `common_dir`.
pub(crate) fn folder(common_dir: &Path) -> PathBuf {
    common_dir.join("changes").join("conventions").join("profiles")
}

/// The profile kept in `folder` for the history `key` names. Unless `read_only`, a hit
/// marks the file used, so that pruning keeps it.
pub(crate) fn load(folder: &Path, key: &Key, read_only: bool) -> Option<Cached> {
    let path = folder.join(key.file_name());
    let bytes = std::fs::read(&path).ok()?;
    let cached = decode(&bytes, key)?;
    // Best effort: a read-only git folder only makes this file an earlier candidate to prune.
    if !read_only {
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
    }
    Some(cached)
}

fn decode(bytes: &[u8], key: &Key) -> Option<Cached> {
    let mut reader = Reader::new(bytes);
    if reader.take(MAGIC.len())? != MAGIC
        || reader.u32()? != CACHE_VERSION
        || reader.u32()? != INDEX_VERSION
        || reader.str()? != env!("CARGO_PKG_VERSION")
    {
        return None;
    }
    let stored = Key {
        base: reader.str()?.to_string(),
        history: usize::try_from(reader.u64()?).ok()?,
        shallow_boundary: reader.u64()?,
    };
    if stored != *key {
        return None;
    }
    let shallow = reader.bool()?;
    let profile = Profile::decode(&mut reader)?;
    reader.finished().then_some(Cached { profile, shallow })
}

/// Keeps `profile`, learned from the history `key` names, in `folder`, then removes the
/// least recently used profiles beyond [`KEPT`] and the single file of earlier versions.
pub(crate) fn save(
    folder: &Path,
    key: &Key,
    profile: &Profile,
    shallow: bool,
) -> std::io::Result<()> {
    let mut writer = Writer::default();
    writer.bytes.extend_from_slice(MAGIC);
    writer.u32(CACHE_VERSION);
    writer.u32(INDEX_VERSION);
    writer.str(env!("CARGO_PKG_VERSION"));
    writer.str(&key.base);
    writer.u64(key.history as u64);
    writer.u64(key.shallow_boundary);
    writer.bool(shallow);
    profile.encode(&mut writer);
    let name = key.file_name();
    crate::files::write_atomically(&folder.join(&name), &writer.bytes)?;
    prune(folder, &name);
    // The single file of earlier versions.
    if let Some(conventions) = folder.parent() {
        let _ = std::fs::remove_file(conventions.join("profile.bin"));
    }
    Ok(())
}

/// Removes the least recently used profiles beyond [`KEPT`] (never `keep`, just written) and
/// temporary files abandoned by killed runs. Trouble is ignored: the next write prunes again.
fn prune(folder: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let now = SystemTime::now();
    let mut profiles: Vec<(SystemTime, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(modified) = entry.metadata().and_then(|metadata| metadata.modified()) else {
            continue;
        };
        if name.starts_with(".changes-") {
            if now.duration_since(modified).is_ok_and(|age| age > ABANDONED) {
                let _ = std::fs::remove_file(entry.path());
            }
        } else if name != keep && is_profile_name(name) {
            profiles.push((modified, entry.path()));
        }
    }
    // Newest first; the one just written is the first of the kept.
    profiles.sort_by_key(|profile| std::cmp::Reverse(profile.0));
    for (_, path) in profiles.into_iter().skip(KEPT - 1) {
        let _ = std::fs::remove_file(path);
    }
}

/// Sixteen hexadecimal digits and `.bin`: a name [`Key::file_name`] gives.
fn is_profile_name(name: &str) -> bool {
    name.strip_suffix(".bin")
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

/// FNV-1a, 64 bits.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |state, byte| {
        (state ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Builds the file's bytes.
#[derive(Default)]
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn f32(&mut self, value: f32) {
        self.u32(value.to_bits());
    }

    /// A length (lengths beyond `u32` do not occur in a profile; they are cut).
    pub(crate) fn len(&mut self, value: usize) {
        self.u32(u32::try_from(value).unwrap_or(u32::MAX));
    }

    pub(crate) fn str(&mut self, value: &str) {
        self.len(value.len());
        self.bytes.extend_from_slice(value.as_bytes());
    }

    pub(crate) fn option_str(&mut self, value: Option<&str>) {
        self.bool(value.is_some());
        if let Some(value) = value {
            self.str(value);
        }
    }

    pub(crate) fn style(&mut self, style: Style) {
        self.u8(match style {
            Style::Conventional => 0,
            Style::Component => 1,
            Style::Gitmoji => 2,
            Style::Plain => 3,
        });
    }

    pub(crate) fn f32s(&mut self, values: &[f32]) {
        self.len(values.len());
        self.bytes.reserve(values.len() * 4);
        for value in values {
            self.f32(*value);
        }
    }

    pub(crate) fn u32s(&mut self, values: &[u32]) {
        self.len(values.len());
        for value in values {
            self.u32(*value);
        }
    }
}

/// Reads the file's bytes; every read is `None` past the end.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        if count > self.bytes.len() {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Some(taken)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn finished(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    pub(crate) fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub(crate) fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }

    /// A length of items at least `item_bytes` long each: one that the bytes left cannot
    /// hold is refused before anything is allocated for it.
    pub(crate) fn len(&mut self, item_bytes: usize) -> Option<usize> {
        let count = usize::try_from(self.u32()?).ok()?;
        (count.saturating_mul(item_bytes.max(1)) <= self.bytes.len()).then_some(count)
    }

    /// A number written with [`Writer::len`] that is not the length of what follows (a count
    /// of commits, a median length): unlike [`Reader::len`], not bounded by the bytes left.
    pub(crate) fn count(&mut self) -> Option<usize> {
        usize::try_from(self.u32()?).ok()
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let count = self.len(1)?;
        std::str::from_utf8(self.take(count)?).ok()
    }

    pub(crate) fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    pub(crate) fn option_string(&mut self) -> Option<Option<String>> {
        if self.bool()? {
            self.string().map(Some)
        } else {
            Some(None)
        }
    }

    pub(crate) fn style(&mut self) -> Option<Style> {
        match self.u8()? {
            0 => Some(Style::Conventional),
            1 => Some(Style::Component),
            2 => Some(Style::Gitmoji),
            3 => Some(Style::Plain),
            _ => None,
        }
    }

    pub(crate) fn f32s(&mut self) -> Option<Vec<f32>> {
        let count = self.len(4)?;
        let bytes = self.take(count * 4)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
                .collect(),
        )
    }

    pub(crate) fn u32s(&mut self) -> Option<Vec<u32>> {
        let count = self.len(4)?;
        let bytes = self.take(count * 4)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
                .collect(),
        )
    }
}
