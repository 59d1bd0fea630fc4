//! The engine: the seams wired together, and the operations hosts call.
//!
//! A host (the `tessera` command line, the desktop app, a test) builds one
//! [`Engine`] with its secret store, clock and optionally an HTTP client, and
//! calls [`Engine::login`], [`Engine::access_token`], [`Engine::refresh`],
//! [`Engine::logout`] or [`Engine::introspect`]. Each call is a whole use
//! case; hosts hold no OpenID Connect logic of their own.

use std::sync::Arc;
use std::time::Duration;

use crate::cache::DiskCache;
use crate::clock::{Clock, SystemClock};
use crate::discovery::{self, DiscoveryError, ProviderMetadata};
use crate::http::{Http, HttpClient, HttpError, ReqwestClient};
use crate::http_log::{HttpLog, RecordingClient};
use crate::jwks::{JwkSet, HMAC_ALGS};
use crate::jwt::UnverifiedJwt;
use crate::lock::{LockError, ProfileLock};
use crate::profile::{Paths, Profile, ProfileError, ProfileFile};
use crate::secret::SecretString;
use crate::session::{Session, SessionStore};
use crate::store::{KeyringStore, SecretStore, StoreError};
use crate::token::ClientCredentials;
use crate::validate::{validate_id_token, Check, Expectations, ValidationReport};

/// How long a process waits for another one to finish refreshing.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Tessera's seams and files.
#[derive(Clone)]
pub struct Engine {
    paths: Paths,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    http: Option<Arc<dyn HttpClient>>,
    http_log: Option<Arc<HttpLog>>,
}

/// Why an operation on an existing session failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// No session stored.
    #[error("profile \"{0}\" is not signed in; run `tessera login --profile {0}`")]
    NotSignedIn(String),
    /// Expired and no refresh token.
    #[error("the access token of profile \"{0}\" has expired and there is no refresh token; run `tessera login --profile {0}`")]
    Expired(String),
    /// The provider refused the refresh token.
    #[error("the provider rejected the refresh token of profile \"{profile}\" ({detail}); run `tessera login --profile {profile}`")]
    RefreshRejected {
        /// Profile.
        profile: String,
        /// The token endpoint's error.
        detail: String,
    },
    /// A refreshed ID token failed a check.
    #[error("{}", .check.detail)]
    Rejected {
        /// The failing check.
        check: Check,
        /// The full report.
        report: ValidationReport,
    },
    /// The provider lacks an endpoint.
    #[error("the provider of profile \"{profile}\" has no {endpoint} endpoint")]
    NoEndpoint {
        /// Profile.
        profile: String,
        /// e.g. "revocation".
        endpoint: &'static str,
    },
    /// The session lacks the token asked for.
    #[error("the session of profile \"{profile}\" has no {token}")]
    NoToken {
        /// Profile.
        profile: String,
        /// "refresh token", "ID token".
        token: &'static str,
    },
    /// ID tokens cannot be revoked.
    #[error("an ID token cannot be revoked (RFC 7009 covers access and refresh tokens); revoke one of those instead")]
    IdTokenNotRevocable,
    /// The stored session belongs to another issuer or client than the profile.
    #[error("the session of profile \"{0}\" was issued for a different issuer or client than the profile now names; run `tessera login --profile {0}`")]
    ProfileChanged(String),
    /// Profile file.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Metadata.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// HTTP.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Keyring.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Refresh lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// Browser (end-session).
    #[error(transparent)]
    Browser(#[from] crate::browser::BrowserError),
}

impl Engine {
    /// An engine over explicit seams.
    pub fn new(paths: Paths, secrets: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Self {
        Self {
            paths,
            secrets,
            clock,
            http: None,
            http_log: None,
        }
    }

    /// The real thing: OS config dirs (or `$TESSERA_CONFIG_DIR`), the OS
    /// keyring and the system clock.
    pub fn system() -> Result<Self, ProfileError> {
        Ok(Self::new(
            Paths::from_env()?,
            Arc::new(KeyringStore::new()),
            Arc::new(SystemClock),
        ))
    }

    /// Uses this HTTP client instead of building one per profile.
    pub fn with_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = Some(client);
        self
    }

    /// Records every HTTP exchange in `log` (redacted).
    pub fn with_http_log(mut self, log: Arc<HttpLog>) -> Self {
        self.http_log = Some(log);
        self
    }

    /// The HTTP log, if this host keeps one.
    pub fn http_log(&self) -> Option<&Arc<HttpLog>> {
        self.http_log.as_ref()
    }

    /// The transport: the injected client or a new one trusting `ca_file`,
    /// wrapped in the HTTP log when there is one.
    pub(crate) fn transport(
        &self,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Arc<dyn HttpClient>, HttpError> {
        let client: Arc<dyn HttpClient> = match &self.http {
            Some(c) => Arc::clone(c),
            None => Arc::new(ReqwestClient::new(ca_file)?),
        };
        Ok(match &self.http_log {
            Some(log) => Arc::new(RecordingClient::new(client, Arc::clone(log))),
            None => client,
        })
    }

    /// The directories in use.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Now, from the injected clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The profile file.
    pub fn profiles(&self) -> Result<ProfileFile, ProfileError> {
        ProfileFile::load(&self.paths)
    }

    /// A profile by name (or the default one when `None`).
    pub fn profile(&self, name: Option<&str>) -> Result<Profile, ProfileError> {
        let file = self.profiles()?;
        let name = file.resolve_name(name);
        file.get(&name).cloned()
    }

    /// Removes a profile, its session and its client secret.
    pub async fn remove_profile(&self, name: &str) -> Result<bool, SessionError> {
        let mut file = self.profiles()?;
        let name_owned = name.to_string();
        self.with_store(move |store| {
            let sessions = SessionStore::new(store);
            sessions.delete(&name_owned)?;
            sessions.delete_client_secret(&name_owned)
        })
        .await?;
        let existed = file.remove(name);
        file.save(&self.paths)?;
        Ok(existed)
    }

    /// The stored session of a profile, without refreshing it.
    pub async fn stored_session(&self, profile: &str) -> Result<Option<Session>, StoreError> {
        let name = profile.to_string();
        self.with_store(move |store| SessionStore::new(store).load(&name))
            .await
    }

    /// Runs blocking keyring work off the async threads.
    pub(crate) async fn with_store<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || work(store.as_ref()))
            .await
            .map_err(|e| StoreError::Platform(format!("keyring task failed: {e}")))?
    }

    /// Takes the profile's cross-process lock without blocking async threads.
    pub(crate) async fn lock(&self, profile: &str) -> Result<ProfileLock, LockError> {
        let dir = self.paths.cache_dir.join("locks");
        let name = profile.to_string();
        tokio::task::spawn_blocking(move || ProfileLock::acquire(&dir, &name, LOCK_WAIT))
            .await
            .map_err(|e| LockError::Io {
                path: "lock".into(),
                reason: e.to_string(),
            })?
    }

    pub(crate) fn http_for(&self, profile: &Profile) -> Result<Http, HttpError> {
        Ok(Http::new(self.transport(profile.ca_file.as_deref())?))
    }

    pub(crate) fn cache(&self) -> DiskCache {
        DiskCache::new(self.paths.cache_dir.join("http"), Arc::clone(&self.clock))
    }

    /// The client's credentials, with the secret from the keyring if needed.
    pub(crate) async fn credentials(
        &self,
        profile: &Profile,
        secret: Option<SecretString>,
    ) -> Result<ClientCredentials, StoreError> {
        let secret = match secret {
            Some(s) => Some(s),
            None if profile.client_secret_in_keyring => {
                let name = profile.name.clone();
                self.with_store(move |store| SessionStore::new(store).client_secret(&name))
                    .await?
            }
            None => None,
        };
        Ok(ClientCredentials {
            client_id: profile.client_id.clone(),
            secret,
            method: profile.client_auth,
        })
    }

    /// Validates an ID token, re-fetching the JWKS once if its key is unknown
    /// (the provider may have rotated keys since they were cached).
    pub(crate) async fn validate_with_key_rotation(
        &self,
        http: &Http,
        meta: &ProviderMetadata,
        jwt: &UnverifiedJwt,
        expect: &Expectations<'_>,
    ) -> Result<ValidationReport, DiscoveryError> {
        let alg = jwt.header.alg.as_str();
        let needs_jwks = !HMAC_ALGS.contains(&alg) && !alg.eq_ignore_ascii_case("none");
        let cache = self.cache();
        let jwks = if needs_jwks {
            discovery::fetch_jwks(http, &cache, meta, false).await?
        } else {
            JwkSet::default()
        };
        let report = validate_id_token(jwt, &jwks, expect);
        if report.needs_fresh_keys() {
            tracing::debug!("ID token key not in the cached JWKS; fetching it again");
            let fresh = discovery::fetch_jwks(http, &cache, meta, true).await?;
            return Ok(validate_id_token(jwt, &fresh, expect));
        }
        Ok(report)
    }
}
