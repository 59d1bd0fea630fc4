//! The wiring: the [`Engine`] is the seams put together, and nothing more.
//!
//! A host (the `tessera` command line, the desktop app, a test) builds one
//! with its secret store, clock and optionally an HTTP client and HTTP log.
//! The operations are added by the layers above, each in its own module as
//! an `impl Engine` block: [`Engine::login`] and [`Engine::access_token`] in
//! [`crate::session`], [`Engine::inspect_session`] in [`crate::inspect`],
//! [`Engine::call_api`] in [`crate::api`]. So this file imports only seams,
//! and each operation's rules live beside its protocol code.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::seams::cache::DiskCache;
use crate::seams::clock::{Clock, SystemClock};
use crate::seams::events::{SessionEvent, SessionEvents};
use crate::seams::http::{Clients, Http, HttpClient, HttpError};
use crate::seams::http_log::{HttpLog, RecordingClient};
use crate::seams::lock::{LockError, ProfileLock};
use crate::seams::nonces::DpopNonces;
use crate::seams::operations::Operations;
use crate::seams::paths::{NoConfigDir, Paths};
use crate::seams::store::{HeldWrites, KeyringStore, SecretStore, StoreError};

/// How long a process waits for another one to finish refreshing.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Tessera's seams and files. Clones share everything, subscribers included.
#[derive(Clone)]
pub struct Engine {
    paths: Paths,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    http: Option<Arc<dyn HttpClient>>,
    clients: Arc<Clients>,
    http_log: Option<Arc<HttpLog>>,
    events: Arc<SessionEvents>,
    held: Arc<HeldWrites>,
    nonces: Arc<DpopNonces>,
    operations: Arc<Operations>,
}

impl Engine {
    /// An engine over explicit seams.
    pub fn new(paths: Paths, secrets: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Self {
        let nonces = Arc::new(DpopNonces::in_file(
            paths.cache_dir.join("dpop-nonces.json"),
        ));
        let operations = Arc::new(Operations::new(Arc::clone(&clock)));
        Self {
            nonces,
            operations,
            paths,
            secrets,
            clock,
            http: None,
            clients: Arc::new(Clients::default()),
            http_log: None,
            events: Arc::new(SessionEvents::default()),
            held: Arc::new(HeldWrites::default()),
        }
    }

    /// The real thing: OS config dirs (or `$TESSERA_CONFIG_DIR`), the OS
    /// keyring and the system clock.
    pub fn system() -> Result<Self, NoConfigDir> {
        Ok(Self::new(
            Paths::from_env()?,
            Arc::new(KeyringStore::new()),
            Arc::new(SystemClock),
        ))
    }

    /// Uses this HTTP client instead of the ones the engine builds.
    pub fn with_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = Some(client);
        self
    }

    /// Records every HTTP exchange in `log` (redacted).
    pub fn with_http_log(mut self, log: Arc<HttpLog>) -> Self {
        self.http_log = Some(log);
        self
    }

    /// What the engine has been doing: operations with their steps, whose
    /// HTTP exchanges the HTTP log tags.
    pub fn operations(&self) -> &Arc<Operations> {
        &self.operations
    }

    /// The DPoP nonces servers gave, per origin.
    pub(crate) fn nonces(&self) -> &Arc<DpopNonces> {
        &self.nonces
    }

    /// Where "the session changed" is published: subscribe once to redraw.
    pub fn events(&self) -> &Arc<SessionEvents> {
        &self.events
    }

    /// Writes the keyring refused, held until it takes them.
    pub(crate) fn held(&self) -> &HeldWrites {
        &self.held
    }

    /// Publishes a change this process made.
    pub(crate) fn publish(&self, event: SessionEvent) {
        self.events.publish(event);
    }

    /// The HTTP log, if this host keeps one.
    pub fn http_log(&self) -> Option<&Arc<HttpLog>> {
        self.http_log.as_ref()
    }

    /// The transport: the injected client, or the engine's client trusting
    /// `ca_file` (built on first use, then reused with its open
    /// connections), wrapped in the HTTP log when there is one.
    pub(crate) fn transport(
        &self,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Arc<dyn HttpClient>, HttpError> {
        self.transport_presenting(ca_file, None)
    }

    /// [`Engine::transport`] presenting a client certificate (mutual TLS)
    /// when `identity_pem` is given.
    pub(crate) fn transport_presenting(
        &self,
        ca_file: Option<&std::path::Path>,
        identity_pem: Option<&crate::secret::SecretString>,
    ) -> Result<Arc<dyn HttpClient>, HttpError> {
        let client: Arc<dyn HttpClient> = match &self.http {
            Some(c) => Arc::clone(c),
            None => Arc::new(self.clients.get(ca_file, identity_pem)?),
        };
        Ok(match &self.http_log {
            Some(log) => Arc::new(RecordingClient::new(
                client,
                Arc::clone(log),
                Arc::clone(&self.clock),
            )),
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

    /// Runs blocking keyring work off the async threads.
    pub(crate) async fn with_store<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || work(store.as_ref()))
            .await
            .map_err(|e| StoreError::Interrupted(e.to_string()))?
    }

    /// Takes the profile's cross-process lock without blocking async threads.
    pub(crate) async fn lock(&self, profile: &str) -> Result<ProfileLock, LockError> {
        let dir = self.paths.cache_dir.join("locks");
        let name = profile.to_string();
        tokio::task::spawn_blocking(move || ProfileLock::acquire(&dir, &name, LOCK_WAIT))
            .await
            .map_err(|e| LockError::Interrupted(e.to_string()))?
    }

    pub(crate) fn cache(&self) -> DiskCache {
        DiskCache::new(self.paths.cache_dir.join("http"), Arc::clone(&self.clock))
    }

    /// The HTTP client for a provider, trusting `ca_file` as well when given.
    pub(crate) fn http_for(&self, ca_file: Option<&Path>) -> Result<Http, HttpError> {
        Ok(Http::new(self.transport(ca_file)?))
    }
}
