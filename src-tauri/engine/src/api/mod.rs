//! Calling an API with the session's access token: the request a user
//! edits, the bearer token added at send time (refreshed first when it is
//! about to expire), RFC 6750 `WWW-Authenticate` challenges parsed, one
//! retry after a refresh on `invalid_token`, and "Copy as curl".
//!
//! The token is added to the outgoing request only; it is never part of an
//! [`ApiRequest`], a saved request or a curl command unless the user asks
//! for it inline ([`CurlToken::Inline`]).

pub mod saved;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::Engine;
pub use crate::protocol::challenge::{parse_www_authenticate, BearerChallenge};
use crate::seams::http::{
    check_endpoint_url, Endpoint, HttpError, HttpRequest, HttpResponse, Method,
    DEFAULT_CALL_TIMEOUT,
};
use crate::secret::SecretString;
use crate::session::refresh::RefreshError;
use crate::session::Session;

/// A name/value row (query parameter, header, form field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameValue {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Switched off rows are kept but not sent.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl NameValue {
    /// An enabled row.
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            value: value.to_string(),
            enabled: true,
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum ApiBody {
    /// No body.
    None,
    /// JSON text (checked before sending).
    Json(String),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<NameValue>),
    /// Any text with its content type.
    Raw {
        /// Content type.
        content_type: String,
        /// Text.
        text: String,
    },
}

/// A request as a user writes it; the access token is not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRequest {
    /// `GET`, `POST`…
    pub method: String,
    /// URL, possibly with a query already.
    pub url: String,
    /// Extra query parameters.
    #[serde(default)]
    pub query: Vec<NameValue>,
    /// Headers.
    #[serde(default)]
    pub headers: Vec<NameValue>,
    /// Body.
    #[serde(default = "no_body")]
    pub body: ApiBody,
}

fn no_body() -> ApiBody {
    ApiBody::None
}

impl ApiRequest {
    /// A bodiless request.
    pub fn new(method: &str, url: &str) -> Self {
        Self {
            method: method.to_string(),
            url: url.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            body: ApiBody::None,
        }
    }
}

/// A request saved under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRequest {
    /// Unique per profile.
    pub name: String,
    /// The request.
    pub request: ApiRequest,
}

/// Why a request could not be sent. Messages never carry header values or
/// bodies.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Unknown method.
    #[error("unknown HTTP method \"{0}\"; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS")]
    Method(String),
    /// The URL does not parse.
    #[error("the URL is not valid ({0}); write it in full, e.g. https://api.example.com/me")]
    Url(String),
    /// Plain http to a remote host would expose the token.
    #[error("refusing to send the access token over plain http to {0}; use https, or set allow_insecure_http on the profile for a trusted development API")]
    InsecureUrl(String),
    /// A header name or value HTTP does not allow.
    #[error("header \"{0}\" is not a valid HTTP header name or value")]
    Header(String),
    /// The JSON body does not parse.
    #[error("the JSON body is not valid JSON (line {line}, column {column}); fix it or send it as raw text")]
    Json {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// A body file could not be read (CLI `-d @file`).
    #[error("cannot read the body file {path}: {reason}")]
    BodyFile {
        /// Path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A saved request would store a credential in a plain file.
    #[error("saved requests never store credentials: remove the {0} (Tessera adds the access token when it sends the request)")]
    CredentialInRequest(&'static str),
    /// No such saved request.
    #[error("no saved request named \"{0}\"")]
    NoSavedRequest(String),
    /// Getting or refreshing the token failed (boxed: it is large).
    #[error(transparent)]
    Token(Box<RefreshError>),
    /// The call failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The saved-requests file.
    #[error("cannot {action} {path}: {reason}")]
    File {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl crate::error::EngineError for ApiError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            ApiError::Token(e) => e.kind(),
            ApiError::Http(e) => e.kind(),
            ApiError::InsecureUrl(_) => ErrorKind::InvalidProfile,
            ApiError::File { .. } | ApiError::BodyFile { .. } => ErrorKind::Io,
            _ => ErrorKind::InvalidInput,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            ApiError::Token(e) => e.facts(),
            ApiError::Http(e) => e.facts(),
            _ => crate::error::ErrorFacts::default(),
        }
    }
}

impl From<RefreshError> for ApiError {
    fn from(e: RefreshError) -> Self {
        ApiError::Token(Box::new(e))
    }
}

/// How [`Engine::call_api`] behaves.
#[derive(Debug, Clone, Copy)]
pub struct CallOptions {
    /// Refresh the session before sending, even if the token is valid
    /// (the panel's "retry after refresh").
    pub refresh_first: bool,
    /// On a 401 a refresh could fix, refresh and send once more (the CLI).
    pub retry_after_refresh: bool,
    /// The time limit for the call.
    pub timeout: Duration,
}

impl Default for CallOptions {
    fn default() -> Self {
        Self {
            refresh_first: false,
            retry_after_refresh: false,
            timeout: DEFAULT_CALL_TIMEOUT,
        }
    }
}

/// What came back.
#[derive(Debug, Clone)]
pub struct ApiOutcome {
    /// The response, whatever its status.
    pub response: HttpResponse,
    /// Time from sending to the whole response (the last attempt).
    pub duration: Duration,
    /// The URL as sent, query included.
    pub url: String,
    /// The access token was refreshed for this call.
    pub refreshed: bool,
    /// The first challenge of a 401 or 403.
    pub challenge: Option<BearerChallenge>,
    /// A 401 a refresh might fix, and the session can refresh.
    pub retry_after_refresh: bool,
}

/// A body ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyView {
    /// Pretty JSON or the text, cut at [`MAX_VIEW_BYTES`].
    pub text: String,
    /// It was JSON.
    pub is_json: bool,
    /// It was cut.
    pub truncated: bool,
}

/// The most body text a response view shows; the whole body can be saved.
pub const MAX_VIEW_BYTES: usize = 256 * 1024;

impl HttpResponse {
    /// The reason phrase for the status.
    pub fn status_text(&self) -> &'static str {
        reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    }

    /// The body as shown: pretty-printed when JSON, cut when large.
    pub fn body_view(&self) -> BodyView {
        let ct = self
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let json_type = ct.contains("json");
        let parsed = if json_type || self.body.first().is_some_and(|b| *b == b'{' || *b == b'[') {
            serde_json::from_slice::<serde_json::Value>(&self.body).ok()
        } else {
            None
        };
        let (text, is_json) = match parsed {
            Some(v) => (serde_json::to_string_pretty(&v).unwrap_or_default(), true),
            None => match std::str::from_utf8(&self.body) {
                Ok(t) => (t.to_string(), false),
                Err(_) => (
                    format!(
                        "({} bytes of binary data; save the body to see it)",
                        self.body.len()
                    ),
                    false,
                ),
            },
        };
        if text.len() > MAX_VIEW_BYTES {
            let mut cut = MAX_VIEW_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            BodyView {
                text: text[..cut].to_string(),
                is_json,
                truncated: true,
            }
        } else {
            BodyView {
                text,
                is_json,
                truncated: false,
            }
        }
    }
}

/// A request checked and turned into what goes on the wire (less the token).
struct Prepared {
    method: Method,
    url: Url,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    user_authorization: bool,
}

fn prepare(request: &ApiRequest, allow_insecure_http: bool) -> Result<Prepared, ApiError> {
    let method =
        Method::parse(&request.method).ok_or_else(|| ApiError::Method(request.method.clone()))?;
    let mut url = Url::parse(request.url.trim()).map_err(|e| ApiError::Url(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::Url(format!(
            "scheme {} is not http or https",
            url.scheme()
        )));
    }
    if check_endpoint_url(Endpoint::Api, &url, allow_insecure_http).is_err() {
        return Err(ApiError::InsecureUrl(
            url.host_str().unwrap_or("the host").to_string(),
        ));
    }
    let query: Vec<&NameValue> = request.query.iter().filter(|q| q.enabled).collect();
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for q in query {
            pairs.append_pair(&q.name, &q.value);
        }
    }
    let mut headers = Vec::new();
    let mut user_authorization = false;
    for h in request.headers.iter().filter(|h| h.enabled) {
        let name = h.name.trim();
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
            || reqwest::header::HeaderValue::from_str(&h.value).is_err()
        {
            return Err(ApiError::Header(crate::seams::http::sanitize_text(
                name, 40,
            )));
        }
        if name.eq_ignore_ascii_case("authorization") {
            user_authorization = true;
        }
        headers.push((name.to_ascii_lowercase(), h.value.clone()));
    }
    let has = |headers: &[(String, String)], n: &str| headers.iter().any(|(k, _)| k == n);
    let (body, content_type) = match &request.body {
        ApiBody::None => (None, None),
        ApiBody::Json(text) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                return Err(ApiError::Json {
                    line: e.line(),
                    column: e.column(),
                });
            }
            (Some(text.clone().into_bytes()), Some("application/json"))
        }
        ApiBody::Form(fields) => {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(
                    fields
                        .iter()
                        .filter(|f| f.enabled)
                        .map(|f| (&f.name, &f.value)),
                )
                .finish();
            (
                Some(body.into_bytes()),
                Some("application/x-www-form-urlencoded"),
            )
        }
        ApiBody::Raw { content_type, text } => {
            (Some(text.clone().into_bytes()), Some(content_type.as_str()))
        }
    };
    if let Some(ct) = content_type {
        if !has(&headers, "content-type") {
            headers.push(("content-type".into(), ct.to_string()));
        }
    }
    if !has(&headers, "accept") {
        headers.push(("accept".into(), "application/json, */*;q=0.5".into()));
    }
    Ok(Prepared {
        method,
        url,
        headers,
        body,
        user_authorization,
    })
}

impl Engine {
    /// Sends `request` with the profile's access token as a bearer token,
    /// refreshing it first when it is about to expire.
    pub async fn call_api(
        &self,
        profile: Option<&str>,
        request: &ApiRequest,
        options: CallOptions,
    ) -> Result<ApiOutcome, ApiError> {
        let profile = self.profile(profile).map_err(RefreshError::from)?;
        let prepared = prepare(request, profile.allow_insecure_http)?;
        let http = self
            .http_for(profile.ca_file.as_deref())
            .map_err(RefreshError::from)?
            .with_call_timeout(options.timeout);
        let started_at = self.now();
        // A user-written Authorization header wins: the panel is also for
        // trying a token by hand.
        let mut session: Option<Session> = None;
        let mut refreshed = false;
        if !prepared.user_authorization {
            let s = if options.refresh_first {
                refreshed = true;
                self.refresh(Some(&profile.name)).await?.session
            } else {
                let s = self.access_token(Some(&profile.name)).await?;
                refreshed = s.obtained_at >= started_at && s.signed_in_at < s.obtained_at;
                s
            };
            session = Some(s);
        }
        let (mut response, mut duration) = send(&http, &prepared, session.as_ref()).await?;
        let mut challenge = challenge_of(&response);
        let can_refresh = session.as_ref().is_some_and(|s| s.refresh_token.is_some());
        let mut retry = response.status == 401
            && can_refresh
            && challenge
                .as_ref()
                .is_none_or(BearerChallenge::fixable_by_refresh);
        if retry && options.retry_after_refresh {
            tracing::debug!("API answered 401; refreshing and retrying once");
            let s = self.refresh(Some(&profile.name)).await?.session;
            refreshed = true;
            (response, duration) = send(&http, &prepared, Some(&s)).await?;
            challenge = challenge_of(&response);
            retry = false;
        }
        Ok(ApiOutcome {
            url: prepared.url.to_string(),
            response,
            duration,
            refreshed,
            challenge,
            retry_after_refresh: retry,
        })
    }
}

async fn send(
    http: &crate::seams::http::Http,
    prepared: &Prepared,
    session: Option<&Session>,
) -> Result<(HttpResponse, Duration), HttpError> {
    let mut headers = prepared.headers.clone();
    if let Some(s) = session {
        let scheme = if s.token_type.eq_ignore_ascii_case("bearer") || s.token_type.is_empty() {
            "Bearer"
        } else {
            s.token_type.as_str()
        };
        headers.push((
            "authorization".into(),
            format!("{scheme} {}", s.access_token.expose()),
        ));
    }
    let request = HttpRequest {
        endpoint: Endpoint::Api,
        method: prepared.method,
        url: prepared.url.clone(),
        headers,
        body: prepared.body.clone(),
    };
    let started = Instant::now();
    let response = http.send_raw(request).await?;
    Ok((response, started.elapsed()))
}

fn challenge_of(response: &HttpResponse) -> Option<BearerChallenge> {
    if response.status != 401 && response.status != 403 {
        return None;
    }
    let header = response.header("www-authenticate")?;
    let challenges = parse_www_authenticate(header);
    challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("bearer"))
        .or(challenges.first())
        .cloned()
}

/// How "Copy as curl" writes the token.
#[derive(Debug, Clone, Copy)]
pub enum CurlToken<'a> {
    /// `$(tessera token --profile X)`: the command fetches a fresh token
    /// when it runs, and the copied text holds no secret.
    Substitution {
        /// Profile.
        profile: &'a str,
    },
    /// The token itself, on explicit request.
    Inline(&'a SecretString),
}

impl Engine {
    /// The request as a curl command for `profile`: with `inline`, carrying
    /// a valid access token (refreshed first when needed, which is published
    /// like any refresh); otherwise a `$(tessera token …)` substitution that
    /// fetches one when the command runs.
    pub async fn curl_for(
        &self,
        profile: &str,
        request: &ApiRequest,
        inline: bool,
    ) -> Result<String, ApiError> {
        if inline {
            let session = self.access_token(Some(profile)).await?;
            curl_command(request, CurlToken::Inline(&session.access_token))
        } else {
            curl_command(request, CurlToken::Substitution { profile })
        }
    }
}

/// The request as a curl command for a POSIX shell.
pub fn curl_command(request: &ApiRequest, token: CurlToken<'_>) -> Result<String, ApiError> {
    // Loopback and plain-http checks do not apply: the command is only text.
    let prepared = prepare(request, true)?;
    let mut parts: Vec<String> = vec!["curl".into()];
    match prepared.method {
        Method::Get => {}
        Method::Head => parts.push("--head".into()),
        m => {
            parts.push("-X".into());
            parts.push(m.as_str().into());
        }
    }
    parts.push(shell_words::quote(prepared.url.as_str()).into_owned());
    let mut lines = vec![parts.join(" ")];
    if !prepared.user_authorization {
        lines.push(match token {
            CurlToken::Substitution { profile } => format!(
                "-H \"Authorization: Bearer $(tessera token --profile {})\"",
                shell_words::quote(profile).into_owned()
            ),
            CurlToken::Inline(t) => format!(
                "-H {}",
                shell_words::quote(&format!("Authorization: Bearer {}", t.expose())).into_owned()
            ),
        });
    }
    for (name, value) in &prepared.headers {
        if name == "accept" && value.starts_with("application/json, */*") {
            continue;
        }
        lines.push(format!(
            "-H {}",
            shell_words::quote(&format!("{}: {value}", title_case(name))).into_owned()
        ));
    }
    if let Some(body) = &prepared.body {
        lines.push(format!(
            "--data-raw {}",
            shell_words::quote(&String::from_utf8_lossy(body)).into_owned()
        ));
    }
    Ok(lines.join(" \\\n  "))
}

fn title_case(header: &str) -> String {
    header
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests;
