//! Files and folders Tessera creates are private to the user: a profile file
//! names providers and clients, the cache holds their metadata, saved
//! requests and response bodies may hold anything an API returned. On Unix
//! they are created 0600 (files) and 0700 (folders) whatever the umask; on
//! other systems the user's profile directory already is private.
//!
//! Writes are atomic and durable: the data goes to a private temporary file
//! beside the target, is flushed to disk, and replaces the target in one
//! rename, so a crash leaves the old file or the new one, never half of one.

use std::io::Write;
use std::path::Path;

/// Creates `dir` and its missing parents, each new one readable by this user only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens (creating if needed) a private file for writing without truncating it.
pub fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Replaces `path` with `bytes`, atomically, as a private file; creates its
/// folder (private) when missing.
pub fn write_private_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(true).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    // The rename itself reaches the disk with the folder's entry.
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn files_and_folders_are_private_whatever_the_umask_and_replace_atomically() {
        let root = std::env::temp_dir().join(format!("tessera-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let file = root.join("a/b/profiles.toml");
        write_private_atomically(&file, b"one").expect("written");
        write_private_atomically(&file, b"two").expect("replaced");
        assert_eq!(
            std::fs::read(&file).expect("read"),
            b"two",
            "the newer content wins"
        );
        assert_eq!(mode(&file), 0o600, "the file is the user's only");
        assert_eq!(
            mode(&root.join("a/b")),
            0o700,
            "so is each folder made for it"
        );
        assert_eq!(mode(&root.join("a")), 0o700, "parents too");
        let leftovers: Vec<_> = std::fs::read_dir(root.join("a/b"))
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no temporary file is left behind: {leftovers:?}"
        );
        let lock = root.join("a/lock");
        drop(open_private(&lock).expect("opened"));
        assert_eq!(mode(&lock), 0o600, "lock files too");
        let _ = std::fs::remove_dir_all(&root);
    }
}
