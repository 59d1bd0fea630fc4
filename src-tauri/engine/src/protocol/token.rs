//! The token endpoint: code exchange, refresh, client credentials, the
//! device code and token exchange, with client authentication (none, a
//! secret in Basic or the form, `client_secret_jwt`, `private_key_jwt`, or
//! mutual TLS). Shared by revocation and introspection, which authenticate
//! the same way.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::protocol::assertion::{self, JWT_BEARER};
use crate::protocol::client_key::ClientKey;
use std::sync::Arc;

use crate::protocol::dpop::{self, ProofFor};
use crate::seams::http::{
    parse_json, parse_json_object, status_error, Endpoint, Http, HttpError, HttpRequest,
    HttpResponse,
};
use crate::seams::nonces::DpopNonces;
use crate::secret::SecretString;

/// How the client authenticates at the provider's endpoints (RFC 7591's
/// `token_endpoint_auth_method` names).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ClientAuth"))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// A public client: only `client_id` in the form.
    None,
    /// HTTP Basic (RFC 6749 §2.3.1), the default; a profile without a
    /// stored secret is a public client.
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
    /// An HS256 assertion keyed with the client secret (RFC 7523).
    ClientSecretJwt,
    /// An assertion signed with the client's own key (RFC 7523).
    PrivateKeyJwt,
    /// A client certificate from a CA the provider trusts (RFC 8705 §2.1).
    TlsClientAuth,
    /// A self-signed client certificate registered with the provider (RFC 8705 §2.2).
    SelfSignedTlsClientAuth,
}

impl ClientAuthMethod {
    /// The RFC 7591 name, e.g. `private_key_jwt`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMethod::None => "none",
            ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
            ClientAuthMethod::ClientSecretPost => "client_secret_post",
            ClientAuthMethod::ClientSecretJwt => "client_secret_jwt",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
            ClientAuthMethod::TlsClientAuth => "tls_client_auth",
            ClientAuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
        }
    }

    /// Whether the client authenticates with its TLS certificate (RFC 8705).
    pub fn is_mutual_tls(self) -> bool {
        matches!(
            self,
            ClientAuthMethod::TlsClientAuth | ClientAuthMethod::SelfSignedTlsClientAuth
        )
    }

    /// Whether the method needs the client secret.
    pub fn uses_secret(self) -> bool {
        matches!(
            self,
            ClientAuthMethod::ClientSecretBasic
                | ClientAuthMethod::ClientSecretPost
                | ClientAuthMethod::ClientSecretJwt
        )
    }
}

/// Who the client is at the provider's endpoints, and how it proves it.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// The client id: in the form, or in the Basic header when the secret goes there.
    pub client_id: String,
    /// The secret, for `client_secret_*` methods.
    pub secret: Option<SecretString>,
    /// The client's key, for `private_key_jwt`.
    pub key: Option<ClientKey>,
    /// How the client authenticates. Basic or post without a secret is a public client.
    pub method: ClientAuthMethod,
    /// The `aud` of assertions, already resolved against the provider's metadata.
    pub assertion_audience: String,
    /// Now, for the assertion's `iat` and `exp`.
    pub now: i64,
    /// When the profile binds its tokens with DPoP: the key every token
    /// request proves, and the servers' nonces.
    pub dpop: Option<DpopBinding>,
}

/// A profile's DPoP key and where the servers' nonces are remembered.
#[derive(Debug, Clone)]
pub struct DpopBinding {
    /// The DPoP key (its private half from the keyring).
    pub key: ClientKey,
    /// The latest nonce per server.
    pub nonces: Arc<DpopNonces>,
}

impl DpopBinding {
    /// A proof for a request to `url`, with the server's latest nonce.
    pub fn proof_for(
        &self,
        method: &str,
        url: &Url,
        now: i64,
        access_token: Option<&SecretString>,
    ) -> Result<SecretString, HttpError> {
        let nonce = self
            .nonces
            .get(&dpop::nonce_key(url, access_token.is_some()));
        dpop::proof(
            &self.key,
            &ProofFor {
                method,
                url,
                now,
                nonce: nonce.as_deref(),
                access_token,
            },
        )
        .map_err(|e| HttpError::Setup(e.to_string()))
    }

    /// Remembers the nonce a response from `url` carried, if any, for
    /// the next request of the same kind (with or without an access token).
    pub fn remember_nonce(&self, url: &Url, with_access_token: bool, response: &HttpResponse) {
        if let Some(nonce) = response.header(dpop::NONCE_HEADER) {
            self.nonces
                .put(&dpop::nonce_key(url, with_access_token), nonce);
        }
    }
}

impl ClientCredentials {
    /// A public client (no secret, no key): only `client_id` in the form.
    pub fn public(client_id: &str) -> Self {
        Self {
            client_id: client_id.to_string(),
            secret: None,
            key: None,
            method: ClientAuthMethod::None,
            assertion_audience: String::new(),
            now: 0,
            dpop: None,
        }
    }

    /// Builds a form POST with this client's authentication. Assertions are
    /// made per request, each with a fresh `jti`.
    pub fn post(
        &self,
        endpoint: Endpoint,
        url: Url,
        form: &[(&str, &str)],
    ) -> Result<HttpRequest, HttpError> {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        let assertion = match (self.method, &self.secret, &self.key) {
            (ClientAuthMethod::ClientSecretJwt, Some(secret), _) => {
                Some(assertion::client_secret_jwt(
                    secret,
                    &self.client_id,
                    &self.assertion_audience,
                    self.now,
                ))
            }
            (ClientAuthMethod::PrivateKeyJwt, _, Some(key)) => Some(
                assertion::private_key_jwt(
                    key,
                    &self.client_id,
                    &self.assertion_audience,
                    self.now,
                )
                .map_err(|e| HttpError::Setup(e.to_string()))?,
            ),
            _ => None,
        };
        let basic = match (self.method, &self.secret) {
            (ClientAuthMethod::ClientSecretBasic, Some(secret)) => Some(secret),
            _ => None,
        };
        if basic.is_none() {
            fields.push(("client_id", &self.client_id));
        }
        if let (ClientAuthMethod::ClientSecretPost, Some(secret)) = (self.method, &self.secret) {
            fields.push(("client_secret", secret.expose()));
        }
        if let Some(assertion) = &assertion {
            fields.push(("client_assertion_type", JWT_BEARER));
            fields.push(("client_assertion", assertion.expose()));
        }
        let request = HttpRequest::post_form(endpoint, url, &fields);
        Ok(match basic {
            Some(secret) => {
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
            None => request,
        })
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
    /// RFC 8693 `issued_token_type`, in a token exchange's answer.
    pub issued_token_type: Option<String>,
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
    #[serde(default)]
    issued_token_type: Option<String>,
}

/// Sends what `build` makes and, when a DPoP server answers `use_dpop_nonce`
/// with a `DPoP-Nonce`, builds and sends it once more: `build` reads the
/// newest nonce for its proof, and makes every other one-time value (a
/// client assertion's `jti`) afresh. Returns the last answer, whatever its
/// status (an API call shows any status).
pub async fn send_raw_retrying_nonce(
    http: &Http,
    endpoint: Endpoint,
    url: &Url,
    dpop: Option<&DpopBinding>,
    with_access_token: bool,
    build: impl Fn() -> Result<HttpRequest, HttpError>,
) -> Result<HttpResponse, HttpError> {
    let mut retried = false;
    loop {
        let response = http.send_raw(build()?).await?;
        let Some(dpop) = dpop else {
            return Ok(response);
        };
        dpop.remember_nonce(url, with_access_token, &response);
        let nonce_asked = !(200..300).contains(&response.status)
            && response.header(dpop::NONCE_HEADER).is_some()
            && dpop::asks_for_nonce(
                status_error(endpoint, &response).oauth_error(),
                response.header("www-authenticate"),
            );
        if retried || !nonce_asked {
            return Ok(response);
        }
        tracing::debug!(%endpoint, "the server asked for a DPoP nonce; sending once more with it");
        retried = true;
    }
}

/// [`send_raw_retrying_nonce`], with any status other than 2xx an error.
pub async fn send_retrying_nonce(
    http: &Http,
    endpoint: Endpoint,
    url: &Url,
    dpop: Option<&DpopBinding>,
    with_access_token: bool,
    build: impl Fn() -> Result<HttpRequest, HttpError>,
) -> Result<HttpResponse, HttpError> {
    let response =
        send_raw_retrying_nonce(http, endpoint, url, dpop, with_access_token, build).await?;
    if (200..300).contains(&response.status) {
        Ok(response)
    } else {
        Err(status_error(endpoint, &response))
    }
}

/// POSTs a form with the client's authentication and, for a DPoP profile, a
/// proof, retried once with a server's nonce.
pub(crate) async fn send_as_client(
    http: &Http,
    client: &ClientCredentials,
    endpoint: Endpoint,
    url: Url,
    form: &[(&str, &str)],
) -> Result<HttpResponse, HttpError> {
    send_retrying_nonce(http, endpoint, &url, client.dpop.as_ref(), false, || {
        let request = client.post(endpoint, url.clone(), form)?;
        Ok(match &client.dpop {
            Some(dpop) => {
                let proof = dpop.proof_for("POST", &url, client.now, None)?;
                request.header(dpop::DPOP_HEADER, proof.expose())
            }
            None => request,
        })
    })
    .await
}

/// A request carrying an access token: `Bearer`, or `DPoP` with a proof
/// bound to the token (`ath`) for a DPoP profile.
pub fn with_access_token(
    request: HttpRequest,
    access_token: &SecretString,
    dpop: Option<&DpopBinding>,
    now: i64,
) -> Result<HttpRequest, HttpError> {
    Ok(match dpop {
        Some(binding) => {
            let method = request.method.as_str();
            let proof = binding.proof_for(method, &request.url.clone(), now, Some(access_token))?;
            request
                .header("authorization", format!("DPoP {}", access_token.expose()))
                .header(dpop::DPOP_HEADER, proof.expose())
        }
        None => request.header("authorization", format!("Bearer {}", access_token.expose())),
    })
}

async fn request_tokens(
    http: &Http,
    client: &ClientCredentials,
    token_url: Url,
    form: &[(&str, &str)],
) -> Result<TokenResponse, HttpError> {
    let response = send_as_client(http, client, Endpoint::Token, token_url, form).await?;
    let raw: RawTokenResponse = parse_json_object(Endpoint::Token, &response.body)?;
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
        issued_token_type: raw.issued_token_type,
    })
}

/// Exchanges an authorization code (with the PKCE verifier). `resources`
/// repeat the authorization request's RFC 8707 indicators: a server that
/// issues per-resource tokens needs them here too (RFC 8707 §2.2).
pub async fn exchange_code(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    code: &SecretString,
    code_verifier: &SecretString,
    redirect_uri: &str,
    resources: &[String],
) -> Result<TokenResponse, HttpError> {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri),
        ("code_verifier", code_verifier.expose()),
    ];
    for r in resources {
        form.push(("resource", r));
    }
    request_tokens(http, client, token_url, &form).await
}

/// Uses a refresh token; `resources` keep the session's RFC 8707
/// indicators, so the new access token is for the same API.
pub async fn refresh(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    refresh_token: &SecretString,
    resources: &[String],
) -> Result<TokenResponse, HttpError> {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
    ];
    for r in resources {
        form.push(("resource", r));
    }
    request_tokens(http, client, token_url, &form).await
}

/// The client credentials grant (RFC 6749 §4.4): the client's own token.
/// `scopes` go as given (no `openid`: there is no user); `resources` are RFC
/// 8707 indicators and `audience` the parameter some providers read instead.
pub async fn client_credentials(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    scopes: &[String],
    resources: &[String],
    audience: Option<&str>,
) -> Result<TokenResponse, HttpError> {
    let scope = scopes.join(" ");
    let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
    if !scope.is_empty() {
        form.push(("scope", &scope));
    }
    for r in resources {
        form.push(("resource", r));
    }
    if let Some(a) = audience {
        form.push(("audience", a));
    }
    request_tokens(http, client, token_url, &form).await
}

/// `grant_type` of the device authorization grant (RFC 8628 §3.4).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// One poll of the token endpoint with a device code (RFC 8628 §3.4).
pub async fn device_code(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    device_code: &SecretString,
) -> Result<TokenResponse, HttpError> {
    request_tokens(
        http,
        client,
        token_url,
        &[
            ("grant_type", DEVICE_CODE_GRANT),
            ("device_code", device_code.expose()),
        ],
    )
    .await
}

/// `grant_type` of token exchange (RFC 8693 §2.1).
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// An RFC 8693 token type URN for one of the session's tokens.
pub fn token_type_urn(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Access => "urn:ietf:params:oauth:token-type:access_token",
        TokenKind::Refresh => "urn:ietf:params:oauth:token-type:refresh_token",
        TokenKind::Id => "urn:ietf:params:oauth:token-type:id_token",
    }
}

/// What a token exchange asks for (RFC 8693 §2.1).
#[derive(Debug, Clone, Default)]
pub struct ExchangeParams {
    /// The token to trade and its type URN.
    pub subject: Option<(SecretString, &'static str)>,
    /// Who acts on the subject's behalf: a token and its type URN.
    pub actor: Option<(SecretString, &'static str)>,
    /// `audience` values (logical names of the target services).
    pub audiences: Vec<String>,
    /// `resource` values (URIs of the target services).
    pub resources: Vec<String>,
    /// `scope`, space-separated.
    pub scope: Option<String>,
    /// `requested_token_type`, a URN.
    pub requested_token_type: Option<String>,
}

/// Token exchange (RFC 8693): trades the subject token for a new one.
pub async fn exchange(
    http: &Http,
    token_url: Url,
    client: &ClientCredentials,
    params: &ExchangeParams,
) -> Result<TokenResponse, HttpError> {
    let mut form: Vec<(&str, &str)> = vec![("grant_type", TOKEN_EXCHANGE_GRANT)];
    if let Some((token, urn)) = &params.subject {
        form.push(("subject_token", token.expose()));
        form.push(("subject_token_type", urn));
    }
    if let Some((token, urn)) = &params.actor {
        form.push(("actor_token", token.expose()));
        form.push(("actor_token_type", urn));
    }
    for a in &params.audiences {
        form.push(("audience", a));
    }
    for r in &params.resources {
        form.push(("resource", r));
    }
    if let Some(scope) = &params.scope {
        form.push(("scope", scope));
    }
    if let Some(t) = &params.requested_token_type {
        form.push(("requested_token_type", t));
    }
    request_tokens(http, client, token_url, &form).await
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
    )?;
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
    )?;
    let (value, _) = http.send_json(request).await?;
    Ok(value)
}

/// Fetches userinfo with the access token in the Authorization header (as
/// a DPoP-bound token with a proof, for a DPoP profile).
pub async fn userinfo(
    http: &Http,
    url: Url,
    access_token: &SecretString,
    dpop: Option<&DpopBinding>,
    now: i64,
) -> Result<serde_json::Map<String, Value>, HttpError> {
    let response = send_retrying_nonce(http, Endpoint::Userinfo, &url, dpop, true, || {
        with_access_token(
            HttpRequest::get(Endpoint::Userinfo, url.clone()),
            access_token,
            dpop,
            now,
        )
    })
    .await?;
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

    /// The request `c` makes to a token endpoint with `form`.
    fn to_token_endpoint(c: &ClientCredentials, form: &[(&str, &str)]) -> HttpRequest {
        c.post(
            Endpoint::Token,
            Url::parse("https://idp/token").expect("a URL"),
            form,
        )
        .expect("the request is built")
    }

    fn body(req: &HttpRequest) -> String {
        String::from_utf8(req.body.clone().unwrap()).unwrap()
    }

    #[test]
    fn public_clients_send_client_id_in_the_body() {
        let c = ClientCredentials {
            method: ClientAuthMethod::ClientSecretBasic,
            ..ClientCredentials::public("tessera")
        };
        let r = to_token_endpoint(&c, &[("grant_type", "x")]);
        assert!(body(&r).contains("client_id=tessera"));
        assert!(!r.headers.iter().any(|(k, _)| k == "authorization"));
    }

    #[test]
    fn basic_auth_form_encodes_both_parts() {
        let c = ClientCredentials {
            secret: Some("p@ss:word".into()),
            method: ClientAuthMethod::ClientSecretBasic,
            ..ClientCredentials::public("my client")
        };
        let r = to_token_endpoint(&c, &[("grant_type", "x")]);
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
            secret: Some("s3".into()),
            method: ClientAuthMethod::ClientSecretPost,
            ..ClientCredentials::public("c")
        };
        let r = to_token_endpoint(&c, &[]);
        assert!(body(&r).contains("client_secret=s3"));
    }

    fn form(req: &HttpRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(req.body.as_deref().unwrap_or_default())
            .into_owned()
            .collect()
    }

    #[test]
    fn private_key_jwt_sends_a_signed_assertion_and_no_secret() {
        let key = crate::protocol::client_key::ClientKey::generate(
            crate::protocol::client_key::KeyAlg::ES256,
        )
        .unwrap();
        let c = ClientCredentials {
            secret: Some("must-not-be-sent".into()),
            key: Some(key),
            method: ClientAuthMethod::PrivateKeyJwt,
            assertion_audience: "https://idp".into(),
            now: 100,
            ..ClientCredentials::public("svc")
        };
        let r = to_token_endpoint(&c, &[("grant_type", "client_credentials")]);
        let fields = form(&r);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("client_assertion_type").as_deref(), Some(JWT_BEARER));
        let jwt =
            crate::protocol::jwt::decode_unverified(&get("client_assertion").unwrap()).unwrap();
        assert_eq!(
            jwt.claim_str("aud"),
            Some("https://idp"),
            "the resolved audience"
        );
        assert_eq!(get("client_id").as_deref(), Some("svc"));
        assert!(
            !body(&r).contains("must-not-be-sent")
                && !r.headers.iter().any(|(k, _)| k == "authorization"),
            "an assertion replaces the secret everywhere"
        );
    }

    #[test]
    fn client_secret_jwt_keeps_the_secret_out_of_the_request() {
        let c = ClientCredentials {
            secret: Some("the-shared-secret-0123456789abcdef".into()),
            method: ClientAuthMethod::ClientSecretJwt,
            assertion_audience: "https://idp/token".into(),
            ..ClientCredentials::public("c")
        };
        let r = to_token_endpoint(&c, &[]);
        assert!(
            body(&r).contains("client_assertion="),
            "an assertion is sent"
        );
        assert!(
            !body(&r).contains("the-shared-secret"),
            "the secret only keys the HMAC"
        );
    }

    #[test]
    fn mutual_tls_clients_send_only_their_id_in_the_form() {
        let c = ClientCredentials {
            method: ClientAuthMethod::TlsClientAuth,
            ..ClientCredentials::public("mtls")
        };
        let r = to_token_endpoint(&c, &[]);
        assert_eq!(
            form(&r),
            vec![("client_id".to_string(), "mtls".to_string())],
            "the certificate authenticates; the form names the client"
        );
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

    /// A transport that answers every request with one status and body.
    struct Answer(u16, &'static str);

    impl crate::seams::http::HttpClient for Answer {
        fn send(
            &self,
            _request: HttpRequest,
        ) -> crate::seams::http::BoxFuture<'_, Result<HttpResponse, HttpError>> {
            let response = HttpResponse {
                status: self.0,
                headers: vec![("content-type".into(), "application/json".into())],
                body: self.1.as_bytes().to_vec(),
            };
            Box::pin(async move { Ok(response) })
        }
    }

    /// A token response is a JSON object (RFC 6749 §5.1); serde would also
    /// read one from an array, by position.
    #[tokio::test]
    async fn a_token_response_that_is_not_an_object_is_refused() {
        let http = Http::new(std::sync::Arc::new(Answer(
            200,
            r#"["AT-1", "Bearer", 3600]"#,
        )));
        let e = refresh(
            &http,
            Url::parse("https://idp/token").unwrap(),
            &ClientCredentials::public("tessera"),
            &"RT-1".into(),
            &[],
        )
        .await
        .expect_err("an array is no token response");
        assert!(matches!(e, HttpError::InvalidJson { .. }), "{e}");
        assert!(!e.to_string().contains("AT-1"), "{e}");
    }
}
