//! Auto-refresh ahead of expiry, for every signed-in profile, while the app
//! runs. Each tick it also polls for changes made outside the app (the
//! `tessera` command line shares the profiles and the keyring), which the
//! engine then publishes like the app's own, and marks the state changed so
//! the tray's "minutes left" stays current.

use std::collections::HashMap;
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tessera_engine::session::watch::SessionWatch;

use crate::dto::RefreshFailed;
use crate::error::IpcError;
use crate::state::Shell;
use crate::{events, notify};

const TICK: Duration = Duration::from_secs(15);
/// After a failed refresh, wait this long before trying again.
const BACKOFF_SECS: i64 = 300;

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        let watch = SessionWatch::new(&shell.engine);
        // The baseline other processes' changes are measured against; the
        // first tick waits, so start-up reads every session once, not twice.
        if let Err(e) = watch.poll(&shell.engine).await {
            tracing::warn!("could not read the sessions to watch: {e}");
        }
        let mut backoff = Backoff::default();
        loop {
            tokio::time::sleep(TICK).await;
            for failure in tick(&shell, &watch, &mut backoff).await {
                notify::show(
                    &app,
                    &format!("Tessera could not refresh {}", failure.profile),
                    &failure.error.message,
                );
                events::refresh_failed(&app, &failure);
            }
        }
    });
}

/// Per profile, no refresh before this time (after a failure).
#[derive(Default)]
pub struct Backoff(HashMap<String, i64>);

/// One tick: notice outside changes, refresh what is due, and mark the state
/// changed (time passed). Returns the refreshes that failed.
pub async fn tick(
    shell: &Shell,
    watch: &SessionWatch,
    backoff: &mut Backoff,
) -> Vec<RefreshFailed> {
    if let Err(e) = watch.poll(&shell.engine).await {
        tracing::warn!("could not check for outside changes: {e}");
    }
    let now = shell.engine.now();
    let mut failures = Vec::new();
    let signing_in = shell.signing_in();
    let names = match shell.engine.profiles() {
        Ok(file) => file.profiles.into_keys().collect::<Vec<_>>(),
        Err(e) => {
            tracing::warn!("could not read profiles: {e}");
            Vec::new()
        }
    };
    for name in names {
        if signing_in.as_deref() == Some(name.as_str())
            || backoff.0.get(&name).is_some_and(|t| *t > now)
        {
            continue;
        }
        let due = match shell.engine.stored_session(&name).await {
            Ok(Some(session)) => session.refresh_at().is_some_and(|at| at <= now),
            _ => false,
        };
        if !due {
            continue;
        }
        match shell.engine.refresh(Some(&name)).await {
            Ok(outcome) => {
                backoff.0.remove(&name);
                shell.observe(&name, &outcome.session);
            }
            Err(e) => {
                backoff.0.insert(name.clone(), now + BACKOFF_SECS);
                failures.push(RefreshFailed {
                    profile: name,
                    error: IpcError::from(e),
                });
            }
        }
    }
    shell.mark_changed();
    failures
}
