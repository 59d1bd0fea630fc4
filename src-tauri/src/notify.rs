//! Desktop notifications, best effort: a machine without a notification
//! service still works, it just shows nothing.

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

pub fn show(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::info!("notification not shown: {e}");
    }
}
