//! What kind of failure an error is, in words every host understands.
//!
//! Engine errors say what failed and what to do in neutral words ("sign in
//! again"): they never name a command-line flag or a button. Each error enum
//! implements [`EngineError`], which tells a host the [`ErrorKind`] (what it
//! branches on: an exit code, a banner, a retry) and the [`ErrorFacts`] (the
//! data it may show or act on: the redirect URI to register, the profile).
//! Each host then adds its own advice: the command line its flags, the
//! desktop its buttons.

/// The classes of failure a host tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No profile has that name.
    NoSuchProfile,
    /// The profile's settings are invalid, or the profile file is unusable.
    InvalidProfile,
    /// A new profile's name is taken.
    ProfileExists,
    /// The input (a token, a key, a request, a file) is malformed.
    InvalidInput,
    /// No session is stored for the profile.
    NotSignedIn,
    /// The session is over (expired without a refresh token, refresh refused,
    /// or it belongs to another provider or client): sign in again.
    SessionExpired,
    /// The provider refused the redirect URI.
    RedirectUriRejected,
    /// The provider refused the client.
    ClientRejected,
    /// The redirect's `state` was not this sign-in's.
    StateMismatch,
    /// A token or a response failed a check.
    ValidationFailed,
    /// Nobody came back from the browser in time.
    TimedOut,
    /// A code the user was to approve on another device expired first.
    CodeExpired,
    /// The user declined at the provider.
    Denied,
    /// The provider or API could not be reached, or did not answer in time.
    Network,
    /// The provider answered with an error or something unusable.
    Provider,
    /// The provider's metadata is unusable.
    DiscoveryFailed,
    /// The provider lacks what the operation needs (an endpoint, a feature).
    Unsupported,
    /// The OS keyring is locked.
    KeyringLocked,
    /// There is no OS keyring, or it failed.
    KeyringUnavailable,
    /// Another Tessera process is updating this profile; try again.
    Busy,
    /// The browser could not be started.
    BrowserFailed,
    /// A local file or directory could not be used.
    Io,
}

/// Data a host may show or act on, beside the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorFacts {
    /// The profile the error is about.
    pub profile: Option<String>,
    /// The redirect URI the provider refused: the exact one to register.
    pub redirect_uri: Option<String>,
    /// The client id the provider refused.
    pub client_id: Option<String>,
    /// The endpoint that failed, e.g. "token endpoint".
    pub endpoint: Option<String>,
}

/// An engine error as a host sees it: a one-line message ([`std::fmt::Display`]),
/// a kind and facts.
pub trait EngineError: std::error::Error {
    /// What kind of failure this is.
    fn kind(&self) -> ErrorKind;

    /// Data about it, for hosts that show more than the message.
    fn facts(&self) -> ErrorFacts {
        ErrorFacts::default()
    }
}

impl ErrorFacts {
    /// Facts naming a profile.
    pub fn profile(name: &str) -> Self {
        Self {
            profile: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// Facts naming an endpoint.
    pub fn endpoint(endpoint: impl std::fmt::Display) -> Self {
        Self {
            endpoint: Some(endpoint.to_string()),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every `#[error("…")]` message of the engine, with where it is.
    fn error_messages() -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            let entries = std::fs::read_dir(&dir).expect("the engine's sources are readable");
            for entry in entries {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    let lines: Vec<&str> = text.lines().collect();
                    for (i, line) in lines.iter().enumerate() {
                        if line.trim_start().starts_with("#[error(") {
                            // A long message may sit on the lines after the attribute.
                            let message = lines[i..(i + 3).min(lines.len())].join(" ");
                            found.push((format!("{}:{}", path.display(), i + 1), message));
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn no_engine_message_names_a_command_line_flag_or_command() {
        let messages = error_messages();
        assert!(
            messages.len() > 40,
            "the scan must find the engine's error messages, found {}",
            messages.len()
        );
        for (place, message) in messages {
            let text = message.split("\")]").next().unwrap_or(&message);
            assert!(
                !text.contains("tessera ") && !text.contains(" --") && !text.contains("`--"),
                "{place}: engine messages are host-neutral; the CLI and the desktop add their own advice: {text}"
            );
        }
    }
}
