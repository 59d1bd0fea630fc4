//! JSON Web Keys: parsing a provider's key set leniently, choosing the key for
//! a token, and turning it into a verification key.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::protocol::jwt::B64URL;

/// One public key from a JWKS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `RSA`, `EC`, `OKP`, `oct`.
    pub kty: String,
    /// Key id (`kid`), matched against the `kid` in a token's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Algorithm the key is for (`alg`); when set, a token must use exactly this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Key use (`use`): `sig` or `enc`; `enc` keys are never used to verify.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub key_use: Option<String>,
    /// RSA modulus, base64url; its length gives the key size in bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA public exponent, base64url (usually `AQAB`, i.e. 65537).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Curve (`P-256`, `P-384`, `Ed25519`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// EC x coordinate, or the whole Ed25519 public key for OKP; base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate, base64url; OKP keys have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// A provider's key set. Keys Tessera cannot parse are skipped, not fatal,
/// so one exotic key does not break sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JwkSet {
    /// Keys that parsed; entries that did not are dropped (see [`JwkSet::from_json_counting`]).
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// Parses `{"keys":[…]}`.
    pub fn from_json(value: &Value) -> Option<Self> {
        let keys = value.get("keys")?.as_array()?;
        Some(Self {
            keys: keys
                .iter()
                .filter_map(|k| serde_json::from_value(k.clone()).ok())
                .collect(),
        })
    }

    /// Parses a key set and counts the keys that were skipped.
    pub fn from_json_counting(value: &Value) -> Option<(Self, usize)> {
        let total = value.get("keys")?.as_array()?.len();
        let set = Self::from_json(value)?;
        let skipped = total - set.keys.len();
        Some((set, skipped))
    }

    /// Parses keys a user pasted: a JWKS (`{"keys": [...]}`) or one JWK.
    /// Private key members are ignored; only the public part is used.
    pub fn parse_pasted(text: &str) -> Result<Self, PastedKeyError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PastedKeyError::Empty);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| PastedKeyError::Json {
            line: e.line(),
            column: e.column(),
        })?;
        if value.get("keys").is_some() {
            let set = Self::from_json(&value).ok_or(PastedKeyError::KeysNotArray)?;
            if set.keys.is_empty() {
                return Err(PastedKeyError::NoUsableKey);
            }
            return Ok(set);
        }
        if value.get("kty").is_none() {
            return Err(PastedKeyError::NotAKey);
        }
        let key: Jwk = serde_json::from_value(value).map_err(|_| PastedKeyError::NotAKey)?;
        Ok(Self { keys: vec![key] })
    }

    /// Whether any key has this id.
    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid.as_deref() == Some(kid))
    }

    /// Keys that could verify `alg` and, when given, carry `kid`.
    pub fn candidates(&self, alg: &str, kid: Option<&str>) -> Vec<&Jwk> {
        self.keys
            .iter()
            .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
            .filter(|k| k.key_use.as_deref() != Some("enc"))
            .filter(|k| k.alg.as_deref().is_none_or(|a| a == alg))
            .filter(|k| k.fits(alg))
            .collect()
    }
}

/// Why pasted key material is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PastedKeyError {
    /// The pasted text is empty or only whitespace.
    #[error("paste a JWK or a JWKS to verify against")]
    Empty,
    /// The text does not parse as JSON.
    #[error("the key is not valid JSON (syntax error at line {line} column {column}); paste a JWK object or a {{\"keys\": [...]}} set")]
    Json {
        /// 1-based line of the first JSON syntax error.
        line: usize,
        /// 1-based column of the first JSON syntax error.
        column: usize,
    },
    /// `keys` is not an array.
    #[error("the JWKS member \"keys\" is not an array of keys")]
    KeysNotArray,
    /// JSON, but neither a JWK nor a JWKS.
    #[error("this JSON is neither a JWK (it has no \"kty\") nor a JWKS (it has no \"keys\")")]
    NotAKey,
    /// A JWKS with no parsable key.
    #[error("the JWKS holds no key Tessera can read")]
    NoUsableKey,
}

/// The asymmetric algorithms Tessera verifies.
pub const ASYMMETRIC_ALGS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
];

/// The HMAC algorithms, usable only with a client secret.
pub const HMAC_ALGS: &[&str] = &["HS256", "HS384", "HS512"];

/// Maps a JOSE `alg` to the verifier's algorithm.
pub fn algorithm(alg: &str) -> Option<Algorithm> {
    Some(match alg {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" => Algorithm::EdDSA,
        "HS256" => Algorithm::HS256,
        "HS384" => Algorithm::HS384,
        "HS512" => Algorithm::HS512,
        _ => return None,
    })
}

impl Jwk {
    /// Whether this key's type (and curve) suits `alg`.
    pub fn fits(&self, alg: &str) -> bool {
        match (self.kty.as_str(), alg) {
            ("RSA", a) => a.starts_with("RS") || a.starts_with("PS"),
            ("EC", "ES256") => self.crv.as_deref() == Some("P-256"),
            ("EC", "ES384") => self.crv.as_deref() == Some("P-384"),
            ("OKP", "EdDSA") => self.crv.as_deref() == Some("Ed25519"),
            _ => false,
        }
    }

    /// The verification key, if the JWK is complete.
    pub fn decoding_key(&self) -> Option<DecodingKey> {
        match self.kty.as_str() {
            "RSA" => DecodingKey::from_rsa_components(self.n.as_deref()?, self.e.as_deref()?).ok(),
            "EC" => DecodingKey::from_ec_components(self.x.as_deref()?, self.y.as_deref()?).ok(),
            "OKP" => DecodingKey::from_ed_components(self.x.as_deref()?).ok(),
            _ => None,
        }
    }

    /// "2048 bits" for RSA, the curve for EC and OKP: the key's strength.
    pub fn size(&self) -> String {
        match self.kty.as_str() {
            "RSA" => match self.rsa_bits() {
                Some(bits) => format!("{bits} bits"),
                None => "unknown size".to_string(),
            },
            "oct" => "shared secret".to_string(),
            _ => self.crv.clone().unwrap_or_else(|| "unknown curve".into()),
        }
    }

    fn rsa_bits(&self) -> Option<usize> {
        self.n
            .as_deref()
            .and_then(|n| B64URL.decode(n).ok())
            .map(|b| b.iter().skip_while(|&&x| x == 0).count() * 8)
    }

    /// "RSA 2048", "EC P-256", "OKP Ed25519": what the key is, for reports.
    pub fn describe(&self) -> String {
        match self.kty.as_str() {
            "RSA" => match self.rsa_bits() {
                Some(bits) => format!("RSA {bits}"),
                None => "RSA".to_string(),
            },
            other => match &self.crv {
                Some(crv) => format!("{other} {crv}"),
                None => other.to_string(),
            },
        }
    }
}

impl crate::error::EngineError for PastedKeyError {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::InvalidInput
    }
}
