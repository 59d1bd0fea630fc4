//! Provider metadata: OpenID Connect Discovery, or endpoints typed in by hand.
//!
//! Discovery fetches `{issuer}/.well-known/openid-configuration` and insists
//! that the document's `issuer` equals the configured one exactly (Discovery
//! §4.3; mix-up defence). Every endpoint must be https, or plain http on a
//! loopback host, unless the profile allows insecure http. The document and
//! the JWKS are cached on disk ([`crate::seams::cache`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::protocol::jwks::JwkSet;
use crate::seams::cache::{lifetime, DiskCache};
use crate::seams::http::{
    check_endpoint_url, parse_json, parse_json_object, Endpoint, Http, HttpError, HttpRequest,
};

/// Endpoints for providers without discovery.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualEndpoints {
    /// Authorization endpoint URL, opened in the browser to sign in.
    pub authorization: String,
    /// Token endpoint URL, where the code and refresh tokens are exchanged.
    pub token: String,
    /// URL of the provider's public keys (JWKS), used to verify ID tokens.
    pub jwks: String,
    /// Userinfo endpoint URL; without it claims come from the ID token only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo: Option<String>,
    /// RFC 7009 revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<String>,
    /// RFC 7662 introspection endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection: Option<String>,
    /// RP-initiated logout endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session: Option<String>,
}

/// The discovery fields Tessera uses; the whole document is kept in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    /// `issuer`: must equal the profile's issuer exactly, or be a `{tenantid}` template it fits.
    pub issuer: String,
    /// `authorization_endpoint`: where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// `token_endpoint`: optional in the document, but [`resolve`] refuses metadata without one.
    #[serde(default)]
    pub token_endpoint: Option<String>,
    /// `userinfo_endpoint`; without it claims come from the ID token only.
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    /// `jwks_uri`: where the provider's signing keys are fetched.
    pub jwks_uri: String,
    /// `revocation_endpoint` (RFC 7009); without it sign-out only forgets tokens locally.
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// `introspection_endpoint` (RFC 7662), needed to inspect opaque tokens.
    #[serde(default)]
    pub introspection_endpoint: Option<String>,
    /// `end_session_endpoint`, for ending the provider's own session (RP-initiated logout).
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// `device_authorization_endpoint` (RFC 8628); only reported in the capability summary.
    #[serde(default)]
    pub device_authorization_endpoint: Option<String>,
    /// `code_challenge_methods_supported`; without `S256` in it, [`resolve`] refuses the provider.
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// `authorization_response_iss_parameter_supported`: if true, the redirect must carry `iss`.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// `id_token_signing_alg_values_supported`, e.g. `RS256`; only the capability summary uses it.
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// Token endpoint client authentication.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// `grant_types_supported`; absent means `authorization_code` and `implicit`, so no refresh.
    #[serde(default)]
    pub grant_types_supported: Option<Vec<String>>,
    /// `scopes_supported` as advertised; not checked against the profile's scopes.
    #[serde(default)]
    pub scopes_supported: Option<Vec<String>>,
    /// `token_endpoint_auth_signing_alg_values_supported`: what client assertions may be signed with.
    #[serde(default)]
    pub token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// `mtls_endpoint_aliases` (RFC 8705 §5): endpoints that take a client certificate.
    #[serde(default)]
    pub mtls_endpoint_aliases: Option<std::collections::BTreeMap<String, String>>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.3).
    #[serde(default)]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// `pushed_authorization_request_endpoint` (RFC 9126).
    #[serde(default)]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// `require_pushed_authorization_requests`: every request is pushed first.
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    /// `require_signed_request_object` (RFC 9101 §10.5).
    #[serde(default)]
    pub require_signed_request_object: bool,
    /// `request_object_signing_alg_values_supported`.
    #[serde(default)]
    pub request_object_signing_alg_values_supported: Option<Vec<String>>,
    /// `dpop_signing_alg_values_supported` (RFC 9449 §5.1).
    #[serde(default)]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    /// `authorization_signing_alg_values_supported` (JARM).
    #[serde(default)]
    pub authorization_signing_alg_values_supported: Option<Vec<String>>,
    /// `response_modes_supported`.
    #[serde(default)]
    pub response_modes_supported: Option<Vec<String>>,
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
        /// The issuer in the profile.
        expected: String,
        /// The `issuer` the discovery document names.
        found: String,
    },
    /// An endpoint URL is malformed.
    #[error("the provider's {field} is not a valid URL")]
    BadUrl {
        /// Which URL is bad: a metadata key such as `jwks_uri`, or `issuer` or `discovery URL`.
        field: &'static str,
    },
    /// The document lists PKCE methods but not `S256`; holds the listed ones, comma-separated.
    #[error("the provider does not list PKCE S256 in code_challenge_methods_supported ({0}); Tessera never falls back to plain")]
    NoPkceS256(String),
    /// The discovery document has no `token_endpoint`.
    #[error("the provider has no token_endpoint, so the code flow cannot finish")]
    NoTokenEndpoint,
    /// JWKS document is not a key set.
    #[error("the JWKS endpoint did not return a key set ({{\"keys\": [...]}})")]
    BadJwks,
}

/// Microsoft Entra's multi-tenant endpoints (`…/common/v2.0`) serve an
/// issuer template, `https://login.microsoftonline.com/{tenantid}/v2.0`. The
/// configured issuer matches it when it fills the placeholder with one path
/// segment; each ID token's `iss` is then checked against the template with
/// the token's own `tid` ([`crate::protocol::validate`]).
pub fn tenant_template_matches(template: &str, configured: &str) -> bool {
    let Some((prefix, suffix)) = template.split_once(TENANT_PLACEHOLDER) else {
        return false;
    };
    configured.len() > prefix.len() + suffix.len()
        && configured.starts_with(prefix)
        && configured.ends_with(suffix)
        && !configured[prefix.len()..configured.len() - suffix.len()].contains('/')
}

/// Microsoft's placeholder in a multi-tenant issuer.
pub const TENANT_PLACEHOLDER: &str = "{tenantid}";

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
    let value: Value = parse_json_object(endpoint, &response.body)?;
    if let Some(ttl) = lifetime(response.header("cache-control")) {
        cache.put(url.as_str(), &String::from_utf8_lossy(&response.body), ttl);
    }
    Ok(value)
}

/// Where a provider's metadata comes from: its issuer, and the endpoints typed
/// in by hand for a provider without discovery.
#[derive(Debug, Clone, Copy)]
pub struct ProviderSource<'a> {
    /// The issuer, compared as an exact string with the discovered one.
    pub issuer: &'a str,
    /// Endpoints for a provider without discovery.
    pub endpoints: Option<&'a ManualEndpoints>,
    /// Whether plain-http endpoints off loopback are allowed.
    pub allow_insecure_http: bool,
    /// Whether the client authenticates with mutual TLS, so requests go to
    /// the provider's `mtls_endpoint_aliases` (RFC 8705 §5) where it has them.
    pub mutual_tls: bool,
}

/// The provider's metadata: discovered (cached), or built from the manual
/// endpoints. Checks issuer equality, URL schemes and PKCE support.
pub async fn resolve(
    http: &Http,
    cache: &DiskCache,
    profile: &ProviderSource<'_>,
) -> Result<ProviderMetadata, DiscoveryError> {
    let issuer_url =
        Url::parse(profile.issuer).map_err(|_| DiscoveryError::BadUrl { field: "issuer" })?;
    check_endpoint_url(
        Endpoint::Discovery,
        &issuer_url,
        profile.allow_insecure_http,
    )?;
    let meta = match profile.endpoints {
        Some(ep) => ProviderMetadata {
            issuer: profile.issuer.to_string(),
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
            token_endpoint_auth_signing_alg_values_supported: None,
            mtls_endpoint_aliases: None,
            tls_client_certificate_bound_access_tokens: false,
            pushed_authorization_request_endpoint: None,
            require_pushed_authorization_requests: false,
            require_signed_request_object: false,
            request_object_signing_alg_values_supported: None,
            dpop_signing_alg_values_supported: None,
            authorization_signing_alg_values_supported: None,
            response_modes_supported: None,
            raw: Value::Null,
        },
        None => {
            let url = discovery_url(profile.issuer)?;
            let raw = fetch_cached(http, cache, Endpoint::Discovery, &url, false).await?;
            let mut meta: ProviderMetadata = parse_json(
                Endpoint::Discovery,
                &serde_json::to_vec(&raw).unwrap_or_default(),
            )?;
            meta.raw = raw;
            if meta.issuer != profile.issuer
                && !tenant_template_matches(&meta.issuer, profile.issuer)
            {
                cache.remove(url.as_str());
                return Err(DiscoveryError::IssuerMismatch {
                    expected: profile.issuer.to_string(),
                    found: meta.issuer,
                });
            }
            meta
        }
    };
    let mut meta = meta;
    if profile.mutual_tls {
        meta.use_mtls_aliases();
    }
    meta.check(profile.allow_insecure_http)?;
    Ok(meta)
}

impl ProviderMetadata {
    /// Points the endpoints that authenticate the client (or take its
    /// certificate-bound token) at their `mtls_endpoint_aliases`, where the
    /// provider has them (RFC 8705 §5); checked like the rest afterwards.
    pub fn use_mtls_aliases(&mut self) {
        let Some(aliases) = self.mtls_endpoint_aliases.clone() else {
            return;
        };
        let alias = |name: &str| aliases.get(name).cloned();
        if let Some(u) = alias("token_endpoint") {
            self.token_endpoint = Some(u);
        }
        for (name, field) in [
            ("userinfo_endpoint", &mut self.userinfo_endpoint),
            ("revocation_endpoint", &mut self.revocation_endpoint),
            ("introspection_endpoint", &mut self.introspection_endpoint),
            (
                "device_authorization_endpoint",
                &mut self.device_authorization_endpoint,
            ),
            (
                "pushed_authorization_request_endpoint",
                &mut self.pushed_authorization_request_endpoint,
            ),
        ] {
            if let Some(u) = alias(name) {
                *field = Some(u);
            }
        }
    }

    fn check(&self, allow_insecure_http: bool) -> Result<(), DiscoveryError> {
        let fields: [(&'static str, Endpoint, Option<&String>); 9] = [
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
            (
                "device_authorization_endpoint",
                Endpoint::DeviceAuthorization,
                self.device_authorization_endpoint.as_ref(),
            ),
            (
                "pushed_authorization_request_endpoint",
                Endpoint::PushedAuthorization,
                self.pushed_authorization_request_endpoint.as_ref(),
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

/// The provider's key set and how many of its keys Tessera skipped
/// (unknown types), from the cache unless `fresh`.
pub async fn fetch_jwks_counting(
    http: &Http,
    cache: &DiskCache,
    meta: &ProviderMetadata,
    fresh: bool,
) -> Result<(JwkSet, usize), DiscoveryError> {
    let url = meta.url(&meta.jwks_uri)?;
    let value = fetch_cached(http, cache, Endpoint::Jwks, &url, fresh).await?;
    JwkSet::from_json_counting(&value).ok_or_else(|| {
        cache.remove(url.as_str());
        DiscoveryError::BadJwks
    })
}

/// The report of metadata Tessera already resolved (manual endpoints have
/// no discovery document, so there is no issuer row).
pub fn report_for(meta: &ProviderMetadata, source: &str) -> ProviderReport {
    ProviderReport {
        issuer: meta.issuer.clone(),
        discovery_url: source.to_string(),
        capabilities: capabilities(meta),
        metadata: meta.clone(),
    }
}

/// How well a provider supports something Tessera uses.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityStatus {
    /// Advertised and usable.
    Supported,
    /// Not offered; the matching feature is unavailable.
    Missing,
    /// Offered in a way that weakens security, or not advertised where it should be.
    Risky,
}

/// One row of a provider's capability summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capability {
    /// Stable id for hosts and tests, e.g. `pkce_s256` or `refresh`.
    pub id: &'static str,
    /// Short heading shown to the user, e.g. `PKCE S256`.
    pub label: &'static str,
    /// The verdict: supported, missing, or offered in a risky way.
    pub status: CapabilityStatus,
    /// The evidence or the consequence, e.g. the endpoint URL or `no device flow`.
    pub detail: String,
}

/// A provider's discovery document, checked, with its capability summary.
#[derive(Debug, Clone)]
pub struct ProviderReport {
    /// The issuer the document names.
    pub issuer: String,
    /// Where it was fetched.
    pub discovery_url: String,
    /// What the provider supports.
    pub capabilities: Vec<Capability>,
    /// The parsed metadata (with `raw`).
    pub metadata: ProviderMetadata,
}

/// Fetches a discovery document from an issuer or a full
/// `…/.well-known/openid-configuration` URL, bypassing the cache, and
/// summarises what the provider supports. Unlike [`resolve`], a missing PKCE
/// S256 or a plain-http endpoint is reported, not refused: the user is
/// looking at the provider, not signing in yet.
pub async fn inspect(
    http: &Http,
    url: &str,
    allow_insecure_http: bool,
) -> Result<ProviderReport, DiscoveryError> {
    let trimmed = url.trim();
    let url = if trimmed.contains("/.well-known/") {
        Url::parse(trimmed).map_err(|_| DiscoveryError::BadUrl {
            field: "discovery URL",
        })?
    } else {
        discovery_url(trimmed)?
    };
    check_endpoint_url(Endpoint::Discovery, &url, allow_insecure_http)?;
    let response = http
        .send(HttpRequest::get(Endpoint::Discovery, url.clone()))
        .await?;
    let raw: Value = parse_json_object(Endpoint::Discovery, &response.body)?;
    let mut meta: ProviderMetadata = parse_json(Endpoint::Discovery, &response.body)?;
    meta.raw = raw;
    let mut capabilities = capabilities(&meta);
    let expected = discovery_url(&meta.issuer)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let from_template = meta.issuer.contains(TENANT_PLACEHOLDER)
        && url.as_str().ends_with("/.well-known/openid-configuration")
        && tenant_template_matches(
            &meta.issuer,
            url.as_str()
                .trim_end_matches("/.well-known/openid-configuration"),
        );
    capabilities.insert(
        0,
        if expected == url.as_str() || from_template {
            Capability {
                id: "issuer",
                label: "Issuer matches the discovery URL",
                status: CapabilityStatus::Supported,
                detail: if from_template {
                    format!("{} is a tenant template; each token's iss is checked against its tid", meta.issuer)
                } else {
                    format!("issuer is {}", meta.issuer)
                },
            }
        } else {
            Capability {
                id: "issuer",
                label: "Issuer matches the discovery URL",
                status: CapabilityStatus::Risky,
                detail: format!(
                    "the document at {url} names issuer {}, whose discovery URL is {expected}; sign-in will refuse a mismatch",
                    meta.issuer
                ),
            }
        },
    );
    Ok(ProviderReport {
        issuer: meta.issuer.clone(),
        discovery_url: url.to_string(),
        capabilities,
        metadata: meta,
    })
}

/// The capability summary of provider metadata.
pub fn capabilities(meta: &ProviderMetadata) -> Vec<Capability> {
    use CapabilityStatus::*;
    let row = |id, label, status, detail: &str| Capability {
        id,
        label,
        status,
        detail: detail.to_string(),
    };
    let endpoint = |id, label, value: &Option<String>, missing: &str| match value {
        Some(url) => row(id, label, Supported, url),
        None => row(id, label, Missing, missing),
    };
    let list = |key: &str| -> Vec<String> {
        meta.raw
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    out.push(match &meta.code_challenge_methods_supported {
        Some(m) if m.iter().any(|x| x == "S256") => row("pkce_s256", "PKCE S256", Supported, "code_challenge_methods_supported lists S256"),
        Some(m) => row("pkce_s256", "PKCE S256", Missing, &format!("only {} advertised; Tessera refuses to sign in without S256", m.join(", "))),
        None => row("pkce_s256", "PKCE S256", Risky, "not advertised; Tessera sends S256 anyway, but cannot tell whether the provider enforces it"),
    });
    out.push(if meta.authorization_response_iss_parameter_supported {
        row(
            "iss_parameter",
            "Issuer in authorization response (RFC 9207)",
            Supported,
            "the callback's iss is checked against the issuer",
        )
    } else {
        row(
            "iss_parameter",
            "Issuer in authorization response (RFC 9207)",
            Missing,
            "mix-up defence rests on the ID token's iss and the per-profile redirect",
        )
    });
    let algs = &meta.id_token_signing_alg_values_supported;
    out.push(if algs.iter().any(|a| a == "none") {
        row(
            "id_token_algs",
            "ID token signing",
            Risky,
            &format!(
                "advertises alg none ({}); Tessera refuses unsigned tokens",
                algs.join(", ")
            ),
        )
    } else if !algs.is_empty() && algs.iter().all(|a| a.starts_with("HS")) {
        row(
            "id_token_algs",
            "ID token signing",
            Risky,
            &format!(
                "only symmetric {} : tokens are verifiable only with the client secret",
                algs.join(", ")
            ),
        )
    } else if algs.is_empty() {
        row(
            "id_token_algs",
            "ID token signing",
            Risky,
            "id_token_signing_alg_values_supported is missing",
        )
    } else {
        row(
            "id_token_algs",
            "ID token signing",
            Supported,
            &algs.join(", "),
        )
    });
    out.push(endpoint(
        "userinfo",
        "Userinfo",
        &meta.userinfo_endpoint,
        "no userinfo endpoint: claims come from the ID token only",
    ));
    let grants = meta
        .grant_types_supported
        .clone()
        .unwrap_or_else(|| vec!["authorization_code".into(), "implicit".into()]);
    out.push(if grants.iter().any(|g| g == "refresh_token") {
        row(
            "refresh",
            "Refresh tokens",
            Supported,
            "grant_types_supported lists refresh_token",
        )
    } else {
        row(
            "refresh",
            "Refresh tokens",
            Missing,
            "refresh_token is not a supported grant: sign in again when the token expires",
        )
    });
    out.push(endpoint(
        "revocation",
        "Revocation (RFC 7009)",
        &meta.revocation_endpoint,
        "sign-out can only forget tokens locally",
    ));
    out.push(endpoint(
        "introspection",
        "Introspection (RFC 7662)",
        &meta.introspection_endpoint,
        "opaque tokens cannot be inspected",
    ));
    out.push(endpoint(
        "end_session",
        "RP-initiated logout",
        &meta.end_session_endpoint,
        "the provider session cannot be ended from Tessera",
    ));
    out.push(endpoint(
        "device_flow",
        "Device authorization (RFC 8628)",
        &meta.device_authorization_endpoint,
        "no device flow",
    ));
    let named = |urn: &str| match urn {
        "urn:ietf:params:oauth:grant-type:device_code" => "device_code".to_string(),
        "urn:ietf:params:oauth:grant-type:token-exchange" => "token_exchange".to_string(),
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => "jwt_bearer".to_string(),
        other => other.to_string(),
    };
    out.push(row(
        "grants",
        "Grants",
        Supported,
        &format!(
            "{}{}",
            grants
                .iter()
                .map(|g| named(g))
                .collect::<Vec<_>>()
                .join(", "),
            if meta.grant_types_supported.is_none() {
                " (not advertised: the default)"
            } else {
                ""
            }
        ),
    ));
    for (id, label, grant, missing) in [
        (
            "client_credentials",
            "Client credentials",
            "client_credentials",
            "not advertised: a service profile may be refused",
        ),
        (
            "token_exchange",
            "Token exchange (RFC 8693)",
            "urn:ietf:params:oauth:grant-type:token-exchange",
            "not advertised: exchanging tokens may be refused",
        ),
    ] {
        out.push(if grants.iter().any(|g| g == grant) {
            row(
                id,
                label,
                Supported,
                &format!("grant_types_supported lists {grant}"),
            )
        } else {
            row(id, label, Missing, missing)
        });
    }
    let auth_methods = meta
        .token_endpoint_auth_methods_supported
        .clone()
        .unwrap_or_else(|| vec!["client_secret_basic".into()]);
    out.push(row(
        "client_auth",
        "Client authentication",
        Supported,
        &auth_methods.join(", "),
    ));
    if auth_methods
        .iter()
        .any(|m| m == "private_key_jwt" || m == "client_secret_jwt")
    {
        out.push(match &meta.token_endpoint_auth_signing_alg_values_supported {
            Some(algs) if !algs.is_empty() => row(
                "assertion_algs",
                "Client assertion signing",
                Supported,
                &algs.join(", "),
            ),
            _ => row(
                "assertion_algs",
                "Client assertion signing",
                Risky,
                "token_endpoint_auth_signing_alg_values_supported is missing: try ES256 or RS256",
            ),
        });
    }
    out.push(match &meta.mtls_endpoint_aliases {
        Some(aliases) if !aliases.is_empty() => row(
            "mtls_aliases",
            "Mutual TLS endpoints (RFC 8705)",
            Supported,
            &aliases
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ if auth_methods.iter().any(|m| m.contains("tls_client_auth")) => row(
            "mtls_aliases",
            "Mutual TLS endpoints (RFC 8705)",
            Supported,
            "no mtls_endpoint_aliases: the usual endpoints take the client certificate",
        ),
        _ => row(
            "mtls_aliases",
            "Mutual TLS endpoints (RFC 8705)",
            Missing,
            "no mutual TLS client authentication advertised",
        ),
    });
    out.push(if meta.tls_client_certificate_bound_access_tokens {
        row(
            "bound_tokens",
            "Certificate-bound access tokens",
            Supported,
            "tls_client_certificate_bound_access_tokens: tokens carry cnf x5t#S256",
        )
    } else {
        row(
            "bound_tokens",
            "Certificate-bound access tokens",
            Missing,
            "bearer tokens only: anyone holding a token can use it",
        )
    });
    let response_types = list("response_types_supported");
    if response_types
        .iter()
        .any(|t| t.split(' ').any(|p| p == "token"))
    {
        out.push(row(
            "implicit",
            "Implicit flow",
            Risky,
            "offers response_type token: RFC 9700 says not to use it (Tessera never does)",
        ));
    }
    let insecure: Vec<&str> = [
        Some(&meta.authorization_endpoint),
        meta.token_endpoint.as_ref(),
        Some(&meta.jwks_uri),
    ]
    .into_iter()
    .flatten()
    .filter(|u| {
        Url::parse(u)
            .map(|u| check_endpoint_url(Endpoint::Token, &u, false).is_err())
            .unwrap_or(true)
    })
    .map(String::as_str)
    .collect();
    if !insecure.is_empty() {
        out.push(row(
            "transport",
            "TLS",
            Risky,
            &format!("plain http off loopback: {}", insecure.join(", ")),
        ));
    }
    out
}

impl crate::error::EngineError for DiscoveryError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            DiscoveryError::Http(e) => e.kind(),
            _ => crate::error::ErrorKind::DiscoveryFailed,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            DiscoveryError::Http(e) => e.facts(),
            _ => crate::error::ErrorFacts::default(),
        }
    }
}
