//! The keyring failing: locked (no unlocked default collection) or absent.
//! Each case runs Tessera in its own D-Bus session with its own gnome-keyring
//! and home, so the test run's unlocked keyring is not involved.

use std::process::Command;

use crate::forge::{Behaviour, Forge};
use crate::support::{failed, json, TempDir, Workspace};

fn isolated(
    ws: &Workspace,
    home: &TempDir,
    start_keyring: bool,
    args: &[&str],
) -> std::process::Output {
    let runtime = home.0.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
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
        .env("HOME", &home.0)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", home.0.join("data"))
        .env("XDG_CONFIG_HOME", home.0.join("config"))
        .env_remove("GNOME_KEYRING_CONTROL");
    for (k, v) in &ws.envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run tessera in its own D-Bus session")
}

#[test]
fn a_locked_keyring_gives_a_clear_error_and_nothing_is_saved() {
    let forge = Forge::start(Behaviour::default());
    let ws = Workspace::new("locked");
    let home = TempDir::new("locked-home");
    let out = isolated(
        &ws,
        &home,
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
    let mut ws = Workspace::new("no-keyring");
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
}
