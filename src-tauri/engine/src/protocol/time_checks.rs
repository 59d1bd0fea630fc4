//! `exp`, `iat` and `nbf`, with clock skew: the one home of the time rules, so
//! the ID-token validation ([`super::validate`]) and the inspector's check of
//! any JWT ([`super::verify`]) can never drift apart.
//!
//! The two differ only in what a missing claim means: an ID token must carry
//! `exp` and `iat` (OpenID Connect Core §2), while RFC 7519 makes both
//! optional for a JWT in general.

use crate::protocol::jwt::UnverifiedJwt;
use crate::protocol::report::{Check, ValidationReport};
use crate::seams::clock::{format_utc, UnixTime};

/// Allowed clock difference with the issuer, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// Whether a token must carry `exp` and `iat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeClaims {
    /// An ID token: both are required.
    Required,
    /// Any JWT: each is checked when present.
    WhenPresent,
}

/// A time as UTC with its distance from now: `… (in 40 s)` or `… (3 s ago)`.
pub fn describe_offset(now: UnixTime, t: UnixTime) -> String {
    // Times come from the token: saturate instead of overflowing on absurd ones.
    let d = t.saturating_sub(now);
    if d >= 0 {
        format!("{} (in {d} s)", format_utc(t))
    } else {
        format!("{} ({} s ago)", format_utc(t), d.saturating_neg())
    }
}

/// Adds the expiry, issued-at and not-before rows for `jwt` at `now`.
/// `noun` names the token in failure messages ("ID token", "access token").
pub fn check_times(
    jwt: &UnverifiedJwt,
    now: UnixTime,
    noun: &str,
    rule: TimeClaims,
    report: &mut ValidationReport,
) {
    match (jwt.claim_time("exp"), rule) {
        (Some(exp), _) if now < exp.saturating_add(CLOCK_SKEW_SECS) => report.push(Check::pass(
            "expiry",
            "Expiry",
            format!("expires {}", describe_offset(now, exp)),
        )),
        (Some(exp), _) => report.push(Check::fail(
            "expiry",
            "Expiry",
            format!("{noun} expired at {}", describe_offset(now, exp)),
        )),
        (None, TimeClaims::Required) => report.push(Check::fail(
            "expiry",
            "Expiry",
            format!("{noun} has no exp claim"),
        )),
        (None, TimeClaims::WhenPresent) => report.push(Check::pass(
            "expiry",
            "Expiry",
            "no exp claim: the token itself sets no end (RFC 7519 makes exp optional)",
        )),
    }
    match (jwt.claim_time("iat"), rule) {
        (Some(iat), _) if iat <= now.saturating_add(CLOCK_SKEW_SECS) => report.push(Check::pass(
            "issued_at",
            "Issued at",
            format!("issued {}", describe_offset(now, iat)),
        )),
        (Some(iat), _) => report.push(Check::fail(
            "issued_at",
            "Issued at",
            format!(
                "{noun} iat is in the future: {}; check the issuer's and this machine's clocks",
                describe_offset(now, iat)
            ),
        )),
        (None, TimeClaims::Required) => report.push(Check::fail(
            "issued_at",
            "Issued at",
            format!("{noun} has no iat claim"),
        )),
        (None, TimeClaims::WhenPresent) => {}
    }
    if let Some(nbf) = jwt.claim_time("nbf") {
        report.push(if nbf <= now.saturating_add(CLOCK_SKEW_SECS) {
            Check::pass(
                "not_before",
                "Not before",
                format!("valid since {}", describe_offset(now, nbf)),
            )
        } else {
            Check::fail(
                "not_before",
                "Not before",
                format!("{noun} is not valid before {}", describe_offset(now, nbf)),
            )
        });
    }
}
