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

/// On Linux, WebKitGTK draws the page without accelerated compositing
/// unless the user asks for it (`WEBKIT_DISABLE_COMPOSITING_MODE=0`).
/// Tessera's window is forms and tables: compositing bought it nothing
/// visible and cost about 90 MiB in the web process (an OpenGL context and a
/// backing store per layer), and the first frame came later. Called first
/// thing in `run`, before any thread exists, since it sets an environment
/// variable the web process inherits.
pub fn prefer_software_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
