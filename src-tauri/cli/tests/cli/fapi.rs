//! FAPI 2.0 against the local provider's FAPI mode (`--fapi`): PAR, DPoP
//! with nonces at the provider and at the API, `private_key_jwt`, signed
//! request objects, JARM, and mutual TLS instead of DPoP; and the refused
//! cases, each with its one line and nothing stored.

use serde_json::{json, Value};
use tessera_testkit::{
    assert_keyring_lacks, curl_get, failed, http, json, ok, Home, LocalProvider,
};

use crate::home;

/// Registers a FAPI client for this key (RFC 7591); `extra` adds metadata.
fn register(issuer: &str, jwks: &Value, extra: Value) -> String {
    let mut metadata = json!({
        "application_type": "native",
        "client_name": "tessera fapi test",
        "redirect_uris": ["http://127.0.0.1/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "ES256",
        "jwks": jwks,
        "dpop_bound_access_tokens": true,
    });
    if let (Some(m), Some(e)) = (metadata.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    let (status, body) = http(
        "POST",
        &format!("{issuer}/reg"),
        &[("content-type", "application/json")],
        &metadata.to_string(),
    );
    assert_eq!(
        status, 201,
        "the FAPI provider registers the client: {body}"
    );
    serde_json::from_str::<Value>(&body).expect("JSON")["client_id"]
        .as_str()
        .expect("a client_id")
        .to_string()
}

/// A profile with a fresh key registered at the FAPI provider.
fn fapi_client(ws: &Home, p: &LocalProvider, profile: &str, extra: Value) -> String {
    let jwks = json(&ws.tessera(&["keys", "generate", "--profile", profile, "--alg", "ES256"]));
    register(&p.issuer, &jwks, extra)
}

fn login(
    ws: &Home,
    p: &LocalProvider,
    profile: &str,
    client: &str,
    flags: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        client,
        "--profile",
        profile,
        "--client-auth",
        "private-key-jwt",
        "--timeout",
        "60",
        "--json",
    ];
    args.extend_from_slice(flags);
    ws.tessera(&args)
}

/// A DPoP call to the demo API's DPoP route, with a curl that gets the
/// token and the proof from `tessera`, as the README shows.
fn curl_dpop(ws: &Home, profile: &str, url: &str) -> (u16, String) {
    let token = ok(&ws.tessera(&["token", "--profile", profile]));
    let proof = ok(&ws.tessera(&["dpop-proof", "--profile", profile, "GET", url]));
    curl_get(
        url,
        &[
            format!("Authorization: DPoP {}", token.trim()),
            format!("DPoP: {}", proof.trim()),
        ],
        &[],
    )
}

#[test]
fn a_fapi_sign_in_pushes_the_request_binds_the_token_with_dpop_and_calls_the_dpop_api() {
    let p = LocalProvider::shared_with(&["--fapi"]);
    let ws = home("fapi-dpop");
    let client = fapi_client(&ws, p, "fapi", json!({}));
    let out = json(&login(&ws, p, "fapi", &client, &["--dpop"]));
    assert!(
        out["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("dpop")),
        "the token is DPoP-bound: {out}"
    );
    let jkt = out["dpop_jkt"].as_str().expect("the DPoP key's thumbprint");
    let checks = out["checks"].as_array().expect("a report");
    let binding = checks
        .iter()
        .find(|c| c["id"] == "dpop_binding")
        .expect("a DPoP row");
    assert_eq!(binding["passed"], true, "{binding}");
    assert!(
        ws.browser_log().contains("request_uri"),
        "the browser carried only a request_uri (PAR): {}",
        ws.browser_log()
    );
    assert!(
        !ws.browser_log().contains("code_challenge"),
        "the request's parameters never went through the browser: {}",
        ws.browser_log()
    );

    // The API asks for its own nonce first; Tessera retries once with it.
    let api = format!("{}/api/dpop/me", p.issuer);
    let body = ok(&ws.tessera(&["call", "--profile", "fapi", "GET", &api]));
    let me: Value = serde_json::from_str(&body).expect("JSON from the DPoP API");
    assert_eq!(
        me["cnf"]["jkt"], jkt,
        "the API saw a token bound to the profile's key: {body}"
    );

    // Refresh with a proof: the token stays bound to the same key.
    let refreshed = json(&ws.tessera(&["refresh", "--profile", "fapi", "--json"]));
    assert!(
        refreshed["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("dpop")),
        "the refreshed token is DPoP-bound too: {refreshed}"
    );
    assert_eq!(
        json(&ws.tessera(&["login", "--profile", "fapi", "--json", "--timeout", "60"]))["dpop_jkt"],
        jkt,
        "the same DPoP key across sign-ins: it lives in the keyring"
    );

    // Scripts: the token and a proof from tessera, the request from curl.
    let (status, body) = curl_dpop(&ws, "fapi", &api);
    assert!(
        status == 200 || body.contains("use_dpop_nonce"),
        "curl with tessera's token and proof reaches the API: {status} {body}"
    );
    let (status, body) = curl_dpop(&ws, "fapi", &api);
    assert_eq!(
        status, 200,
        "with the API's nonce remembered, the proof is accepted: {body}"
    );
}

#[test]
fn a_signed_request_object_goes_through_par_and_a_jarm_response_is_checked() {
    let p = LocalProvider::shared_with(&["--fapi"]);
    let ws = home("fapi-jar");
    let client = fapi_client(
        &ws,
        p,
        "jar",
        json!({"authorization_signed_response_alg": "ES256", "request_object_signing_alg": "ES256"}),
    );
    let out = json(&login(
        &ws,
        p,
        "jar",
        &client,
        &["--dpop", "--request-object", "--response-mode", "jwt"],
    ));
    let checks = out["checks"].as_array().expect("a report");
    for id in ["jarm_signature", "jarm_iss", "jarm_aud", "jarm_exp"] {
        let row = checks.iter().find(|c| c["id"] == id);
        assert!(
            row.is_some_and(|r| r["passed"] == true),
            "the JARM response passed {id}: {checks:?}"
        );
    }
    assert_eq!(out["subject"], "demo-user-0001");
}

#[test]
fn a_tampered_jarm_response_is_refused_and_nothing_is_stored() {
    let p = LocalProvider::shared_with(&["--fapi"]);
    let mut ws = home("fapi-jarm-bad");
    let client = fapi_client(
        &ws,
        p,
        "bad",
        json!({"authorization_signed_response_alg": "ES256"}),
    );
    ws.env("BROWSER_TAMPER_RESPONSE", "1");
    let out = login(
        &ws,
        p,
        "bad",
        &client,
        &["--dpop", "--response-mode", "jwt"],
    );
    let line = failed(&out);
    assert!(
        line.contains("signature"),
        "the bad signature is named: {line}"
    );
    assert_eq!(out.status.code(), Some(6), "a refused check exits 6");
    assert_keyring_lacks(&ws.entry("session:bad"), "nothing stored");
}

#[test]
fn a_jarm_response_for_another_audience_or_already_expired_is_refused() {
    for (flag, named) in [
        ("--jarm-wrong-aud", "audience"),
        ("--jarm-expired", "expired"),
    ] {
        let p = LocalProvider::start(&["--fapi", flag]);
        let ws = home("fapi-jarm-claims");
        let client = fapi_client(
            &ws,
            &p,
            "claims",
            json!({"authorization_signed_response_alg": "ES256"}),
        );
        let out = login(
            &ws,
            &p,
            "claims",
            &client,
            &["--dpop", "--response-mode", "jwt"],
        );
        let line = failed(&out);
        assert!(
            line.contains(named),
            "{flag}: the failing check is named: {line}"
        );
        assert_keyring_lacks(&ws.entry("session:claims"), "nothing stored");
    }
}

#[test]
fn a_bearer_token_when_dpop_was_asked_for_is_refused() {
    let p = LocalProvider::start(&["--fapi", "--bearer-despite-dpop"]);
    let ws = home("fapi-bearer");
    let client = fapi_client(&ws, &p, "bearer", json!({}));
    let out = login(&ws, &p, "bearer", &client, &["--dpop"]);
    let line = failed(&out);
    assert!(
        line.contains("DPoP was asked for, but the provider issued a Bearer token"),
        "{line}"
    );
    assert_eq!(out.status.code(), Some(6));
    assert_keyring_lacks(&ws.entry("session:bearer"), "nothing stored");
}

#[test]
fn a_push_the_provider_refuses_is_the_early_error() {
    let p = LocalProvider::shared_with(&["--fapi"]);
    let ws = home("fapi-par-refused");
    let client = fapi_client(&ws, p, "par", json!({}));
    // The registered redirect is the loopback one; a custom scheme is not.
    let out = ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        &client,
        "--profile",
        "par",
        "--client-auth",
        "private-key-jwt",
        "--dpop",
        "--redirect-path",
        "/not-registered",
        "--timeout",
        "30",
    ]);
    let line = failed(&out);
    assert!(
        line.contains("refused the redirect URI") || line.contains("pushed authorization request"),
        "the push's refusal is the one line: {line}"
    );
    assert!(
        !ws.browser_log().contains("/auth"),
        "the browser never opened: {}",
        ws.browser_log()
    );
    assert_keyring_lacks(&ws.entry("session:par"), "nothing stored");
}

#[test]
fn a_request_object_without_the_client_key_is_refused_up_front() {
    let ws = home("fapi-jar-no-key");
    let out = ws.tessera(&[
        "profiles",
        "save",
        "--profile",
        "nokey",
        "--issuer",
        "http://127.0.0.1:9",
        "--client-id",
        "c",
        "--request-object",
    ]);
    let line = failed(&out);
    assert!(
        line.contains("request_object needs the client key of private_key_jwt"),
        "{line}"
    );
    assert_eq!(out.status.code(), Some(3), "a profile problem exits 3");
}

#[test]
fn the_dpop_api_refuses_a_proof_for_another_url_or_a_replayed_one() {
    let p = LocalProvider::shared_with(&["--fapi"]);
    let ws = home("fapi-htu");
    let client = fapi_client(&ws, p, "htu", json!({}));
    ok(&login(&ws, p, "htu", &client, &["--dpop"]));
    let api = format!("{}/api/dpop/me", p.issuer);
    // Tessera's own call (the query is not part of htu) learns the API's nonce.
    let body = ok(&ws.tessera(&["call", "--profile", "htu", "GET", &format!("{api}?x=1")]));
    assert!(
        body.contains("jkt"),
        "the call with a query string passes: {body}"
    );

    let token = ok(&ws.tessera(&["token", "--profile", "htu"]));
    let authorization = format!("DPoP {}", token.trim());
    let send = |proof: &str| {
        http(
            "GET",
            &api,
            &[("authorization", authorization.as_str()), ("dpop", proof)],
            "",
        )
    };
    let elsewhere = format!("{}/api/dpop/elsewhere", p.issuer);
    let wrong = ok(&ws.tessera(&["dpop-proof", "--profile", "htu", "GET", &elsewhere]));
    let (status, body) = send(wrong.trim());
    assert_eq!(status, 401, "a proof for another URL is refused: {body}");

    let proof = ok(&ws.tessera(&["dpop-proof", "--profile", "htu", "GET", &api]));
    let (status, body) = send(proof.trim());
    assert_eq!(
        status, 200,
        "a proof for this URL with the API's nonce passes: {body}"
    );
    let (status, body) = send(proof.trim());
    assert_eq!(status, 401, "the same proof again is a replay: {body}");
}

#[test]
fn a_fapi_sign_in_with_mutual_tls_instead_of_dpop_gets_a_certificate_bound_token() {
    let p = LocalProvider::shared_with(&["--fapi", "--mtls-port", "0"]);
    let m = p.mtls.as_ref().expect("an mTLS listener");
    let ws = home("fapi-mtls");
    let out = json(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera-mtls",
        "--profile",
        "fapi-mtls",
        "--client-auth",
        "tls",
        "--client-cert",
        &m.client_cert,
        "--client-key",
        &m.client_key,
        "--ca-file",
        &m.ca,
        "--timeout",
        "60",
        "--json",
    ]));
    assert_eq!(
        out["subject"], "demo-user-0001",
        "signed in through PAR over mTLS: {out}"
    );
    assert!(
        ws.browser_log().contains("request_uri"),
        "the request was pushed: {}",
        ws.browser_log()
    );
    let api = format!("{}/api/mtls/me", m.url);
    let body = ok(&ws.tessera(&["call", "--profile", "fapi-mtls", "GET", &api]));
    assert!(
        body.contains("tessera-mtls"),
        "the bound token works with its certificate: {body}"
    );
}
