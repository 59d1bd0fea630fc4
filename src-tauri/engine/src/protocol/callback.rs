//! Checking the authorization response (the redirect's query), before any
//! code is used: `state` in constant time, then the RFC 9207 `iss` parameter,
//! then `error`, then the code. Each check lands in the report.

use crate::protocol::validate::{Check, ValidationReport};
use crate::secret::SecretString;

/// Why an authorization response was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// `state` is absent or differs.
    #[error(
        "state mismatch: the redirect does not belong to this sign-in; start the sign-in again"
    )]
    StateMismatch,
    /// RFC 9207 `iss` differs.
    #[error("authorization response iss mismatch (RFC 9207): expected {expected}, got {found}; sign-in stopped to prevent a mix-up attack")]
    IssMismatch {
        /// The provider's issuer from its metadata, which `iss` had to equal.
        expected: String,
        /// The redirect's `iss`, control characters blanked, cut to 200 characters.
        found: String,
    },
    /// RFC 9207 `iss` missing although advertised.
    #[error("the provider advertises RFC 9207 but the authorization response has no iss parameter; sign-in stopped")]
    IssMissing,
    /// The provider returned an error.
    #[error("the provider returned {error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Provider {
        /// OAuth `error` code from the redirect, e.g. `access_denied`.
        error: String,
        /// `error_description` from the redirect, if the provider sent one.
        description: Option<String>,
    },
    /// Neither code nor error.
    #[error("the redirect carried neither a code nor an error")]
    NoCode,
}

/// Checks the redirect parameters; returns the authorization code.
pub fn check(
    params: &[(String, String)],
    expected_state: &SecretString,
    issuer: &str,
    iss_advertised: bool,
    report: &mut ValidationReport,
) -> Result<SecretString, CallbackError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let state_ok = get("state").is_some_and(|s| expected_state.constant_time_eq(s));
    if !state_ok {
        report.push(Check::fail(
            "state",
            "State",
            CallbackError::StateMismatch.to_string(),
        ));
        return Err(CallbackError::StateMismatch);
    }
    report.push(Check::pass(
        "state",
        "State",
        "matches this sign-in (compared in constant time)",
    ));

    match get("iss") {
        Some(iss) if iss == issuer => report.push(Check::pass(
            "iss_parameter",
            "Response issuer (RFC 9207)",
            format!("iss is {iss}"),
        )),
        Some(iss) => {
            let e = CallbackError::IssMismatch {
                expected: issuer.to_string(),
                found: crate::seams::http::sanitize_text(iss, 200),
            };
            report.push(
                Check::fail("iss_parameter", "Response issuer (RFC 9207)", e.to_string())
                    .with_values(issuer, iss),
            );
            return Err(e);
        }
        None if iss_advertised => {
            report.push(Check::fail(
                "iss_parameter",
                "Response issuer (RFC 9207)",
                CallbackError::IssMissing.to_string(),
            ));
            return Err(CallbackError::IssMissing);
        }
        None => report.push(Check::pass(
            "iss_parameter",
            "Response issuer (RFC 9207)",
            "not sent and not advertised by the provider",
        )),
    }

    if let Some(error) = get("error") {
        return Err(CallbackError::Provider {
            error: crate::seams::http::sanitize_text(error, 64),
            description: get("error_description")
                .map(|d| crate::seams::http::sanitize_text(d, 300)),
        });
    }
    match get("code") {
        Some(code) if !code.is_empty() => Ok(SecretString::new(code)),
        _ => Err(CallbackError::NoCode),
    }
}

impl crate::error::EngineError for CallbackError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            CallbackError::StateMismatch => ErrorKind::StateMismatch,
            CallbackError::IssMismatch { .. }
            | CallbackError::IssMissing
            | CallbackError::NoCode => ErrorKind::ValidationFailed,
            CallbackError::Provider { .. } => ErrorKind::Provider,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_matching_response_yields_the_code() {
        let state = SecretString::new("s1");
        let mut report = ValidationReport::default();
        let code = check(
            &params(&[("code", "c1"), ("state", "s1"), ("iss", "https://idp")]),
            &state,
            "https://idp",
            true,
            &mut report,
        )
        .unwrap();
        assert_eq!(code.expose(), "c1");
        assert!(report.passed(), "state and iss rows pass");
    }

    #[test]
    fn state_mismatch_is_refused_before_anything_else() {
        let state = SecretString::new("s1");
        let mut report = ValidationReport::default();
        let err = check(
            &params(&[("code", "c1"), ("state", "other")]),
            &state,
            "https://idp",
            false,
            &mut report,
        )
        .unwrap_err();
        assert_eq!(err, CallbackError::StateMismatch);
        assert!(err.to_string().starts_with("state mismatch"));
        let err = check(
            &params(&[("error", "access_denied")]),
            &state,
            "https://idp",
            false,
            &mut report,
        )
        .unwrap_err();
        assert_eq!(
            err,
            CallbackError::StateMismatch,
            "an error response without our state is not trusted either"
        );
    }

    #[test]
    fn rfc9207_iss_must_match_and_must_be_present_when_advertised() {
        let state = SecretString::new("s1");
        let mut report = ValidationReport::default();
        let err = check(
            &params(&[("code", "c"), ("state", "s1"), ("iss", "https://evil")]),
            &state,
            "https://idp",
            true,
            &mut report,
        )
        .unwrap_err();
        assert!(matches!(err, CallbackError::IssMismatch { .. }), "{err}");
        let err = check(
            &params(&[("code", "c"), ("state", "s1")]),
            &state,
            "https://idp",
            true,
            &mut report,
        )
        .unwrap_err();
        assert_eq!(err, CallbackError::IssMissing);
        assert!(
            check(
                &params(&[("code", "c"), ("state", "s1")]),
                &state,
                "https://idp",
                false,
                &mut report
            )
            .is_ok(),
            "not advertised, not required"
        );
    }

    #[test]
    fn provider_errors_become_clear_messages() {
        let state = SecretString::new("s1");
        let mut report = ValidationReport::default();
        let err = check(
            &params(&[
                ("error", "access_denied"),
                ("error_description", "End-User aborted interaction"),
                ("state", "s1"),
            ]),
            &state,
            "https://idp",
            false,
            &mut report,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the provider returned access_denied: End-User aborted interaction"
        );
    }
}
