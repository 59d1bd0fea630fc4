//! One Tessera per desktop session on Linux, over D-Bus.
//!
//! The first instance owns the well-known name `dev.tessera.app.SingleInstance`
//! on the session bus. A second one (the OS starting Tessera with a
//! custom-scheme redirect, or the user launching it twice) finds the name
//! taken, hands its arguments to the first through one method call, and
//! exits before it creates a window. The first instance's window learns of
//! them from the receiver [`claim`] returns.
//!
//! The name, object path and interface are those the single-instance plugin
//! uses on Linux, so an older Tessera still running hands over to this one
//! and back. Done here over libdbus (linked for the keyring already) rather
//! than through the plugin, whose D-Bus library is a megabyte of the binary
//! and an executor thread at start-up. macOS and Windows use the plugin.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use dbus::blocking::Connection;
use dbus::channel::MatchingReceiver;
use dbus::message::MatchRule;

const NAME: &str = "dev.tessera.app.SingleInstance";
const PATH: &str = "/dev/tessera/app/SingleInstance";
const INTERFACE: &str = "org.SingleInstance.DBus";
const METHOD: &str = "ExecuteCallback";

/// What another instance handed over: its arguments.
pub type HandedOver = Receiver<Vec<String>>;

/// Claims the name, or hands this process's arguments to the instance that
/// has it and exits. `None` when there is no session bus to ask: Tessera
/// then runs on its own, as the plugin did.
pub fn claim() -> Option<HandedOver> {
    let connection = match Connection::new_session() {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("single instance: no D-Bus session bus, running on its own: {e}");
            return None;
        }
    };
    match connection.request_name(NAME, false, false, true) {
        Ok(dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply::PrimaryOwner)
        | Ok(dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply::AlreadyOwner) => {
            let (sender, receiver) = mpsc::channel();
            serve(connection, sender);
            Some(receiver)
        }
        Ok(_) => {
            hand_over(&connection);
            std::process::exit(0);
        }
        Err(e) => {
            tracing::warn!("single instance: could not claim {NAME}, running on its own: {e}");
            None
        }
    }
}

/// Gives the first instance this process's arguments; exits 1 if it will
/// not take them, since opening a second window would split the state.
fn hand_over(connection: &Connection) {
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let proxy = connection.with_proxy(NAME, PATH, Duration::from_secs(10));
    let handed: Result<(), dbus::Error> = proxy.method_call(INTERFACE, METHOD, (argv, cwd));
    if let Err(e) = handed {
        eprintln!("tessera-desktop: Tessera is running but did not take the arguments: {e}");
        std::process::exit(1);
    }
}

/// Answers `ExecuteCallback` on a thread of its own for the app's life.
fn serve(connection: Connection, sender: Sender<Vec<String>>) {
    let spawned = std::thread::Builder::new()
        .name("single-instance".into())
        .spawn(move || {
            let mut rule = MatchRule::new_method_call();
            rule.path = Some(PATH.into());
            rule.interface = Some(INTERFACE.into());
            rule.member = Some(METHOD.into());
            connection.start_receive(
                rule,
                Box::new(move |message, connection| {
                    if let Ok((argv, _cwd)) = message.read2::<Vec<String>, String>() {
                        let _ = sender.send(argv);
                    }
                    // The caller waits for the reply before it exits.
                    let _ = dbus::channel::Sender::send(connection, message.method_return());
                    true
                }),
            );
            loop {
                if let Err(e) = connection.process(Duration::from_secs(3600)) {
                    tracing::warn!("single instance: the session bus went away: {e}");
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("single instance: cannot listen for other instances: {e}");
    }
}
