//! Per-file summaries on disk, keyed by model, prompt version and the file's patch, so a
//! rerun, an amended commit or the pre-push review reuses what was already paid for. Entries
//! are written atomically; any number of processes may share the folder.

use std::path::PathBuf;

use crate::config::ModelSettings;
use crate::files::write_atomically;
use crate::git::FileChange;

/// The cache folder of one repository.
#[derive(Debug, Clone)]
pub struct Cache {
    folder: PathBuf,
}

impl Cache {
    /// The cache under `<git common dir>/changes/cache`, shared by all worktrees.
    pub fn in_git_dir(common_dir: &std::path::Path) -> Self {
        Self { folder: common_dir.join("changes").join("cache") }
    }

    /// A cache in any folder (tests, benchmarks).
    pub fn at(folder: PathBuf) -> Self {
        Self { folder }
    }

    fn entry(
        &self,
        model: &ModelSettings,
        file: &FileChange,
        prompt_version: u32,
    ) -> Option<PathBuf> {
        let patch = file.patch.as_deref()?;
        // Everything that changes the answer is in the key: provider, model id, prompt, path
        // and patch. SHA-1 through git2 keeps keys stable across builds and needs no new crate.
        let material = format!(
            "{}\0{}\0{prompt_version}\0{}\0{}\0{patch}",
            model.provider,
            model.model,
            file.path,
            file.old_path.as_deref().unwrap_or_default()
        );
        let key = git2::Oid::hash_object(git2::ObjectType::Blob, material.as_bytes()).ok()?;
        let key = key.to_string();
        Some(self.folder.join(model.name.as_str()).join(&key[..2]).join(&key[2..]))
    }

    /// The cached summary of `file` by `model`, if any.
    pub fn get(
        &self,
        model: &ModelSettings,
        file: &FileChange,
        prompt_version: u32,
    ) -> Option<String> {
        let path = self.entry(model, file, prompt_version)?;
        std::fs::read_to_string(path).ok().filter(|summary| !summary.trim().is_empty())
    }

    /// Stores a summary. Failing to write (read-only `.git`, full disk) is reported, never fatal.
    pub fn put(
        &self,
        model: &ModelSettings,
        file: &FileChange,
        prompt_version: u32,
        summary: &str,
    ) -> std::io::Result<()> {
        let Some(path) = self.entry(model, file, prompt_version) else { return Ok(()) };
        write_atomically(&path, summary.as_bytes())
    }
}
