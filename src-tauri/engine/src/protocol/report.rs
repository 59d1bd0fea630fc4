//! The check-by-check report: every check a sign-in, refresh or pasted
//! token went through, with what was expected and what was found. Validation
//! stops the operation at the first failure, but the report keeps every row.

use serde::Serialize;

/// One row of a validation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable id (`nonce`, `signature`, …) for the UI to key on.
    pub id: &'static str,
    /// Heading shown to the user, e.g. `Audience` or `Response issuer (RFC 9207)`.
    pub name: &'static str,
    /// False when the check failed; one failed row fails the report ([`ValidationReport::passed`]).
    pub passed: bool,
    /// A passing row that deserves attention (the spec says SHOULD, not
    /// MUST): shown as a warning, never a reason to refuse.
    pub warning: bool,
    /// On failure: the one-line reason, e.g. "ID token nonce mismatch".
    /// On success: what was established.
    pub detail: String,
    /// What was expected, when that is safe to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found, when that is safe to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl Check {
    /// A passing row, with no expected or found values.
    pub fn pass(id: &'static str, name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            id,
            name,
            passed: true,
            warning: false,
            detail: detail.into(),
            expected: None,
            found: None,
        }
    }

    /// A failing row; [`Check::with_values`] adds what was compared.
    pub fn fail(id: &'static str, name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            passed: false,
            ..Self::pass(id, name, detail)
        }
    }

    /// A row that passes with a warning; [`Check::with_values`] adds what was compared.
    pub fn warn(id: &'static str, name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            warning: true,
            ..Self::pass(id, name, detail)
        }
    }

    /// Adds expected and found values.
    pub fn with_values(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }
}

/// Every check made on a sign-in or refresh, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// One row per check, in the order the checks ran.
    pub checks: Vec<Check>,
    /// The signature could not be checked because no key matched: the caller
    /// should re-fetch the JWKS once and validate again (key rotation).
    #[serde(skip)]
    pub unknown_key: bool,
    /// The key that verified the signature: "kid-1 (RSA 2048)", or "the
    /// client secret".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
}

impl ValidationReport {
    /// Appends a row at the end, so rows stay in the order the checks ran.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Whether every row passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// The first failing row.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.passed)
    }

    /// See [`ValidationReport::unknown_key`].
    pub fn needs_fresh_keys(&self) -> bool {
        self.unknown_key
    }
}
