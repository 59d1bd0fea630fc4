//! Protected resources as data (RFC 9728, RFC 8414): where a resource's and
//! an authorization server's metadata live, and what those documents say,
//! judged as report rows. Sans-IO: the fetching is
//! [`crate::session::discover`]'s.
//!
//! Which resource identifier a URL has: RFC 9728 §3.3 asks the metadata's
//! `resource` to equal the URL the client called. APIs have many paths and
//! one identifier (`https://api.example/v1` for `…/v1/users`), so Tessera
//! also accepts a `resource` that is a path prefix of the called URL on the
//! same origin, at a segment boundary, and says which rule matched.

use serde_json::Value;
use url::Url;

use crate::protocol::discovery::discovery_url;
use crate::protocol::report::Check;

/// RFC 9728 §3's well-known suffix.
pub const RESOURCE_WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";
/// RFC 8414 §3's well-known suffix.
pub const AUTHORIZATION_SERVER_WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";

/// The URL without its query and fragment: what a resource identifier can be
/// compared with (RFC 9728 §1.2: an identifier has no fragment; a query is
/// the call's, not the resource's).
pub fn resource_identifier(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// Inserts a well-known suffix between the host and the path (RFC 8414 §3.1,
/// RFC 9728 §3.1): `https://a/b/c` → `https://a/.well-known/x/b/c`.
fn path_inserted(url: &Url, suffix: &str, path: &str) -> Url {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let path = path.trim_end_matches('/');
    u.set_path(&format!("{suffix}{path}"));
    u
}

/// Where the protected resource metadata of this URL may be, in the order
/// to try when the API's 401 named none: the path-inserted location of the
/// whole path, then of each parent, then of the origin.
pub fn resource_metadata_candidates(url: &Url) -> Vec<Url> {
    let mut path = url.path().trim_end_matches('/').to_string();
    let mut out = vec![];
    loop {
        let candidate = path_inserted(url, RESOURCE_WELL_KNOWN, &path);
        if !out.contains(&candidate) {
            out.push(candidate);
        }
        match path.rfind('/') {
            Some(i) if !path.is_empty() => path.truncate(i),
            _ => break,
        }
    }
    out
}

/// How a metadata document was found, and so which issuer rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerMetadataKind {
    /// RFC 8414 `/.well-known/oauth-authorization-server`, path-inserted.
    OAuth,
    /// OpenID Connect Discovery 1.0 `/.well-known/openid-configuration`.
    OpenId,
}

/// Where an authorization server's metadata may be: RFC 8414's path-inserted
/// location first, then OpenID discovery (appended, as OpenID Discovery
/// §4 says). `None` when the issuer is not a URL.
pub fn server_metadata_candidates(issuer: &str) -> Option<Vec<(Url, ServerMetadataKind)>> {
    let parsed = Url::parse(issuer).ok()?;
    let oauth = path_inserted(&parsed, AUTHORIZATION_SERVER_WELL_KNOWN, parsed.path());
    let openid = discovery_url(issuer).ok()?;
    Some(vec![
        (oauth, ServerMetadataKind::OAuth),
        (openid, ServerMetadataKind::OpenId),
    ])
}

/// Whether a metadata `resource` names the called URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// The same identifier.
    Exact,
    /// Same origin, and the called path is under the resource's path.
    Prefix,
    /// Another resource.
    No,
}

/// Compares a metadata `resource` with the URL that was called.
pub fn coverage(resource: &str, called: &Url) -> Coverage {
    let called_id = resource_identifier(called);
    let Ok(r) = Url::parse(resource) else {
        return Coverage::No;
    };
    if resource_identifier(&r) == called_id
        || resource.trim_end_matches('/') == called_id.trim_end_matches('/')
    {
        return Coverage::Exact;
    }
    if r.origin() != called.origin() || r.query().is_some() || r.fragment().is_some() {
        return Coverage::No;
    }
    let prefix = r.path().trim_end_matches('/');
    let path = called.path();
    let under = prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'));
    if under {
        Coverage::Prefix
    } else {
        Coverage::No
    }
}

/// A protected resource's metadata (RFC 9728 §2), the fields Tessera uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ResourceMetadata {
    /// `resource`: the identifier.
    pub resource: Option<String>,
    /// `authorization_servers`: issuer identifiers.
    pub authorization_servers: Vec<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `bearer_methods_supported` (`header`, `body`, `query`).
    pub bearer_methods_supported: Vec<String>,
    /// `resource_name`, for people.
    pub resource_name: Option<String>,
    /// `dpop_bound_access_tokens_required`.
    pub dpop_bound_access_tokens_required: bool,
    /// Whether the document carries `signed_metadata` (RFC 9728 §2.2).
    pub signed: bool,
}

fn strings(doc: &Value, key: &str) -> Vec<String> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl ResourceMetadata {
    /// Reads the fields Tessera uses; anything else is ignored.
    pub fn from_json(doc: &Value) -> Self {
        Self {
            resource: doc
                .get("resource")
                .and_then(Value::as_str)
                .map(str::to_owned),
            authorization_servers: strings(doc, "authorization_servers"),
            scopes_supported: strings(doc, "scopes_supported"),
            bearer_methods_supported: strings(doc, "bearer_methods_supported"),
            resource_name: doc
                .get("resource_name")
                .and_then(Value::as_str)
                .map(str::to_owned),
            dpop_bound_access_tokens_required: doc
                .get("dpop_bound_access_tokens_required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            signed: doc.get("signed_metadata").is_some(),
        }
    }

    /// The rows that judge the document against the called URL; a failed
    /// row means the metadata must not be used (RFC 9728 §3.3).
    pub fn checks(&self, called: &Url) -> Vec<Check> {
        let called_id = resource_identifier(called);
        let mut rows = vec![];
        rows.push(match &self.resource {
            None => Check::fail(
                "resource_matches",
                "Resource identifier (RFC 9728 §3.3)",
                "the protected resource metadata has no resource",
            ),
            Some(r) => match coverage(r, called) {
                Coverage::Exact => Check::pass(
                    "resource_matches",
                    "Resource identifier (RFC 9728 §3.3)",
                    format!("the metadata's resource is {r}, the URL called"),
                ),
                Coverage::Prefix => Check::pass(
                    "resource_matches",
                    "Resource identifier (RFC 9728 §3.3)",
                    format!("the metadata's resource {r} covers {called_id} (same origin, a parent path)"),
                ),
                Coverage::No => Check::fail(
                    "resource_matches",
                    "Resource identifier (RFC 9728 §3.3)",
                    format!("the protected resource metadata's resource is {r}, not {called_id}"),
                )
                .with_values(called_id.clone(), r.clone()),
            },
        });
        rows.push(if self.authorization_servers.is_empty() {
            Check::fail(
                "authorization_servers",
                "Authorization servers (RFC 9728 §2)",
                "the protected resource metadata names no authorization_servers: there is no way to get a token for it",
            )
        } else {
            Check::pass(
                "authorization_servers",
                "Authorization servers (RFC 9728 §2)",
                self.authorization_servers.join(", "),
            )
        });
        if self.signed {
            rows.push(Check::warn(
                "signed_metadata",
                "Signed metadata (RFC 9728 §2.2)",
                "signed_metadata is present and not verified (Tessera has no trust anchor for it): its claims are ignored and the plain values used",
            ));
        }
        rows.push(Check::pass(
            "bearer_methods",
            "Bearer methods",
            if self.bearer_methods_supported.is_empty() {
                "not stated (the Authorization header is assumed)".to_string()
            } else {
                self.bearer_methods_supported.join(", ")
            },
        ));
        rows.push(Check::pass(
            "dpop_required",
            "DPoP-bound tokens (RFC 9728 §2)",
            if self.dpop_bound_access_tokens_required {
                "required: the profile binds its tokens with DPoP"
            } else {
                "not required"
            },
        ));
        rows
    }
}

/// How a client can come to exist at an authorization server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegistrationRoutes {
    /// A `registration_endpoint` (RFC 7591).
    pub dynamic: bool,
    /// `client_id_metadata_document_supported`: a client id that is an https URL of its metadata.
    pub client_id_metadata_document: bool,
    /// Neither: a client must be registered by hand.
    pub pre_registered_only: bool,
}

impl RegistrationRoutes {
    /// Without a registration endpoint: what the user must do, the one
    /// sentence for the report's row and its way forward.
    pub fn by_hand(&self) -> &'static str {
        if self.client_id_metadata_document {
            "client ID metadata documents only: Tessera cannot host one; register a client by hand and give its client id"
        } else {
            "the authorization server has no registration endpoint and does not accept client ID metadata documents: register a client by hand and give its client id"
        }
    }
}

/// What an authorization server's metadata offers a client like Tessera.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerOffer {
    /// `code_challenge_methods_supported` has `S256`.
    pub pkce_s256: bool,
    /// The registration routes.
    pub registration: RegistrationRoutes,
    /// `registration_endpoint`, when there is one.
    pub registration_endpoint: Option<String>,
    /// `grant_types_supported` (RFC 8414's default when absent).
    pub grants: Vec<String>,
    /// `scopes_supported` has `offline_access`.
    pub offline_access: bool,
}

impl ServerOffer {
    /// Reads an authorization server's metadata.
    pub fn from_json(doc: &Value) -> Self {
        let registration_endpoint = doc
            .get("registration_endpoint")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let cimd = doc
            .get("client_id_metadata_document_supported")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut grants = strings(doc, "grant_types_supported");
        if grants.is_empty() {
            // RFC 8414 §2: the default.
            grants = vec!["authorization_code".into(), "implicit".into()];
        }
        Self {
            pkce_s256: strings(doc, "code_challenge_methods_supported")
                .iter()
                .any(|m| m == "S256"),
            registration: RegistrationRoutes {
                dynamic: registration_endpoint.is_some(),
                client_id_metadata_document: cimd,
                pre_registered_only: registration_endpoint.is_none() && !cimd,
            },
            registration_endpoint,
            grants,
            offline_access: strings(doc, "scopes_supported")
                .iter()
                .any(|s| s == "offline_access"),
        }
    }

    /// The plain sentence on how a client can be had here, for a row.
    pub fn registration_detail(&self) -> String {
        match &self.registration_endpoint {
            Some(e) => format!("dynamic client registration at {e}"),
            None => self.registration.by_hand().into(),
        }
    }
}

/// The issuer check of a fetched authorization server document (RFC 8414
/// §3.3, OpenID Discovery §4.3): the `issuer` must be the one the URL was
/// built from, exactly.
pub fn issuer_check(expected: &str, doc: &Value) -> Check {
    match doc.get("issuer").and_then(Value::as_str) {
        Some(found) if found == expected => Check::pass(
            "server_issuer",
            "Issuer (RFC 8414 §3.3)",
            format!("the metadata's issuer is {found}"),
        ),
        Some(found) => Check::fail(
            "server_issuer",
            "Issuer (RFC 8414 §3.3)",
            format!("the authorization server's metadata says issuer {found}, not {expected}"),
        )
        .with_values(expected, found),
        None => Check::fail(
            "server_issuer",
            "Issuer (RFC 8414 §3.3)",
            format!("the authorization server's metadata for {expected} has no issuer"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("a test URL")
    }

    #[test]
    fn resource_metadata_is_looked_for_at_each_parent_path_then_the_origin() {
        let c: Vec<String> = resource_metadata_candidates(&url("https://api.example/v1/users?x=1"))
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            c,
            [
                "https://api.example/.well-known/oauth-protected-resource/v1/users",
                "https://api.example/.well-known/oauth-protected-resource/v1",
                "https://api.example/.well-known/oauth-protected-resource",
            ],
            "the path-inserted location of the whole path first, the query dropped"
        );
        assert_eq!(
            resource_metadata_candidates(&url("https://api.example/")).len(),
            1,
            "an origin has one location"
        );
    }

    #[test]
    fn authorization_server_metadata_is_path_inserted_then_openid_discovery() {
        let c = server_metadata_candidates("https://as.example/tenant").expect("a URL");
        assert_eq!(
            c[0].0.as_str(),
            "https://as.example/.well-known/oauth-authorization-server/tenant"
        );
        assert_eq!(
            c[1].0.as_str(),
            "https://as.example/tenant/.well-known/openid-configuration"
        );
        assert!(server_metadata_candidates("not a url").is_none());
    }

    #[test]
    fn a_resource_covers_its_own_url_and_the_paths_under_it_on_the_same_origin_only() {
        let called = url("https://api.example/v1/users?page=2");
        assert_eq!(
            coverage("https://api.example/v1/users", &called),
            Coverage::Exact
        );
        assert_eq!(
            coverage("https://api.example/v1", &called),
            Coverage::Prefix
        );
        assert_eq!(coverage("https://api.example/", &called), Coverage::Prefix);
        assert_eq!(
            coverage("https://api.example/v", &called),
            Coverage::No,
            "a prefix must end at a segment boundary"
        );
        assert_eq!(coverage("https://other.example/v1", &called), Coverage::No);
        assert_eq!(
            coverage("http://api.example/v1", &called),
            Coverage::No,
            "another scheme"
        );
    }

    #[test]
    fn metadata_for_another_resource_fails_with_both_values_named() {
        let m = ResourceMetadata::from_json(&json!({
            "resource": "https://a.example/", "authorization_servers": ["https://as.example"]
        }));
        let rows = m.checks(&url("https://b.example/"));
        let row = rows
            .iter()
            .find(|r| r.id == "resource_matches")
            .expect("a row");
        assert!(!row.passed, "another resource's metadata is refused");
        assert_eq!(
            row.detail,
            "the protected resource metadata's resource is https://a.example/, not https://b.example/"
        );
    }

    #[test]
    fn metadata_without_authorization_servers_fails_and_signed_metadata_is_said_to_be_ignored() {
        let m = ResourceMetadata::from_json(&json!({
            "resource": "https://a.example/", "signed_metadata": "e30.e30.sig"
        }));
        let rows = m.checks(&url("https://a.example/"));
        assert!(
            rows.iter()
                .any(|r| r.id == "authorization_servers" && !r.passed),
            "no servers, no way to a token: {rows:?}"
        );
        assert!(
            rows.iter().any(|r| r.id == "signed_metadata"
                && r.warning
                && r.detail.contains("not verified")),
            "signed metadata is named as unverified: {rows:?}"
        );
    }

    #[test]
    fn an_authorization_server_without_registration_names_the_way_forward() {
        let offer =
            ServerOffer::from_json(&json!({ "code_challenge_methods_supported": ["S256"] }));
        assert!(offer.pkce_s256);
        assert!(offer.registration.pre_registered_only);
        assert!(
            offer
                .registration_detail()
                .contains("register a client by hand and give its client id"),
            "{}",
            offer.registration_detail()
        );
        let dynamic = ServerOffer::from_json(&json!({ "registration_endpoint": "https://as/reg" }));
        assert!(dynamic.registration.dynamic && !dynamic.registration.pre_registered_only);
        assert!(!dynamic.pkce_s256, "no S256 listed, none assumed");
    }

    #[test]
    fn the_issuer_check_compares_exact_strings() {
        let ok = issuer_check(
            "https://as.example",
            &json!({"issuer": "https://as.example"}),
        );
        assert!(ok.passed);
        let slash = issuer_check(
            "https://as.example",
            &json!({"issuer": "https://as.example/"}),
        );
        assert!(!slash.passed, "a trailing slash is another issuer");
    }
}
