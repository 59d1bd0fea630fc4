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
