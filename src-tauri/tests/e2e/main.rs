//! The real desktop app in a real WebKit window, driven through tauri-driver
//! and WebKitWebDriver, against the real local provider, with a real keyring
//! (gnome-keyring) and the browser stand-in as the system browser.
//!
//! Needs a display and a session bus: `.ci/test` runs it as
//! `xvfb-run -a .ci/with-keyring cargo test -p tessera-desktop --test e2e`.
//! Screenshots go to `target/e2e-artifacts/`.

#[path = "../support/mod.rs"]
mod support;
mod webdriver;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::tray_menu::TrayMenu;
use support::{binary, keyring_has, root, Home, Provider, APP};
use webdriver::Session;

const SIGN_IN_WAIT: Duration = Duration::from_secs(60);
const UI_WAIT: Duration = Duration::from_secs(20);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn artifact(name: &str) -> PathBuf {
    root().join("target/e2e-artifacts").join(name)
}

/// tauri-driver with its own ports; the app it starts inherits `home`'s
/// environment (config directory, browser stand-in).
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(home: &Home) -> Driver {
        let port = free_port();
        let native = free_port();
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let child = Command::new(&program)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(home.envs.iter().map(|(k, v)| (k, v)))
            .env("TESSERA_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(home.dir.join("driver.log")).expect("driver log"))
            .spawn()
            .unwrap_or_else(|e| panic!("start {program} (the test command installs it): {e}"));
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }

    fn app(&self) -> Session {
        Session::start(self.port, &binary("tessera-desktop"))
    }
}

/// Quits the app as a user does, from the tray menu: closing its window only
/// hides it (Tessera stays in the tray), and ending the WebDriver session
/// closes the window. Returns the pid that quit.
fn quit(app: Session) -> u32 {
    let tray = TrayMenu::of_running_app(UI_WAIT);
    tray.quit(UI_WAIT);
    app.end();
    tray.pid
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Adds a profile through the editor, starting from the local-provider preset.
fn add_local_profile(app: &Session, name: &str, issuer: &str, client_id: &str) {
    app.click("add-profile");
    let issuer_field = app.wait("preset-field-issuer", UI_WAIT);
    let preset = app.wait("preset", UI_WAIT);
    assert_eq!(
        app.property(&preset, "value").as_deref(),
        Some("local"),
        "a new profile starts from the local provider's preset"
    );
    assert_eq!(
        app.property(&issuer_field, "value").as_deref(),
        Some("http://127.0.0.1:9090"),
        "the preset fills in the local provider's default issuer"
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
    let _one = APP.lock().unwrap_or_else(|e| e.into_inner());
    let provider = Provider::start();
    let home = Home::new("e2e-main");
    let driver = Driver::start(&home);

    let app = driver.app();
    add_local_profile(&app, "local", &provider.issuer, "tessera");
    app.wait("signed-out", UI_WAIT);
    assert!(
        !keyring_has("session:local"),
        "no session before signing in"
    );

    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);
    let email = app.text(&app.wait("user-email", UI_WAIT));
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
    let expiry = app.text(&app.wait("session-expiry", UI_WAIT));
    assert!(
        expiry.starts_with("expires in "),
        "a live countdown: {expiry}"
    );
    assert!(
        keyring_has("session:local"),
        "the session is in the keyring"
    );
    std::thread::sleep(Duration::from_millis(1500)); // the picture and fonts settle
    app.screenshot(&artifact("signed-in.png"));
    let first = quit(app);

    // A restart: a new app process finds the session in the keyring.
    let app = driver.app();
    let second = TrayMenu::of_running_app(UI_WAIT).pid;
    assert_ne!(first, second, "a new process, not the old one shown again");
    app.wait("session", UI_WAIT);
    let email = app.text(&app.wait("user-email", UI_WAIT));
    assert_eq!(email, "demo@example.com", "still signed in after a restart");

    app.click("raw-toggle");
    let raw = app.text(&app.wait("raw-json", UI_WAIT));
    assert!(
        raw.contains("\"sub\": \"demo-user-0001\""),
        "the raw ID token payload: {raw}"
    );

    app.click("sign-out");
    app.click("sign-out-local");
    app.wait("signed-out", UI_WAIT);
    assert!(
        !keyring_has("session:local"),
        "signing out removed the keyring entry"
    );
    app.end();
}

#[test]
fn a_wrong_client_id_gets_a_clear_error_in_the_window_at_once() {
    let _one = APP.lock().unwrap_or_else(|e| e.into_inner());
    let provider = Provider::start();
    let home = Home::new("e2e-client");
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
