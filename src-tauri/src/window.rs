//! The main window: shown and focused on demand, hidden (not closed) when the
//! user closes it, so Tessera stays in the tray.

use tauri::{AppHandle, Manager};

pub const MAIN: &str = "main";

pub fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        if let Err(e) = window.show() {
            tracing::warn!("could not show the window: {e}");
        }
        let _ = window.set_focus();
    }
}
