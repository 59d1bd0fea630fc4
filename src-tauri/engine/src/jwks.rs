//! JSON Web Keys: parsing a provider's key set leniently, choosing the key for
//! a token, and turning it into a verification key.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::jwt::B64URL;

/// One public key from a JWKS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `RSA`, `EC`, `OKP`, `oct`.
    pub kty: String,
    /// Key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Intended algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// `sig` or `enc`.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub key_use: Option<String>,
    /// RSA modulus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Curve (`P-256`, `P-384`, `Ed25519`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// EC/OKP x coordinate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// A provider's key set. Keys Tessera cannot parse are skipped, not fatal,
/// so one exotic key does not break sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JwkSet {
    /// The usable keys.
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

    /// "RSA 2048", "EC P-256", "OKP Ed25519": what the key is, for reports.
    pub fn describe(&self) -> String {
        match self.kty.as_str() {
            "RSA" => {
                let bits = self
                    .n
                    .as_deref()
                    .and_then(|n| B64URL.decode(n).ok())
                    .map(|b| b.iter().skip_while(|&&x| x == 0).count() * 8);
                match bits {
                    Some(bits) => format!("RSA {bits}"),
                    None => "RSA".to_string(),
                }
            }
            other => match &self.crv {
                Some(crv) => format!("{other} {crv}"),
                None => other.to_string(),
            },
        }
    }
}
