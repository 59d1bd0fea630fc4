//! Token exchange (RFC 8693) from a signed-in profile: one of its tokens as
//! the subject, optionally another profile's access token as the actor, for
//! an audience or resource. The issued token is returned, not stored: it is
//! for the caller to use or inspect.
//!
//! | step | failure |
//! |---|---|
//! | the subject: the access token (refreshed when needed), the ID token or the refresh token | `NoSuchToken`, or the refresh's own error |
//! | the actor: the other profile's access token | as for the subject |
//! | the request, with the client's authentication | `invalid_target` → `InvalidTarget`; `unauthorized_client` → `NotAllowed`; `unsupported_grant_type` → `Unsupported`; `invalid_grant` → `SubjectRefused`; `invalid_client` → `ClientAuthRefused`; others → the HTTP error |

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::ProfileError;
use crate::protocol::discovery::{self, DiscoveryError};
use crate::protocol::token::{self, token_type_urn, ExchangeParams, TokenKind};
use crate::seams::http::HttpError;
use crate::seams::store::StoreError;
use crate::secret::SecretString;
use crate::session::refresh::RefreshError;

/// URN of an access token, the only `requested_token_type` most providers issue.
pub const ACCESS_TOKEN_URN: &str = "urn:ietf:params:oauth:token-type:access_token";

/// What to exchange.
#[derive(Debug, Clone)]
pub struct ExchangeRequest {
    /// The signed-in profile whose token is the subject (`None`: the default profile).
    pub profile: Option<String>,
    /// Which of its tokens is the subject.
    pub subject: TokenKind,
    /// A profile whose access token is the actor token.
    pub actor_profile: Option<String>,
    /// `audience` values.
    pub audiences: Vec<String>,
    /// `resource` values.
    pub resources: Vec<String>,
    /// `scope`, space-separated.
    pub scope: Option<String>,
    /// `requested_token_type`, a URN.
    pub requested_token_type: Option<String>,
}

/// The issued token (RFC 8693 §2.2.1).
#[derive(Debug, Clone)]
pub struct ExchangeOutcome {
    /// The profile whose client made the exchange.
    pub profile: String,
    /// The issued token (named `access_token` even when it is another type).
    pub access_token: SecretString,
    /// `issued_token_type`, a URN.
    pub issued_token_type: Option<String>,
    /// `token_type`, e.g. `Bearer` or `N_A`.
    pub token_type: String,
    /// Lifetime in seconds, when given.
    pub expires_in: Option<i64>,
    /// Granted scope, when given.
    pub scope: Option<String>,
}

/// Why a token exchange failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The session has no such token to send.
    #[error("profile \"{profile}\" has no {token} to exchange")]
    NoSuchToken {
        /// The profile.
        profile: String,
        /// "ID token", "refresh token".
        token: &'static str,
    },
    /// The provider refused the audience or resource.
    #[error("the provider refused the target of the exchange (invalid_target{detail}); ask for an audience or resource it knows")]
    InvalidTarget {
        /// The provider's description, as `: …`, or empty.
        detail: String,
    },
    /// The client may not use token exchange.
    #[error("the provider does not let client {client_id} exchange tokens (unauthorized_client); allow the token exchange grant for this client")]
    NotAllowed {
        /// The client id.
        client_id: String,
    },
    /// The provider does not do token exchange at all.
    #[error("the provider does not support token exchange (unsupported_grant_type)")]
    Unsupported,
    /// The provider refused the subject or actor token.
    #[error("the provider refused the token sent for exchange (invalid_grant{detail}); sign in again or send another token")]
    SubjectRefused {
        /// The provider's description, as `: …`, or empty.
        detail: String,
    },
    /// The provider refused the client's authentication.
    #[error("the provider refused the client's authentication for the exchange (invalid_client{detail}); check the client's credentials")]
    ClientAuthRefused {
        /// The provider's description, as `: …`, or empty.
        detail: String,
    },
    /// The subject or actor session could not give a token.
    #[error(transparent)]
    Session(#[from] RefreshError),
    /// The profile is missing or invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The provider's metadata could not be had.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The token endpoint failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EngineError for ExchangeError {
    fn kind(&self) -> ErrorKind {
        match self {
            ExchangeError::NoSuchToken { .. } => ErrorKind::InvalidInput,
            ExchangeError::InvalidTarget { .. } | ExchangeError::SubjectRefused { .. } => {
                ErrorKind::Provider
            }
            ExchangeError::NotAllowed { .. } | ExchangeError::ClientAuthRefused { .. } => {
                ErrorKind::ClientRejected
            }
            ExchangeError::Unsupported => ErrorKind::Unsupported,
            ExchangeError::Session(e) => e.kind(),
            ExchangeError::Profile(e) => e.kind(),
            ExchangeError::Discovery(e) => e.kind(),
            ExchangeError::Http(e) => e.kind(),
            ExchangeError::Store(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            ExchangeError::NoSuchToken { profile, .. } => ErrorFacts::profile(profile),
            ExchangeError::Session(e) => e.facts(),
            ExchangeError::Profile(e) => e.facts(),
            ExchangeError::Discovery(e) => e.facts(),
            ExchangeError::Http(e) => e.facts(),
            ExchangeError::Store(e) => e.facts(),
            _ => ErrorFacts::default(),
        }
    }
}

/// The token endpoint's refusal, as the exchange's own error.
fn refused(e: HttpError, client_id: &str) -> ExchangeError {
    // `error: description`: the description, when there is one.
    let detail = e
        .oauth_detail()
        .and_then(|d| {
            d.split_once(": ")
                .map(|(_, description)| format!(": {description}"))
        })
        .unwrap_or_default();
    match e.oauth_error() {
        Some("invalid_target") => ExchangeError::InvalidTarget { detail },
        Some("unauthorized_client") => ExchangeError::NotAllowed {
            client_id: client_id.to_string(),
        },
        Some("unsupported_grant_type") => ExchangeError::Unsupported,
        Some("invalid_grant") => ExchangeError::SubjectRefused { detail },
        Some("invalid_client") => ExchangeError::ClientAuthRefused { detail },
        _ => ExchangeError::Http(e),
    }
}

impl Engine {
    /// Exchanges one of a signed-in profile's tokens (see the module's table).
    pub async fn exchange(
        &self,
        request: ExchangeRequest,
    ) -> Result<ExchangeOutcome, ExchangeError> {
        let profile = request.profile.clone();
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Exchange,
                profile.as_deref(),
                self.exchange_untraced(request),
            )
            .await
    }

    async fn exchange_untraced(
        &self,
        request: ExchangeRequest,
    ) -> Result<ExchangeOutcome, ExchangeError> {
        let profile = self.profile(request.profile.as_deref())?;
        // The access token comes through the usual path, refreshed when due
        // and refused when the session belongs to another provider or client.
        let session = self.access_token(Some(&profile.name)).await?;
        let no_such = |token| ExchangeError::NoSuchToken {
            profile: profile.name.clone(),
            token,
        };
        let subject = match request.subject {
            TokenKind::Access => session.access_token.clone(),
            TokenKind::Id => session
                .id_token
                .clone()
                .ok_or_else(|| no_such("ID token"))?,
            TokenKind::Refresh => session
                .refresh_token
                .clone()
                .ok_or_else(|| no_such("refresh token"))?,
        };
        let actor = match &request.actor_profile {
            Some(name) => Some((
                self.access_token(Some(name)).await?.access_token,
                token_type_urn(TokenKind::Access),
            )),
            None => None,
        };
        let http = self.http_for_profile(&profile, None).await?;
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        let credentials = self.credentials(&profile, None, None, &meta).await?;
        let params = ExchangeParams {
            subject: Some((subject, token_type_urn(request.subject))),
            actor,
            audiences: request.audiences,
            resources: request.resources,
            scope: request.scope,
            requested_token_type: request.requested_token_type,
        };
        let tokens = token::exchange(&http, meta.token_url()?, &credentials, &params)
            .await
            .map_err(|e| refused(e, &profile.client_id))?;
        Ok(ExchangeOutcome {
            profile: profile.name,
            access_token: tokens.access_token,
            issued_token_type: tokens.issued_token_type,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            scope: tokens.scope,
        })
    }
}
