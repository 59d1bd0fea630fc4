//! The authorization request: PKCE S256, state and nonce, and the URL the
//! browser opens. Every sign-in gets fresh random values; PKCE `plain` does
//! not exist here.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::protocol::jwt::B64URL;
use crate::secret::SecretString;

/// Extra authorization request parameters, as typed fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthParams {
    /// `prompt` (e.g. `login`, `consent`, `select_account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// `max_age` in seconds; the ID token must then carry a recent `auth_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
    /// `acr_values`: space-separated authentication context classes to ask for, e.g. `mfa`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_values: Option<String>,
    /// `ui_locales`: space-separated BCP 47 language tags for the login page, e.g. `de fr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales: Option<String>,
    /// `login_hint`: the user's email or name, to prefill the login page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_hint: Option<String>,
    /// `claims` request, as JSON text (checked to be a JSON object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<String>,
    /// RFC 8707 `resource` indicators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<String>,
    /// `audience` (Auth0 and others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// The per-attempt secrets of one authorization request.
#[derive(Debug)]
pub struct AuthorizationRequest {
    /// The authorization endpoint with every query parameter added; the browser opens it.
    pub url: Url,
    /// `state`, compared in constant time on return.
    pub state: SecretString,
    /// `nonce`, expected in the ID token.
    pub nonce: SecretString,
    /// The PKCE verifier, sent only to the token endpoint.
    pub code_verifier: SecretString,
    /// The redirect URI used (the token request must repeat it).
    pub redirect_uri: String,
    /// Every parameter of the request, for a request object or a push
    /// (`state` and `nonce` among them: the browser sees them anyway).
    pub params: Vec<(String, String)>,
}

/// 32 random bytes, base64url: 43 characters (RFC 7636 §4.1).
pub fn random_token() -> SecretString {
    let mut bytes = [0u8; 32];
    // getrandom fails only if the OS has no entropy source at all.
    getrandom::fill(&mut bytes).expect("the OS random source is unavailable");
    SecretString::new(B64URL.encode(bytes))
}

/// The S256 code challenge for a verifier.
pub fn s256_challenge(verifier: &SecretString) -> String {
    B64URL.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// Who asks for what: the client and the parameters of its request.
#[derive(Debug, Clone, Copy)]
pub struct ClientRequest<'a> {
    /// The client id, sent as `client_id`.
    pub client_id: &'a str,
    /// The scopes to ask for.
    pub scopes: &'a [String],
    /// The typed extra parameters.
    pub params: &'a AuthParams,
}

/// Builds the authorization URL with fresh state, nonce and PKCE; `extra`
/// adds parameters a profile's options need (`dpop_jkt`, `response_mode`).
pub fn build(
    authorization_endpoint: &Url,
    client: &ClientRequest<'_>,
    redirect_uri: &str,
    extra: &[(&str, String)],
) -> AuthorizationRequest {
    let state = random_token();
    let nonce = random_token();
    let code_verifier = random_token();
    let mut params: Vec<(String, String)> = vec![
        ("response_type".into(), "code".into()),
        ("client_id".into(), client.client_id.into()),
        ("redirect_uri".into(), redirect_uri.into()),
        ("scope".into(), client.scopes.join(" ")),
        ("state".into(), state.expose().into()),
        ("nonce".into(), nonce.expose().into()),
        ("code_challenge".into(), s256_challenge(&code_verifier)),
        ("code_challenge_method".into(), "S256".into()),
    ];
    let AuthParams {
        prompt,
        max_age,
        acr_values,
        ui_locales,
        login_hint,
        claims,
        resource,
        audience,
    } = client.params;
    for (name, value) in [
        ("prompt", prompt.clone()),
        ("max_age", max_age.map(|m| m.to_string())),
        ("acr_values", acr_values.clone()),
        ("ui_locales", ui_locales.clone()),
        ("login_hint", login_hint.clone()),
        ("claims", claims.clone()),
        ("audience", audience.clone()),
    ] {
        if let Some(v) = value {
            params.push((name.into(), v));
        }
    }
    for r in resource {
        params.push(("resource".into(), r.clone()));
    }
    for (name, value) in extra {
        params.push(((*name).into(), value.clone()));
    }
    AuthorizationRequest {
        url: with_query(authorization_endpoint, &params),
        params,
        state,
        nonce,
        code_verifier,
        redirect_uri: redirect_uri.to_string(),
    }
}

/// `endpoint` with these parameters added to its query (its own kept).
pub fn with_query(endpoint: &Url, params: &[(String, String)]) -> Url {
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .extend_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc7636_appendix_b() {
        let verifier = SecretString::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            s256_challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_url_carries_s256_state_nonce_and_typed_params() {
        let params = AuthParams {
            prompt: Some("login".into()),
            max_age: Some(300),
            resource: vec!["https://api.a".into(), "https://api.b".into()],
            ..AuthParams::default()
        };
        let scopes = vec!["openid".to_string()];
        let profile = ClientRequest {
            client_id: "tessera",
            scopes: &scopes,
            params: &params,
        };
        let ep = Url::parse("https://idp/authorize?tenant=x").unwrap();
        let req = build(&ep, &profile, "http://127.0.0.1:5000/callback", &[]);
        let q: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(
            get("tenant").as_deref(),
            Some("x"),
            "existing query parameters are kept"
        );
        assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
        assert_eq!(
            get("code_challenge"),
            Some(s256_challenge(&req.code_verifier))
        );
        assert_eq!(get("state").as_deref(), Some(req.state.expose()));
        assert_eq!(get("nonce").as_deref(), Some(req.nonce.expose()));
        assert_eq!(get("prompt").as_deref(), Some("login"));
        assert_eq!(get("max_age").as_deref(), Some("300"));
        assert_eq!(
            q.iter().filter(|(k, _)| k == "resource").count(),
            2,
            "every resource is sent"
        );
        assert!(
            !req.url.as_str().contains(req.code_verifier.expose()),
            "the verifier never goes to the browser"
        );
        let again = build(&ep, &profile, "http://127.0.0.1:5000/callback", &[]);
        assert_ne!(again.state, req.state, "state is fresh per attempt");
        assert_ne!(
            again.code_verifier, req.code_verifier,
            "PKCE is fresh per attempt"
        );
        assert_eq!(req.code_verifier.len(), 43);
    }
}
