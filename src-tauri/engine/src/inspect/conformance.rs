//! The provider conformance check (`tessera lint`): a provider's discovery
//! document and key set, fetched now (or a saved document, offline), judged
//! by [`crate::protocol::lint`].

use serde_json::Value;
use url::Url;

use crate::engine::Engine;
use crate::inspect::InspectError;
use crate::protocol::discovery::{discovery_url, DiscoveryError};
use crate::protocol::lint::{self, Finding, Level};
use crate::seams::http::{parse_json, Endpoint, Http, HttpRequest};

/// The findings on one provider.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConformanceReport {
    /// The issuer the document names, if it names one.
    pub issuer: Option<String>,
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
}

impl ConformanceReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.level == Level::Error)
    }

    fn of(doc: &Value, mut findings: Vec<Finding>) -> Self {
        findings.sort_by_key(|f| std::cmp::Reverse(f.level));
        Self {
            issuer: doc.get("issuer").and_then(Value::as_str).map(str::to_owned),
            findings,
        }
    }
}

/// The origin the discovery request names, so CORS headers show.
const CORS_PROBE_ORIGIN: &str = "https://conformance.tessera.invalid";

/// How long each endpoint has to answer the reachability probe.
const REACHABILITY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a provider's error count is kept for the profile list: a day,
/// so the marker follows a provider that fixes its metadata.
const REMEMBERED_FOR: i64 = 24 * 3600;

fn remembered_key(issuer: &str) -> String {
    format!("tessera:conformance-errors:{issuer}")
}

impl Engine {
    /// Checks a profile's provider (its issuer's document and keys) and
    /// remembers how many errors it had, for the profile list's marker.
    pub async fn check_profile_provider(
        &self,
        name: &str,
    ) -> Result<ConformanceReport, InspectError> {
        let profile = self.profile(Some(name))?;
        let report = self.check_provider(&profile.issuer).await?;
        let errors = report
            .findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count();
        self.cache().put(
            &remembered_key(&profile.issuer),
            &errors.to_string(),
            REMEMBERED_FOR,
        );
        Ok(report)
    }

    /// The error count of the issuer's last check, if it was checked lately.
    pub fn remembered_conformance_errors(&self, issuer: &str) -> Option<usize> {
        self.cache().get(&remembered_key(issuer))?.parse().ok()
    }

    /// Fetches an issuer's (or a metadata URL's) document and its JWKS now,
    /// and checks both.
    pub async fn check_provider(&self, url: &str) -> Result<ConformanceReport, DiscoveryError> {
        let trimmed = url.trim();
        let url = if trimmed.contains("/.well-known/") {
            Url::parse(trimmed).map_err(|_| DiscoveryError::BadUrl {
                field: "metadata URL",
            })?
        } else {
            discovery_url(trimmed)?
        };
        let http = Http::new(self.transport(None)?);
        // An Origin makes a CORS-aware server answer with its CORS headers.
        let response = http
            .send(
                HttpRequest::get(Endpoint::Discovery, url.clone())
                    .header("origin", CORS_PROBE_ORIGIN),
            )
            .await?;
        let doc: Value = parse_json(Endpoint::Discovery, &response.body)?;
        let mut findings = lint::metadata(&doc, Some(&url));
        findings.extend(lint::discovery_headers(
            response.header("access-control-allow-origin"),
            response.header("cache-control"),
        ));
        // Reachable means any HTTP answer: an endpoint called without its
        // parameters answers 400 or 405, and that is fine.
        let probe = http.with_call_timeout(REACHABILITY_TIMEOUT);
        for (key, endpoint) in lint::endpoints(&doc) {
            if let Err(e) = probe
                .send_raw(HttpRequest::get(Endpoint::Discovery, endpoint))
                .await
            {
                findings.push(lint::unreachable_endpoint(key, &e.to_string()));
            }
        }
        // A jwks_uri that is not a URL is already a finding of the metadata.
        if let Some(u) = doc
            .get("jwks_uri")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
        {
            let fetched = match http.send(HttpRequest::get(Endpoint::Jwks, u)).await {
                Ok(r) => parse_json::<Value>(Endpoint::Jwks, &r.body),
                Err(e) => Err(e),
            };
            match fetched {
                Ok(set) => findings.extend(lint::jwks(&set)),
                Err(e) => findings.push(unreachable_jwks(e.to_string())),
            }
        }
        Ok(ConformanceReport::of(&doc, findings))
    }

    /// Checks a saved discovery document, offline (no key set).
    pub fn check_document(&self, text: &str) -> Result<ConformanceReport, DiscoveryError> {
        let doc: Value = parse_json(Endpoint::Discovery, text.as_bytes())?;
        let findings = lint::metadata(&doc, None);
        Ok(ConformanceReport::of(&doc, findings))
    }
}

fn unreachable_jwks(reason: String) -> Finding {
    Finding {
        id: "jwks_unreachable",
        level: Level::Error,
        message: format!("the JWKS could not be read: {reason}"),
        reference: "OpenID Connect Discovery 1.0 §3",
    }
}
