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

/// Refuses requests that would put a credential in the file.
fn check_no_credentials(saved: &SavedRequest) -> Result<(), ApiError> {
    let r = &saved.request;
    for h in &r.headers {
        let name = h.name.trim().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "authorization" | "proxy-authorization" | "cookie" | "dpop" | "x-api-key"
        ) {
            return Err(ApiError::CredentialInRequest(
                "Authorization, Cookie or API-key header",
            ));
        }
        if redact_jwts(&h.value) != h.value {
            return Err(ApiError::CredentialInRequest("JWT in a header"));
        }
    }
    let texts: Vec<&str> = match &r.body {
        ApiBody::None => vec![],
        ApiBody::Json(t) | ApiBody::Raw { text: t, .. } => vec![t.as_str()],
        ApiBody::Form(fields) => fields.iter().map(|f| f.value.as_str()).collect(),
    };
    let query: Vec<&str> = r
        .query
        .iter()
        .map(|q| q.value.as_str())
        .chain([r.url.as_str()])
        .collect();
    if texts
        .iter()
        .chain(query.iter())
        .any(|t| redact_jwts(t) != *t)
    {
        return Err(ApiError::CredentialInRequest(
            "JWT in the URL, query or body",
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
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error("create the directory of", &path, e))?;
        }
        let text =
            serde_json::to_string_pretty(file).map_err(|e| io_error("serialise", &path, e))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(|e| io_error("write", &path, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io_error("replace", &path, e))
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
