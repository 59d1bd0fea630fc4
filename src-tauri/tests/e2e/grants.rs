//! The other grants in the real window: a device-flow sign-in with its code
//! and QR code, a client-credentials profile calling the demo API, and a
//! client key generated in the editor whose public JWK Set is copied.

use tessera_testkit::{
    assert_keyring_has, built_binary, ok, one_app_at_a_time, Home, LocalProvider,
};

use crate::harness::{artifact, clipboard, Driver, SIGN_IN_WAIT, UI_WAIT};

fn save_profile(home: &Home, args: &[&str]) {
    let mut all = vec!["profiles", "save"];
    all.extend_from_slice(args);
    ok(&home.tessera(&all));
}

#[test]
fn a_device_flow_sign_in_shows_the_code_and_a_qr_code_until_the_browser_approves_it() {
    let _one = one_app_at_a_time();
    // Six seconds between polls: the panel stays up long enough to look at.
    let provider = LocalProvider::start(&["--device-interval", "6"]);
    let home = Home::new("e2e-device", built_binary("tessera"));
    save_profile(
        &home,
        &[
            "--profile",
            "tv",
            "--issuer",
            &provider.issuer,
            "--client-id",
            "tessera",
            "--grant",
            "device",
        ],
    );
    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("sign-in");
    let code = app.text_of("device-code", UI_WAIT);
    assert!(
        code.len() >= 8 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "the user code is shown large and readable: {code:?}"
    );
    let qr = app.wait("device-qr", UI_WAIT);
    assert_eq!(
        app.attribute(&qr, "role").as_deref(),
        Some("img"),
        "the QR code is an image with a text alternative"
    );
    let uri_element = app.wait("device-verification-uri", UI_WAIT);
    let uri = app
        .property(&uri_element, "textContent")
        .unwrap_or_default();
    assert!(
        uri.starts_with(&provider.issuer) && uri.contains("/device"),
        "the verification URI is shown: {uri}"
    );
    app.screenshot(&artifact("device-flow.png"));
    app.wait("session", SIGN_IN_WAIT);
    assert_eq!(
        app.text_of("user-email", UI_WAIT),
        "demo@example.com",
        "the browser approved the code as the demo user"
    );
    assert_keyring_has(&home.entry("session:tv"), "the session is in the keyring");
    app.end();
}

#[test]
fn a_client_credentials_profile_shows_a_service_token_and_calls_the_demo_api() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-service", built_binary("tessera"));
    save_profile(
        &home,
        &[
            "--profile",
            "svc",
            "--issuer",
            &provider.issuer,
            "--client-id",
            "tessera-service",
            "--client-secret",
            "tessera-demo-secret",
            "--grant",
            "client-credentials",
        ],
    );
    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("sign-in");
    app.wait("service-session", SIGN_IN_WAIT);
    assert!(
        app.find("[data-testid=\"user-email\"]").is_none(),
        "a service has no user, so no claims card"
    );
    assert!(
        app.text_of("service-session", UI_WAIT)
            .contains("tessera-service"),
        "the card names the client"
    );
    app.click("tab-api");
    let url = format!("{}/api/me", provider.issuer);
    app.type_into("api-url", &url);
    app.click("api-send");
    app.wait_until("HTTP 200 from the demo API", UI_WAIT, || {
        app.find("[data-testid=\"api-status\"]")
            .and_then(|e| app.try_text(&e))
            .filter(|t| t.starts_with("200"))
            .map(|_| ())
    });
    let body = app.text_of("api-body", UI_WAIT);
    assert!(
        body.contains("tessera-service"),
        "the API saw the service's token: {body}"
    );
    app.screenshot(&artifact("service-profile.png"));

    // Token exchange from the inspector: the service's token for the API's
    // audience; the issued token stays in Rust and is introspected there.
    app.click("tab-inspector");
    let exchange = app.wait("exchange", UI_WAIT);
    app.execute(
        "const d = document.querySelector('[data-testid=\"exchange\"]'); d.open = true; d.scrollIntoView({block: 'center'});",
    );
    let audience = format!("{}/api", provider.issuer);
    app.type_into("exchange-audiences", &audience);
    app.click("exchange-submit");
    let result = app.wait("exchange-result", SIGN_IN_WAIT);
    assert!(
        app.text(&result)
            .contains("urn:ietf:params:oauth:token-type:access_token"),
        "the issued token type is shown: {}",
        app.text(&result)
    );
    app.execute(
        "document.querySelector('[data-testid=\"introspect-exchanged-token\"]').scrollIntoView({block: 'center'})",
    );
    app.click("introspect-exchanged-token");
    // The local provider keeps no record of the JWTs it issues for the API,
    // so it answers 400 unsupported_token_type (RFC 7662 §4) for them: what
    // the window must show is the provider's answer, whichever it is.
    let shown = app.wait_until("the provider's introspection answer", UI_WAIT, || {
        if let Some(e) = app.find("[data-testid=\"introspection-exchanged\"]") {
            return app
                .attribute(&e, "data-active")
                .map(|a| format!("active={a}"));
        }
        app.find_all("[data-testid=\"toast\"]")
            .iter()
            .filter_map(|t| app.try_text(t))
            .find(|t| t.contains("introspection endpoint"))
    });
    assert!(
        shown.starts_with("active=") || shown.contains("unsupported_token_type"),
        "the introspection answer or the provider's refusal is shown: {shown}"
    );
    let _ = exchange;
    app.end();
}

#[test]
fn a_user_generates_a_client_key_in_the_editor_and_copies_its_public_jwks() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-key", built_binary("tessera"));
    save_profile(
        &home,
        &[
            "--profile",
            "pk",
            "--issuer",
            &provider.issuer,
            "--client-id",
            "registered-later",
            "--client-auth",
            "private-key-jwt",
            "--grant",
            "client-credentials",
        ],
    );
    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("edit-profile");
    app.wait("client-key", UI_WAIT);
    app.select("key-alg", "ES256");
    app.click("key-generate");
    let kid = app.text_of("key-kid", UI_WAIT);
    assert_eq!(
        kid.len(),
        43,
        "the kid is a SHA-256 thumbprint, base64url: {kid:?}"
    );
    let jwks = app.text_of("key-jwks", UI_WAIT);
    assert!(
        jwks.contains(&kid),
        "the public JWK Set names the kid: {jwks}"
    );
    assert!(
        !jwks.contains("\"d\""),
        "the webview never sees the private key: {jwks}"
    );
    assert_keyring_has(
        &home.entry("client-key:pk"),
        "the private key is in the keyring",
    );
    // Into the middle of the window, clear of the toasts in its corner.
    app.execute(
        "document.querySelector('[data-testid=\"copy-jwks\"]').scrollIntoView({block: 'center'})",
    );
    app.click("copy-jwks");
    let copied = app.wait_until("the public JWK Set on the clipboard", UI_WAIT, || {
        clipboard().filter(|c| c.contains(&kid))
    });
    let parsed: serde_json::Value =
        serde_json::from_str(&copied).expect("the clipboard holds JSON");
    assert_eq!(
        parsed["keys"][0]["kid"], kid,
        "the copied JWK Set is the shown one"
    );
    assert!(
        parsed["keys"][0].get("d").is_none(),
        "and holds no private member"
    );
    app.screenshot(&artifact("client-key.png"));
    app.end();
}

#[test]
fn the_fapi_preset_signs_in_with_par_and_dpop_and_the_inspector_shows_the_binding() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&["--fapi"]);
    let home = Home::new("e2e-fapi", built_binary("tessera"));
    // The key first, registered with the provider, as a user does; the
    // editor finds it under the profile's name.
    let jwks = ok(&home.tessera(&["keys", "generate", "--profile", "fapi", "--alg", "ES256"]));
    let (status, body) = tessera_testkit::http(
        "POST",
        &format!("{}/reg", provider.issuer),
        &[("content-type", "application/json")],
        &serde_json::json!({
            "application_type": "native",
            "redirect_uris": ["http://127.0.0.1/callback"],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "ES256",
            "jwks": serde_json::from_str::<serde_json::Value>(&jwks).expect("a JWK Set"),
            "dpop_bound_access_tokens": true,
        })
        .to_string(),
    );
    assert_eq!(status, 201, "registered: {body}");
    let client: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let client_id = client["client_id"].as_str().expect("a client id");

    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("add-profile");
    app.wait("preset", UI_WAIT);
    app.select("preset", "fapi2");
    app.type_into("preset-field-issuer", &provider.issuer);
    app.type_into("profile-name", "fapi");
    app.type_into("profile-client-id", client_id);
    app.click("profile-save");
    app.wait_css(
        "[data-testid=\"profile-fapi\"][aria-current=\"true\"]",
        UI_WAIT,
    );
    let saved = std::fs::read_to_string(home.path().join("profiles.toml")).expect("profiles.toml");
    for setting in [
        "par = true",
        "dpop = true",
        "client_auth = \"private_key_jwt\"",
    ] {
        assert!(
            saved.contains(setting),
            "the FAPI 2.0 preset turned on {setting}: {saved}"
        );
    }

    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);
    app.click("tab-api");
    let url = format!("{}/api/dpop/me", provider.issuer);
    app.type_into("api-url", &url);
    app.click("api-send");
    app.wait_until("HTTP 200 from the DPoP route", UI_WAIT, || {
        app.find("[data-testid=\"api-status\"]")
            .and_then(|e| app.try_text(&e))
            .filter(|t| t.starts_with("200"))
            .map(|_| ())
    });
    assert!(
        app.text_of("api-body", UI_WAIT).contains("jkt"),
        "the DPoP route saw a bound token and its proof"
    );

    app.click("tab-inspector");
    app.click("introspect-access");
    let row = app.wait_css(
        "[data-testid=\"report-introspection-access\"] [data-check=\"dpop_binding\"]",
        UI_WAIT,
    );
    assert_eq!(
        app.attribute(&row, "data-passed").as_deref(),
        Some("true"),
        "the token is bound to the profile's DPoP key"
    );
    app.execute(
        "document.querySelector('[data-testid=\"report-introspection-access\"]').scrollIntoView({block: 'center'})",
    );
    app.screenshot(&artifact("fapi-dpop-binding.png"));
    app.end();
}
