//! A desktop notification server on the test's session bus: it owns
//! `org.freedesktop.Notifications` as a desktop's server does and keeps what
//! the app asks it to show, so a test reads the notifications a user sees.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::OwnedValue;

/// One `Notify` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

/// The server; it leaves the bus when dropped.
pub struct NotificationServer {
    shown: Arc<Mutex<Vec<Shown>>>,
    _connection: zbus::blocking::Connection,
}

struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.push(Shown {
            app_name,
            summary,
            body,
        });
        shown.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "tessera-test".into(),
            "Tessera".into(),
            "0".into(),
            "1.2".into(),
        )
    }
}

impl NotificationServer {
    /// Owns the well-known name on the session bus, or panics.
    pub fn start() -> NotificationServer {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let connection = zbus::blocking::connection::Builder::session()
            .and_then(|b| b.name("org.freedesktop.Notifications"))
            .and_then(|b| {
                b.serve_at(
                    "/org/freedesktop/Notifications",
                    Server {
                        shown: Arc::clone(&shown),
                    },
                )
            })
            .and_then(|b| b.build())
            .expect("own org.freedesktop.Notifications on the session bus");
        NotificationServer {
            shown,
            _connection: connection,
        }
    }

    /// Waits for a notification with this summary, or panics naming what came.
    pub fn wait_for(&self, summary: &str, wait: Duration) -> Shown {
        let deadline = Instant::now() + wait;
        loop {
            let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(found) = shown.iter().find(|s| s.summary == summary) {
                return found.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no notification \"{summary}\" within {wait:?}; shown: {shown:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
