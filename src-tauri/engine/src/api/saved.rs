//! Saved API requests, per profile, in `requests.json` beside the profile
//! file. They hold no credentials: Tessera adds the access token when it
//! sends a request, and refuses to save an `Authorization` header or a body
//! that carries a JWT, because this is a plain file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::{ApiBody, ApiError, SavedRequest};
use crate::engine::Engine;
use crate::seams::http_log::redact_jwts;

const FILE: &str = "requests.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedFile {
    #[serde(default)]
    profiles: BTreeMap<String, Vec<SavedRequest>>,
}

fn io_error(action: &'static str, path: &std::path::Path, e: impl std::fmt::Display) -> ApiError {
    ApiError::File {
        action,
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Parts of a name that mark its value as a credential (`X-Auth-Token`,
/// `api_key`, `client_secret`, `Ocp-Apim-Subscription-Key`, …).
const CREDENTIAL_NAME_PARTS: &[&str] = &[
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "session",
    "signature",
    "credential",
    "apikey",
    "api_key",
    "api-key",
    "subscription-key",
    "private",
];

/// Whether a header, query or form name says its value is a credential.
fn is_credential_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    name == "key" || name == "sig" || CREDENTIAL_NAME_PARTS.iter().any(|p| name.contains(p))
}

/// Whether a value looks like a generated secret: long, from a token
/// alphabet, and more random than an identifier (a UUID or a hex digest,
/// at most 4 bits a character, passes).
fn looks_like_secret_value(value: &str) -> bool {
    let v = value.trim();
    if v.len() < 24
        || !v.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '=' | '.' | '~')
        })
    {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    for c in v.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = v.chars().count() as f64;
    let entropy: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    entropy > 4.3
}

/// The first credential-like string in a JSON value: a member named like a
/// credential, or a value that looks generated.
fn json_credential(value: &serde_json::Value) -> Option<&'static str> {
    match value {
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if is_credential_name(k) && !v.is_null() && !v.is_boolean() {
                Some("credential-named member in the body")
            } else {
                json_credential(v)
            }
        }),
        serde_json::Value::Array(items) => items.iter().find_map(json_credential),
        serde_json::Value::String(s) if looks_like_secret_value(s) => {
            Some("secret-looking value in the body")
        }
        _ => None,
    }
}

/// Refuses requests that would put a credential in the file: by name
/// (headers, query and form fields, JSON members), by shape (JWTs, URL
/// user info) and by randomness (generated keys).
fn check_no_credentials(saved: &SavedRequest) -> Result<(), ApiError> {
    let r = &saved.request;
    for h in &r.headers {
        if is_credential_name(&h.name) {
            return Err(ApiError::CredentialInRequest(
                "Authorization, Cookie, token or API-key header",
            ));
        }
        if redact_jwts(&h.value) != h.value || looks_like_secret_value(&h.value) {
            return Err(ApiError::CredentialInRequest("secret-looking header value"));
        }
    }
    let mut params: Vec<(String, String)> = r
        .query
        .iter()
        .map(|q| (q.name.clone(), q.value.clone()))
        .collect();
    if let Ok(url) = url::Url::parse(r.url.trim()) {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ApiError::CredentialInRequest(
                "user name or password in the URL",
            ));
        }
        params.extend(
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    if let ApiBody::Form(fields) = &r.body {
        params.extend(fields.iter().map(|f| (f.name.clone(), f.value.clone())));
    }
    for (name, value) in &params {
        if is_credential_name(name) && !value.is_empty() {
            return Err(ApiError::CredentialInRequest("credential-named parameter"));
        }
        if redact_jwts(value) != *value || looks_like_secret_value(value) {
            return Err(ApiError::CredentialInRequest(
                "secret-looking parameter value",
            ));
        }
    }
    let text = match &r.body {
        ApiBody::Json(t) | ApiBody::Raw { text: t, .. } => t.as_str(),
        ApiBody::None | ApiBody::Form(_) => "",
    };
    if redact_jwts(text) != text || redact_jwts(&r.url) != r.url {
        return Err(ApiError::CredentialInRequest("JWT in the URL or body"));
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        if let Some(what) = json_credential(&json) {
            return Err(ApiError::CredentialInRequest(what));
        }
    } else if text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&'))
        .any(looks_like_secret_value)
    {
        return Err(ApiError::CredentialInRequest(
            "secret-looking value in the body",
        ));
    }
    Ok(())
}

impl Engine {
    fn requests_path(&self) -> PathBuf {
        self.paths().config_dir.join(FILE)
    }

    fn load_saved(&self) -> Result<SavedFile, ApiError> {
        let path = self.requests_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| io_error("parse", &path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SavedFile::default()),
            Err(e) => Err(io_error("read", &path, e)),
        }
    }

    fn store_saved(&self, file: &SavedFile) -> Result<(), ApiError> {
        let path = self.requests_path();
        let text =
            serde_json::to_string_pretty(file).map_err(|e| io_error("serialise", &path, e))?;
        crate::seams::private_files::write_private_atomically(&path, text.as_bytes())
            .map_err(|e| io_error("write", &path, e))
    }

    /// A profile's saved requests, by name.
    pub fn saved_requests(&self, profile: &str) -> Result<Vec<SavedRequest>, ApiError> {
        Ok(self
            .load_saved()?
            .profiles
            .remove(profile)
            .unwrap_or_default())
    }

    /// Saves (or replaces, by name) a request for a profile.
    pub fn save_request(
        &self,
        profile: &str,
        saved: SavedRequest,
    ) -> Result<Vec<SavedRequest>, ApiError> {
        check_no_credentials(&saved)?;
        let mut file = self.load_saved()?;
        let list = file.profiles.entry(profile.to_string()).or_default();
        list.retain(|s| s.name != saved.name);
        list.push(saved);
        list.sort_by_key(|s| s.name.to_lowercase());
        let out = list.clone();
        self.store_saved(&file)?;
        Ok(out)
    }

    /// Deletes a saved request.
    pub fn delete_request(&self, profile: &str, name: &str) -> Result<Vec<SavedRequest>, ApiError> {
        let mut file = self.load_saved()?;
        let list = file.profiles.entry(profile.to_string()).or_default();
        let before = list.len();
        list.retain(|s| s.name != name);
        if list.len() == before {
            return Err(ApiError::NoSavedRequest(name.to_string()));
        }
        let out = list.clone();
        self.store_saved(&file)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiRequest, NameValue};

    fn saved(request: ApiRequest) -> SavedRequest {
        SavedRequest {
            name: "r".into(),
            request,
        }
    }

    #[test]
    fn credentials_are_refused_by_name_by_place_and_by_randomness() {
        let mut header = ApiRequest::new("GET", "https://api.test/me");
        header.headers.push(NameValue::new("X-Auth-Token", "abc"));
        let user_info = ApiRequest::new("GET", "https://dana:hunter2@api.test/me");
        let api_key = ApiRequest::new("GET", "https://api.test/me?api_key=abc");
        let mut random = ApiRequest::new("GET", "https://api.test/me");
        random.query.push(NameValue::new(
            "q",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dcZ8Xq2B",
        ));
        let json = ApiRequest {
            body: ApiBody::Json(r#"{"user": {"password": "hunter2"}}"#.into()),
            ..ApiRequest::new("POST", "https://api.test/login")
        };
        for (what, request) in [
            ("an X-Auth-Token header", header),
            ("user:pass@ in the URL", user_info),
            ("?api_key= in the URL", api_key),
            ("a generated key as a value", random),
            ("a password member in a JSON body", json),
        ] {
            assert!(
                matches!(
                    check_no_credentials(&saved(request)),
                    Err(ApiError::CredentialInRequest(_))
                ),
                "{what} must not reach the plain requests file"
            );
        }
    }

    #[test]
    fn ordinary_requests_with_ids_and_digests_are_saved() {
        let mut r = ApiRequest::new(
            "GET",
            "https://api.test/items/3f2b8c1e-9d4a-4b7e-8f21-6c0d5e4a1b2c?sort=name",
        );
        r.headers.push(NameValue::new("Accept", "application/json"));
        r.query
            .push(NameValue::new("etag", "9a0364b9e99bb480dd25e1f0284c8555"));
        r.body = ApiBody::Json(r#"{"name": "Dana", "tags": ["a", "b"]}"#.into());
        assert!(
            check_no_credentials(&saved(r)).is_ok(),
            "a UUID, a hex digest and plain names are not credentials"
        );
    }
}
