//! The sign-in leg in a real browser: Debian's Chromium, headless, driven
//! over WebDriver (chromedriver). Tessera opens its authorization URL there;
//! the browser fills in the local provider's real login and consent pages
//! and lands on Tessera's loopback page, which is checked as a user sees it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use tessera_testkit::webdriver::Session;
use tessera_testkit::{repo_root, Home, LocalProvider};

use crate::home;

/// chromedriver on a free port, stopped when dropped.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (Debian package chromium-driver; ./.ci/test installs it)");
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < until,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        ChromeDriver { child, port }
    }

    /// A headless Chromium with a profile of its own in `dir`.
    fn browser(&self, dir: &std::path::Path) -> Session {
        Session::start_with(
            self.port,
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        format!("--user-data-dir={}", dir.display()),
                    ],
                },
            }}}),
        )
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home whose "system browser" writes the URL it is given to a file, for
/// the test to open in Chromium.
fn home_with_url_drop(tag: &str) -> (Home, PathBuf) {
    let mut ws = home(tag);
    let url_file = ws.path().join("opened-url");
    ws.env(
        "TESSERA_BROWSER",
        &format!("sh -c 'printf %s \"$1\" > {}' sh", url_file.display()),
    );
    (ws, url_file)
}

fn wait_for_file(path: &std::path::Path) -> String {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.is_empty() {
                return text;
            }
        }
        assert!(
            Instant::now() < until,
            "Tessera never opened a browser ({})",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts `tessera login` for `profile`; returns the process and the URL it opened.
fn start_login(
    ws: &Home,
    p: &LocalProvider,
    profile: &str,
    url_file: &std::path::Path,
) -> (Child, String) {
    let child = ws
        .command(&[
            "login",
            "--issuer",
            &p.issuer,
            "--client-id",
            "tessera",
            "--profile",
            profile,
            "--timeout",
            "60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tessera login");
    let url = wait_for_file(url_file);
    (child, url)
}

/// Fills in the local provider's login form and answers its consent page.
fn sign_in_at_the_provider(browser: &Session, allow: bool) {
    let password = browser.wait_css("#password", Duration::from_secs(20));
    browser.send_keys(&password, "demo");
    browser
        .click_element(&browser.wait_css("form[action$='/login'] button", Duration::from_secs(10)));
    let answer = if allow {
        "form[action$='/confirm'] button"
    } else {
        "form[action$='/abort'] button"
    };
    browser.click_element(&browser.wait_css(answer, Duration::from_secs(20)));
}

fn artifacts() -> PathBuf {
    let dir = repo_root().join("target/e2e-artifacts");
    std::fs::create_dir_all(&dir).expect("the artifacts folder");
    dir
}

#[test]
fn a_real_chromium_signs_in_and_lands_on_tesseras_page_which_shows_no_code_or_state() {
    let p = LocalProvider::shared();
    let driver = ChromeDriver::start();
    let (ws, url_file) = home_with_url_drop("chromium");
    let browser = driver.browser(&ws.subdir("chromium-profile"));
    let (login, url) = start_login(&ws, p, "chromium", &url_file);
    assert!(
        url.starts_with(&p.issuer),
        "Tessera opened the provider's authorization URL: {url}"
    );
    browser.navigate(&url);
    sign_in_at_the_provider(&browser, true);
    let landed = browser.wait_until("Tessera's loopback page", Duration::from_secs(30), || {
        let title = browser.title();
        title.contains("Signed in").then_some(title)
    });
    assert_eq!(landed, "Tessera · Signed in", "the page's title");
    let shown = browser.body_text();
    assert!(
        shown.contains("Signed in as"),
        "the page names the user: {shown}"
    );
    let at = url::Url::parse(&browser.current_url()).expect("the page's URL");
    assert_eq!(
        at.host_str(),
        Some("127.0.0.1"),
        "the redirect came back to the loopback listener: {at}"
    );
    let code = at
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("the redirect's code");
    let state = at
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("its state");
    assert!(
        !shown.contains(&code) && !shown.contains(&state),
        "the page never shows the code or the state: {shown}"
    );
    let history = browser_history_length(&browser);
    assert!(
        history <= 4,
        "the provider's pages and the one redirect, nothing more: {history} entries"
    );
    browser.screenshot(&artifacts().join("chromium-signed-in.png"));
    let out = login.wait_with_output().expect("tessera login ends");
    assert!(
        out.status.success(),
        "the sign-in succeeded: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    browser.end();
    tessera_testkit::ok(&ws.tessera(&["logout", "--profile", "chromium"]));
}

#[test]
fn denying_consent_in_a_real_chromium_lands_on_tesseras_error_page_and_stores_nothing() {
    let p = LocalProvider::shared();
    let driver = ChromeDriver::start();
    let (ws, url_file) = home_with_url_drop("chromium-deny");
    let browser = driver.browser(&ws.subdir("chromium-profile"));
    let (login, url) = start_login(&ws, p, "chromium-deny", &url_file);
    browser.navigate(&url);
    sign_in_at_the_provider(&browser, false);
    let landed = browser.wait_until("Tessera's error page", Duration::from_secs(30), || {
        let title = browser.title();
        title.contains("Sign-in failed").then_some(title)
    });
    assert_eq!(landed, "Tessera · Sign-in failed", "the page's title");
    let shown = browser.body_text();
    assert!(
        shown.contains("access_denied"),
        "the page says why: {shown}"
    );
    browser.screenshot(&artifacts().join("chromium-denied.png"));
    let out = login.wait_with_output().expect("tessera login ends");
    assert!(!out.status.success(), "the sign-in failed");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("access_denied"),
        "with the provider's reason on stderr"
    );
    tessera_testkit::assert_keyring_lacks(
        &ws.entry("session:chromium-deny"),
        "a denied sign-in stores nothing",
    );
    browser.end();
}

/// How many entries the tab's history has.
fn browser_history_length(browser: &Session) -> u64 {
    browser
        .execute("return window.history.length")
        .as_u64()
        .unwrap_or(u64::MAX)
}
