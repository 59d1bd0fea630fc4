//! The production transports an engine has built, one per TLS configuration,
//! kept for the engine's life.
//!
//! Building a [`ReqwestClient`] loads the system's root certificates and sets
//! up a connection pool; doing it per operation paid that every time and
//! threw the open connections away. An engine now builds one client per
//! configuration (the extra CA file's contents, the client certificate) and
//! reuses it, so a second call to the same provider skips the TCP and TLS
//! handshakes while its connection is still open.
//!
//! The key is a SHA-256 of the CA file's bytes (read on every request for a
//! transport, so a regenerated CA at the same path gets a new client) and of
//! the client identity, never the identity itself: the map holds no secret
//! beyond what the clients hold anyway.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::reqwest_client::read_ca_file;
use super::{HttpError, ProxyEnv, ReqwestClient};
use crate::secret::SecretString;

/// More configurations than anyone uses at once; past it, the map starts over
/// rather than growing without bound in a long-running app.
const MOST_CLIENTS: usize = 16;

/// What tells two transports apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TlsConfig {
    /// SHA-256 of the extra CA file's contents.
    ca: Option<[u8; 32]>,
    /// SHA-256 of the client certificate and key (PEM).
    identity: Option<[u8; 32]>,
}

/// One [`ReqwestClient`] per TLS configuration, built on first use.
#[derive(Default)]
pub struct Clients {
    built: Mutex<HashMap<TlsConfig, ReqwestClient>>,
}

impl Clients {
    /// The client trusting `extra_ca` as well and presenting `identity` (mutual
    /// TLS) when given: the one built before for the same configuration, or a
    /// new one.
    pub fn get(
        &self,
        extra_ca: Option<&Path>,
        identity: Option<&SecretString>,
    ) -> Result<ReqwestClient, HttpError> {
        let ca_pem = extra_ca.map(read_ca_file).transpose()?;
        let config = TlsConfig {
            ca: ca_pem.as_deref().map(sha256),
            identity: identity.map(|pem| sha256(pem.expose().as_bytes())),
        };
        if let Some(client) = self.lock().get(&config) {
            return Ok(client.clone());
        }
        // Built outside the lock: loading the roots takes milliseconds, and
        // two operations racing here only build one client too many.
        let client = ReqwestClient::build(
            extra_ca.zip(ca_pem.as_deref()),
            ProxyEnv::from_env(),
            identity,
        )?;
        let mut built = self.lock();
        if built.len() >= MOST_CLIENTS {
            built.clear();
        }
        Ok(built.entry(config).or_insert(client).clone())
    }

    /// How many clients are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TlsConfig, ReqwestClient>> {
        // A panic while holding the map leaves it consistent (inserts are
        // whole), so a poisoned lock is still usable.
        self.built.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_configuration_gets_the_same_client_and_another_ca_gets_its_own() {
        let clients = Clients::default();
        clients
            .get(None, None)
            .expect("a client with the system roots");
        clients.get(None, None).expect("the same client again");
        assert_eq!(
            clients.len(),
            1,
            "a second request for the system roots reuses the first client"
        );

        let dir = std::env::temp_dir().join(format!("tessera-clients-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, TEST_CA).expect("write the CA");
        clients
            .get(Some(&ca), None)
            .expect("a client trusting the CA");
        clients.get(Some(&ca), None).expect("the same again");
        assert_eq!(
            clients.len(),
            2,
            "one more client for the extra CA, built once"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unreadable_ca_file_is_a_setup_error_naming_the_file() {
        let clients = Clients::default();
        let missing = Path::new("/nonexistent/tessera/ca.pem");
        match clients.get(Some(missing), None) {
            Err(HttpError::Setup(message)) => {
                assert!(
                    message.contains("/nonexistent/tessera/ca.pem"),
                    "the message names the file: {message}"
                )
            }
            Err(other) => panic!("expected a set-up error, got {other}"),
            Ok(_) => panic!("a missing CA file must not give a client"),
        }
        assert_eq!(
            clients.len(),
            0,
            "nothing is kept for a configuration that failed"
        );
    }

    /// A public root certificate (ISRG Root X1), only ever parsed.
    const TEST_CA: &str = include_str!("test-root-ca.pem");
}
