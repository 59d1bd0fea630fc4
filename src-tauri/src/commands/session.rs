//! Signing in and out, and the signed-in session as shown.

use tauri::{AppHandle, State};

use crate::dto::{Overview, SessionView, SignOutMode};
use crate::error::IpcError;
use crate::signin::{self, Origin};
use crate::state::Shell;

#[tauri::command]
pub async fn sign_in(app: AppHandle, profile: String) -> Result<SessionView, IpcError> {
    signin::run(app, profile, Origin::Window).await
}

#[tauri::command]
pub fn cancel_sign_in(app: AppHandle, shell: State<'_, Shell>) {
    signin::cancel(&app, &shell);
}

#[tauri::command]
pub async fn session(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<Option<SessionView>, IpcError> {
    Ok(shell
        .engine
        .stored_session(&profile)
        .await?
        .map(|s| SessionView::new(&profile, &s)))
}

#[tauri::command]
pub async fn session_picture(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<Option<String>, IpcError> {
    Ok(shell.engine.picture(&profile).await?.map(|p| p.data_url()))
}

#[tauri::command]
pub async fn refresh_session(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<SessionView, IpcError> {
    let outcome = shell.engine.refresh(Some(&profile)).await?;
    shell.observe(&profile, &outcome.session);
    Ok(SessionView::new(&profile, &outcome.session))
}

#[tauri::command]
pub async fn sign_out(
    shell: State<'_, Shell>,
    profile: String,
    mode: SignOutMode,
) -> Result<Overview, IpcError> {
    crate::signout::run(&shell, &profile, mode).await?;
    shell.overview_after(shell.generation()).await
}

/// Copies a fresh access token to the clipboard from Rust: the token never
/// enters the webview.
#[tauri::command]
pub async fn copy_access_token(
    app: AppHandle,
    shell: State<'_, Shell>,
    profile: String,
) -> Result<(), IpcError> {
    crate::clipboard::copy_access_token(&app, &shell, &profile).await
}
