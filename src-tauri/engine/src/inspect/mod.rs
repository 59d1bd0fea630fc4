//! The token inspector: what is inside each token of a session and whether
//! it holds up, plus pasted tokens verified against a profile's keys or a
//! pasted JWK.
//!
//! Nothing here returns a token's value. A token is described by its decoded
//! parts, its validation report and a fingerprint (the start of its SHA-256),
//! so hosts can show everything about it without handling the secret. The one
//! way to get the value is [`Engine::reveal_token`], for an explicit user
//! action.
//!
//! | file | what |
//! |---|---|
//! | this one | a session's tokens, inspected; [`InspectError`] |
//! | `introspect` | RFC 7662 introspection of the session's tokens |
//! | `revoke` | RFC 7009 revocation of one token |
//! | `pasted` | a pasted JWT, decoded or verified against a profile or pasted keys |
//! | `provider` | a provider's metadata and keys, fetched fresh |
//! | [`conformance`] | a provider's metadata and keys against the specifications (`tessera lint`) |
//! | [`history`] | the sign-ins and refreshes of this run, and what changed |

pub mod conformance;
pub mod history;
mod introspect;
mod pasted;
mod provider;
mod revoke;

pub use introspect::Introspection;
pub use pasted::{decode_pasted, KeySource, VerifyError};
pub use provider::{KeysUnavailable, ProviderKeys};
pub use revoke::RevokeOutcome;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::ProfileError;
use crate::protocol::binding::{self, certificate_binding};
use crate::protocol::discovery::{self, DiscoveryError, ProviderMetadata};
use crate::protocol::jwks::{JwkSet, HMAC_ALGS};
use crate::protocol::jwt::{decode_unverified, UnverifiedJwt};
use crate::protocol::token::TokenKind;
use crate::protocol::validate::{
    validate_id_token, Expectations, NonceRule, SharedSecret, ValidationReport,
};
use crate::protocol::verify::{verify_jwt, VerifyOptions};
use crate::seams::clock::UnixTime;
use crate::seams::http::HttpError;
use crate::seams::lock::LockError;
use crate::seams::store::StoreError;
use crate::secret::SecretString;
use crate::session::Session;

/// Which key verified a signature, or why none did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureStatus {
    /// Whether the signature verified.
    pub verified: bool,
    /// The `alg` the header claims, e.g. `RS256`.
    pub alg: String,
    /// The `kid` the header names, if any; it picks the key to try.
    pub kid: Option<String>,
    /// The key that verified it: "kid-1 (RSA 2048)".
    pub key: Option<String>,
    /// The signature row's detail.
    pub detail: String,
}

/// A decoded JWT and, when it was checked, its report.
#[derive(Debug, Clone)]
pub struct JwtInspection {
    /// Every header member, not only the ones Tessera reads.
    pub header: Map<String, Value>,
    /// Every payload claim; trusted only as far as `report` says.
    pub claims: Map<String, Value>,
    /// `None` when only decoded.
    pub signature: Option<SignatureStatus>,
    /// `None` when only decoded.
    pub report: Option<ValidationReport>,
    /// What it was checked against, e.g. "the JWKS of profile local".
    pub checked_against: Option<String>,
}

impl JwtInspection {
    /// Decoded only: nothing about it is trusted.
    pub fn decoded(jwt: &UnverifiedJwt) -> Self {
        Self {
            header: jwt.header_json.clone(),
            claims: jwt.claims.clone(),
            signature: None,
            report: None,
            checked_against: None,
        }
    }

    /// Decoded and checked; `against` names what it was checked against, for display.
    pub fn checked(jwt: &UnverifiedJwt, report: ValidationReport, against: String) -> Self {
        let signature =
            report
                .checks
                .iter()
                .find(|c| c.id == "signature")
                .map(|c| SignatureStatus {
                    verified: c.passed,
                    alg: jwt.header.alg.clone(),
                    kid: jwt.header.kid.clone(),
                    key: report.verified_by.clone(),
                    detail: c.detail.clone(),
                });
        Self {
            signature,
            report: Some(report),
            checked_against: Some(against),
            ..Self::decoded(jwt)
        }
    }
}

/// How a token is shaped.
#[derive(Debug, Clone)]
pub enum TokenFormat {
    /// A JWS: decoded, and checked where Tessera knows what to expect.
    Jwt(Box<JwtInspection>),
    /// Anything else: only the provider can say what it means (introspection).
    Opaque {
        /// Length in bytes, which for the usual ASCII token is its character count.
        length: usize,
    },
}

/// One token of a session, without its value.
#[derive(Debug, Clone)]
pub struct TokenInspection {
    /// Which of the session's tokens this is.
    pub kind: TokenKind,
    /// Decoded parts and checks for a JWT, or only the length for an opaque token.
    pub format: TokenFormat,
    /// When it expires: `exp` for a JWT, the token response's `expires_in`
    /// for the access token.
    pub expires_at: Option<UnixTime>,
    /// When it was issued (`iat`, or when Tessera received it).
    pub issued_at: Option<UnixTime>,
    /// The first 12 hex digits of its SHA-256.
    pub fingerprint: String,
    /// The provider can introspect it.
    pub introspectable: bool,
    /// The provider can revoke it.
    pub revocable: bool,
}

/// Everything about a session except the token values.
#[derive(Debug, Clone)]
pub struct SessionInspection {
    /// The issuer the session's tokens came from.
    pub issuer: String,
    /// The client id the tokens were issued to.
    pub client_id: String,
    /// `token_type` from the token response, usually `Bearer`.
    pub token_type: String,
    /// Scopes granted to the session.
    pub scopes: Vec<String>,
    /// When the current tokens arrived.
    pub obtained_at: UnixTime,
    /// When the user signed in.
    pub signed_in_at: UnixTime,
    /// When a running host refreshes ahead of expiry.
    pub refresh_at: Option<UnixTime>,
    /// ID, access, refresh: the ones present.
    pub tokens: Vec<TokenInspection>,
    /// Why signatures went unchecked (keys unreachable), if they did.
    pub keys_error: Option<String>,
}

/// Why inspecting, revealing, introspecting or revoking a session's token failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InspectError {
    /// No session is stored.
    #[error("profile \"{0}\" is not signed in; sign in first")]
    NotSignedIn(String),
    /// The session lacks the token asked for.
    #[error("the session of profile \"{profile}\" has no {token}")]
    NoToken {
        /// The profile whose session lacks the token.
        profile: String,
        /// "refresh token", "ID token".
        token: &'static str,
    },
    /// ID tokens are outside RFC 7009 and RFC 7662.
    #[error("an ID token cannot be {0} (RFC 7009 and RFC 7662 cover access and refresh tokens); decode and verify it instead")]
    IdTokenNotApplicable(&'static str),
    /// The provider lacks the endpoint.
    #[error("the provider of profile \"{profile}\" has no {endpoint} endpoint")]
    NoEndpoint {
        /// The profile whose provider lacks the endpoint.
        profile: String,
        /// `revocation` or `introspection`.
        endpoint: &'static str,
    },
    /// The provider does not let this client revoke its tokens.
    #[error("the provider of profile \"{profile}\" does not let this client revoke its tokens (HTTP {status}); the session is kept, and the token ends when it expires")]
    RevocationRefused {
        /// The profile whose token was being revoked.
        profile: String,
        /// The revocation endpoint's status, 401 or 403 (or 400 `invalid_client`).
        status: u16,
    },
    /// The session was issued for another provider or client than the
    /// profile now names: its tokens are not sent to this one.
    #[error("the session of profile \"{0}\" was issued for a different issuer or client than the profile now names, so its tokens are not sent there; sign in again")]
    ProfileChanged(String),
    /// The profile is missing or invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The provider's metadata could not be had.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The provider's endpoint failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Reading the session or client secret from the keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another process holds the profile's lock.
    #[error(transparent)]
    Lock(#[from] LockError),
}

impl From<crate::session::credentials::CredentialsError> for InspectError {
    fn from(e: crate::session::credentials::CredentialsError) -> Self {
        use crate::session::credentials::CredentialsError;
        match e {
            CredentialsError::Profile(e) => Self::Profile(e),
            CredentialsError::Store(e) => Self::Store(e),
            CredentialsError::Http(e) => Self::Http(e),
        }
    }
}

impl EngineError for InspectError {
    fn kind(&self) -> ErrorKind {
        match self {
            InspectError::NotSignedIn(_) => ErrorKind::NotSignedIn,
            InspectError::ProfileChanged(_) => ErrorKind::SessionExpired,
            InspectError::NoToken { .. } | InspectError::IdTokenNotApplicable(_) => {
                ErrorKind::InvalidInput
            }
            InspectError::NoEndpoint { .. } | InspectError::RevocationRefused { .. } => {
                ErrorKind::Unsupported
            }
            InspectError::Profile(e) => e.kind(),
            InspectError::Discovery(e) => e.kind(),
            InspectError::Http(e) => e.kind(),
            InspectError::Store(e) => e.kind(),
            InspectError::Lock(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            InspectError::NotSignedIn(p)
            | InspectError::ProfileChanged(p)
            | InspectError::NoToken { profile: p, .. } => ErrorFacts::profile(p),
            InspectError::NoEndpoint { profile, endpoint } => ErrorFacts {
                profile: Some(profile.clone()),
                endpoint: Some(format!("{endpoint} endpoint")),
                ..ErrorFacts::default()
            },
            InspectError::RevocationRefused { profile, .. } => ErrorFacts {
                profile: Some(profile.clone()),
                endpoint: Some("revocation endpoint".into()),
                ..ErrorFacts::default()
            },
            InspectError::Profile(e) => e.facts(),
            InspectError::Discovery(e) => e.facts(),
            InspectError::Http(e) => e.facts(),
            InspectError::Store(e) => e.facts(),
            InspectError::Lock(e) => e.facts(),
            InspectError::IdTokenNotApplicable(_) => ErrorFacts::default(),
        }
    }
}

/// The first 12 hex digits of a token's SHA-256.
pub fn fingerprint(token: &SecretString) -> String {
    let digest = Sha256::digest(token.expose().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

impl Engine {
    /// Inspects every token of a profile's session: decoded parts, the ID
    /// token re-validated now against the provider's keys, a JWT access
    /// token verified as one, and which endpoints apply to each.
    pub async fn inspect_session(&self, profile: &str) -> Result<SessionInspection, InspectError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Inspect,
                Some(profile),
                self.inspect_session_untraced(profile),
            )
            .await
    }

    async fn inspect_session_untraced(
        &self,
        profile: &str,
    ) -> Result<SessionInspection, InspectError> {
        let profile = self.profile(Some(profile))?;
        let name = profile.name.clone();
        let session = self
            .stored_session(&name)
            .await?
            .ok_or_else(|| InspectError::NotSignedIn(name.clone()))?;
        let http = self.http_for_profile(&profile, None).await?;
        // Inspection works offline too: without metadata, tokens are still
        // decoded and the reason signatures went unchecked is shown.
        let (meta, mut keys_error) =
            match discovery::resolve(&http, &self.cache(), &profile.provider()).await {
                Ok(m) => (Some(m), None),
                Err(e) => (None, Some(e.to_string())),
            };
        let keys = match &meta {
            Some(m) => match discovery::fetch_jwks(&http, &self.cache(), m, false).await {
                Ok(k) => Some(k),
                Err(e) => {
                    keys_error = Some(e.to_string());
                    None
                }
            },
            None => None,
        };
        let secret = if HMAC_ALGS.iter().any(|a| session_uses_alg(&session, a)) {
            self.client_secret(&profile).await?
        } else {
            None
        };
        let now = self.now();
        let dpop_key = if profile.dpop && session.token_type.eq_ignore_ascii_case("dpop") {
            Some(self.dpop_key(&profile).await?.thumbprint())
        } else {
            None
        };
        let context = Context {
            dpop_key: dpop_key.as_deref(),
            meta: meta.as_ref(),
            keys: keys.as_ref(),
            secret: secret.as_ref(),
            profile: &name,
            tenants: &profile.tenants,
            certificate: profile.presented_certificate(),
            now,
        };
        let mut tokens = Vec::new();
        if let Some(id) = &session.id_token {
            tokens.push(inspect_id_token(&session, id, &context));
        }
        tokens.push(inspect_access_token(&session, &context));
        if let Some(rt) = &session.refresh_token {
            tokens.push(inspect_opaque_or_jwt(TokenKind::Refresh, rt, &context));
        }
        Ok(SessionInspection {
            issuer: session.issuer.clone(),
            client_id: session.client_id.clone(),
            token_type: session.token_type.clone(),
            scopes: session.scopes.clone(),
            obtained_at: session.obtained_at,
            signed_in_at: session.signed_in_at,
            refresh_at: session.refresh_at(),
            tokens,
            keys_error,
        })
    }

    /// One token's value, for an explicit "reveal" or "copy" by the user.
    pub async fn reveal_token(
        &self,
        profile: &str,
        kind: TokenKind,
    ) -> Result<SecretString, InspectError> {
        let session = self
            .stored_session(profile)
            .await?
            .ok_or_else(|| InspectError::NotSignedIn(profile.to_string()))?;
        pick(&session, kind).cloned().ok_or(InspectError::NoToken {
            profile: profile.to_string(),
            token: kind.noun(),
        })
    }
}

pub(super) fn pick(session: &Session, kind: TokenKind) -> Option<&SecretString> {
    match kind {
        TokenKind::Id => session.id_token.as_ref(),
        TokenKind::Access => Some(&session.access_token),
        TokenKind::Refresh => session.refresh_token.as_ref(),
    }
}

fn session_uses_alg(session: &Session, alg: &str) -> bool {
    [session.id_token.as_ref(), Some(&session.access_token)]
        .into_iter()
        .flatten()
        .filter_map(|t| decode_unverified(t.expose()).ok())
        .any(|jwt| jwt.header.alg == alg)
}

struct Context<'a> {
    meta: Option<&'a ProviderMetadata>,
    keys: Option<&'a JwkSet>,
    secret: Option<&'a SecretString>,
    profile: &'a str,
    tenants: &'a [String],
    /// `x5t#S256` of the certificate the profile presents (mutual TLS).
    certificate: Option<&'a str>,
    /// The thumbprint of the profile's DPoP key, when it binds with DPoP.
    dpop_key: Option<&'a str>,
    now: UnixTime,
}

impl Context<'_> {
    fn introspectable(&self) -> bool {
        self.meta
            .is_some_and(|m| m.introspection_endpoint.is_some())
    }
    fn revocable(&self) -> bool {
        self.meta.is_some_and(|m| m.revocation_endpoint.is_some())
    }
    fn shared_secret(&self) -> Option<SharedSecret<'_>> {
        let advertised = self.meta.map_or(&[][..], |m| {
            m.id_token_signing_alg_values_supported.as_slice()
        });
        SharedSecret::new(self.secret, advertised)
    }
    fn against(&self) -> String {
        format!("the JWKS and issuer of profile {}", self.profile)
    }
}

fn inspect_id_token(session: &Session, id: &SecretString, cx: &Context<'_>) -> TokenInspection {
    let format = match decode_unverified(id.expose()) {
        Ok(jwt) => match cx.keys {
            Some(keys) => {
                let report = validate_id_token(
                    &jwt,
                    keys,
                    &Expectations {
                        issuer: cx
                            .meta
                            .map_or(session.issuer.as_str(), |m| m.issuer.as_str()),
                        client_id: &session.client_id,
                        nonce: NonceRule::CheckedOnReceipt,
                        now: cx.now,
                        shared_secret: cx.shared_secret(),
                        access_token: Some(&session.access_token),
                        max_age: None,
                        acr_values: None,
                        allowed_tenants: cx.tenants,
                        original: None,
                    },
                );
                TokenFormat::Jwt(Box::new(JwtInspection::checked(&jwt, report, cx.against())))
            }
            None => TokenFormat::Jwt(Box::new(JwtInspection::decoded(&jwt))),
        },
        Err(_) => TokenFormat::Opaque {
            length: id.expose().len(),
        },
    };
    let (expires_at, issued_at) = jwt_times(&format);
    TokenInspection {
        kind: TokenKind::Id,
        format,
        expires_at,
        issued_at,
        fingerprint: fingerprint(id),
        introspectable: false,
        revocable: false,
    }
}

fn inspect_access_token(session: &Session, cx: &Context<'_>) -> TokenInspection {
    let mut t = inspect_opaque_or_jwt(TokenKind::Access, &session.access_token, cx);
    // The token response's expires_in is what Tessera acts on; a JWT's own
    // exp is shown in its claims.
    t.expires_at = session.expires_at.or(t.expires_at);
    t.issued_at = t.issued_at.or(Some(session.obtained_at));
    t
}

fn inspect_opaque_or_jwt(
    kind: TokenKind,
    token: &SecretString,
    cx: &Context<'_>,
) -> TokenInspection {
    let format = match decode_unverified(token.expose()) {
        Ok(jwt) => match cx.keys {
            Some(keys) => {
                let mut report = verify_jwt(
                    &jwt,
                    keys,
                    &VerifyOptions {
                        noun: kind.noun(),
                        issuer: cx.meta.map(|m| m.issuer.as_str()),
                        audience: None,
                        now: cx.now,
                        shared_secret: cx.shared_secret(),
                    },
                );
                if kind == TokenKind::Access {
                    report
                        .checks
                        .extend(certificate_binding(&jwt.claims, cx.certificate));
                    if let Some(thumbprint) = cx.dpop_key {
                        report.push(binding::dpop_binding("DPoP", Some(&jwt.claims), thumbprint));
                    }
                }
                TokenFormat::Jwt(Box::new(JwtInspection::checked(&jwt, report, cx.against())))
            }
            None => TokenFormat::Jwt(Box::new(JwtInspection::decoded(&jwt))),
        },
        Err(_) => TokenFormat::Opaque {
            length: token.expose().chars().count(),
        },
    };
    let (expires_at, issued_at) = jwt_times(&format);
    TokenInspection {
        kind,
        format,
        expires_at,
        issued_at,
        fingerprint: fingerprint(token),
        introspectable: cx.introspectable(),
        revocable: cx.revocable(),
    }
}

fn jwt_times(format: &TokenFormat) -> (Option<UnixTime>, Option<UnixTime>) {
    match format {
        TokenFormat::Jwt(j) => (
            j.claims
                .get("exp")
                .and_then(crate::protocol::jwt::numeric_date),
            j.claims
                .get("iat")
                .and_then(crate::protocol::jwt::numeric_date),
        ),
        TokenFormat::Opaque { .. } => (None, None),
    }
}
