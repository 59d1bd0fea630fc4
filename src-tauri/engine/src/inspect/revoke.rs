//! RFC 7009 revocation of one token of the session. Revoking the refresh
//! token ends the grant, so the local session goes too; revoking the access
//! token marks it spent, so its next use refreshes.

use super::{pick, InspectError};
use crate::engine::Engine;
use crate::protocol::discovery;
use crate::protocol::token::{self, TokenKind};
use crate::seams::events::{SessionChange, SessionEvent};
use crate::session::binding::bound_to;

/// What revoking a token did to the local session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeOutcome {
    /// The refresh token was revoked: the session was deleted.
    SignedOut,
    /// The access token was revoked: it is marked expired, so the next use
    /// refreshes.
    AccessTokenExpired,
}

impl Engine {
    /// Revokes one token at the provider (RFC 7009). Revoking the refresh
    /// token ends the grant, so the local session is deleted too; revoking
    /// the access token marks it expired, so the next use refreshes.
    pub async fn revoke_token(
        &self,
        profile: &str,
        kind: TokenKind,
    ) -> Result<RevokeOutcome, InspectError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Revoke,
                Some(profile),
                self.revoke_token_untraced(profile, kind),
            )
            .await
    }

    async fn revoke_token_untraced(
        &self,
        profile: &str,
        kind: TokenKind,
    ) -> Result<RevokeOutcome, InspectError> {
        let profile = self.profile(Some(profile))?;
        let name = profile.name.clone();
        let _lock = self.lock(&name).await?;
        let mut session = self
            .read_session(&name)
            .await?
            .ok_or_else(|| InspectError::NotSignedIn(name.clone()))?;
        if !bound_to(&session, &profile) {
            return Err(InspectError::ProfileChanged(name));
        }
        if kind == TokenKind::Id {
            return Err(InspectError::IdTokenNotApplicable("revoked"));
        }
        let token = pick(&session, kind).cloned().ok_or(InspectError::NoToken {
            profile: name.clone(),
            token: kind.noun(),
        })?;
        let http = self.http_for_profile(&profile, None).await?;
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        let endpoint = meta
            .revocation_endpoint
            .as_deref()
            .ok_or(InspectError::NoEndpoint {
                profile: name.clone(),
                endpoint: "revocation",
            })?;
        let credentials = self.credentials(&profile, None, None, &meta).await?;
        token::revoke(&http, meta.url(endpoint)?, &credentials, &token, kind)
            .await
            .map_err(|e| match token::revocation_refused(&e) {
                Some(status) => InspectError::RevocationRefused {
                    profile: name.clone(),
                    status,
                },
                None => InspectError::Http(e),
            })?;
        let owned = name.clone();
        if kind == TokenKind::Refresh {
            self.with_sessions(move |sessions| sessions.delete(&owned))
                .await?;
            self.held().release(&name);
            self.publish(SessionEvent {
                profile: name,
                change: SessionChange::SignedOut,
                obtained_at: None,
            });
            return Ok(RevokeOutcome::SignedOut);
        }
        session.expires_at = Some(self.now());
        let obtained_at = session.obtained_at;
        self.with_sessions(move |sessions| sessions.save(&owned, &session))
            .await?;
        self.publish(SessionEvent {
            profile: name,
            change: SessionChange::Refreshed,
            obtained_at: Some(obtained_at),
        });
        Ok(RevokeOutcome::AccessTokenExpired)
    }
}
