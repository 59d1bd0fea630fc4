//! The API-call panel's types: the request as edited, the response as shown,
//! and saved requests. The access token is added by Rust when the request is
//! sent; it is never part of these types.

use serde::{Deserialize, Serialize};
use tessera_engine::api::{
    ApiBody, ApiOutcome, ApiRequest, BearerChallenge, NameValue, SavedRequest as EngineSaved,
};

use super::inspector::HeaderView;

/// A name/value row (query parameter, header, form field) that can be
/// switched off without deleting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct KeyValue {
    pub name: String,
    pub value: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    None,
    Json,
    Form,
    Raw,
}

/// The request as the panel edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ApiRequestForm {
    pub method: String,
    pub url: String,
    pub query: Vec<KeyValue>,
    pub headers: Vec<KeyValue>,
    pub body_kind: BodyKind,
    /// The JSON or raw text body.
    pub body: String,
    /// Form fields when `body_kind` is `form`.
    pub form: Vec<KeyValue>,
    /// Content type of a raw body; `text/plain` when empty.
    pub content_type: String,
}

fn enabled(rows: &[KeyValue]) -> Vec<NameValue> {
    rows.iter()
        .filter(|r| !r.name.trim().is_empty())
        .map(|r| NameValue {
            name: r.name.trim().to_string(),
            value: r.value.clone(),
            enabled: r.enabled,
        })
        .collect()
}

fn rows(pairs: &[NameValue]) -> Vec<KeyValue> {
    pairs
        .iter()
        .map(|p| KeyValue {
            name: p.name.clone(),
            value: p.value.clone(),
            enabled: p.enabled,
        })
        .collect()
}

impl From<&ApiRequestForm> for ApiRequest {
    fn from(f: &ApiRequestForm) -> Self {
        ApiRequest {
            method: f.method.trim().to_ascii_uppercase(),
            url: f.url.trim().to_string(),
            query: enabled(&f.query),
            headers: enabled(&f.headers),
            body: match f.body_kind {
                BodyKind::None => ApiBody::None,
                BodyKind::Json => ApiBody::Json(f.body.clone()),
                BodyKind::Form => ApiBody::Form(enabled(&f.form)),
                BodyKind::Raw => ApiBody::Raw {
                    content_type: match f.content_type.trim() {
                        "" => "text/plain".to_string(),
                        t => t.to_string(),
                    },
                    text: f.body.clone(),
                },
            },
        }
    }
}

impl From<&ApiRequest> for ApiRequestForm {
    fn from(r: &ApiRequest) -> Self {
        let (body_kind, body, form, content_type) = match &r.body {
            ApiBody::None => (BodyKind::None, String::new(), vec![], String::new()),
            ApiBody::Json(text) => (BodyKind::Json, text.clone(), vec![], String::new()),
            ApiBody::Form(pairs) => (BodyKind::Form, String::new(), rows(pairs), String::new()),
            ApiBody::Raw { content_type, text } => {
                (BodyKind::Raw, text.clone(), vec![], content_type.clone())
            }
        };
        Self {
            method: r.method.clone(),
            url: r.url.clone(),
            query: rows(&r.query),
            headers: rows(&r.headers),
            body_kind,
            body,
            form,
            content_type,
        }
    }
}

/// A `WWW-Authenticate` challenge, parsed (RFC 6750 §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ChallengeView {
    pub scheme: String,
    pub realm: Option<String>,
    /// `invalid_token`, `insufficient_scope`, `invalid_request`.
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub scope: Option<String>,
    /// What the error means and what to do, for known errors.
    pub advice: Option<String>,
    /// RFC 9728 §5.1: where the API's protected resource metadata is; the
    /// panel then offers to set up sign-in for this API.
    pub resource_metadata: Option<String>,
}

impl From<&BearerChallenge> for ChallengeView {
    fn from(c: &BearerChallenge) -> Self {
        Self {
            scheme: c.scheme.clone(),
            realm: c.param("realm").map(String::from),
            error: c.param("error").map(String::from),
            error_description: c.param("error_description").map(String::from),
            scope: c.param("scope").map(String::from),
            advice: c.advice().map(String::from),
            resource_metadata: c.param("resource_metadata").map(String::from),
        }
    }
}

/// The response as the panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ApiResponseView {
    /// Keys `api_save_response`.
    #[cfg_attr(test, ts(type = "number"))]
    pub id: u64,
    pub status: u16,
    pub status_text: String,
    pub duration_ms: f64,
    /// Bytes of the whole body.
    #[cfg_attr(test, ts(type = "number"))]
    pub size: u64,
    pub headers: Vec<HeaderView>,
    /// Pretty-printed when JSON; cut at the view limit when large.
    pub body: String,
    pub is_json: bool,
    pub truncated: bool,
    /// The URL as sent, query included.
    pub url: String,
    /// The access token was refreshed before sending.
    pub refreshed: bool,
    /// Parsed `WWW-Authenticate` on a 401 or 403.
    pub challenge: Option<ChallengeView>,
    /// A 401 that a refresh might fix: the panel offers one retry.
    pub retry_after_refresh: bool,
}

impl ApiResponseView {
    pub fn new(id: u64, o: &ApiOutcome) -> Self {
        let view = o.response.body_view();
        Self {
            id,
            status: o.response.status,
            status_text: o.response.status_text().to_string(),
            duration_ms: o.duration.as_secs_f64() * 1000.0,
            size: o.response.body.len() as u64,
            headers: o
                .response
                .headers
                .iter()
                .map(|(name, value)| HeaderView {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            body: view.text,
            is_json: view.is_json,
            truncated: view.truncated,
            url: o.url.clone(),
            refreshed: o.refreshed,
            challenge: o.challenge.as_ref().map(ChallengeView::from),
            retry_after_refresh: o.retry_after_refresh,
        }
    }
}

/// A request saved under a name, per profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SavedRequest {
    pub name: String,
    pub request: ApiRequestForm,
}

impl From<&EngineSaved> for SavedRequest {
    fn from(s: &EngineSaved) -> Self {
        Self {
            name: s.name.clone(),
            request: (&s.request).into(),
        }
    }
}

impl From<&SavedRequest> for EngineSaved {
    fn from(s: &SavedRequest) -> Self {
        Self {
            name: s.name.trim().to_string(),
            request: (&s.request).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, value: &str, enabled: bool) -> KeyValue {
        KeyValue {
            name: name.into(),
            value: value.into(),
            enabled,
        }
    }

    #[test]
    fn a_saved_form_comes_back_as_it_was_edited_including_switched_off_rows() {
        let form = ApiRequestForm {
            method: "post".into(),
            url: " https://api.test/items ".into(),
            query: vec![row("page", "2", true), row("debug", "1", false)],
            headers: vec![row("X-Trace", "abc", false), row("  ", "dropped", true)],
            body_kind: BodyKind::Form,
            body: String::new(),
            form: vec![row("a", "1", true), row("b", "2", false)],
            content_type: String::new(),
        };
        let engine = ApiRequest::from(&form);
        assert_eq!(engine.method, "POST", "methods are upper-cased");
        assert_eq!(engine.url, "https://api.test/items", "the URL is trimmed");
        let back = ApiRequestForm::from(&engine);
        assert_eq!(back.query, form.query, "switched-off rows survive a save");
        assert_eq!(
            back.headers,
            vec![row("X-Trace", "abc", false)],
            "rows without a name are dropped"
        );
        assert_eq!(back.form, form.form, "form fields keep their switches");
        assert_eq!(back.body_kind, BodyKind::Form);
    }

    #[test]
    fn a_raw_body_without_a_content_type_is_sent_as_plain_text() {
        let form = ApiRequestForm {
            method: "PUT".into(),
            url: "https://api.test/".into(),
            query: vec![],
            headers: vec![],
            body_kind: BodyKind::Raw,
            body: "hello".into(),
            form: vec![],
            content_type: " ".into(),
        };
        assert_eq!(
            ApiRequest::from(&form).body,
            ApiBody::Raw {
                content_type: "text/plain".into(),
                text: "hello".into()
            },
            "a raw body needs a content type; text/plain is the honest default"
        );
    }
}
