//! Auto-refresh ahead of expiry, for every signed-in profile, while the app
//! runs. It also notices changes made outside the app (the `tessera`
//! command line shares the profiles and the keyring) and keeps the tray's
//! "minutes left" current.

use std::collections::HashMap;
use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::dto::{Overview, RefreshFailed};
use crate::error::IpcError;
use crate::state::Shell;
use crate::{events, notify, tray};

const TICK: Duration = Duration::from_secs(15);
/// After a failed refresh, wait this long before trying again.
const BACKOFF_SECS: i64 = 300;

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut last: Option<Overview> = None;
        let mut retry_after: HashMap<String, i64> = HashMap::new();
        loop {
            tokio::time::sleep(TICK).await;
            tick(&app, &mut last, &mut retry_after).await;
        }
    });
}

async fn tick(
    app: &AppHandle,
    last: &mut Option<Overview>,
    retry_after: &mut HashMap<String, i64>,
) {
    let shell = app.state::<Shell>();
    let now = shell.engine.now();
    let Ok(overview) = shell.overview().await else {
        return;
    };
    let signing_in = shell.signing_in();
    for profile in overview.profiles.iter().filter(|p| p.signed_in) {
        if signing_in.as_deref() == Some(profile.name.as_str())
            || retry_after.get(&profile.name).is_some_and(|t| *t > now)
        {
            continue;
        }
        let due = match shell.engine.stored_session(&profile.name).await {
            Ok(Some(session)) => session.refresh_at().is_some_and(|at| at <= now),
            _ => false,
        };
        if !due {
            continue;
        }
        match shell.engine.refresh(Some(&profile.name)).await {
            Ok(outcome) => {
                retry_after.remove(&profile.name);
                shell.observe(&profile.name, &outcome.session);
            }
            Err(e) => {
                let error = IpcError::from(e);
                retry_after.insert(profile.name.clone(), now + BACKOFF_SECS);
                notify::show(
                    app,
                    &format!("Tessera could not refresh {}", profile.name),
                    &error.message,
                );
                events::refresh_failed(
                    app,
                    &RefreshFailed {
                        profile: profile.name.clone(),
                        error,
                    },
                );
            }
        }
    }
    let Ok(current) = shell.overview().await else {
        return;
    };
    if last.as_ref() != Some(&current) {
        events::state_changed(app).await;
    } else {
        tray::update(app, &current, signing_in);
    }
    *last = Some(current);
}
