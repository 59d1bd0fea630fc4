//! `jwt::decode_unverified` on any text, as `tessera decode` and the
//! inspector's *Decode a JWT* get it, then the inspector's view of it and a
//! verification against the engine's test keys (and a shared secret).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_engine::claims;
use tessera_engine::inspect::decode_pasted;
use tessera_engine::jwks::JwkSet;
use tessera_engine::jwt::decode_unverified;
use tessera_engine::secret::SecretString;
use tessera_engine::validate::SharedSecret;
use tessera_engine::verify::{verify_jwt, VerifyOptions};
use tessera_fuzz::has_float;

fn keys() -> &'static JwkSet {
    static KEYS: OnceLock<JwkSet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keys: Vec<Value> = [
            include_str!("../../engine/testdata/rsa.jwk.json"),
            include_str!("../../engine/testdata/ec.jwk.json"),
            include_str!("../../engine/testdata/ed.jwk.json"),
        ]
        .iter()
        .map(|k| serde_json::from_str(k).expect("a test JWK"))
        .collect();
        JwkSet::from_json(&serde_json::json!({ "keys": keys })).expect("the test key set")
    })
}

fn b64url(bytes: &[u8]) -> String {
    // base64url without padding, written out here so the property does not
    // lean on the engine's own encoder.
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn is_b64url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let decoded = decode_unverified(text);
    assert_eq!(decoded.is_ok(), decode_pasted(text).is_ok());
    let jwt = match decoded {
        Ok(jwt) => jwt,
        Err(e) => {
            // A broken token's error names the part and the reason, never
            // the token's own text.
            let message = e.to_string();
            for part in text.trim().split('.') {
                if part.len() >= 16 && part.chars().all(is_b64url_char) {
                    assert!(!message.contains(part), "{message:?} quotes {part:?}");
                }
            }
            return;
        }
    };

    let parts: Vec<&str> = text.trim().split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        jwt.signing_input(),
        format!("{}.{}", parts[0], parts[1]).as_bytes()
    );
    assert_eq!(jwt.signature_b64(), parts[2]);
    assert_eq!(
        jwt.header_json.get("alg").and_then(Value::as_str),
        Some(jwt.header.alg.as_str())
    );
    let _ = (jwt.audiences(), jwt.claim_time("exp"), jwt.claim_str("iss"));
    let _ = claims::explain_all(&jwt.claims);

    // Re-encoding the decoded header and claims decodes to the same token
    // (for documents whose numbers serde_json reads back exactly).
    let header = Value::Object(jwt.header_json.clone());
    let payload = Value::Object(jwt.claims.clone());
    if !has_float(&header) && !has_float(&payload) {
        let token = format!(
            "{}.{}.{}",
            b64url(&serde_json::to_vec(&header).expect("JSON")),
            b64url(&serde_json::to_vec(&payload).expect("JSON")),
            parts[2]
        );
        let again = decode_unverified(&token).expect("a re-encoded token decodes");
        assert_eq!(again.header, jwt.header);
        assert_eq!(again.header_json, jwt.header_json);
        assert_eq!(again.claims, jwt.claims);
    }

    // Verification: whatever the header says, it ends in a report, never a panic.
    let secret = SecretString::new("fuzz-client-secret-0123456789-abcdefghijklmnop");
    let advertised = ["HS256".to_string(), "RS256".to_string()];
    for shared_secret in [None, SharedSecret::new(Some(&secret), &advertised)] {
        let report = verify_jwt(
            &jwt,
            keys(),
            &VerifyOptions {
                noun: "token",
                issuer: Some("https://issuer.example"),
                audience: Some("tessera"),
                now: 1_800_000_000,
                shared_secret,
            },
        );
        // `alg: none` is refused, whatever else the token says.
        if jwt.header.alg.eq_ignore_ascii_case("none") {
            assert!(!report.passed(), "alg none passed");
        }
    }
});
