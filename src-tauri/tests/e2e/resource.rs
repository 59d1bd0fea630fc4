//! Starting from an API URL in the real window: Add profile → From an API
//! URL walks from the demo API to the local provider (RFC 9728), registers
//! Tessera there (RFC 7591), and the usual sign-in gets a token the API takes
//! (RFC 8707); removing the profile deletes the registration again (RFC 7592).

use std::time::Duration;

use serde_json::Value;
use tessera_testkit::webdriver::Session;
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, built_binary, one_app_at_a_time, Home, LocalProvider,
};

use crate::harness::{artifact, quit, Driver, SIGN_IN_WAIT, UI_WAIT};

/// A checkbox's or radio button's state, which WebDriver's property call
/// returns as a boolean rather than text.
fn checked(app: &Session, testid: &str) -> bool {
    app.execute(&format!(
        "return document.querySelector('[data-testid=\"{testid}\"]').checked"
    ))
    .as_bool()
    .unwrap_or(false)
}

/// The rows of the dialog's report, each as its check id and whether it passed.
fn report_rows(app: &Session) -> Vec<(String, bool)> {
    app.find_all("[data-testid=\"resource-checks\"] [data-check]")
        .iter()
        .map(|r| {
            (
                app.attribute(r, "data-check").unwrap_or_default(),
                app.attribute(r, "data-passed").as_deref() == Some("true"),
            )
        })
        .collect()
}

#[test]
fn a_user_starts_from_the_demo_apis_url_registers_tessera_signs_in_and_calls_the_api() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = Home::new("e2e-resource", built_binary("tessera"));
    let driver = Driver::start(&home);
    let app = driver.app();
    let api = format!("{}/api/me", provider.issuer);
    let resource = format!("{}/api", provider.issuer);
    // The name the engine gives a profile when none is typed: host and port.
    let name = provider
        .issuer
        .trim_start_matches("http://")
        .replace(':', "-");

    app.click("add-profile");
    app.click("add-from-api-url");
    app.type_into("resource-url", &api);
    app.click("resource-discover");

    let way = app.text_of("resource-way-forward", UI_WAIT).to_lowercase();
    assert!(
        way.contains(&format!("sign in through {}", provider.issuer))
            && way.contains("register itself"),
        "the way forward names the provider and its registration: {way}"
    );
    assert_eq!(
        app.attribute(&app.wait("resource-way-forward", UI_WAIT), "data-usable")
            .as_deref(),
        Some("true"),
        "the provider is usable"
    );
    assert_eq!(
        app.text_of("resource-identifier", UI_WAIT),
        resource,
        "the API's resource identifier, from its metadata"
    );
    let rows = report_rows(&app);
    let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    for step in ["probe", "resource_metadata", "scopes", "server_metadata"] {
        assert!(ids.contains(&step), "the {step} step has a row: {ids:?}");
    }
    let failed: Vec<&str> = rows
        .iter()
        .filter(|(_, passed)| !passed)
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(failed.is_empty(), "every step passes: {failed:?}");
    let server = app.wait("resource-server", UI_WAIT);
    assert_eq!(
        app.attribute(&server, "data-usable").as_deref(),
        Some("true"),
        "the local provider is listed as usable: {}",
        app.text(&server)
    );
    assert!(
        app.text(&server).contains("dynamic registration"),
        "its registration route is named: {}",
        app.text(&server)
    );
    assert!(
        checked(&app, "resource-client-register"),
        "registering Tessera is the default where the provider registers clients"
    );
    app.click("resource-client-register");
    assert_eq!(
        app.attribute(&app.wait("resource-profile-name", UI_WAIT), "placeholder")
            .as_deref(),
        Some(name.as_str()),
        "the name field shows the name the engine will choose"
    );
    app.screenshot(&artifact("from-api-url.png"));
    // The report scrolls inside the dialog, between the URL and the buttons;
    // the screenshot waits for the window to paint the scrolled report.
    app.execute(
        "const body = document.querySelector('[data-testid=\"from-api-url-body\"]');
         const steps = document.querySelector('[data-testid=\"resource-checks-summary\"]');
         body.scrollTop += steps.getBoundingClientRect().top - body.getBoundingClientRect().top;",
    );
    std::thread::sleep(Duration::from_millis(300));
    app.screenshot(&artifact("from-api-url-steps.png"));

    app.click("resource-create");
    app.wait_gone("from-api-url", UI_WAIT);
    app.wait_css(
        &format!("[data-testid=\"profile-{name}\"][aria-current=\"true\"]"),
        UI_WAIT,
    );
    let toast = app.wait_until("the set-up toast", UI_WAIT, || {
        app.find_all("[data-testid=\"toast\"]")
            .iter()
            .filter_map(|t| app.try_text(t))
            .find(|t| t.contains("made for"))
    });
    assert_eq!(
        toast,
        format!(
            "Profile {name} made for {resource} (client registered at the provider). Sign in to call the API."
        ),
        "the toast names the profile, the API and the registration"
    );
    assert_keyring_has(
        &home.entry(&format!("registration:{name}")),
        "the registration's management handle is in the keyring",
    );

    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);
    app.click("tab-api");
    app.type_into("api-url", &api);
    app.click("api-send");
    app.wait_until("HTTP 200 from the demo API", UI_WAIT, || {
        app.find("[data-testid=\"api-status\"]")
            .and_then(|e| app.try_text(&e))
            .filter(|t| t.starts_with("200"))
    });
    let body = app.text_of("api-body", UI_WAIT);
    let me: Value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("the demo API answers JSON ({e}): {body}"));
    assert_eq!(
        me["aud"],
        resource.as_str(),
        "RFC 8707: the token was issued for the API: {body}"
    );
    app.scroll_to(&app.wait("api-response", UI_WAIT));
    app.screenshot(&artifact("from-api-url-api.png"));

    // Removing the profile offers to delete its registration, checked.
    app.click("remove-profile");
    app.wait("delete-registration", UI_WAIT);
    assert!(
        checked(&app, "delete-registration"),
        "deleting the registration is the default for a client Tessera registered"
    );
    app.click("remove-confirm");
    app.wait_gone(&format!("profile-{name}"), UI_WAIT);
    assert_keyring_lacks(
        &home.entry(&format!("registration:{name}")),
        "the registration's handle went with the profile",
    );
    quit(app);
}
