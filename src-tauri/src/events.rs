//! Events the shell sends the window. Names live here only; payloads are
//! DTOs, so the UI's typed listeners (ui/src/lib/ipc.ts) match them. The
//! `overview` event is sent by [`crate::sync`] only.

use tauri::{AppHandle, Emitter, Manager};

use crate::dto::inspector::{HttpLogSummary, OperationView};
use crate::dto::{RefreshFailed, SignInEvent};
use crate::state::Shell;

pub const OVERVIEW: &str = "overview";
pub const SIGN_IN: &str = "sign-in";
pub const REFRESH_FAILED: &str = "refresh-failed";
pub const HTTP_LOG: &str = "http-log";
pub const OPERATIONS: &str = "operations";

/// Forwards every new HTTP log entry (already redacted) to the window.
pub fn forward_http_log(app: &AppHandle) {
    let handle = app.clone();
    app.state::<Shell>().http_log.subscribe(move |entry| {
        let _ = handle.emit(HTTP_LOG, HttpLogSummary::from(entry));
    });
}

/// Forwards every change of an operation (started, a step, ended) to the window.
pub fn forward_operations(app: &AppHandle) {
    let handle = app.clone();
    app.state::<Shell>()
        .engine
        .operations()
        .subscribe(move |op| {
            let _ = handle.emit(OPERATIONS, OperationView::from(op));
        });
}

pub fn sign_in(app: &AppHandle, event: &SignInEvent) {
    if let Err(e) = app.emit(SIGN_IN, event) {
        tracing::warn!("could not send sign-in progress: {e}");
    }
}

pub fn refresh_failed(app: &AppHandle, event: &RefreshFailed) {
    if let Err(e) = app.emit(REFRESH_FAILED, event) {
        tracing::warn!("could not send a refresh failure: {e}");
    }
}
