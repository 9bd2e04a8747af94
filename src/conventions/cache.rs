//! The trained profile kept next to the history index, so that a run at a commit already
//! learned from neither parses the index nor trains again.
//!
//! One file (`<git common dir>/changes/conventions/profile.bin`) holds the profile of the
//! last history learned from, with the key that history is named by: the commit it ends at,
//! the history limit, the index's and this build's versions, the index log's length (a
//! record added or rewritten changes it) and the shallow clone's boundary. A profile is
//! only used when every part of its key matches, so another commit (a new one, `--rev C`)
//! builds anew; it is replaced atomically (a temporary file renamed over it), so a racing
//! run reads the old file or the new one. A file that is missing, stale, torn or foreign is
//! only a reason to build: it never fails a run.
//!
//! The format is hand-written little-endian binary (lengths as `u32`, floats as their
//! bits), because most of a profile is arrays of `f32` weights that text formats parse
//! slowly; every read is bounds-checked.

use std::path::{Path, PathBuf};

use crate::git::Repository;

use super::index::INDEX_VERSION;
use super::profile::Profile;
use super::subject::Style;

/// Bumped whenever what the file holds or how a profile is trained changes.
const CACHE_VERSION: u32 = 4;
/// The file's first bytes.
const MAGIC: &[u8; 16] = b"changes-profile\n";

/// What a cached profile was learned from; equal keys name the same history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    /// The commit the history ends at.
    pub(crate) base: String,
    /// Newest commits learned from at most (`conventions.history`).
    pub(crate) history: usize,
    /// The index log's length in bytes.
    pub(crate) index_bytes: u64,
    /// A hash of the shallow clone's boundary (`shallow`), 0 when the clone is whole.
    pub(crate) shallow_boundary: u64,
}

impl Key {
    /// The key of the history that ends at `base`, as the index stands now.
    pub(crate) fn of(repository: &Repository, base: &str, history: usize) -> Key {
        let common = repository.common_dir();
        let index_bytes = std::fs::metadata(index_path(&common)).map_or(0, |meta| meta.len());
        let shallow_boundary =
            std::fs::read(common.join("shallow")).map_or(0, |bytes| fnv(&bytes) | 1);
        Key { base: base.to_string(), history, index_bytes, shallow_boundary }
    }
}

/// A profile read back, with what its history walk found.
pub(crate) struct Cached {
    /// The trained profile.
    pub(crate) profile: Profile,
    /// The walk stopped at the edge of a shallow clone.
    pub(crate) shallow: bool,
}

/// Where the profile of the repository whose common git folder is `common_dir` is kept.
pub(crate) fn path(common_dir: &Path) -> PathBuf {
    common_dir.join("changes").join("conventions").join("profile.bin")
}

fn index_path(common_dir: &Path) -> PathBuf {
    common_dir.join("changes").join("conventions").join("index.log")
}

/// The profile kept at `path` when it was learned from the history `key` names.
pub(crate) fn load(path: &Path, key: &Key) -> Option<Cached> {
    let bytes = std::fs::read(path).ok()?;
    let mut reader = Reader::new(&bytes);
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
        index_bytes: reader.u64()?,
        shallow_boundary: reader.u64()?,
    };
    if stored != *key {
        return None;
    }
    let shallow = reader.bool()?;
    let profile = Profile::decode(&mut reader)?;
    reader.finished().then_some(Cached { profile, shallow })
}

/// Keeps `profile`, learned from the history `key` names, at `path`.
pub(crate) fn save(
    path: &Path,
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
    writer.u64(key.index_bytes);
    writer.u64(key.shallow_boundary);
    writer.bool(shallow);
    profile.encode(&mut writer);
    crate::files::write_atomically(path, &writer.bytes)
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
