//! Copying the access token, shared by the window and the tray. The engine
//! refreshes first when the token is about to expire.

use tauri::AppHandle;
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::IpcError;
use crate::events;
use crate::state::Shell;

pub async fn copy_access_token(
    app: &AppHandle,
    shell: &Shell,
    profile: &str,
) -> Result<(), IpcError> {
    let before = shell
        .engine
        .stored_session(profile)
        .await?
        .map(|s| s.obtained_at);
    let session = shell.engine.access_token(Some(profile)).await?;
    app.clipboard()
        .write_text(session.access_token.expose().to_string())
        .map_err(|e| IpcError::plain(format!("could not write to the clipboard: {e}")))?;
    if before != Some(session.obtained_at) {
        events::state_changed(app).await;
    }
    Ok(())
}
