//! Where Tessera keeps its files: the profile file in the config directory,
//! and the metadata cache and the refresh locks in the cache directory. Both
//! follow `TESSERA_CONFIG_DIR` when it is set, so a test or a second setup
//! gets a home of its own.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The keyring scope of a config dir that is not the OS default.
pub fn scope_of(config_dir: &Path) -> String {
    let absolute = std::path::absolute(config_dir).unwrap_or_else(|_| config_dir.to_path_buf());
    let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The OS has no configuration directory (no `$HOME`, for example).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot find a configuration directory; set TESSERA_CONFIG_DIR to one")]
pub struct NoConfigDir;

/// Where Tessera keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `profiles.toml`.
    pub config_dir: PathBuf,
    /// Holds the discovery/JWKS cache and the refresh locks.
    pub cache_dir: PathBuf,
    /// Which Tessera home the keyring entries belong to: `None` for the OS
    /// default, else an id of `TESSERA_CONFIG_DIR` (the first 12 hex digits
    /// of the SHA-256 of its absolute path). The keyring is one per user, so
    /// two homes with a profile of the same name must not share a session.
    pub keyring_scope: Option<String>,
}

impl Paths {
    /// `$TESSERA_CONFIG_DIR` (with `cache/` inside it) or the OS defaults.
    pub fn from_env() -> Result<Self, NoConfigDir> {
        if let Some(dir) = std::env::var_os("TESSERA_CONFIG_DIR").filter(|d| !d.is_empty()) {
            let config_dir = PathBuf::from(dir);
            return Ok(Self {
                cache_dir: config_dir.join("cache"),
                keyring_scope: Some(scope_of(&config_dir)),
                config_dir,
            });
        }

        let config = dirs::config_dir().ok_or(NoConfigDir)?;
        let cache = dirs::cache_dir().unwrap_or_else(|| config.clone());
        Ok(Self {
            config_dir: config.join("tessera"),
            cache_dir: cache.join("tessera"),
            keyring_scope: None,
        })
    }

    /// Both directories under one root, keyring entries unscoped (tests).
    pub fn under(root: &Path) -> Self {
        Self {
            config_dir: root.to_path_buf(),
            cache_dir: root.join("cache"),
            keyring_scope: None,
        }
    }

    /// Path of `profiles.toml` in the config directory.
    pub fn profiles_file(&self) -> PathBuf {
        self.config_dir.join("profiles.toml")
    }
}

impl crate::error::EngineError for NoConfigDir {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Io
    }
}
