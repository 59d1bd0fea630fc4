//! The keyring failing: locked (no unlocked default collection) or absent.
//! Each case runs Tessera in its own D-Bus session with its own gnome-keyring
//! and home, so the test run's unlocked keyring is not involved.

use std::process::Command;

use tessera_testkit::{failed, json, Home};

use crate::forge::{Behaviour, Forge, TokenMode};
use crate::home;

/// Runs `tessera args…` with `ws`'s config in a D-Bus session of its own,
/// whose HOME and XDG directories are new directories inside `ws`.
fn isolated(ws: &Home, start_keyring: bool, args: &[&str]) -> std::process::Output {
    let keyring = if start_keyring {
        // No --unlock: the daemon runs, but there is no unlocked default collection.
        "gnome-keyring-daemon --components=secrets --daemonize >/dev/null 2>&1 </dev/null; "
    } else {
        ""
    };
    own_session(ws, &format!("{keyring}exec \"$TESSERA\" \"$@\""), args)
        .output()
        .expect("run tessera in its own D-Bus session")
}

/// `sh -c script` (its `$@` being `args`) in a D-Bus session of its own,
/// whose HOME and XDG directories are directories inside `ws` (the same ones
/// each time), `$TESSERA` being the binary under test.
fn own_session(ws: &Home, script: &str, args: &[&str]) -> Command {
    let user_home = ws.subdir("home");
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", script, "sh"])
        .args(args)
        .env("TESSERA", env!("CARGO_BIN_EXE_tessera"))
        .env("HOME", &user_home)
        .env("XDG_RUNTIME_DIR", ws.subdir("run"))
        .env("XDG_DATA_HOME", user_home.join("data"))
        .env("XDG_CONFIG_HOME", user_home.join("config"))
        .env_remove("GNOME_KEYRING_CONTROL");
    ws.apply(&mut cmd);
    cmd
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

/// Runs a shell script in a D-Bus session of its own ([`own_session`])
/// with an unlocked gnome-keyring whose files live in `ws` (the same keyring
/// each time: its password is fixed).
fn in_own_keyring(ws: &Home, script: &str) -> std::process::Output {
    let prelude = r#"
      printf %s tessera-test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
      for _ in $(seq 100); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
        sleep 0.1
      done
    "#;
    // No display: a locked keyring's unlock prompt gives up instead of waiting.
    own_session(ws, &format!("{prelude}\n{script}"), &[])
        .env_remove("DISPLAY")
        .output()
        .expect("run a script in its own D-Bus session")
}

#[test]
fn a_keyring_that_locks_mid_refresh_gives_one_line_and_keeps_the_previous_session() {
    let ws = home("lock-mid-refresh");
    let bus_file = ws.path().join("bus-address");
    let forge = Forge::start(Behaviour::default());
    let out_dir = ws.subdir("out");
    let login = in_own_keyring(
        &ws,
        &format!(
            r#"printf %s "$DBUS_SESSION_BUS_ADDRESS" > '{bus}'
               "$TESSERA" login --issuer '{issuer}' --client-id tessera-test --profile p --timeout 20 --json > '{out}/login.json'"#,
            bus = bus_file.display(),
            issuer = forge.issuer,
            out = out_dir.display()
        ),
    );
    assert!(
        login.status.success(),
        "signed in: {}",
        String::from_utf8_lossy(&login.stderr)
    );
    let first: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("login.json")).expect("login's JSON"))
            .expect("JSON");

    // The provider locks the keyring when the refresh reaches it: the new
    // tokens arrive with nowhere to go.
    forge.set(|b| b.token = TokenMode::LockKeyringOnRefresh(bus_file.clone()));
    let refresh = in_own_keyring(
        &ws,
        &format!(
            r#"printf %s "$DBUS_SESSION_BUS_ADDRESS" > '{bus}'
               "$TESSERA" refresh --profile p"#,
            bus = bus_file.display()
        ),
    );
    let line = failed(&refresh);
    assert!(
        line.contains("the OS keyring is locked"),
        "one line naming the keyring: {line}"
    );
    assert_eq!(
        refresh.status.code(),
        Some(7),
        "keyring failures exit 7: {line}"
    );
    assert_eq!(
        forge.hits("/token"),
        2,
        "the refresh did reach the provider (after the sign-in's code exchange)"
    );

    // Unlocked again, the keyring still holds the session from before, whole.
    forge.set(|b| b.token = TokenMode::Ok);
    let after = in_own_keyring(&ws, r#""$TESSERA" token --profile p"#);
    assert!(
        after.status.success(),
        "the session loads: {}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&after.stdout).trim(),
        first["access_token"].as_str().expect("an access token"),
        "the previous session is intact: neither lost nor half-written"
    );
}
