//! File writes that never leave a partial file behind: a temporary file in the same folder,
//! then a rename over the target. And the one file we are handed rather than own, git's
//! commit message file, which is written through when it is not a plain file of its own.

use std::fs::{OpenOptions, Permissions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// More than this in a message file is not a commit message: it is left alone.
pub(crate) const MAX_MESSAGE_BYTES: u64 = 4 * 1024 * 1024;

/// What the path git handed over is, which decides how it may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MessageKind {
    /// A regular file with no other name: replaced atomically.
    Plain,
    /// A regular file with other names (hard links): written in place, so every name sees
    /// the new text.
    Linked,
    /// A FIFO, a device or a socket: read and written without ever blocking, never replaced.
    Special,
}

/// The message file as read: where its bytes really are (a symbolic link is followed, never
/// replaced), what kind of file that is, and its content.
#[derive(Debug)]
pub(crate) struct MessageFile {
    /// The file itself, links followed.
    pub(crate) target: PathBuf,
    /// How it may be written.
    pub(crate) kind: MessageKind,
    /// What it held.
    pub(crate) content: Vec<u8>,
}

/// Reads git's message file without ever blocking: a FIFO or a device is opened non-blocking
/// and read for what is there; more than [`MAX_MESSAGE_BYTES`] is an error.
pub(crate) fn read_message(path: &Path) -> std::io::Result<MessageFile> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    let kind = if !metadata.file_type().is_file() {
        MessageKind::Special
    } else if metadata.nlink() > 1 {
        MessageKind::Linked
    } else {
        MessageKind::Plain
    };
    let mut options = OpenOptions::new();
    options.read(true);
    if kind == MessageKind::Special {
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(&target)?;
    let mut content = Vec::new();
    match file.take(MAX_MESSAGE_BYTES + 1).read_to_end(&mut content) {
        Ok(_) => {}
        // Nothing written into the FIFO yet: it holds nothing we could keep.
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(error) => return Err(error),
    }
    if content.len() as u64 > MAX_MESSAGE_BYTES {
        return Err(std::io::Error::other(format!(
            "more than {} MB: not a commit message",
            MAX_MESSAGE_BYTES / (1024 * 1024)
        )));
    }
    Ok(MessageFile { target, kind, content })
}

/// Writes the new content of a message file the way its kind allows: a plain file is
/// replaced atomically (keeping its mode); a file with other names, a FIFO or a device is
/// written through, never replaced (a FIFO or device without a reader is an error, not a
/// wait). A file we could not write in place is not replaced either.
pub(crate) fn write_message(file: &MessageFile, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    match file.kind {
        MessageKind::Plain => {
            // A rename would succeed where the file itself is read-only, and that is not
            // ours to override.
            options.append(true).open(&file.target)?;
            write_atomically(&file.target, bytes)
        }
        MessageKind::Linked => {
            let mut handle = options.write(true).truncate(true).open(&file.target)?;
            handle.write_all(bytes)?;
            handle.sync_all()
        }
        MessageKind::Special => {
            let mut handle =
                options.write(true).custom_flags(libc::O_NONBLOCK).open(&file.target)?;
            handle.write_all(bytes)
        }
    }
}

/// Writes `bytes` to `path` atomically, creating the parent folder when needed. An existing
/// file keeps its permissions; a new one gets `rw-r--r--`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mode = std::fs::metadata(path).map_or(0o644, |metadata| metadata.permissions().mode());
    write_atomically_with_mode(path, bytes, mode & 0o7777)
}

/// Writes `bytes` to `path` atomically with the given permission bits. When `path` is a
/// symbolic link, the file it points to is replaced and the link kept.
pub(crate) fn write_atomically_with_mode(
    path: &Path,
    bytes: &[u8],
    mode: u32,
) -> std::io::Result<()> {
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.is_symlink()) {
        resolved = std::fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::Builder::new().prefix(".changes-").tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().set_permissions(Permissions::from_mode(mode))?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Reads the file at `relative` inside the work tree `root` for what a repository declares
/// (rule files, a guide), so that neither a path nor a link chosen by a cloned repository can
/// make it read anything else on the machine: `relative` must be a plain relative path (no
/// root, no `..`), the file it names, links resolved, must lie inside the root's own real
/// path and outside any `.git` folder, and be a regular file of at most `max_bytes`. It is
/// opened without following a link and without blocking, and read for `max_bytes` at most.
/// `Ok(None)`: there is no such file; `Err` says why the file was refused.
pub(crate) fn read_in_work_tree(
    root: &Path,
    relative: &str,
    max_bytes: u64,
) -> Result<Option<Vec<u8>>, String> {
    use std::path::Component;
    let path = Path::new(relative);
    if relative.is_empty()
        || !path
            .components()
            .all(|component| matches!(component, Component::Normal(_) | Component::CurDir))
    {
        return Err("only a relative path inside the work tree, without `..`, is read".into());
    }
    let absent = |error: &std::io::Error| {
        matches!(error.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory)
    };
    let real_root = std::fs::canonicalize(root).map_err(|error| error.to_string())?;
    let real = match std::fs::canonicalize(root.join(path)) {
        Ok(real) => real,
        Err(error) if absent(&error) => return Ok(None),
        Err(error) => return Err(format!("cannot be read ({error})")),
    };
    let inside = real.strip_prefix(&real_root).map_err(|_| {
        "it is outside the work tree (through a symbolic link or an absolute path)".to_string()
    })?;
    if inside.components().any(|component| {
        component.as_os_str().to_str().is_some_and(|name| name.eq_ignore_ascii_case(".git"))
    }) {
        return Err("it is inside a `.git` folder".into());
    }
    let metadata = std::fs::metadata(&real).map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".into());
    }
    if metadata.len() > max_bytes {
        return Err(format!("larger than {} KB", max_bytes / 1024));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&real)
        .map_err(|error| format!("cannot be read ({error})"))?;
    // What was opened is what was checked, even if the path changed in between.
    if !file.metadata().is_ok_and(|metadata| metadata.is_file()) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot be read ({error})"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!("larger than {} KB", max_bytes / 1024));
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_whole_file_and_leave_no_temporary_behind() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let target = folder.path().join("nested").join("file.txt");
        write_atomically(&target, b"first version, longer").expect("first write");
        write_atomically(&target, b"second").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read back"), b"second");
        let entries = std::fs::read_dir(target.parent().expect("parent")).expect("list").count();
        assert_eq!(entries, 1, "only the target remains");
        let mode = std::fs::metadata(&target).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
        std::fs::set_permissions(&target, Permissions::from_mode(0o600)).expect("chmod");
        write_atomically(&target, b"third").expect("third write");
        let mode = std::fs::metadata(&target).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "an existing file keeps its mode");
        let link = folder.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        write_atomically(&link, b"through the link").expect("write through link");
        assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
        assert_eq!(std::fs::read(&target).expect("target"), b"through the link");
    }
}
