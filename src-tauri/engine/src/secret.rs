//! Secret values (tokens, codes, verifiers, client secrets) as a type that
//! refuses to be printed.
//!
//! `Debug` and `Display` print `[redacted]`, and there is deliberately no
//! `Serialize`: a secret reaches the keyring, a header or stdout only through an
//! explicit [`SecretString::expose`] call, which is easy to grep for in review.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A string that must never appear in a log, an error message or a panic.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value. Call it only where the secret must leave Tessera's hands:
    /// a request to the provider, the keyring, or an explicit user request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes, safe to show.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compares with `other` in constant time (over SHA-256 digests, so the
    /// length does not leak either).
    pub fn constant_time_eq(&self, other: &str) -> bool {
        let a = Sha256::digest(self.0.as_bytes());
        let b = Sha256::digest(other.as_bytes());
        a.ct_eq(&b).into()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_prints_redacted_in_debug_and_display() {
        let s = SecretString::new("eyJhbGciOi.super-secret");
        assert_eq!(
            format!("{s:?}"),
            "[redacted]",
            "Debug must not reveal the value"
        );
        assert_eq!(
            format!("{s}"),
            "[redacted]",
            "Display must not reveal the value"
        );
        assert!(
            !format!("{:?}", Some(&s)).contains("super-secret"),
            "nested Debug must not reveal the value"
        );
    }

    #[test]
    fn constant_time_eq_matches_only_the_same_value() {
        let s = SecretString::new("state-123");
        assert!(
            s.constant_time_eq("state-123"),
            "equal values compare equal"
        );
        assert!(!s.constant_time_eq("state-124"), "different values differ");
        assert!(!s.constant_time_eq(""), "empty differs");
    }
}
