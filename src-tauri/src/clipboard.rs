//! Copying the access token, shared by the window and the tray. The engine
//! refreshes first when the token is about to expire.
//!
//! On Linux the text goes to GTK's clipboard, the one the window already
//! has: no second X or Wayland connection and no clipboard thread at
//! start-up. Elsewhere the clipboard plugin writes it.

use tauri::AppHandle;

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
#[cfg(target_os = "linux")]
pub fn write(app: &AppHandle, text: &str) -> Result<(), IpcError> {
    let text = text.to_string();
    // GTK lives on the main thread. Not waited for: the tray's handlers run
    // on that thread, and the write cannot fail once it runs there.
    app.run_on_main_thread(move || {
        let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
        clipboard.set_text(&text);
    })
    .map_err(|e| IpcError::plain(format!("could not write to the clipboard: {e}")))
}

/// Writes text to the clipboard, from Rust: nothing crosses into the webview.
#[cfg(not(target_os = "linux"))]
pub fn write(app: &AppHandle, text: &str) -> Result<(), IpcError> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    app.clipboard()
        .write_text(text.to_string())
        .map_err(|e| IpcError::plain(format!("could not write to the clipboard: {e}")))
}
