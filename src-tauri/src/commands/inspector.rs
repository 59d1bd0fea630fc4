//! The token inspector: tokens of a session, refresh history, pasted JWTs,
//! the provider view and the HTTP log.

use tauri::{AppHandle, State};
use tessera_engine::inspect::{self, KeySource as EngineKeySource, RevokeOutcome};
use tessera_engine::session::exchange::ExchangeRequest;

use crate::dto::inspector::{
    ClaimChangeView, ExchangeForm, ExchangeView, HistoryEntryView, HttpLogDetail, HttpLogSummary,
    InspectionView, IntrospectionView, JwkView, JwtView, KeySource, OperationView, ProviderView,
    TokenKind,
};
use crate::dto::Overview;
use crate::error::IpcError;
use crate::state::Shell;

#[tauri::command]
pub async fn inspect_session(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<InspectionView, IpcError> {
    if let Some(session) = shell.engine.stored_session(&profile).await? {
        shell.observe(&profile, &session);
    }
    let inspection = shell.engine.inspect_session(&profile).await?;
    Ok(InspectionView::new(&profile, &inspection))
}

/// The one command that returns a token's value: the user pressed "Reveal".
#[tauri::command]
pub async fn reveal_token(
    shell: State<'_, Shell>,
    profile: String,
    kind: TokenKind,
) -> Result<String, IpcError> {
    let token = shell.engine.reveal_token(&profile, kind).await?;
    Ok(token.expose().to_string())
}

/// Copies a token from Rust; it never enters the webview.
#[tauri::command]
pub async fn copy_token(
    app: AppHandle,
    shell: State<'_, Shell>,
    profile: String,
    kind: TokenKind,
) -> Result<(), IpcError> {
    let token = shell.engine.reveal_token(&profile, kind).await?;
    crate::clipboard::write(&app, token.expose())
}

#[tauri::command]
pub async fn introspect_token(
    shell: State<'_, Shell>,
    profile: String,
    kind: TokenKind,
) -> Result<IntrospectionView, IpcError> {
    let answer = shell.engine.introspect_token(&profile, kind).await?;
    Ok((&answer).into())
}

/// Revokes one token; returns the overview, since revoking the refresh
/// token signs the profile out.
#[tauri::command]
pub async fn revoke_token(
    shell: State<'_, Shell>,
    profile: String,
    kind: TokenKind,
) -> Result<Overview, IpcError> {
    let outcome = shell.engine.revoke_token(&profile, kind).await?;
    if outcome == RevokeOutcome::SignedOut {
        tracing::info!("refresh token revoked; the session of {profile} was deleted");
    }
    shell.overview_after(shell.generation()).await
}

#[tauri::command]
pub async fn session_history(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<Vec<HistoryEntryView>, IpcError> {
    if let Some(session) = shell.engine.stored_session(&profile).await? {
        shell.observe(&profile, &session);
    }
    Ok(shell
        .with_history(&profile, |h| {
            h.entries().map(HistoryEntryView::from).collect()
        })
        .unwrap_or_default())
}

#[tauri::command]
pub fn history_diff(
    shell: State<'_, Shell>,
    profile: String,
    from: u64,
    to: u64,
) -> Result<Vec<ClaimChangeView>, IpcError> {
    shell
        .with_history(&profile, |h| h.diff(from, to))
        .flatten()
        .map(|changes| changes.iter().map(ClaimChangeView::from).collect())
        .ok_or_else(|| {
            IpcError::plain("those history entries are no longer kept; pick two from the list")
        })
}

/// Decodes a pasted JWT offline; nothing is verified.
#[tauri::command]
pub fn decode_jwt(token: String) -> Result<JwtView, IpcError> {
    let decoded = inspect::decode_pasted(&token).map_err(IpcError::plain)?;
    Ok((&decoded).into())
}

#[tauri::command]
pub async fn verify_jwt(
    shell: State<'_, Shell>,
    token: String,
    keys: KeySource,
) -> Result<JwtView, IpcError> {
    let source = match keys {
        KeySource::Profile {
            name,
            expect_client_audience,
        } => EngineKeySource::Profile {
            name,
            audience: expect_client_audience,
        },
        KeySource::Jwks { text } => EngineKeySource::Pasted(text),
    };
    let checked = shell.engine.verify_pasted(&token, &source).await?;
    Ok((&checked).into())
}

#[tauri::command]
pub async fn provider_view(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<ProviderView, IpcError> {
    let p = shell.engine.provider_keys(&profile).await?;
    let (keys, skipped, keys_error) = match &p.keys {
        Ok((set, skipped)) => (
            set.keys.iter().map(JwkView::from).collect(),
            u32::try_from(*skipped).unwrap_or(u32::MAX),
            None,
        ),
        Err(e) => (Vec::new(), 0, Some(e.to_string())),
    };
    Ok(ProviderView {
        report: p.report.into(),
        jwks_uri: p.jwks_uri,
        keys,
        skipped_keys: skipped,
        keys_error,
    })
}

#[tauri::command]
pub fn http_log(shell: State<'_, Shell>) -> Vec<HttpLogSummary> {
    shell
        .http_log
        .entries()
        .iter()
        .map(HttpLogSummary::from)
        .collect()
}

#[tauri::command]
pub fn http_log_entry(shell: State<'_, Shell>, id: u64) -> Result<HttpLogDetail, IpcError> {
    shell
        .http_log
        .entry(id)
        .map(|e| (&e).into())
        .ok_or_else(|| {
            IpcError::plain("that exchange is no longer in the log (it keeps the last 200)")
        })
}

#[tauri::command]
pub fn http_log_clear(shell: State<'_, Shell>) {
    shell.http_log.clear();
}

/// Token exchange (RFC 8693) with one of the profile's tokens as the
/// subject. The issued token stays in Rust; the view has it decoded and
/// checked against the provider's keys.
#[tauri::command]
pub async fn token_exchange(
    shell: State<'_, Shell>,
    profile: String,
    form: ExchangeForm,
) -> Result<ExchangeView, IpcError> {
    let outcome = shell
        .engine
        .exchange(ExchangeRequest {
            profile: Some(profile.clone()),
            subject: form.subject,
            actor_profile: form.actor_profile.filter(|a| !a.trim().is_empty()),
            audiences: form
                .audiences
                .into_iter()
                .filter(|a| !a.trim().is_empty())
                .collect(),
            resources: form
                .resources
                .into_iter()
                .filter(|r| !r.trim().is_empty())
                .collect(),
            scope: form.scope.filter(|s| !s.trim().is_empty()),
            requested_token_type: form.requested_token_type.filter(|t| !t.trim().is_empty()),
        })
        .await?;
    let token = outcome.access_token.clone();
    let (jwt, check_error) = match inspect::decode_pasted(token.expose()) {
        Err(_) => (None, None),
        Ok(decoded) => {
            let against = EngineKeySource::Profile {
                name: profile.clone(),
                audience: false,
            };
            match shell.engine.verify_pasted(token.expose(), &against).await {
                Ok(checked) => (Some((&checked).into()), None),
                Err(e) => (Some((&decoded).into()), Some(e.to_string())),
            }
        }
    };
    let view = ExchangeView {
        id: 0,
        profile,
        issued_token_type: outcome.issued_token_type,
        token_type: outcome.token_type,
        expires_in: outcome.expires_in,
        scope: outcome.scope,
        jwt,
        check_error,
        obtained_at: shell.engine.now(),
    };
    Ok(shell.keep_exchanged(token, view))
}

/// This run's exchanges from the profile, newest first: the issued tokens
/// are kept in memory only, never stored.
#[tauri::command]
pub fn exchange_history(shell: State<'_, Shell>, profile: String) -> Vec<ExchangeView> {
    shell.exchanges(&profile)
}

/// Copies an exchanged token from Rust; it never enters the webview.
#[tauri::command]
pub fn exchanged_token_copy(
    app: AppHandle,
    shell: State<'_, Shell>,
    id: u64,
) -> Result<(), IpcError> {
    let (_, token) = shell.exchanged(id).ok_or_else(gone)?;
    crate::clipboard::write(&app, token.expose())
}

/// Introspects an exchanged token (RFC 7662) as the client that holds it.
#[tauri::command]
pub async fn exchanged_token_introspect(
    shell: State<'_, Shell>,
    id: u64,
) -> Result<IntrospectionView, IpcError> {
    let (profile, token) = shell.exchanged(id).ok_or_else(gone)?;
    let answer = shell.engine.introspect_issued(&profile, &token).await?;
    Ok((&answer).into())
}

fn gone() -> IpcError {
    IpcError::plain("that exchanged token is no longer kept; exchange again")
}

/// The engine's last operations, oldest first, for the flow diagrams.
#[tauri::command]
pub fn operations(shell: State<'_, Shell>) -> Vec<OperationView> {
    shell
        .engine
        .operations()
        .list()
        .iter()
        .map(OperationView::from)
        .collect()
}
