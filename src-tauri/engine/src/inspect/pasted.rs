//! A pasted JWT: decoded offline, or verified against a profile's provider
//! (its JWKS and issuer, its client id as audience for an ID token) or
//! against a pasted JWK or JWKS.

use super::JwtInspection;
use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::ProfileError;
use crate::protocol::discovery::{self, DiscoveryError, ProviderMetadata};
use crate::protocol::jwks::{JwkSet, PastedKeyError, HMAC_ALGS};
use crate::protocol::jwt::{decode_unverified, JwtDecodeError, UnverifiedJwt};
use crate::protocol::validate::{SharedSecret, ValidationReport};
use crate::protocol::verify::{verify_jwt, VerifyOptions};
use crate::seams::http::{Http, HttpError};
use crate::seams::store::StoreError;

/// What a pasted JWT is verified against.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A profile's provider: its JWKS and issuer; with `audience`, also its
    /// client id as `aud` (for ID tokens).
    Profile {
        /// The profile whose provider keys, issuer and client id are used.
        name: String,
        /// Expect the profile's client id in `aud`.
        audience: bool,
    },
    /// A pasted JWK or JWKS.
    Pasted(String),
}

/// Why a pasted token could not be verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The pasted text is not a signed JWT (empty, encrypted, or a part that does not decode).
    #[error(transparent)]
    Decode(#[from] JwtDecodeError),
    /// The pasted key is unusable.
    #[error(transparent)]
    Key(#[from] PastedKeyError),
    /// The profile is missing or invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The profile's provider failed.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The client secret (for an HS* token) could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EngineError for VerifyError {
    fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::Decode(e) => e.kind(),
            VerifyError::Key(e) => e.kind(),
            VerifyError::Profile(e) => e.kind(),
            VerifyError::Discovery(e) => e.kind(),
            VerifyError::Http(e) => e.kind(),
            VerifyError::Store(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            VerifyError::Profile(e) => e.facts(),
            VerifyError::Discovery(e) => e.facts(),
            VerifyError::Http(e) => e.facts(),
            VerifyError::Store(e) => e.facts(),
            _ => ErrorFacts::default(),
        }
    }
}

/// Decodes a pasted JWT offline. Nothing is verified.
pub fn decode_pasted(token: &str) -> Result<JwtInspection, JwtDecodeError> {
    decode_unverified(token).map(|jwt| JwtInspection::decoded(&jwt))
}

impl Engine {
    /// Verifies a pasted JWT against a profile's provider or pasted keys.
    pub async fn verify_pasted(
        &self,
        token: &str,
        against: &KeySource,
    ) -> Result<JwtInspection, VerifyError> {
        let jwt = decode_unverified(token)?;
        let now = self.now();
        match against {
            KeySource::Pasted(text) => {
                let keys = JwkSet::parse_pasted(text)?;
                let report = verify_jwt(
                    &jwt,
                    &keys,
                    &VerifyOptions {
                        noun: "token",
                        issuer: None,
                        audience: None,
                        now,
                        shared_secret: None,
                    },
                );
                let n = keys.keys.len();
                let against = format!(
                    "the pasted {}",
                    if n == 1 {
                        "key".to_string()
                    } else {
                        format!("{n} keys")
                    }
                );
                Ok(JwtInspection::checked(&jwt, report, against))
            }
            KeySource::Profile { name, audience } => {
                let profile = self.profile(Some(name))?;
                let http = self.http_for(profile.ca_file.as_deref())?;
                let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
                let secret = if HMAC_ALGS.contains(&jwt.header.alg.as_str()) {
                    self.client_secret(&profile).await?
                } else {
                    None
                };
                let options = VerifyOptions {
                    noun: "token",
                    issuer: Some(&meta.issuer),
                    audience: audience.then_some(profile.client_id.as_str()),
                    now,
                    shared_secret: SharedSecret::new(
                        secret.as_ref(),
                        &meta.id_token_signing_alg_values_supported,
                    ),
                };
                let report = self
                    .verify_with_key_rotation(&http, &meta, &jwt, &options)
                    .await?;
                Ok(JwtInspection::checked(
                    &jwt,
                    report,
                    format!("the JWKS and issuer of profile {}", profile.name),
                ))
            }
        }
    }

    /// [`verify_jwt`], re-fetching the JWKS once on an unknown `kid`.
    async fn verify_with_key_rotation(
        &self,
        http: &Http,
        meta: &ProviderMetadata,
        jwt: &UnverifiedJwt,
        options: &VerifyOptions<'_>,
    ) -> Result<ValidationReport, DiscoveryError> {
        let keys = discovery::fetch_jwks(http, &self.cache(), meta, false).await?;
        let report = verify_jwt(jwt, &keys, options);
        if report.needs_fresh_keys() {
            let fresh = discovery::fetch_jwks(http, &self.cache(), meta, true).await?;
            return Ok(verify_jwt(jwt, &fresh, options));
        }
        Ok(report)
    }
}
