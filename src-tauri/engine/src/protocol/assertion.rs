//! Client authentication by assertion (RFC 7523 §2.2, OIDC Core §9):
//! `client_secret_jwt` (HS256 with the client secret) and `private_key_jwt`
//! (the client's own key). Sans-IO: the caller gives the time and the
//! audience; every call makes a fresh `jti`, because providers refuse a
//! replayed assertion.
//!
//! The audience is what the provider expects in `aud`. RFC 7523's update and
//! FAPI 2.0 ask for the issuer, and most providers accept it; older ones
//! want the token endpoint URL. It is a profile setting
//! ([`AssertionAudience`]), resolved against the provider's metadata.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::protocol::authorize::random_token;
use crate::protocol::client_key::{signing_input, ClientKey, KeyError};
use crate::protocol::jwt::B64URL;
use crate::secret::SecretString;
use base64::Engine as _;

/// `client_assertion_type` for a JWT assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid: long enough for a slow network, short
/// enough that a captured one is soon useless.
pub const ASSERTION_LIFETIME_SECS: i64 = 60;

/// What the assertion's `aud` names.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssertionAudience {
    /// The issuer identifier, as RFC 7523's update and FAPI 2.0 ask (the default).
    #[default]
    Issuer,
    /// The token endpoint URL, which older providers require.
    TokenEndpoint,
}

impl AssertionAudience {
    /// The `aud` value for a provider with this issuer and token endpoint.
    pub fn resolve<'a>(self, issuer: &'a str, token_endpoint: &'a str) -> &'a str {
        match self {
            AssertionAudience::Issuer => issuer,
            AssertionAudience::TokenEndpoint => token_endpoint,
        }
    }
}

/// The claims every client assertion carries.
pub fn assertion_claims(client_id: &str, audience: &str, now: i64) -> Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": random_token().expose(),
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECS,
    })
}

/// A `private_key_jwt` assertion signed with the client's key.
pub fn private_key_jwt(
    key: &ClientKey,
    client_id: &str,
    audience: &str,
    now: i64,
) -> Result<SecretString, KeyError> {
    key.sign(
        &key.header("JWT"),
        &assertion_claims(client_id, audience, now),
    )
}

/// A `client_secret_jwt` assertion: HS256 keyed with the client secret.
pub fn client_secret_jwt(
    secret: &SecretString,
    client_id: &str,
    audience: &str,
    now: i64,
) -> SecretString {
    let mut header = Map::new();
    header.insert("alg".into(), json!("HS256"));
    header.insert("typ".into(), json!("JWT"));
    let input = signing_input(&header, &assertion_claims(client_id, audience, now));
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return SecretString::default(),
    };
    mac.update(input.as_bytes());
    let signature = B64URL.encode(mac.finalize().into_bytes());
    SecretString::new(format!("{input}.{signature}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::client_key::KeyAlg;
    use crate::protocol::jwt::decode_unverified;

    #[test]
    fn an_assertion_names_the_client_twice_and_expires_within_a_minute() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("generated");
        let token = private_key_jwt(&key, "svc", "https://idp.example", 1_000).expect("signed");
        let jwt = decode_unverified(token.expose()).expect("a JWT");
        assert_eq!(jwt.claim_str("iss"), Some("svc"), "iss is the client id");
        assert_eq!(jwt.claim_str("sub"), Some("svc"), "sub is the client id");
        assert_eq!(jwt.claim_str("aud"), Some("https://idp.example"));
        assert_eq!(jwt.claim_time("iat"), Some(1_000));
        assert_eq!(
            jwt.claim_time("exp"),
            Some(1_000 + ASSERTION_LIFETIME_SECS),
            "a short lifetime limits a captured assertion"
        );
        assert_eq!(jwt.header.kid.as_deref(), Some(key.kid().as_str()));
        assert_eq!(jwt.header.typ.as_deref(), Some("JWT"));
    }

    #[test]
    fn every_assertion_has_a_fresh_jti() {
        let key = ClientKey::generate(KeyAlg::EdDSA).expect("generated");
        let jti = |t: SecretString| {
            decode_unverified(t.expose())
                .expect("a JWT")
                .claim_str("jti")
                .map(str::to_owned)
        };
        let a = jti(private_key_jwt(&key, "c", "a", 0).expect("signed"));
        let b = jti(private_key_jwt(&key, "c", "a", 0).expect("signed"));
        assert!(a.is_some(), "an assertion carries a jti");
        assert_ne!(a, b, "providers refuse a replayed jti, so each is new");
    }

    #[test]
    fn a_client_secret_jwt_verifies_with_the_secret_and_not_another() {
        let secret = SecretString::new("a-secret-of-at-least-thirty-two-bytes!!");
        let token = client_secret_jwt(&secret, "c", "https://idp", 5);
        let jwt = decode_unverified(token.expose()).expect("a JWT");
        assert_eq!(jwt.header.alg, "HS256");
        let check = |key: &[u8]| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("hmac");
            mac.update(jwt.signing_input());
            B64URL.encode(mac.finalize().into_bytes()) == jwt.signature_b64()
        };
        assert!(
            check(secret.expose().as_bytes()),
            "signed with the client secret"
        );
        assert!(!check(b"another secret"), "and only with it");
    }

    #[test]
    fn the_audience_is_the_issuer_unless_the_profile_asks_for_the_token_endpoint() {
        assert_eq!(
            AssertionAudience::default().resolve("https://idp", "https://idp/token"),
            "https://idp"
        );
        assert_eq!(
            AssertionAudience::TokenEndpoint.resolve("https://idp", "https://idp/token"),
            "https://idp/token"
        );
    }
}
