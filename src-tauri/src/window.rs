//! The main window: shown once its page has loaded, then shown and focused
//! on demand, hidden (not closed) when the user closes it, so Tessera stays
//! in the tray.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager};

pub const MAIN: &str = "main";

/// How long the hidden window waits for its page before it is shown anyway.
const SHOW_AT_THE_LATEST: Duration = Duration::from_secs(2);

/// The first showing of the main window. The window is created hidden
/// (`"visible": false` in `tauri.conf.json`) and shown once its page has
/// loaded, when the web process already has the first frame to give.
///
/// Why: shown at once, the window asks WebKitGTK (without accelerated
/// compositing, see [`prefer_software_compositing`]) to draw before the web
/// process has a backing store; WebKit then waits up to 500 ms for one, and
/// in about every other start the first frame came 500 ms late (measured:
/// 250 or 750 ms, the same in a bare Tauri window). Shown after the load,
/// it maps about 140 ms later and paints within a few ms of mapping, every
/// time (`bench/README.md`). Should the load never finish, the window is
/// shown after [`SHOW_AT_THE_LATEST`] all the same.
#[derive(Default)]
pub struct FirstShow(AtomicBool);

impl FirstShow {
    /// True the first time only: whoever gets it shows the window.
    pub fn claim(&self) -> bool {
        !self.0.swap(true, Ordering::SeqCst)
    }

    /// Shows the window unless it has been shown this way before.
    pub fn show_once(&self, app: &AppHandle) {
        if self.claim() {
            show(app);
        }
    }

    /// The fallback: shows the window after [`SHOW_AT_THE_LATEST`] unless
    /// its page has loaded by then.
    pub fn show_at_the_latest(app: &AppHandle) {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SHOW_AT_THE_LATEST).await;
            let main = app.clone();
            let shown = app.run_on_main_thread(move || main.state::<FirstShow>().show_once(&main));
            if let Err(e) = shown {
                tracing::warn!("could not show the window: {e}");
            }
        });
    }
}

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

#[cfg(test)]
mod tests {
    use super::FirstShow;

    #[test]
    fn only_the_first_claim_shows_the_window() {
        let first = FirstShow::default();
        assert!(
            first.claim(),
            "the page load (or the fallback) that comes first shows the window"
        );
        assert!(
            !first.claim(),
            "a later page load, a reload say, must not show and focus the window again"
        );
        assert!(!first.claim(), "nor the fallback after the page has loaded");
    }
}
