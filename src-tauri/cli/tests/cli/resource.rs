//! Sign-in from an API URL: `tessera discover` and `login --resource-url`
//! against the local provider's demo API (RFC 9728 metadata, RFC 7591/7592
//! registration, RFC 8707 tokens), and each refused or degraded step
//! against the provider's test resources.

use serde_json::Value;
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, call_api, failed, http, json, stderr,
    stored_refresh_token, LocalProvider,
};

use crate::home;

fn discover(p: &LocalProvider, path: &str) -> (Option<i32>, Value) {
    let ws = home("discover");
    let out = ws.tessera(&["discover", &format!("{}{path}", p.issuer), "--json"]);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "discover --json prints JSON ({e}); stderr: {}",
            stderr(&out)
        )
    });
    (out.status.code(), report)
}

fn row<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("a {id} row: {report}"))
}

#[test]
fn discover_walks_from_the_demo_api_to_the_local_provider_and_its_registration_endpoint() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/api/me");
    assert_eq!(code, Some(0), "a usable server exits 0: {report}");
    assert_eq!(
        report["resource"],
        format!("{}/api", p.issuer),
        "the API's identifier"
    );
    assert_eq!(
        report["resource_metadata_url"],
        format!("{}/.well-known/oauth-protected-resource/api", p.issuer),
        "the 401's resource_metadata was followed"
    );
    assert_eq!(
        report["scopes"],
        serde_json::json!(["api:read"]),
        "the 401's scope"
    );
    let server = &report["authorization_servers"][0];
    assert_eq!(server["issuer"], p.issuer.as_str());
    assert_eq!(server["pkce_s256"], true);
    assert_eq!(
        server["registration"]["dynamic"], true,
        "the provider registers clients: {server}"
    );
    assert_eq!(server["registration"]["pre_registered_only"], false);
    assert!(
        report["checks"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|c| c["passed"] == true),
        "every step passes: {report}"
    );
    assert!(
        row(&report, "server_metadata")["detail"]
            .as_str()
            .is_some_and(|d| d.contains("OpenID discovery")),
        "the provider has no RFC 8414 document, so OpenID discovery was the fallback: {report}"
    );
}

#[test]
fn login_from_the_api_url_registers_calls_the_api_refreshes_for_it_and_removal_deletes_the_registration(
) {
    let p = LocalProvider::shared();
    let ws = home("resource-login");
    let api = format!("{}/api/me", p.issuer);
    let resource = format!("{}/api", p.issuer);
    let out = json(&ws.tessera(&[
        "login",
        "--resource-url",
        &api,
        "--register",
        "--profile",
        "demo-api",
        "--timeout",
        "60",
        "--json",
    ]));
    assert_eq!(
        out["resource"],
        resource.as_str(),
        "the login names the resource"
    );
    let client_id = out["client_id"].as_str().expect("a client id").to_string();
    assert!(
        !["tessera", ""].contains(&client_id.as_str()),
        "a client registered now, not a built-in one: {client_id}"
    );
    assert!(
        out["checks"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|c| c["passed"] == true),
        "every check passes (userinfo may only warn): {out}"
    );
    assert_keyring_has(
        &ws.entry("registration:demo-api"),
        "the RFC 7592 handle is in the keyring, nowhere else",
    );
    let profiles =
        std::fs::read_to_string(ws.path().join("profiles.toml")).expect("the profile file");
    assert!(
        profiles.contains("registered_client = true"),
        "the profile says its client was registered: {profiles}"
    );
    assert!(
        !profiles.contains("registration_access_token"),
        "the registration access token never reaches the profile file"
    );

    let token = out["access_token"].as_str().expect("an access token");
    let (status, body) = call_api(&p.issuer, "/api/me", token);
    assert_eq!(
        status, 200,
        "the API accepts the token issued for it: {body}"
    );
    let me: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        me["aud"],
        resource.as_str(),
        "RFC 8707: the token's audience is the API"
    );

    let refreshed = ws.tessera(&["refresh", "--profile", "demo-api"]);
    assert!(
        refreshed.status.success(),
        "the refresh succeeds: {}",
        stderr(&refreshed)
    );
    let token = ws.tessera(&["token", "--profile", "demo-api"]);
    let token = String::from_utf8_lossy(&token.stdout).trim().to_string();
    let (status, body) = call_api(&p.issuer, "/api/me", &token);
    assert_eq!(
        status, 200,
        "the refreshed token is still for the API: {body}"
    );
    let me: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        me["aud"],
        resource.as_str(),
        "the refresh kept the resource"
    );

    let refresh_token =
        stored_refresh_token(&ws.keyring_profile("demo-api")).expect("a refresh token");
    let removed = ws.tessera(&["profiles", "remove", "demo-api", "--delete-registration"]);
    assert!(
        removed.status.success(),
        "removal succeeds: {}",
        stderr(&removed)
    );
    assert_keyring_lacks(
        &ws.entry("registration:demo-api"),
        "the handle goes with the profile",
    );
    let (status, body) = http(
        "POST",
        &format!("{}/token", p.issuer),
        &[("content-type", "application/x-www-form-urlencoded")],
        &format!("grant_type=refresh_token&client_id={client_id}&refresh_token={refresh_token}"),
    );
    assert_eq!(
        status, 401,
        "the provider no longer knows the client: {body}"
    );
    assert!(body.contains("invalid_client"), "{body}");
}

#[test]
fn metadata_for_another_resource_is_refused_and_names_both() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/dev/rs/wrong-resource");
    assert_eq!(code, Some(1), "not usable: {report}");
    assert_eq!(
        row(&report, "resource_matches")["detail"],
        format!(
            "the protected resource metadata's resource is https://elsewhere.example/api, not {}/dev/rs/wrong-resource",
            p.issuer
        )
    );
    assert!(
        report["authorization_servers"]
            .as_array()
            .expect("a list")
            .is_empty(),
        "the document is not used"
    );
}

#[test]
fn metadata_without_authorization_servers_is_refused() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/dev/rs/no-servers");
    assert_eq!(code, Some(1));
    assert_eq!(
        row(&report, "authorization_servers")["passed"],
        false,
        "{report}"
    );
}

#[test]
fn an_authorization_server_whose_metadata_names_another_issuer_is_not_usable() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/dev/rs/issuer-mismatch");
    assert_eq!(code, Some(1), "{report}");
    let detail = row(&report, "server_issuer")["detail"]
        .as_str()
        .expect("a detail")
        .to_string();
    assert!(
        detail.contains("/dev/as/someone-else") && detail.contains("/dev/as/issuer-mismatch"),
        "both issuers are named: {detail}"
    );
    assert_eq!(report["authorization_servers"][0]["usable"], false);
}

#[test]
fn a_server_without_registration_is_usable_and_the_way_forward_is_a_client_id_given_by_hand() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/dev/rs/no-registration");
    assert_eq!(
        code,
        Some(0),
        "usable whatever the registration route: {report}"
    );
    let server = &report["authorization_servers"][0];
    assert_eq!(
        server["registration"]["pre_registered_only"], true,
        "{server}"
    );
    assert!(
        report["way_forward"].as_str().is_some_and(
            |w| w.contains("no registration endpoint") && w.contains("give its client id")
        ),
        "{report}"
    );

    let ws = home("resource-noreg");
    let url = format!("{}/dev/rs/no-registration", p.issuer);
    let out = ws.tessera(&["login", "--resource-url", &url, "--register"]);
    let message = failed(&out);
    assert!(
        message.contains("has no registration endpoint") && message.contains("--client-id"),
        "one line naming the step and the flag: {message}"
    );
    assert_eq!(
        out.status.code(),
        Some(5),
        "the provider cannot do it: exit 5"
    );
    let list = ws.tessera(&["profiles", "list", "--json"]);
    assert!(
        !String::from_utf8_lossy(&list.stdout).contains("127.0.0.1"),
        "no profile is saved: {}",
        String::from_utf8_lossy(&list.stdout)
    );
}

#[test]
fn a_refused_registration_says_why_in_one_line_and_saves_nothing() {
    let p = LocalProvider::shared();
    let ws = home("resource-refused");
    let url = format!("{}/dev/rs/registration-refused", p.issuer);
    let out = ws.tessera(&[
        "login",
        "--resource-url",
        &url,
        "--register",
        "--profile",
        "refused",
    ]);
    let message = failed(&out);
    assert!(
        message.contains(
            "dynamic registration refused: invalid_redirect_uri: loopback redirect URIs are not accepted here"
        ),
        "the provider's reason: {message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    assert_keyring_lacks(&ws.entry("registration:refused"), "no handle kept");
    let list = ws.tessera(&["profiles", "list", "--json"]);
    assert!(
        !String::from_utf8_lossy(&list.stdout).contains("refused"),
        "no profile saved"
    );
}

#[test]
fn an_api_without_resource_metadata_anywhere_is_refused_and_the_well_known_fallback_works() {
    let p = LocalProvider::shared();
    let (code, report) = discover(p, "/dev/rs/no-metadata");
    assert_eq!(code, Some(1), "{report}");
    let detail = row(&report, "resource_metadata")["detail"]
        .as_str()
        .expect("a detail")
        .to_string();
    assert!(
        detail.contains("does not offer RFC 9728 discovery")
            && detail.contains("/.well-known/oauth-protected-resource/dev/rs/no-metadata"),
        "the locations tried are named: {detail}"
    );

    let (code, report) = discover(p, "/dev/rs/well-known-only");
    assert_eq!(code, Some(0), "found at the well-known location: {report}");
    assert_eq!(
        row(&report, "probe")["warning"],
        true,
        "the 401 named no metadata: {report}"
    );
    assert_eq!(
        report["resource_metadata_url"],
        format!(
            "{}/.well-known/oauth-protected-resource/dev/rs/well-known-only",
            p.issuer
        )
    );
}
