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
//! | present (client credentials) | ≤ 30 s left/expired | – | a new token with the same grant |
//!
//! A refresh runs under the profile's cross-process lock and re-reads the
//! session once it holds it, so when the desktop app and the command line race,
//! only one spends the refresh token and the other uses its result. A rotated
//! refresh token is written to the keyring the moment it arrives, before the
//! new ID token is checked, because the old one is already dead at the
//! provider. Any failure before that point leaves the stored session untouched.

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::{Grant, ProfileError};
use crate::protocol::discovery;
use crate::protocol::discovery::DiscoveryError;
use crate::protocol::jwt::decode_unverified;
use crate::protocol::token;
use crate::protocol::validate::Check;
use crate::protocol::validate::{Expectations, NonceRule, SharedSecret, ValidationReport};
use crate::seams::events::{SessionChange, SessionEvent};
use crate::seams::http::HttpError;
use crate::seams::lock::LockError;
use crate::seams::operations::OperationKind;
use crate::seams::store::StoreError;
use crate::session::binding::bound_to;
use crate::session::login::{dpop_binding_row, expiry};
use crate::session::{Session, SessionStore};

/// What [`Engine::refresh`] returns: the session now stored, and how it came about.
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

/// Why no valid access token could be had, or a refresh failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// No session is stored.
    #[error("profile \"{0}\" is not signed in; sign in first")]
    NotSignedIn(String),
    /// The access token expired and there is no refresh token.
    #[error("the access token of profile \"{0}\" has expired and there is no refresh token; sign in again")]
    Expired(String),
    /// The provider refused the refresh token.
    #[error("the provider rejected the refresh token of profile \"{profile}\" ({detail}); sign in again")]
    RefreshRejected {
        /// The profile whose refresh token was refused.
        profile: String,
        /// The token endpoint's error.
        detail: String,
    },
    /// The refreshed ID token failed a check (OIDC Core §12.2).
    #[error("{}", .check.detail)]
    Rejected {
        /// The first failing check, whose detail is the error message.
        check: Check,
        /// Every check made on the refreshed ID token, passing ones included.
        report: ValidationReport,
    },
    /// The provider rotated the refresh token and the keyring refused it.
    #[error("the provider issued a new refresh token for profile \"{profile}\" but the OS keyring would not store it ({source}); Tessera holds it in memory and stores it once the keyring accepts it, so unlock the keyring; a process that ends before then loses it, and the profile must sign in again")]
    RotatedNotSaved {
        /// The profile whose refresh token was rotated.
        profile: String,
        /// Why the keyring refused.
        #[source]
        source: StoreError,
    },
    /// A service profile could not get a new client credentials token.
    #[error("the provider would not issue a new token for profile \"{profile}\" ({detail}); check the client's credentials")]
    RenewalRefused {
        /// The service profile.
        profile: String,
        /// What the token endpoint said.
        detail: String,
    },
    /// The stored session belongs to another issuer or client than the profile.
    #[error("the session of profile \"{0}\" was issued for a different issuer or client than the profile now names; sign in again")]
    ProfileChanged(String),
    /// The profile is missing or invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The provider's metadata could not be had.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The token endpoint failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Reading or storing the session or client secret in the keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another process holds the profile's lock.
    #[error(transparent)]
    Lock(#[from] LockError),
}

impl EngineError for RefreshError {
    fn kind(&self) -> ErrorKind {
        match self {
            RefreshError::NotSignedIn(_) => ErrorKind::NotSignedIn,
            RefreshError::Expired(_)
            | RefreshError::RefreshRejected { .. }
            | RefreshError::ProfileChanged(_) => ErrorKind::SessionExpired,
            RefreshError::Rejected { .. } => ErrorKind::ValidationFailed,
            RefreshError::RenewalRefused { .. } => ErrorKind::ClientRejected,
            RefreshError::RotatedNotSaved { source, .. } => source.kind(),
            RefreshError::Profile(e) => e.kind(),
            RefreshError::Discovery(e) => e.kind(),
            RefreshError::Http(e) => e.kind(),
            RefreshError::Store(e) => e.kind(),
            RefreshError::Lock(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            RefreshError::NotSignedIn(p)
            | RefreshError::Expired(p)
            | RefreshError::ProfileChanged(p)
            | RefreshError::RefreshRejected { profile: p, .. }
            | RefreshError::RenewalRefused { profile: p, .. }
            | RefreshError::RotatedNotSaved { profile: p, .. } => ErrorFacts::profile(p),
            RefreshError::Profile(e) => e.facts(),
            RefreshError::Discovery(e) => e.facts(),
            RefreshError::Http(e) => e.facts(),
            RefreshError::Store(e) => e.facts(),
            RefreshError::Lock(e) => e.facts(),
            RefreshError::Rejected { .. } => ErrorFacts::default(),
        }
    }
}

impl Engine {
    /// A session whose access token is valid for at least 30 s more,
    /// refreshing it if needed (see the module's decision table).
    pub async fn access_token(&self, profile: Option<&str>) -> Result<Session, RefreshError> {
        let profile = self.profile(profile)?;
        let session = self
            .stored_session(&profile.name)
            .await?
            .ok_or_else(|| RefreshError::NotSignedIn(profile.name.clone()))?;
        if !bound_to(&session, &profile) {
            return Err(RefreshError::ProfileChanged(profile.name.clone()));
        }
        if !session.needs_refresh(self.now()) {
            return Ok(session);
        }
        let operations = std::sync::Arc::clone(self.operations());
        let refreshed = operations
            .run(
                OperationKind::Refresh,
                Some(&profile.name),
                self.refresh_profile(&profile, false),
            )
            .await?;
        Ok(refreshed.session)
    }

    /// Refreshes now, even if the access token is still valid.
    pub async fn refresh(&self, profile: Option<&str>) -> Result<RefreshOutcome, RefreshError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Refresh,
                profile,
                self.refresh_untraced(profile),
            )
            .await
    }

    async fn refresh_untraced(
        &self,
        profile: Option<&str>,
    ) -> Result<RefreshOutcome, RefreshError> {
        let profile = self.profile(profile)?;
        self.refresh_profile(&profile, true).await
    }

    async fn refresh_profile(
        &self,
        profile: &crate::profile::Profile,
        force: bool,
    ) -> Result<RefreshOutcome, RefreshError> {
        let name = profile.name.clone();
        let _lock = self.lock(&name).await?;
        // Re-read under the lock: another process may have refreshed already.
        let session = self
            .read_session(&name)
            .await?
            .ok_or_else(|| RefreshError::NotSignedIn(name.clone()))?;
        // Before any token leaves the keyring: the profile may name another
        // provider or client since this session was issued.
        if !bound_to(&session, profile) {
            return Err(RefreshError::ProfileChanged(name));
        }
        if !force && !session.needs_refresh(self.now()) {
            return Ok(RefreshOutcome {
                session,
                rotated: false,
                report: ValidationReport::default(),
                refreshed_here: false,
            });
        }
        let service = profile.grant == Grant::ClientCredentials;
        if session.refresh_token.is_none() && !service {
            return Err(RefreshError::Expired(name));
        }
        let http = self.http_for_profile(profile, None).await?;
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        if meta.issuer != session.issuer || profile.client_id != session.client_id {
            return Err(RefreshError::ProfileChanged(name));
        }
        let Some(refresh_token) = session.refresh_token.clone().filter(|_| !service) else {
            // A service has no refresh token: it asks again with its own credentials.
            let (renewed, report) = self
                .renew_service_token(profile, &session, &http, &meta)
                .await?;
            if let Some(check) = report.first_failure().cloned() {
                return Err(RefreshError::Rejected { check, report });
            }
            self.save_session(&name, &renewed).await?;
            self.publish(SessionEvent {
                profile: name,
                change: SessionChange::Refreshed,
                obtained_at: Some(renewed.obtained_at),
            });
            return Ok(RefreshOutcome {
                session: renewed,
                rotated: false,
                report,
                refreshed_here: true,
            });
        };
        let credentials = self.credentials(profile, None, None, &meta).await?;
        let token_url = meta.token_url()?;
        let tokens = token::refresh(
            &http,
            token_url,
            &credentials,
            &refresh_token,
            &profile.params.resource,
        )
        .await
        .map_err(|e| match e.oauth_error() {
            Some("invalid_grant") => RefreshError::RefreshRejected {
                profile: name.clone(),
                detail: e.to_string(),
            },
            _ => RefreshError::Http(e),
        })?;

        let rotated = tokens.refresh_token.is_some();
        if let Some(new_refresh) = &tokens.refresh_token {
            // The old refresh token is spent: keep the new one before anything can fail.
            let mut interim = session.clone();
            interim.refresh_token = Some(new_refresh.clone());
            if let Err(e) = self.save_rotated(&name, &interim).await {
                // Never lose it: this process keeps it and stores it as soon
                // as the keyring accepts (see `read_session`).
                self.held().hold(&name, SessionStore::encode(&interim));
                return Err(RefreshError::RotatedNotSaved {
                    profile: name,
                    source: e,
                });
            }
        }

        let mut report = ValidationReport::default();
        // A refreshed token stays bound to the profile's DPoP key.
        if let Some(dpop) = &credentials.dpop {
            report.push(dpop_binding_row(&tokens, dpop));
            if let Some(check) = report.first_failure().cloned() {
                return Err(RefreshError::Rejected { check, report });
            }
        }
        let mut claims: Option<Map<String, Value>> = None;
        if let Some(id_token) = &tokens.id_token {
            let jwt = decode_unverified(id_token.expose()).map_err(|e| RefreshError::Rejected {
                check: Check::fail(
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
                shared_secret: SharedSecret::new(
                    credentials.secret.as_ref(),
                    &meta.id_token_signing_alg_values_supported,
                ),
                access_token: Some(&tokens.access_token),
                max_age: None,
                acr_values: None,
                allowed_tenants: &profile.tenants,
                original: original.as_ref(),
            };
            let id_report = self
                .validate_with_key_rotation(&http, &meta, &jwt, &expect)
                .await?;
            report.checks.extend(id_report.checks);
            if let Some(check) = report.first_failure().cloned() {
                return Err(RefreshError::Rejected { check, report });
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
        self.publish(SessionEvent {
            profile: name,
            change: SessionChange::Refreshed,
            obtained_at: Some(new_session.obtained_at),
        });
        Ok(RefreshOutcome {
            session: new_session,
            rotated,
            report,
            refreshed_here: true,
        })
    }

    /// Saves the session with a rotated refresh token, trying a few times:
    /// a keyring that is busy or unlocking a moment later still gets it.
    async fn save_rotated(&self, profile: &str, session: &Session) -> Result<(), StoreError> {
        let mut last = None;
        for wait_ms in [0u64, 250, 750] {
            tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
            match self.save_session(profile, session).await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(StoreError::Locked))
    }
}
