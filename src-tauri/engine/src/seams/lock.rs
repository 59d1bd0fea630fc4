//! A cross-process lock per profile, held around refresh and session writes,
//! so the desktop app and the command line never both spend the same
//! (rotating) refresh token. It is an OS file lock: released on drop, and by
//! the OS if the process dies.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Held while a profile's session is being refreshed or replaced.
#[derive(Debug)]
pub struct ProfileLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another process held it too long.
    #[error("another Tessera process is updating the session of profile \"{0}\" and did not finish in time; try again")]
    Busy(String),
    /// The lock file could not be used.
    #[error("cannot use the lock file {path}: {reason}")]
    Io {
        /// Path of the lock file, `<cache dir>/locks/<profile>.lock`.
        path: String,
        /// The OS error's message.
        reason: String,
    },
    /// The task waiting for the lock stopped before it had it.
    #[error("waiting for the session lock was interrupted ({0}); try again")]
    Interrupted(String),
}

impl ProfileLock {
    /// Takes the lock for `profile`, waiting up to `wait`.
    pub fn acquire(dir: &Path, profile: &str, wait: Duration) -> Result<Self, LockError> {
        let path = dir.join(format!("{profile}.lock"));
        let io = |e: std::io::Error| LockError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        crate::seams::private_files::create_private_dir(dir).map_err(io)?;
        let file = crate::seams::private_files::open_private(&path).map_err(io)?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy(profile.to_string())),
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
    }
}

impl crate::error::EngineError for LockError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            LockError::Busy(_) | LockError::Interrupted(_) => crate::error::ErrorKind::Busy,
            LockError::Io { .. } => crate::error::ErrorKind::Io,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            LockError::Busy(profile) => crate::error::ErrorFacts::profile(profile),
            _ => crate::error::ErrorFacts::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_and_then_gives_up() {
        let dir = std::env::temp_dir().join(format!("tessera-lock-test-{}", std::process::id()));
        let first = ProfileLock::acquire(&dir, "p", Duration::from_secs(1)).unwrap();
        let second = ProfileLock::acquire(&dir, "p", Duration::from_millis(100));
        assert!(
            matches!(second, Err(LockError::Busy(_))),
            "the lock is exclusive"
        );
        drop(first);
        assert!(
            ProfileLock::acquire(&dir, "p", Duration::from_millis(100)).is_ok(),
            "released on drop"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
