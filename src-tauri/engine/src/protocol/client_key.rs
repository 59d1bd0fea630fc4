//! The client's own key pair, for `private_key_jwt` (RFC 7523) and later
//! DPoP and signed request objects: generated here or imported from PEM,
//! its public half shown as a JWK Set to register with the provider, its
//! private half kept only in the keyring ([`ClientKey::to_keyring`]).
//!
//! The `kid` is the key's RFC 7638 thumbprint, so it is stable across
//! exports and the same in every tool that computes it. A certificate given
//! with the key (Entra's "certificate credentials") adds `x5c`, `x5t#S256`
//! and `x5t` to the JWK and the assertion header; the certificate must carry
//! this key's public key, checked at import.
//!
//! `Debug` prints the algorithm and kid only: the private key never reaches
//! a log, an error or a panic.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::protocol::jwt::B64URL;
use crate::secret::SecretString;

/// The signing algorithm of a client key.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyAlg {
    /// ECDSA on P-256 with SHA-256, the default: short keys, fast, FAPI's choice.
    ES256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (2048-bit keys when generated).
    RS256,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// Ed25519, labelled `EdDSA` (RFC 8037).
    EdDSA,
    /// Ed25519, labelled `Ed25519` (RFC 9864), for providers that want the new name.
    Ed25519,
}

impl KeyAlg {
    /// The `alg` value in JWS headers and JWKs.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlg::ES256 => "ES256",
            KeyAlg::RS256 => "RS256",
            KeyAlg::PS256 => "PS256",
            KeyAlg::EdDSA => "EdDSA",
            KeyAlg::Ed25519 => "Ed25519",
        }
    }

    /// Parses an `alg` name, case-insensitively (`es256`, `EdDSA`, `ed25519`).
    pub fn parse(name: &str) -> Option<Self> {
        [
            KeyAlg::ES256,
            KeyAlg::RS256,
            KeyAlg::PS256,
            KeyAlg::EdDSA,
            KeyAlg::Ed25519,
        ]
        .into_iter()
        .find(|a| a.as_str().eq_ignore_ascii_case(name))
    }

    fn family(self) -> Family {
        match self {
            KeyAlg::ES256 => Family::P256,
            KeyAlg::RS256 | KeyAlg::PS256 => Family::Rsa,
            KeyAlg::EdDSA | KeyAlg::Ed25519 => Family::Ed25519,
        }
    }
}

impl fmt::Display for KeyAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    P256,
    Rsa,
    Ed25519,
}

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM holds no private key Tessera can use.
    #[error("the key file holds no usable private key ({0}); give a PKCS#8 PEM (BEGIN PRIVATE KEY) with a P-256, RSA or Ed25519 key")]
    UnreadableKey(String),
    /// The algorithm does not fit the key type.
    #[error("a {key} key cannot sign {alg}")]
    AlgorithmMismatch {
        /// The key type found.
        key: &'static str,
        /// The algorithm asked for.
        alg: KeyAlg,
    },
    /// The certificate file holds no certificate.
    #[error("the certificate file holds no PEM certificate (BEGIN CERTIFICATE)")]
    NoCertificate,
    /// The certificate is for another key.
    #[error("the certificate does not carry this key's public key; give the certificate issued for this private key")]
    CertificateMismatch,
    /// The keyring entry is not a key Tessera stored.
    #[error("the client key in the keyring is unreadable ({0}); generate or import it again")]
    Corrupt(String),
    /// Signing or generating failed inside the crypto library.
    #[error("the client key could not {0}")]
    Crypto(&'static str),
}

impl crate::error::EngineError for KeyError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            KeyError::Corrupt(_) => ErrorKind::KeyringUnavailable,
            KeyError::Crypto(_) => ErrorKind::Io,
            _ => ErrorKind::InvalidInput,
        }
    }
}

#[derive(Clone)]
enum PrivateKey {
    P256(p256::SecretKey),
    Rsa(Box<rsa::RsaPrivateKey>),
    Ed25519(ed25519_dalek::SigningKey),
}

/// A client key pair, with the certificates issued for it if any.
#[derive(Clone)]
pub struct ClientKey {
    alg: KeyAlg,
    key: PrivateKey,
    /// DER certificates, the key's own first.
    certificates: Vec<Vec<u8>>,
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

/// What the profile file may know of a key: public facts only.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientKeyInfo {
    /// The signing algorithm.
    pub alg: KeyAlg,
    /// The `kid`: the RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// `x5t#S256` of the certificate, when one was imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x5t_s256: Option<String>,
}

/// The keyring form: the only place the private key is plain text.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    alg: KeyAlg,
    pkcs8_pem: String,
    #[serde(default)]
    certificates: Vec<String>,
}

fn rng() -> rand_core::OsRng {
    rand_core::OsRng
}

impl ClientKey {
    /// A new key pair for `alg` from the OS random source.
    pub fn generate(alg: KeyAlg) -> Result<Self, KeyError> {
        let key = match alg.family() {
            Family::P256 => PrivateKey::P256(p256::SecretKey::random(&mut rng())),
            Family::Rsa => PrivateKey::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut rng(), 2048)
                    .map_err(|_| KeyError::Crypto("be generated"))?,
            )),
            Family::Ed25519 => PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng())),
        };
        Ok(Self {
            alg,
            key,
            certificates: Vec::new(),
        })
    }

    /// Reads a private key from PEM (PKCS#8, or SEC1 `EC PRIVATE KEY` and
    /// PKCS#1 `RSA PRIVATE KEY`), with its certificate chain when given.
    /// Without `alg`, an RSA key signs RS256, a P-256 key ES256 and an
    /// Ed25519 key EdDSA.
    pub fn from_pem(
        key_pem: &str,
        certificate_pem: Option<&str>,
        alg: Option<KeyAlg>,
    ) -> Result<Self, KeyError> {
        let key = read_private_key(key_pem)?;
        let family = match &key {
            PrivateKey::P256(_) => Family::P256,
            PrivateKey::Rsa(_) => Family::Rsa,
            PrivateKey::Ed25519(_) => Family::Ed25519,
        };
        let alg = match alg {
            Some(a) if a.family() == family => a,
            Some(a) => {
                return Err(KeyError::AlgorithmMismatch {
                    key: family_name(family),
                    alg: a,
                })
            }
            None => match family {
                Family::P256 => KeyAlg::ES256,
                Family::Rsa => KeyAlg::RS256,
                Family::Ed25519 => KeyAlg::EdDSA,
            },
        };
        let mut this = Self {
            alg,
            key,
            certificates: Vec::new(),
        };
        if let Some(pem) = certificate_pem {
            let certificates = pem_blocks(pem, "CERTIFICATE");
            let first = certificates.first().ok_or(KeyError::NoCertificate)?;
            // The certificate's SubjectPublicKeyInfo is this key's, byte for
            // byte, when it was issued for it: no X.509 parser needed.
            if !contains(first, &this.public_key_der()?) {
                return Err(KeyError::CertificateMismatch);
            }
            this.certificates = certificates;
        }
        Ok(this)
    }

    /// The signing algorithm.
    pub fn alg(&self) -> KeyAlg {
        self.alg
    }

    /// The same key, labelled with another algorithm of its family (an
    /// Ed25519 key as `EdDSA` or `Ed25519`, an RSA key as RS256 or PS256).
    pub fn with_alg(mut self, alg: KeyAlg) -> Result<Self, KeyError> {
        if alg.family() != self.alg.family() {
            return Err(KeyError::AlgorithmMismatch {
                key: family_name(self.alg.family()),
                alg,
            });
        }
        self.alg = alg;
        Ok(self)
    }

    /// The public key's members as RFC 7638 orders them (only the required ones).
    fn thumbprint_members(&self) -> Map<String, Value> {
        let mut m = Map::new();
        match &self.key {
            PrivateKey::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.public_key().to_encoded_point(false);
                m.insert("crv".into(), json!("P-256"));
                m.insert("kty".into(), json!("EC"));
                m.insert(
                    "x".into(),
                    json!(B64URL.encode(point.x().map(|x| &x[..]).unwrap_or(&[]))),
                );
                m.insert(
                    "y".into(),
                    json!(B64URL.encode(point.y().map(|y| &y[..]).unwrap_or(&[]))),
                );
            }
            PrivateKey::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                m.insert("e".into(), json!(B64URL.encode(k.e().to_bytes_be())));
                m.insert("kty".into(), json!("RSA"));
                m.insert("n".into(), json!(B64URL.encode(k.n().to_bytes_be())));
            }
            PrivateKey::Ed25519(k) => {
                m.insert("crv".into(), json!("Ed25519"));
                m.insert("kty".into(), json!("OKP"));
                m.insert(
                    "x".into(),
                    json!(B64URL.encode(k.verifying_key().as_bytes())),
                );
            }
        }
        m
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url), used as the `kid`.
    pub fn thumbprint(&self) -> String {
        jwk_thumbprint(&self.thumbprint_members())
    }

    /// The `kid`: the thumbprint.
    pub fn kid(&self) -> String {
        self.thumbprint()
    }

    /// `x5t#S256` of the key's certificate, when it has one.
    pub fn x5t_s256(&self) -> Option<String> {
        self.certificates
            .first()
            .map(|der| B64URL.encode(Sha256::digest(der)))
    }

    /// `x5t` (SHA-1) of the key's certificate, which Entra still reads.
    pub fn x5t(&self) -> Option<String> {
        use sha1::Digest as _;
        self.certificates
            .first()
            .map(|der| B64URL.encode(sha1::Sha1::digest(der)))
    }

    /// The public JWK: key members, `kid`, `alg`, `use`, and the certificate's
    /// `x5c`, `x5t#S256` and `x5t` when there is one.
    pub fn public_jwk(&self) -> Value {
        let mut jwk = self.thumbprint_members();
        jwk.insert("kid".into(), json!(self.kid()));
        jwk.insert("alg".into(), json!(self.alg.as_str()));
        jwk.insert("use".into(), json!("sig"));
        if !self.certificates.is_empty() {
            let chain: Vec<String> = self
                .certificates
                .iter()
                .map(|der| base64::engine::general_purpose::STANDARD.encode(der))
                .collect();
            jwk.insert("x5c".into(), json!(chain));
            jwk.insert("x5t#S256".into(), json!(self.x5t_s256()));
            jwk.insert("x5t".into(), json!(self.x5t()));
        }
        Value::Object(jwk)
    }

    /// The public JWK Set to register with the provider.
    pub fn public_jwks(&self) -> Value {
        json!({ "keys": [self.public_jwk()] })
    }

    /// What the profile file records of this key.
    pub fn info(&self) -> ClientKeyInfo {
        ClientKeyInfo {
            alg: self.alg,
            kid: self.kid(),
            x5t_s256: self.x5t_s256(),
        }
    }

    /// The JWS header every token this key signs starts from.
    pub fn header(&self, typ: &str) -> Map<String, Value> {
        let mut h = Map::new();
        h.insert("alg".into(), json!(self.alg.as_str()));
        h.insert("typ".into(), json!(typ));
        h.insert("kid".into(), json!(self.kid()));
        if let (Some(s256), Some(sha1)) = (self.x5t_s256(), self.x5t()) {
            h.insert("x5t#S256".into(), json!(s256));
            h.insert("x5t".into(), json!(sha1));
        }
        h
    }

    /// Signs `claims` as a compact JWS with `header`.
    pub fn sign(
        &self,
        header: &Map<String, Value>,
        claims: &Value,
    ) -> Result<SecretString, KeyError> {
        let input = signing_input(header, claims);
        let signature = match (&self.key, self.alg) {
            (PrivateKey::P256(k), _) => {
                use p256::ecdsa::signature::Signer;
                let sig: p256::ecdsa::Signature =
                    p256::ecdsa::SigningKey::from(k).sign(input.as_bytes());
                sig.to_bytes().to_vec()
            }
            (PrivateKey::Rsa(k), KeyAlg::PS256) => {
                use rsa::signature::{RandomizedSigner, SignatureEncoding};
                rsa::pss::BlindedSigningKey::<Sha256>::new(k.as_ref().clone())
                    .try_sign_with_rng(&mut rng(), input.as_bytes())
                    .map_err(|_| KeyError::Crypto("sign"))?
                    .to_vec()
            }
            (PrivateKey::Rsa(k), _) => {
                use rsa::signature::{SignatureEncoding, Signer};
                rsa::pkcs1v15::SigningKey::<Sha256>::new(k.as_ref().clone())
                    .try_sign(input.as_bytes())
                    .map_err(|_| KeyError::Crypto("sign"))?
                    .to_vec()
            }
            (PrivateKey::Ed25519(k), _) => {
                use ed25519_dalek::Signer;
                k.sign(input.as_bytes()).to_bytes().to_vec()
            }
        };
        Ok(SecretString::new(format!(
            "{input}.{}",
            B64URL.encode(signature)
        )))
    }

    fn public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        use p256::pkcs8::EncodePublicKey;
        let der = match &self.key {
            PrivateKey::P256(k) => k.public_key().to_public_key_der(),
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            PrivateKey::Ed25519(k) => k.verifying_key().to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec())
            .map_err(|_| KeyError::Crypto("be encoded"))
    }

    /// Whether a certificate was imported with the key (needed for mutual TLS).
    pub fn has_certificate(&self) -> bool {
        !self.certificates.is_empty()
    }

    /// The TLS client identity: the PKCS#8 private key and the certificate
    /// chain, PEM, as the TLS library reads it; `None` without a certificate.
    pub fn tls_identity_pem(&self) -> Result<Option<SecretString>, KeyError> {
        if self.certificates.is_empty() {
            return Ok(None);
        }
        let stored: StoredKey = serde_json::from_str(self.to_keyring()?.expose())
            .map_err(|_| KeyError::Crypto("be encoded"))?;
        let mut pem = stored.pkcs8_pem;
        for der in &self.certificates {
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let b64 = base64::engine::general_purpose::STANDARD.encode(der);
            for line in b64.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
        Ok(Some(SecretString::new(pem)))
    }

    /// The keyring form: the algorithm, the PKCS#8 PEM and the certificates.
    pub fn to_keyring(&self) -> Result<SecretString, KeyError> {
        use p256::pkcs8::{EncodePrivateKey, LineEnding};
        let pem = match &self.key {
            PrivateKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::Ed25519(k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|_| KeyError::Crypto("be encoded"))?;
        let stored = StoredKey {
            alg: self.alg,
            pkcs8_pem: pem.to_string(),
            certificates: self
                .certificates
                .iter()
                .map(|der| base64::engine::general_purpose::STANDARD.encode(der))
                .collect(),
        };
        serde_json::to_string(&stored)
            .map(SecretString::new)
            .map_err(|_| KeyError::Crypto("be encoded"))
    }

    /// Reads [`ClientKey::to_keyring`]'s form back.
    pub fn from_keyring(stored: &SecretString) -> Result<Self, KeyError> {
        let stored: StoredKey = serde_json::from_str(stored.expose())
            .map_err(|_| KeyError::Corrupt("not a stored key".into()))?;
        let key = read_private_key(&stored.pkcs8_pem)
            .map_err(|_| KeyError::Corrupt("the private key does not parse".into()))?;
        let certificates = stored
            .certificates
            .iter()
            .map(|c| base64::engine::general_purpose::STANDARD.decode(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| KeyError::Corrupt("a certificate does not parse".into()))?;
        let this = Self {
            alg: stored.alg,
            key,
            certificates,
        };
        if family_of(&this.key) != this.alg.family() {
            return Err(KeyError::Corrupt(
                "the algorithm does not fit the key".into(),
            ));
        }
        Ok(this)
    }
}

fn family_of(key: &PrivateKey) -> Family {
    match key {
        PrivateKey::P256(_) => Family::P256,
        PrivateKey::Rsa(_) => Family::Rsa,
        PrivateKey::Ed25519(_) => Family::Ed25519,
    }
}

fn family_name(family: Family) -> &'static str {
    match family {
        Family::P256 => "P-256",
        Family::Rsa => "RSA",
        Family::Ed25519 => "Ed25519",
    }
}

fn read_private_key(pem: &str) -> Result<PrivateKey, KeyError> {
    use p256::pkcs8::DecodePrivateKey;
    if pem.contains("ENCRYPTED PRIVATE KEY") {
        return Err(KeyError::UnreadableKey(
            "it is encrypted; decrypt it first".into(),
        ));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_pem(pem) {
        return Ok(PrivateKey::P256(k));
    }
    if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
        return Ok(PrivateKey::Ed25519(k));
    }
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
        return Ok(PrivateKey::Rsa(Box::new(k)));
    }
    if let Some(der) = pem_blocks(pem, "EC PRIVATE KEY").first() {
        return p256::SecretKey::from_sec1_der(der)
            .map(PrivateKey::P256)
            .map_err(|_| KeyError::UnreadableKey("an EC key that is not on P-256".into()));
    }
    if let Some(der) = pem_blocks(pem, "RSA PRIVATE KEY").first() {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        return rsa::RsaPrivateKey::from_pkcs1_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|_| KeyError::UnreadableKey("an unreadable RSA key".into()));
    }
    if pem.contains("BEGIN PRIVATE KEY") {
        Err(KeyError::UnreadableKey(
            "a PKCS#8 key of another type".into(),
        ))
    } else {
        Err(KeyError::UnreadableKey("no BEGIN PRIVATE KEY block".into()))
    }
}

/// The DER contents of every `-----BEGIN {label}-----` block.
fn pem_blocks(pem: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start + begin.len()..];
        let Some(stop) = after.find(&end) else { break };
        let body: String = after[..stop]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body) {
            out.push(der);
        }
        rest = &after[stop + end.len()..];
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// RFC 7638: SHA-256 over the required members, sorted, without whitespace.
/// `members` must hold exactly the required members (a `Map` is sorted).
pub fn jwk_thumbprint(members: &Map<String, Value>) -> String {
    let canonical = serde_json::to_string(members).unwrap_or_default();
    B64URL.encode(Sha256::digest(canonical.as_bytes()))
}

/// The JWS signing input: base64url(header) "." base64url(claims).
pub(crate) fn signing_input(header: &Map<String, Value>, claims: &Value) -> String {
    let h = serde_json::to_vec(header).unwrap_or_default();
    let c = serde_json::to_vec(claims).unwrap_or_default();
    format!("{}.{}", B64URL.encode(h), B64URL.encode(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::decode_unverified;

    #[test]
    fn the_thumbprint_matches_rfc_7638s_worked_example() {
        // RFC 7638 §3.1: the RSA key and its expected thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let mut members = Map::new();
        members.insert("e".into(), json!("AQAB"));
        members.insert("kty".into(), json!("RSA"));
        members.insert("n".into(), json!(n));
        assert_eq!(
            jwk_thumbprint(&members),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
            "the thumbprint is the RFC's, so kids agree with every other tool"
        );
    }

    #[test]
    fn every_algorithm_signs_a_token_its_public_jwk_verifies() {
        for alg in [KeyAlg::ES256, KeyAlg::RS256, KeyAlg::PS256, KeyAlg::EdDSA] {
            let key = ClientKey::generate(alg).expect("a key is generated");
            let token = key
                .sign(&key.header("JWT"), &json!({"iss": "c", "n": 1}))
                .expect("signed");
            let jwt = decode_unverified(token.expose()).expect("a JWT");
            assert_eq!(jwt.header.alg, alg.as_str(), "{alg}: header alg");
            assert_eq!(
                jwt.header.kid.as_deref(),
                Some(key.kid().as_str()),
                "{alg}: kid is the thumbprint"
            );
            let jwks = crate::protocol::jwks::JwkSet::from_json(&key.public_jwks())
                .expect("the public JWKS parses");
            let options = crate::protocol::verify::VerifyOptions {
                noun: "assertion",
                issuer: None,
                audience: None,
                now: 0,
                shared_secret: None,
            };
            let report = crate::protocol::verify::verify_jwt(&jwt, &jwks, &options);
            assert!(
                report.first_failure().is_none(),
                "{alg}: the public JWK verifies what the private key signed: {:?}",
                report.first_failure()
            );
        }
    }

    #[test]
    fn the_public_jwks_never_holds_private_members() {
        for alg in [KeyAlg::ES256, KeyAlg::RS256, KeyAlg::EdDSA] {
            let key = ClientKey::generate(alg).expect("a key is generated");
            let jwk = key.public_jwk();
            for private in ["d", "p", "q", "dp", "dq", "qi"] {
                assert!(
                    jwk.get(private).is_none(),
                    "{alg}: the JWK has no {private}"
                );
            }
            assert!(
                !format!("{key:?}").contains("PRIVATE"),
                "Debug shows no key material"
            );
        }
    }

    #[test]
    fn a_key_survives_the_keyring_round_trip_with_its_kid() {
        let key = ClientKey::generate(KeyAlg::ES256).expect("generated");
        let back = ClientKey::from_keyring(&key.to_keyring().expect("encoded")).expect("decoded");
        assert_eq!(back.kid(), key.kid(), "the same key comes back");
        assert_eq!(back.alg(), KeyAlg::ES256);
        assert!(
            ClientKey::from_keyring(&SecretString::new("{}")).is_err(),
            "a damaged entry is refused, not guessed"
        );
    }

    #[test]
    fn import_reads_pkcs8_and_refuses_a_wrong_algorithm() {
        let key = ClientKey::generate(KeyAlg::EdDSA).expect("generated");
        let stored: serde_json::Value =
            serde_json::from_str(key.to_keyring().expect("encoded").expose()).expect("json");
        let pem = stored["pkcs8_pem"].as_str().expect("pem");
        let imported = ClientKey::from_pem(pem, None, None).expect("imported");
        assert_eq!(imported.kid(), key.kid());
        assert_eq!(
            imported.alg(),
            KeyAlg::EdDSA,
            "Ed25519 keys default to EdDSA"
        );
        assert_eq!(
            ClientKey::from_pem(pem, None, Some(KeyAlg::Ed25519))
                .expect("relabelled")
                .alg(),
            KeyAlg::Ed25519,
            "the RFC 9864 label is accepted"
        );
        assert!(matches!(
            ClientKey::from_pem(pem, None, Some(KeyAlg::RS256)),
            Err(KeyError::AlgorithmMismatch { .. })
        ));
        assert!(matches!(
            ClientKey::from_pem("not a key", None, None),
            Err(KeyError::UnreadableKey(_))
        ));
    }
}
