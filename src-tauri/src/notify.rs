//! Desktop notifications, best effort: a machine without a notification
//! service still works, it just shows nothing.
//!
//! On Linux a notification is one D-Bus call to the desktop's notification
//! server (the freedesktop.org Desktop Notifications protocol), over the
//! D-Bus library the keyring already links; the notification plugin would
//! bring a second version of it. Elsewhere the plugin shows it.

use tauri::AppHandle;

#[cfg(target_os = "linux")]
pub fn show(_app: &AppHandle, title: &str, body: &str) {
    let (title, body) = (title.to_string(), body.to_string());
    // The call blocks until the server answers (or D-Bus gives up on
    // starting one), and the tray calls this on the main thread.
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            if let Err(e) = freedesktop::notify(&title, &body) {
                tracing::info!("notification not shown: {e}");
            }
        });
    if let Err(e) = spawned {
        tracing::info!("notification not shown: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn show(app: &AppHandle, title: &str, body: &str) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::info!("notification not shown: {e}");
    }
}

#[cfg(target_os = "linux")]
pub mod freedesktop {
    //! `org.freedesktop.Notifications.Notify`, as the specification words it.

    use std::collections::HashMap;

    /// The server's well-known name, object and interface.
    pub const NAME: &str = "org.freedesktop.Notifications";
    pub const PATH: &str = "/org/freedesktop/Notifications";

    /// Shows one notification from Tessera; `Ok` once the server took it.
    pub fn notify(summary: &str, body: &str) -> zbus::Result<u32> {
        let connection = zbus::blocking::Connection::session()?;
        let hints: HashMap<&str, zbus::zvariant::Value<'_>> =
            HashMap::from([("desktop-entry", "tessera-desktop".into())]);
        let reply = connection.call_method(
            Some(NAME),
            PATH,
            Some(NAME),
            "Notify",
            // app_name, replaces_id, app_icon, summary, body, actions, hints,
            // expire_timeout (-1: the server's default).
            &(
                "Tessera",
                0u32,
                "tessera-desktop",
                summary,
                body,
                Vec::<&str>::new(),
                hints,
                -1i32,
            ),
        )?;
        reply.body().deserialize::<u32>()
    }
}
