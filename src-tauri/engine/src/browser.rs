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
        /// The program.
        command: String,
        /// OS reason.
        reason: String,
    },
    /// The system browser could not be opened.
    #[error("could not open the system browser ({0}); open the sign-in URL yourself, or set --browser / TESSERA_BROWSER")]
    System(String),
}

/// Opens a URL for the user.
pub trait BrowserLauncher: Send + Sync {
    /// Opens `url` without waiting for the browser to exit.
    fn open(&self, url: &str) -> Result<(), BrowserError>;
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

/// The launcher for an optional command (flag, profile or environment).
pub fn launcher(command: Option<&str>) -> Result<Box<dyn BrowserLauncher>, BrowserError> {
    match command.map(str::trim).filter(|c| !c.is_empty()) {
        Some(cmd) => Ok(Box::new(CommandBrowser::parse(cmd)?)),
        None => Ok(Box::new(SystemBrowser)),
    }
}
