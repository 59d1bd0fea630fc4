//! The token endpoint's answer, through the engine's own path: a refresh
//! (`token::refresh`) over a transport that answers with the fuzzer's status
//! and body, so the success body is read as a `TokenResponse` and an error
//! status as an OAuth error (RFC 6749 §5.1, §5.2).
//!
//! Input: one byte choosing the status, then the body.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_engine::http::Http;
use tessera_engine::secret::SecretString;
use tessera_engine::token::{self, ClientCredentials, TokenResponse};
use tessera_fuzz::{assert_not_leaked, block_on, keys, string_values, Canned};
use url::Url;

/// A token response prints without its tokens.
fn check_debug(response: &TokenResponse) {
    let shown = format!("{response:?}");
    let mut allowed = vec![response.token_type.clone()];
    allowed.extend(response.scope.clone());
    allowed.extend(response.issued_token_type.clone());
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    for secret in [
        Some(&response.access_token),
        response.refresh_token.as_ref(),
        response.id_token.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        assert_not_leaked(&shown, secret.expose(), &allowed, "TokenResponse's Debug");
    }
}

const STATUSES: [u16; 8] = [200, 200, 201, 400, 401, 403, 500, 302];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[pick as usize % STATUSES.len()];
    let http = Http::new(Arc::new(Canned {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_vec(),
    }));
    let token_url = Url::parse("https://issuer.example/token").expect("a URL");
    let client = ClientCredentials::public("tessera");
    let refresh_token = SecretString::new("RT-current-0123456789");
    let result = block_on(token::refresh(
        &http,
        token_url,
        &client,
        &refresh_token,
        &[],
    ));

    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| doc.as_ref().and_then(|d| d.get(name));
    match &result {
        Ok(response) => {
            assert!((200..300).contains(&status), "HTTP {status} read as tokens");
            assert!(
                !response.access_token.is_empty(),
                "an empty access token taken"
            );
            check_debug(response);
            // serde_json skips an ignored member without checking its
            // strings' UTF-8, so a body may parse as a token response and not
            // as a document: then there is nothing to compare with.
            if doc.is_none() {
                return;
            }
            let access = field("access_token").and_then(Value::as_str);
            assert_eq!(access, Some(response.access_token.expose()));
            assert_eq!(
                field("token_type").and_then(Value::as_str),
                Some(response.token_type.as_str())
            );
            if let Some(t) = &response.refresh_token {
                assert!(!t.is_empty());
                assert_eq!(
                    field("refresh_token").and_then(Value::as_str),
                    Some(t.expose())
                );
            }
            if let Some(t) = &response.id_token {
                assert!(!t.is_empty());
                assert_eq!(field("id_token").and_then(Value::as_str), Some(t.expose()));
            }
            if let Some(n) = field("expires_in").and_then(Value::as_i64) {
                assert_eq!(response.expires_in, Some(n));
            }
            let _ = response.granted_scopes(&["openid".to_string()]);
        }
        Err(e) => {
            // The error names the endpoint, the status and the OAuth error
            // (code and description, which are meant to be shown), never
            // another value of the body. Keys may be named as the place a
            // value did not fit.
            let Some(doc) = &doc else {
                return;
            };
            let message = e.to_string();
            let mut names = Vec::new();
            keys(doc, &mut names);
            for shown in ["error", "error_description"] {
                if let Some(Value::String(s)) = doc.get(shown) {
                    names.push(s.clone());
                }
            }
            let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut values = Vec::new();
            string_values(doc, &mut values);
            for value in &values {
                assert_not_leaked(&message, value, &allowed, "the token endpoint's error");
            }
            assert_not_leaked(
                &message,
                refresh_token.expose(),
                &allowed,
                "the refresh error",
            );
        }
    }
});
