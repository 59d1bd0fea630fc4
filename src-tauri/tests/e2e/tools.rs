//! The inspector and API tabs of the signed-in window, end to end.

use std::process::Command;
use std::time::Duration;

use tessera_testkit::{
    assert_keyring_lacks, built_binary, ok, one_app_at_a_time, stored_refresh_token, LocalProvider,
};

use crate::harness::{artifact, clipboard, home_with_profile, quit, Driver, SIGN_IN_WAIT, UI_WAIT};
use tessera_testkit::webdriver::Session;

/// Waits until the API panel shows a status starting with `status`.
fn wait_status(app: &Session, what: &str, status: &str) {
    app.wait_until(what, UI_WAIT, || {
        app.find("[data-testid=\"api-status\"]")
            .and_then(|e| app.try_text(&e))
            .filter(|t| t.starts_with(status))
            .map(|_| ())
    });
}

/// Sends the API panel's request to `url` and waits for a status starting
/// with `status`; returns the shown body.
fn send(app: &Session, url: &str, status: &str) -> String {
    app.type_into("api-url", url);
    app.click("api-send");
    wait_status(app, &format!("HTTP {status} from {url}"), status);
    app.text_of("api-body", UI_WAIT)
}

#[test]
fn a_signed_in_user_inspects_the_tokens_and_calls_the_demo_api_and_copy_as_curl_works_in_a_shell() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = home_with_profile("e2e-tools", "tools", &provider.issuer);
    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);

    // Inspector: the access token's live countdown and the ID token's report.
    app.click("tab-inspector");
    app.wait("token-access", UI_WAIT);
    let countdown = app.wait("token-access-countdown", UI_WAIT);
    let first = app.text(&countdown);
    assert!(first.contains("expires in"), "a live countdown: {first}");
    let expires_at: i64 = app
        .attribute(&countdown, "data-expires-at")
        .and_then(|v| v.parse().ok())
        .expect("the countdown carries the expiry");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    assert!(
        expires_at > now,
        "the access token is not expired yet: {expires_at} vs {now}"
    );
    app.wait_until("the countdown to tick", Duration::from_secs(5), || {
        let t = app.text_of("token-access-countdown", UI_WAIT);
        (t != first).then_some(())
    });

    let rows = app.find_all("[data-testid=\"report-id\"] [data-check]");
    assert!(
        rows.len() >= 8,
        "a row per check of the ID token: {}",
        rows.len()
    );
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| app.attribute(r, "data-passed").as_deref() != Some("true"))
        .map(|r| app.text(r))
        .collect();
    assert!(
        failed.is_empty(),
        "every check passes right after sign-in: {failed:?}"
    );
    let checks: Vec<String> = rows
        .iter()
        .filter_map(|r| app.attribute(r, "data-check"))
        .collect();
    for id in ["alg", "signature", "issuer", "audience", "expiry", "nonce"] {
        assert!(
            checks.iter().any(|c| c == id),
            "the {id} check is listed: {checks:?}"
        );
    }
    let summary = app.text_of("report-id-summary", UI_WAIT);
    assert!(summary.contains("passed"), "a passing summary: {summary}");

    app.click("introspect-access");
    let answer = app.wait("introspection-access", UI_WAIT);
    app.wait_until("the introspection answer", UI_WAIT, || {
        app.attribute(&answer, "data-active")
            .filter(|a| a == "true")
            .map(|_| ())
    });
    app.scroll_to(&app.wait("token-access", UI_WAIT));
    app.screenshot(&artifact("inspector.png"));

    // Refresh now: the history gains an entry, and the newest two are
    // compared claim by claim.
    app.click("inspector-refresh");
    let changes = app.wait_until("the history's diff after a refresh", UI_WAIT, || {
        if app.find_all("[data-testid=\"history-entry\"]").len() < 2 {
            return None;
        }
        let rows = app.find_all("[data-testid=\"history-diff\"] tr[data-change]");
        (!rows.is_empty()).then(|| {
            rows.iter()
                .map(|r| {
                    (
                        app.attribute(r, "data-change").unwrap_or_default(),
                        app.text(r),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    assert!(
        changes
            .iter()
            .any(|(kind, text)| kind == "changed" && text.contains("exp")),
        "a refresh moves the expiry, and the diff says so: {changes:?}"
    );

    // Paste a JWT: a malformed one gets a precise error, the refreshed ID
    // token verifies against the profile's provider keys.
    app.type_into("decode-input", "eyJhbGciOiJSUzI1NiJ9.e30");
    let error = app.text_of("decode-error", UI_WAIT);
    assert!(
        error.contains("3 dot-separated parts") && error.contains("this has 2"),
        "the error says which part is missing: {error}"
    );
    let id_token = ok(&home.tessera(&["token", "--id-token", "--profile", "tools"]));
    app.type_into("decode-input", id_token.trim());
    app.wait_gone("decode-error", UI_WAIT);
    app.click("verify-profile");
    app.click("verify-run");
    let pasted = app.wait_until("the pasted token's report", UI_WAIT, || {
        app.find("[data-testid=\"report-pasted-summary\"]")
            .and_then(|e| app.try_text(&e))
            .filter(|t| t.contains("passed") || t.contains("failed"))
    });
    assert!(
        pasted.contains("passed") && !pasted.contains("failed"),
        "the current ID token verifies against the provider's keys: {pasted}"
    );

    // API panel: /api/me answers with the claims, /api/admin refuses.
    app.click("tab-api");
    let me = send(&app, &format!("{}/api/me", provider.issuer), "200");
    assert!(
        me.contains("demo@example.com"),
        "the claims are shown: {me}"
    );
    app.scroll_to(&app.wait("api-response", UI_WAIT));
    app.screenshot(&artifact("api.png"));
    let admin = send(&app, &format!("{}/api/admin", provider.issuer), "403");
    assert!(
        admin.contains("requires the role 'admin'"),
        "the reason is shown: {admin}"
    );
    let challenge = app.text_of("api-challenge", UI_WAIT);
    assert!(
        challenge.contains("insufficient_scope"),
        "the parsed challenge: {challenge}"
    );
    app.scroll_to(&app.wait("api-response", UI_WAIT));
    app.screenshot(&artifact("api-403.png"));

    // The API drops the access token before its exp (its /api/forget does
    // what a resource server's key rotation would): the next call gets 401
    // invalid_token, and the panel offers one retry after a refresh.
    let dropped = ok(&home.tessera(&["token", "--profile", "tools"]));
    let out = Command::new("curl")
        .args(["-sS", "--fail", "-X", "POST", "-H"])
        .arg(format!("Authorization: Bearer {}", dropped.trim()))
        .arg(format!("{}/api/forget", provider.issuer))
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "the demo API dropped the access token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    send(&app, &format!("{}/api/me", provider.issuer), "401");
    let challenge = app.text_of("api-challenge", UI_WAIT);
    assert!(
        challenge.contains("invalid_token"),
        "the 401's challenge is parsed: {challenge}"
    );
    app.click("api-retry");
    wait_status(&app, "HTTP 200 after Refresh and retry", "200");
    app.wait("api-refreshed", UI_WAIT);
    let fresh = ok(&home.tessera(&["token", "--profile", "tools"]));
    assert_ne!(
        fresh.trim(),
        dropped.trim(),
        "the retry saved a new access token"
    );

    // Copy as curl, then run what was copied in a shell.
    send(&app, &format!("{}/api/me", provider.issuer), "200");
    let preview = app.wait_until("the curl command for /api/me", UI_WAIT, || {
        let text = app.text_of("api-curl", UI_WAIT);
        text.contains("/api/me").then_some(text)
    });
    assert!(
        preview.contains("$(tessera token --profile tools)"),
        "the token is fetched when the command runs, not pasted in: {preview}"
    );
    app.click("api-copy-curl");
    app.wait("api-copied", UI_WAIT);
    let command = match clipboard() {
        Some(copied) => {
            assert_eq!(
                copied.trim(),
                preview.trim(),
                "the clipboard holds the shown command"
            );
            copied
        }
        None => preview,
    };
    let bin_dir = built_binary("tessera")
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let path = format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default());
    let out = home
        .apply(&mut Command::new("sh"))
        .args(["-c", &format!("{command} -sS --fail")])
        .env("PATH", path)
        .output()
        .expect("sh runs");
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && body.contains("demo@example.com"),
        "the copied curl command works in a shell: {body} {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The HTTP log lists the exchanges and never shows the token.
    app.click("tab-http-log");
    app.wait("http-log-table", UI_WAIT);
    let rows = app.find_all("[data-testid=\"http-log-row\"]");
    assert!(
        rows.len() >= 5,
        "discovery, JWKS, token, userinfo, API…: {}",
        rows.len()
    );
    let token = ok(&home.tessera(&["token", "--profile", "tools"]));
    assert!(
        !app.body_text().contains(token.trim()),
        "the access token never appears in the log"
    );
    // The newest exchange is the API call, which carried the bearer token.
    app.click_element(&rows[0]);
    let detail = app.text_of("http-log-detail", UI_WAIT);
    assert!(
        detail.contains("/api/me") && detail.contains("Bearer [redacted]"),
        "the opened API call shows its Authorization header redacted: {detail}"
    );
    assert!(
        !app.body_text().contains(token.trim()),
        "nor in an opened exchange"
    );
    app.screenshot(&artifact("http-log.png"));

    app.click("tab-provider");
    let keys = app.text_of("provider-keys", UI_WAIT);
    assert!(
        keys.contains("RSA") || keys.contains("EC"),
        "the JWKS keys are listed: {keys}"
    );
    app.scroll_to(&app.wait("provider-keys", UI_WAIT));
    app.screenshot(&artifact("provider.png"));

    let refresh_token = stored_refresh_token(&home.keyring_profile("tools"))
        .expect("the session keeps a refresh token");

    // Revoking the refresh token, after a confirmation, signs the profile out
    // here and at the provider.
    app.click("tab-inspector");
    app.click("revoke-refresh");
    app.click("revoke-dialog-ok");
    app.wait("sign-in", UI_WAIT);
    assert_keyring_lacks(&home.entry("session:tools"), "the session left the keyring");
    let out = Command::new("curl")
        .args(["-sS", "--fail", "-d", "client_id=tessera", "-d"])
        .arg(format!("token={refresh_token}"))
        .arg(format!("{}/token/introspection", provider.issuer))
        .output()
        .expect("curl runs");
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(
        answer.contains("\"active\":false"),
        "the provider no longer honours the refresh token: {answer}"
    );
    quit(app);

    // The app's own log (its stderr, at every level) names every exchange
    // and no secret, and nothing shaped like a JWT.
    let log = std::fs::read_to_string(home.path().join("driver.log")).unwrap_or_default();
    assert!(
        log.contains("token endpoint") && log.contains("/api/me"),
        "the app logged its exchanges at debug level: {log}"
    );
    assert!(log.contains("TRACE"), "trace level is on");
    assert!(!log.contains("eyJ"), "no JWT-shaped value in the app's log");
    for (what, secret) in [
        ("access token", token.trim()),
        ("ID token", id_token.trim()),
        ("refresh token", refresh_token.as_str()),
    ] {
        assert!(
            !log.contains(secret),
            "the {what} never appears in the app's log"
        );
    }
}
