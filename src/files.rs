//! File writes that never leave a partial file behind: a temporary file in the same folder,
//! then a rename over the target.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically, creating the parent folder when needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".changes-")
        .tempfile_in(folder)?;
    temporary.write_all(bytes)?;
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
        let entries = std::fs::read_dir(target.parent().expect("parent"))
            .expect("list")
            .count();
        assert_eq!(entries, 1, "only the target remains");
    }
}
