//! A throwaway Tessera home: a private config directory, the browser
//! stand-in logging to a file in it, and the environment Tessera's binaries
//! get, so no test touches the user's own profiles or another test's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::repo_root;
use crate::scratch::{private_dir, ScratchDir};

/// Variables from the outside environment that would change what Tessera
/// does; a test sets them itself when it means to.
const SCRUBBED: [&str; 3] = ["TESSERA_PROFILE", "TESSERA_CLIENT_SECRET", "TESSERA_LOG"];

/// One user's Tessera. Its directory is removed when it is dropped, except
/// when the test is failing: then it is kept, with the browser's log and
/// anything else the test put there, and its path is printed.
pub struct Home {
    scratch: ScratchDir,
    tessera: PathBuf,
    envs: Vec<(String, String)>,
}

impl Home {
    /// A new, empty home (mode 0700) named after `tag`, whose
    /// [`tessera`](Home::tessera) runs are of the binary at `tessera`: the
    /// command line's tests pass `env!("CARGO_BIN_EXE_tessera")`, the desktop
    /// tests [`built_binary("tessera")`](crate::built_binary).
    pub fn new(tag: &str, tessera: impl AsRef<Path>) -> Home {
        let scratch = ScratchDir::new(tag);
        let dir = scratch.path().to_path_buf();
        let browser = format!(
            "node {} --log {}",
            repo_root().join("dev/browser.mjs").display(),
            dir.join("browser.log").display()
        );
        Home {
            envs: vec![
                ("TESSERA_CONFIG_DIR".into(), dir.display().to_string()),
                ("TESSERA_BROWSER".into(), browser),
            ],
            tessera: tessera.as_ref().to_path_buf(),
            scratch,
        }
    }

    /// The keyring scope of this home, by Tessera's documented rule: the
    /// first 12 hex digits of the SHA-256 of the config dir's absolute path.
    pub fn keyring_scope(&self) -> String {
        use sha2::{Digest, Sha256};
        let absolute = std::path::absolute(self.path()).expect("an absolute path");
        let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
        digest[..6].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// How this home names `profile` in keyring entries: `profile@<scope>`.
    pub fn keyring_profile(&self, profile: &str) -> String {
        format!("{profile}@{}", self.keyring_scope())
    }

    /// A keyring entry name of this home: `session:work` becomes
    /// `session:work@<scope>`, `session:work:` the prefix of its chunks.
    pub fn entry(&self, name: &str) -> String {
        let Some((kind, rest)) = name.split_once(':') else {
            return name.to_string();
        };
        match rest.split_once(':') {
            Some((profile, tail)) => format!("{kind}:{}:{tail}", self.keyring_profile(profile)),
            None => format!("{kind}:{}", self.keyring_profile(rest)),
        }
    }

    /// The home's directory, which is also Tessera's config directory.
    pub fn path(&self) -> &Path {
        self.scratch.path()
    }

    /// A new directory (mode 0700) inside the home, e.g. for another process's
    /// `HOME` or runtime directory.
    pub fn subdir(&self, name: &str) -> PathBuf {
        let dir = self.scratch.path().join(name);
        private_dir(&dir);
        dir
    }

    /// Sets an environment variable for every later run (a browser knob such
    /// as `BROWSER_CONSENT=deny`, or a broken `DBUS_SESSION_BUS_ADDRESS`).
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.envs.retain(|(k, _)| k != key);
        self.envs.push((key.into(), value.into()));
        self
    }

    /// The variables this home sets, in order.
    pub fn envs(&self) -> &[(String, String)] {
        &self.envs
    }

    /// Gives `command` this home's environment (and drops the outside
    /// `TESSERA_PROFILE`, `TESSERA_CLIENT_SECRET` and `TESSERA_LOG`), for any
    /// program that should see it: the desktop app, tauri-driver, a shell.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        for key in SCRUBBED {
            command.env_remove(key);
        }
        command.envs(self.envs.iter().map(|(k, v)| (k, v)))
    }

    /// `tessera args…` with this home's environment and stdin closed, not yet
    /// started (e.g. to run several at once).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.tessera);
        command.args(args).stdin(Stdio::null());
        self.apply(&mut command);
        command
    }

    /// Runs `tessera args…` to the end.
    pub fn tessera(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .unwrap_or_else(|e| panic!("run {}: {e}", self.tessera.display()))
    }

    /// Runs `tessera args…` with `input` on stdin.
    pub fn tessera_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", self.tessera.display()));
        child
            .stdin
            .take()
            .expect("tessera's stdin is piped")
            .write_all(input.as_bytes())
            .expect("tessera reads its stdin");
        child.wait_with_output().expect("tessera finishes")
    }

    /// What the browser stand-in logged (empty until it first ran).
    pub fn browser_log(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("browser.log")).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_home_is_private_and_gone_after_a_passing_test() {
        let home = Home::new("kit-pass", "/bin/true");
        let dir = home.path().to_path_buf();
        let sub = home.subdir("run");
        #[cfg(unix)]
        for d in [&dir, &sub] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d)
                .expect("the directory exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{} is for this user only", d.display());
        }
        drop(home);
        assert!(!dir.exists(), "a passing test's home is removed");
    }

    #[test]
    fn a_failing_tests_home_is_kept_for_a_look() {
        let dir = std::thread::spawn(|| {
            let home = Home::new("kit-fail", "/bin/true");
            let dir = home.path().to_path_buf();
            let failing = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let _home = home;
                panic!("a failing test");
            }));
            assert!(failing.is_err(), "the test failed");
            dir
        })
        .join()
        .expect("the thread returns the home's path");
        assert!(dir.is_dir(), "a failing test's home is kept");
        std::fs::remove_dir_all(&dir).expect("clean up the kept home");
    }

    #[test]
    fn runs_get_the_homes_config_dir_and_browser() {
        let mut home = Home::new("kit-env", "/usr/bin/env");
        home.env("BROWSER_CONSENT", "deny");
        let out = home.tessera(&[]);
        let env = String::from_utf8_lossy(&out.stdout);
        assert!(
            env.contains(&format!("TESSERA_CONFIG_DIR={}", home.path().display())),
            "the config dir is the home's: {env}"
        );
        assert!(
            env.contains("TESSERA_BROWSER=node ") && env.contains("browser.log"),
            "the browser stand-in logs into the home: {env}"
        );
        assert!(
            env.contains("BROWSER_CONSENT=deny"),
            "a set knob is passed on: {env}"
        );
    }
}
