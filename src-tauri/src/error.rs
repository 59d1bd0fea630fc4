//! Errors as the window sees them: `{code, message}`.
//!
//! The message is the engine's one line (it already says what failed and
//! what to do), reworded only where the engine's advice names the command
//! line. A code is set only where the UI branches on it.

use serde::Serialize;
use tessera_engine::api::ApiError;
use tessera_engine::callback::CallbackError;
use tessera_engine::discovery::DiscoveryError;
use tessera_engine::http::HttpError;
use tessera_engine::inspect::VerifyError;
use tessera_engine::loopback::ListenError;
use tessera_engine::profile::ProfileError;
use tessera_engine::store::StoreError;
use tessera_engine::{LoginError, SessionError};

/// What the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user cancelled the sign-in.
    Cancelled,
    /// Another operation is in progress.
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
    /// The provider could not be reached.
    Network,
    /// The discovery document is unusable.
    DiscoveryFailed,
    /// The keyring is locked.
    KeyringLocked,
    /// No keyring.
    KeyringUnavailable,
    /// The profile is invalid.
    InvalidProfile,
}

/// An error crossing IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// Set where the UI branches.
    pub code: Option<ErrorCode>,
    /// One line: what failed and what to do.
    pub message: String,
}

impl IpcError {
    /// An error with a code.
    pub fn coded(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: Some(code),
            message: message.into(),
        }
    }

    /// An error without a code.
    pub fn plain(message: impl ToString) -> Self {
        Self {
            code: None,
            message: message.to_string(),
        }
    }

    /// The sign-in was cancelled.
    pub fn cancelled() -> Self {
        Self::coded(ErrorCode::Cancelled, "sign-in cancelled")
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn with(code: Option<ErrorCode>, e: &impl ToString) -> IpcError {
    IpcError {
        code,
        message: e.to_string(),
    }
}

fn http_code(e: &HttpError) -> Option<ErrorCode> {
    match e {
        HttpError::Timeout { .. } | HttpError::Connect { .. } => Some(ErrorCode::Network),
        _ => None,
    }
}

impl From<HttpError> for IpcError {
    fn from(e: HttpError) -> Self {
        with(http_code(&e), &e)
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::Locked => Some(ErrorCode::KeyringLocked),
            StoreError::Unavailable(_) => Some(ErrorCode::KeyringUnavailable),
            _ => None,
        };
        with(code, &e)
    }
}

impl From<ProfileError> for IpcError {
    fn from(e: ProfileError) -> Self {
        match &e {
            ProfileError::NotFound(name) => IpcError::coded(
                ErrorCode::InvalidProfile,
                format!("there is no profile named \"{name}\"; add it first"),
            ),
            ProfileError::Invalid { .. } | ProfileError::InvalidName(_) => {
                with(Some(ErrorCode::InvalidProfile), &e)
            }
            _ => with(None, &e),
        }
    }
}

impl From<DiscoveryError> for IpcError {
    fn from(e: DiscoveryError) -> Self {
        match e {
            DiscoveryError::Http(h) if http_code(&h).is_some() => h.into(),
            other => with(Some(ErrorCode::DiscoveryFailed), &other),
        }
    }
}

impl From<LoginError> for IpcError {
    fn from(e: LoginError) -> Self {
        use ErrorCode::*;
        match e {
            LoginError::Profile(p) => p.into(),
            LoginError::Discovery(d) => d.into(),
            LoginError::Http(h) => h.into(),
            LoginError::Store(s) => s.into(),
            LoginError::Listen(l @ ListenError::TimedOut { .. }) => with(Some(TimedOut), &l),
            LoginError::Callback(c @ CallbackError::StateMismatch) => with(Some(StateMismatch), &c),
            LoginError::Callback(
                c @ (CallbackError::IssMismatch { .. } | CallbackError::IssMissing),
            ) => with(Some(ValidationFailed), &c),
            e @ (LoginError::Rejected { .. }
            | LoginError::MalformedIdToken(_)
            | LoginError::NoIdToken) => with(Some(ValidationFailed), &e),
            e @ LoginError::RedirectUriRejected { .. } => with(Some(RedirectUriRejected), &e),
            e @ LoginError::ClientRejected { .. } => with(Some(ClientRejected), &e),
            LoginError::CustomSchemeNeedsApp(uri) => IpcError::coded(
                InvalidProfile,
                format!("this build cannot receive redirects to {uri}; use a loopback redirect"),
            ),
            other => with(None, &other),
        }
    }
}

impl From<SessionError> for IpcError {
    fn from(e: SessionError) -> Self {
        use ErrorCode::*;
        match e {
            SessionError::NotSignedIn(p) => IpcError::coded(
                NotSignedIn,
                format!("profile \"{p}\" is not signed in; sign in first"),
            ),
            SessionError::Expired(p) => IpcError::coded(
                SessionExpired,
                format!("the session of \"{p}\" has expired and has no refresh token; sign in again"),
            ),
            SessionError::RefreshRejected { profile, detail } => IpcError::coded(
                SessionExpired,
                format!("the provider refused to refresh the session of \"{profile}\" ({detail}); sign in again"),
            ),
            SessionError::ProfileChanged(p) => IpcError::coded(
                SessionExpired,
                format!("profile \"{p}\" now names another issuer or client than its session; sign in again"),
            ),
            e @ SessionError::Rejected { .. } => with(Some(ValidationFailed), &e),
            SessionError::Profile(p) => p.into(),
            SessionError::Discovery(d) => d.into(),
            SessionError::Http(h) => h.into(),
            SessionError::Store(s) => s.into(),
            other => with(None, &other),
        }
    }
}

impl From<ApiError> for IpcError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Session(s) => (*s).into(),
            ApiError::Http(h) => h.into(),
            other => with(None, &other),
        }
    }
}

impl From<VerifyError> for IpcError {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Session(s) => s.into(),
            other => with(None, &other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_errors_drop_the_command_line_advice() {
        let e: IpcError = SessionError::NotSignedIn("work".into()).into();
        assert_eq!(
            e.code,
            Some(ErrorCode::NotSignedIn),
            "the UI branches on it"
        );
        assert!(
            !e.message.contains("tessera login"),
            "the window should not send users to the terminal: {}",
            e.message
        );
    }

    #[test]
    fn a_locked_keyring_is_coded_for_the_ui() {
        let e: IpcError = LoginError::Store(StoreError::Locked).into();
        assert_eq!(e.code, Some(ErrorCode::KeyringLocked), "{}", e.message);
    }

    #[test]
    fn a_refused_client_keeps_the_engines_advice() {
        let e: IpcError = LoginError::ClientRejected {
            client_id: "nope".into(),
            reason: "invalid_client".into(),
        }
        .into();
        assert_eq!(e.code, Some(ErrorCode::ClientRejected), "coded");
        assert!(e.message.contains("client id nope"), "{}", e.message);
    }

    #[test]
    fn errors_serialise_as_code_and_message() {
        let json = serde_json::to_value(IpcError::cancelled()).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "cancelled", "message": "sign-in cancelled"}),
            "the UI reads exactly these two fields"
        );
    }
}
