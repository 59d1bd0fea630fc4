//! JWT-secured authorization responses (JARM, response mode `jwt`): the
//! redirect carries one signed JWT, `response`, whose claims are the
//! authorization response. It is checked against the provider's keys,
//! issuer, the client as audience and its expiry before `code`, `state` or
//! `iss` are read from it; each check is a row of the sign-in's report.

use serde_json::Value;

use crate::protocol::jwks::JwkSet;
use crate::protocol::jwt::{decode_unverified, JwtDecodeError, UnverifiedJwt};
use crate::protocol::report::{Check, ValidationReport};
use crate::protocol::verify::{verify_jwt, VerifyOptions};

/// The `response` parameter of a redirect, if it has one.
pub fn response_param(params: &[(String, String)]) -> Option<&str> {
    params
        .iter()
        .find(|(k, _)| k == "response")
        .map(|(_, v)| v.as_str())
}

/// Decodes the `response` JWT (not yet trusted).
pub fn decode(response: &str) -> Result<UnverifiedJwt, JwtDecodeError> {
    decode_unverified(response)
}

/// The JARM rows: signature by the provider's keys, `iss`, `aud` (the
/// client) and `exp` (required here), named as the response's own rows.
pub fn check(
    jwt: &UnverifiedJwt,
    keys: &JwkSet,
    issuer: &str,
    client_id: &str,
    now: i64,
) -> ValidationReport {
    let verified = verify_jwt(
        jwt,
        keys,
        &VerifyOptions {
            noun: "the authorization response JWT",
            issuer: Some(issuer),
            audience: Some(client_id),
            now,
            shared_secret: None,
        },
    );
    let mut report = ValidationReport::default();
    for mut check in verified.checks {
        let (id, name) = match check.id {
            "alg" => ("jarm_alg", "Response algorithm"),
            "signature" => ("jarm_signature", "Response signature"),
            "issuer" => ("jarm_iss", "Response issuer"),
            "audience" => ("jarm_aud", "Response audience"),
            "expiry" => ("jarm_exp", "Response expiry"),
            "issued_at" => ("jarm_iat", "Response issued at"),
            "not_before" => ("jarm_nbf", "Response not before"),
            _ => ("jarm", "Authorization response"),
        };
        check.id = id;
        check.name = name;
        report.push(check);
    }
    if jwt.claim_time("exp").is_none() {
        report.push(Check::fail(
            "jarm_exp",
            "Response expiry",
            "the authorization response JWT has no exp, which JARM requires",
        ));
    }
    report
}

/// The response's claims as the redirect parameters they stand for.
pub fn params(jwt: &UnverifiedJwt) -> Vec<(String, String)> {
    jwt.claims
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "aud" | "exp" | "iat" | "nbf"))
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::client_key::{ClientKey, KeyAlg};

    /// A response signed by `key` with these claims, and the key set that verifies it.
    fn signed(key: &ClientKey, claims: serde_json::Value) -> (UnverifiedJwt, JwkSet) {
        let token = key.sign(&key.header("JWT"), &claims).expect("signed");
        let jwt = decode(token.expose()).expect("a JWT");
        let keys = JwkSet::from_json(&key.public_jwks()).expect("a key set");
        (jwt, keys)
    }

    fn failing(report: &ValidationReport) -> Vec<&'static str> {
        report
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn a_good_response_passes_its_own_rows_and_yields_code_and_state() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("a key");
        let (jwt, keys) = signed(
            &key,
            json!({"iss": "https://idp", "aud": "app", "exp": 2_000, "code": "c", "state": "s"}),
        );
        let report = check(&jwt, &keys, "https://idp", "app", 1_000);
        assert!(
            failing(&report).is_empty(),
            "every row passes: {:?}",
            report.checks
        );
        assert!(
            report.checks.iter().all(|c| c.id.starts_with("jarm")),
            "the rows are the response's own"
        );
        let params = params(&jwt);
        assert!(params.contains(&("code".into(), "c".into())));
        assert!(params.contains(&("state".into(), "s".into())));
        assert!(
            params.contains(&("iss".into(), "https://idp".into())),
            "iss for the RFC 9207 check"
        );
    }

    #[test]
    fn another_key_another_audience_or_a_past_expiry_each_fail_their_row() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("a key");
        let other = ClientKey::generate(KeyAlg::ES256).expect("another key");
        let good = json!({"iss": "https://idp", "aud": "app", "exp": 2_000, "code": "c"});
        let (jwt, _) = signed(&key, good.clone());
        let wrong_keys = JwkSet::from_json(&other.public_jwks()).expect("keys");
        assert!(
            !failing(&check(&jwt, &wrong_keys, "https://idp", "app", 1_000)).is_empty(),
            "signed by a key the provider does not publish"
        );
        let (jwt, keys) = signed(&key, good.clone());
        assert_eq!(
            failing(&check(&jwt, &keys, "https://idp", "other", 1_000)),
            vec!["jarm_aud"]
        );
        assert_eq!(
            failing(&check(&jwt, &keys, "https://idp", "app", 3_000)),
            vec!["jarm_exp"]
        );
        let (no_exp, keys) = signed(
            &key,
            json!({"iss": "https://idp", "aud": "app", "code": "c"}),
        );
        assert_eq!(
            failing(&check(&no_exp, &keys, "https://idp", "app", 1_000)),
            vec!["jarm_exp"],
            "JARM requires exp"
        );
    }
}
