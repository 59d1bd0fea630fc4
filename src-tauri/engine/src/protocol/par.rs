//! Pushed authorization requests (RFC 9126): the authorization request goes
//! to the provider first, over the back channel with the client's
//! authentication (and a DPoP proof for a DPoP profile), and the browser
//! gets only `client_id` and the `request_uri` that names it.

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::protocol::token::{send_as_client, ClientCredentials};
use crate::seams::http::{parse_json_object, Endpoint, Http, HttpError};

/// The provider's answer to a push.
#[derive(Debug, Clone)]
pub struct PushedRequest {
    /// The reference the browser carries to the authorization endpoint.
    pub request_uri: String,
    /// Seconds it stays valid.
    pub expires_in: i64,
}

#[derive(Deserialize)]
struct RawPushed {
    request_uri: String,
    expires_in: Value,
}

/// Pushes the request's parameters (or one `request` object); `client_id`
/// is added by the client's authentication, never twice.
pub async fn push(
    http: &Http,
    url: Url,
    client: &ClientCredentials,
    params: &[(String, String)],
) -> Result<PushedRequest, HttpError> {
    let form: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k != "client_id")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = send_as_client(http, client, Endpoint::PushedAuthorization, url, &form).await?;
    let raw: RawPushed = parse_json_object(Endpoint::PushedAuthorization, &response.body)?;
    let expires_in = raw
        .expires_in
        .as_i64()
        .or_else(|| raw.expires_in.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(60);
    if raw.request_uri.is_empty() {
        return Err(HttpError::InvalidJson {
            endpoint: Endpoint::PushedAuthorization,
            reason: "empty request_uri".into(),
        });
    }
    Ok(PushedRequest {
        request_uri: raw.request_uri,
        expires_in,
    })
}

/// What the browser opens after a push: only `client_id` and `request_uri`.
pub fn authorization_url(endpoint: &Url, client_id: &str, pushed: &PushedRequest) -> Url {
    crate::protocol::authorize::with_query(
        endpoint,
        &[
            ("client_id".into(), client_id.into()),
            ("request_uri".into(), pushed.request_uri.clone()),
        ],
    )
}
