//! Shared by the desktop and e2e test binaries: the real local provider, a
//! throwaway Tessera home (config directory, browser stand-in), the built
//! binaries, and independent checks of the keyring and the demo API.
#![allow(dead_code)]

pub mod tray_menu;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::Mutex;

/// One app at a time: it is single-instance on the session bus.
pub static APP: Mutex<()> = Mutex::new(());

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn binary(name: &str) -> PathBuf {
    // This test's own executable sits in <target>/debug/deps/.
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(PathBuf::from))
        .unwrap_or_else(|| root().join("target/debug"));
    let path = target.join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (cargo build --workspace)",
        path.display()
    );
    path
}

pub struct Provider {
    pub issuer: String,
    _child: Child,
    _stdin: ChildStdin,
}

impl Provider {
    pub fn start() -> Provider {
        Self::start_with(&[])
    }

    /// With extra flags, e.g. `["--access-token-ttl", "20"]`.
    pub fn start_with(extra: &[&str]) -> Provider {
        let mut child = Command::new("node")
            .arg(root().join("dev/provider.mjs"))
            .args(["--port", "0", "--ephemeral", "--exit-with-stdin"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start node dev/provider.mjs");
        let stdin = child.stdin.take().expect("stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let issuer = loop {
            let line = lines
                .next()
                .expect("the provider printed its ready line")
                .expect("read");
            if let Some((_, issuer)) = line.split_once("issuer: ") {
                break issuer.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Provider {
            issuer,
            _child: child,
            _stdin: stdin,
        }
    }
}

/// A user's Tessera: a config directory and the environment the app gets.
pub struct Home {
    pub dir: PathBuf,
    pub envs: Vec<(String, String)>,
}

impl Home {
    pub fn new(tag: &str) -> Home {
        let dir =
            std::env::temp_dir().join(format!("tessera-desktop-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let browser = format!(
            "node {} --log {}",
            root().join("dev/browser.mjs").display(),
            dir.join("browser.log").display()
        );
        Home {
            envs: vec![
                ("TESSERA_CONFIG_DIR".into(), dir.display().to_string()),
                ("TESSERA_BROWSER".into(), browser),
                ("BROWSER_SCHEME_HANDLER".into(), "gio open".into()),
            ],
            dir,
        }
    }

    pub fn tessera(&self, args: &[&str]) -> Output {
        Command::new(binary("tessera"))
            .args(args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run tessera")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.tessera(args);
        assert!(
            out.status.success(),
            "tessera {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn browser_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("browser.log")).unwrap_or_default()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        // A failing test leaves its logs (app, driver, browser) for a look.
        if std::thread::panicking() {
            eprintln!("logs kept in {}", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The refresh token inside the stored session, read with libsecret's own
/// tool (the head entry holds a header line, then the session's JSON).
pub fn stored_refresh_token(profile: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "tessera",
            "username",
            &format!("session:{profile}"),
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = text.split_once('\n')?.1;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    v["refresh_token"].as_str().map(str::to_owned)
}

pub fn keyring_has(username: &str) -> bool {
    Command::new("secret-tool")
        .args(["lookup", "service", "tessera", "username", username])
        .output()
        .map(|o| o.status.success() && !o.stdout.is_empty())
        .unwrap_or(false)
}

pub fn api_status(issuer: &str, token: &str) -> u16 {
    use std::io::{Read, Write};
    let url = url::Url::parse(issuer).expect("issuer URL");
    let mut stream =
        std::net::TcpStream::connect((url.host_str().expect("host"), url.port().expect("port")))
            .expect("connect to the demo API");
    write!(
        stream,
        "GET /api/me HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n",
        token.trim()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}
