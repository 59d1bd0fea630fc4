//! Copying the access token, shared by the window and the tray. The engine
//! refreshes first when the token is about to expire.

use tauri::AppHandle;
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::IpcError;
use crate::state::Shell;

pub async fn copy_access_token(
    app: &AppHandle,
    shell: &Shell,
    profile: &str,
) -> Result<(), IpcError> {
    // A refresh on the way is published by the engine like any other.
    let session = shell.engine.access_token(Some(profile)).await?;
    write(app, session.access_token.expose())
}

/// Writes text to the clipboard, from Rust: nothing crosses into the webview.
pub fn write(app: &AppHandle, text: &str) -> Result<(), IpcError> {
    app.clipboard()
        .write_text(text.to_string())
        .map_err(|e| IpcError::plain(format!("could not write to the clipboard: {e}")))
}
