//! The local OpenID provider (`node dev/provider.mjs`, panva's oidc-provider)
//! on a free port of 127.0.0.1, with fresh keys in memory.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;

use crate::repo_root;

/// A running local provider. One started with [`LocalProvider::start`] stops
/// when dropped; a shared one lives as long as the test binary (it exits when
/// the binary's end closes its stdin).
pub struct LocalProvider {
    /// Its issuer, e.g. `http://127.0.0.1:38211`.
    pub issuer: String,
    /// With `--mtls-port`: the HTTPS listener and its throwaway certificates.
    pub mtls: Option<Mtls>,
    child: Child,
    /// Held open: the provider runs with `--exit-with-stdin`.
    stdin: Option<ChildStdin>,
}

/// The provider's mutual TLS listener (`--mtls-port`) and the files it
/// minted at start: its CA, a CA-signed client certificate and a
/// self-signed one, with their keys.
#[derive(Debug, Clone)]
pub struct Mtls {
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// The CA that signed the listener's and the client's certificates.
    pub ca: String,
    /// A client certificate signed by the CA (`CN=tessera-mtls`).
    pub client_cert: String,
    /// Its private key.
    pub client_key: String,
    /// A self-signed client certificate.
    pub self_signed_cert: String,
    /// Its private key.
    pub self_signed_key: String,
}

impl Mtls {
    /// Reads the provider's `mtls: https://… ca=… client-cert=…` line.
    fn parse(line: &str) -> Option<Mtls> {
        let rest = line.strip_prefix("mtls: ")?;
        let mut words = rest.split_whitespace();
        let url = words.next()?.to_string();
        let field = |name: &str| {
            rest.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{name}=")).map(str::to_string))
        };
        Some(Mtls {
            url,
            ca: field("ca")?,
            client_cert: field("client-cert")?,
            client_key: field("client-key")?,
            self_signed_cert: field("self-signed-cert")?,
            self_signed_key: field("self-signed-key")?,
        })
    }
}

/// The providers shared by the tests of one binary, by their flags.
static SHARED: Mutex<Vec<(Vec<String>, &'static LocalProvider)>> = Mutex::new(Vec::new());

impl LocalProvider {
    /// Starts a provider of its own for one test, with extra flags of
    /// `dev/provider.mjs` (e.g. `["--access-token-ttl", "20"]`).
    pub fn start(flags: &[&str]) -> LocalProvider {
        // Node has been seen, rarely, to stall before its first output line on
        // this 2-core machine; one more start beats a test run that hangs.
        for attempt in 1..=2 {
            match Self::try_start(flags) {
                Ok(provider) => return provider,
                Err(why) if attempt < 2 => {
                    eprintln!("dev/provider.mjs {flags:?}: {why}; starting it again")
                }
                Err(why) => panic!("dev/provider.mjs {flags:?}: {why}"),
            }
        }
        unreachable!("the loop returns or panics")
    }

    fn try_start(flags: &[&str]) -> Result<LocalProvider, String> {
        let mut child = Command::new("node")
            .arg(repo_root().join("dev/provider.mjs"))
            .args(["--port", "0", "--ephemeral", "--exit-with-stdin"])
            .args(flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Its errors (it logs nothing else without --verbose) show with the test's.
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node dev/provider.mjs (./.ci/test installs Node and the provider's packages)");
        let stdin = child.stdin.take().expect("the provider's stdin is piped");
        let stdout = child.stdout.take().expect("the provider's stdout is piped");
        let (ready, issuer) = std::sync::mpsc::channel();
        let with_mtls = flags.contains(&"--mtls-port");
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if let Some((_, issuer)) = line.split_once("issuer: ") {
                    // With --mtls-port, the listener's line comes right after.
                    let mtls = if with_mtls {
                        lines
                            .next()
                            .and_then(Result::ok)
                            .and_then(|l| Mtls::parse(&l))
                    } else {
                        None
                    };
                    let _ = ready.send((issuer.trim().to_string(), mtls));
                    break;
                }
            }
            // Keep draining stdout so the provider never blocks on a full pipe.
            lines.for_each(drop);
        });
        match issuer.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok((_, None)) if with_mtls => {
                let _ = child.kill();
                let _ = child.wait();
                Err("no `mtls:` line after the ready line".to_string())
            }
            Ok((issuer, mtls)) => Ok(LocalProvider {
                issuer,
                mtls,
                child,
                stdin: Some(stdin),
            }),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(match e {
                    std::sync::mpsc::RecvTimeoutError::Timeout => {
                        "no ready line within 30 s".to_string()
                    }
                    std::sync::mpsc::RecvTimeoutError::Disconnected => {
                        "exited before its ready line (is `npm ci --prefix dev` done?)".to_string()
                    }
                })
            }
        }
    }

    /// The default provider (access tokens live 600 s), started once per test
    /// binary.
    pub fn shared() -> &'static LocalProvider {
        Self::shared_with(&[])
    }

    /// A provider whose access tokens live 20 s, always inside Tessera's 30 s
    /// refresh margin, started once per test binary.
    pub fn short_lived() -> &'static LocalProvider {
        Self::shared_with(&["--access-token-ttl", "20"])
    }

    /// The provider started with these flags, started on first use and shared
    /// by every later test of this binary that asks for the same flags.
    pub fn shared_with(flags: &[&str]) -> &'static LocalProvider {
        let key: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        // A test that panicked while starting one leaves nothing half-added.
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, provider)) = shared.iter().find(|(k, _)| *k == key) {
            return provider;
        }
        let provider: &'static LocalProvider = Box::leak(Box::new(Self::start(flags)));
        shared.push((key, provider));
        provider
    }
}

impl Drop for LocalProvider {
    fn drop(&mut self) {
        // Closing stdin asks it to exit; kill in case it does not, and reap it.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
