//! The HTTP log: every exchange with a provider or an API, held in memory
//! and bounded, with secrets redacted before anything is stored.
//!
//! [`RecordingClient`] wraps the transport seam ([`HttpClient`]), so every
//! call the engine makes (discovery, JWKS, token, userinfo, revocation,
//! introspection, API calls) lands here without the operations knowing. The
//! redaction is structural, not a list of known values: whatever the tokens
//! are, they sit in places this module knows (the `Authorization` header,
//! the `code`, `refresh_token` and `token` form fields, the token response's
//! members), plus a catch-all for anything shaped like a JWT.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::Value;
use url::Url;

use crate::seams::clock::Clock;
use crate::seams::http::{
    BoxFuture, Endpoint, HttpClient, HttpError, HttpRequest, HttpResponse, Method,
};

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// How many exchanges the log keeps by default.
pub const DEFAULT_CAPACITY: usize = 200;

/// The most body text kept per request or response.
pub const MAX_LOGGED_BODY: usize = 64 * 1024;

/// Form fields, query parameters and JSON members whose values are secret.
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "id_token_hint",
    "token",
    "code",
    "code_verifier",
    "client_secret",
    "client_assertion",
    "assertion",
    "subject_token",
    "actor_token",
    "device_code",
    "password",
    "state",
    "nonce",
    "session_state",
];

/// Headers whose values are secret.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "dpop",
    "x-api-key",
];

/// Headers whose value is a URL, whose parameters are redacted by name.
const URL_HEADERS: &[&str] = &["location", "content-location", "refresh"];

/// A header as the log keeps it; a secret value never reaches the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedHeader {
    /// Header name, lower-cased, e.g. `content-type`.
    pub name: String,
    /// Value, redacted when secret.
    pub value: String,
}

/// One request and its response (or why none came), as the log keeps it.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Starts at 1 and increases; [`HttpLog::entry`] finds it while it is kept.
    pub id: u64,
    /// When it started, Unix milliseconds.
    pub at_ms: i64,
    /// Which endpoint was called, e.g. the token endpoint or an API.
    pub endpoint: Endpoint,
    /// HTTP method as sent, upper-case, e.g. `POST`.
    pub method: String,
    /// The URL with secret query values redacted.
    pub url: String,
    /// Request headers, redacted.
    pub request_headers: Vec<LoggedHeader>,
    /// Request body, redacted.
    pub request_body: Option<String>,
    /// Status, when a response came.
    pub status: Option<u16>,
    /// Why no response came.
    pub error: Option<String>,
    /// Response headers, redacted.
    pub response_headers: Vec<LoggedHeader>,
    /// Response body, redacted and cut at [`MAX_LOGGED_BODY`].
    pub response_body: Option<String>,
    /// The response body was cut.
    pub response_truncated: bool,
    /// Time to the whole response.
    pub duration_ms: f64,
    /// The operation it was made for ([`crate::seams::operations`]).
    pub operation: Option<u64>,
}

type Listener = Box<dyn Fn(&LogEntry) + Send + Sync>;

/// The bounded in-memory log.
pub struct HttpLog {
    entries: Mutex<VecDeque<LogEntry>>,
    capacity: usize,
    next_id: AtomicU64,
    listeners: Mutex<Vec<Listener>>,
}

impl std::fmt::Debug for HttpLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpLog")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl Default for HttpLog {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl HttpLog {
    /// A log that keeps the last `capacity` exchanges.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
            capacity: capacity.max(1),
            next_id: AtomicU64::new(1),
            listeners: Mutex::new(Vec::new()),
        }
    }

    /// Calls `listener` with every new entry (the desktop forwards them to
    /// the window).
    pub fn subscribe(&self, listener: impl Fn(&LogEntry) + Send + Sync + 'static) {
        if let Ok(mut l) = self.listeners.lock() {
            l.push(Box::new(listener));
        }
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries
            .lock()
            .map(|e| e.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// One entry by id, if still kept.
    pub fn entry(&self, id: u64) -> Option<LogEntry> {
        self.entries
            .lock()
            .ok()
            .and_then(|e| e.iter().find(|x| x.id == id).cloned())
    }

    /// Drops every entry; ids keep increasing, so none is reused.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    fn record(&self, mut entry: LogEntry) {
        entry.id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut entries) = self.entries.lock() {
            while entries.len() >= self.capacity {
                entries.pop_front();
            }
            entries.push_back(entry.clone());
        }
        if let Ok(listeners) = self.listeners.lock() {
            for l in listeners.iter() {
                l(&entry);
            }
        }
    }
}

/// A transport that records every exchange in an [`HttpLog`].
pub struct RecordingClient {
    inner: Arc<dyn HttpClient>,
    log: Arc<HttpLog>,
    clock: Arc<dyn Clock>,
}

impl RecordingClient {
    /// Wraps `inner`; entries are timestamped by `clock`.
    pub fn new(inner: Arc<dyn HttpClient>, log: Arc<HttpLog>, clock: Arc<dyn Clock>) -> Self {
        Self { inner, log, clock }
    }
}

impl HttpClient for RecordingClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            // Redact before sending: the request is moved into the transport.
            let content_type = header_value(&request.headers, "content-type");
            let mut entry = LogEntry {
                id: 0,
                at_ms: self.clock.now_ms(),
                endpoint: request.endpoint,
                method: method_name(request.method).to_string(),
                url: redact_url_query(&request.url),
                request_headers: redact_headers(&request.headers),
                request_body: request
                    .body
                    .as_deref()
                    .map(|b| redact_body(b, content_type.as_deref()).0),
                status: None,
                error: None,
                response_headers: Vec::new(),
                response_body: None,
                response_truncated: false,
                duration_ms: 0.0,
                operation: crate::seams::operations::current(),
            };
            let started = Instant::now();
            let result = self.inner.send(request).await;
            entry.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
            match &result {
                Ok(response) => {
                    entry.status = Some(response.status);
                    entry.response_headers = redact_headers(&response.headers);
                    if !response.body.is_empty() {
                        let (body, cut) =
                            redact_body(&response.body, response.header("content-type"));
                        entry.response_body = Some(body);
                        entry.response_truncated = cut;
                    }
                }
                Err(e) => entry.error = Some(e.to_string()),
            }
            self.log.record(entry);
            result
        })
    }
}

fn method_name(m: Method) -> &'static str {
    m.as_str()
}

fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Headers with secret values replaced. `Authorization` keeps its scheme
/// (`Bearer [redacted]`), which is what a user debugging it needs to see.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<LoggedHeader> {
    headers
        .iter()
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            let value = if SECRET_HEADERS.contains(&lower.as_str()) {
                match value.split_once(' ') {
                    Some((scheme, _)) if lower.ends_with("authorization") => {
                        format!("{scheme} {REDACTED}")
                    }
                    _ => REDACTED.to_string(),
                }
            } else if URL_HEADERS.contains(&lower.as_str()) {
                // A redirect can carry the code, state or tokens in its query
                // or fragment, like the callback it stands for.
                redact_location(value)
            } else {
                redact_jwts(value)
            };
            LoggedHeader { name: lower, value }
        })
        .collect()
}

/// The URL with the values of secret query parameters replaced.
pub fn redact_url_query(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_password(None);
    u.set_fragment(None);
    if u.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_name(&k) {
                    REDACTED.to_string()
                } else {
                    redact_jwts(&v)
                };
                (k.into_owned(), v)
            })
            .collect();
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

/// A URL (absolute or relative) with the values of secret parameters in its
/// query and fragment replaced, as a `Location` header carries it.
fn redact_location(value: &str) -> String {
    let base = Url::parse("http://relative.invalid/").ok();
    let (url, relative) = match Url::parse(value) {
        Ok(u) => (u, false),
        Err(_) => match base.as_ref().and_then(|b| b.join(value).ok()) {
            Some(u) => (u, true),
            None => return redact_named_values(value),
        },
    };
    let mut u = url.clone();
    let _ = u.set_password(None);
    if u.query().is_some() {
        u.set_query(Some(&redact_form(url.query().unwrap_or_default())));
    }
    if let Some(fragment) = url.fragment() {
        u.set_fragment(Some(&redact_form(fragment)));
    }
    let text = u.to_string();
    match relative {
        true => text
            .trim_start_matches("http://relative.invalid")
            .to_string(),
        false => text,
    }
}

/// Replaces the value after every secret name in text that is neither JSON
/// nor a form (a truncated or malformed token response, say): `name": "v`,
/// `name=v`, `name: v`. It errs on the side of hiding.
fn redact_named_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut hide: Vec<(usize, usize)> = Vec::new();
    for name in SECRET_NAMES {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name) {
            let start = from + found;
            let mut i = start + name.len();
            from = i;
            // A whole name: not part of a longer word.
            let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            if (start > 0 && word(bytes[start - 1])) || (i < bytes.len() && word(bytes[i])) {
                continue;
            }
            while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b' ') {
                i += 1;
            }
            if i >= bytes.len() || !matches!(bytes[i], b':' | b'=') {
                continue;
            }
            i += 1;
            while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b' ') {
                i += 1;
            }
            let value_start = i;
            while i < bytes.len()
                && !matches!(
                    bytes[i],
                    b'"' | b'\'' | b'&' | b',' | b'}' | b' ' | b'\n' | b'\r'
                )
            {
                i += 1;
            }
            if i > value_start {
                hide.push((value_start, i));
            }
        }
    }
    hide.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in hide {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(REDACTED);
        at = end;
    }
    out.push_str(&text[at..]);
    redact_jwts(&out)
}

/// A body as text with secrets replaced, cut at [`MAX_LOGGED_BODY`];
/// returns whether it was cut.
pub fn redact_body(body: &[u8], content_type: Option<&str>) -> (String, bool) {
    let Ok(text) = std::str::from_utf8(body) else {
        return (format!("({} bytes of binary data)", body.len()), false);
    };
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let redacted = if ct.starts_with("application/x-www-form-urlencoded") {
        redact_form(text)
    } else if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        redact_json(&mut value);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else if looks_like_form(text) {
        redact_form(text)
    } else {
        redact_named_values(text)
    };
    if redacted.len() > MAX_LOGGED_BODY {
        let mut cut = MAX_LOGGED_BODY;
        while !redacted.is_char_boundary(cut) {
            cut -= 1;
        }
        (redacted[..cut].to_string(), true)
    } else {
        (redacted, false)
    }
}

fn looks_like_form(text: &str) -> bool {
    !text.is_empty()
        && !text.contains(char::is_whitespace)
        && text.split('&').all(|p| p.contains('='))
}

fn redact_form(text: &str) -> String {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| {
            let v = if is_secret_name(&k) {
                REDACTED.to_string()
            } else {
                redact_jwts(&v)
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Replaces secret members (at any depth) and JWT-shaped strings.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_name(k) && !v.is_null() && !v.is_boolean() {
                    *v = Value::String(REDACTED.to_string());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(s) => {
            let r = redact_jwts(s);
            if r != *s {
                *s = r;
            }
        }
        _ => {}
    }
}

fn is_b64url(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Replaces anything shaped like a compact JWS or JWE (`eyJ…` base64url
/// segments joined by dots) with `[redacted JWT]`, wherever it appears.
pub fn redact_jwts(text: &str) -> String {
    if !text.contains("eyJ") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("eyJ") {
        let starts_word = rest[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_b64url(c));
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| !(is_b64url(c) || c == '.'))
            .unwrap_or(candidate.len());
        let token = &candidate[..end];
        let dots = token.matches('.').count();
        if starts_word && (dots == 2 || dots == 4) && token.len() >= 16 {
            out.push_str(&rest[..start]);
            out.push_str("[redacted JWT]");
        } else {
            out.push_str(&rest[..start + end.max(3)]);
        }
        rest = &candidate[end.max(3)..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_carrying_the_code_and_state_is_stored_without_them() {
        let h = redact_headers(&[
            (
                "Location".into(),
                "http://127.0.0.1:5000/callback?code=SECRET-CODE&state=SECRET-STATE&iss=https%3A%2F%2Fidp".into(),
            ),
            ("location".into(), "/cb#access_token=SECRET-AT&token_type=Bearer".into()),
        ]);
        let text = format!("{h:?}");
        for secret in ["SECRET-CODE", "SECRET-STATE", "SECRET-AT"] {
            assert!(
                !text.contains(secret),
                "{secret} must not reach the log: {text}"
            );
        }
        assert!(
            text.contains("iss=https"),
            "harmless parameters stay readable: {text}"
        );
        assert!(
            text.contains("\"/cb#"),
            "a relative location stays relative: {text}"
        );
    }

    #[test]
    fn a_token_response_that_is_not_json_still_loses_its_tokens_by_name() {
        let truncated =
            r#"{"access_token":"opaque-AT-123","token_type":"Bearer","refresh_token":"opaque-RT"#;
        let (body, _) = redact_body(truncated.as_bytes(), Some("application/json"));
        assert!(
            !body.contains("opaque-AT-123") && !body.contains("opaque-RT"),
            "opaque tokens are hidden by their names even when the JSON is broken: {body}"
        );
        assert!(
            body.contains("token_type"),
            "the rest stays readable: {body}"
        );
        let (yaml, _) = redact_body(
            b"access_token: opaque-AT-9\ntoken_type: Bearer",
            Some("text/plain"),
        );
        assert!(!yaml.contains("opaque-AT-9"), "{yaml}");
        let (word, _) = redact_body(b"tokens=3 is not a token", Some("text/plain"));
        assert_eq!(
            word, "tokens=3 is not a token",
            "a name inside a longer word is not a secret name"
        );
    }

    #[test]
    fn authorization_headers_keep_their_scheme_and_lose_their_value() {
        let h = redact_headers(&[
            ("Authorization".into(), "Bearer abc.def".into()),
            ("cookie".into(), "sid=1".into()),
            ("accept".into(), "application/json".into()),
        ]);
        assert_eq!(
            h[0].value, "Bearer [redacted]",
            "the scheme helps; the token must go"
        );
        assert_eq!(h[1].value, REDACTED, "cookies are secret");
        assert_eq!(h[2].value, "application/json", "ordinary headers stay");
    }

    #[test]
    fn secret_form_fields_are_redacted_and_the_rest_kept() {
        let (body, cut) = redact_body(
            b"grant_type=authorization_code&code=C0DE&code_verifier=V3R&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&client_secret=S",
            Some("application/x-www-form-urlencoded"),
        );
        assert!(!cut, "short bodies are kept whole");
        for secret in ["C0DE", "V3R", "=S&", "=S"] {
            assert!(
                !body.ends_with("=S") && !body.contains(secret),
                "{secret} leaked: {body}"
            );
        }
        assert!(body.contains("grant_type=authorization_code"), "{body}");
        assert!(body.contains("redirect_uri=http://127.0.0.1/cb"), "{body}");
    }

    #[test]
    fn token_responses_lose_every_token_at_any_depth() {
        let (body, _) = redact_body(
            br#"{"access_token":"AT-123","token_type":"Bearer","refresh_token":"RT-456","nested":{"id_token":"x.y.z"},"expires_in":60}"#,
            Some("application/json"),
        );
        for secret in ["AT-123", "RT-456", "x.y.z"] {
            assert!(!body.contains(secret), "{secret} leaked: {body}");
        }
        assert!(
            body.contains("\"expires_in\": 60"),
            "other members stay: {body}"
        );
        assert!(
            body.contains("\"token_type\": \"Bearer\""),
            "token_type is not a token: {body}"
        );
    }

    #[test]
    fn anything_shaped_like_a_jwt_is_redacted_anywhere() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        let text = format!("echo: {jwt}, and eyJ alone stays");
        let out = redact_jwts(&text);
        assert!(!out.contains(jwt), "{out}");
        assert!(
            out.contains("[redacted JWT]") && out.contains("eyJ alone stays"),
            "{out}"
        );
        let url = Url::parse(&format!(
            "https://idp.test/logout?id_token_hint={jwt}&client_id=app&state=s1"
        ))
        .unwrap();
        let logged = redact_url_query(&url);
        assert!(
            !logged.contains("eyJhbGci") && !logged.contains("s1"),
            "{logged}"
        );
        assert!(logged.contains("client_id=app"), "{logged}");
    }

    #[test]
    fn the_log_keeps_only_the_last_entries() {
        let log = HttpLog::new(2);
        for i in 0..3 {
            log.record(LogEntry {
                id: 0,
                at_ms: i,
                endpoint: Endpoint::Api,
                method: "GET".into(),
                url: format!("http://127.0.0.1/{i}"),
                request_headers: vec![],
                request_body: None,
                status: Some(200),
                error: None,
                response_headers: vec![],
                response_body: None,
                response_truncated: false,
                duration_ms: 1.0,
                operation: None,
            });
        }
        let urls: Vec<String> = log.entries().into_iter().map(|e| e.url).collect();
        assert_eq!(
            urls,
            ["http://127.0.0.1/1", "http://127.0.0.1/2"],
            "oldest dropped first"
        );
        assert!(log.entry(1).is_none(), "the first id is gone");
    }

    #[test]
    fn large_bodies_are_cut_and_marked() {
        let big = "a".repeat(MAX_LOGGED_BODY + 10);
        let (body, cut) = redact_body(big.as_bytes(), Some("text/plain"));
        assert!(cut, "cut is reported");
        assert_eq!(body.len(), MAX_LOGGED_BODY, "cut at the limit");
    }
}
