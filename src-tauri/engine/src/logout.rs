//! Signing out and introspection.
//!
//! Logout revokes first (when asked) and deletes the local session only after
//! revocation succeeded: a token Tessera no longer holds can never be revoked.
//! RP-initiated logout opens the provider's end-session page in the browser.

use serde_json::{Map, Value};

use crate::browser::BrowserLauncher;
use crate::discovery;
use crate::engine::{Engine, SessionError};
use crate::session::SessionStore;
use crate::token::{self, TokenKind};

/// What logout should do besides deleting the local session.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogoutOptions {
    /// Revoke the refresh and access tokens (RFC 7009).
    pub revoke: bool,
    /// Open the provider's end-session page.
    pub end_session: bool,
}

/// What logout did.
#[derive(Debug, Clone, Default)]
pub struct LogoutOutcome {
    /// Whether there was a session.
    pub was_signed_in: bool,
    /// Tokens revoked at the provider.
    pub revoked: Vec<TokenKind>,
    /// The end-session endpoint opened (no query: it carries the ID token).
    pub end_session_opened: Option<String>,
}

impl Engine {
    /// Signs out of a profile.
    pub async fn logout(
        &self,
        profile: Option<&str>,
        options: LogoutOptions,
        browser: &dyn BrowserLauncher,
    ) -> Result<LogoutOutcome, SessionError> {
        let profile = self.profile(profile)?;
        let name = profile.name.clone();
        let _lock = self.lock(&name).await?;
        let Some(session) = self.stored_session(&name).await? else {
            return Ok(LogoutOutcome::default());
        };
        let mut outcome = LogoutOutcome {
            was_signed_in: true,
            ..LogoutOutcome::default()
        };
        if options.revoke || options.end_session {
            let http = self.http_for(&profile)?;
            let meta = discovery::resolve(&http, &self.cache(), &profile).await?;
            if options.revoke {
                let endpoint =
                    meta.revocation_endpoint
                        .as_deref()
                        .ok_or(SessionError::NoEndpoint {
                            profile: name.clone(),
                            endpoint: "revocation",
                        })?;
                let url = meta.url(endpoint)?;
                let credentials = self.credentials(&profile, None).await?;
                if let Some(rt) = &session.refresh_token {
                    token::revoke(&http, url.clone(), &credentials, rt, TokenKind::Refresh).await?;
                    outcome.revoked.push(TokenKind::Refresh);
                }
                token::revoke(
                    &http,
                    url,
                    &credentials,
                    &session.access_token,
                    TokenKind::Access,
                )
                .await?;
                outcome.revoked.push(TokenKind::Access);
            }
            if options.end_session {
                let endpoint =
                    meta.end_session_endpoint
                        .as_deref()
                        .ok_or(SessionError::NoEndpoint {
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
                outcome.end_session_opened = Some(crate::http::redact_url(&base));
            }
        }
        let owned = name.clone();
        self.with_store(move |store| SessionStore::new(store).delete(&owned))
            .await?;
        Ok(outcome)
    }

    /// RFC 7662 introspection of the session's access or refresh token.
    pub async fn introspect(
        &self,
        profile: Option<&str>,
        kind: TokenKind,
    ) -> Result<Map<String, Value>, SessionError> {
        let profile = self.profile(profile)?;
        let name = profile.name.clone();
        let session = self
            .stored_session(&name)
            .await?
            .ok_or_else(|| SessionError::NotSignedIn(name.clone()))?;
        let token = match kind {
            TokenKind::Access => session.access_token.clone(),
            TokenKind::Refresh => {
                session
                    .refresh_token
                    .clone()
                    .ok_or_else(|| SessionError::NoToken {
                        profile: name.clone(),
                        token: kind.noun(),
                    })?
            }
            // RFC 7662 covers access and refresh tokens; an ID token is
            // inspected by decoding and validating it instead.
            TokenKind::Id => {
                return Err(SessionError::NoEndpoint {
                    profile: name,
                    endpoint: "ID token introspection",
                })
            }
        };
        let http = self.http_for(&profile)?;
        let meta = discovery::resolve(&http, &self.cache(), &profile).await?;
        let endpoint = meta
            .introspection_endpoint
            .as_deref()
            .ok_or(SessionError::NoEndpoint {
                profile: name.clone(),
                endpoint: "introspection",
            })?;
        let credentials = self.credentials(&profile, None).await?;
        Ok(token::introspect(&http, meta.url(endpoint)?, &credentials, &token, kind).await?)
    }
}
