//! How a failed command ends: one line on stderr and a documented exit code.
//!
//! The engine's message says what failed and what to do in neutral words;
//! this module adds the command line's own advice (which command or flag to
//! use) and picks the exit code from the error's kind. The README's exit-code
//! table is this module's [`ExitStatus`].

use tessera_engine::{EngineError, ErrorKind};

/// The exit codes, as the README documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Any other failure (a file, the browser, malformed input), and
    /// `decode --verify` when a check fails.
    Failure = 1,
    /// Wrong arguments (clap uses 2 as well).
    Usage = 2,
    /// The profile is missing or invalid, or a new one's name is taken.
    Profile = 3,
    /// Not signed in, or the session is over: sign in again.
    SignIn = 4,
    /// The provider or the network failed.
    Provider = 5,
    /// A check refused a token, a redirect or the client.
    Refused = 6,
    /// The OS keyring is locked or unavailable.
    Keyring = 7,
    /// Another Tessera process is updating the profile; try again.
    Busy = 8,
    /// The browser never came back within the time limit.
    TimedOut = 9,
    /// `call`: the API answered with a status that is not 2xx (as `curl --fail`).
    HttpStatus = 22,
}

impl ExitStatus {
    /// The exit status for an engine error of this kind.
    pub fn for_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidProfile | ErrorKind::ProfileExists | ErrorKind::NoSuchProfile => {
                ExitStatus::Profile
            }
            ErrorKind::NotSignedIn | ErrorKind::SessionExpired => ExitStatus::SignIn,
            ErrorKind::Network
            | ErrorKind::Provider
            | ErrorKind::DiscoveryFailed
            | ErrorKind::Unsupported
            | ErrorKind::Denied => ExitStatus::Provider,
            ErrorKind::RedirectUriRejected
            | ErrorKind::ClientRejected
            | ErrorKind::StateMismatch
            | ErrorKind::ValidationFailed => ExitStatus::Refused,
            ErrorKind::KeyringLocked | ErrorKind::KeyringUnavailable => ExitStatus::Keyring,
            ErrorKind::Busy => ExitStatus::Busy,
            ErrorKind::TimedOut | ErrorKind::CodeExpired => ExitStatus::TimedOut,
            _ => ExitStatus::Failure,
        }
    }
}

/// A failed command: the line to print and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// One line, without the `tessera: ` prefix.
    pub message: String,
    /// How the process exits.
    pub status: ExitStatus,
}

impl Failure {
    /// The command line's own failure (a bad flag combination).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: ExitStatus::Usage,
        }
    }

    /// Any other failure of the command line's own (a file it cannot read).
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: ExitStatus::Failure,
        }
    }
}

/// The command line's advice for an error of this kind, if it has any.
fn advice(kind: ErrorKind, profile: Option<&str>, endpoint: Option<&str>) -> Option<String> {
    let flag = profile
        .map(|p| format!(" --profile {p}"))
        .unwrap_or_default();
    Some(match kind {
        ErrorKind::Unsupported if endpoint == Some("revocation endpoint") => {
            format!("run `tessera logout{flag}` without --revoke")
        }
        ErrorKind::Unsupported if endpoint == Some("registration endpoint") => {
            "give the client id with --client-id".into()
        }
        ErrorKind::NotSignedIn | ErrorKind::SessionExpired => {
            format!("run `tessera login{flag}`")
        }
        ErrorKind::NoSuchProfile => {
            format!("create it with `tessera login{flag} --issuer <URL> --client-id <ID>`")
        }
        ErrorKind::BrowserFailed => "or set --browser / TESSERA_BROWSER".into(),
        ErrorKind::Busy => "run the command again".into(),
        _ => return None,
    })
}

impl<E: EngineError> From<E> for Failure {
    fn from(e: E) -> Self {
        let kind = e.kind();
        let facts = e.facts();
        let mut message = e.to_string();
        if kind == ErrorKind::InvalidProfile && facts.redirect_uri.is_some() {
            // A custom-scheme redirect: only the desktop app receives it.
            message.push_str(" (--redirect-port 0)");
        } else if let Some(advice) =
            advice(kind, facts.profile.as_deref(), facts.endpoint.as_deref())
        {
            message.push_str(&format!(" ({advice})"));
        }
        Self {
            message,
            status: ExitStatus::for_kind(kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_engine::RefreshError;

    #[test]
    fn a_session_that_is_over_points_at_tessera_login_for_that_profile_and_exits_4() {
        let failure = Failure::from(RefreshError::Expired("work".into()));
        assert_eq!(failure.status, ExitStatus::SignIn, "scripts branch on 4");
        assert!(
            failure
                .message
                .ends_with("(run `tessera login --profile work`)"),
            "the command line adds its own advice: {}",
            failure.message
        );
    }

    #[test]
    fn a_locked_keyring_exits_7_with_the_engines_message_only() {
        let failure = Failure::from(tessera_engine::store::StoreError::Locked);
        assert_eq!(
            failure.status,
            ExitStatus::Keyring,
            "keyring failures are 7"
        );
        assert!(failure.message.contains("unlock it"), "{}", failure.message);
    }
}
