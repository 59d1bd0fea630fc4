//! The client credentials grant (RFC 6749 §4.4): a service profile's own
//! token, with no user, no ID token and no refresh token.
//!
//! Signing in asks for a token and stores it like any session. Renewal is
//! part of [`Engine::access_token`]'s decision table: a service session
//! whose token is within the refresh margin gets a new one with the same
//! grant, under the profile's cross-process lock, so the desktop app and the
//! command line never ask twice at once.
//!
//! | step | checked |
//! |---|---|
//! | the request | `scope` exactly as the profile gives it (no `openid`), `resource` and `audience` when set |
//! | `token_type` | `Bearer` (the token is sent as a bearer token) |
//! | `expires_in` | present, or a JWT access token's `exp`; else the token is used until an API refuses it |
//! | `scope` | granted scopes compared with those asked for (a warning when fewer) |

use crate::engine::Engine;
use crate::profile::Profile;
use crate::protocol::discovery::{self, ProviderMetadata};
use crate::protocol::report::{Check, ValidationReport};
use crate::protocol::token::{self, ClientCredentials, TokenResponse};
use crate::seams::http::{Deadline, Http, HttpError};
use crate::session::login::{
    dpop_binding_row, expiry, token_error, Completed, LoginError, LoginOutcome, LoginRequest,
};
use crate::session::refresh::RefreshError;
use crate::session::Session;

impl Engine {
    /// Signs a service profile in: one client credentials token, stored.
    pub(crate) async fn login_as_service(
        &self,
        request: LoginRequest<'_>,
    ) -> Result<LoginOutcome, LoginError> {
        let LoginRequest {
            profile,
            client_secret,
            client_key,
            timeout,
            ..
        } = request;
        let http = self
            .http_for_profile(&profile, client_key.as_ref())
            .await?
            .with_deadline(Deadline::after(timeout));
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        let credentials = self
            .credentials(&profile, client_secret.clone(), client_key.clone(), &meta)
            .await?;
        let (tokens, report) = service_token(&http, &meta, &profile, &credentials)
            .await
            .map_err(|e| token_error(e, &profile))?;
        if let Some(check) = report.first_failure().cloned() {
            return Err(LoginError::Rejected { check, report });
        }
        self.complete_sign_in(Completed {
            profile,
            issuer: &meta.issuer,
            tokens: &tokens,
            claims: Default::default(),
            userinfo: None,
            report,
            new_secret: client_secret.as_ref(),
            new_key: client_key.as_ref(),
        })
        .await
    }

    /// A new token for a stored service session (the lock is held). A
    /// provider's refusal is `RenewalRefused`; a keyring or transport failure
    /// keeps its own kind.
    pub(crate) async fn renew_service_token(
        &self,
        profile: &Profile,
        session: &Session,
        http: &Http,
        meta: &ProviderMetadata,
    ) -> Result<(Session, ValidationReport), RefreshError> {
        let credentials = self.credentials(profile, None, None, meta).await?;
        let (tokens, report) = service_token(http, meta, profile, &credentials)
            .await
            .map_err(|e| match e.oauth_error() {
                Some(_) => RefreshError::RenewalRefused {
                    profile: profile.name.clone(),
                    detail: e.to_string(),
                },
                None => RefreshError::Http(e),
            })?;
        let now = self.now();
        Ok((
            Session {
                token_type: tokens.token_type.clone(),
                access_token: tokens.access_token.clone(),
                expires_at: expiry(now, &tokens),
                scopes: tokens.granted_scopes(&profile.scopes),
                obtained_at: now,
                ..session.clone()
            },
            report,
        ))
    }
}

/// Requests the token and checks what a host relies on.
async fn service_token(
    http: &Http,
    meta: &ProviderMetadata,
    profile: &Profile,
    credentials: &ClientCredentials,
) -> Result<(TokenResponse, ValidationReport), HttpError> {
    let tokens = token::client_credentials(
        http,
        meta.token_url()
            .map_err(|e| HttpError::Setup(e.to_string()))?,
        credentials,
        &profile.scopes,
        &profile.params.resource,
        profile.params.audience.as_deref(),
    )
    .await?;
    let mut report = service_report(profile, &tokens);
    if let Some(dpop) = &credentials.dpop {
        report.push(dpop_binding_row(&tokens, dpop));
    }
    Ok((tokens, report))
}

/// The check-by-check report of a client credentials token.
pub fn service_report(profile: &Profile, tokens: &TokenResponse) -> ValidationReport {
    let mut report = ValidationReport::default();
    report.push(Check::pass(
        "client_auth",
        "Client authentication",
        format!(
            "the provider accepted {} for client {}",
            profile.client_auth.as_str(),
            profile.client_id
        ),
    ));
    report.push(if tokens.token_type.eq_ignore_ascii_case("bearer") {
        Check::pass("token_type", "Token type", "Bearer")
    } else {
        Check::warn(
            "token_type",
            "Token type",
            format!(
                "{}: Tessera sends it as the Authorization scheme, which an API may not expect",
                tokens.token_type
            ),
        )
    });
    report.push(match expiry(0, tokens) {
        Some(_) if tokens.expires_in.is_some() => Check::pass(
            "expires_in",
            "Lifetime",
            format!(
                "{} s; a new token is requested when it is about to end",
                tokens.expires_in.unwrap_or_default()
            ),
        ),
        Some(_) => Check::pass(
            "expires_in",
            "Lifetime",
            "from the access token's exp; a new token is requested when it is about to end",
        ),
        None => Check::warn(
            "expires_in",
            "Lifetime",
            "the provider gave none, so Tessera uses the token until an API refuses it",
        ),
    });
    let granted = tokens.granted_scopes(&profile.scopes);
    let missing: Vec<&String> = profile
        .scopes
        .iter()
        .filter(|s| !granted.contains(s))
        .collect();
    report.push(if missing.is_empty() {
        Check::pass(
            "scope",
            "Scopes",
            if granted.is_empty() {
                "none asked for, none granted".to_string()
            } else {
                format!("granted {}", granted.join(" "))
            },
        )
    } else {
        Check::warn(
            "scope",
            "Scopes",
            format!(
                "not granted: {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        )
        .with_values(profile.scopes.join(" "), granted.join(" "))
    });
    report.push(if tokens.refresh_token.is_some() {
        Check::warn(
            "refresh_token",
            "Refresh token",
            "issued, though RFC 6749 §4.4.3 says it should not be; Tessera keeps it",
        )
    } else {
        Check::pass(
            "refresh_token",
            "Refresh token",
            "none, as RFC 6749 §4.4.3 asks: a new token is requested instead",
        )
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Grant;

    fn tokens(scope: Option<&str>, expires_in: Option<i64>) -> TokenResponse {
        TokenResponse {
            access_token: "opaque".into(),
            token_type: "Bearer".into(),
            expires_in,
            refresh_token: None,
            id_token: None,
            scope: scope.map(str::to_owned),
            issued_token_type: None,
        }
    }

    fn service() -> Profile {
        let mut p = Profile::new("svc", "https://idp", "svc");
        p.grant = Grant::ClientCredentials;
        p.scopes = vec!["api:read".into(), "api:write".into()];
        p
    }

    #[test]
    fn the_report_warns_when_fewer_scopes_were_granted_than_asked_for() {
        let report = service_report(&service(), &tokens(Some("api:read"), Some(60)));
        let scope = report
            .checks
            .iter()
            .find(|c| c.id == "scope")
            .expect("a scope row");
        assert!(
            scope.detail.contains("api:write"),
            "the row names the missing scope: {}",
            scope.detail
        );
        assert!(report.passed(), "a warning does not refuse the token");
    }

    #[test]
    fn the_report_says_when_the_provider_gave_no_lifetime() {
        let report = service_report(&service(), &tokens(None, None));
        let lifetime = report
            .checks
            .iter()
            .find(|c| c.id == "expires_in")
            .expect("a lifetime row");
        assert!(lifetime.detail.contains("gave none"), "{}", lifetime.detail);
    }
}
