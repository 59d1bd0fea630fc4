//! A private scratch directory for one test: made readable by this user
//! only (it may hold profiles, logs and sessions' files), removed when
//! dropped, and kept with its path printed when the test is failing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory of the test's own under the system temp directory.
pub struct ScratchDir {
    dir: PathBuf,
}

impl ScratchDir {
    /// A new, empty directory (mode 0700) named after `tag`.
    pub fn new(tag: &str) -> ScratchDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tessera-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        // A leftover of an earlier run with the same pid.
        let _ = std::fs::remove_dir_all(&dir);
        private_dir(&dir);
        ScratchDir { dir }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "the failing test's directory is kept for a look: {}",
                self.dir.display()
            );
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates `dir` (and its parents) readable by this user only.
pub(crate) fn private_dir(dir: &Path) {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
}
