//! Every refused case of sign-in and validation, each with a clear one-line
//! error and nothing stored, against the forging provider.

use jsonwebtoken::Algorithm;
use serde_json::json;
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, failed, json, keyring_usernames, ok, Home,
};

use crate::forge::{jwk, Behaviour, Forge, Signing, TokenMode};
use crate::home;

const CLIENT: &str = "tessera-test";

fn login(ws: &Home, forge: &Forge, profile: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "login",
        "--issuer",
        &forge.issuer,
        "--client-id",
        CLIENT,
        "--profile",
        profile,
        "--timeout",
        "20",
        "--json",
    ];
    args.extend_from_slice(extra);
    ws.tessera(&args)
}

/// Runs a sign-in that must fail; checks the message and that nothing was stored.
fn refused(tag: &str, behaviour: Behaviour, expected: &str) {
    let ws = home(tag);
    let forge = Forge::start(behaviour);
    let profile = format!("forged-{tag}");
    let line = failed(&login(&ws, &forge, &profile, &[]));
    assert!(
        line.contains(expected),
        "expected the error to say {expected:?}; got {line:?}"
    );
    assert_keyring_lacks(
        &ws.entry(&format!("session:{profile}")),
        "a refused sign-in stores no session",
    );
    let profiles = json(&ws.tessera(&["profiles", "list", "--json"]));
    assert_eq!(profiles, json!([]), "a refused sign-in saves no profile");
}

#[test]
fn a_correct_forged_sign_in_succeeds_and_reports_every_check() {
    let ws = home("forge-ok");
    let forge = Forge::start(Behaviour::default());
    let out = json(&login(&ws, &forge, "forged-ok", &[]));
    assert_eq!(out["subject"], "forge-user");
    let checks = out["checks"].as_array().unwrap();
    for id in [
        "state",
        "iss_parameter",
        "alg",
        "signature",
        "issuer",
        "audience",
        "azp",
        "expiry",
        "issued_at",
        "nonce",
        "at_hash",
        "userinfo_sub",
    ] {
        let row = checks
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("the report has a {id} row: {checks:?}"));
        assert_eq!(
            row["passed"], true,
            "{id} passes for a correct token: {row}"
        );
    }
    assert_keyring_has(
        &ws.entry("session:forged-ok"),
        "the session is in the real keyring",
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-ok"]));
}

#[test]
fn alg_none_is_refused() {
    refused(
        "alg-none",
        Behaviour {
            signing: Signing::Unsigned,
            ..Default::default()
        },
        "unsigned (alg \"none\")",
    );
}

#[test]
fn hs256_is_refused_for_a_public_client() {
    refused(
        "hs256-public",
        Behaviour {
            signing: Signing::Hmac("a-shared-secret-of-enough-length-0123"),
            ..Default::default()
        },
        "signed with HS256, a shared-secret algorithm, but this profile has no client secret",
    );
}

#[test]
fn hs256_is_refused_with_the_right_secret_when_the_provider_does_not_advertise_it() {
    let ws = home("hs256-unadvertised");
    let secret = "a-shared-secret-of-enough-length-0123";
    let forge = Forge::start(Behaviour {
        signing: Signing::Hmac(secret),
        signing_algs: vec!["RS256"],
        ..Default::default()
    });
    let line = failed(&login(
        &ws,
        &forge,
        "forged-hs-unlisted",
        &["--client-secret", secret],
    ));
    assert!(
        line.contains("HS256, a shared-secret algorithm the provider does not list"),
        "a secret the client holds proves nothing the provider did not promise: {line}"
    );
    assert_keyring_lacks(
        &ws.entry("session:forged-hs-unlisted"),
        "a refused sign-in stores no session",
    );
}

#[test]
fn hs256_signed_with_the_client_secret_is_accepted() {
    let ws = home("hs256-ok");
    let secret = "a-shared-secret-of-enough-length-0123";
    let forge = Forge::start(Behaviour {
        signing: Signing::Hmac(secret),
        ..Default::default()
    });
    let out = json(&login(
        &ws,
        &forge,
        "forged-hs256",
        &["--client-secret", secret],
    ));
    assert_eq!(out["subject"], "forge-user");
    assert_keyring_has(
        &ws.entry("client-secret:forged-hs256"),
        "the client secret lives in the keyring",
    );
    let file = std::fs::read_to_string(ws.path().join("profiles.toml")).unwrap();
    assert!(
        !file.contains(secret),
        "the profile file never holds the secret"
    );
    ok(&ws.tessera(&["profiles", "remove", "forged-hs256"]));
    assert_keyring_lacks(
        &ws.entry("client-secret:forged-hs256"),
        "removing the profile removes its secret",
    );
}

#[test]
fn rs256_ps256_es256_and_eddsa_are_accepted() {
    for (key, alg, kid) in [
        ("rsa", Algorithm::PS256, "test-rsa-1"),
        ("ec", Algorithm::ES256, "test-ec-1"),
        ("ed", Algorithm::EdDSA, "test-ed-1"),
    ] {
        let ws = home("algs");
        let mut keys = vec![jwk("rsa"), jwk("ec"), jwk("ed")];
        for k in keys.iter_mut() {
            k.as_object_mut().unwrap().remove("alg");
        }
        let forge = Forge::start(Behaviour {
            signing: Signing::Key {
                key,
                alg,
                kid: Some(kid),
            },
            jwks: keys,
            ..Default::default()
        });
        let profile = format!("forged-alg-{key}");
        let out = json(&login(&ws, &forge, &profile, &[]));
        let sig = out["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "signature")
            .unwrap()
            .clone();
        assert!(
            sig["detail"].as_str().unwrap().contains(kid),
            "{alg:?} verified by {kid}: {sig}"
        );
        ok(&ws.tessera(&["logout", "--profile", &profile]));
    }
}

#[test]
fn a_signature_by_another_key_is_refused() {
    refused(
        "bad-sig",
        Behaviour {
            signing: Signing::Key {
                key: "rsa-other",
                alg: Algorithm::RS256,
                kid: Some("test-rsa-1"),
            },
            ..Default::default()
        },
        "ID token signature is invalid",
    );
}

#[test]
fn an_unknown_kid_refetches_the_jwks_once_and_accepts_a_rotated_key() {
    let ws = home("rotation");
    let forge = Forge::start(Behaviour {
        signing: Signing::Key {
            key: "rsa-other",
            alg: Algorithm::RS256,
            kid: Some("test-rsa-2"),
        },
        jwks: vec![jwk("rsa")],
        jwks_rotated: Some(vec![jwk("rsa"), jwk("rsa-other")]),
        rotate_after: 1,
        ..Default::default()
    });
    json(&login(&ws, &forge, "forged-rotation", &[]));
    assert_eq!(
        forge.hits("/jwks"),
        2,
        "the JWKS is fetched once more after an unknown kid, not more"
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-rotation"]));
}

#[test]
fn a_kid_missing_even_after_refetching_is_refused() {
    let ws = home("kid-missing");
    let forge = Forge::start(Behaviour {
        signing: Signing::Key {
            key: "rsa-other",
            alg: Algorithm::RS256,
            kid: Some("nobody-has-this"),
        },
        ..Default::default()
    });
    let line = failed(&login(&ws, &forge, "forged-kid", &[]));
    assert!(
        line.contains("no key in the JWKS has the ID token's kid \"nobody-has-this\""),
        "{line}"
    );
    assert_eq!(forge.hits("/jwks"), 2, "one re-fetch, no more");
}

#[test]
fn a_token_without_kid_is_accepted_when_the_jwks_has_one_key() {
    let ws = home("no-kid");
    let forge = Forge::start(Behaviour {
        signing: Signing::Key {
            key: "rsa",
            alg: Algorithm::RS256,
            kid: None,
        },
        jwks: vec![jwk("rsa")],
        ..Default::default()
    });
    json(&login(&ws, &forge, "forged-nokid", &[]));
    ok(&ws.tessera(&["logout", "--profile", "forged-nokid"]));
}

#[test]
fn a_wrong_issuer_in_the_id_token_is_refused() {
    refused(
        "iss",
        Behaviour {
            claims: json!({"iss": "https://evil.example"}),
            ..Default::default()
        },
        "ID token issuer mismatch",
    );
}

#[test]
fn an_audience_without_the_client_is_refused() {
    refused(
        "aud",
        Behaviour {
            claims: json!({"aud": "someone-else"}),
            ..Default::default()
        },
        "ID token audience does not contain client_id tessera-test",
    );
}

#[test]
fn several_audiences_with_a_foreign_azp_are_refused() {
    refused(
        "azp",
        Behaviour {
            claims: json!({"aud": [CLIENT, "api"], "azp": "api"}),
            ..Default::default()
        },
        "ID token azp is api, not client_id tessera-test",
    );
}

#[test]
fn several_audiences_without_azp_are_refused() {
    refused(
        "no-azp",
        Behaviour {
            claims: json!({"aud": [CLIENT, "api"]}),
            ..Default::default()
        },
        "several audiences but no azp",
    );
}

#[test]
fn an_expired_id_token_is_refused() {
    refused(
        "exp",
        Behaviour {
            claims: json!({"exp": 1_000_000_000}),
            ..Default::default()
        },
        "ID token expired at 2001-09-09T01:46:40Z",
    );
}

#[test]
fn an_id_token_issued_in_the_future_is_refused() {
    refused(
        "iat",
        Behaviour {
            claims: json!({"iat": 4_000_000_000i64}),
            ..Default::default()
        },
        "ID token iat is in the future",
    );
}

#[test]
fn a_refused_id_token_is_never_used_for_userinfo() {
    let ws = home("nonce-userinfo");
    let forge = Forge::start(Behaviour {
        wrong_nonce: true,
        ..Default::default()
    });
    let line = failed(&login(&ws, &forge, "forged-nonce-userinfo", &[]));
    assert!(line.contains("ID token nonce mismatch"), "{line}");
    assert_eq!(
        forge.hits("/userinfo"),
        0,
        "the access token of a refused response is not sent anywhere, userinfo included"
    );
}

#[test]
fn a_nonce_mismatch_is_refused() {
    refused(
        "nonce",
        Behaviour {
            wrong_nonce: true,
            ..Default::default()
        },
        "ID token nonce mismatch",
    );
}

#[test]
fn an_at_hash_mismatch_is_refused() {
    refused(
        "at-hash",
        Behaviour {
            at_hash: Some("AAAAAAAAAAAAAAAAAAAAAA"),
            ..Default::default()
        },
        "ID token at_hash does not match the access token",
    );
}

#[test]
fn a_userinfo_subject_mismatch_is_refused() {
    refused(
        "userinfo",
        Behaviour {
            userinfo_sub: Some("another-user"),
            ..Default::default()
        },
        "userinfo sub does not match the ID token sub",
    );
}

#[test]
fn a_discovery_issuer_mismatch_is_refused() {
    refused(
        "discovery",
        Behaviour {
            discovery_issuer: Some("https://elsewhere.example".into()),
            ..Default::default()
        },
        "discovery issuer mismatch",
    );
}

#[test]
fn a_wrong_rfc9207_iss_parameter_is_refused() {
    refused(
        "iss-param",
        Behaviour {
            iss_param: Some("https://attacker.example".into()),
            ..Default::default()
        },
        "authorization response iss mismatch (RFC 9207)",
    );
}

#[test]
fn a_missing_rfc9207_iss_is_refused_when_advertised() {
    refused(
        "iss-missing",
        Behaviour {
            omit_iss_param: true,
            ..Default::default()
        },
        "advertises RFC 9207 but the authorization response has no iss",
    );
}

#[test]
fn a_missing_iss_is_accepted_when_not_advertised() {
    let ws = home("iss-optional");
    let forge = Forge::start(Behaviour {
        omit_iss_param: true,
        advertise_iss: false,
        ..Default::default()
    });
    json(&login(&ws, &forge, "forged-iss-optional", &[]));
    ok(&ws.tessera(&["logout", "--profile", "forged-iss-optional"]));
}

#[test]
fn a_tampered_state_is_ignored_and_the_sign_in_ends_at_its_deadline_saying_so() {
    let mut ws = home("state");
    ws.env("BROWSER_TAMPER_STATE", "1");
    let forge = Forge::start(Behaviour::default());
    let out = ws.tessera(&[
        "login",
        "--issuer",
        &forge.issuer,
        "--client-id",
        CLIENT,
        "--profile",
        "forged-state",
        "--timeout",
        "4",
    ]);
    let line = failed(&out);
    assert!(
        line.contains("1 redirect(s) with another sign-in's state were ignored"),
        "a redirect that is not this sign-in's does not end it, and the error says what came: {line}"
    );
    assert_eq!(
        out.status.code(),
        Some(6),
        "a refused redirect exits 6: {line}"
    );
    assert!(
        ws.browser_log().contains("Not this sign-in"),
        "the browser is told the redirect was ignored: {}",
        ws.browser_log()
    );
    assert_eq!(
        forge.hits("/token"),
        0,
        "the code is never exchanged after a state mismatch"
    );
    assert_keyring_lacks(
        &ws.entry("session:forged-state"),
        "a refused sign-in stores no session",
    );
}

#[test]
fn a_provider_error_response_is_shown() {
    refused(
        "error",
        Behaviour {
            callback_error: Some(("access_denied", "The user said no")),
            ..Default::default()
        },
        "the provider returned access_denied: The user said no",
    );
}

#[test]
fn a_token_endpoint_failure_is_named() {
    refused(
        "token-500",
        Behaviour {
            token: TokenMode::Status(500, "oops"),
            ..Default::default()
        },
        "token endpoint returned HTTP 500",
    );
}

#[test]
fn a_token_endpoint_oauth_error_is_explained() {
    refused(
        "token-400",
        Behaviour {
            token: TokenMode::Status(
                400,
                r#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
            ),
            ..Default::default()
        },
        // invalid_client names the client's authentication, with the provider's reason.
        "the provider refused the client's credentials (invalid_client: client authentication failed)",
    );
}

#[test]
fn garbage_from_the_token_endpoint_is_refused() {
    refused(
        "token-garbage",
        Behaviour {
            token: TokenMode::Garbage,
            ..Default::default()
        },
        "token endpoint returned a response that is not valid JSON",
    );
}

#[test]
fn a_hanging_token_endpoint_is_bounded_by_the_timeout() {
    let ws = home("token-hang");
    let forge = Forge::start(Behaviour {
        token: TokenMode::Hang,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let out = ws.tessera(&[
        "login",
        "--issuer",
        &forge.issuer,
        "--client-id",
        CLIENT,
        "--profile",
        "forged-hang",
        "--timeout",
        "4",
    ]);
    let line = failed(&out);
    assert!(
        line.contains("timed out waiting for the token endpoint"),
        "{line}"
    );
    assert!(
        started.elapsed().as_secs() < 15,
        "the whole login is bounded by --timeout"
    );
}

#[test]
fn a_failed_sign_in_keeps_the_earlier_session() {
    let ws = home("keep");
    let forge = Forge::start(Behaviour::default());
    let first = json(&login(&ws, &forge, "forged-keep", &[]));
    forge.set(|b| b.wrong_nonce = true);
    let line = failed(&login(
        &ws,
        &forge,
        "forged-keep",
        &["--scope", "openid email"],
    ));
    assert!(line.contains("nonce mismatch"), "{line}");
    let token = ok(&ws.tessera(&["token", "--profile", "forged-keep"]));
    assert_eq!(
        token.trim(),
        first["access_token"],
        "the earlier session is intact after a failed sign-in"
    );
    let profile = json(&ws.tessera(&["profiles", "show", "forged-keep", "--json"]));
    assert_eq!(
        profile["scopes"],
        json!(["openid", "profile", "email"]),
        "flags of a failed sign-in are not saved"
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-keep"]));
}

#[test]
fn a_repeat_sign_in_makes_only_the_token_and_userinfo_calls() {
    let ws = home("repeat");
    let forge = Forge::start(Behaviour::default());
    json(&login(&ws, &forge, "forged-repeat", &[]));
    forge.reset_hits();
    json(&ws.tessera(&["login", "--profile", "forged-repeat", "--json"]));
    assert_eq!(
        forge.hits("/.well-known/openid-configuration"),
        0,
        "discovery comes from the cache"
    );
    assert_eq!(forge.hits("/jwks"), 0, "the JWKS comes from the cache");
    assert_eq!(
        forge.hits("/token") + forge.hits("/userinfo"),
        2,
        "only the token and userinfo calls go to the provider"
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-repeat"]));
}

/// Groups enough for a session of several keyring entries on every
/// keyring: over 2 × 16 KiB, the Secret Service's entry size.
fn many_groups() -> Vec<String> {
    (0..1200)
        .map(|i| format!("engineering-platform-group-{i:04}"))
        .collect()
}

#[test]
fn a_session_larger_than_one_keyring_entry_round_trips_through_the_keyring() {
    let ws = home("big");
    let groups = many_groups();
    let forge = Forge::start(Behaviour {
        claims: json!({"groups": &groups}),
        ..Default::default()
    });
    let out = json(&login(&ws, &forge, "forged-big", &[]));
    assert_eq!(
        out["id_token_claims"]["groups"].as_array().unwrap().len(),
        groups.len()
    );
    let chunks = keyring_usernames()
        .iter()
        .filter(|name| name.starts_with(&ws.entry("session:forged-big:")))
        .count();
    assert!(
        chunks >= 3,
        "a big session is split across several keyring entries; found {chunks}"
    );
    let token = ok(&ws.tessera(&["token", "--profile", "forged-big"]));
    assert_eq!(
        token.trim(),
        out["access_token"],
        "the split session reads back whole"
    );
    let shown = json(&ws.tessera(&["profiles", "show", "forged-big", "--json"]));
    assert_eq!(shown["session"]["subject"], "forge-user");
    ok(&ws.tessera(&["logout", "--profile", "forged-big"]));
    let left: Vec<String> = keyring_usernames()
        .into_iter()
        .filter(|name| name.starts_with(&ws.entry("session:forged-big")))
        .collect();
    assert!(
        left.is_empty(),
        "logout removes the head and every chunk: {left:?}"
    );
}

#[test]
fn a_plain_http_issuer_off_loopback_is_refused_before_any_request() {
    let ws = home("insecure");
    let line = failed(&ws.tessera(&[
        "login",
        "--issuer",
        "http://idp.example.com",
        "--client-id",
        "c",
        "--profile",
        "insecure",
    ]));
    assert!(
        line.contains("uses plain http on a non-loopback host"),
        "{line}"
    );
    assert!(
        line.contains("allow_insecure_http"),
        "the error says how to allow it: {line}"
    );
}

#[test]
fn a_missing_ca_file_is_refused_with_its_path() {
    let ws = home("ca");
    let forge = Forge::start(Behaviour::default());
    let line = failed(&login(
        &ws,
        &forge,
        "forged-ca",
        &["--ca-file", "/nonexistent/dev-ca.pem"],
    ));
    assert!(
        line.contains("ca_file /nonexistent/dev-ca.pem does not exist"),
        "{line}"
    );
}

#[test]
fn manual_endpoints_work_without_discovery() {
    let ws = home("manual");
    let forge = Forge::start(Behaviour::default());
    let i = &forge.issuer;
    let profiles = format!(
        "[profiles.manual]\nissuer = \"{i}\"\nclient_id = \"{CLIENT}\"\n\n[profiles.manual.endpoints]\nauthorization = \"{i}/authorize\"\ntoken = \"{i}/token\"\njwks = \"{i}/jwks\"\nuserinfo = \"{i}/userinfo\"\n"
    );
    std::fs::write(ws.path().join("profiles.toml"), profiles).unwrap();
    let out = json(&ws.tessera(&["login", "--profile", "manual", "--json"]));
    assert_eq!(out["subject"], "forge-user");
    assert_eq!(
        forge.hits("/.well-known/openid-configuration"),
        0,
        "no discovery for manual endpoints"
    );
    let iss_row = out["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "iss_parameter")
        .unwrap()
        .clone();
    assert_eq!(iss_row["passed"], true, "{iss_row}");
    ok(&ws.tessera(&["logout", "--profile", "manual"]));
}

#[test]
fn flags_given_with_a_saved_profile_override_it_and_are_saved() {
    let ws = home("override");
    let forge = Forge::start(Behaviour::default());
    json(&login(&ws, &forge, "forged-override", &[]));
    json(&ws.tessera(&[
        "login",
        "--profile",
        "forged-override",
        "--scope",
        "openid email",
        "--prompt",
        "login",
        "--json",
    ]));
    let shown = json(&ws.tessera(&["profiles", "show", "forged-override", "--json"]));
    assert_eq!(
        shown["scopes"],
        json!(["openid", "email"]),
        "the new scope was saved"
    );
    assert_eq!(
        shown["params"]["prompt"], "login",
        "the new prompt was saved"
    );
    assert_eq!(
        shown["issuer"],
        forge.issuer.as_str(),
        "the rest of the profile is kept"
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-override"]));
}

#[test]
fn a_refresh_killed_at_any_moment_leaves_the_old_or_the_new_session_whole() {
    // A session of several keyring entries (1,200 groups in the ID token),
    // so a kill can land between chunk writes, at the head swap, or after it.
    let ws = home("crash");
    let groups = many_groups();
    let forge = Forge::start(Behaviour {
        claims: json!({"groups": groups}),
        ..Default::default()
    });
    json(&login(&ws, &forge, "forged-crash", &[]));
    let profile = ws.keyring_profile("forged-crash");
    let access_of = |session: &serde_json::Value| {
        session["access_token"]
            .as_str()
            .expect("a whole session has an access token")
            .to_string()
    };
    let mut before = access_of(&tessera_testkit::stored_session(&profile).expect("signed in"));
    let mut outcomes = (0, 0);
    for i in 0..40u64 {
        let mut child = ws
            .command(&["refresh", "--profile", "forged-crash"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start tessera refresh");
        // Spread the kills over the whole refresh: process start, the token
        // request, the chunk writes, the head swap, the cleanup.
        std::thread::sleep(std::time::Duration::from_millis((i * 53) % 600));
        let _ = child.kill(); // SIGKILL: no destructor, no cleanup runs
        let _ = child.wait();
        // stored_session panics on a missing chunk or a length mismatch.
        let after = access_of(
            &tessera_testkit::stored_session(&profile)
                .unwrap_or_else(|| panic!("kill {i}: the session is gone")),
        );
        if after == before {
            outcomes.0 += 1;
        } else {
            assert!(
                after.starts_with("forge-access-"),
                "kill {i}: a session the provider issued, not a mix: {after}"
            );
            outcomes.1 += 1;
        }
        before = after;
        let token = ok(&ws.tessera(&["token", "--profile", "forged-crash"]));
        assert_eq!(
            token.trim(),
            before,
            "kill {i}: Tessera itself reads the same whole session"
        );
    }
    eprintln!(
        "40 kills: {} left the old session, {} the new one",
        outcomes.0, outcomes.1
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-crash"]));
}

#[test]
fn a_provider_failing_in_each_way_during_refresh_gives_one_line_and_keeps_the_session() {
    let ws = home("faults");
    let forge = Forge::start(Behaviour::default());
    json(&login(&ws, &forge, "forged-faults", &[]));
    let profile = ws.keyring_profile("forged-faults");
    let access = || {
        tessera_testkit::stored_session(&profile).expect("the session is still stored")
            ["access_token"]
            .as_str()
            .expect("an access token")
            .to_string()
    };
    let before = access();
    let mut matrix = Vec::new();
    for (name, mode, says) in [
        (
            "HTTP 500",
            TokenMode::Status(500, "{}"),
            "token endpoint returned HTTP 500",
        ),
        (
            "garbage",
            TokenMode::Garbage,
            "token endpoint returned a response that is not valid JSON",
        ),
        (
            "truncated JSON",
            TokenMode::Truncated,
            "token endpoint returned a response that is not valid JSON",
        ),
        (
            "a body dripping slower than the time limit",
            TokenMode::SlowDrip,
            "timed out waiting for the token endpoint",
        ),
    ] {
        forge.set(|b| b.token = mode);
        let out = ws.tessera(&["refresh", "--profile", "forged-faults"]);
        let line = failed(&out);
        assert!(
            line.contains(says),
            "{name}: one line saying what failed: {line}"
        );
        assert_eq!(
            out.status.code(),
            Some(5),
            "{name}: a provider failure exits 5: {line}"
        );
        assert_eq!(access(), before, "{name}: the previous session is intact");
        matrix.push(format!("{name} -> exit 5, {line}"));
    }
    // A server that answers a TLS handshake with plain HTTP.
    let plain = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let plain_port = plain.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        use std::io::Write;
        for mut stream in plain.incoming().map_while(Result::ok) {
            let _ = stream.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
        }
    });
    let tls = ws.tessera(&[
        "login",
        "--issuer",
        &format!("https://127.0.0.1:{plain_port}"),
        "--client-id",
        CLIENT,
        "--profile",
        "forged-tls",
        "--timeout",
        "10",
    ]);
    let line = failed(&tls);
    assert!(
        line.contains("could not reach the discovery"),
        "a TLS handshake failure: {line}"
    );
    assert_eq!(tls.status.code(), Some(5), "{line}");
    matrix.push(format!("TLS handshake failure -> exit 5, {line}"));
    // A provider that is down (nothing listens), and one that resets the
    // connection once it has read the request.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("its address").port()
    };
    let reset = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let reset_port = reset.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        use std::io::Read;
        for stream in reset.incoming().map_while(Result::ok) {
            let mut buf = [0u8; 1024];
            let mut stream = stream;
            let _ = stream.read(&mut buf);
            // SO_LINGER 0: closing sends RST instead of FIN.
            let _ = socket2::SockRef::from(&stream).set_linger(Some(std::time::Duration::ZERO));
        }
    });
    for (name, port, profile) in [
        ("down", down, "forged-down"),
        ("connection reset", reset_port, "forged-reset"),
    ] {
        let out = ws.tessera(&[
            "login",
            "--issuer",
            &format!("http://127.0.0.1:{port}"),
            "--client-id",
            CLIENT,
            "--profile",
            profile,
            "--timeout",
            "10",
        ]);
        let line = failed(&out);
        assert!(
            line.contains("could not reach the discovery document"),
            "{name}: one line naming the step: {line}"
        );
        assert_eq!(out.status.code(), Some(5), "{name}: {line}");
        assert_eq!(access(), before, "{name}: the other session is intact");
        matrix.push(format!("{name} -> exit 5, {line}"));
    }
    eprintln!("fault matrix:\n  {}", matrix.join("\n  "));
    forge.set(|b| b.token = TokenMode::Ok);
    ok(&ws.tessera(&["refresh", "--profile", "forged-faults"]));
    assert_ne!(
        access(),
        before,
        "and once the provider recovers, the same session refreshes"
    );
    ok(&ws.tessera(&["logout", "--profile", "forged-faults"]));
}
