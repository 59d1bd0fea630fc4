//! Signed request objects (JAR, RFC 9101): the authorization request's
//! parameters as a JWT signed with the client's key, so the provider knows
//! the request came from the client unchanged. Sans-IO.
//!
//! Claims: every parameter of the request, plus `iss` (the client), `aud`
//! (the issuer), `iat`, `nbf`, `exp` (a minute later) and a fresh `jti`.
//! `max_age` is a number and `claims` a JSON object, as in the request.

use serde_json::{json, Map, Value};

use crate::protocol::authorize::random_token;
use crate::protocol::client_key::{ClientKey, KeyError};
use crate::secret::SecretString;

/// How long a request object is valid.
pub const REQUEST_OBJECT_LIFETIME_SECS: i64 = 60;

/// The claims of a request object for these parameters.
pub fn claims(client_id: &str, issuer: &str, params: &[(String, String)], now: i64) -> Value {
    let mut claims = Map::new();
    for (name, value) in params {
        let v = match name.as_str() {
            "max_age" => value
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or(json!(value)),
            "claims" => serde_json::from_str(value).unwrap_or(json!(value)),
            _ => json!(value),
        };
        match claims.get_mut(name) {
            // A repeated parameter (resource) becomes an array.
            Some(Value::Array(items)) => items.push(v),
            Some(first) => *first = json!([first.clone(), v]),
            None => {
                claims.insert(name.clone(), v);
            }
        }
    }
    claims.insert("iss".into(), json!(client_id));
    claims.insert("aud".into(), json!(issuer));
    claims.insert("iat".into(), json!(now));
    claims.insert("nbf".into(), json!(now));
    claims.insert("exp".into(), json!(now + REQUEST_OBJECT_LIFETIME_SECS));
    claims.insert("jti".into(), json!(random_token().expose()));
    Value::Object(claims)
}

/// A request object signed with the client's key.
pub fn sign(
    key: &ClientKey,
    client_id: &str,
    issuer: &str,
    params: &[(String, String)],
    now: i64,
) -> Result<SecretString, KeyError> {
    key.sign(
        &key.header("oauth-authz-req+jwt"),
        &claims(client_id, issuer, params, now),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::client_key::KeyAlg;
    use crate::protocol::jwt::decode_unverified;

    #[test]
    fn a_request_object_carries_the_parameters_and_names_client_and_issuer() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("a key");
        let params: Vec<(String, String)> = [
            ("response_type", "code"),
            ("client_id", "app"),
            ("max_age", "300"),
            ("claims", r#"{"id_token":{"acr":null}}"#),
            ("resource", "https://a"),
            ("resource", "https://b"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let token = sign(&key, "app", "https://idp", &params, 1_000).expect("signed");
        let jwt = decode_unverified(token.expose()).expect("a JWT");
        assert_eq!(
            jwt.header.typ.as_deref(),
            Some("oauth-authz-req+jwt"),
            "RFC 9101 §10.8"
        );
        assert_eq!(jwt.claim_str("iss"), Some("app"), "the client signs it");
        assert_eq!(jwt.claim_str("aud"), Some("https://idp"), "for the issuer");
        assert_eq!(
            jwt.claim_time("exp"),
            Some(1_000 + REQUEST_OBJECT_LIFETIME_SECS)
        );
        assert_eq!(jwt.claim_time("nbf"), Some(1_000));
        assert!(jwt.claim_str("jti").is_some(), "a fresh jti");
        assert_eq!(jwt.claims["max_age"], json!(300), "max_age is a number");
        assert_eq!(
            jwt.claims["claims"]["id_token"],
            json!({"acr": null}),
            "claims is an object"
        );
        assert_eq!(
            jwt.claims["resource"],
            json!(["https://a", "https://b"]),
            "repeated as an array"
        );
    }
}
