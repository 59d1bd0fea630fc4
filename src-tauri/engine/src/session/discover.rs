//! Discovery from an API URL (`tessera discover`, "Add profile → From an
//! API URL"): the API called without a token, its protected resource
//! metadata (RFC 9728), and each authorization server's metadata (RFC 8414,
//! then OpenID discovery), every step a report row.
//!
//! | step | found | row, and what follows |
//! |---|---|---|
//! | the API without a token | unreachable | fails: nothing else is tried |
//! | | 401 with `resource_metadata` | passes: that document is fetched |
//! | | 401 without it, or another status | noted: the well-known locations are tried, longest path first |
//! | resource metadata | none found, or not JSON | fails: the API does not offer RFC 9728 discovery |
//! | | `resource` neither the URL nor a parent of it | fails: the document is not used (RFC 9728 §3.3) |
//! | | no `authorization_servers` | fails |
//! | each authorization server | RFC 8414 document missing | OpenID discovery is tried |
//! | | `issuer` not the one named | fails: that server is not usable |
//! | | no PKCE S256 | fails: that server is not usable |
//! | | no registration endpoint | noted, with the way forward (a client id given by hand) |
//!
//! Only a malformed or insecure URL is an error; every other outcome is a
//! report, whose [`ResourceDiscovery::failure`] says the failing step in one line.

use serde_json::Value;
use url::Url;

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::protocol::challenge::parse_www_authenticate;
use crate::protocol::report::Check;
use crate::protocol::resource::{
    issuer_check, resource_metadata_candidates, server_metadata_candidates, RegistrationRoutes,
    ResourceMetadata, ServerMetadataKind, ServerOffer,
};
use crate::seams::http::{
    check_endpoint_url, parse_json_object, Endpoint, Http, HttpError, HttpRequest,
};

/// At most this many authorization servers are examined (a document could name hundreds).
const MAX_SERVERS: usize = 5;

/// One authorization server named by the resource, as examined.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServerFinding {
    /// The issuer identifier the resource names.
    pub issuer: String,
    /// Where its metadata was found, if it was.
    pub metadata_url: Option<String>,
    /// RFC 8414 or OpenID discovery.
    pub metadata_kind: Option<ServerMetadataKind>,
    /// Metadata found, the issuer matches, PKCE S256: a sign-in can work.
    pub usable: bool,
    /// `code_challenge_methods_supported` has `S256`.
    pub pkce_s256: bool,
    /// How a client can come to exist there.
    pub registration: RegistrationRoutes,
    /// The RFC 7591 endpoint, when there is one.
    pub registration_endpoint: Option<String>,
    /// `grant_types_supported`.
    pub grants: Vec<String>,
    /// `scopes_supported` has `offline_access`.
    pub offline_access: bool,
    /// Why it is not usable, when it is not.
    pub problem: Option<String>,
}

/// What a walk from an API URL found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResourceDiscovery {
    /// The URL as given (its query kept; it is called as given).
    pub url: String,
    /// The metadata's `resource`, once it passed its check.
    pub resource: Option<String>,
    /// Where the metadata came from.
    pub resource_metadata_url: Option<String>,
    /// `resource_name`.
    pub resource_name: Option<String>,
    /// The scopes to ask for: the 401's `scope`, or the metadata's `scopes_supported`.
    pub scopes: Vec<String>,
    /// `bearer_methods_supported`.
    pub bearer_methods: Vec<String>,
    /// `dpop_bound_access_tokens_required`.
    pub dpop_required: bool,
    /// Each authorization server named, examined.
    pub authorization_servers: Vec<ServerFinding>,
    /// Every step, in order.
    pub checks: Vec<Check>,
    /// One sentence: how to sign in, or which step is missing.
    pub way_forward: String,
}

impl ServerFinding {
    /// `grant_types_supported` has `refresh_token`.
    pub fn offers_refresh(&self) -> bool {
        self.grants.iter().any(|g| g == "refresh_token")
    }
}

impl ResourceDiscovery {
    /// The first usable authorization server.
    pub fn usable_server(&self) -> Option<&ServerFinding> {
        self.authorization_servers.iter().find(|s| s.usable)
    }

    /// When no server is usable: the failing step, in one line.
    pub fn failure(&self) -> Option<String> {
        if self.usable_server().is_some() {
            return None;
        }
        Some(self.way_forward.clone())
    }
}

/// Why a discovery could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// The URL does not parse.
    #[error("{0} is not a URL; give the API's full URL, e.g. https://api.example/v1/items")]
    BadUrl(String),
    /// Plain http off loopback, or the HTTP client could not be built.
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl EngineError for DiscoverError {
    fn kind(&self) -> ErrorKind {
        match self {
            DiscoverError::BadUrl(_) => ErrorKind::InvalidInput,
            DiscoverError::Http(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            DiscoverError::BadUrl(_) => ErrorFacts::default(),
            DiscoverError::Http(e) => e.facts(),
        }
    }
}

/// The 401 challenge's parameters that matter here.
#[derive(Default)]
struct Challenge {
    resource_metadata: Option<String>,
    scope: Option<String>,
    error: Option<String>,
}

fn read_challenge(header: &str) -> Challenge {
    parse_www_authenticate(header)
        .into_iter()
        .filter(|c| {
            c.scheme.eq_ignore_ascii_case("bearer") || c.scheme.eq_ignore_ascii_case("dpop")
        })
        .map(|c| Challenge {
            resource_metadata: c.param("resource_metadata").map(str::to_owned),
            scope: c.param("scope").map(str::to_owned),
            error: c.param("error").map(str::to_owned),
        })
        .max_by_key(|c| c.resource_metadata.is_some())
        .unwrap_or_default()
}

/// A JSON document at a URL, or why not (status, transport, not a JSON object).
async fn fetch_document(http: &Http, endpoint: Endpoint, url: &Url) -> Result<Value, HttpError> {
    check_endpoint_url(endpoint, url, false)?;
    let response = http.send(HttpRequest::get(endpoint, url.clone())).await?;
    parse_json_object(endpoint, &response.body)
}

impl Engine {
    /// Walks from an API URL to its authorization servers.
    pub async fn discover_resource(&self, url: &str) -> Result<ResourceDiscovery, DiscoverError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Discovery,
                None,
                self.discover_resource_untraced(url),
            )
            .await
    }

    async fn discover_resource_untraced(
        &self,
        given: &str,
    ) -> Result<ResourceDiscovery, DiscoverError> {
        let url = Url::parse(given.trim())
            .map_err(|_| DiscoverError::BadUrl(given.trim().to_string()))?;
        check_endpoint_url(Endpoint::ProtectedResource, &url, false)?;
        let http = self.http_for(None)?;
        let mut found = ResourceDiscovery {
            url: url.to_string(),
            resource: None,
            resource_metadata_url: None,
            resource_name: None,
            scopes: vec![],
            bearer_methods: vec![],
            dpop_required: false,
            authorization_servers: vec![],
            checks: vec![],
            way_forward: String::new(),
        };

        // 1. The API, without a token.
        let challenge = match http
            .send_raw(HttpRequest::get(Endpoint::ProtectedResource, url.clone()))
            .await
        {
            Err(e) => {
                return Ok(found.stop(Check::fail(
                    "probe",
                    "The API without a token",
                    e.to_string(),
                )));
            }
            Ok(r) if r.status == 401 => {
                let c = read_challenge(r.header("www-authenticate").unwrap_or(""));
                found.checks.push(match &c.resource_metadata {
                    Some(m) => Check::pass(
                        "probe",
                        "The API without a token (RFC 9728 §5.1)",
                        format!("HTTP 401; the challenge names its metadata: {m}"),
                    ),
                    None => Check::warn(
                        "probe",
                        "The API without a token (RFC 9728 §5.1)",
                        "HTTP 401, but the challenge has no resource_metadata: the well-known locations are tried",
                    ),
                });
                c
            }
            Ok(r) => {
                found.checks.push(Check::warn(
                    "probe",
                    "The API without a token (RFC 9728 §5.1)",
                    format!(
                        "HTTP {} (not 401): the well-known locations are tried",
                        r.status
                    ),
                ));
                Challenge::default()
            }
        };
        if let Some(e) = &challenge.error {
            found
                .checks
                .push(Check::pass("challenge_error", "Challenge error", e.clone()));
        }

        // 2. The protected resource metadata.
        let candidates = match &challenge.resource_metadata {
            Some(m) => match Url::parse(m) {
                Ok(u) => vec![u],
                Err(_) => {
                    return Ok(found.stop(Check::fail(
                        "resource_metadata",
                        "Protected resource metadata (RFC 9728 §3)",
                        format!("the challenge's resource_metadata {m} is not a URL"),
                    )));
                }
            },
            None => resource_metadata_candidates(&url),
        };
        let mut last_error = None;
        let mut doc = None;
        for candidate in &candidates {
            match fetch_document(&http, Endpoint::ResourceMetadata, candidate).await {
                Ok(d) => {
                    doc = Some((candidate.clone(), d));
                    break;
                }
                Err(e) => last_error = Some(e.to_string()),
            }
        }
        let Some((metadata_url, doc)) = doc else {
            let tried: Vec<&str> = candidates.iter().map(Url::as_str).collect();
            let detail = if challenge.resource_metadata.is_some() {
                format!(
                    "the protected resource metadata could not be read: {}",
                    last_error.unwrap_or_default()
                )
            } else {
                format!(
                    "the API's 401 names no resource_metadata and there is no protected resource metadata at {}: the API does not offer RFC 9728 discovery; set up a profile with its authorization server's issuer and a client id instead",
                    tried.join(", ")
                )
            };
            return Ok(found.stop(Check::fail(
                "resource_metadata",
                "Protected resource metadata (RFC 9728 §3)",
                detail,
            )));
        };
        found.checks.push(Check::pass(
            "resource_metadata",
            "Protected resource metadata (RFC 9728 §3)",
            format!("read from {metadata_url}"),
        ));
        found.resource_metadata_url = Some(metadata_url.to_string());
        let metadata = ResourceMetadata::from_json(&doc);
        let rows = metadata.checks(&url);
        let refused = rows.iter().find(|r| !r.passed).cloned();
        found.checks.extend(rows);
        if let Some(row) = refused {
            found.way_forward = row.detail;
            return Ok(found);
        }
        found.resource = metadata.resource.clone();
        found.resource_name = metadata.resource_name.clone();
        found.bearer_methods = metadata.bearer_methods_supported.clone();
        found.dpop_required = metadata.dpop_bound_access_tokens_required;
        found.scopes = match &challenge.scope {
            Some(s) => s.split_whitespace().map(str::to_owned).collect(),
            None => metadata.scopes_supported.clone(),
        };
        found.checks.push(Check::pass(
            "scopes",
            "Scopes",
            match (&challenge.scope, found.scopes.is_empty()) {
                (_, true) => "none named: the provider's defaults apply".to_string(),
                (Some(_), false) => format!("{} (from the 401's scope)", found.scopes.join(" ")),
                (None, false) => format!(
                    "{} (the metadata's scopes_supported)",
                    found.scopes.join(" ")
                ),
            },
        ));

        // 3. Each authorization server.
        for issuer in metadata.authorization_servers.iter().take(MAX_SERVERS) {
            let server = self.examine_server(&http, issuer, &mut found.checks).await;
            found.authorization_servers.push(server);
        }
        found.way_forward = way_forward(&found.authorization_servers);
        Ok(found)
    }

    async fn examine_server(
        &self,
        http: &Http,
        issuer: &str,
        rows: &mut Vec<Check>,
    ) -> ServerFinding {
        let mut finding = ServerFinding {
            issuer: issuer.to_string(),
            metadata_url: None,
            metadata_kind: None,
            usable: false,
            pkce_s256: false,
            registration: RegistrationRoutes::default(),
            registration_endpoint: None,
            grants: vec![],
            offline_access: false,
            problem: None,
        };
        let fail = |finding: &mut ServerFinding, rows: &mut Vec<Check>, row: Check| {
            finding.problem = Some(row.detail.clone());
            rows.push(row);
        };
        let Some(candidates) = server_metadata_candidates(issuer) else {
            let row = Check::fail(
                "server_metadata",
                "Authorization server metadata (RFC 8414)",
                format!("the authorization server {issuer} is not a URL"),
            );
            fail(&mut finding, rows, row);
            return finding;
        };
        let mut errors = vec![];
        let mut doc = None;
        for (candidate, kind) in candidates {
            match fetch_document(http, Endpoint::ServerMetadata, &candidate).await {
                Ok(d) => {
                    doc = Some((candidate, kind, d));
                    break;
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        let Some((metadata_url, kind, doc)) = doc else {
            let row = Check::fail(
                "server_metadata",
                "Authorization server metadata (RFC 8414)",
                format!(
                    "no metadata for the authorization server {issuer}: {}",
                    errors.join("; ")
                ),
            );
            fail(&mut finding, rows, row);
            return finding;
        };
        rows.push(Check::pass(
            "server_metadata",
            "Authorization server metadata (RFC 8414)",
            format!(
                "{issuer}: read from {metadata_url}{}",
                match kind {
                    ServerMetadataKind::OAuth => "",
                    ServerMetadataKind::OpenId => " (OpenID discovery; no RFC 8414 document)",
                }
            ),
        ));
        finding.metadata_url = Some(metadata_url.to_string());
        finding.metadata_kind = Some(kind);
        let issuer_row = issuer_check(issuer, &doc);
        if !issuer_row.passed {
            fail(&mut finding, rows, issuer_row);
            return finding;
        }
        rows.push(issuer_row);
        let offer = ServerOffer::from_json(&doc);
        finding.pkce_s256 = offer.pkce_s256;
        finding.registration = offer.registration;
        finding.registration_endpoint = offer.registration_endpoint.clone();
        finding.grants = offer.grants.clone();
        finding.offline_access = offer.offline_access;
        if offer.pkce_s256 {
            rows.push(Check::pass(
                "pkce_s256",
                "PKCE S256 (RFC 7636)",
                format!("{issuer} supports S256"),
            ));
        } else {
            let row = Check::fail(
                "pkce_s256",
                "PKCE S256 (RFC 7636)",
                format!("the authorization server {issuer} does not list S256 in code_challenge_methods_supported; Tessera signs in only with PKCE S256"),
            );
            fail(&mut finding, rows, row);
        }
        // Only pre-registration is a warning: the user must bring a client id.
        let registration_row = if offer.registration.pre_registered_only {
            Check::warn
        } else {
            Check::pass
        };
        rows.push(registration_row(
            "registration",
            "Registration (RFC 7591)",
            offer.registration_detail(),
        ));
        rows.push(Check::pass("grants", "Grants", offer.grants.join(", ")));
        // RFC 8707 defines no metadata for it: whether `resource` is honoured
        // shows in the token's audience.
        rows.push(Check::pass(
            "resource_parameter",
            "Resource indicators (RFC 8707)",
            "not advertised (RFC 8707 has no metadata field); Tessera sends resource in the authorization, token and refresh requests",
        ));
        finding.usable = finding.problem.is_none();
        finding
    }
}

impl ResourceDiscovery {
    /// Ends the walk at a failed row, which becomes the way forward.
    fn stop(mut self, row: Check) -> Self {
        self.way_forward = row.detail.clone();
        self.checks.push(row);
        self
    }
}

/// The sentence that ends the report.
fn way_forward(servers: &[ServerFinding]) -> String {
    if let Some(s) = servers.iter().find(|s| s.usable) {
        let how = match &s.registration_endpoint {
            Some(_) => "Tessera can register itself there (dynamic client registration), or use a client id you give",
            None => s.registration.by_hand(),
        };
        return format!("sign in through {}: {how}", s.issuer);
    }
    match servers {
        [] => "the protected resource names no authorization server".into(),
        [one] => one.problem.clone().unwrap_or_default(),
        many => format!(
            "no authorization server is usable: {}",
            many.iter()
                .filter_map(|s| s.problem.as_deref())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}
