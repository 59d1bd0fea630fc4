//! Sender-constrained access tokens: the `cnf` claim (RFC 7800) that binds
//! a token to the client's certificate (RFC 8705 §3) or its DPoP key
//! (RFC 9449 §6). Sans-IO: a claim set and what the profile holds in, a report row out.

use serde_json::{Map, Value};

use crate::protocol::report::Check;

/// The certificate thumbprint a token is bound to: `cnf["x5t#S256"]`.
pub fn certificate_thumbprint(claims: &Map<String, Value>) -> Option<&str> {
    claims.get("cnf")?.get("x5t#S256")?.as_str()
}

/// A report row for a certificate-bound token, compared with the
/// thumbprint of the certificate the profile presents; `None` for a token
/// that is not bound to a certificate.
pub fn certificate_binding(
    claims: &Map<String, Value>,
    profile_certificate: Option<&str>,
) -> Option<Check> {
    let bound = certificate_thumbprint(claims)?;
    let (id, name) = ("cnf_x5t", "Certificate binding");
    Some(match profile_certificate {
        Some(ours) if ours == bound => Check::pass(
            id,
            name,
            "bound to the profile's client certificate (cnf x5t#S256 matches): present it with the token",
        ),
        Some(ours) => Check::fail(
            id,
            name,
            "bound to another certificate than the profile's: APIs will refuse it with this profile's certificate",
        )
        .with_values(ours, bound),
        None => Check::fail(
            id,
            name,
            "bound to a client certificate, but the profile has none to present: APIs will refuse it",
        )
        .with_values("(no certificate)", bound),
    })
}

/// The DPoP key thumbprint a token is bound to: `cnf.jkt`.
pub fn dpop_thumbprint(claims: &Map<String, Value>) -> Option<&str> {
    claims.get("cnf")?.get("jkt")?.as_str()
}

/// The report row for a token asked for with DPoP: `token_type` must be
/// `DPoP` (compared case-insensitively, as RFC 6749 token types are), and a
/// JWT access token's `cnf.jkt` must be the profile key's thumbprint.
pub fn dpop_binding(
    token_type: &str,
    access_token_claims: Option<&Map<String, Value>>,
    key_thumbprint: &str,
) -> Check {
    let (id, name) = ("dpop_binding", "DPoP binding");
    if !token_type.eq_ignore_ascii_case("dpop") {
        return Check::fail(
            id,
            name,
            format!(
                "DPoP was asked for, but the provider issued a {token_type} token: it is not bound to the profile's key"
            ),
        )
        .with_values("DPoP", token_type);
    }
    match access_token_claims.and_then(dpop_thumbprint) {
        Some(jkt) if jkt == key_thumbprint => Check::pass(
            id,
            name,
            "token_type DPoP, and cnf.jkt is the profile key's thumbprint",
        ),
        Some(jkt) => Check::fail(
            id,
            name,
            "the access token is bound to another key than the profile's",
        )
        .with_values(key_thumbprint, jkt),
        None => Check::pass(
            id,
            name,
            "token_type DPoP (the token is opaque: its binding is the provider's to check)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("an object")
    }

    #[test]
    fn a_token_bound_to_the_profiles_certificate_passes_and_another_fails() {
        let bound = claims(json!({"cnf": {"x5t#S256": "abc"}}));
        let pass = certificate_binding(&bound, Some("abc")).expect("a row for a bound token");
        assert!(pass.passed, "same thumbprint: {}", pass.detail);
        let fail = certificate_binding(&bound, Some("xyz")).expect("a row");
        assert!(!fail.passed, "another certificate cannot use the token");
        let none = certificate_binding(&bound, None).expect("a row");
        assert!(!none.passed, "no certificate cannot use the token");
    }

    #[test]
    fn a_dpop_token_must_say_dpop_and_name_the_profiles_key() {
        let bound = claims(json!({"cnf": {"jkt": "thumb"}}));
        assert!(
            dpop_binding("DPoP", Some(&bound), "thumb").passed,
            "bound to our key"
        );
        assert!(
            dpop_binding("dpop", None, "thumb").passed,
            "case does not matter; opaque is fine"
        );
        assert!(
            !dpop_binding("Bearer", None, "thumb").passed,
            "a Bearer token is refused"
        );
        assert!(
            !dpop_binding("DPoP", Some(&bound), "other").passed,
            "a token bound to another key is refused"
        );
    }

    #[test]
    fn a_bearer_token_gets_no_binding_row() {
        assert!(
            certificate_binding(&claims(json!({"sub": "x"})), Some("abc")).is_none(),
            "only bound tokens are compared"
        );
    }
}
