//! The one subscription: how the window and the tray learn that state changed.
//!
//! The engine publishes "the session changed" for every sign-in, refresh,
//! sign-out and profile change, whoever caused it: a window command, a tray
//! action, the auto-refresher, or (noticed by the refresher's poll) the
//! `tessera` command line. [`subscribe`] turns those events into marks on the
//! shell; the shell's own changes (the active profile, a sign-in starting or
//! ending) mark it too. [`run`] is the one task that then computes the
//! overview, once per batch of changes, and hands it to a [`StateView`]: the
//! window and the tray in the app, a recorder in tests.

use tauri::{AppHandle, Emitter};

use crate::dto::Overview;
use crate::state::Shell;

/// What shows the state: the window and the tray.
pub trait StateView: Send + Sync {
    /// Shows this overview (and the sign-in in flight, if any).
    fn show(&self, overview: &Overview, signing_in: Option<&str>);
}

/// Marks the shell changed on every engine event. Call once.
pub fn subscribe(shell: &Shell) {
    let changes = shell.changes();
    shell.engine.events().subscribe(move |_event| {
        changes.mark();
    });
}

/// Redraws on every change, forever. Failures are logged: a broken keyring
/// must not take the app down.
pub async fn run(shell: &Shell, view: &dyn StateView) {
    loop {
        let generation = shell.generation();
        match shell.overview().await {
            Ok(overview) => {
                view.show(&overview, shell.signing_in().as_deref());
                shell.record_shown(generation, overview);
            }
            Err(e) => tracing::warn!("could not read profiles: {e}"),
        }
        shell.changed().await;
    }
}

/// The app's view: the `overview` event for the window, the tray menu.
pub struct WindowAndTray(pub AppHandle);

impl StateView for WindowAndTray {
    fn show(&self, overview: &Overview, signing_in: Option<&str>) {
        if let Err(e) = self.0.emit(crate::events::OVERVIEW, overview) {
            tracing::warn!("could not send the overview: {e}");
        }
        crate::tray::update(&self.0, overview, signing_in);
    }
}
