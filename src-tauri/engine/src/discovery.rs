//! Provider metadata: OpenID Connect Discovery, or endpoints typed in by hand.
//!
//! Discovery fetches `{issuer}/.well-known/openid-configuration` and insists
//! that the document's `issuer` equals the configured one exactly (Discovery
//! §4.3; mix-up defence). Every endpoint must be https, or plain http on a
//! loopback host, unless the profile allows insecure http. The document and
//! the JWKS are cached on disk ([`crate::cache`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::cache::{lifetime, DiskCache};
use crate::http::{check_endpoint_url, parse_json, Endpoint, Http, HttpError, HttpRequest};
use crate::jwks::JwkSet;
use crate::profile::Profile;

/// The discovery fields Tessera uses; the whole document is kept in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    /// Issuer identifier.
    pub issuer: String,
    /// Authorization endpoint.
    pub authorization_endpoint: String,
    /// Token endpoint.
    #[serde(default)]
    pub token_endpoint: Option<String>,
    /// Userinfo endpoint.
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    /// Key set.
    pub jwks_uri: String,
    /// RFC 7009.
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// RFC 7662.
    #[serde(default)]
    pub introspection_endpoint: Option<String>,
    /// RP-initiated logout.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// RFC 8628.
    #[serde(default)]
    pub device_authorization_endpoint: Option<String>,
    /// PKCE methods.
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// RFC 9207.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// ID token algorithms.
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// Token endpoint client authentication.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// Grant types.
    #[serde(default)]
    pub grant_types_supported: Option<Vec<String>>,
    /// Scopes.
    #[serde(default)]
    pub scopes_supported: Option<Vec<String>>,
    /// The full document as served.
    #[serde(skip)]
    pub raw: Value,
}

/// Why provider metadata could not be obtained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// Network or HTTP failure.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The document's issuer is not the configured one.
    #[error("discovery issuer mismatch: the profile says {expected} but the provider says {found}; set the profile's issuer to exactly {found} if you trust it")]
    IssuerMismatch {
        /// Configured.
        expected: String,
        /// Served.
        found: String,
    },
    /// An endpoint URL is malformed.
    #[error("the provider's {field} is not a valid URL")]
    BadUrl {
        /// Field name.
        field: &'static str,
    },
    /// No S256 PKCE.
    #[error("the provider does not list PKCE S256 in code_challenge_methods_supported ({0}); Tessera never falls back to plain")]
    NoPkceS256(String),
    /// No token endpoint.
    #[error("the provider has no token_endpoint, so the code flow cannot finish")]
    NoTokenEndpoint,
    /// JWKS document is not a key set.
    #[error("the JWKS endpoint did not return a key set ({{\"keys\": [...]}})")]
    BadJwks,
}

/// The discovery URL for an issuer (no double slash for a trailing `/`).
pub fn discovery_url(issuer: &str) -> Result<Url, DiscoveryError> {
    let base = issuer.trim_end_matches('/');
    Url::parse(&format!("{base}/.well-known/openid-configuration"))
        .map_err(|_| DiscoveryError::BadUrl { field: "issuer" })
}

/// Fetches JSON through the cache; `fresh` bypasses (and then refreshes) it.
async fn fetch_cached(
    http: &Http,
    cache: &DiskCache,
    endpoint: Endpoint,
    url: &Url,
    fresh: bool,
) -> Result<Value, HttpError> {
    if !fresh {
        if let Some(body) = cache.get(url.as_str()) {
            if let Ok(value) = serde_json::from_str(&body) {
                return Ok(value);
            }
        }
    }
    let response = http.send(HttpRequest::get(endpoint, url.clone())).await?;
    let value: Value = parse_json(endpoint, &response.body)?;
    if let Some(ttl) = lifetime(response.header("cache-control")) {
        cache.put(url.as_str(), &String::from_utf8_lossy(&response.body), ttl);
    }
    Ok(value)
}

/// The provider's metadata: discovered (cached), or built from the profile's
/// manual endpoints. Checks issuer equality, URL schemes and PKCE support.
pub async fn resolve(
    http: &Http,
    cache: &DiskCache,
    profile: &Profile,
) -> Result<ProviderMetadata, DiscoveryError> {
    let issuer_url =
        Url::parse(&profile.issuer).map_err(|_| DiscoveryError::BadUrl { field: "issuer" })?;
    check_endpoint_url(
        Endpoint::Discovery,
        &issuer_url,
        profile.allow_insecure_http,
    )?;
    let meta = match &profile.endpoints {
        Some(ep) => ProviderMetadata {
            issuer: profile.issuer.clone(),
            authorization_endpoint: ep.authorization.clone(),
            token_endpoint: Some(ep.token.clone()),
            userinfo_endpoint: ep.userinfo.clone(),
            jwks_uri: ep.jwks.clone(),
            revocation_endpoint: ep.revocation.clone(),
            introspection_endpoint: ep.introspection.clone(),
            end_session_endpoint: ep.end_session.clone(),
            device_authorization_endpoint: None,
            code_challenge_methods_supported: None,
            authorization_response_iss_parameter_supported: false,
            id_token_signing_alg_values_supported: Vec::new(),
            token_endpoint_auth_methods_supported: None,
            grant_types_supported: None,
            scopes_supported: None,
            raw: Value::Null,
        },
        None => {
            let url = discovery_url(&profile.issuer)?;
            let raw = fetch_cached(http, cache, Endpoint::Discovery, &url, false).await?;
            let mut meta: ProviderMetadata = parse_json(
                Endpoint::Discovery,
                &serde_json::to_vec(&raw).unwrap_or_default(),
            )?;
            meta.raw = raw;
            if meta.issuer != profile.issuer {
                cache.remove(url.as_str());
                return Err(DiscoveryError::IssuerMismatch {
                    expected: profile.issuer.clone(),
                    found: meta.issuer,
                });
            }
            meta
        }
    };
    meta.check(profile.allow_insecure_http)?;
    Ok(meta)
}

impl ProviderMetadata {
    fn check(&self, allow_insecure_http: bool) -> Result<(), DiscoveryError> {
        let fields: [(&'static str, Endpoint, Option<&String>); 7] = [
            (
                "authorization_endpoint",
                Endpoint::Authorization,
                Some(&self.authorization_endpoint),
            ),
            (
                "token_endpoint",
                Endpoint::Token,
                self.token_endpoint.as_ref(),
            ),
            ("jwks_uri", Endpoint::Jwks, Some(&self.jwks_uri)),
            (
                "userinfo_endpoint",
                Endpoint::Userinfo,
                self.userinfo_endpoint.as_ref(),
            ),
            (
                "revocation_endpoint",
                Endpoint::Revocation,
                self.revocation_endpoint.as_ref(),
            ),
            (
                "introspection_endpoint",
                Endpoint::Introspection,
                self.introspection_endpoint.as_ref(),
            ),
            (
                "end_session_endpoint",
                Endpoint::EndSession,
                self.end_session_endpoint.as_ref(),
            ),
        ];
        for (field, endpoint, value) in fields {
            if let Some(v) = value {
                let url = Url::parse(v).map_err(|_| DiscoveryError::BadUrl { field })?;
                check_endpoint_url(endpoint, &url, allow_insecure_http)?;
            }
        }
        if self.token_endpoint.is_none() {
            return Err(DiscoveryError::NoTokenEndpoint);
        }
        if let Some(methods) = &self.code_challenge_methods_supported {
            if !methods.iter().any(|m| m == "S256") {
                return Err(DiscoveryError::NoPkceS256(methods.join(", ")));
            }
        }
        Ok(())
    }

    /// The token endpoint ([`resolve`] guarantees there is one).
    pub fn token_url(&self) -> Result<Url, DiscoveryError> {
        self.url(
            self.token_endpoint
                .as_deref()
                .ok_or(DiscoveryError::NoTokenEndpoint)?,
        )
    }

    /// A parsed endpoint URL (checked in [`resolve`]).
    pub fn url(&self, value: &str) -> Result<Url, DiscoveryError> {
        Url::parse(value).map_err(|_| DiscoveryError::BadUrl { field: "endpoint" })
    }
}

/// The provider's key set, from the cache unless `fresh`.
pub async fn fetch_jwks(
    http: &Http,
    cache: &DiskCache,
    meta: &ProviderMetadata,
    fresh: bool,
) -> Result<JwkSet, DiscoveryError> {
    let url = meta.url(&meta.jwks_uri)?;
    let value = fetch_cached(http, cache, Endpoint::Jwks, &url, fresh).await?;
    JwkSet::from_json(&value).ok_or_else(|| {
        cache.remove(url.as_str());
        DiscoveryError::BadJwks
    })
}
