//! Signing out.
//!
//! Logout revokes first (when asked) and deletes the local session only after
//! revocation succeeded: a token Tessera no longer holds can never be revoked.
//! RP-initiated logout opens the provider's end-session page in the browser.
//!
//! | stored session | revoke asked | revocation      | result                                   |
//! |----------------|--------------|-----------------|------------------------------------------|
//! | none           | –            | –               | nothing to do (`was_signed_in: false`)   |
//! | present        | no           | –               | session deleted                          |
//! | present        | yes          | succeeds        | tokens revoked, session deleted          |
//! | present        | yes          | fails / no endpoint | error; the session is kept, to retry |
//!
//! End-session (when asked) opens the browser after revocation and before
//! the local delete; a browser failure also keeps the session.

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::ProfileError;
use crate::protocol::discovery;
use crate::protocol::discovery::DiscoveryError;
use crate::protocol::token::{self, TokenKind};
use crate::seams::browser::BrowserError;
use crate::seams::browser::BrowserLauncher;
use crate::seams::events::{SessionChange, SessionEvent};
use crate::seams::http::HttpError;
use crate::seams::lock::LockError;
use crate::seams::store::StoreError;
use crate::session::binding::bound_to;

/// What logout should do besides deleting the local session.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogoutOptions {
    /// Revoke the refresh and access tokens (RFC 7009).
    pub revoke: bool,
    /// Open the provider's end-session page.
    pub end_session: bool,
}

/// What [`Engine::logout`] did; all empty when there was no session.
#[derive(Debug, Clone, Default)]
pub struct LogoutOutcome {
    /// Whether there was a session.
    pub was_signed_in: bool,
    /// Tokens revoked at the provider.
    pub revoked: Vec<TokenKind>,
    /// The end-session endpoint opened (no query: it carries the ID token).
    pub end_session_opened: Option<String>,
}

/// Why signing out failed. The session is then still stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogoutError {
    /// The provider lacks the endpoint asked for.
    #[error("the provider of profile \"{profile}\" has no {endpoint} endpoint; sign out on this device only")]
    NoEndpoint {
        /// The profile being signed out.
        profile: String,
        /// `revocation` or `end_session`.
        endpoint: &'static str,
    },
    /// The provider does not let this client revoke its tokens.
    #[error("the provider of profile \"{profile}\" does not let this client revoke its tokens (HTTP {status}); the session is kept: sign out on this device only, and the tokens end when they expire")]
    RevocationRefused {
        /// The profile that was being signed out.
        profile: String,
        /// The revocation endpoint's status, 401 or 403 (or 400 `invalid_client`).
        status: u16,
    },
    /// The session was issued for another provider or client than the
    /// profile now names: its tokens are not sent to this one.
    #[error("the session of profile \"{0}\" was issued for a different issuer or client than the profile now names, so its tokens are not sent there; sign out on this device only")]
    ProfileChanged(String),
    /// The profile is missing or invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The provider's metadata could not be had.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// Revoking a token failed, or the HTTP client could not be set up (bad `ca_file`).
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Reading the session or client secret from the keyring, or deleting the session, failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another process holds the profile's lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The end-session page could not be opened.
    #[error(transparent)]
    Browser(#[from] BrowserError),
}

impl EngineError for LogoutError {
    fn kind(&self) -> ErrorKind {
        match self {
            LogoutError::NoEndpoint { .. } | LogoutError::RevocationRefused { .. } => {
                ErrorKind::Unsupported
            }
            LogoutError::ProfileChanged(_) => ErrorKind::SessionExpired,
            LogoutError::Profile(e) => e.kind(),
            LogoutError::Discovery(e) => e.kind(),
            LogoutError::Http(e) => e.kind(),
            LogoutError::Store(e) => e.kind(),
            LogoutError::Lock(e) => e.kind(),
            LogoutError::Browser(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            LogoutError::NoEndpoint { profile, endpoint } => ErrorFacts {
                profile: Some(profile.clone()),
                endpoint: Some(format!("{endpoint} endpoint")),
                ..ErrorFacts::default()
            },
            LogoutError::RevocationRefused { profile, .. } => ErrorFacts {
                profile: Some(profile.clone()),
                endpoint: Some("revocation endpoint".into()),
                ..ErrorFacts::default()
            },
            LogoutError::ProfileChanged(profile) => ErrorFacts::profile(profile),
            LogoutError::Profile(e) => e.facts(),
            LogoutError::Discovery(e) => e.facts(),
            LogoutError::Http(e) => e.facts(),
            LogoutError::Store(e) => e.facts(),
            LogoutError::Lock(e) => e.facts(),
            LogoutError::Browser(e) => e.facts(),
        }
    }
}

impl Engine {
    /// Signs out of a profile.
    pub async fn logout(
        &self,
        profile: Option<&str>,
        options: LogoutOptions,
        browser: &dyn BrowserLauncher,
    ) -> Result<LogoutOutcome, LogoutError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::SignOut,
                profile,
                self.logout_untraced(profile, options, browser),
            )
            .await
    }

    async fn logout_untraced(
        &self,
        profile: Option<&str>,
        options: LogoutOptions,
        browser: &dyn BrowserLauncher,
    ) -> Result<LogoutOutcome, LogoutError> {
        let profile = self.profile(profile)?;
        let name = profile.name.clone();
        let _lock = self.lock(&name).await?;
        let Some(session) = self.read_session(&name).await? else {
            return Ok(LogoutOutcome::default());
        };
        let mut outcome = LogoutOutcome {
            was_signed_in: true,
            ..LogoutOutcome::default()
        };
        if (options.revoke || options.end_session) && !bound_to(&session, &profile) {
            return Err(LogoutError::ProfileChanged(name));
        }
        if options.revoke || options.end_session {
            let http = self.http_for_profile(&profile, None).await?;
            let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
            if options.revoke {
                let endpoint =
                    meta.revocation_endpoint
                        .as_deref()
                        .ok_or(LogoutError::NoEndpoint {
                            profile: name.clone(),
                            endpoint: "revocation",
                        })?;
                let url = meta.url(endpoint)?;
                let credentials = self.credentials(&profile, None, None, &meta).await?;
                let refused = |e: HttpError| match token::revocation_refused(&e) {
                    Some(status) => LogoutError::RevocationRefused {
                        profile: name.clone(),
                        status,
                    },
                    None => LogoutError::Http(e),
                };
                if let Some(rt) = &session.refresh_token {
                    token::revoke(&http, url.clone(), &credentials, rt, TokenKind::Refresh)
                        .await
                        .map_err(refused)?;
                    outcome.revoked.push(TokenKind::Refresh);
                }
                token::revoke(
                    &http,
                    url,
                    &credentials,
                    &session.access_token,
                    TokenKind::Access,
                )
                .await
                .map_err(refused)?;
                outcome.revoked.push(TokenKind::Access);
            }
            if options.end_session {
                let endpoint =
                    meta.end_session_endpoint
                        .as_deref()
                        .ok_or(LogoutError::NoEndpoint {
                            profile: name.clone(),
                            endpoint: "end_session",
                        })?;
                let base = meta.url(endpoint)?;
                let url = token::end_session_url(
                    &base,
                    session.id_token.as_ref(),
                    &profile.client_id,
                    profile.post_logout_redirect_uri.as_deref(),
                );
                browser.open(url.as_str())?;
                outcome.end_session_opened = Some(crate::seams::http::redact_url(&base));
            }
        }
        let owned = name.clone();
        self.with_sessions(move |sessions| sessions.delete(&owned))
            .await?;
        self.held().release(&name);
        self.publish(SessionEvent {
            profile: name,
            change: SessionChange::SignedOut,
            obtained_at: None,
        });
        Ok(outcome)
    }
}
