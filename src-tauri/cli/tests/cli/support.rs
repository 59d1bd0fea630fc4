//! Shared test harness: the real `tessera` binary in an isolated config
//! directory, the real local OpenID provider (oidc-provider, started once per
//! test run), the browser double `dev/browser.mjs`, and the real keyring
//! (the test command runs everything under dbus-run-session with an unlocked
//! gnome-keyring).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tessera-it-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One user's Tessera: its own config directory, browser log and profile names.
pub struct Workspace {
    pub dir: TempDir,
    pub envs: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(tag: &str) -> Self {
        let dir = TempDir::new(tag);
        let browser = format!(
            "node {} --log {}",
            repo_root().join("dev/browser.mjs").display(),
            dir.0.join("browser.log").display()
        );
        Self {
            envs: vec![
                ("TESSERA_CONFIG_DIR".into(), dir.0.display().to_string()),
                ("TESSERA_BROWSER".into(), browser),
            ],
            dir,
        }
    }

    /// Sets an environment variable for every later command (browser knobs).
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.envs.retain(|(k, _)| k != key);
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn tessera(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tessera"));
        cmd.args(args)
            .env_remove("TESSERA_PROFILE")
            .env_remove("TESSERA_CLIENT_SECRET")
            .env_remove("TESSERA_LOG")
            .stdin(Stdio::null());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd.output().expect("run tessera")
    }

    /// Runs tessera with `input` on stdin.
    pub fn tessera_with_stdin(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tessera"));
        cmd.args(args)
            .env_remove("TESSERA_PROFILE")
            .env_remove("TESSERA_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("run tessera");
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes()).expect("write stdin");
        }
        child.wait_with_output().expect("tessera finishes")
    }

    pub fn browser_log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("browser.log")).unwrap_or_default()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns stdout.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "tessera should succeed; stderr: {}\nstdout: {}",
        stderr(o),
        stdout(o)
    );
    stdout(o)
}

/// Asserts failure and returns the single stderr line.
pub fn failed(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "tessera should fail; stdout: {}",
        stdout(o)
    );
    let err = stderr(o);
    let last = err.lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("tessera: "),
        "errors are one line prefixed with tessera: {err}"
    );
    last
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("stdout is JSON")
}

/// A real secret lookup through libsecret's own tool, independent of Tessera's code.
pub fn keyring_has(username: &str) -> bool {
    Command::new("secret-tool")
        .args(["lookup", "service", "tessera", "username", username])
        .output()
        .map(|o| o.status.success() && !o.stdout.is_empty())
        .unwrap_or(false)
}

/// The local oidc-provider, started once for the whole test run.
pub struct LocalProvider {
    pub issuer: String,
    _child: Child,
    _stdin: ChildStdin,
}

static PROVIDERS: OnceLock<Mutex<Vec<&'static LocalProvider>>> = OnceLock::new();

impl LocalProvider {
    fn start(extra: &[&str]) -> LocalProvider {
        let script = repo_root().join("dev/provider.mjs");
        let mut child = Command::new("node")
            .arg(&script)
            .args(["--port", "0", "--ephemeral", "--exit-with-stdin"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node dev/provider.mjs (run the README's test command, which installs Node packages)");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let issuer = loop {
            let line = lines
                .next()
                .expect("the provider printed its ready line")
                .expect("read provider output");
            if let Some((_, issuer)) = line.split_once("issuer: ") {
                break issuer.trim().to_string();
            }
        };
        // Keep draining stdout so the provider never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        LocalProvider {
            issuer,
            _child: child,
            _stdin: stdin,
        }
    }

    /// The default provider (access tokens live 600 s).
    pub fn shared() -> &'static LocalProvider {
        static P: OnceLock<&'static LocalProvider> = OnceLock::new();
        P.get_or_init(|| Self::leak(Self::start(&[])))
    }

    /// A provider whose access tokens are always within the refresh margin.
    pub fn short_lived() -> &'static LocalProvider {
        static P: OnceLock<&'static LocalProvider> = OnceLock::new();
        P.get_or_init(|| Self::leak(Self::start(&["--access-token-ttl", "20"])))
    }

    fn leak(p: LocalProvider) -> &'static LocalProvider {
        let p: &'static LocalProvider = Box::leak(Box::new(p));
        PROVIDERS
            .get_or_init(|| Mutex::new(Vec::new()))
            .lock()
            .unwrap()
            .push(p);
        p
    }
}

/// A plain HTTP/1.0 exchange over loopback, independent of Tessera's client.
pub fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let u = url::Url::parse(url).expect("url");
    let mut stream =
        std::net::TcpStream::connect((u.host_str().unwrap(), u.port().unwrap())).expect("connect");
    let mut target = u.path().to_string();
    if let Some(q) = u.query() {
        target = format!("{target}?{q}");
    }
    let mut req = format!(
        "{method} {target} HTTP/1.0\r\nHost: {}\r\nContent-Length: {}\r\n",
        u.host_str().unwrap(),
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GET a demo API path with a bearer token; returns status and body.
pub fn call_api(issuer: &str, path: &str, token: &str) -> (u16, String) {
    http(
        "GET",
        &format!("{issuer}{path}"),
        &[("Authorization", &format!("Bearer {}", token.trim()))],
        "",
    )
}

/// Every Tessera item in the keyring, as `secret-tool search --all` lists them.
pub fn keyring_listing() -> String {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", "tessera"])
        .output()
        .expect("run secret-tool");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// The refresh token inside the stored session, read with libsecret's tool.
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
