//! The client's key pair for `private_key_jwt`: generated or imported into
//! the keyring, shown as its public JWK Set.
//!
//! A key belongs to a profile name, and may exist before the profile does:
//! the usual order is to make the key, register its public JWK Set with the
//! provider, and only then learn the client id. When the profile exists, its
//! file records the key's public facts (`client_key`: alg, kid, `x5t#S256`),
//! which the hosts show without opening the keyring.
//!
//! | operation | keyring | profile file | event |
//! |---|---|---|---|
//! | generate, import | the key replaces any earlier one | `client_key` updated if the profile exists | `ProfileSaved` |
//! | show | read | – | – |

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::{check_name, ProfileError, ProfileFile};
use crate::protocol::client_key::{ClientKey, KeyAlg, KeyError};
use crate::seams::events::{SessionChange, SessionEvent};
use crate::seams::lock::LockError;
use crate::seams::store::StoreError;
use crate::session::credentials::CredentialsError;

/// Why a client key operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeysError {
    /// The profile has no client key in the keyring.
    #[error("profile \"{0}\" has no client key; generate or import one first")]
    NoKey(String),
    /// The key or certificate could not be made or read.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The profile name or file is unusable.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another process holds the profile's lock.
    #[error(transparent)]
    Lock(#[from] LockError),
}

impl From<CredentialsError> for KeysError {
    fn from(e: CredentialsError) -> Self {
        match e {
            CredentialsError::Profile(e) => Self::Profile(e),
            CredentialsError::Store(e) => Self::Store(e),
            // Reading a key builds no transport.
            CredentialsError::Http(e) => Self::Key(KeyError::Corrupt(e.to_string())),
        }
    }
}

impl EngineError for KeysError {
    fn kind(&self) -> ErrorKind {
        match self {
            KeysError::NoKey(_) => ErrorKind::InvalidProfile,
            KeysError::Key(e) => e.kind(),
            KeysError::Profile(e) => e.kind(),
            KeysError::Store(e) => e.kind(),
            KeysError::Lock(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            KeysError::NoKey(p) => ErrorFacts::profile(p),
            KeysError::Profile(e) => e.facts(),
            KeysError::Store(e) => e.facts(),
            KeysError::Lock(e) => e.facts(),
            KeysError::Key(_) => ErrorFacts::default(),
        }
    }
}

impl Engine {
    /// Makes a new key pair for the profile and keeps its private key in
    /// the keyring, replacing any earlier one.
    pub async fn generate_client_key(
        &self,
        profile: &str,
        alg: KeyAlg,
    ) -> Result<ClientKey, KeysError> {
        check_name(profile)?;
        // RSA key generation takes a moment: off the async threads.
        let key = tokio::task::spawn_blocking(move || ClientKey::generate(alg))
            .await
            .map_err(|_| KeyError::Crypto("be generated"))??;
        self.keep_client_key(profile, key).await
    }

    /// Imports a PEM private key (and the certificate issued for it) into
    /// the keyring for the profile, replacing any earlier one.
    pub async fn import_client_key(
        &self,
        profile: &str,
        key_pem: &str,
        certificate_pem: Option<&str>,
        alg: Option<KeyAlg>,
    ) -> Result<ClientKey, KeysError> {
        check_name(profile)?;
        let key = ClientKey::from_pem(key_pem, certificate_pem, alg)?;
        self.keep_client_key(profile, key).await
    }

    /// The profile's client key (to show its public JWK Set).
    pub async fn stored_client_key(&self, profile: &str) -> Result<ClientKey, KeysError> {
        check_name(profile)?;
        let known = self
            .profiles()?
            .profiles
            .get(profile)
            .cloned()
            .unwrap_or_else(|| crate::profile::Profile::new(profile, "", ""));
        self.client_key(&known)
            .await?
            .ok_or_else(|| KeysError::NoKey(profile.to_string()))
    }

    /// Keeps a key made or read elsewhere (a host's `--client-key`) for the
    /// profile, replacing any earlier one.
    pub async fn keep_client_key(
        &self,
        profile: &str,
        key: ClientKey,
    ) -> Result<ClientKey, KeysError> {
        let _lock = self.lock(profile).await?;
        let stored = key.to_keyring()?;
        let name = profile.to_string();
        self.with_sessions(move |sessions| sessions.save_client_key(&name, &stored))
            .await?;
        let mut file = ProfileFile::load(self.paths())?;
        if let Some(existing) = file.profiles.get_mut(profile) {
            existing.client_key = Some(key.info());
            file.save(self.paths())?;
            self.publish(SessionEvent {
                profile: profile.to_string(),
                change: SessionChange::ProfileSaved,
                obtained_at: None,
            });
        }
        Ok(key)
    }
}
