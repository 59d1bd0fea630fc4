//! The secret-store seam and the OS keyring behind it.
//!
//! [`SecretStore`] is three calls on named byte entries. [`KeyringStore`] is
//! the real OS keyring (Keychain, Credential Manager, Secret Service), and
//! there is no silent fallback: if the keyring is missing or locked, the
//! caller gets a [`StoreError`] saying so. [`MemoryStore`] is the fake for
//! unit tests; it can inject failures to prove that a failed write loses
//! nothing. Keyring calls block on D-Bus or the OS, so async callers run them
//! on a blocking thread.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The keyring service name all Tessera entries use.
pub const SERVICE: &str = "tessera";

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No keyring service is reachable.
    #[error("the OS keyring is not available ({0}); on Linux, run a Secret Service provider such as gnome-keyring in your session")]
    Unavailable(String),
    /// The keyring (or its default collection) is locked or missing.
    #[error("the OS keyring is locked or has no default collection; unlock it (for example by logging in to your desktop session) and try again")]
    Locked,
    /// The saved session is damaged.
    #[error("the saved session for profile \"{profile}\" is damaged ({reason}); sign in again")]
    Corrupt {
        /// The profile whose stored session could not be read back.
        profile: String,
        /// What is damaged, e.g. `bad header` or `checksum mismatch`; never the data itself.
        reason: String,
    },
    /// Any other keyring failure.
    #[error("the OS keyring failed: {0}")]
    Platform(String),
    /// The keyring call's task stopped before it finished.
    #[error("a keyring operation was interrupted ({0}); try again")]
    Interrupted(String),
}

/// Named secret entries.
pub trait SecretStore: Send + Sync {
    /// The entry's bytes, or `None` when there is no such entry.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Creates or replaces the entry.
    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;
    /// Deletes the entry; deleting a missing entry is not an error.
    fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// The most bytes a caller should put in one entry; a longer value is
    /// split across entries (the session store does). The default fits the
    /// smallest keyring Tessera runs on.
    fn entry_bytes(&self) -> usize {
        SMALLEST_ENTRY_BYTES
    }
}

/// What one entry of every keyring holds: Windows Credential Manager takes
/// at most 2,560 bytes per credential, and a session's head line needs room.
pub const SMALLEST_ENTRY_BYTES: usize = 2000;

/// Keychain and the Secret Service have no such limit. 16 KiB keeps a
/// session, even one with a few hundred groups, in one entry, so reading it
/// is one search and one secret over D-Bus instead of one pair per 2 KB.
#[cfg(not(target_os = "windows"))]
const NATIVE_ENTRY_BYTES: usize = 16 * 1024;
#[cfg(target_os = "windows")]
const NATIVE_ENTRY_BYTES: usize = SMALLEST_ENTRY_BYTES;

/// The OS keyring: Keychain, Credential Manager or Secret Service; no fallback.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringStore {
    /// Tessera's entries in the native keyring. Connecting happens on first use.
    pub fn new() -> Self {
        Self {
            service: SERVICE.to_string(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring_core::Entry, StoreError> {
        native_store()?;
        #[cfg(target_os = "windows")]
        {
            // Local persistence: a token must not roam with a domain profile.
            let modifiers = HashMap::from([("persistence", "Local")]);
            keyring_core::Entry::new_with_modifiers(&self.service, key, &modifiers)
                .map_err(map_error)
        }
        #[cfg(not(target_os = "windows"))]
        {
            keyring_core::Entry::new(&self.service, key).map_err(map_error)
        }
    }
}

/// Installs the platform's store as keyring-core's default, once per process.
fn native_store() -> Result<(), StoreError> {
    static RESULT: OnceLock<Result<(), StoreError>> = OnceLock::new();
    RESULT
        .get_or_init(|| {
            let store = platform_store().map_err(|e| StoreError::Unavailable(describe(&e)))?;
            keyring_core::set_default_store(store);
            Ok(())
        })
        .clone()
}

type NativeStore = keyring_core::Result<Arc<keyring_core::CredentialStore>>;

#[cfg(target_os = "macos")]
fn platform_store() -> NativeStore {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> NativeStore {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> NativeStore {
    Ok(dbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, target_os = "windows")))]
fn platform_store() -> NativeStore {
    Err(keyring_core::Error::NotSupportedByStore(
        "no supported keyring on this platform".into(),
    ))
}

fn describe(e: &keyring_core::Error) -> String {
    let text = e.to_string();
    // D-Bus errors are long; the first line says enough.
    text.lines().next().unwrap_or("unknown error").to_string()
}

fn map_error(e: keyring_core::Error) -> StoreError {
    use keyring_core::Error as E;
    match e {
        E::NoStorageAccess(_) => StoreError::Locked,
        E::NoDefaultStore | E::PlatformFailure(_) => StoreError::Unavailable(describe(&e)),
        other => StoreError::Platform(describe(&other)),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.entry(key)?.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.entry(key)?.set_secret(value).map_err(map_error)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn entry_bytes(&self) -> usize {
        NATIVE_ENTRY_BYTES
    }
}

/// Values the keyring refused to store, held in this process's memory until
/// it takes them. A rotated refresh token is the case: the old one is spent
/// at the provider the moment the new one arrives, so if the keyring is
/// locked at that instant, dropping the new one would lose the session.
/// The bytes never reach a log, a file or a `Debug` print.
#[derive(Default)]
pub struct HeldWrites {
    held: Mutex<HashMap<String, Vec<u8>>>,
}

impl HeldWrites {
    /// Holds `bytes` for `key`, replacing what was held.
    pub fn hold(&self, key: &str, bytes: Vec<u8>) {
        if let Ok(mut held) = self.held.lock() {
            held.insert(key.to_string(), bytes);
        }
    }

    /// What is held for `key`.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.held.lock().ok()?.get(key).cloned()
    }

    /// Forgets what is held for `key` (stored at last, or no longer wanted).
    pub fn release(&self, key: &str) {
        if let Ok(mut held) = self.held.lock() {
            held.remove(key);
        }
    }
}

impl std::fmt::Debug for HeldWrites {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.held.lock().map(|h| h.len()).unwrap_or(0);
        write!(f, "HeldWrites({n} held)")
    }
}

/// An in-memory store for tests, with failure injection.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    inner: Arc<Mutex<MemoryInner>>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    entries: HashMap<String, Vec<u8>>,
    writes_before_failure: Option<usize>,
    locked: bool,
}

impl MemoryStore {
    /// An empty store that accepts every write until told otherwise.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets `n` more writes succeed, then fails every write.
    pub fn fail_writes_after(&self, n: usize) {
        self.lock().writes_before_failure = Some(n);
    }

    /// Makes every call fail as a locked keyring does.
    pub fn set_locked(&self, locked: bool) {
        self.lock().locked = locked;
    }

    /// Entry names, sorted (e.g. `session:p`), so tests can see what was written.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.lock().entries.keys().cloned().collect();
        keys.sort();
        keys
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let inner = self.lock();
        if inner.locked {
            return Err(StoreError::Locked);
        }
        Ok(inner.entries.get(key).cloned())
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.locked {
            return Err(StoreError::Locked);
        }
        if let Some(n) = inner.writes_before_failure {
            if n == 0 {
                return Err(StoreError::Platform("injected write failure".into()));
            }
            inner.writes_before_failure = Some(n - 1);
        }
        inner.entries.insert(key.to_string(), value.to_vec());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.locked {
            return Err(StoreError::Locked);
        }
        inner.entries.remove(key);
        Ok(())
    }
}

impl crate::error::EngineError for StoreError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            StoreError::Locked => ErrorKind::KeyringLocked,
            StoreError::Corrupt { .. } => ErrorKind::SessionExpired,
            StoreError::Unavailable(_) | StoreError::Platform(_) => ErrorKind::KeyringUnavailable,
            StoreError::Interrupted(_) => ErrorKind::Busy,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            StoreError::Corrupt { profile, .. } => crate::error::ErrorFacts::profile(profile),
            _ => crate::error::ErrorFacts::default(),
        }
    }
}
