//! Verifying any JWT, not only an ID token: a pasted token, or a JWT access
//! token (RFC 9068) in the inspector.
//!
//! The algorithm and signature rows are the same code as ID token validation
//! ([`crate::protocol::validate`]); the claim rows are the generic RFC 7519 ones, plus
//! issuer and audience when the caller knows what to expect. Like
//! validation, every check runs and lands in the report.

use crate::protocol::jwks::JwkSet;
use crate::protocol::jwt::UnverifiedJwt;
use crate::protocol::time_checks::{check_times, TimeClaims};
use crate::protocol::validate::{check_alg_and_signature, Check, SharedSecret, ValidationReport};
use crate::seams::clock::UnixTime;

/// What a JWT is checked against, beyond its signature.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The token's name in messages: "token", "access token".
    pub noun: &'a str,
    /// `iss` must be exactly this, when given.
    pub issuer: Option<&'a str>,
    /// `aud` must contain this, when given.
    pub audience: Option<&'a str>,
    /// Now, in Unix seconds.
    pub now: UnixTime,
    /// Enables HS256/384/512, for the algorithms the provider advertises.
    pub shared_secret: Option<SharedSecret<'a>>,
}

/// Verifies `jwt` against `keys` and `options`, recording every check.
pub fn verify_jwt(
    jwt: &UnverifiedJwt,
    keys: &JwkSet,
    options: &VerifyOptions<'_>,
) -> ValidationReport {
    let noun = options.noun;
    let mut report = ValidationReport::default();
    check_alg_and_signature(jwt, keys, options.shared_secret, noun, &mut report);
    if let Some(expected) = options.issuer {
        report.push(match jwt.claim_str("iss") {
            Some(iss) if iss == expected => {
                Check::pass("issuer", "Issuer", format!("iss is {iss}"))
            }
            Some(iss) => Check::fail(
                "issuer",
                "Issuer",
                format!("{noun} issuer mismatch: expected {expected}, got {iss}"),
            )
            .with_values(expected, iss),
            None => Check::fail("issuer", "Issuer", format!("{noun} has no iss claim")),
        });
    }
    if let Some(expected) = options.audience {
        let auds = jwt.audiences();
        report.push(if auds.iter().any(|a| a == expected) {
            Check::pass("audience", "Audience", format!("aud contains {expected}"))
        } else {
            Check::fail(
                "audience",
                "Audience",
                format!("{noun} audience does not contain {expected}"),
            )
            .with_values(expected, auds.join(", "))
        });
    }
    check_times(
        jwt,
        options.now,
        options.noun,
        TimeClaims::WhenPresent,
        &mut report,
    );
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::decode_unverified;
    use crate::secret::SecretString;
    use base64::Engine as _;

    fn b64(v: &serde_json::Value) -> String {
        crate::protocol::jwt::B64URL.encode(serde_json::to_vec(v).expect("json"))
    }

    fn hs256(claims: serde_json::Value, secret: &str) -> String {
        let header = b64(&serde_json::json!({"alg": "HS256", "typ": "JWT"}));
        let payload = b64(&claims);
        let input = format!("{header}.{payload}");
        let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
        let sig =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS256)
                .expect("sign");
        format!("{input}.{sig}")
    }

    fn options<'a>(secret: Option<&'a SecretString>) -> VerifyOptions<'a> {
        static HS256: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let advertised = HS256.get_or_init(|| vec!["HS256".to_string()]);
        VerifyOptions {
            noun: "token",
            issuer: Some("https://idp.test"),
            audience: Some("api"),
            now: 1_000,
            shared_secret: SharedSecret::new(secret, advertised),
        }
    }

    #[test]
    fn a_good_token_passes_every_row_and_names_what_verified_it() {
        let secret = SecretString::from("s3cret");
        let token = hs256(
            serde_json::json!({"iss": "https://idp.test", "aud": "api", "exp": 2_000, "iat": 900}),
            "s3cret",
        );
        let jwt = decode_unverified(&token).expect("decodes");
        let report = verify_jwt(&jwt, &JwkSet::default(), &options(Some(&secret)));
        assert!(report.passed(), "every row should pass: {report:?}");
        assert_eq!(
            report.verified_by.as_deref(),
            Some("the client secret"),
            "the report says which key verified the signature"
        );
        let ids: Vec<&str> = report.checks.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [
                "alg",
                "signature",
                "issuer",
                "audience",
                "expiry",
                "issued_at"
            ],
            "one row per check, in order"
        );
    }

    #[test]
    fn each_broken_claim_fails_its_own_row_and_the_others_still_run() {
        let secret = SecretString::from("s3cret");
        let token = hs256(
            serde_json::json!({"iss": "https://evil.test", "aud": "other", "exp": 10, "nbf": 5_000}),
            "wrong-secret",
        );
        let jwt = decode_unverified(&token).expect("decodes");
        let report = verify_jwt(&jwt, &JwkSet::default(), &options(Some(&secret)));
        let failed: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.id)
            .collect();
        assert_eq!(
            failed,
            ["signature", "issuer", "audience", "expiry", "not_before"],
            "every problem is reported, not just the first: {report:?}"
        );
        assert!(report.verified_by.is_none(), "nothing verified it");
    }

    #[test]
    fn an_unsigned_token_is_refused_and_its_signature_not_checked() {
        let token = format!(
            "{}.{}.",
            b64(&serde_json::json!({"alg": "none"})),
            b64(&serde_json::json!({"exp": 2_000}))
        );
        let jwt = decode_unverified(&token).expect("decodes");
        let report = verify_jwt(&jwt, &JwkSet::default(), &options(None));
        let alg = report
            .checks
            .iter()
            .find(|c| c.id == "alg")
            .expect("alg row");
        assert!(!alg.passed, "alg none is refused");
        assert!(
            alg.detail.contains("token is unsigned"),
            "the message names the token: {}",
            alg.detail
        );
    }
}
