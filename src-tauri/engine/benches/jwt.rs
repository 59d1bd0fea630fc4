//! Decoding and validating a 4 KB ID token, against the baseline of the
//! signature check alone (the cryptography every verifier has to do).
//!
//! `cargo bench -p tessera-engine --bench jwt`

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use tessera_engine::jwks::JwkSet;
use tessera_engine::jwt::decode_unverified;
use tessera_engine::validate::{validate_id_token, Expectations, NonceRule};

#[path = "support/mod.rs"]
mod common;

const NOW: i64 = 1_800_000_000;

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).expect("test key")
}

/// An RS256 ID token padded with a realistic claim load to about 4 KB.
fn four_kb_token(nonce: &str) -> String {
    let groups: Vec<String> = (0..60)
        .map(|i| format!("/org/team-{i:03}/members"))
        .collect();
    let mut claims = json!({
        "iss": "https://idp.example.com/realms/tessera", "sub": "f3b0c1d2-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "aud": "tessera", "exp": NOW + 300, "iat": NOW - 5, "auth_time": NOW - 5, "nonce": nonce,
        "name": "Dana Demo", "email": "demo@example.com", "email_verified": true,
        "realm_access": {"roles": ["viewer", "developer", "offline_access", "uma_authorization"]},
        "groups": groups,
    });
    let mut token = String::new();
    let key = EncodingKey::from_rsa_pem(&testdata("rsa.pem")).expect("key");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-rsa-1".into());
    for pad in 0..400 {
        claims["x_padding"] = Value::String("p".repeat(pad * 8));
        token = jsonwebtoken::encode(&header, &claims, &key).expect("sign");
        if token.len() >= 4096 {
            break;
        }
    }
    token
}

/// Median time per call over `rounds` batches of `batch` calls.
fn measure(rounds: usize, batch: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..batch {
        f();
    }
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed() / batch as u32
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let nonce = tessera_engine::secret::SecretString::from("n-0S6_WzA2Mj");
    let token = four_kb_token(nonce.expose());
    let jwks = JwkSet::from_json(&json!({
        "keys": [serde_json::from_slice::<Value>(&testdata("rsa.jwk.json")).expect("jwk")]
    }))
    .expect("jwks");
    let expect = Expectations {
        issuer: "https://idp.example.com/realms/tessera",
        client_id: "tessera",
        nonce: NonceRule::Sent(&nonce),
        now: NOW,
        shared_secret: None,
        access_token: None,
        max_age: None,
        acr_values: None,
        allowed_tenants: &[],
        original: None,
    };
    // Sanity: the benchmark measures a passing validation.
    let report = validate_id_token(&decode_unverified(&token).expect("decodes"), &jwks, &expect);
    assert!(
        report.passed(),
        "the benchmark token must validate: {report:?}"
    );

    // Baseline: verifying the RS256 signature alone with the same library.
    let (input, sig) = token.rsplit_once('.').expect("three parts");
    let key = jwks.keys[0].decoding_key().expect("key");
    let baseline = measure(31, 200, || {
        black_box(
            jsonwebtoken::crypto::verify(black_box(sig), input.as_bytes(), &key, Algorithm::RS256)
                .expect("verifies"),
        );
    });
    let decode = measure(31, 200, || {
        black_box(decode_unverified(black_box(&token)).expect("decodes"));
    });
    let full = measure(31, 200, || {
        let jwt = decode_unverified(black_box(&token)).expect("decodes");
        black_box(validate_id_token(&jwt, &jwks, &expect));
    });
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.split('.').nth(1).unwrap_or_default())
        .map(|b| b.len())
        .unwrap_or(0);
    println!(
        "4 KB ID token: {} bytes compact, {payload} bytes of claims, RS256 (2048-bit key)",
        token.len()
    );
    println!(
        "{:<44} {:>10.1} µs   1.00× (baseline)",
        "signature verification alone",
        micros(baseline)
    );
    println!(
        "{:<44} {:>10.1} µs   {:.2}×",
        "Tessera decode_unverified",
        micros(decode),
        ratio(decode, baseline)
    );
    println!(
        "{:<44} {:>10.1} µs   {:.2}×",
        "Tessera decode + validate_id_token (13 checks)",
        micros(full),
        ratio(full, baseline)
    );
    println!(
        "overhead of Tessera's checks beyond the signature: {:.1} µs per token",
        micros(full.saturating_sub(baseline))
    );
    common::record(
        "ID token decode + validation (4 KB, RS256)",
        micros(full),
        micros(baseline),
        "signature check alone",
        "µs",
    );
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}
