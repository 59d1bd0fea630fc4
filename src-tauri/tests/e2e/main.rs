//! The real desktop app in a real WebKit window, driven through tauri-driver
//! and WebKitWebDriver, against the real local provider, with a real keyring
//! (gnome-keyring) and the browser stand-in as the system browser.
//!
//! Needs a display and a session bus: `.ci/test` runs it as
//! `xvfb-run -a .ci/with-keyring cargo test -p tessera-desktop --test e2e`.
//! Screenshots go to `target/e2e-artifacts/`.

mod flow;
mod grants;
mod harness;
mod resource;
mod tools;

use std::time::Duration;

use tessera_testkit::tray_menu::TrayMenu;
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, built_binary, one_app_at_a_time, Home, LocalProvider,
};

use harness::{artifact, quit, Driver, SIGN_IN_WAIT, UI_WAIT};
use tessera_testkit::webdriver::Session;

/// Waits until the window has loaded the profiles, and returns their entries
/// in the sidebar.
fn sidebar_profiles(app: &Session) -> usize {
    app.wait_until("the profiles to load", UI_WAIT, || {
        app.find(".loading")
            .is_none()
            .then(|| app.find_all("nav [data-testid^=\"profile-\"]").len())
    })
}

/// Adds a profile through the editor as a user does: picks the local
/// provider's preset from the list and points its issuer at the test provider
/// (which runs on a random port).
fn add_local_profile(app: &Session, name: &str, issuer: &str, client_id: &str) {
    app.click("add-profile");
    let preset = app.wait("preset", UI_WAIT);
    app.wait_until("a new profile's preset", UI_WAIT, || {
        app.property(&preset, "value")
            .is_some_and(|v| v == "local")
            .then_some(())
    });
    // Away and back, so the choice is the user's and the preset is applied
    // afresh by the select's change event.
    app.select("preset", "keycloak");
    app.wait_gone("preset-field-issuer", UI_WAIT);
    app.select("preset", "local");
    let issuer_field = app.wait("preset-field-issuer", UI_WAIT);
    assert_eq!(
        app.property(&issuer_field, "value").as_deref(),
        Some("http://127.0.0.1:9090"),
        "choosing the local preset fills in the local provider's default issuer"
    );
    assert_eq!(
        app.property(&app.wait("profile-client-id", UI_WAIT), "value")
            .as_deref(),
        Some("tessera"),
        "choosing the local preset fills in the local provider's client id"
    );
    app.type_into("preset-field-issuer", issuer);
    app.type_into("profile-name", name);
    app.type_into("profile-client-id", client_id);
    app.click("profile-save");
    app.wait_css(
        &format!("[data-testid=\"profile-{name}\"][aria-current=\"true\"]"),
        UI_WAIT,
    );
}

#[test]
fn a_user_adds_the_local_profile_signs_in_sees_the_claims_stays_signed_in_after_a_restart_and_signs_out(
) {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-main", built_binary("tessera"));
    let driver = Driver::start(&home);

    let app = driver.app();
    assert_eq!(
        sidebar_profiles(&app),
        0,
        "a first start has no profiles: the config directory is new"
    );
    add_local_profile(&app, "local", &provider.issuer, "tessera");
    app.wait("signed-out", UI_WAIT);
    assert_keyring_lacks(&home.entry("session:local"), "no session before signing in");

    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);
    let email = app.text_of("user-email", UI_WAIT);
    assert_eq!(
        email, "demo@example.com",
        "the claims view shows the demo user"
    );
    let roles: Vec<String> = app
        .find_all("[data-testid=\"role\"]")
        .iter()
        .map(|r| app.text(r))
        .collect();
    assert!(
        roles.contains(&"developer".to_string()) && roles.contains(&"viewer".to_string()),
        "the demo user's roles show as chips: {roles:?}"
    );
    let email_row = app.wait("claim-email", UI_WAIT);
    assert!(
        app.text(&email_row).contains("both"),
        "email came from the ID token and userinfo: {}",
        app.text(&email_row)
    );
    let expiry = app.text_of("session-expiry", UI_WAIT);
    assert!(
        expiry.starts_with("expires in "),
        "a live countdown: {expiry}"
    );
    assert_keyring_has(
        &home.entry("session:local"),
        "the session is in the keyring",
    );
    // The picture loads, and the "Added local" toast goes, before the photo.
    for _ in 0..50 {
        if app.find("[data-testid=\"toast\"]").is_none() && app.find(".avatar").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    app.screenshot(&artifact("signed-in.png"));
    let first = quit(app);

    // A restart: a new app process finds the session in the keyring.
    let app = driver.app();
    let second = TrayMenu::of_running_app(UI_WAIT).pid;
    assert_ne!(first, second, "a new process, not the old one shown again");
    app.wait("session", UI_WAIT);
    let email = app.text_of("user-email", UI_WAIT);
    assert_eq!(email, "demo@example.com", "still signed in after a restart");

    app.click("raw-toggle");
    let raw = app.text_of("raw-json", UI_WAIT);
    assert!(
        raw.contains("\"sub\": \"demo-user-0001\""),
        "the raw ID token payload: {raw}"
    );

    app.click("sign-out");
    app.click("sign-out-local");
    app.wait("signed-out", UI_WAIT);
    assert_keyring_lacks(
        &home.entry("session:local"),
        "signing out removed the keyring entry",
    );
    app.end();
}

#[test]
fn a_wrong_client_id_gets_a_clear_error_in_the_window_at_once() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-client", built_binary("tessera"));
    let driver = Driver::start(&home);
    let app = driver.app();
    add_local_profile(&app, "wrong-client", &provider.issuer, "no-such-client");

    app.click("sign-in");
    let error = app.wait("sign-in-error", Duration::from_secs(15));
    assert_eq!(
        app.attribute(&error, "data-code").as_deref(),
        Some("client_rejected"),
        "the provider's refusal is recognised, not left to time out"
    );
    let text = app.text(&error);
    assert!(
        text.contains("no-such-client") && text.contains("check the client id"),
        "the message names the client id and what to do: {text}"
    );
    assert!(
        !home.browser_log().contains("/auth"),
        "no browser was sent to a request the provider refuses: {}",
        home.browser_log()
    );
    app.screenshot(&artifact("wrong-client-id.png"));
    quit(app);
}

#[test]
fn the_tray_menu_signs_in_and_out_and_the_window_follows() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-tray", built_binary("tessera"));
    let driver = Driver::start(&home);
    let app = driver.app();
    add_local_profile(&app, "tray", &provider.issuer, "tessera");
    app.wait("signed-out", UI_WAIT);

    // The menu a desktop panel shows, read and clicked over D-Bus.
    let tray = TrayMenu::of_running_app(UI_WAIT);
    tray.wait_for_status("the new profile, signed out", UI_WAIT, |s| {
        s == "tray: signed out"
    });
    assert!(
        !tray.item("Sign out").enabled,
        "the tray offers no sign-out before a sign-in"
    );

    tray.click("Sign in");
    app.wait("session", SIGN_IN_WAIT);
    let email = app.text_of("user-email", UI_WAIT);
    assert_eq!(
        email, "demo@example.com",
        "a sign-in started from the tray shows the user in the window"
    );
    let status = tray.wait_for_status("the signed-in user", UI_WAIT, |s| {
        s.starts_with("tray: Dana Demo · ")
    });
    assert!(
        status.ends_with("min left"),
        "the tray's status line shows the time left: {status}"
    );
    assert!(
        !tray.item("Sign in").enabled && tray.item("Sign out").enabled,
        "once signed in, the tray offers sign-out and not sign-in: {:?}",
        tray.items()
    );
    assert_keyring_has(
        &home.entry("session:tray"),
        "the tray's sign-in stored the session in the keyring",
    );
    app.screenshot(&artifact("tray-signed-in.png"));

    tray.click("Sign out");
    app.wait("signed-out", UI_WAIT);
    tray.wait_for_status("signed out again", UI_WAIT, |s| s == "tray: signed out");
    assert_keyring_lacks(
        &home.entry("session:tray"),
        "a sign-out from the tray removed the keyring entry",
    );
    quit(app);
}
