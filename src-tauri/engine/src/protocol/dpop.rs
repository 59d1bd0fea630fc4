//! DPoP (RFC 9449): proofs of possession for sender-constrained tokens.
//! Sans-IO: a proof is built from a key, the request's method and URL, the
//! time, the server's latest nonce and (at a resource server) the access
//! token's hash. Sending, retrying on `use_dpop_nonce` and remembering
//! nonces are the callers' (see [`crate::protocol::token`] and the API call).
//!
//! A proof's header carries `typ: dpop+jwt`, the signing `alg` and the
//! public `jwk`; its claims `jti` (fresh), `htm`, `htu` (the URL without
//! query and fragment), `iat`, and `nonce` and `ath` when they apply.

use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use url::Url;

use crate::protocol::authorize::random_token;
use crate::protocol::client_key::{ClientKey, KeyError};
use crate::protocol::jwt::B64URL;
use crate::secret::SecretString;

/// The header that carries a proof, and the one that carries a server's nonce.
pub const DPOP_HEADER: &str = "dpop";
/// A server's nonce for the next proof (RFC 9449 §8, §9).
pub const NONCE_HEADER: &str = "dpop-nonce";

/// `htu`: the request URL without its query and fragment (RFC 9449 §4.2).
pub fn htu(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// `ath`: base64url(SHA-256(access token)).
pub fn ath(access_token: &SecretString) -> String {
    B64URL.encode(Sha256::digest(access_token.expose().as_bytes()))
}

/// The proof's `jwk`: the key's public members, and nothing that could be private.
fn public_jwk(key: &ClientKey) -> Value {
    let mut jwk = key.public_jwk();
    if let Value::Object(m) = &mut jwk {
        for extra in ["kid", "use", "alg", "x5c", "x5t", "x5t#S256"] {
            m.remove(extra);
        }
    }
    jwk
}

/// What one proof is for.
#[derive(Debug, Clone, Copy)]
pub struct ProofFor<'a> {
    /// `htm`, e.g. `POST`.
    pub method: &'a str,
    /// The request URL (its query and fragment are dropped).
    pub url: &'a Url,
    /// Now, Unix seconds.
    pub now: i64,
    /// The server's latest `DPoP-Nonce`, if it gave one.
    pub nonce: Option<&'a str>,
    /// The access token the request carries (resource requests only).
    pub access_token: Option<&'a SecretString>,
}

/// A fresh proof signed with `key`.
pub fn proof(key: &ClientKey, request: &ProofFor<'_>) -> Result<SecretString, KeyError> {
    let mut header = Map::new();
    header.insert("typ".into(), json!("dpop+jwt"));
    header.insert("alg".into(), json!(key.alg().as_str()));
    header.insert("jwk".into(), public_jwk(key));
    let mut claims = json!({
        "jti": random_token().expose(),
        "htm": request.method,
        "htu": htu(request.url),
        "iat": request.now,
    });
    if let Some(nonce) = request.nonce {
        claims["nonce"] = json!(nonce);
    }
    if let Some(token) = request.access_token {
        claims["ath"] = json!(ath(token));
    }
    key.sign(&header, &claims)
}

/// Where a server's nonce is remembered. An authorization server's token
/// and PAR endpoints share one nonce per origin; a request carrying an
/// access token (userinfo, an API) keeps its own per URL, because an API
/// may sit on the provider's origin with nonces of its own: at worst a new
/// path costs one retry.
pub fn nonce_key(url: &Url, with_access_token: bool) -> String {
    if with_access_token {
        htu(url)
    } else {
        url.origin().ascii_serialization()
    }
}

/// Whether an error answer asks for a (new) nonce: the OAuth error
/// `use_dpop_nonce` in a JSON body or in a `WWW-Authenticate: DPoP` challenge.
pub fn asks_for_nonce(oauth_error: Option<&str>, www_authenticate: Option<&str>) -> bool {
    oauth_error == Some("use_dpop_nonce")
        || www_authenticate.is_some_and(|h| {
            h.trim_start().to_ascii_lowercase().starts_with("dpop") && h.contains("use_dpop_nonce")
        })
}

/// base64url without padding, for hosts that show a thumbprint.
pub fn b64url(bytes: &[u8]) -> String {
    B64URL.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::client_key::KeyAlg;
    use crate::protocol::jwt::decode_unverified;

    #[test]
    fn htu_drops_the_query_and_fragment() {
        let url = Url::parse("https://api.example/v1/items?limit=5#top").expect("a URL");
        assert_eq!(htu(&url), "https://api.example/v1/items", "RFC 9449 §4.2");
    }

    #[test]
    fn ath_is_the_base64url_sha256_of_the_token() {
        // RFC 9449 §7.1's example token and its ath.
        let token = SecretString::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
        assert_eq!(ath(&token), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    }

    #[test]
    fn a_proof_carries_the_public_key_the_method_the_url_and_a_fresh_jti() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("a key");
        let url = Url::parse("https://idp.example/token?x=1").expect("a URL");
        let token = SecretString::new("at");
        let request = ProofFor {
            method: "POST",
            url: &url,
            now: 1_000,
            nonce: Some("n-1"),
            access_token: Some(&token),
        };
        let first =
            decode_unverified(proof(&key, &request).expect("signed").expose()).expect("a JWT");
        assert_eq!(first.header.typ.as_deref(), Some("dpop+jwt"));
        assert_eq!(first.header.alg, "ES256");
        let jwk = first.header_json.get("jwk").expect("a jwk header");
        assert!(
            jwk.get("d").is_none(),
            "the proof carries no private member"
        );
        assert_eq!(jwk["x"], key.public_jwk()["x"], "the profile's own key");
        assert_eq!(first.claim_str("htm"), Some("POST"));
        assert_eq!(first.claim_str("htu"), Some("https://idp.example/token"));
        assert_eq!(first.claim_time("iat"), Some(1_000));
        assert_eq!(first.claim_str("nonce"), Some("n-1"));
        assert_eq!(first.claim_str("ath").map(str::to_owned), Some(ath(&token)));
        let second =
            decode_unverified(proof(&key, &request).expect("signed").expose()).expect("a JWT");
        assert_ne!(
            first.claim_str("jti"),
            second.claim_str("jti"),
            "servers refuse a replayed jti, so each proof has its own"
        );
    }

    #[test]
    fn a_nonce_is_asked_for_in_a_body_or_a_dpop_challenge() {
        assert!(asks_for_nonce(Some("use_dpop_nonce"), None));
        assert!(asks_for_nonce(
            None,
            Some(
                r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce""#
            )
        ));
        assert!(!asks_for_nonce(
            Some("invalid_dpop_proof"),
            Some(r#"Bearer error="invalid_token""#)
        ));
    }
}
