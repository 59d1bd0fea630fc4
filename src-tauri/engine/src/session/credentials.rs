//! The client's credentials for a profile: the id from the profile file, the
//! secret and the private key (when it has them) from the keyring, never from
//! the file; the assertion audience resolved against the provider's metadata.
//!
//! | `client_auth`                     | needs            | missing → |
//! |-----------------------------------|------------------|-----------|
//! | `none`, `tls_client_auth`, `self_signed_tls_client_auth` | nothing here | – |
//! | `client_secret_basic`, `_post`    | the secret, if any (none: a public client) | – |
//! | `client_secret_jwt`               | the secret       | `ProfileError::Invalid` (`client_secret`) |
//! | `private_key_jwt`                 | the client key   | `ProfileError::Invalid` (`client_key`) |

use crate::engine::Engine;
use crate::profile::{Profile, ProfileError};
use std::sync::Arc;

use crate::protocol::client_key::{ClientKey, KeyAlg};
use crate::protocol::discovery::ProviderMetadata;
use crate::protocol::token::{ClientAuthMethod, ClientCredentials, DpopBinding};
use crate::seams::http::{Http, HttpError};
use crate::seams::store::StoreError;
use crate::secret::SecretString;

/// Why the client's credentials could not be put together.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The profile lacks the secret or key its client authentication needs.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The keyring could not give the secret or key.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The transport presenting the client certificate could not be built.
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl Engine {
    /// The client's credentials for requests to the provider described by
    /// `meta`, with the secret (unless `secret` gives a new one) and the key
    /// from the keyring when the method needs them.
    pub(crate) async fn credentials(
        &self,
        profile: &Profile,
        secret: Option<SecretString>,
        key: Option<ClientKey>,
        meta: &ProviderMetadata,
    ) -> Result<ClientCredentials, CredentialsError> {
        let method = profile.client_auth;
        let secret = match secret {
            Some(s) => Some(s),
            None if method.uses_secret() => self.client_secret(profile).await?,
            None => None,
        };
        let missing = |field, reason: &str| ProfileError::Invalid {
            profile: profile.name.clone(),
            field,
            reason: reason.to_string(),
        };
        if method == ClientAuthMethod::ClientSecretJwt && secret.is_none() {
            return Err(missing(
                "client_secret",
                "is missing: client_secret_jwt signs with the client secret, so give one",
            )
            .into());
        }
        let key = match (method, key) {
            (ClientAuthMethod::PrivateKeyJwt, None) => Some(self.client_key(profile).await?.ok_or_else(
                || {
                    missing(
                        "client_key",
                        "is missing: private_key_jwt signs with a key in the keyring, so generate or import one",
                    )
                },
            )?),
            (_, key) => key,
        };
        let token_endpoint = meta.token_endpoint.as_deref().unwrap_or(&meta.issuer);
        let dpop = if profile.dpop {
            Some(DpopBinding {
                key: self.dpop_key(profile).await?,
                nonces: Arc::clone(self.nonces()),
            })
        } else {
            None
        };
        Ok(ClientCredentials {
            dpop,
            client_id: profile.client_id.clone(),
            secret,
            key,
            method,
            assertion_audience: profile
                .assertion_audience
                .resolve(&meta.issuer, token_endpoint)
                .to_string(),
            now: self.now(),
        })
    }

    /// The HTTP client for the profile's provider: presenting the client
    /// certificate from the keyring when the client authenticates with
    /// mutual TLS (RFC 8705), so its certificate-bound tokens work too.
    /// `new_key` is a key given for this operation instead of the stored one.
    pub(crate) async fn http_for_profile(
        &self,
        profile: &Profile,
        new_key: Option<&ClientKey>,
    ) -> Result<Http, CredentialsError> {
        if !profile.client_auth.is_mutual_tls() {
            return Ok(self.http_for(profile.ca_file.as_deref())?);
        }
        let missing = |reason: &str| ProfileError::Invalid {
            profile: profile.name.clone(),
            field: "client_key",
            reason: reason.to_string(),
        };
        let stored = match new_key {
            Some(key) => Some(key.clone()),
            None => self.client_key(profile).await?,
        };
        let key = stored.ok_or_else(|| {
            missing("is missing: mutual TLS presents a certificate and its key from the keyring, so import them")
        })?;
        let identity = key
            .tls_identity_pem()
            .map_err(|e| missing(&format!("cannot be used: {e}")))?
            .ok_or_else(|| {
                missing(
                    "has no certificate: mutual TLS needs the certificate imported with the key",
                )
            })?;
        Ok(Http::new(self.transport_presenting(
            profile.ca_file.as_deref(),
            Some(&identity),
        )?))
    }

    /// The profile's DPoP key: from the keyring, or made now with the
    /// profile's algorithm (ES256 unless set) and kept there, on first use.
    /// It is made under the profile's lock only by callers that hold it;
    /// two first uses at once would each keep a key, and the last one wins
    /// before any token is bound to it.
    pub(crate) async fn dpop_key(&self, profile: &Profile) -> Result<ClientKey, CredentialsError> {
        let name = profile.name.clone();
        let stored = self
            .with_sessions(move |sessions| sessions.dpop_key(&name))
            .await?;
        let invalid = |reason: String| ProfileError::Invalid {
            profile: profile.name.clone(),
            field: "dpop",
            reason,
        };
        if let Some(stored) = stored {
            return ClientKey::from_keyring(&stored)
                .map_err(|e| invalid(format!("key cannot be used: {e}")).into());
        }
        let alg = profile.dpop_alg.unwrap_or(KeyAlg::ES256);
        let key = tokio::task::spawn_blocking(move || ClientKey::generate(alg))
            .await
            .map_err(|e| invalid(format!("key could not be made: {e}")))?
            .map_err(|e| invalid(format!("key could not be made: {e}")))?;
        let encoded = key
            .to_keyring()
            .map_err(|e| invalid(format!("key could not be kept: {e}")))?;
        let name = profile.name.clone();
        self.with_sessions(move |sessions| sessions.save_dpop_key(&name, &encoded))
            .await?;
        Ok(key)
    }

    /// The profile's client secret from the keyring, if it has one.
    pub(crate) async fn client_secret(
        &self,
        profile: &Profile,
    ) -> Result<Option<SecretString>, StoreError> {
        if !profile.client_secret_in_keyring {
            return Ok(None);
        }
        let name = profile.name.clone();
        self.with_sessions(move |sessions| sessions.client_secret(&name))
            .await
    }

    /// The profile's client key from the keyring, if it has one.
    pub(crate) async fn client_key(
        &self,
        profile: &Profile,
    ) -> Result<Option<ClientKey>, CredentialsError> {
        let name = profile.name.clone();
        let Some(stored) = self
            .with_sessions(move |sessions| sessions.client_key(&name))
            .await?
        else {
            return Ok(None);
        };
        ClientKey::from_keyring(&stored).map(Some).map_err(|e| {
            ProfileError::Invalid {
                profile: profile.name.clone(),
                field: "client_key",
                reason: format!("cannot be used: {e}"),
            }
            .into()
        })
    }
}

/// Each use case of this layer that talks to the provider as the client reports a missing secret or
/// key as a profile problem and a keyring failure as a keyring problem, and a transport that
/// cannot be built as an HTTP problem.
macro_rules! credentials_into {
    ($($error:ty),+) => {$(
        impl From<CredentialsError> for $error {
            fn from(e: CredentialsError) -> Self {
                match e {
                    CredentialsError::Profile(e) => Self::Profile(e),
                    CredentialsError::Store(e) => Self::Store(e),
                    CredentialsError::Http(e) => Self::Http(e),
                }
            }
        }
    )+};
}

credentials_into!(
    crate::session::login::LoginError,
    crate::session::refresh::RefreshError,
    crate::session::logout::LogoutError,
    crate::session::exchange::ExchangeError
);
