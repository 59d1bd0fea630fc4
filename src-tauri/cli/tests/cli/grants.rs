//! Every grant and client authentication against the real local provider,
//! with the real keyring: client credentials (renewed when due), the device
//! flow approved by the browser stand-in at the verification URI, token
//! exchange, `client_secret_jwt` and `private_key_jwt` with each algorithm,
//! and the refused cases, each with its one line and nothing stored.

use serde_json::{json, Value};
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, call_api, curl_get, failed, http, json, ok, stderr,
    Home, LocalProvider,
};

use crate::home;

const SERVICE_SECRET: &str = "tessera-demo-secret";
const HS256_SECRET: &str = "tessera-demo-secret-for-hs256-assertions-0123456789";

fn exit_code(o: &std::process::Output) -> Option<i32> {
    o.status.code()
}

/// Signs a profile in with the client credentials grant; `extra` adds flags.
fn service_login(
    ws: &Home,
    issuer: &str,
    profile: &str,
    client: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "login",
        "--grant",
        "client-credentials",
        "--issuer",
        issuer,
        "--client-id",
        client,
        "--profile",
        profile,
        "--json",
    ];
    args.extend_from_slice(extra);
    ws.tessera(&args)
}

/// Registers a client at the provider (RFC 7591) and returns its client id.
fn register(issuer: &str, metadata: Value) -> String {
    let (status, body) = http(
        "POST",
        &format!("{issuer}/reg"),
        &[("content-type", "application/json")],
        &metadata.to_string(),
    );
    assert_eq!(status, 201, "the provider registers the client: {body}");
    let answer: Value = serde_json::from_str(&body).expect("a JSON registration answer");
    answer["client_id"]
        .as_str()
        .expect("a client_id in the answer")
        .to_string()
}

/// A service client authenticating with `private_key_jwt` and these keys.
fn register_key_client(issuer: &str, jwks: &Value, alg: &str) -> String {
    register(
        issuer,
        json!({
            "client_name": format!("tessera test {alg}"),
            "grant_types": ["client_credentials"],
            "response_types": [],
            "redirect_uris": [],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": alg,
            "jwks": jwks,
        }),
    )
}

fn generate_key(ws: &Home, profile: &str, alg: &str) -> Value {
    json(&ws.tessera(&["keys", "generate", "--profile", profile, "--alg", alg]))
}

#[test]
fn a_service_profile_gets_its_own_token_and_token_asks_for_a_new_one_when_it_is_due() {
    // 20 s tokens: always inside the 30 s margin, so every use renews.
    let p = LocalProvider::short_lived();
    let ws = home("grant-service");
    let out = json(&service_login(
        &ws,
        &p.issuer,
        "svc",
        "tessera-service",
        &["--client-secret", SERVICE_SECRET],
    ));
    assert_eq!(out["subject"], Value::Null, "a service has no user");
    assert_eq!(out["id_token_claims"], Value::Null, "and no ID token");
    assert_eq!(
        out["refresh_token_present"], false,
        "RFC 6749 §4.4.3: no refresh token"
    );
    assert_eq!(out["grant"], "client_credentials");
    let checks = out["checks"].as_array().expect("a report");
    assert!(
        checks
            .iter()
            .any(|c| c["id"] == "client_auth" && c["passed"] == true),
        "the report says how the client authenticated: {checks:?}"
    );
    assert_keyring_has(&ws.entry("session:svc"), "the service session is stored");

    let first = out["access_token"].as_str().expect("a token").to_string();
    let renewed = ok(&ws.tessera(&["token", "--profile", "svc"]));
    assert_ne!(
        renewed.trim(),
        first,
        "a token within the refresh margin is replaced by a new client credentials token"
    );
    let (status, body) = call_api(&p.issuer, "/api/me", renewed.trim());
    assert_eq!(
        status, 200,
        "the demo API accepts the service token: {body}"
    );
    assert!(
        body.contains("tessera-service"),
        "issued to the service client: {body}"
    );

    let introspection = json(&ws.tessera(&["introspect", "--profile", "svc"]));
    assert_eq!(
        introspection["active"], true,
        "introspected with the client's secret"
    );
    ok(&ws.tessera(&["logout", "--profile", "svc", "--revoke"]));
    assert_keyring_lacks(&ws.entry("session:svc"), "signed out");
    let (status, _) = call_api(&p.issuer, "/api/me", renewed.trim());
    assert_eq!(status, 401, "the revoked token is refused by the API");
}

#[test]
fn a_service_token_for_the_api_resource_carries_its_audience_and_only_the_scopes_asked_for() {
    let p = LocalProvider::shared();
    let ws = home("grant-resource");
    let api = format!("{}/api", p.issuer);
    let out = json(&service_login(
        &ws,
        &p.issuer,
        "svc-api",
        "tessera-service",
        &[
            "--client-secret",
            SERVICE_SECRET,
            "--scope",
            "api:read",
            "--resource",
            &api,
        ],
    ));
    assert_eq!(
        out["scopes"],
        json!(["api:read"]),
        "exactly the scopes given: no openid for a service"
    );
    let token = out["access_token"].as_str().expect("a token");
    let (status, body) = call_api(&p.issuer, "/api/me", token);
    assert_eq!(status, 200, "the API accepts a token issued for it: {body}");
    let me: Value = serde_json::from_str(&body).expect("JSON from the demo API");
    assert_eq!(
        me["aud"],
        json!(api),
        "RFC 8707: the token names the API: {body}"
    );
}

#[test]
fn a_wrong_client_secret_is_refused_with_one_line_and_nothing_is_stored() {
    let p = LocalProvider::shared();
    let ws = home("grant-wrong-secret");
    let out = service_login(
        &ws,
        &p.issuer,
        "svc-wrong",
        "tessera-service",
        &["--client-secret", "not-the-secret"],
    );
    let line = failed(&out);
    assert!(
        line.contains("the provider refused the client's credentials (invalid_client"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(6), "a refused client exits 6");
    assert_keyring_lacks(&ws.entry("session:svc-wrong"), "nothing stored");
    let profiles = json(&ws.tessera(&["profiles", "list", "--json"]));
    assert_eq!(profiles, json!([]), "a failed sign-in saves no profile");
}

#[test]
fn client_secret_jwt_signs_in_with_an_assertion_and_a_wrong_secret_is_refused() {
    let p = LocalProvider::shared();
    let ws = home("grant-secret-jwt");
    let flags = ["--client-auth", "client-secret-jwt", "--client-secret"];
    let mut good = flags.to_vec();
    good.push(HS256_SECRET);
    let out = json(&service_login(
        &ws,
        &p.issuer,
        "hs",
        "tessera-secret-jwt",
        &good,
    ));
    let token = out["access_token"].as_str().expect("a token");
    assert_eq!(call_api(&p.issuer, "/api/me", token).0, 200);
    let introspection = json(&ws.tessera(&["introspect", "--profile", "hs"]));
    assert_eq!(
        introspection["active"], true,
        "introspection authenticates with a fresh assertion too"
    );

    let mut bad = flags.to_vec();
    bad.push("a-different-secret-that-is-long-enough-0123456789");
    let refused = service_login(&ws, &p.issuer, "hs-bad", "tessera-secret-jwt", &bad);
    let line = failed(&refused);
    assert!(
        line.contains("the provider refused the client assertion (invalid_client"),
        "{line}"
    );
    assert_eq!(exit_code(&refused), Some(6));
    assert_keyring_lacks(&ws.entry("session:hs-bad"), "nothing stored");
}

#[test]
fn private_key_jwt_works_with_every_algorithm_and_the_key_never_leaves_the_keyring() {
    let p = LocalProvider::shared();
    let ws = home("grant-pkjwt");
    for alg in ["ES256", "RS256", "PS256", "EdDSA"] {
        let profile = format!("key-{}", alg.to_ascii_lowercase());
        let jwks = generate_key(&ws, &profile, alg);
        let key = &jwks["keys"][0];
        assert_eq!(key["alg"], alg, "{alg}: the JWK names its algorithm");
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(
                key.get(private).is_none(),
                "{alg}: no private member {private}"
            );
        }
        assert_keyring_has(
            &ws.entry(&format!("client-key:{profile}")),
            "the private key is in the keyring",
        );
        let shown = json(&ws.tessera(&["keys", "show", "--profile", &profile]));
        assert_eq!(
            shown, jwks,
            "{alg}: keys show prints the same public JWK Set"
        );

        let client = register_key_client(&p.issuer, &jwks, alg);
        let out = json(&service_login(
            &ws,
            &p.issuer,
            &profile,
            &client,
            &["--client-auth", "private-key-jwt"],
        ));
        let token = out["access_token"].as_str().expect("a token");
        assert_eq!(
            call_api(&p.issuer, "/api/me", token).0,
            200,
            "{alg}: the API accepts the token"
        );
    }
    let file = std::fs::read_to_string(ws.path().join("profiles.toml")).expect("the profile file");
    assert!(
        !file.contains("PRIVATE KEY") && file.contains("kid ="),
        "the profile file has the key's kid and never the key: {file}"
    );
}

#[test]
fn the_assertion_audience_can_be_the_token_endpoint_for_older_providers() {
    let p = LocalProvider::shared();
    let ws = home("grant-aud");
    let jwks = generate_key(&ws, "aud", "ES256");
    let client = register_key_client(&p.issuer, &jwks, "ES256");
    let out = service_login(
        &ws,
        &p.issuer,
        "aud",
        &client,
        &[
            "--client-auth",
            "private-key-jwt",
            "--assertion-audience",
            "token-endpoint",
        ],
    );
    ok(&out);
    let profile = json(&ws.tessera(&["profiles", "show", "aud", "--json"]));
    assert_eq!(
        profile["assertion_audience"], "token_endpoint",
        "the setting is saved: {profile}"
    );
}

#[test]
fn a_key_the_provider_does_not_hold_is_refused_and_nothing_is_stored() {
    let p = LocalProvider::shared();
    let ws = home("grant-wrong-key");
    let registered = generate_key(&ws, "wrong-key", "ES256");
    let client = register_key_client(&p.issuer, &registered, "ES256");
    // A new key replaces the registered one in the keyring.
    generate_key(&ws, "wrong-key", "ES256");
    let out = service_login(
        &ws,
        &p.issuer,
        "wrong-key",
        &client,
        &["--client-auth", "private-key-jwt"],
    );
    let line = failed(&out);
    assert!(
        line.contains("the provider refused the client assertion (invalid_client"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(6));
    assert_keyring_lacks(&ws.entry("session:wrong-key"), "nothing stored");
}

#[test]
fn private_key_jwt_without_a_key_says_to_make_one() {
    let p = LocalProvider::shared();
    let ws = home("grant-no-key");
    let out = service_login(
        &ws,
        &p.issuer,
        "no-key",
        "whatever",
        &["--client-auth", "private-key-jwt"],
    );
    let line = failed(&out);
    assert!(
        line.contains("client_key is missing") && line.contains("generate or import one"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(3), "a profile problem exits 3");
}

#[test]
fn an_imported_key_with_its_certificate_carries_x5c_and_a_foreign_certificate_is_refused() {
    let ws = home("grant-import");
    let dir = ws.subdir("pem");
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("run openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    };
    for name in ["key", "other"] {
        openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            &format!("{name}.pem"),
        ]);
        openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &format!("{name}.pem"),
            "-subj",
            "/CN=tessera-test",
            "-days",
            "1",
            "-out",
            &format!("{name}-cert.pem"),
        ]);
    }
    let path = |f: &str| dir.join(f).display().to_string();
    let jwks = json(&ws.tessera(&[
        "keys",
        "import",
        "--profile",
        "imported",
        "--key",
        &path("key.pem"),
        "--cert",
        &path("key-cert.pem"),
    ]));
    let key = &jwks["keys"][0];
    assert_eq!(key["alg"], "ES256", "a P-256 key signs ES256");
    assert!(
        key["x5c"][0].is_string(),
        "the certificate travels as x5c: {key}"
    );
    assert!(
        key["x5t#S256"].is_string() && key["x5t"].is_string(),
        "Entra reads x5t: {key}"
    );
    let refused = ws.tessera(&[
        "keys",
        "import",
        "--profile",
        "imported",
        "--key",
        &path("key.pem"),
        "--cert",
        &path("other-cert.pem"),
    ]);
    let line = failed(&refused);
    assert!(
        line.contains("does not carry this key's public key"),
        "{line}"
    );
    let kept = json(&ws.tessera(&["keys", "show", "--profile", "imported"]));
    assert_eq!(
        kept, jwks,
        "a refused import leaves the earlier key in place"
    );
}

/// The device polls the provider recorded, oldest first.
fn device_polls(issuer: &str) -> Vec<Value> {
    let (status, body) = http("GET", &format!("{issuer}/dev/device-polls"), &[], "");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    v["polls"].as_array().cloned().unwrap_or_default()
}

fn device_login(ws: &Home, issuer: &str, profile: &str) -> std::process::Output {
    ws.tessera(&[
        "login",
        "--grant",
        "device",
        "--issuer",
        issuer,
        "--client-id",
        "tessera",
        "--profile",
        profile,
        "--timeout",
        "90",
        "--json",
    ])
}

#[test]
fn the_device_flow_is_approved_at_the_verification_uri_and_slow_down_makes_polling_slower() {
    let p = LocalProvider::start(&["--device-interval", "1", "--device-slow-down"]);
    let ws = home("grant-device");
    let out = device_login(&ws, &p.issuer, "tv");
    let err = stderr(&out);
    let session = json(&out);
    assert_eq!(
        session["subject"], "demo-user-0001",
        "the demo user approved it"
    );
    assert!(
        session["id_token_claims"].get("nonce").is_none(),
        "no nonce was sent, so none comes back"
    );
    let checks = session["checks"].as_array().expect("a report");
    assert!(
        checks.iter().all(|c| c["passed"] == true),
        "the ID token passes every check: {checks:?}"
    );
    assert!(
        err.contains("enter the code"),
        "the code is shown on stderr: {err}"
    );
    assert!(err.contains("every 6 s"), "slow_down is reported: {err}");

    let polls = device_polls(&p.issuer);
    assert!(
        polls.len() >= 2,
        "at least a slowed and a successful poll: {polls:?}"
    );
    assert_eq!(
        polls[0]["answer"], "slow_down",
        "the provider's first answer"
    );
    let at = |i: usize| polls[i]["at_ms"].as_i64().expect("a time");
    assert!(
        at(1) - at(0) >= 5_500,
        "after slow_down the interval grew from 1 s to 6 s: polls {polls:?}"
    );
    for i in 1..polls.len() - 1 {
        assert!(at(i + 1) - at(i) >= 5_500, "and stayed there: {polls:?}");
    }
    let token = ok(&ws.tessera(&["token", "--profile", "tv"]));
    assert_eq!(call_api(&p.issuer, "/api/me", token.trim()).0, 200);
    ok(&ws.tessera(&["refresh", "--profile", "tv"]));
}

#[test]
fn a_denied_device_code_ends_with_its_own_line_and_nothing_is_stored() {
    let p = LocalProvider::start(&["--device-interval", "1"]);
    let mut ws = home("grant-device-deny");
    ws.env("BROWSER_CONSENT", "deny");
    let out = device_login(&ws, &p.issuer, "tv-deny");
    let line = failed(&out);
    assert!(
        line.contains("the device authorization was denied at the provider (access_denied)"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(5));
    assert_keyring_lacks(&ws.entry("session:tv-deny"), "nothing stored");
}

#[test]
fn a_device_code_nobody_approves_expires_with_its_own_line() {
    let p = LocalProvider::start(&["--device-interval", "1", "--device-code-ttl", "4"]);
    let mut ws = home("grant-device-expire");
    ws.env("BROWSER_MODE", "idle");
    let out = device_login(&ws, &p.issuer, "tv-late");
    let line = failed(&out);
    assert!(
        line.contains("device authorization expired before it was approved"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(9), "a timeout exits 9");
    assert_keyring_lacks(&ws.entry("session:tv-late"), "nothing stored");
}

#[test]
fn token_exchange_trades_the_session_for_an_api_token_and_names_a_refused_target() {
    let p = LocalProvider::shared();
    let ws = home("grant-exchange");
    ok(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
        "--profile",
        "user",
        "--timeout",
        "60",
    ]));
    let api = format!("{}/api", p.issuer);
    let issued = json(&ws.tessera(&[
        "exchange",
        "--profile",
        "user",
        "--audience",
        &api,
        "--json",
    ]));
    assert_eq!(
        issued["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token",
        "{issued}"
    );
    let token = issued["access_token"].as_str().expect("an issued token");
    let (status, body) = call_api(&p.issuer, "/api/me", token);
    assert_eq!(status, 200, "the API accepts the exchanged token: {body}");
    let me: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(me["aud"], json!(api), "issued for the API: {body}");

    // The actor: a service profile's token.
    ok(&service_login(
        &ws,
        &p.issuer,
        "actor",
        "tessera-service",
        &["--client-secret", SERVICE_SECRET],
    ));
    let acting = ok(&ws.tessera(&[
        "exchange",
        "--profile",
        "user",
        "--subject-token",
        "id",
        "--audience",
        &api,
        "--actor-profile",
        "actor",
    ]));
    let (status, body) = call_api(&p.issuer, "/api/me", acting.trim());
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("\"act\""),
        "the actor is named in the token: {body}"
    );

    let refused = ws.tessera(&[
        "exchange",
        "--profile",
        "user",
        "--audience",
        "https://elsewhere.example",
    ]);
    let line = failed(&refused);
    assert!(
        line.contains("the provider refused the target of the exchange (invalid_target"),
        "{line}"
    );
    assert_eq!(exit_code(&refused), Some(5));
    assert!(
        refused.stdout.is_empty(),
        "a refused exchange prints no token"
    );
}

/// A service login over mutual TLS with this certificate and key.
fn mtls_login(
    ws: &Home,
    p: &LocalProvider,
    profile: &str,
    client: &str,
    method: &str,
    cert: &str,
    key: &str,
) -> std::process::Output {
    let m = p
        .mtls
        .as_ref()
        .expect("the provider runs its mTLS listener");
    service_login(
        ws,
        &p.issuer,
        profile,
        client,
        &[
            "--client-auth",
            method,
            "--client-cert",
            cert,
            "--client-key",
            key,
            "--ca-file",
            &m.ca,
        ],
    )
}

/// GET with curl, trusting the provider's CA and presenting no certificate.
fn curl_without_certificate(url: &str, ca: &str, token: &str) -> (u16, String) {
    curl_get(
        url,
        &[format!("Authorization: Bearer {token}")],
        &["--cacert", ca],
    )
}

#[test]
fn mutual_tls_clients_get_certificate_bound_tokens_that_work_only_with_their_certificate() {
    let p = LocalProvider::shared_with(&["--mtls-port", "0"]);
    let m = p.mtls.as_ref().expect("an mTLS listener");
    let ws = home("grant-mtls");
    for (profile, client, method, cert, key) in [
        (
            "mtls-ca",
            "tessera-mtls",
            "tls",
            &m.client_cert,
            &m.client_key,
        ),
        (
            "mtls-self",
            "tessera-mtls-self-signed",
            "self-signed-tls",
            &m.self_signed_cert,
            &m.self_signed_key,
        ),
    ] {
        let out = json(&mtls_login(&ws, p, profile, client, method, cert, key));
        assert_keyring_has(
            &ws.entry(&format!("client-key:{profile}")),
            "the certificate's key is kept in the keyring",
        );
        let api = format!("{}/api/mtls/me", m.url);
        let call = ws.tessera(&["call", "--profile", profile, "GET", &api]);
        let body = ok(&call);
        assert!(
            body.contains(client),
            "{method}: the API saw the bound token with its certificate: {body}"
        );
        let token = out["access_token"].as_str().expect("a token");
        let (status, body) = curl_without_certificate(&api, &m.ca, token);
        assert_eq!(
            status, 401,
            "{method}: a certificate-bound token without its certificate is refused: {body}"
        );
        let introspection = json(&ws.tessera(&["introspect", "--profile", profile]));
        assert!(
            introspection["cnf"]["x5t#S256"].is_string(),
            "{method}: introspection over mTLS shows the binding: {introspection}"
        );
    }
    let file = std::fs::read_to_string(ws.path().join("profiles.toml")).expect("the profile file");
    assert!(
        !file.contains("PRIVATE KEY"),
        "the key stays out of the profile file: {file}"
    );
}

#[test]
fn a_certificate_the_provider_does_not_accept_is_refused_and_nothing_is_stored() {
    let p = LocalProvider::shared_with(&["--mtls-port", "0"]);
    let m = p.mtls.as_ref().expect("an mTLS listener");
    let ws = home("grant-mtls-wrong");
    // tessera-mtls expects the CA-signed certificate, not the self-signed one.
    let out = mtls_login(
        &ws,
        p,
        "mtls-wrong",
        "tessera-mtls",
        "tls",
        &m.self_signed_cert,
        &m.self_signed_key,
    );
    let line = failed(&out);
    assert!(
        line.contains("the provider refused the client certificate (invalid_client"),
        "{line}"
    );
    assert_eq!(exit_code(&out), Some(6));
    assert_keyring_lacks(&ws.entry("session:mtls-wrong"), "no session");
    assert_keyring_lacks(
        &ws.entry("client-key:mtls-wrong"),
        "and the refused key is not kept",
    );
}

#[test]
fn private_key_jwt_signs_a_user_in_through_the_browser_and_authenticates_refresh_introspection_and_revocation(
) {
    let p = LocalProvider::shared();
    let ws = home("grant-pkjwt-code");
    let jwks = generate_key(&ws, "pk-user", "EdDSA");
    let client = register(
        &p.issuer,
        json!({
            "application_type": "native",
            "redirect_uris": ["http://127.0.0.1/callback"],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "EdDSA",
            "jwks": jwks,
        }),
    );
    let out = json(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        &client,
        "--profile",
        "pk-user",
        "--client-auth",
        "private-key-jwt",
        "--timeout",
        "60",
        "--json",
    ]));
    assert_eq!(out["subject"], "demo-user-0001", "the demo user signed in");
    assert_eq!(out["refresh_token_present"], true);
    let refreshed = json(&ws.tessera(&["refresh", "--profile", "pk-user", "--json"]));
    assert_eq!(
        refreshed["rotated"], true,
        "the refresh authenticated with a new assertion"
    );
    let introspection = json(&ws.tessera(&["introspect", "--profile", "pk-user"]));
    assert_eq!(introspection["active"], true, "{introspection}");
    let token = ok(&ws.tessera(&["token", "--profile", "pk-user"]));
    ok(&ws.tessera(&["logout", "--profile", "pk-user", "--revoke"]));
    let (status, _) = call_api(&p.issuer, "/api/me", token.trim());
    assert_eq!(
        status, 401,
        "revoked with the client's assertion, the token is dead"
    );
}
