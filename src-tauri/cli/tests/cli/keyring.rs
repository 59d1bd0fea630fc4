//! The keyring failing: locked (no unlocked default collection) or absent.
//! Each case runs Tessera in its own D-Bus session with its own gnome-keyring
//! and home, so the test run's unlocked keyring is not involved.

use std::process::Command;

use tessera_testkit::{failed, json, Home};

use crate::forge::{Behaviour, Forge};
use crate::home;

/// Runs `tessera args…` with `ws`'s config in a D-Bus session of its own,
/// whose HOME and XDG directories are new directories inside `ws`.
fn isolated(ws: &Home, start_keyring: bool, args: &[&str]) -> std::process::Output {
    let user_home = ws.subdir("home");
    let runtime = ws.subdir("run");
    let keyring = if start_keyring {
        // No --unlock: the daemon runs, but there is no unlocked default collection.
        "gnome-keyring-daemon --components=secrets --daemonize >/dev/null 2>&1 </dev/null; "
    } else {
        ""
    };
    let script = format!("{keyring}exec \"$0\" \"$@\"");
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", &script, env!("CARGO_BIN_EXE_tessera")])
        .args(args)
        .env("HOME", &user_home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", user_home.join("data"))
        .env("XDG_CONFIG_HOME", user_home.join("config"))
        .env_remove("GNOME_KEYRING_CONTROL");
    ws.apply(&mut cmd)
        .output()
        .expect("run tessera in its own D-Bus session")
}

#[test]
fn a_locked_keyring_gives_a_clear_error_and_nothing_is_saved() {
    let forge = Forge::start(Behaviour::default());
    let ws = home("locked");
    let out = isolated(
        &ws,
        true,
        &[
            "login",
            "--issuer",
            &forge.issuer,
            "--client-id",
            "tessera-test",
            "--profile",
            "locked",
            "--timeout",
            "20",
        ],
    );
    let line = failed(&out);
    assert!(
        line.contains("the OS keyring is locked or has no default collection; unlock it"),
        "{line}"
    );
    assert_eq!(
        out.status.code(),
        Some(7),
        "keyring failures exit 7: {line}"
    );
    let profiles = json(&ws.tessera(&["profiles", "list", "--json"]));
    assert_eq!(
        profiles,
        serde_json::json!([]),
        "no profile is saved when the session could not be"
    );
}

#[test]
fn a_missing_keyring_service_gives_a_clear_error() {
    let forge = Forge::start(Behaviour::default());
    let mut ws = home("no-keyring");
    ws.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/tessera-test-bus",
    );
    let out = ws.tessera(&[
        "login",
        "--issuer",
        &forge.issuer,
        "--client-id",
        "tessera-test",
        "--profile",
        "nokeyring",
        "--timeout",
        "20",
    ]);
    let line = failed(&out);
    assert!(line.contains("the OS keyring is not available"), "{line}");
    assert_eq!(
        out.status.code(),
        Some(7),
        "keyring failures exit 7: {line}"
    );
}
