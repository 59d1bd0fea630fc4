//! The browser seam. Sign-in happens in the user's real browser (RFC 8252
//! §8.12: no embedded web views). A command given with `--browser` or
//! `TESSERA_BROWSER` runs instead, with the URL appended as its last
//! argument, which picks a browser or a private window, and lets tests use
//! a browser double.

use std::process::{Command, Stdio};

/// Why the browser could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// The command string could not be split into words.
    #[error("cannot parse the browser command `{0}`")]
    Parse(String),
    /// The command could not be started.
    #[error("could not start the browser command `{command}`: {reason}")]
    Spawn {
        /// The program name, the command's first word (never the URL).
        command: String,
        /// The OS error's message, e.g. that no such file exists.
        reason: String,
    },
    /// The user asked for no browser; the host shows the URL instead.
    #[error("no browser was opened, as asked; open the URL yourself")]
    NotWanted,
    /// The system browser could not be opened.
    #[error("could not open the system browser ({0}); open the sign-in URL yourself, or choose a browser command")]
    System(String),
}

/// Opens a URL for the user.
pub trait BrowserLauncher: Send + Sync {
    /// Opens `url` without waiting for the browser to exit.
    fn open(&self, url: &str) -> Result<(), BrowserError>;
}

/// No browser at all: the host shows the URL for the user to open (a
/// device flow on a machine without a display, or the user's choice).
pub struct NoBrowser;

impl BrowserLauncher for NoBrowser {
    fn open(&self, _url: &str) -> Result<(), BrowserError> {
        Err(BrowserError::NotWanted)
    }
}

/// The platform's default browser.
#[derive(Debug, Default)]
pub struct SystemBrowser;

impl BrowserLauncher for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        webbrowser::open(url).map_err(|e| BrowserError::System(e.to_string()))
    }
}

/// A user-chosen command, run with the URL as its last argument.
#[derive(Debug, Clone)]
pub struct CommandBrowser {
    argv: Vec<String>,
}

impl CommandBrowser {
    /// Parses a shell-style command line such as `firefox --private-window`.
    pub fn parse(command: &str) -> Result<Self, BrowserError> {
        let argv =
            shell_words::split(command).map_err(|_| BrowserError::Parse(command.to_string()))?;
        if argv.is_empty() {
            return Err(BrowserError::Parse(command.to_string()));
        }
        Ok(Self { argv })
    }
}

impl BrowserLauncher for CommandBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        let mut child = Command::new(&self.argv[0])
            .args(&self.argv[1..])
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| BrowserError::Spawn {
                command: self.argv[0].clone(),
                reason: e.to_string(),
            })?;
        // Reap it in the background so no zombie is left behind; never wait on it.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
        Ok(())
    }
}

/// The environment variable naming a browser command.
pub const BROWSER_ENV: &str = "TESSERA_BROWSER";

/// The browser to use, in the one order both hosts follow: the command the
/// user gave for this run (a flag), else `TESSERA_BROWSER`, else the
/// profile's own command, else the system browser. A blank command counts
/// as none.
pub fn choose(
    given: Option<&str>,
    profile_setting: Option<&str>,
) -> Result<Box<dyn BrowserLauncher>, BrowserError> {
    let env = std::env::var(BROWSER_ENV).ok();
    choose_from(given, env.as_deref(), profile_setting)
}

/// [`choose`] with the environment passed in, so the order can be tested.
pub fn choose_from(
    given: Option<&str>,
    env: Option<&str>,
    profile_setting: Option<&str>,
) -> Result<Box<dyn BrowserLauncher>, BrowserError> {
    fn blank_is_none(c: Option<&str>) -> Option<&str> {
        c.map(str::trim).filter(|c| !c.is_empty())
    }
    let command = blank_is_none(given)
        .or(blank_is_none(env))
        .or(blank_is_none(profile_setting));
    match command {
        Some(cmd) => Ok(Box::new(CommandBrowser::parse(cmd)?)),
        None => Ok(Box::new(SystemBrowser)),
    }
}

impl crate::error::EngineError for BrowserError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::BrowserFailed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(given: Option<&str>, env: Option<&str>, profile: Option<&str>) -> String {
        // A command that cannot start names its program in the error.
        match choose_from(given, env, profile).map(|b| b.open("https://x")) {
            Ok(Err(BrowserError::Spawn { command, .. })) => command,
            Ok(Ok(())) => "system".into(),
            other => panic!("unexpected: {:?}", other.err()),
        }
    }

    #[test]
    fn a_given_command_wins_then_the_environment_then_the_profile() {
        let (flag, env, profile) = (
            Some("/nonexistent/flag-browser"),
            Some("/nonexistent/env-browser"),
            Some("/nonexistent/profile-browser"),
        );
        assert_eq!(
            chosen(flag, env, profile),
            "/nonexistent/flag-browser",
            "the flag is the user's choice for this run"
        );
        assert_eq!(
            chosen(None, env, profile),
            "/nonexistent/env-browser",
            "the environment beats the profile"
        );
        assert_eq!(
            chosen(Some("  "), None, profile),
            "/nonexistent/profile-browser",
            "a blank flag counts as none"
        );
    }
}
