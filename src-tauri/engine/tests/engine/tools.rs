//! The inspector, the API call and the HTTP log, with the scripted provider.

use std::sync::Arc;

use serde_json::json;
use tessera_engine::api::{ApiRequest, CallOptions};
use tessera_engine::http_log::HttpLog;
use tessera_engine::inspect::{KeySource, TokenFormat};
use tessera_engine::token::TokenKind;

use super::*;

/// The fixture's provider with every endpoint the tools use.
fn full_provider(f: &Fixture) {
    f.http.route(
        "/.well-known/openid-configuration",
        200,
        json!({
            "issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
            "token_endpoint": format!("{ISSUER}/token"), "jwks_uri": format!("{ISSUER}/jwks"),
            "userinfo_endpoint": format!("{ISSUER}/me"),
            "introspection_endpoint": format!("{ISSUER}/introspect"),
            "revocation_endpoint": format!("{ISSUER}/revoke"),
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }),
    );
    f.http.route(
        "/token",
        200,
        json!({
            "access_token": "new-access", "token_type": "Bearer", "expires_in": 300,
            "refresh_token": "new-refresh", "id_token": id_token("user-1"),
        }),
    );
    f.http.route(
        "/introspect",
        200,
        json!({"active": true, "scope": "openid", "client_id": "c", "sub": "user-1", "exp": NOW + 300}),
    );
    f.http.route("/revoke", 200, json!({}));
    f.http
        .route("/api/me", 200, json!({"sub": "user-1", "echo": "fine"}));
}

#[tokio::test]
async fn the_inspector_revalidates_the_id_token_and_describes_opaque_tokens_without_their_values() {
    let f = fixture("inspect", NOW + 600);
    full_provider(&f);
    let inspection = f.engine.inspect_session("p").await.expect("inspects");
    assert!(
        inspection.keys_error.is_none(),
        "{:?}",
        inspection.keys_error
    );
    let kinds: Vec<TokenKind> = inspection.tokens.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [TokenKind::Id, TokenKind::Access, TokenKind::Refresh],
        "ID, access, refresh"
    );
    let TokenFormat::Jwt(id) = &inspection.tokens[0].format else {
        panic!("the ID token is a JWT");
    };
    let report = id.report.as_ref().expect("the ID token is checked");
    assert!(
        report.passed(),
        "the stored ID token still passes: {report:?}"
    );
    let signature = id.signature.as_ref().expect("signature status");
    assert!(signature.verified, "verified: {signature:?}");
    assert_eq!(
        signature.kid.as_deref(),
        Some("test-rsa-1"),
        "names the kid"
    );
    assert_eq!(
        signature.key.as_deref(),
        Some("test-rsa-1 (RSA 2048)"),
        "and the key that verified it"
    );
    let access = &inspection.tokens[1];
    assert!(
        matches!(access.format, TokenFormat::Opaque { length: 10 }),
        "old-access is opaque"
    );
    assert_eq!(
        access.expires_at,
        Some(NOW + 600),
        "the access token's expiry comes from the session"
    );
    assert!(
        access.introspectable && access.revocable,
        "the provider offers both endpoints"
    );
    assert_eq!(
        access.fingerprint.len(),
        12,
        "a short fingerprint stands in for the value"
    );
    let dump = format!("{inspection:?}");
    assert!(
        !dump.contains("old-access") && !dump.contains("old-refresh"),
        "no token value: {dump}"
    );
}

#[tokio::test]
async fn a_pasted_jwt_verifies_against_a_profile_or_a_pasted_key_and_fails_with_the_wrong_key() {
    let f = fixture("paste", NOW + 600);
    full_provider(&f);
    let token = id_token("user-1");
    let by_profile = f
        .engine
        .verify_pasted(
            &token,
            &KeySource::Profile {
                name: "p".into(),
                audience: true,
            },
        )
        .await
        .expect("verifies");
    let report = by_profile.report.expect("checked");
    assert!(
        report.passed(),
        "issuer, audience, signature and times pass: {report:?}"
    );
    assert!(
        report.checks.iter().any(|c| c.id == "audience"),
        "the client id was expected as aud"
    );

    let jwk = String::from_utf8(key_file("rsa.jwk.json")).unwrap();
    let pasted = f
        .engine
        .verify_pasted(&token, &KeySource::Pasted(jwk))
        .await
        .expect("verifies");
    assert!(
        pasted.report.expect("checked").passed(),
        "the right public key verifies it"
    );

    let other = String::from_utf8(key_file("rsa-other.jwk.json")).unwrap();
    let wrong = f
        .engine
        .verify_pasted(&token, &KeySource::Pasted(other))
        .await
        .expect("checked");
    let sig = wrong.signature.expect("signature row");
    assert!(!sig.verified, "another key must not verify it");
    let err = f
        .engine
        .verify_pasted("abc.def", &KeySource::Pasted("{}".into()))
        .await
        .expect_err("two parts");
    assert_eq!(
        err.to_string(),
        "a JWT has 3 dot-separated parts (header.payload.signature); this has 2",
        "a malformed token says what is wrong"
    );
}

#[tokio::test]
async fn an_api_call_sends_the_bearer_token_and_retries_once_after_a_refresh_on_invalid_token() {
    let f = fixture("api-retry", NOW + 600);
    full_provider(&f);
    f.http.queue(
        "/api/me",
        401,
        json!({"error": "invalid_token"}),
        &[(
            "www-authenticate",
            r#"Bearer realm="api", error="invalid_token", error_description="expired""#,
        )],
    );
    let request = ApiRequest::new("GET", &format!("{ISSUER}/api/me"));
    let panel = f
        .engine
        .call_api(Some("p"), &request, CallOptions::default())
        .await
        .expect("answered");
    assert_eq!(panel.response.status, 401, "without retry the 401 is shown");
    let challenge = panel.challenge.expect("parsed challenge");
    assert_eq!(challenge.param("error"), Some("invalid_token"));
    assert!(
        panel.retry_after_refresh,
        "the panel offers a retry after refresh"
    );
    let sent = f.http.requests();
    let auth = sent
        .last()
        .and_then(|r| r.headers.iter().find(|(k, _)| k == "authorization"))
        .map(|(_, v)| v.clone());
    assert_eq!(
        auth.as_deref(),
        Some("Bearer old-access"),
        "the stored access token was sent"
    );

    f.http.queue(
        "/api/me",
        401,
        json!({}),
        &[("www-authenticate", r#"Bearer error="invalid_token""#)],
    );
    let cli = f
        .engine
        .call_api(
            Some("p"),
            &request,
            CallOptions {
                retry_after_refresh: true,
                ..CallOptions::default()
            },
        )
        .await
        .expect("answered");
    assert_eq!(cli.response.status, 200, "the retry after refresh succeeds");
    assert!(cli.refreshed, "and says the token was refreshed");
    let auth = f
        .http
        .requests()
        .last()
        .and_then(|r| r.headers.iter().find(|(k, _)| k == "authorization"))
        .map(|(_, v)| v.clone());
    assert_eq!(
        auth.as_deref(),
        Some("Bearer new-access"),
        "the retry used the new token"
    );
    assert_eq!(
        stored(&f).refresh_token.unwrap().expose(),
        "new-refresh",
        "the rotated refresh token was saved"
    );
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_before_the_call() {
    let f = fixture("api-expired", NOW - 5);
    full_provider(&f);
    let outcome = f
        .engine
        .call_api(
            Some("p"),
            &ApiRequest::new("GET", &format!("{ISSUER}/api/me")),
            CallOptions::default(),
        )
        .await
        .expect("answered");
    assert_eq!(outcome.response.status, 200);
    assert!(outcome.refreshed, "the expired token was refreshed first");
    let paths = f.http.seen();
    let token_at = paths.iter().position(|p| p == "/token").expect("refreshed");
    let api_at = paths.iter().position(|p| p == "/api/me").expect("called");
    assert!(token_at < api_at, "refresh before the call: {paths:?}");
}

#[tokio::test]
async fn a_full_session_through_the_http_log_leaves_no_token_or_secret_in_it() {
    let f = fixture("log", NOW + 600);
    full_provider(&f);
    let log = Arc::new(HttpLog::default());
    let engine = f.engine.clone().with_http_log(Arc::clone(&log));
    engine.refresh(Some("p")).await.expect("refreshes");
    engine.inspect_session("p").await.expect("inspects");
    engine
        .introspect_token("p", TokenKind::Access)
        .await
        .expect("introspects");
    engine
        .introspect_token("p", TokenKind::Refresh)
        .await
        .expect("introspects");
    let mut request = ApiRequest::new("GET", &format!("{ISSUER}/api/me"));
    request.query.push(tessera_engine::api::NameValue::new(
        "access_token",
        "new-access",
    ));
    engine
        .call_api(Some("p"), &request, CallOptions::default())
        .await
        .expect("calls");
    engine.provider_keys("p").await.expect("provider view");
    engine
        .revoke_token("p", TokenKind::Access)
        .await
        .expect("revokes access");
    let after_access = stored(&f);
    assert_eq!(
        after_access.expires_at,
        Some(NOW),
        "a revoked access token is marked expired, so the next use refreshes"
    );
    assert!(
        after_access.refresh_token.is_some(),
        "the session itself is kept"
    );
    engine
        .revoke_token("p", TokenKind::Refresh)
        .await
        .expect("revokes refresh");
    assert!(
        SessionStore::new(&f.store).load("p").unwrap().is_none(),
        "revoking the refresh token ends the grant, so the session is deleted"
    );

    let entries = log.entries();
    let endpoints: Vec<String> = entries.iter().map(|e| e.endpoint.to_string()).collect();
    for expected in [
        "discovery document",
        "JWKS endpoint",
        "token endpoint",
        "introspection endpoint",
        "API",
        "revocation endpoint",
    ] {
        assert!(
            endpoints.iter().any(|e| e == expected),
            "{expected} is logged: {endpoints:?}"
        );
    }
    let everything = format!("{entries:?}");
    let id = id_token("user-1");
    for secret in [
        "old-access",
        "old-refresh",
        "new-access",
        "new-refresh",
        id.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} appears in the HTTP log"
        );
    }
    let api = entries
        .iter()
        .find(|e| e.endpoint.to_string() == "API")
        .expect("API call logged");
    let auth = api
        .request_headers
        .iter()
        .find(|h| h.name == "authorization")
        .expect("header listed");
    assert_eq!(
        auth.value, "Bearer [redacted]",
        "the scheme is shown, the token is not"
    );
    assert!(
        api.url.contains("access_token=%5Bredacted%5D"),
        "secret query values are redacted: {}",
        api.url
    );
    let token = entries
        .iter()
        .find(|e| e.endpoint.to_string() == "token endpoint")
        .expect("logged");
    let body = token.response_body.as_deref().unwrap_or_default();
    assert!(
        body.contains("\"expires_in\": 300"),
        "the rest of the token response is readable: {body}"
    );
    assert!(
        token
            .request_body
            .as_deref()
            .unwrap_or_default()
            .contains("grant_type=refresh_token"),
        "the grant type is readable"
    );
}

#[tokio::test]
async fn a_provider_that_refuses_revocation_says_so_and_the_session_is_kept() {
    let f = fixture("revocation-refused", NOW + 600);
    full_provider(&f);
    f.http
        .route("/revoke", 401, json!({"error": "invalid_client"}));
    let err = f
        .engine
        .logout(
            Some("p"),
            tessera_engine::LogoutOptions {
                revoke: true,
                end_session: false,
            },
            &RecordingBrowser::default(),
        )
        .await
        .expect_err("the provider refuses");
    assert!(
        err.to_string()
            .contains("does not let this client revoke its tokens (HTTP 401); the session is kept"),
        "says what happened and what to do, not just a status: {err}"
    );
    assert_eq!(
        err.kind(),
        tessera_engine::ErrorKind::Unsupported,
        "hosts offer signing out on this device only"
    );
    assert_eq!(
        stored(&f).access_token.expose(),
        "old-access",
        "nothing is lost"
    );
    let err = f
        .engine
        .revoke_token("p", TokenKind::Refresh)
        .await
        .expect_err("the inspector's Revoke is refused too");
    assert!(
        err.to_string().contains("does not let this client revoke"),
        "{err}"
    );
}
