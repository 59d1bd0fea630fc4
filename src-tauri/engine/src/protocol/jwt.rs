//! Decoding a compact JWS without trusting it.
//!
//! [`decode_unverified`] only splits and parses; nothing it returns has been
//! checked. Trust comes from [`crate::protocol::validate`]. Decoding errors say which part
//! failed and why, so a user pasting a broken token learns what is wrong with it.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// base64url that tolerates (but does not need) padding.
pub(crate) const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Which of the three parts of a JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JwtPart {
    /// The first part: the JOSE header (`alg`, `kid`, …).
    Header,
    /// The second part: the claims set.
    Payload,
    /// The third part: the signature bytes, which are not JSON.
    Signature,
}

impl std::fmt::Display for JwtPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JwtPart::Header => "header",
            JwtPart::Payload => "payload",
            JwtPart::Signature => "signature",
        })
    }
}

/// Why a string is not a decodable JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtDecodeError {
    /// The token is empty or only whitespace.
    #[error("the token is empty")]
    Empty,
    /// Five parts: an encrypted token.
    #[error(
        "this is an encrypted JWT (JWE, 5 parts); Tessera can only decode signed JWTs (3 parts)"
    )]
    Encrypted,
    /// Neither 3 parts (signed) nor 5 (encrypted); holds the number of parts found.
    #[error("a JWT has 3 dot-separated parts (header.payload.signature); this has {0}")]
    PartCount(usize),
    /// A part is not base64url.
    #[error("the {part} is not valid base64url: {reason}")]
    Base64 {
        /// Which part failed to decode.
        part: JwtPart,
        /// The decoder's reason.
        reason: String,
    },
    /// The header or payload decodes from base64url but is not valid JSON.
    #[error("the {part} is not valid JSON: {reason}")]
    Json {
        /// Which part failed to parse: the header or the payload.
        part: JwtPart,
        /// The parser's reason (location only).
        reason: String,
    },
    /// A part is JSON but not an object.
    #[error("the {0} is JSON but not an object")]
    NotObject(JwtPart),
    /// The header lacks `alg`.
    #[error("the header has no `alg` string")]
    MissingAlg,
}

/// The JOSE header fields Tessera reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoseHeader {
    /// Signing algorithm, e.g. `RS256`; validation refuses `none` and unsupported ones.
    pub alg: String,
    /// Key id (`kid`) naming the provider key that signed the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Media type (`typ`), e.g. `JWT` or `at+jwt`; shown, never checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// Critical extensions, which Tessera does not understand and so refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crit: Option<Vec<String>>,
}

/// A JWT split and parsed, not verified.
#[derive(Clone)]
pub struct UnverifiedJwt {
    /// The header fields Tessera reads; [`Self::header_json`] holds every member.
    pub header: JoseHeader,
    /// The whole header object.
    pub header_json: Map<String, Value>,
    /// The payload's claims as decoded; none of them is verified here.
    pub claims: Map<String, Value>,
    signing_input: String,
    signature_b64: String,
}

impl std::fmt::Debug for UnverifiedJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnverifiedJwt")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl UnverifiedJwt {
    /// `base64url(header) "." base64url(payload)`: the bytes that were signed.
    pub fn signing_input(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    /// The signature part, still base64url.
    pub fn signature_b64(&self) -> &str {
        &self.signature_b64
    }

    /// A claim's value if it is a JSON string; `None` when absent or of another type.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A numeric date claim (`exp`, `iat`, …) as whole seconds.
    pub fn claim_time(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(numeric_date)
    }

    /// `aud` as a list (a single string becomes one element).
    pub fn audiences(&self) -> Vec<String> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A JSON NumericDate (integer or fractional seconds).
pub fn numeric_date(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

/// Splits and parses a compact JWS. **Nothing is verified.**
pub fn decode_unverified(token: &str) -> Result<UnverifiedJwt, JwtDecodeError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(JwtDecodeError::Empty);
    }
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err(JwtDecodeError::Encrypted),
        n => return Err(JwtDecodeError::PartCount(n)),
    }
    let header_json = decode_object(parts[0], JwtPart::Header)?;
    let claims = decode_object(parts[1], JwtPart::Payload)?;
    B64URL
        .decode(parts[2])
        .map_err(|e| JwtDecodeError::Base64 {
            part: JwtPart::Signature,
            reason: e.to_string(),
        })?;
    let header: JoseHeader = serde_json::from_value(Value::Object(header_json.clone()))
        .map_err(|_| JwtDecodeError::MissingAlg)?;
    Ok(UnverifiedJwt {
        header,
        header_json,
        claims,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature_b64: parts[2].to_owned(),
    })
}

fn decode_object(part_b64: &str, part: JwtPart) -> Result<Map<String, Value>, JwtDecodeError> {
    let bytes = B64URL
        .decode(part_b64)
        .map_err(|e| JwtDecodeError::Base64 {
            part,
            reason: e.to_string(),
        })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| JwtDecodeError::Json {
        part,
        reason: format!("syntax error at line {} column {}", e.line(), e.column()),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(JwtDecodeError::NotObject(part)),
    }
}

impl crate::error::EngineError for JwtDecodeError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::InvalidInput
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        B64URL.encode(s)
    }

    #[test]
    fn decodes_header_and_claims_of_a_well_formed_token() {
        let t = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256","kid":"k1"}"#),
            b64(r#"{"sub":"u","aud":["a","b"],"exp":10}"#),
            b64("sig")
        );
        let jwt = decode_unverified(&t).expect("well-formed token decodes");
        assert_eq!(jwt.header.alg, "RS256");
        assert_eq!(jwt.header.kid.as_deref(), Some("k1"));
        assert_eq!(jwt.audiences(), vec!["a", "b"]);
        assert_eq!(jwt.claim_time("exp"), Some(10));
    }

    #[test]
    fn names_the_part_that_fails_to_decode() {
        let good_h = b64(r#"{"alg":"RS256"}"#);
        let good_p = b64(r#"{"sub":"u"}"#);
        assert_eq!(
            decode_unverified("a.b").unwrap_err(),
            JwtDecodeError::PartCount(2)
        );
        assert_eq!(
            decode_unverified("a.b.c.d.e").unwrap_err(),
            JwtDecodeError::Encrypted
        );
        assert!(matches!(
            decode_unverified(&format!("{good_h}.%%%.{}", b64("s"))).unwrap_err(),
            JwtDecodeError::Base64 {
                part: JwtPart::Payload,
                ..
            }
        ));
        assert!(matches!(
            decode_unverified(&format!("{}.{good_p}.{}", b64("{not json"), b64("s"))).unwrap_err(),
            JwtDecodeError::Json {
                part: JwtPart::Header,
                ..
            }
        ));
        assert_eq!(
            decode_unverified(&format!("{}.{good_p}.{}", b64("[1]"), b64("s"))).unwrap_err(),
            JwtDecodeError::NotObject(JwtPart::Header)
        );
        assert_eq!(
            decode_unverified(&format!(
                "{}.{good_p}.{}",
                b64(r#"{"typ":"JWT"}"#),
                b64("s")
            ))
            .unwrap_err(),
            JwtDecodeError::MissingAlg
        );
        assert!(matches!(
            decode_unverified(&format!("{good_h}.{good_p}.!!")).unwrap_err(),
            JwtDecodeError::Base64 {
                part: JwtPart::Signature,
                ..
            }
        ));
    }

    #[test]
    fn truncated_token_reports_the_broken_part() {
        let t = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"sub":"user-123","exp":1}"#),
            b64("sig")
        );
        let cut = &t[..t.find('.').unwrap() + 10];
        let err = decode_unverified(cut).unwrap_err();
        assert_eq!(
            err,
            JwtDecodeError::PartCount(2),
            "a cut token has lost its signature part"
        );
    }
}
