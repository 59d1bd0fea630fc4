//! `tessera decode`, `call` and `introspect`: offline decoding with precise
//! errors, and the real local provider's demo API and introspection.

use tessera_testkit::{failed, json, ok, repo_root, stderr, stdout, Home, LocalProvider};

use crate::home;

fn login(ws: &Home, p: &LocalProvider, profile: &str) {
    ok(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
        "--profile",
        profile,
        "--timeout",
        "60",
    ]));
}

#[test]
fn decode_says_which_part_of_a_broken_token_fails_and_why() {
    let ws = home("decode-errors");
    // {"alg":"RS256"} . {"sub":"1","exp":2000000000} . signature
    let good = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoyMDAwMDAwMDAwfQ.c2ln";
    let cases = [
        (
            "not-a-jwt",
            "tessera: a JWT has 3 dot-separated parts (header.payload.signature); this has 1",
        ),
        (
            // Truncated in the middle of the payload: valid base64url, cut JSON.
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoy.c2ln",
            "tessera: the payload is not valid JSON: ",
        ),
        (
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIi*OiIx.c2ln",
            "tessera: the payload is not valid base64url: ",
        ),
        (
            "bm90IGpzb24.eyJzdWIiOiIxIn0.c2ln",
            "tessera: the header is not valid JSON: ",
        ),
        (
            "e30.eyJzdWIiOiIxIn0.c2ln",
            "tessera: the header has no `alg` string",
        ),
        (
            "a.b.c.d.e",
            "tessera: this is an encrypted JWT (JWE, 5 parts)",
        ),
    ];
    for (token, expected) in cases {
        let line = failed(&ws.tessera(&["decode", token]));
        assert!(
            line.starts_with(expected),
            "{token}: expected {expected:?}, got {line:?}"
        );
        assert!(!line.contains(token), "the token is not echoed: {line}");
    }
    let out = ok(&ws.tessera(&["decode", good]));
    assert!(
        out.contains("\"alg\": \"RS256\""),
        "the header is printed: {out}"
    );
    assert!(
        out.contains("exp") && out.contains("2033-05-18"),
        "times are shown as dates: {out}"
    );
    assert!(
        out.contains("Signature: not verified"),
        "decoding alone verifies nothing: {out}"
    );
    let piped = json(&ws.tessera_with_stdin(&["decode", "-", "--json"], &format!("{good}\n")));
    assert_eq!(piped["payload"]["sub"], "1", "stdin works: {piped}");
    assert_eq!(
        piped["verified"],
        serde_json::Value::Null,
        "not verified: {piped}"
    );
}

#[test]
fn decode_verify_checks_an_id_token_against_the_profile_and_fails_with_a_wrong_key() {
    let p = LocalProvider::shared();
    let ws = home("decode-verify");
    login(&ws, p, "decode-verify");
    let id_token = ok(&ws.tessera(&["token", "--id-token", "--profile", "decode-verify"]));
    assert_eq!(id_token.trim().matches('.').count(), 2, "a JWS");
    let out = ws.tessera_with_stdin(
        &[
            "decode",
            "-",
            "--verify",
            "--id-token",
            "--profile",
            "decode-verify",
        ],
        &id_token,
    );
    let text = ok(&out);
    assert!(text.contains("Signature: verified"), "{text}");
    assert!(text.contains("checks passed."), "a passing report: {text}");
    assert!(
        text.contains("Audience"),
        "the client id was checked as audience: {text}"
    );

    let other = repo_root().join("src-tauri/engine/testdata/rsa-other.jwk.json");
    let out = ws.tessera_with_stdin(
        &["decode", "-", "--jwks", other.to_str().unwrap(), "--json"],
        &id_token,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a token that fails verification exits 1: {}",
        stderr(&out)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    assert_eq!(report["verified"], false, "{report}");
    assert_eq!(
        report["signature"]["verified"], false,
        "another key does not verify it"
    );
    ok(&ws.tessera(&["logout", "--profile", "decode-verify"]));
}

#[test]
fn call_sends_the_token_to_the_demo_api_and_a_403_exits_non_zero_with_the_reason() {
    let p = LocalProvider::shared();
    let ws = home("call");
    login(&ws, p, "call");
    let me = json(&ws.tessera(&[
        "call",
        "--profile",
        "call",
        "GET",
        &format!("{}/api/me", p.issuer),
    ]));
    assert_eq!(
        me["claims"]["email"], "demo@example.com",
        "the API saw the demo user: {me}"
    );

    let out = ws.tessera(&[
        "call",
        "--profile",
        "call",
        "GET",
        &format!("{}/api/me", p.issuer),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&ok(&out)).expect("JSON");
    assert_eq!(v["status"], 200);
    assert_eq!(
        v["body"]["client_id"], "tessera",
        "the body is parsed JSON: {v}"
    );
    assert!(v["time_ms"].as_f64().is_some(), "timing is reported: {v}");
    assert!(v["headers"]["content-type"]
        .as_str()
        .unwrap_or_default()
        .contains("json"));

    let admin = ws.tessera(&[
        "call",
        "--profile",
        "call",
        "GET",
        &format!("{}/api/admin", p.issuer),
        "-H",
        "X-Demo: 1",
    ]);
    assert_eq!(
        admin.status.code(),
        Some(22),
        "non-2xx exits 22 like curl --fail"
    );
    assert!(
        stdout(&admin).contains("requires the role 'admin'"),
        "the body with the reason is printed: {}",
        stdout(&admin)
    );
    let line = stderr(&admin);
    assert!(
        line.contains("returned HTTP 403 Forbidden: insufficient_scope (requires role admin)"),
        "one line names the status and the parsed challenge: {line}"
    );

    let refused = failed(&ws.tessera(&[
        "call",
        "--profile",
        "call",
        "GET",
        "http://api.example.com/me",
    ]));
    assert!(
        refused.contains("refusing to send the access token over plain http"),
        "{refused}"
    );
    let bad = failed(&ws.tessera(&[
        "call",
        "--profile",
        "call",
        "POST",
        &format!("{}/api/me", p.issuer),
        "-d",
        "@/nonexistent/body.json",
    ]));
    assert!(
        bad.contains("cannot read the body file /nonexistent/body.json"),
        "{bad}"
    );
    ok(&ws.tessera(&["logout", "--profile", "call"]));
}

#[test]
fn introspect_reports_the_refresh_token_too() {
    let p = LocalProvider::shared();
    let ws = home("introspect-refresh");
    login(&ws, p, "introspect-refresh");
    let out = json(&ws.tessera(&[
        "introspect",
        "--profile",
        "introspect-refresh",
        "--token",
        "refresh",
    ]));
    assert_eq!(out["active"], true, "{out}");
    let lifetime = out["exp"].as_i64().unwrap_or(0) - out["iat"].as_i64().unwrap_or(0);
    assert_eq!(
        lifetime, 86_400,
        "the local provider's refresh tokens live a day, access tokens minutes: {out}"
    );
    ok(&ws.tessera(&["logout", "--profile", "introspect-refresh", "--revoke"]));
    let gone = failed(&ws.tessera(&["introspect", "--profile", "introspect-refresh"]));
    assert!(gone.contains("not signed in"), "{gone}");
}

#[test]
fn call_refreshes_and_retries_once_when_the_api_answers_401_invalid_token() {
    let p = LocalProvider::shared();
    let ws = home("call-retry");
    login(&ws, p, "call-retry");
    let before = ok(&ws.tessera(&["token", "--profile", "call-retry"]));
    // The demo API drops the token it is sent (the grant lives on), through
    // `tessera call` itself: a 204 exits 0.
    let forget = ws.tessera(&[
        "call",
        "--profile",
        "call-retry",
        "POST",
        &format!("{}/api/forget", p.issuer),
    ]);
    ok(&forget);

    let out = ws.tessera(&[
        "call",
        "--profile",
        "call-retry",
        "GET",
        &format!("{}/api/me", p.issuer),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&ok(&out)).expect("JSON");
    assert_eq!(
        v["status"], 200,
        "after the 401, one refresh and one retry succeed: {v}"
    );
    let after = ok(&ws.tessera(&["token", "--profile", "call-retry"]));
    assert_ne!(
        before.trim(),
        after.trim(),
        "the refreshed access token was saved for the next command"
    );

    // A user's own Authorization header is sent as given: no refresh, no
    // retry, and the 401's challenge is named.
    let own = ws.tessera(&[
        "call",
        "--profile",
        "call-retry",
        "GET",
        &format!("{}/api/me", p.issuer),
        "-H",
        "Authorization: Bearer not-a-real-token",
    ]);
    assert_eq!(own.status.code(), Some(22), "a 401 exits 22");
    let line = stderr(&own);
    assert!(
        line.contains("401") && line.contains("invalid_token"),
        "the challenge is named: {line}"
    );
    assert!(
        !line.contains("not-a-real-token"),
        "the sent credential is not echoed: {line}"
    );
    assert_eq!(
        ok(&ws.tessera(&["token", "--profile", "call-retry"])).trim(),
        after.trim(),
        "a 401 for the user's own header does not refresh the session"
    );
    ok(&ws.tessera(&["logout", "--profile", "call-retry"]));
}

#[test]
fn decode_shows_escape_sequences_in_claims_instead_of_sending_them_to_the_terminal() {
    use base64::Engine as _;
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    // A name that would clear the line and print a green "All checks passed",
    // and an issuer that would write the clipboard (OSC 52).
    let token = format!(
        "{}.{}.c2ln",
        b64(serde_json::json!({"alg": "RS256", "kid": "k\u{1b}[31m"})),
        b64(serde_json::json!({
            "name": "Dana\u{1b}[2K\r\u{1b}[32mAll checks passed\u{1b}[0m",
            "iss": "https://idp\u{1b}]52;c;aGk=\u{7}",
            "sub": "\u{9b}31m\u{202e}1"
        }))
    );
    let ws = home("decode-escapes");
    for args in [
        vec!["decode", token.as_str()],
        vec!["decode", token.as_str(), "--json"],
    ] {
        let out = ws.tessera(&args);
        let text = ok(&out);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{args:?}: no control or bidi character reaches the terminal: {text:?}"
        );
        assert!(
            text.contains("Dana") && text.contains("All checks passed"),
            "{args:?}: the text is still shown: {text}"
        );
    }
    let human = stdout(&ws.tessera(&["decode", &token]));
    assert!(
        human.contains("\\u{1b}[32m"),
        "the escape is visible for what it is: {human}"
    );
}
