//! The real desktop app, started as a user starts it, driven through its tray
//! menu over D-Bus: sign-in through the browser (the browser stand-in) against
//! the real local provider, sign-out, profile switching, the session shared
//! with the `tessera` command line, and a custom-scheme redirect handed over by
//! the OS (`gio open`, single-instance forwarding, the deep-link plugin).
//!
//! Needs a display, a session bus and a keyring: `.ci/test` runs it as
//! `xvfb-run -a .ci/with-keyring cargo test -p tessera-desktop --test desktop`.
//! The app is single-instance per session bus, so tests run one at a time.

mod notifications;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use notifications::NotificationServer;
use tessera_testkit::tray_menu::TrayMenu;
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, built_binary, call_api, clipboard, failed, ok,
    one_app_at_a_time, stored_refresh_token, Home, LocalProvider,
};

/// The running app; killed when dropped.
struct App {
    child: Child,
    tray: TrayMenu,
}

impl App {
    fn start(home: &Home) -> App {
        let log = std::fs::File::create(home.path().join("app.log")).expect("create the app's log");
        let child = home
            .apply(&mut Command::new(built_binary("tessera-desktop")))
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

/// Whether the process has a window titled Tessera that is mapped and
/// viewable on the display (`xdotool search --onlyvisible`).
fn window_shown(pid: u32) -> bool {
    let pid = pid.to_string();
    Command::new("xdotool")
        .args([
            "search",
            "--onlyvisible",
            "--pid",
            &pid,
            "--name",
            "^Tessera$",
        ])
        .output()
        .map(|o| o.status.success() && !o.stdout.is_empty())
        .unwrap_or(false)
}

/// Polls `check` every 100 ms until it holds; fails with `why` once `wait`
/// has passed first.
fn eventually(wait: Duration, why: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + wait;
    while !check() {
        assert!(Instant::now() < deadline, "{why} (waited {wait:?})");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_tray_menu_signs_in_and_out_and_the_command_line_shares_the_session() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("tray", built_binary("tessera"));
    let scopes = "openid profile email offline_access roles groups";
    for name in ["tray", "tray-other"] {
        ok(&home.tessera(&[
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
        ]));
    }
    let notifications = NotificationServer::start();
    let app = App::start(&home);
    let tray = &app.tray;

    tray.wait_for_status(
        "the first profile, signed out",
        Duration::from_secs(20),
        |s| s == "tray: signed out",
    );
    // The window is created hidden and shown once its page has loaded,
    // which is before the tray starts.
    eventually(
        Duration::from_secs(5),
        "the window shows itself once its page has loaded, without anyone asking",
        || window_shown(app.child.id()),
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
    assert_keyring_has(&home.entry("session:tray"), "the session is in the keyring");
    assert!(
        home.browser_log().contains("done: 200 Tessera · Signed in"),
        "the browser came back to Tessera's loopback page: {}",
        home.browser_log()
    );

    let signed_in = notifications.wait_for("Signed in", Duration::from_secs(10));
    assert_eq!(
        signed_in.app_name, "Tessera",
        "the desktop's notification server shows it as Tessera's"
    );

    // The command line uses the session the tray signed in with.
    let token = ok(&home.tessera(&["token", "--profile", "tray"]));
    let (status, body) = call_api(&provider.issuer, "/api/me", &token);
    assert_eq!(
        status, 200,
        "the shared token works at the demo API: {body}"
    );

    // Copying from the tray: the token on the clipboard, and a notification.
    tray.click("Copy access token");
    let copied = notifications.wait_for("Access token copied", Duration::from_secs(10));
    assert_eq!(
        copied.body, "Profile tray",
        "the notification names the profile"
    );
    eventually(
        Duration::from_secs(10),
        "the clipboard holds the access token another X client reads",
        || clipboard().as_deref() == Some(token.trim()),
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
    assert_keyring_lacks(
        &home.entry("session:tray"),
        "sign-out removed the keyring entry",
    );
    let line = failed(&home.tessera(&["token", "--profile", "tray"]));
    assert!(
        line.contains("not signed in"),
        "the command line sees the sign-out too: {line}"
    );
}

#[test]
fn a_custom_scheme_redirect_reaches_the_running_app_through_the_os() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let mut home = Home::new("scheme", built_binary("tessera"));
    // The browser stand-in hands a custom-scheme redirect to the OS, as a
    // real browser does.
    home.env("BROWSER_SCHEME_HANDLER", "gio open");
    ok(&home.tessera(&[
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
    ]));
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
    assert_keyring_has(
        &home.entry("session:scheme"),
        "the session is in the keyring",
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
    let _one = one_app_at_a_time();
    // Access tokens live 20 s: always inside the refresh lead.
    let provider = LocalProvider::start(&["--access-token-ttl", "20"]);
    let home = Home::new("refresh", built_binary("tessera"));
    ok(&home.tessera(&[
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
    ]));
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
    let before = stored_refresh_token(&home.keyring_profile("refresh"))
        .expect("the sign-in stored a refresh token");

    // Nothing but the app touches the session, and the provider rotates the
    // refresh token on every refresh: a different refresh token in the
    // keyring means the app refreshed by itself.
    let wait = Duration::from_secs(45);
    let until = Instant::now() + wait;
    let mut after = before.clone();
    while after == before && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(500));
        after = stored_refresh_token(&home.keyring_profile("refresh"))
            .expect("the session keeps a refresh token while the app refreshes it");
    }
    assert_ne!(
        after, before,
        "the app saved a rotated refresh token within {wait:?} of signing in with an access token that expires in 20 s"
    );
    let status = app.tray.status();
    assert!(
        status.starts_with("refresh: Dana Demo"),
        "still signed in after the refresh: {status}"
    );
}
