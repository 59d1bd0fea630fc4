//! A provider's metadata and key set checked against the specifications:
//! findings with a level and the section they come from. Sans-IO: it reads
//! a discovery document (and the JWKS when there is one) and judges them;
//! fetching is the caller's. It runs offline on a saved document too.
//!
//! Levels: an **error** breaks a client or a rule the specification states
//! with MUST; a **warning** is a SHOULD or a known risk (RFC 9700); a
//! **note** is worth knowing. Plain http on a loopback host is a note: it is
//! how local providers run.

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::seams::http::is_loopback_host;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Worth knowing.
    Note,
    /// A SHOULD, or a known risk.
    Warning,
    /// A MUST broken, or a client would fail.
    Error,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id, e.g. `pkce_plain_only`.
    pub id: &'static str,
    /// How much it matters.
    pub level: Level,
    /// What was found and why it matters.
    pub message: String,
    /// The specification and section.
    pub reference: &'static str,
}

fn finding(
    id: &'static str,
    level: Level,
    message: impl Into<String>,
    reference: &'static str,
) -> Finding {
    Finding {
        id,
        level,
        message: message.into(),
        reference,
    }
}

fn strings(doc: &Value, key: &str) -> Option<Vec<String>> {
    doc.get(key)?.as_array().map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

/// The issuer a discovery document fetched from `url` must name.
fn expected_issuer(url: &Url) -> Option<String> {
    let s = url.as_str();
    for suffix in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        if let Some(base) = s.strip_suffix(suffix) {
            return Some(base.to_string());
        }
    }
    None
}

/// Findings on a discovery document, fetched from `fetched_from` when known.
pub fn metadata(doc: &Value, fetched_from: Option<&Url>) -> Vec<Finding> {
    use Level::*;
    let mut out = Vec::new();
    let Some(issuer) = doc.get("issuer").and_then(Value::as_str) else {
        out.push(finding(
            "issuer_missing",
            Error,
            "the document names no issuer",
            "OpenID Connect Discovery 1.0 §3; RFC 8414 §2",
        ));
        return out;
    };
    if let Some(expected) = fetched_from.and_then(expected_issuer) {
        if expected != issuer {
            out.push(finding(
                "issuer_mismatch",
                Error,
                format!("the document at {expected}/.well-known/… names issuer {issuer}; they must be equal"),
                "OpenID Connect Discovery 1.0 §4.3; RFC 8414 §3.3",
            ));
        }
    }
    let is_oidc = fetched_from.is_none_or(|u| u.path().ends_with("openid-configuration"));
    let required: &[&str] = if is_oidc {
        &[
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "response_types_supported",
            "subject_types_supported",
            "id_token_signing_alg_values_supported",
        ]
    } else {
        &[
            "authorization_endpoint",
            "token_endpoint",
            "response_types_supported",
        ]
    };
    for key in required {
        if doc.get(*key).is_none() {
            out.push(finding(
                "required_missing",
                Error,
                format!("{key} is required and missing"),
                "OpenID Connect Discovery 1.0 §3; RFC 8414 §2",
            ));
        }
    }
    for key in ["userinfo_endpoint", "scopes_supported", "claims_supported"] {
        if is_oidc && doc.get(key).is_none() {
            out.push(finding(
                "recommended_missing",
                Note,
                format!("{key} is recommended and missing"),
                "OpenID Connect Discovery 1.0 §3",
            ));
        }
    }
    match strings(doc, "code_challenge_methods_supported") {
        None => out.push(finding(
            "pkce_not_advertised",
            Warning,
            "code_challenge_methods_supported is missing: clients cannot tell whether PKCE is enforced",
            "RFC 9700 §2.1.1; RFC 8414 §2",
        )),
        Some(m) if !m.iter().any(|x| x == "S256") => out.push(finding(
            "pkce_no_s256",
            Error,
            format!("PKCE S256 is not offered (only {})", m.join(", ")),
            "RFC 9700 §2.1.1; RFC 7636 §4.2",
        )),
        Some(_) => {}
    }
    if let Some(algs) = strings(doc, "id_token_signing_alg_values_supported") {
        if algs.iter().any(|a| a.eq_ignore_ascii_case("none")) {
            out.push(finding(
                "alg_none",
                Error,
                "ID tokens may be unsigned (alg none)",
                "OpenID Connect Core 1.0 §3.1.3.7; RFC 8725 §3.1",
            ));
        }
        if !algs.is_empty() && algs.iter().all(|a| a.starts_with("HS")) {
            out.push(finding(
                "alg_symmetric_only",
                Warning,
                "ID tokens are signed only with shared secrets (HS*): public clients cannot verify them",
                "OpenID Connect Core 1.0 §10.1",
            ));
        }
    }
    if doc
        .get("authorization_response_iss_parameter_supported")
        .and_then(Value::as_bool)
        != Some(true)
    {
        out.push(finding(
            "iss_parameter",
            Warning,
            "authorization responses do not carry iss: mix-up attacks rest on other defences",
            "RFC 9207 §3; RFC 9700 §4.4.2",
        ));
    }
    let grants = strings(doc, "grant_types_supported").unwrap_or_default();
    for (grant, id, why) in [
        (
            "implicit",
            "grant_implicit",
            "the implicit grant leaks tokens in URLs",
        ),
        (
            "password",
            "grant_password",
            "the password grant hands the user's password to the client",
        ),
    ] {
        if grants.iter().any(|g| g == grant) {
            out.push(finding(
                id,
                Warning,
                format!("{grant} is offered: {why}"),
                "RFC 9700 §2.1.2, §2.4",
            ));
        }
    }
    if strings(doc, "response_types_supported")
        .unwrap_or_default()
        .iter()
        .any(|t| t.split(' ').any(|p| p == "token"))
    {
        out.push(finding(
            "response_type_token",
            Warning,
            "response types with token are offered: access tokens in the browser's URL",
            "RFC 9700 §2.1.2",
        ));
    }
    let issuer_url = Url::parse(issuer).ok();
    if let Some(u) = &issuer_url {
        if u.scheme() != "https" {
            out.push(if is_loopback_host(u) {
                finding(
                    "http_loopback",
                    Note,
                    "the issuer is plain http on this machine: fine for a local provider, never elsewhere",
                    "OpenID Connect Discovery 1.0 §3",
                )
            } else {
                finding(
                    "http_issuer",
                    Error,
                    "the issuer is plain http on another host: it must use https",
                    "OpenID Connect Discovery 1.0 §3; RFC 8414 §2",
                )
            });
        }
    }
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "userinfo_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
        "end_session_endpoint",
    ] {
        let Some(value) = doc.get(key).and_then(Value::as_str) else {
            continue;
        };
        match Url::parse(value) {
            Err(_) => out.push(finding(
                "endpoint_not_url",
                Error,
                format!("{key} is not a URL"),
                "RFC 8414 §2",
            )),
            Ok(u) => {
                if u.scheme() != "https" && !is_loopback_host(&u) {
                    out.push(finding(
                        "endpoint_http",
                        Error,
                        format!("{key} is plain http on another host: {value}"),
                        "RFC 8414 §2; RFC 9700 §2.6",
                    ));
                }
                if issuer_url
                    .as_ref()
                    .is_some_and(|i| i.host_str() != u.host_str())
                {
                    out.push(finding(
                        "endpoint_other_host",
                        Note,
                        format!(
                            "{key} is on another host than the issuer: {}",
                            u.host_str().unwrap_or("?")
                        ),
                        "RFC 8414 §2",
                    ));
                }
            }
        }
    }
    out
}

/// Notes on the discovery response's headers: CORS (a browser-based client
/// must be able to read the metadata) and caching (without it every client
/// fetches the document on every use).
pub fn discovery_headers(allow_origin: Option<&str>, cache_control: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    if allow_origin.is_none() {
        out.push(finding(
            "cors_missing",
            Level::Note,
            "the discovery response has no Access-Control-Allow-Origin: browser-based clients cannot read it",
            "OpenID Connect Discovery 1.0 §4; RFC 8414 §3",
        ));
    }
    let cacheable = cache_control.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("max-age") && !c.contains("no-store") && !c.contains("no-cache")
    });
    if !cacheable {
        out.push(finding(
            "cache_missing",
            Level::Note,
            match cache_control {
                Some(c) => format!("the discovery response is not cacheable (Cache-Control: {c}): clients fetch it on every use"),
                None => "the discovery response has no Cache-Control max-age: clients fetch it on every use".to_string(),
            },
            "RFC 9111 §5.2; OpenID Connect Discovery 1.0 §4",
        ));
    }
    out
}

/// The endpoints of a document a client calls, by metadata key, that parse as URLs.
pub fn endpoints(doc: &Value) -> Vec<(&'static str, Url)> {
    [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
        "end_session_endpoint",
        "registration_endpoint",
        "device_authorization_endpoint",
        "pushed_authorization_request_endpoint",
    ]
    .into_iter()
    .filter_map(|key| {
        let value = doc.get(key)?.as_str()?;
        Some((key, Url::parse(value).ok()?))
    })
    .collect()
}

/// An endpoint that did not answer at all (any HTTP status counts as an answer).
pub fn unreachable_endpoint(key: &str, reason: &str) -> Finding {
    finding(
        "endpoint_unreachable",
        Level::Warning,
        format!("{key} does not answer: {reason}"),
        "RFC 8414 §2",
    )
}

/// Findings on a JWK Set the provider publishes.
pub fn jwks(set: &Value) -> Vec<Finding> {
    use Level::*;
    let mut out = Vec::new();
    let Some(keys) = set.get("keys").and_then(Value::as_array) else {
        out.push(finding(
            "jwks_no_keys",
            Error,
            "the JWKS has no keys array",
            "RFC 7517 §5",
        ));
        return out;
    };
    let mut kids: Vec<&str> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let name = key
            .get("kid")
            .and_then(Value::as_str)
            .map(|k| format!("key {k}"))
            .unwrap_or_else(|| format!("key #{}", i + 1));
        match key.get("kid").and_then(Value::as_str) {
            Some(kid) if kids.contains(&kid) => out.push(finding(
                "jwks_duplicate_kid",
                Error,
                format!(
                    "{name} appears more than once: clients cannot tell which key signed a token"
                ),
                "RFC 7517 §4.5; OpenID Connect Core 1.0 §10.1",
            )),
            Some(kid) => kids.push(kid),
            None if keys.len() > 1 => out.push(finding(
                "jwks_no_kid",
                Warning,
                format!("{name} has no kid, in a set of several keys"),
                "OpenID Connect Core 1.0 §10.1",
            )),
            None => {}
        }
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            if key.get(private).is_some() {
                out.push(finding(
                    "jwks_private_member",
                    Error,
                    format!(
                        "{name} publishes the private member {private}: the key is compromised"
                    ),
                    "RFC 7517 §9.2; RFC 7518 §6",
                ));
            }
        }
        if key.get("use").is_none() && key.get("alg").is_none() {
            out.push(finding(
                "jwks_no_use_alg",
                Note,
                format!("{name} names neither use nor alg"),
                "RFC 7517 §4.2, §4.4",
            ));
        }
        if key.get("kty").and_then(Value::as_str) == Some("RSA") {
            let bits = key
                .get("n")
                .and_then(Value::as_str)
                .map(|n| n.trim_end_matches('=').len() * 6)
                .unwrap_or(0);
            if bits > 0 && bits < 2040 {
                out.push(finding(
                    "jwks_rsa_short",
                    Error,
                    format!(
                        "{name} is an RSA key of about {bits} bits: at least 2048 are required"
                    ),
                    "RFC 7518 §3.3",
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.id).collect()
    }

    #[test]
    fn a_sound_local_provider_has_nothing_at_error_level() {
        let doc = json!({
            "issuer": "http://127.0.0.1:9090",
            "authorization_endpoint": "http://127.0.0.1:9090/auth",
            "token_endpoint": "http://127.0.0.1:9090/token",
            "jwks_uri": "http://127.0.0.1:9090/jwks",
            "userinfo_endpoint": "http://127.0.0.1:9090/me",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": true,
            "scopes_supported": ["openid"],
            "claims_supported": ["sub"],
        });
        let url =
            Url::parse("http://127.0.0.1:9090/.well-known/openid-configuration").expect("a URL");
        let found = metadata(&doc, Some(&url));
        assert!(
            found.iter().all(|f| f.level < Level::Warning),
            "only notes for a sound local provider: {found:?}"
        );
        assert!(
            ids(&found).contains(&"http_loopback"),
            "plain http on loopback is a note"
        );
    }

    #[test]
    fn every_planted_problem_is_found_at_its_level() {
        let doc = json!({
            "issuer": "http://idp.example",
            "authorization_endpoint": "http://idp.example/auth",
            "response_types_supported": ["code", "token"],
            "id_token_signing_alg_values_supported": ["none", "HS256"],
            "code_challenge_methods_supported": ["plain"],
            "grant_types_supported": ["authorization_code", "implicit", "password"],
        });
        let url =
            Url::parse("https://other.example/.well-known/openid-configuration").expect("a URL");
        let found = ids(&metadata(&doc, Some(&url)));
        for id in [
            "issuer_mismatch",
            "required_missing",
            "pkce_no_s256",
            "alg_none",
            "iss_parameter",
            "grant_implicit",
            "grant_password",
            "response_type_token",
            "http_issuer",
            "endpoint_http",
        ] {
            assert!(found.contains(&id), "{id} is found: {found:?}");
        }
        let keys = json!({"keys": [
            {"kty": "RSA", "kid": "a", "n": "AQAB", "e": "AQAB", "d": "secret"},
            {"kty": "RSA", "kid": "a", "n": "AQAB", "e": "AQAB"},
        ]});
        let found = ids(&jwks(&keys));
        for id in [
            "jwks_duplicate_kid",
            "jwks_private_member",
            "jwks_rsa_short",
            "jwks_no_use_alg",
        ] {
            assert!(found.contains(&id), "{id} is found: {found:?}");
        }
    }

    #[test]
    fn discovery_without_cors_or_a_max_age_gets_notes_and_a_cacheable_one_with_cors_gets_none() {
        let ids = |f: Vec<Finding>| f.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(
            ids(discovery_headers(None, None)),
            ["cors_missing", "cache_missing"]
        );
        assert_eq!(
            ids(discovery_headers(Some("*"), Some("no-store, max-age=0"))),
            ["cache_missing"],
            "no-store is not cacheable whatever the max-age"
        );
        assert!(discovery_headers(Some("*"), Some("public, max-age=3600")).is_empty());
        assert!(
            discovery_headers(None, None)
                .iter()
                .all(|f| f.level == Level::Note),
            "these are notes, never errors"
        );
    }
}
