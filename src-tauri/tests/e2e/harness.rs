//! What every end-to-end test stands on: tauri-driver on its own ports, the
//! environment the app inherits from it (a throwaway config directory, the
//! browser stand-in), and a way to quit the app as a user does.
//!
//! tauri-driver starts WebKitWebDriver, which starts the app for each new
//! WebDriver session, so the app gets tauri-driver's environment.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub use tessera_testkit::clipboard;
use tessera_testkit::tray_menu::TrayMenu;
use tessera_testkit::{built_binary, repo_root, Home};

use tessera_testkit::webdriver::Session;

/// A throwaway home with one profile for the public client `tessera` of
/// the provider at `issuer`, saved through the command line as a user would.
pub fn home_with_profile(tag: &str, profile: &str, issuer: &str) -> Home {
    let home = Home::new(tag, built_binary("tessera"));
    tessera_testkit::ok(&home.tessera(&[
        "profiles",
        "save",
        "--profile",
        profile,
        "--issuer",
        issuer,
        "--client-id",
        "tessera",
    ]));
    home
}

/// How long the window may take to show what a click asked for.
pub const UI_WAIT: Duration = Duration::from_secs(20);
/// A sign-in goes through the browser stand-in and the provider.
pub const SIGN_IN_WAIT: Duration = Duration::from_secs(60);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Where a screenshot goes: `target/e2e-artifacts/`, which CI keeps.
pub fn artifact(name: &str) -> PathBuf {
    repo_root().join("target/e2e-artifacts").join(name)
}

/// WebKitWebDriver when it is not on PATH: Debian puts it in /usr/bin, some
/// Ubuntu images only under the WebKitGTK library directory. `WEBKIT_WEBDRIVER`
/// names it explicitly.
fn native_driver() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("WEBKIT_WEBDRIVER") {
        return Some(path.into());
    }
    let on_path = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("WebKitWebDriver").is_file())
    });
    if on_path {
        return None;
    }
    let lib = std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|arch| arch.path().join("webkit2gtk-4.1/WebKitWebDriver"));
    let found = lib
        .chain([PathBuf::from("/usr/libexec/webkit2gtk-4.1/WebKitWebDriver")])
        .find(|p| p.is_file());
    assert!(
        found.is_some(),
        "WebKitWebDriver is neither on PATH nor in WebKitGTK's directories: \
         install webkit2gtk-driver (.ci/setup does) or set WEBKIT_WEBDRIVER"
    );
    found
}

/// tauri-driver on free ports of 127.0.0.1, so it never meets another
/// engineer's driver on the default 4444/4445. Killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start(home: &Home) -> Driver {
        let port = free_port();
        let native = free_port();
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut command = Command::new(&program);
        command.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ]);
        if let Some(path) = native_driver() {
            command.arg("--native-driver").arg(path);
        }
        let log = home.path().join("driver.log");
        let mut child = home
            .apply(&mut command)
            // Every level of every crate (Tessera's, Tauri's, the HTTP, TLS
            // and D-Bus crates), so a test can check that even they name no
            // token.
            .env("TESSERA_LOG", "trace")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("driver log"))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {program} (.ci/setup installs tauri-driver 2.1.0): {e}")
            });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Driver { child, port };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "tauri-driver exited with {status} before listening: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("tauri-driver did not listen on 127.0.0.1:{port} within 10 s");
    }

    /// Starts the app (a new WebDriver session) and waits for its window.
    pub fn app(&self) -> Session {
        Session::start(self.port, &built_binary("tessera-desktop"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Quits the app as a user does, from the tray menu: closing its window only
/// hides it (Tessera stays in the tray), so ending the WebDriver session alone
/// would leave the process running. Returns the pid that quit.
pub fn quit(app: Session) -> u32 {
    let tray = TrayMenu::of_running_app(UI_WAIT);
    tray.quit(UI_WAIT);
    app.end();
    tray.pid
}
