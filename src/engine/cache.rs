//! Per-file summaries on disk, keyed by model, prompt version and the file's patch, so a
//! rerun, an amended commit or the pre-push review reuses what was already paid for.
//!
//! One append-only log per model (`<git common dir>/changes/cache/<model>.log`): a run reads
//! it once and appends each new summary with a single `O_APPEND` write, so any number of
//! processes (linked worktrees committing at once) can share it without locks, and a run costs
//! two file opens instead of one per file. A torn or foreign line is skipped when read.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::config::ModelSettings;
use crate::git::FileChange;

/// A log larger than this is started afresh: old summaries are cheap to lose.
const MAX_LOG_BYTES: u64 = 16 * 1024 * 1024;

/// The cache folder of one repository, with each model's log read at most once per run.
#[derive(Debug)]
pub(crate) struct Cache {
    folder: PathBuf,
    loaded: Mutex<HashMap<String, HashMap<String, String>>>,
}

impl Cache {
    /// The cache under `<git common dir>/changes/cache`, shared by all worktrees.
    pub(crate) fn in_git_dir(common_dir: &std::path::Path) -> Self {
        Self::at(common_dir.join("changes").join("cache"))
    }

    /// A cache in any folder (tests, benchmarks).
    pub(crate) fn at(folder: PathBuf) -> Self {
        Self { folder, loaded: Mutex::new(HashMap::new()) }
    }

    fn log_path(&self, model: &ModelSettings) -> PathBuf {
        self.folder.join(format!("{}.log", model.name))
    }

    /// Everything that changes the answer is in the key: provider, model id, prompt version,
    /// paths and patch. SHA-1 through git2 keeps keys stable across builds with no new crate.
    fn key(model: &ModelSettings, file: &FileChange, prompt_version: u32) -> Option<String> {
        let patch = file.patch.as_deref()?;
        let material = format!(
            "{}\0{}\0{prompt_version}\0{}\0{}\0{patch}",
            model.provider,
            model.model,
            file.path,
            file.old_path.as_deref().unwrap_or_default()
        );
        git2::Oid::hash_object(git2::ObjectType::Blob, material.as_bytes())
            .ok()
            .map(|id| id.to_string())
    }

    /// The cached summary of `file` by `model`, if any.
    pub(crate) fn get(
        &self,
        model: &ModelSettings,
        file: &FileChange,
        prompt_version: u32,
    ) -> Option<String> {
        let key = Self::key(model, file, prompt_version)?;
        let mut loaded = self.loaded.lock().ok()?;
        let entries = loaded.entry(model.name.to_string()).or_insert_with(|| self.read_log(model));
        entries.get(&key).cloned()
    }

    fn read_log(&self, model: &ModelSettings) -> HashMap<String, String> {
        let Ok(text) = std::fs::read_to_string(self.log_path(model)) else { return HashMap::new() };
        text.lines()
            .filter_map(|line| {
                let (key, summary) = line.split_once(' ')?;
                let valid_key = key.len() == 40 && key.bytes().all(|byte| byte.is_ascii_hexdigit());
                (valid_key && !summary.trim().is_empty())
                    .then(|| (key.to_string(), unescape(summary)))
            })
            .collect()
    }

    /// Stores a summary. Failing to write (read-only `.git`, full disk) is reported, never fatal.
    #[cfg(test)]
    pub(crate) fn put(
        &self,
        model: &ModelSettings,
        file: &FileChange,
        prompt_version: u32,
        summary: &str,
    ) -> std::io::Result<()> {
        self.put_all(model, prompt_version, &[(file, summary.to_string())])
    }

    /// Stores many summaries with one append: one open and one write, whose lines other
    /// processes' appends never interleave with.
    pub(crate) fn put_all(
        &self,
        model: &ModelSettings,
        prompt_version: u32,
        entries: &[(&FileChange, String)],
    ) -> std::io::Result<()> {
        let keyed: Vec<(String, &String)> = entries
            .iter()
            .filter_map(|(file, summary)| Some((Self::key(model, file, prompt_version)?, summary)))
            .collect();
        if keyed.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.folder)?;
        let path = self.log_path(model);
        if std::fs::metadata(&path).is_ok_and(|metadata| metadata.len() > MAX_LOG_BYTES) {
            std::fs::remove_file(&path)?;
        }
        let lines: String =
            keyed.iter().map(|(key, summary)| format!("{key} {}\n", escape(summary))).collect();
        OpenOptions::new().create(true).append(true).open(&path)?.write_all(lines.as_bytes())?;
        if let Ok(mut loaded) = self.loaded.lock() {
            if let Some(known) = loaded.get_mut(model.name.as_str()) {
                known.extend(keyed.into_iter().map(|(key, summary)| (key, summary.clone())));
            }
        }
        Ok(())
    }
}

/// One line per entry: backslashes and line breaks are escaped.
fn escape(summary: &str) -> String {
    summary.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "")
}

fn unescape(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            output.push(character);
            continue;
        }
        match characters.next() {
            Some('n') => output.push('\n'),
            Some(other) => output.push(other),
            None => {}
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, id: &str) -> ModelSettings {
        ModelSettings::example(name, "openai-compatible", id)
    }

    fn file(path: &str, patch: &str) -> FileChange {
        FileChange::modified(path, patch)
    }

    #[test]
    fn summaries_round_trip_and_keys_depend_on_model_and_patch() {
        let folder = tempfile::tempdir().expect("folder");
        let cache = Cache::at(folder.path().to_path_buf());
        let (first, other_id) = (model("m", "id-1"), model("m", "id-2"));
        let original = file("a.rs", "@@ -1 +1 @@\n+x\n");
        assert_eq!(cache.get(&first, &original, 1), None);
        cache.put(&first, &original, 1, "Adds x.\nSecond line \\ with a backslash").expect("put");
        let reader = Cache::at(folder.path().to_path_buf());
        assert_eq!(
            reader.get(&first, &original, 1).as_deref(),
            Some("Adds x.\nSecond line \\ with a backslash")
        );
        assert_eq!(reader.get(&other_id, &original, 1), None, "another model id");
        assert_eq!(reader.get(&first, &original, 2), None, "another prompt version");
        assert_eq!(
            reader.get(&first, &file("a.rs", "@@ -1 +1 @@\n+y\n"), 1),
            None,
            "another patch"
        );
    }

    #[test]
    fn torn_and_foreign_lines_are_skipped() {
        let folder = tempfile::tempdir().expect("folder");
        let cache = Cache::at(folder.path().to_path_buf());
        let settings = model("m", "id");
        let change = file("a.rs", "@@ -1 +1 @@\n+x\n");
        cache.put(&settings, &change, 1, "Kept.").expect("put");
        let log = folder.path().join("m.log");
        let mut text = std::fs::read_to_string(&log).expect("log");
        text.push_str("not a key\n0123abc half a li");
        std::fs::write(&log, text).expect("append junk");
        assert_eq!(
            Cache::at(folder.path().to_path_buf()).get(&settings, &change, 1).as_deref(),
            Some("Kept.")
        );
    }
}
