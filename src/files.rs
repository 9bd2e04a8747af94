//! File writes that never leave a partial file behind: a temporary file in the same folder,
//! then a rename over the target.

use std::fs::Permissions;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Writes `bytes` to `path` atomically, creating the parent folder when needed. An existing
/// file keeps its permissions; a new one gets `rw-r--r--`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mode = std::fs::metadata(path).map_or(0o644, |metadata| metadata.permissions().mode());
    write_atomically_with_mode(path, bytes, mode & 0o7777)
}

/// Writes `bytes` to `path` atomically with the given permission bits. When `path` is a
/// symbolic link, the file it points to is replaced and the link kept.
pub fn write_atomically_with_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
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
