//! Discovery from an API URL and the profile set up from it, with the
//! scripted HTTP client: the rows of the decision tables in
//! `session::discover` and `session::resource`. The CLI tests walk the same
//! tables against the real local provider.

use serde_json::json;
use tessera_engine::http::Method;
use tessera_engine::session::resource::{ClientChoice, ResourceSetUpRequest, SetUpError};
use tessera_engine::session::SessionStore;

use super::{fixture, Fixture, ISSUER};

const API: &str = "https://api.test/v1/items";
const METADATA: &str = "https://api.test/.well-known/oauth-protected-resource/v1";

/// The API answers 401 naming its metadata, which names the fixture's issuer.
fn api_with_metadata(f: &Fixture, server: serde_json::Value) {
    f.http.queue(
        "/v1/items",
        401,
        json!({}),
        &[(
            "www-authenticate",
            &format!(r#"Bearer realm="api", resource_metadata="{METADATA}", scope="items:read""#),
        )],
    );
    f.http.route(
        "/.well-known/oauth-protected-resource/v1",
        200,
        json!({"resource": "https://api.test/v1", "authorization_servers": [ISSUER]}),
    );
    f.http
        .route("/.well-known/oauth-authorization-server", 200, server);
}

fn server(extra: serde_json::Value) -> serde_json::Value {
    let mut doc = json!({
        "issuer": ISSUER,
        "authorization_endpoint": format!("{ISSUER}/authorize"),
        "token_endpoint": format!("{ISSUER}/token"),
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "scopes_supported": ["openid", "offline_access"],
    });
    for (k, v) in extra.as_object().expect("an object") {
        doc[k] = v.clone();
    }
    doc
}

#[tokio::test]
async fn the_walk_follows_the_401s_metadata_to_the_rfc_8414_document_without_openid_discovery() {
    let f = fixture("rs-walk", super::NOW + 600);
    api_with_metadata(
        &f,
        server(json!({"registration_endpoint": format!("{ISSUER}/register")})),
    );
    let found = f.engine.discover_resource(API).await.expect("a report");
    assert!(found.failure().is_none(), "usable: {found:?}");
    assert_eq!(found.resource.as_deref(), Some("https://api.test/v1"));
    assert_eq!(
        found.scopes,
        ["items:read"],
        "the challenge's scope wins over scopes_supported"
    );
    assert_eq!(
        f.http.seen(),
        [
            "/v1/items",
            "/.well-known/oauth-protected-resource/v1",
            "/.well-known/oauth-authorization-server"
        ],
        "RFC 8414's document was found first, so OpenID discovery is not asked"
    );
    assert!(found.authorization_servers[0].registration.dynamic);
}

#[tokio::test]
async fn a_server_without_pkce_s256_is_not_usable_and_the_failure_names_it() {
    let f = fixture("rs-nopkce", super::NOW + 600);
    api_with_metadata(
        &f,
        server(json!({"code_challenge_methods_supported": ["plain"]})),
    );
    let found = f.engine.discover_resource(API).await.expect("a report");
    let failure = found.failure().expect("no usable server");
    assert!(failure.contains("does not list S256"), "{failure}");
}

#[tokio::test]
async fn a_given_client_id_makes_a_profile_with_the_resource_and_its_scopes_and_registers_nothing()
{
    let f = fixture("rs-given", super::NOW + 600);
    api_with_metadata(
        &f,
        server(json!({"registration_endpoint": format!("{ISSUER}/register")})),
    );
    let set_up = f
        .engine
        .set_up_from_resource(ResourceSetUpRequest {
            url: API.into(),
            profile: Some("items".into()),
            client: ClientChoice::Given("by-hand".into()),
        })
        .await
        .expect("a profile");
    assert_eq!(set_up.profile.client_id, "by-hand");
    assert_eq!(set_up.profile.params.resource, ["https://api.test/v1"]);
    assert_eq!(
        set_up.profile.scopes,
        ["openid", "offline_access", "items:read"]
    );
    assert!(!set_up.registered && !set_up.profile.registered_client);
    assert!(
        !f.http.seen().iter().any(|p| p == "/register"),
        "no registration with a client id given: {:?}",
        f.http.seen()
    );
    let saved = f.engine.profile(Some("items")).expect("saved");
    assert_eq!(
        saved.params.resource,
        ["https://api.test/v1"],
        "the profile file keeps the resource"
    );
}

#[tokio::test]
async fn registration_keeps_its_handle_in_the_keyring_and_removal_deletes_it_with_the_token() {
    let f = fixture("rs-register", super::NOW + 600);
    api_with_metadata(
        &f,
        server(json!({"registration_endpoint": format!("{ISSUER}/register")})),
    );
    f.http.route(
        "/register",
        201,
        json!({
            "client_id": "dyn-1", "token_endpoint_auth_method": "none",
            "registration_client_uri": format!("{ISSUER}/register/dyn-1"),
            "registration_access_token": "rat-secret-value",
        }),
    );
    let set_up = f
        .engine
        .set_up_from_resource(ResourceSetUpRequest {
            url: API.into(),
            profile: Some("items".into()),
            client: ClientChoice::Register,
        })
        .await
        .expect("a profile");
    assert_eq!(set_up.profile.client_id, "dyn-1");
    assert!(set_up.profile.registered_client);
    let handle = SessionStore::new(&f.store)
        .registration("items")
        .expect("the keyring answers")
        .expect("a handle in the keyring");
    assert!(handle.expose().contains("rat-secret-value"));
    let sent = f.http.requests();
    let registration = sent
        .iter()
        .find(|r| r.url.path() == "/register")
        .expect("a registration");
    let body: serde_json::Value =
        serde_json::from_slice(registration.body.as_deref().unwrap_or_default()).expect("JSON");
    assert_eq!(
        body["token_endpoint_auth_method"], "none",
        "a public client"
    );

    // The provider refuses the deletion: everything stays.
    f.http.queue(
        "/register/dyn-1",
        401,
        json!({"error": "invalid_token"}),
        &[],
    );
    let refused = f.engine.remove_profile_and_registration("items").await;
    assert!(refused.is_err(), "a refused deletion is an error");
    assert!(
        f.engine.profile(Some("items")).is_ok(),
        "the profile is kept after a refusal"
    );

    f.http.queue("/register/dyn-1", 204, json!({}), &[]);
    assert!(f
        .engine
        .remove_profile_and_registration("items")
        .await
        .expect("removed"));
    let delete = f
        .http
        .requests()
        .into_iter()
        .rfind(|r| r.url.path() == "/register/dyn-1")
        .expect("a DELETE");
    assert_eq!(delete.method, Method::Delete);
    assert!(
        delete
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer rat-secret-value"),
        "RFC 7592: the registration access token authorizes the deletion"
    );
    assert!(
        SessionStore::new(&f.store)
            .registration("items")
            .expect("answers")
            .is_none(),
        "the handle is gone with the profile"
    );
}

#[tokio::test]
async fn a_refused_registration_saves_nothing_and_says_the_providers_reason() {
    let f = fixture("rs-refused", super::NOW + 600);
    api_with_metadata(
        &f,
        server(json!({"registration_endpoint": format!("{ISSUER}/register")})),
    );
    f.http.route(
        "/register",
        400,
        json!({"error": "invalid_redirect_uri", "error_description": "no loopback"}),
    );
    let err = f
        .engine
        .set_up_from_resource(ResourceSetUpRequest {
            url: API.into(),
            profile: Some("items".into()),
            client: ClientChoice::Automatic,
        })
        .await
        .expect_err("refused");
    assert!(matches!(err, SetUpError::RegistrationRefused(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "dynamic registration refused: invalid_redirect_uri: no loopback"
    );
    assert!(f.engine.profile(Some("items")).is_err(), "no profile saved");
}

#[tokio::test]
async fn without_a_registration_endpoint_asking_to_register_names_the_way_forward() {
    let f = fixture("rs-noreg", super::NOW + 600);
    api_with_metadata(&f, server(json!({})));
    let err = f
        .engine
        .set_up_from_resource(ResourceSetUpRequest {
            url: API.into(),
            profile: None,
            client: ClientChoice::Register,
        })
        .await
        .expect_err("no route");
    assert!(matches!(err, SetUpError::NoRegistration(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("register a client by hand and give its client id"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refresh_of_a_profile_with_a_resource_sends_the_resource_again() {
    let f = fixture("rs-refresh", super::NOW - 5);
    let mut profile = f.engine.profile(Some("p")).expect("the fixture's profile");
    profile.params.resource = vec!["https://api.test/v1".into()];
    let mut file = tessera_engine::profile::ProfileFile::load(f.engine.paths()).expect("the file");
    file.upsert(profile);
    file.save(f.engine.paths()).expect("saved");
    f.http.route(
        "/token",
        200,
        json!({"access_token": "new-access", "token_type": "Bearer", "expires_in": 300}),
    );
    f.engine.access_token(Some("p")).await.expect("refreshed");
    let token = f
        .http
        .requests()
        .into_iter()
        .find(|r| r.url.path() == "/token")
        .expect("a token request");
    let form = String::from_utf8(token.body.unwrap_or_default()).expect("a form");
    assert!(
        form.contains("resource=https%3A%2F%2Fapi.test%2Fv1"),
        "RFC 8707: the refresh asks for the same resource: {form}"
    );
}
