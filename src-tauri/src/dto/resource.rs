//! Sign-in from an API URL and the provider conformance check: the walk's
//! report, the client choice, and the lint's findings.

use serde::{Deserialize, Serialize};
use tessera_engine::inspect::conformance::ConformanceReport;
use tessera_engine::protocol::lint::Level;
use tessera_engine::session::discover::{ResourceDiscovery, ServerFinding};
use tessera_engine::session::resource::default_profile_name;

use super::inspector::CheckView;
use super::Overview;

/// One authorization server the resource names, as examined.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServerView {
    pub issuer: String,
    pub metadata_url: Option<String>,
    /// Metadata found, issuer matching, PKCE S256.
    pub usable: bool,
    pub pkce_s256: bool,
    pub dynamic_registration: bool,
    pub client_id_metadata_document: bool,
    pub pre_registered_only: bool,
    pub grants: Vec<String>,
    /// Why it is not usable.
    pub problem: Option<String>,
}

impl From<&ServerFinding> for ServerView {
    fn from(s: &ServerFinding) -> Self {
        Self {
            issuer: s.issuer.clone(),
            metadata_url: s.metadata_url.clone(),
            usable: s.usable,
            pkce_s256: s.pkce_s256,
            dynamic_registration: s.registration.dynamic,
            client_id_metadata_document: s.registration.client_id_metadata_document,
            pre_registered_only: s.registration.pre_registered_only,
            grants: s.grants.clone(),
            problem: s.problem.clone(),
        }
    }
}

/// The walk from an API URL to its authorization servers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ResourceDiscoveryView {
    pub url: String,
    pub resource: Option<String>,
    pub resource_metadata_url: Option<String>,
    pub resource_name: Option<String>,
    pub scopes: Vec<String>,
    pub bearer_methods: Vec<String>,
    pub dpop_required: bool,
    pub authorization_servers: Vec<ServerView>,
    pub checks: Vec<CheckView>,
    /// How to sign in, or which step is missing.
    pub way_forward: String,
    /// At least one server is usable.
    pub usable: bool,
    /// The name the profile gets when none is typed (the engine's rule).
    pub default_profile_name: Option<String>,
}

impl From<&ResourceDiscovery> for ResourceDiscoveryView {
    fn from(d: &ResourceDiscovery) -> Self {
        Self {
            url: d.url.clone(),
            resource: d.resource.clone(),
            resource_metadata_url: d.resource_metadata_url.clone(),
            resource_name: d.resource_name.clone(),
            scopes: d.scopes.clone(),
            bearer_methods: d.bearer_methods.clone(),
            dpop_required: d.dpop_required,
            authorization_servers: d
                .authorization_servers
                .iter()
                .map(ServerView::from)
                .collect(),
            checks: d.checks.iter().map(CheckView::from).collect(),
            way_forward: d.way_forward.clone(),
            usable: d.usable_server().is_some(),
            default_profile_name: d.resource.as_deref().map(default_profile_name),
        }
    }
}

/// Which client a profile set up from an API URL uses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClientChoiceForm {
    /// A client id registered by hand.
    Given { client_id: String },
    /// Register Tessera (RFC 7591).
    Register,
}

/// The profile made from an API URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ResourceSetUpView {
    pub overview: Overview,
    pub profile: String,
    pub resource: String,
    pub client_id: String,
    /// Tessera registered the client now.
    pub registered: bool,
    /// A profile made for this server and resource before was reused.
    pub reused: bool,
    pub discovery: ResourceDiscoveryView,
}

/// How much a conformance finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    Note,
    Warning,
    Error,
}

/// One conformance finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FindingView {
    pub id: String,
    pub level: FindingLevel,
    pub message: String,
    /// The specification and section.
    pub reference: String,
}

/// A provider's conformance findings, errors first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConformanceView {
    pub issuer: Option<String>,
    pub findings: Vec<FindingView>,
}

impl From<ConformanceReport> for ConformanceView {
    fn from(r: ConformanceReport) -> Self {
        Self {
            issuer: r.issuer,
            findings: r
                .findings
                .into_iter()
                .map(|f| FindingView {
                    id: f.id.into(),
                    level: match f.level {
                        Level::Note => FindingLevel::Note,
                        Level::Warning => FindingLevel::Warning,
                        Level::Error => FindingLevel::Error,
                    },
                    message: f.message,
                    reference: f.reference.into(),
                })
                .collect(),
        }
    }
}
