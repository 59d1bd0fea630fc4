//! The real desktop app, started as a user starts it, driven through its tray
//! menu over D-Bus: sign-in through the browser (the browser stand-in) against
//! the real local provider, sign-out, profile switching, the session shared
//! with the `tessera` command line, and a custom-scheme redirect handed over by
//! the OS (`gio open`, single-instance forwarding, the deep-link plugin).
//!
//! Needs a display, a session bus and a keyring: `.ci/test` runs it as
//! `xvfb-run -a .ci/with-keyring cargo test -p tessera-desktop --test desktop`.
//! The app is single-instance per session bus, so tests run one at a time.

#[path = "../support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::tray_menu::TrayMenu;
use support::{api_status, binary, keyring_has, stored_refresh_token, Home, Provider, APP};

/// The running app; killed when dropped.
struct App {
    child: Child,
    tray: TrayMenu,
}

impl App {
    fn start(home: &Home) -> App {
        let log = std::fs::File::create(home.dir.join("app.log")).expect("app log");
        let child = Command::new(binary("tessera-desktop"))
            .envs(home.envs.iter().map(|(k, v)| (k, v)))
            .env("TESSERA_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start tessera-desktop");
        let tray = TrayMenu::of_process(child.id(), Duration::from_secs(30));
        App { child, tray }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // Quit as a user does, so the WebKit processes end with the app; kill
        // only if that fails (a test that panicked mid-way).
        let quit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.tray.quit(Duration::from_secs(10))
        }));
        if quit.is_err() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

const SIGN_IN_WAIT: Duration = Duration::from_secs(60);

#[test]
fn the_tray_menu_signs_in_and_out_and_the_command_line_shares_the_session() {
    let _one = APP.lock().unwrap_or_else(|e| e.into_inner());
    let provider = Provider::start();
    let home = Home::new("tray");
    let scopes = "openid profile email offline_access roles groups";
    for name in ["tray", "tray-other"] {
        home.ok(&[
            "profiles",
            "save",
            "--profile",
            name,
            "--issuer",
            &provider.issuer,
            "--client-id",
            "tessera",
            "--scope",
            scopes,
        ]);
    }
    let app = App::start(&home);
    let tray = &app.tray;

    tray.wait_for_status(
        "the first profile, signed out",
        Duration::from_secs(20),
        |s| s == "tray: signed out",
    );
    assert!(!tray.item("Sign out").enabled, "nothing to sign out of yet");
    assert!(
        !tray.item("Copy access token").enabled,
        "no token to copy yet"
    );

    tray.click("Sign in");
    let status = tray.wait_for_status("the signed-in user", SIGN_IN_WAIT, |s| {
        s.starts_with("tray: Dana Demo · ")
    });
    assert!(
        status.ends_with("min left"),
        "the status shows the time left: {status}"
    );
    assert!(!tray.item("Sign in").enabled, "already signed in");
    assert!(keyring_has("session:tray"), "the session is in the keyring");
    assert!(
        home.browser_log().contains("done: 200 Tessera · Signed in"),
        "the browser came back to Tessera's loopback page: {}",
        home.browser_log()
    );

    // The command line uses the session the tray signed in with.
    let token = home.ok(&["token", "--profile", "tray"]);
    assert_eq!(
        api_status(&provider.issuer, &token),
        200,
        "the shared token works at the demo API"
    );

    tray.click("tray-other");
    tray.wait_for_status("the switched profile", Duration::from_secs(10), |s| {
        s == "tray-other: signed out"
    });
    assert!(
        tray.item("Sign in").enabled,
        "the other profile can sign in"
    );
    tray.click("tray ●");
    tray.wait_for_status("the first profile again", Duration::from_secs(10), |s| {
        s.starts_with("tray: Dana Demo")
    });

    tray.click("Sign out");
    tray.wait_for_status("signed out", Duration::from_secs(20), |s| {
        s == "tray: signed out"
    });
    assert!(
        !keyring_has("session:tray"),
        "sign-out removed the keyring entry"
    );
    let after = home.tessera(&["token", "--profile", "tray"]);
    assert!(
        !after.status.success(),
        "the command line sees the sign-out too"
    );
}

#[test]
fn a_custom_scheme_redirect_reaches_the_running_app_through_the_os() {
    let _one = APP.lock().unwrap_or_else(|e| e.into_inner());
    let provider = Provider::start();
    let home = Home::new("scheme");
    home.ok(&[
        "profiles",
        "save",
        "--profile",
        "scheme",
        "--issuer",
        &provider.issuer,
        "--client-id",
        "tessera",
        "--redirect-uri",
        "dev.tessera.app:/callback",
    ]);
    let app = App::start(&home);
    app.tray
        .wait_for_status("the profile", Duration::from_secs(20), |s| {
            s == "scheme: signed out"
        });

    app.tray.click("Sign in");
    app.tray
        .wait_for_status("the signed-in user", SIGN_IN_WAIT, |s| {
            s.starts_with("scheme: Dana Demo")
        });
    let log = home.browser_log();
    assert!(
        log.contains("handed dev.tessera.app:/callback?code&state&iss to gio: exit 0"),
        "the redirect went through the OS's scheme handler, not a loopback listener: {log}"
    );
    assert!(
        keyring_has("session:scheme"),
        "the session is in the keyring"
    );
    let registered = std::env::var("XDG_DATA_HOME")
        .map(|d| Path::new(&d).join("applications/tessera-desktop-handler.desktop"))
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    assert!(
        registered.contains("x-scheme-handler/dev.tessera.app") && registered.contains("%u"),
        "the app registered its scheme for URLs at run time: {registered}"
    );
}

#[test]
fn the_app_refreshes_a_session_ahead_of_expiry_on_its_own() {
    let _one = APP.lock().unwrap_or_else(|e| e.into_inner());
    // Access tokens live 20 s: always inside the refresh lead.
    let provider = Provider::start_with(&["--access-token-ttl", "20"]);
    let home = Home::new("refresh");
    home.ok(&[
        "profiles",
        "save",
        "--profile",
        "refresh",
        "--issuer",
        &provider.issuer,
        "--client-id",
        "tessera",
        "--scope",
        "openid profile email offline_access",
    ]);
    let app = App::start(&home);
    app.tray
        .wait_for_status("the profile", Duration::from_secs(20), |s| {
            s == "refresh: signed out"
        });
    app.tray.click("Sign in");
    app.tray
        .wait_for_status("the signed-in user", SIGN_IN_WAIT, |s| {
            s.starts_with("refresh: Dana Demo")
        });
    let first = stored_refresh_token("refresh").expect("a refresh token was stored");

    // Nothing but the app touches the session: a new (rotated) refresh token
    // in the keyring means the app refreshed by itself.
    let until = std::time::Instant::now() + Duration::from_secs(45);
    let rotated = loop {
        match stored_refresh_token("refresh") {
            Some(current) if current != first => break current,
            _ => {}
        }
        assert!(
            std::time::Instant::now() < until,
            "the app did not refresh within 45 s of a token that expires in 20 s"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(!rotated.is_empty(), "the rotated refresh token was saved");
    let status = app.tray.status();
    assert!(
        status.starts_with("refresh: Dana Demo"),
        "still signed in after the refresh: {status}"
    );
}
