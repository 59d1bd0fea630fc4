//! Desktop notifications, best effort: a machine without a notification
//! service still works, it just shows nothing.
//!
//! On Linux a notification is one D-Bus call to the desktop's notification
//! server (the freedesktop.org Desktop Notifications protocol), over the
//! libdbus the keyring already links; the notification plugin would bring a
//! D-Bus library of its own. Elsewhere the plugin shows it.

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

    use std::time::Duration;

    use dbus::arg::{PropMap, Variant};

    /// The server's well-known name (also its interface) and object.
    pub const NAME: &str = "org.freedesktop.Notifications";
    pub const PATH: &str = "/org/freedesktop/Notifications";

    /// Shows one notification from Tessera; `Ok` once the server took it.
    pub fn notify(summary: &str, body: &str) -> Result<u32, dbus::Error> {
        let connection = dbus::blocking::Connection::new_session()?;
        let server = connection.with_proxy(NAME, PATH, Duration::from_secs(25));
        let mut hints = PropMap::new();
        hints.insert(
            "desktop-entry".into(),
            Variant(Box::new("tessera-desktop".to_string())),
        );
        // app_name, replaces_id, app_icon, summary, body, actions, hints,
        // expire_timeout (-1: the server's default).
        let (id,): (u32,) = server.method_call(
            NAME,
            "Notify",
            (
                "Tessera",
                0u32,
                "tessera-desktop",
                summary,
                body,
                Vec::<String>::new(),
                hints,
                -1i32,
            ),
        )?;
        Ok(id)
    }
}
