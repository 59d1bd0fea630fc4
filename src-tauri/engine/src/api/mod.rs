//! Calling an API with the session's access token: the request a user
//! edits, the bearer token added at send time (refreshed first when it is
//! about to expire), RFC 6750 `WWW-Authenticate` challenges parsed, one
//! retry after a refresh on `invalid_token`, and "Copy as curl".
//!
//! The token is added to the outgoing request only; it is never part of an
//! [`ApiRequest`], a saved request or a curl command unless the user asks
//! for it inline ([`CurlToken::Inline`]).

//!
//! | file | what |
//! |---|---|
//! | this one | the request model and [`ApiError`] |
//! | `call` | [`Engine::call_api`](crate::Engine::call_api): check, send, refresh and retry once |
//! | `response` | a response as shown: status text, a body view cut at [`MAX_VIEW_BYTES`] |
//! | `curl` | "Copy as curl" |
//! | [`saved`] | saved requests, never with a credential |

mod call;
mod curl;
mod response;
pub mod saved;

use serde::{Deserialize, Serialize};

pub use crate::protocol::challenge::{parse_www_authenticate, BearerChallenge};
use crate::seams::http::HttpError;
use crate::session::refresh::RefreshError;
pub use call::{ApiOutcome, CallOptions};
pub use curl::{curl_command, CurlToken};
pub use response::{BodyView, MAX_VIEW_BYTES};

/// A name/value row (query parameter, header, form field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameValue {
    /// Name as typed; header names are trimmed and sent lower-case.
    pub name: String,
    /// Value as typed; query and form values are percent-encoded when sent.
    pub value: String,
    /// Switched off rows are kept but not sent.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl NameValue {
    /// A row with `enabled` set, so it is sent.
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            value: value.to_string(),
            enabled: true,
        }
    }
}

/// A request body; each kind but `None` sets `content-type` unless a header already does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum ApiBody {
    /// No body and no `content-type`, as for a GET.
    None,
    /// JSON text (checked before sending).
    Json(String),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<NameValue>),
    /// Any text with its content type.
    Raw {
        /// Sent as `content-type` unless a header sets one, e.g. `text/plain`.
        content_type: String,
        /// Sent as is, as UTF-8 bytes.
        text: String,
    },
}

/// A request as a user writes it; the access token is not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRequest {
    /// HTTP method name, matched case-insensitively, e.g. `GET`.
    pub method: String,
    /// URL, possibly with a query already.
    pub url: String,
    /// Extra query parameters.
    #[serde(default)]
    pub query: Vec<NameValue>,
    /// Extra headers; an enabled `Authorization` header replaces the session's token.
    #[serde(default)]
    pub headers: Vec<NameValue>,
    /// The body; none when missing from saved JSON.
    #[serde(default = "no_body")]
    pub body: ApiBody,
}

fn no_body() -> ApiBody {
    ApiBody::None
}

impl ApiRequest {
    /// A request with no query rows, headers or body.
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
    /// Unique per profile: saving under an existing name replaces that request.
    pub name: String,
    /// The request, refused at save time if it carries a credential.
    pub request: ApiRequest,
}

/// Why a request could not be sent. Messages never carry header values or
/// bodies.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The method is not one Tessera sends; holds it as typed.
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
        /// 1-based line of the first syntax error in the JSON body.
        line: usize,
        /// 1-based column of the first syntax error in the JSON body.
        column: usize,
    },
    /// A body file could not be read (CLI `-d @file`).
    #[error("cannot read the body file {path}: {reason}")]
    BodyFile {
        /// The path as given, e.g. `body.json` from `-d @body.json`.
        path: String,
        /// The OS error's message.
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
    /// No response came (network, TLS, timeout, size); an error status is still an [`ApiOutcome`].
    #[error(transparent)]
    Http(#[from] HttpError),
    /// `requests.json` could not be read, parsed or written.
    #[error("cannot {action} {path}: {reason}")]
    File {
        /// Verb for the message, e.g. `read`, `parse` or `replace`.
        action: &'static str,
        /// Path of `requests.json`.
        path: String,
        /// The OS or JSON error's message.
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

#[cfg(test)]
mod tests;
