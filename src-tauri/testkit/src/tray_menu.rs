//! Drives the real app's tray menu the way a desktop panel does: over D-Bus.
//!
//! On Linux the tray icon is a StatusNotifierItem exported by
//! libayatana-appindicator, and its menu is a `com.canonical.dbusmenu`
//! object on the app's own bus connection. A panel reads the menu with
//! `GetLayout` and clicks with `Event(id, "clicked", …)`; so does this
//! module, with `gdbus` (GLib's own client, independent of Tessera's code).
//!
//! A panel learns of the item from a StatusNotifierWatcher; the test bus has
//! none (libayatana-appindicator exports the item and its menu all the same),
//! so the menu is found as a panel would after that step: the connections the
//! app's process owns, the items under `/org/ayatana/NotificationItem`, and
//! each item's `Menu` property.

use std::process::Command;
use std::time::{Duration, Instant};

/// Where libayatana-appindicator exports its StatusNotifierItems.
const ITEMS: &str = "/org/ayatana/NotificationItem";

fn gdbus(args: &[&str]) -> Option<String> {
    let out = Command::new("gdbus")
        .args(["call", "--session"])
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The tray menu of one app process.
pub struct TrayMenu {
    connection: String,
    /// The dbusmenu object, read from the item's `Menu` property.
    menu: String,
    /// The process that exports it.
    pub pid: u32,
}

/// One menu item as a panel sees it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: u32,
    pub label: String,
    pub enabled: bool,
}

impl TrayMenu {
    /// Waits until the process exports its tray menu on the session bus.
    pub fn of_process(pid: u32, wait: Duration) -> TrayMenu {
        Self::wait_for(Some(pid), wait)
    }

    /// Waits until some process exports a Tessera tray menu (a test runs one
    /// app at a time).
    pub fn of_running_app(wait: Duration) -> TrayMenu {
        Self::wait_for(None, wait)
    }

    fn wait_for(pid: Option<u32>, wait: Duration) -> TrayMenu {
        let until = Instant::now() + wait;
        loop {
            if let Some((connection, menu, pid)) = Self::find(pid) {
                return TrayMenu {
                    connection,
                    menu,
                    pid,
                };
            }
            assert!(
                Instant::now() < until,
                "no app ({pid:?}) exported a tray menu under {ITEMS} on the session bus within {wait:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Clicks "Quit Tessera" and waits until the process is gone.
    pub fn quit(&self, wait: Duration) {
        self.click("Quit Tessera");
        let until = Instant::now() + wait;
        while std::path::Path::new(&format!("/proc/{}", self.pid)).exists() {
            let zombie = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
                .is_ok_and(|s| s.split_whitespace().nth(2) == Some("Z"));
            if zombie {
                break;
            }
            assert!(
                Instant::now() < until,
                "the app did not quit within {wait:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The first connection (of `pid`, if given) that exports an item whose
    /// menu answers `GetLayout`: (connection, menu path, pid).
    fn find(pid: Option<u32>) -> Option<(String, String, u32)> {
        let names = gdbus(&[
            "--dest",
            "org.freedesktop.DBus",
            "--object-path",
            "/org/freedesktop/DBus",
            "--method",
            "org.freedesktop.DBus.ListNames",
        ])?;
        names
            .split('\'')
            .filter(|n| n.starts_with(":1."))
            .find_map(|name| {
                let owner = gdbus(&[
                    "--dest",
                    "org.freedesktop.DBus",
                    "--object-path",
                    "/org/freedesktop/DBus",
                    "--method",
                    "org.freedesktop.DBus.GetConnectionUnixProcessID",
                    name,
                ])?;
                let owner: u32 = owner
                    .trim()
                    .trim_start_matches("(uint32 ")
                    .trim_end_matches(",)")
                    .parse()
                    .ok()?;
                if pid.is_some_and(|p| p != owner) {
                    return None;
                }
                Self::menus_of(name)
                    .into_iter()
                    .find(|menu| {
                        gdbus(&[
                            "--dest",
                            name,
                            "--object-path",
                            menu,
                            "--method",
                            "com.canonical.dbusmenu.GetLayout",
                            "--",
                            "0",
                            "0",
                            "[]",
                        ])
                        .is_some()
                    })
                    .map(|menu| (name.to_string(), menu, owner))
            })
    }

    /// The menu paths of the StatusNotifierItems a connection exports.
    fn menus_of(connection: &str) -> Vec<String> {
        let Some(xml) = gdbus(&[
            "--dest",
            connection,
            "--object-path",
            ITEMS,
            "--method",
            "org.freedesktop.DBus.Introspectable.Introspect",
        ]) else {
            return Vec::new();
        };
        // Child nodes look like: <node name="tray_icon_tray_app_main"/>
        xml.split("<node name=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(item, _)| item))
            .filter_map(|item| {
                let answer = gdbus(&[
                    "--dest",
                    connection,
                    "--object-path",
                    &format!("{ITEMS}/{item}"),
                    "--method",
                    "org.freedesktop.DBus.Properties.Get",
                    "org.kde.StatusNotifierItem",
                    "Menu",
                ])?;
                // (<objectpath '/org/ayatana/NotificationItem/…/Menu'>,)
                let (_, path) = answer.split_once("objectpath '")?;
                path.split_once('\'').map(|(path, _)| path.to_string())
            })
            .collect()
    }

    /// Every item, submenus flattened, in menu order.
    pub fn items(&self) -> Vec<Item> {
        let layout = gdbus(&[
            "--dest",
            &self.connection,
            "--object-path",
            &self.menu,
            "--method",
            "com.canonical.dbusmenu.GetLayout",
            "--",
            "0",
            "-1",
            "['label', 'enabled']",
        ])
        .expect("GetLayout answers");
        // Items look like: (14, {'label': <'Sign in'>, 'enabled': <true>}, …
        let mut items = Vec::new();
        for chunk in layout.split("<(").skip(1) {
            let Some((id, rest)) = chunk.split_once(", {") else {
                continue;
            };
            let Some(label) = rest
                .split_once("'label': <'")
                .and_then(|(_, l)| l.split_once("'>"))
                .map(|(l, _)| l.to_string())
            else {
                continue; // a separator
            };
            items.push(Item {
                id: id.trim().parse().unwrap_or(0),
                label,
                enabled: !rest
                    .split_once("'enabled': <")
                    .is_some_and(|(_, e)| e.starts_with("false")),
            });
        }
        items
    }

    /// The first item, the disabled status line.
    pub fn status(&self) -> String {
        self.items()
            .first()
            .map(|i| i.label.clone())
            .unwrap_or_default()
    }

    pub fn item(&self, label: &str) -> Item {
        let items = self.items();
        items
            .iter()
            .find(|i| i.label == label)
            .cloned()
            .unwrap_or_else(|| panic!("no tray item \"{label}\" in {items:?}"))
    }

    /// Clicks an enabled item, as a panel does.
    pub fn click(&self, label: &str) {
        let item = self.item(label);
        assert!(item.enabled, "tray item \"{label}\" is disabled");
        gdbus(&[
            "--dest",
            &self.connection,
            "--object-path",
            &self.menu,
            "--method",
            "com.canonical.dbusmenu.Event",
            "--",
            &item.id.to_string(),
            "clicked",
            "<''>",
            "0",
        ])
        .unwrap_or_else(|| panic!("clicking \"{label}\" failed"));
    }

    /// Waits until the status line satisfies `want`; returns it.
    pub fn wait_for_status(
        &self,
        what: &str,
        wait: Duration,
        want: impl Fn(&str) -> bool,
    ) -> String {
        let until = Instant::now() + wait;
        loop {
            let status = self.status();
            if want(&status) {
                return status;
            }
            assert!(
                Instant::now() < until,
                "the tray status never showed {what} within {wait:?}; last: \"{status}\""
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}
