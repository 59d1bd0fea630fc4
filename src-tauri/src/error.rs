//! Errors as the window sees them: `{code, message, …facts}`.
//!
//! Engine errors are host-neutral: their message says what failed and what
//! to do, and their kind and facts say what the window may branch on or
//! show. So one conversion serves every engine error: the kind becomes a
//! code where the UI branches, and facts such as the redirect URI to register
//! travel as typed fields. The UI never parses a message.

use serde::Serialize;
use tessera_engine::{EngineError, ErrorKind};

/// What the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user cancelled the sign-in.
    Cancelled,
    /// Another Tessera process (or window action) is updating this profile.
    Busy,
    /// No session.
    NotSignedIn,
    /// The session is over and cannot be refreshed.
    SessionExpired,
    /// The provider refused the redirect URI.
    RedirectUriRejected,
    /// The provider refused the client id.
    ClientRejected,
    /// The redirect's state was not this sign-in's.
    StateMismatch,
    /// A token or response failed a check.
    ValidationFailed,
    /// Nobody came back from the browser in time.
    TimedOut,
    /// The device code expired before it was approved.
    CodeExpired,
    /// The user declined at the provider.
    Denied,
    /// The provider could not be reached.
    Network,
    /// The discovery document is unusable.
    DiscoveryFailed,
    /// The keyring is locked.
    KeyringLocked,
    /// No keyring.
    KeyringUnavailable,
    /// The profile is missing or invalid.
    InvalidProfile,
    /// A new profile's name is taken.
    ProfileExists,
}

impl ErrorCode {
    /// The code for an engine error kind, where the UI branches on it.
    pub fn for_kind(kind: ErrorKind) -> Option<Self> {
        use ErrorCode::*;
        Some(match kind {
            ErrorKind::Busy => Busy,
            ErrorKind::NotSignedIn => NotSignedIn,
            ErrorKind::SessionExpired => SessionExpired,
            ErrorKind::RedirectUriRejected => RedirectUriRejected,
            ErrorKind::ClientRejected => ClientRejected,
            ErrorKind::StateMismatch => StateMismatch,
            ErrorKind::ValidationFailed => ValidationFailed,
            ErrorKind::TimedOut => TimedOut,
            ErrorKind::CodeExpired => CodeExpired,
            ErrorKind::Denied => Denied,
            ErrorKind::Network => Network,
            ErrorKind::DiscoveryFailed => DiscoveryFailed,
            ErrorKind::KeyringLocked => KeyringLocked,
            ErrorKind::KeyringUnavailable => KeyringUnavailable,
            ErrorKind::InvalidProfile | ErrorKind::NoSuchProfile => InvalidProfile,
            ErrorKind::ProfileExists => ProfileExists,
            _ => return None,
        })
    }
}

/// An error crossing IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// Set where the UI branches.
    pub code: Option<ErrorCode>,
    /// One line: what failed and what to do.
    pub message: String,
    /// The redirect URI the provider refused: the exact one to register.
    pub redirect_uri: Option<String>,
    /// The client id the provider refused.
    pub client_id: Option<String>,
    /// The profile the error is about, when there is one.
    pub profile: Option<String>,
    /// The provider or API endpoint that failed, e.g. "token endpoint".
    pub endpoint: Option<String>,
}

impl IpcError {
    /// An error of the shell's own, without a code.
    pub fn plain(message: impl ToString) -> Self {
        Self {
            code: None,
            message: message.to_string(),
            redirect_uri: None,
            client_id: None,
            profile: None,
            endpoint: None,
        }
    }

    /// The sign-in was cancelled.
    pub fn cancelled() -> Self {
        Self {
            code: Some(ErrorCode::Cancelled),
            ..Self::plain("sign-in cancelled")
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl<E: EngineError> From<E> for IpcError {
    fn from(e: E) -> Self {
        let facts = e.facts();
        Self {
            code: ErrorCode::for_kind(e.kind()),
            message: e.to_string(),
            redirect_uri: facts.redirect_uri,
            client_id: facts.client_id,
            profile: facts.profile,
            endpoint: facts.endpoint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_engine::store::StoreError;
    use tessera_engine::{LoginError, RefreshError};

    #[test]
    fn a_refused_redirect_uri_travels_as_a_field_not_inside_the_message() {
        let e: IpcError = LoginError::RedirectUriRejected {
            redirect_uri: "http://127.0.0.1:5000/callback".into(),
            client_id: "tessera".into(),
            reason: "invalid_redirect_uri".into(),
        }
        .into();
        assert_eq!(
            e.code,
            Some(ErrorCode::RedirectUriRejected),
            "the UI branches on it"
        );
        assert_eq!(
            e.redirect_uri.as_deref(),
            Some("http://127.0.0.1:5000/callback"),
            "the banner copies this field; it never parses the message"
        );
        assert_eq!(
            e.client_id.as_deref(),
            Some("tessera"),
            "and names the client"
        );
    }

    #[test]
    fn session_errors_say_sign_in_again_without_naming_the_command_line() {
        let e: IpcError = RefreshError::NotSignedIn("work".into()).into();
        assert_eq!(
            e.code,
            Some(ErrorCode::NotSignedIn),
            "the UI branches on it"
        );
        assert_eq!(e.profile.as_deref(), Some("work"), "the profile is a field");
        assert!(
            !e.message.contains("tessera login"),
            "the window should not send users to the terminal: {}",
            e.message
        );
    }

    #[test]
    fn a_locked_keyring_and_a_busy_profile_are_coded_for_the_ui() {
        let e: IpcError = LoginError::Store(StoreError::Locked).into();
        assert_eq!(e.code, Some(ErrorCode::KeyringLocked), "{}", e.message);
        let busy: IpcError =
            RefreshError::Lock(tessera_engine::lock::LockError::Busy("work".into())).into();
        assert_eq!(
            busy.code,
            Some(ErrorCode::Busy),
            "Busy is produced: {}",
            busy.message
        );
    }

    #[test]
    fn errors_serialise_with_their_code_message_and_facts() {
        let json = serde_json::to_value(IpcError::cancelled()).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "cancelled", "message": "sign-in cancelled",
                "redirect_uri": null, "client_id": null, "profile": null, "endpoint": null}),
            "the UI reads exactly these fields"
        );
    }
}
