//! Getting a usable access token, refreshing when needed.
//!
//! [`Engine::access_token`] is the decision table hosts rely on:
//!
//! | stored session | access token        | refresh token | result                         |
//! |----------------|---------------------|---------------|--------------------------------|
//! | none           | –                   | –             | `NotSignedIn`                  |
//! | present        | > 30 s left         | –             | the stored session, no network |
//! | present        | ≤ 30 s left/expired | present       | refresh, then the new session  |
//! | present        | ≤ 30 s left/expired | absent        | `Expired`: sign in again       |
//!
//! A refresh runs under the profile's cross-process lock and re-reads the
//! session once it holds it, so when the desktop app and the command line race,
//! only one spends the refresh token and the other uses its result. A rotated
//! refresh token is written to the keyring the moment it arrives, before the
//! new ID token is checked, because the old one is already dead at the
//! provider. Any failure before that point leaves the stored session untouched.

use serde_json::{Map, Value};

use crate::discovery;
use crate::engine::{Engine, SessionError};
use crate::jwt::decode_unverified;
use crate::login::expiry;
use crate::session::{Session, SessionStore};
use crate::token;
use crate::validate::{Expectations, NonceRule, ValidationReport};

/// A completed refresh.
#[derive(Debug, Clone)]
pub struct RefreshOutcome {
    /// The session now stored.
    pub session: Session,
    /// Whether the provider rotated the refresh token.
    pub rotated: bool,
    /// Checks on the refreshed ID token (empty when none came back).
    pub report: ValidationReport,
    /// False when another process had refreshed already and this one reused it.
    pub refreshed_here: bool,
}

impl Engine {
    /// A session whose access token is valid for at least 30 s more,
    /// refreshing it if needed (see the module's decision table).
    pub async fn access_token(&self, profile: Option<&str>) -> Result<Session, SessionError> {
        let profile = self.profile(profile)?;
        let session = self
            .stored_session(&profile.name)
            .await?
            .ok_or_else(|| SessionError::NotSignedIn(profile.name.clone()))?;
        if !session.needs_refresh(self.now()) {
            return Ok(session);
        }
        Ok(self.refresh_profile(&profile, false).await?.session)
    }

    /// Refreshes now, even if the access token is still valid.
    pub async fn refresh(&self, profile: Option<&str>) -> Result<RefreshOutcome, SessionError> {
        let profile = self.profile(profile)?;
        self.refresh_profile(&profile, true).await
    }

    async fn refresh_profile(
        &self,
        profile: &crate::profile::Profile,
        force: bool,
    ) -> Result<RefreshOutcome, SessionError> {
        let name = profile.name.clone();
        let _lock = self.lock(&name).await?;
        // Re-read under the lock: another process may have refreshed already.
        let session = self
            .stored_session(&name)
            .await?
            .ok_or_else(|| SessionError::NotSignedIn(name.clone()))?;
        if !force && !session.needs_refresh(self.now()) {
            return Ok(RefreshOutcome {
                session,
                rotated: false,
                report: ValidationReport::default(),
                refreshed_here: false,
            });
        }
        let Some(refresh_token) = session.refresh_token.clone() else {
            return Err(SessionError::Expired(name));
        };
        let http = self.http_for(profile)?;
        let meta = discovery::resolve(&http, &self.cache(), profile).await?;
        if meta.issuer != session.issuer || profile.client_id != session.client_id {
            return Err(SessionError::ProfileChanged(name));
        }
        let credentials = self.credentials(profile, None).await?;
        let token_url = meta.token_url()?;
        let tokens = token::refresh(&http, token_url, &credentials, &refresh_token)
            .await
            .map_err(|e| match e.oauth_error() {
                Some("invalid_grant") => SessionError::RefreshRejected {
                    profile: name.clone(),
                    detail: e.to_string(),
                },
                _ => SessionError::Http(e),
            })?;

        let rotated = tokens.refresh_token.is_some();
        if let Some(new_refresh) = &tokens.refresh_token {
            // The old refresh token is spent: keep the new one before anything can fail.
            let mut interim = session.clone();
            interim.refresh_token = Some(new_refresh.clone());
            self.save_session(&name, &interim).await?;
        }

        let mut report = ValidationReport::default();
        let mut claims: Option<Map<String, Value>> = None;
        if let Some(id_token) = &tokens.id_token {
            let jwt = decode_unverified(id_token.expose()).map_err(|e| SessionError::Rejected {
                check: crate::validate::Check::fail(
                    "id_token",
                    "ID token",
                    format!("the refreshed ID token is malformed: {e}"),
                ),
                report: ValidationReport::default(),
            })?;
            let original = session
                .id_token
                .as_ref()
                .and_then(|t| decode_unverified(t.expose()).ok());
            let expect = Expectations {
                issuer: &session.issuer,
                client_id: &session.client_id,
                nonce: NonceRule::Refresh,
                now: self.now(),
                client_secret: credentials.secret.as_ref(),
                access_token: Some(&tokens.access_token),
                max_age: None,
                original: original.as_ref(),
            };
            report = self
                .validate_with_key_rotation(&http, &meta, &jwt, &expect)
                .await?;
            if let Some(check) = report.first_failure().cloned() {
                return Err(SessionError::Rejected { check, report });
            }
            claims = Some(jwt.claims);
        }

        let now = self.now();
        let new_session = Session {
            token_type: tokens.token_type.clone(),
            access_token: tokens.access_token.clone(),
            refresh_token: tokens
                .refresh_token
                .clone()
                .or(session.refresh_token.clone()),
            id_token: tokens.id_token.clone().or(session.id_token.clone()),
            expires_at: expiry(now, &tokens),
            scopes: tokens.granted_scopes(&session.scopes),
            obtained_at: now,
            subject: claims
                .as_ref()
                .and_then(|c| c.get("sub").and_then(Value::as_str))
                .map(str::to_owned)
                .unwrap_or(session.subject.clone()),
            ..session
        };
        self.save_session(&name, &new_session).await?;
        Ok(RefreshOutcome {
            session: new_session,
            rotated,
            report,
            refreshed_here: true,
        })
    }

    pub(crate) async fn save_session(
        &self,
        profile: &str,
        session: &Session,
    ) -> Result<(), SessionError> {
        let name = profile.to_string();
        let session = session.clone();
        self.with_store(move |store| SessionStore::new(store).save(&name, &session))
            .await?;
        Ok(())
    }
}
