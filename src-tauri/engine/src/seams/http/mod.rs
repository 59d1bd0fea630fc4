//! The HTTP seam.
//!
//! Every call to a provider goes through [`Http`], which adds what all calls
//! need: a per-call timeout bounded by the operation's overall [`Deadline`],
//! one error type that names the endpoint, and OAuth error parsing. The actual
//! transport is the narrow [`HttpClient`] trait: [`ReqwestClient`] in
//! production (rustls, redirects disabled), a scripted fake in unit tests.
//!
//! | file | what |
//! |---|---|
//! | this one | the seam's types: [`HttpClient`], requests, responses, [`HttpError`] |
//! | `budget` | [`Http`]: a transport plus the operation's [`Deadline`] and per-call timeout |
//! | `responses` | JSON bodies and error statuses, read without quoting a secret |
//! | `url_policy` | which URLs may be called: https, or plain http on loopback only |
//! | `proxy` | [`ProxyEnv`]: which proxy a request takes; loopback never takes one |
//! | `reqwest_client` | [`ReqwestClient`], the production transport |
//! | `clients` | [`Clients`]: one [`ReqwestClient`] per TLS configuration, kept by the engine |
//!
//! Error messages never contain a request body, a header value or a query
//! string, because those carry codes, tokens and secrets.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use url::Url;

mod budget;
mod clients;
mod proxy;
mod reqwest_client;
mod responses;
mod url_policy;

pub use budget::{Deadline, Http, DEFAULT_CALL_TIMEOUT};
pub use clients::Clients;
pub use proxy::ProxyEnv;
pub use reqwest_client::ReqwestClient;
pub use responses::{parse_json, parse_json_object, sanitize_text, status_error};
pub use url_policy::{
    check_endpoint_url, is_loopback_host, is_public_address, redact_url,
    resolves_to_public_addresses,
};

/// A boxed, sendable future; keeps [`HttpClient`] object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Which provider endpoint a call goes to; used in every error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `/.well-known/openid-configuration`.
    Discovery,
    /// The `jwks_uri` key set.
    Jwks,
    /// The authorization endpoint: opened in the browser, fetched only by the sign-in preflight.
    Authorization,
    /// The RP-initiated logout endpoint (opened in the browser).
    EndSession,
    /// The token endpoint (code exchange and refresh).
    Token,
    /// The RFC 8628 device authorization endpoint.
    DeviceAuthorization,
    /// The RFC 9126 pushed authorization request endpoint.
    PushedAuthorization,
    /// The userinfo endpoint, called with the access token after sign-in.
    Userinfo,
    /// The RFC 7009 revocation endpoint.
    Revocation,
    /// The RFC 7662 introspection endpoint.
    Introspection,
    /// A protected API called with the access token.
    Api,
    /// The signed-in user's `picture` (fetched without a token).
    Picture,
    /// A protected resource called without a token, to read its challenge (RFC 9728 §5).
    ProtectedResource,
    /// A protected resource's metadata (RFC 9728).
    ResourceMetadata,
    /// An authorization server's RFC 8414 metadata.
    ServerMetadata,
    /// The RFC 7591 registration endpoint, or a registration's RFC 7592 URI.
    Registration,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Endpoint::Discovery => "discovery document",
            Endpoint::Jwks => "JWKS endpoint",
            Endpoint::Authorization => "authorization endpoint",
            Endpoint::EndSession => "end-session endpoint",
            Endpoint::Token => "token endpoint",
            Endpoint::DeviceAuthorization => "device authorization endpoint",
            Endpoint::PushedAuthorization => "pushed authorization request endpoint",
            Endpoint::Userinfo => "userinfo endpoint",
            Endpoint::Revocation => "revocation endpoint",
            Endpoint::Introspection => "introspection endpoint",
            Endpoint::Api => "API",
            Endpoint::Picture => "profile picture",
            Endpoint::ProtectedResource => "protected resource",
            Endpoint::ResourceMetadata => "protected resource metadata",
            Endpoint::ServerMetadata => "authorization server metadata",
            Endpoint::Registration => "registration endpoint",
        })
    }
}

/// An HTTP method; provider endpoints use only GET and POST, the rest serve API calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: discovery, keys, userinfo and other fetches, and API reads.
    Get,
    /// `POST`: the token, revocation and introspection forms, and API writes.
    Post,
    /// `PUT`, for API calls only.
    Put,
    /// `PATCH`, for API calls only.
    Patch,
    /// `DELETE`, for API calls only.
    Delete,
    /// `HEAD`: headers only, no body; "Copy as curl" writes it as `--head`.
    Head,
    /// `OPTIONS`, for API calls only.
    Options,
}

impl Method {
    /// Every method, in the order a menu shows them.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The upper-case name sent on the wire, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Parses a method name, any case.
    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// One request. Its `Debug` output omits header values and the body.
#[derive(Clone)]
pub struct HttpRequest {
    /// The endpoint, for error messages.
    pub endpoint: Endpoint,
    /// GET or POST for provider calls; any method for API calls.
    pub method: Method,
    /// Target URL, query included; `Debug` and the HTTP log show it redacted.
    pub url: Url,
    /// Header names and values (values may be secret).
    pub headers: Vec<(String, String)>,
    /// Request body (may be secret).
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body", &self.body.as_ref().map(|b| b.len()))
            .finish()
    }
}

impl HttpRequest {
    /// A GET that asks for JSON (`accept: application/json`), with no body.
    pub fn get(endpoint: Endpoint, url: Url) -> Self {
        Self {
            endpoint,
            method: Method::Get,
            url,
            headers: vec![("accept".into(), "application/json".into())],
            body: None,
        }
    }

    /// A POST of an `application/x-www-form-urlencoded` body.
    pub fn post_form(endpoint: Endpoint, url: Url, form: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish()
            .into_bytes();
        Self {
            endpoint,
            method: Method::Post,
            url,
            headers: vec![
                ("accept".into(), "application/json".into()),
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
            ],
            body: Some(body),
        }
    }

    /// Appends a header with its name lower-cased; an existing one of that name stays.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
}

/// One response, fully read.
#[derive(Clone)]
pub struct HttpResponse {
    /// Status code, e.g. 200; [`Http::send`] turns anything outside 2xx into an error.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The whole body; the reqwest transport refuses one over 8 MiB.
    pub body: Vec<u8>,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl HttpResponse {
    /// The first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a call failed. Each message names the endpoint and never carries a
/// secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// No answer before the per-call or overall timeout.
    #[error("timed out waiting for the {endpoint}")]
    Timeout {
        /// The endpoint that did not answer in time.
        endpoint: Endpoint,
    },
    /// Connection or TLS failure.
    #[error("could not reach the {endpoint} at {origin}: {reason}")]
    Connect {
        /// The endpoint that could not be reached.
        endpoint: Endpoint,
        /// Scheme, host and port only.
        origin: String,
        /// The transport's reason.
        reason: String,
    },
    /// A non-success status.
    #[error("{endpoint} returned HTTP {status}{detail}")]
    Status {
        /// The endpoint that answered with the error status.
        endpoint: Endpoint,
        /// The status, outside 200-299, e.g. 401.
        status: u16,
        /// `": error (description)"` from an OAuth error body, or empty.
        detail: String,
        /// The OAuth `error` code, when the body had one.
        oauth_error: Option<String>,
    },
    /// A success status with a body that is not the expected JSON.
    #[error("{endpoint} returned a response that is not valid JSON ({reason})")]
    InvalidJson {
        /// The endpoint whose body did not parse.
        endpoint: Endpoint,
        /// What the parser said (never the body itself).
        reason: String,
    },
    /// A response body over Tessera's limit.
    #[error("{endpoint} returned a response larger than {limit_mib} MiB, Tessera's limit")]
    TooLarge {
        /// The endpoint whose body was too large.
        endpoint: Endpoint,
        /// The size limit in MiB, e.g. 8 for the reqwest transport.
        limit_mib: usize,
    },
    /// A URL the profile does not allow (plain http off loopback).
    #[error("{endpoint} URL {url} uses plain http on a non-loopback host; use https, or set allow_insecure_http on the profile for a trusted development provider")]
    InsecureUrl {
        /// The endpoint whose URL was refused.
        endpoint: Endpoint,
        /// The URL without its query.
        url: String,
    },
    /// The client could not be built (for example, an unreadable CA file).
    #[error("HTTP client setup failed: {0}")]
    Setup(String),
}

impl HttpError {
    /// The OAuth `error` code of a failed call, if any.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            HttpError::Status { oauth_error, .. } => oauth_error.as_deref(),
            _ => None,
        }
    }

    /// The OAuth error as one phrase, `error: description` (sanitised),
    /// when the body had one.
    pub fn oauth_detail(&self) -> Option<String> {
        match self {
            HttpError::Status {
                detail,
                oauth_error: Some(_),
                ..
            } => {
                let d = detail.trim_start_matches(": ");
                Some(match d.split_once(" (") {
                    Some((code, description)) => format!(
                        "{code}: {}",
                        description.strip_suffix(')').unwrap_or(description)
                    ),
                    None => d.to_string(),
                })
            }
            _ => None,
        }
    }
}

/// The transport seam: send one request, with no redirects followed.
pub trait HttpClient: Send + Sync {
    /// Sends the request and reads the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;
}

impl crate::error::EngineError for HttpError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            HttpError::Timeout { .. } | HttpError::Connect { .. } => ErrorKind::Network,
            HttpError::Status { .. }
            | HttpError::InvalidJson { .. }
            | HttpError::TooLarge { .. } => ErrorKind::Provider,
            HttpError::InsecureUrl { .. } => ErrorKind::InvalidProfile,
            HttpError::Setup(_) => ErrorKind::Io,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            HttpError::Timeout { endpoint }
            | HttpError::Connect { endpoint, .. }
            | HttpError::Status { endpoint, .. }
            | HttpError::InvalidJson { endpoint, .. }
            | HttpError::TooLarge { endpoint, .. }
            | HttpError::InsecureUrl { endpoint, .. } => {
                crate::error::ErrorFacts::endpoint(endpoint)
            }
            HttpError::Setup(_) => crate::error::ErrorFacts::default(),
        }
    }
}
