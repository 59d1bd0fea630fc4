//! The HTTP seam.
//!
//! Every call to a provider goes through [`Http`], which adds what all calls
//! need: a per-call timeout bounded by the operation's overall [`Deadline`],
//! one error type that names the endpoint, and OAuth error parsing. The actual
//! transport is the narrow [`HttpClient`] trait: [`ReqwestClient`] in
//! production (rustls, redirects disabled), a scripted fake in unit tests.
//!
//! Error messages never contain a request body, a header value or a query
//! string, because those carry codes, tokens and secrets.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use url::Url;

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
    /// The authorization endpoint (opened in the browser, never fetched).
    Authorization,
    /// The RP-initiated logout endpoint (opened in the browser).
    EndSession,
    /// The token endpoint (code exchange and refresh).
    Token,
    /// The userinfo endpoint.
    Userinfo,
    /// The RFC 7009 revocation endpoint.
    Revocation,
    /// The RFC 7662 introspection endpoint.
    Introspection,
    /// A protected API called with the access token.
    Api,
    /// The signed-in user's `picture` (fetched without a token).
    Picture,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Endpoint::Discovery => "discovery document",
            Endpoint::Jwks => "JWKS endpoint",
            Endpoint::Authorization => "authorization endpoint",
            Endpoint::EndSession => "end-session endpoint",
            Endpoint::Token => "token endpoint",
            Endpoint::Userinfo => "userinfo endpoint",
            Endpoint::Revocation => "revocation endpoint",
            Endpoint::Introspection => "introspection endpoint",
            Endpoint::Api => "API",
            Endpoint::Picture => "profile picture",
        })
    }
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
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

    /// `GET`, `POST`…
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
    /// Method.
    pub method: Method,
    /// Target URL.
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
    /// A GET request.
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

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
}

/// One response, fully read.
#[derive(Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
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
        /// The endpoint.
        endpoint: Endpoint,
    },
    /// Connection or TLS failure.
    #[error("could not reach the {endpoint} at {origin}: {reason}")]
    Connect {
        /// The endpoint.
        endpoint: Endpoint,
        /// Scheme, host and port only.
        origin: String,
        /// The transport's reason.
        reason: String,
    },
    /// A non-success status.
    #[error("{endpoint} returned HTTP {status}{detail}")]
    Status {
        /// The endpoint.
        endpoint: Endpoint,
        /// Status code.
        status: u16,
        /// `": error (description)"` from an OAuth error body, or empty.
        detail: String,
        /// The OAuth `error` code, when the body had one.
        oauth_error: Option<String>,
    },
    /// A success status with a body that is not the expected JSON.
    #[error("{endpoint} returned a response that is not valid JSON ({reason})")]
    InvalidJson {
        /// The endpoint.
        endpoint: Endpoint,
        /// What the parser said (never the body itself).
        reason: String,
    },
    /// A response body over Tessera's limit.
    #[error("{endpoint} returned a response larger than {limit_mib} MiB, Tessera's limit")]
    TooLarge {
        /// The endpoint.
        endpoint: Endpoint,
        /// The limit.
        limit_mib: usize,
    },
    /// A URL the profile does not allow (plain http off loopback).
    #[error("{endpoint} URL {url} uses plain http on a non-loopback host; use https, or set allow_insecure_http on the profile for a trusted development provider")]
    InsecureUrl {
        /// The endpoint.
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
}

/// The transport seam: send one request, with no redirects followed.
pub trait HttpClient: Send + Sync {
    /// Sends the request and reads the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;
}

/// The end of an operation's time budget (e.g. `tessera login --timeout`).
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No overall limit (each call still has its own timeout).
    pub fn none() -> Self {
        Self(None)
    }

    /// A limit `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self(Some(Instant::now() + budget))
    }

    /// Time left, if there is a limit.
    pub fn remaining(&self) -> Option<Duration> {
        self.0
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// The smaller of `per_call` and the time left.
    pub fn bound(&self, per_call: Duration) -> Duration {
        match self.remaining() {
            Some(left) => left.min(per_call),
            None => per_call,
        }
    }
}

/// The default timeout for one call to a provider.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A client plus the budget of the operation it serves.
#[derive(Clone)]
pub struct Http {
    client: Arc<dyn HttpClient>,
    deadline: Deadline,
    per_call: Duration,
}

impl Http {
    /// Wraps a transport with the default per-call timeout and no deadline.
    pub fn new(client: Arc<dyn HttpClient>) -> Self {
        Self {
            client,
            deadline: Deadline::none(),
            per_call: DEFAULT_CALL_TIMEOUT,
        }
    }

    /// The same transport bounded by `deadline`.
    pub fn with_deadline(&self, deadline: Deadline) -> Self {
        Self {
            deadline,
            ..self.clone()
        }
    }

    /// The same transport with another per-call timeout.
    pub fn with_call_timeout(&self, per_call: Duration) -> Self {
        Self {
            per_call,
            ..self.clone()
        }
    }

    /// Sends a request; any status is returned as a response.
    pub async fn send_raw(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let endpoint = request.endpoint;
        let started = Instant::now();
        let url = redact_url(&request.url);
        let limit = self.deadline.bound(self.per_call);
        let result = match tokio::time::timeout(limit, self.client.send(request)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout { endpoint }),
        };
        let ms = started.elapsed().as_millis();
        match &result {
            Ok(r) => tracing::debug!(%endpoint, %url, status = r.status, ms, "http"),
            Err(e) => tracing::debug!(%endpoint, %url, error = %e, ms, "http failed"),
        }
        result
    }

    /// Sends a request and fails on any status other than 2xx.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let endpoint = request.endpoint;
        let response = self.send_raw(request).await?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(status_error(endpoint, &response))
        }
    }

    /// Sends a request and parses a 2xx JSON body.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        request: HttpRequest,
    ) -> Result<(T, HttpResponse), HttpError> {
        let endpoint = request.endpoint;
        let response = self.send(request).await?;
        let value = parse_json(endpoint, &response.body)?;
        Ok((value, response))
    }
}

/// Parses a JSON body, naming the endpoint on failure.
pub fn parse_json<T: DeserializeOwned>(endpoint: Endpoint, body: &[u8]) -> Result<T, HttpError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| HttpError::InvalidJson {
        endpoint,
        reason: describe_json_error(&e),
    })
}

fn describe_json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    let inner = e.inner();
    // serde_json messages quote unexpected *values* ("invalid type: string \"...\"");
    // keep only the category and the location so no token can leak through.
    let category = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!(
                "syntax error at line {} column {}",
                inner.line(),
                inner.column()
            )
        }
        serde_json::error::Category::Data => {
            let msg = inner.to_string();
            if msg.starts_with("missing field") {
                msg.split(" at line")
                    .next()
                    .unwrap_or("missing field")
                    .to_string()
            } else {
                "unexpected type or value".to_string()
            }
        }
        serde_json::error::Category::Io => "read error".to_string(),
    };
    if path == "." || path.is_empty() {
        category
    } else {
        format!("{category} at `{path}`")
    }
}

/// Builds the error for a non-2xx response, with the OAuth error code and
/// description when the body carries them (RFC 6749 §5.2).
pub fn status_error(endpoint: Endpoint, response: &HttpResponse) -> HttpError {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: String,
        error_description: Option<String>,
    }
    let parsed: Option<OAuthError> = serde_json::from_slice(&response.body).ok();
    let (detail, oauth_error) = match parsed {
        Some(e) => {
            let code = sanitize_text(&e.error, 64);
            let detail = match e.error_description {
                Some(d) if !d.is_empty() => format!(": {code} ({})", sanitize_text(&d, 200)),
                _ => format!(": {code}"),
            };
            (detail, Some(code))
        }
        None if (300..400).contains(&response.status) => (
            " (a redirect; Tessera does not follow redirects from providers)".to_string(),
            None,
        ),
        None => (String::new(), None),
    };
    HttpError::Status {
        endpoint,
        status: response.status,
        detail,
        oauth_error,
    }
}

/// Keeps provider-supplied text printable, single-line and short.
pub fn sanitize_text(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cleaned.chars().count() > max {
        let cut: String = cleaned.chars().take(max).collect();
        format!("{cut}…")
    } else {
        cleaned
    }
}

/// A URL without its query and fragment, safe for logs and errors.
pub fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    if u.query().is_some() {
        u.set_query(Some("…"));
    }
    u.set_fragment(None);
    let _ = u.set_password(None);
    u.to_string()
}

/// Whether the host is a loopback address or `localhost`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Refuses plain http off loopback unless the profile allows it.
pub fn check_endpoint_url(
    endpoint: Endpoint,
    url: &Url,
    allow_insecure_http: bool,
) -> Result<(), HttpError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_insecure_http || is_loopback_host(url) => Ok(()),
        _ => Err(HttpError::InsecureUrl {
            endpoint,
            url: redact_url(url),
        }),
    }
}

/// The production transport: reqwest over rustls with redirects disabled
/// (a redirect could send a code or token to another origin).
#[derive(Debug, Clone)]
pub struct ReqwestClient {
    inner: reqwest::Client,
}

/// The largest response body Tessera reads from a provider.
const MAX_BODY: usize = 8 * 1024 * 1024;

impl ReqwestClient {
    /// Builds a client, trusting `extra_ca` (a PEM file with one or more
    /// certificates) in addition to the system and Mozilla roots.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, HttpError> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("tessera/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = extra_ca {
            let pem = std::fs::read(path).map_err(|e| {
                HttpError::Setup(format!("cannot read CA file {}: {e}", path.display()))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| {
                HttpError::Setup(format!(
                    "CA file {} holds no PEM certificate",
                    path.display()
                ))
            })?;
            if certs.is_empty() {
                return Err(HttpError::Setup(format!(
                    "CA file {} holds no PEM certificate",
                    path.display()
                )));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let inner = builder
            .build()
            .map_err(|e| HttpError::Setup(e.without_url().to_string()))?;
        Ok(Self { inner })
    }
}

impl HttpClient for ReqwestClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let endpoint = request.endpoint;
            let origin = request.url.origin().ascii_serialization();
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Patch => reqwest::Method::PATCH,
                Method::Delete => reqwest::Method::DELETE,
                Method::Head => reqwest::Method::HEAD,
                Method::Options => reqwest::Method::OPTIONS,
            };
            let mut builder = self.inner.request(method, request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let connect_error = |e: reqwest::Error| HttpError::Connect {
                endpoint,
                origin: origin.clone(),
                reason: describe_reqwest_error(e),
            };
            let mut response = builder.send().await.map_err(connect_error)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(connect_error)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(HttpError::TooLarge {
                        endpoint,
                        limit_mib: MAX_BODY >> 20,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// reqwest's message plus its innermost cause, without the URL (the URL of a
/// request can carry a query the user should not see in an error).
fn describe_reqwest_error(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    let mut innermost = None;
    while let Some(s) = source {
        innermost = Some(s.to_string());
        source = s.source();
    }
    if let Some(inner) = innermost {
        if !reason.contains(&inner) {
            reason = format!("{reason}: {inner}");
        }
    }
    reason
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

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn status_error_names_the_endpoint_and_oauth_error() {
        let e = status_error(
            Endpoint::Token,
            &response(
                400,
                r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            ),
        );
        assert_eq!(
            e.to_string(),
            "token endpoint returned HTTP 400: invalid_grant (grant request is invalid)",
            "the message should say which endpoint failed and why"
        );
        assert_eq!(e.oauth_error(), Some("invalid_grant"));
    }

    #[test]
    fn status_error_without_oauth_body_is_just_the_status() {
        let e = status_error(Endpoint::Token, &response(500, "<html>oops</html>"));
        assert_eq!(e.to_string(), "token endpoint returned HTTP 500");
    }

    #[test]
    fn invalid_json_error_does_not_quote_the_body() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            access_token: u32,
        }
        let e =
            parse_json::<T>(Endpoint::Token, br#"{"access_token":"SECRET-VALUE"}"#).unwrap_err();
        let msg = e.to_string();
        assert!(
            !msg.contains("SECRET-VALUE"),
            "the body value leaked into: {msg}"
        );
        assert!(
            msg.contains("access_token"),
            "the field should be named: {msg}"
        );
        let e = parse_json::<T>(Endpoint::Token, b"garbage SECRET").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("token endpoint returned a response that is not valid JSON"));
        assert!(!e.to_string().contains("SECRET"));
    }

    #[test]
    fn plain_http_is_refused_off_loopback_unless_allowed() {
        let local = Url::parse("http://127.0.0.1:9090/").unwrap();
        let localhost = Url::parse("http://localhost:9090/").unwrap();
        let remote = Url::parse("http://idp.example.com/").unwrap();
        assert!(check_endpoint_url(Endpoint::Discovery, &local, false).is_ok());
        assert!(check_endpoint_url(Endpoint::Discovery, &localhost, false).is_ok());
        assert!(check_endpoint_url(Endpoint::Discovery, &remote, false).is_err());
        assert!(check_endpoint_url(Endpoint::Discovery, &remote, true).is_ok());
    }

    #[test]
    fn redact_url_drops_query_values() {
        let u = Url::parse("http://127.0.0.1:1/callback?code=abc&state=xyz").unwrap();
        let r = redact_url(&u);
        assert!(!r.contains("abc") && !r.contains("xyz"), "{r}");
    }
}
