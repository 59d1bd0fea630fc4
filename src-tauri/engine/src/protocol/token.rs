//! The token endpoint: code exchange and refresh, with client authentication
//! (none, `client_secret_basic` or `client_secret_post`). Shared by revocation
//! and introspection, which authenticate the same way.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::seams::http::{parse_json, Endpoint, Http, HttpError, HttpRequest};
use crate::secret::SecretString;

/// How the client authenticates at the token endpoint when it has a secret.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ClientAuth"))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// HTTP Basic (RFC 6749 §2.3.1), the default.
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

/// Who the client is at the provider's endpoints.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// The client id: in the form, or in the Basic header when the secret goes there.
    pub client_id: String,
    /// The secret, for confidential clients.
    pub secret: Option<SecretString>,
    /// How the secret is sent; ignored when there is no secret.
    pub method: ClientAuthMethod,
}

impl ClientCredentials {
    /// Builds a form POST with this client's authentication.
    pub fn post(&self, endpoint: Endpoint, url: Url, form: &[(&str, &str)]) -> HttpRequest {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        match (&self.secret, self.method) {
            (None, _) => fields.push(("client_id", &self.client_id)),
            (Some(secret), ClientAuthMethod::ClientSecretPost) => {
                fields.push(("client_id", &self.client_id));
                fields.push(("client_secret", secret.expose()));
            }
            (Some(_), ClientAuthMethod::ClientSecretBasic) => {}
        }
        let request = HttpRequest::post_form(endpoint, url, &fields);
        match (&self.secret, self.method) {
            (Some(secret), ClientAuthMethod::ClientSecretBasic) => {
                // RFC 6749 §2.3.1: both parts form-urlencoded before Basic.
                let enc = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                let pair = format!("{}:{}", enc(&self.client_id), enc(secret.expose()));
                request.header(
                    "authorization",
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair)
                    ),
                )
            }
            _ => request,
        }
    }
}

/// A successful token response.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The access token; a response with an empty one is refused.
    pub access_token: SecretString,
    /// `token_type` as the provider spelled it, usually `Bearer`.
    pub token_type: String,
    /// `expires_in`: lifetime in seconds from issue; a numeric string is accepted too.
    pub expires_in: Option<i64>,
    /// Refresh token (a new one means rotation).
    pub refresh_token: Option<SecretString>,
    /// The ID token, not yet validated; `None` when absent or empty (common after a refresh).
    pub id_token: Option<SecretString>,
    /// Granted scopes, if the provider says.
    pub scope: Option<String>,
}

impl TokenResponse {
    /// The scopes granted: the response's `scope`, or `requested` when the
    /// provider omits it (RFC 6749 §5.1: then it granted what was asked).
    pub fn granted_scopes(&self, requested: &[String]) -> Vec<String> {
        match &self.scope {
            Some(s) => s.split_whitespace().map(str::to_owned).collect(),
            None => requested.to_vec(),
        }
    }
}

#[derive(Deserialize)]
struct RawTokenResponse {
    access_token: String,
    token_type: String,
    #[serde(default)]
    expires_in: Option<Value>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

async fn request_tokens(http: &Http, request: HttpRequest) -> Result<TokenResponse, HttpError> {
    let response = http.send(request).await?;
    let raw: RawTokenResponse = parse_json(Endpoint::Token, &response.body)?;
    if raw.access_token.is_empty() {
        return Err(HttpError::InvalidJson {
            endpoint: Endpoint::Token,
            reason: "empty access_token".into(),
        });
    }
    // Some providers send expires_in as a string.
    let expires_in = raw.expires_in.and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    });
    Ok(TokenResponse {
        access_token: raw.access_token.into(),
        token_type: raw.token_type,
        expires_in,
        refresh_token: raw.refresh_token.filter(|t| !t.is_empty()).map(Into::into),
        id_token: raw.id_token.filter(|t| !t.is_empty()).map(Into::into),
        scope: raw.scope,
    })
}

/// Exchanges an authorization code (with the PKCE verifier).
pub async fn exchange_code(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    code: &SecretString,
    code_verifier: &SecretString,
    redirect_uri: &str,
) -> Result<TokenResponse, HttpError> {
    let request = client.post(
        Endpoint::Token,
        token_url,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier.expose()),
        ],
    );
    request_tokens(http, request).await
}

/// Uses a refresh token.
pub async fn refresh(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    refresh_token: &SecretString,
) -> Result<TokenResponse, HttpError> {
    let request = client.post(
        Endpoint::Token,
        token_url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ],
    );
    request_tokens(http, request).await
}

/// Which token to revoke or introspect.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// The ID token (shown and copied; never sent to revocation or
    /// introspection, which RFC 7009 and 7662 define for the other two).
    Id,
    /// The access token, which APIs receive in the `Authorization` header.
    Access,
    /// The refresh token; RFC 7009 says revoking it should also end its grant's access tokens.
    Refresh,
}

impl TokenKind {
    /// The RFC 7009 / 7662 `token_type_hint` (`id_token` has none; it is
    /// never sent).
    pub fn hint(self) -> &'static str {
        match self {
            TokenKind::Id => "id_token",
            TokenKind::Access => "access_token",
            TokenKind::Refresh => "refresh_token",
        }
    }

    /// "ID token", "access token", "refresh token".
    pub fn noun(self) -> &'static str {
        match self {
            TokenKind::Id => "ID token",
            TokenKind::Access => "access token",
            TokenKind::Refresh => "refresh token",
        }
    }
}

/// Revokes a token at the RFC 7009 endpoint, sending `kind` as the `token_type_hint`.
pub async fn revoke(
    http: &Http,
    url: Url,
    client: &ClientCredentials,
    token: &SecretString,
    kind: TokenKind,
) -> Result<(), HttpError> {
    let request = client.post(
        Endpoint::Revocation,
        url,
        &[("token", token.expose()), ("token_type_hint", kind.hint())],
    );
    http.send(request).await.map(|_| ())
}

/// Whether a failed revocation means the provider does not let this client
/// revoke (some refuse RFC 7009 requests from public clients with 401 or
/// `invalid_client`), rather than a passing fault; returns the HTTP status.
pub fn revocation_refused(e: &HttpError) -> Option<u16> {
    match e {
        HttpError::Status { status, .. }
            if matches!(status, 401 | 403)
                || matches!(
                    e.oauth_error(),
                    Some("invalid_client" | "unauthorized_client")
                ) =>
        {
            Some(*status)
        }
        _ => None,
    }
}

/// RFC 7662 introspection; returns the provider's JSON.
pub async fn introspect(
    http: &Http,
    url: Url,
    client: &ClientCredentials,
    token: &SecretString,
    kind: TokenKind,
) -> Result<serde_json::Map<String, Value>, HttpError> {
    let request = client.post(
        Endpoint::Introspection,
        url,
        &[("token", token.expose()), ("token_type_hint", kind.hint())],
    );
    let (value, _) = http.send_json(request).await?;
    Ok(value)
}

/// Fetches userinfo with the access token in the Authorization header.
pub async fn userinfo(
    http: &Http,
    url: Url,
    access_token: &SecretString,
) -> Result<serde_json::Map<String, Value>, HttpError> {
    let request = HttpRequest::get(Endpoint::Userinfo, url)
        .header("authorization", format!("Bearer {}", access_token.expose()));
    let response = http.send(request).await?;
    if response
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("application/jwt"))
    {
        return Err(HttpError::InvalidJson {
            endpoint: Endpoint::Userinfo,
            reason: "signed (JWT) userinfo responses are not supported yet".into(),
        });
    }
    parse_json(Endpoint::Userinfo, &response.body)
}

/// The RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0).
pub fn end_session_url(
    endpoint: &Url,
    id_token_hint: Option<&SecretString>,
    client_id: &str,
    post_logout_redirect_uri: Option<&str>,
) -> Url {
    let mut url = endpoint.clone();
    {
        let mut q = url.query_pairs_mut();
        if let Some(hint) = id_token_hint {
            q.append_pair("id_token_hint", hint.expose());
        }
        q.append_pair("client_id", client_id);
        if let Some(uri) = post_logout_redirect_uri {
            q.append_pair("post_logout_redirect_uri", uri);
            q.append_pair("state", crate::protocol::authorize::random_token().expose());
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(req: &HttpRequest) -> String {
        String::from_utf8(req.body.clone().unwrap()).unwrap()
    }

    #[test]
    fn public_clients_send_client_id_in_the_body() {
        let c = ClientCredentials {
            client_id: "tessera".into(),
            secret: None,
            method: ClientAuthMethod::ClientSecretBasic,
        };
        let r = c.post(
            Endpoint::Token,
            Url::parse("https://idp/token").unwrap(),
            &[("grant_type", "x")],
        );
        assert!(body(&r).contains("client_id=tessera"));
        assert!(!r.headers.iter().any(|(k, _)| k == "authorization"));
    }

    #[test]
    fn basic_auth_form_encodes_both_parts() {
        let c = ClientCredentials {
            client_id: "my client".into(),
            secret: Some("p@ss:word".into()),
            method: ClientAuthMethod::ClientSecretBasic,
        };
        let r = c.post(
            Endpoint::Token,
            Url::parse("https://idp/token").unwrap(),
            &[("grant_type", "x")],
        );
        let auth = &r
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim_start_matches("Basic "))
            .unwrap();
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            "my+client:p%40ss%3Aword"
        );
        assert!(
            !body(&r).contains("client_secret"),
            "basic auth keeps the secret out of the body"
        );
        assert!(
            !format!("{r:?}").contains("p@ss"),
            "Debug output of a request has no secret"
        );
    }

    #[test]
    fn post_auth_puts_the_secret_in_the_body() {
        let c = ClientCredentials {
            client_id: "c".into(),
            secret: Some("s3".into()),
            method: ClientAuthMethod::ClientSecretPost,
        };
        let r = c.post(
            Endpoint::Token,
            Url::parse("https://idp/token").unwrap(),
            &[],
        );
        assert!(body(&r).contains("client_secret=s3"));
    }

    #[test]
    fn end_session_url_carries_hint_client_and_redirect() {
        let url = end_session_url(
            &Url::parse("https://idp/logout").unwrap(),
            Some(&"idt".into()),
            "tessera",
            Some("http://127.0.0.1/logged-out"),
        );
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert!(q.contains(&("id_token_hint".into(), "idt".into())));
        assert!(q.contains(&("client_id".into(), "tessera".into())));
        assert!(q.contains(&(
            "post_logout_redirect_uri".into(),
            "http://127.0.0.1/logged-out".into()
        )));
    }
}
