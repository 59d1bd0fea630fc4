//! Sign-in, refresh, revocation and logout against the real local provider
//! (panva's oidc-provider), through the browser double, with the real keyring.

use serde_json::{json, Value};
use tessera_testkit::{
    assert_keyring_has, assert_keyring_lacks, call_api, failed, http, json, ok, stderr,
    stored_refresh_token, Home, LocalProvider,
};

use crate::home;

fn login(
    ws: &Home,
    provider: &LocalProvider,
    profile: &str,
    client: &str,
    extra: &[&str],
) -> Value {
    let mut args = vec![
        "login",
        "--issuer",
        &provider.issuer,
        "--client-id",
        client,
        "--profile",
        profile,
        "--timeout",
        "60",
        "--json",
    ];
    args.extend_from_slice(extra);
    json(&ws.tessera(&args))
}

#[test]
fn signing_in_through_the_browser_stores_the_session_and_token_prints_it() {
    let p = LocalProvider::shared();
    let ws = home("real-login");
    let out = login(&ws, p, "real-login", "tessera", &[]);
    assert_eq!(out["issuer"], p.issuer.as_str());
    assert_eq!(
        out["id_token_claims"]["email"], "demo@example.com",
        "the demo user signed in"
    );
    assert_eq!(
        out["id_token_claims"]["roles"],
        json!(["viewer", "developer"]),
        "roles are in the ID token"
    );
    assert_eq!(
        out["userinfo"]["sub"], out["subject"],
        "userinfo was fetched for the same subject"
    );
    assert_eq!(out["refresh_token_present"], true);
    assert_eq!(
        out["token_type"]
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("bearer")
    );
    assert!(out["expires_at"].as_i64().unwrap() > 0);
    let checks = out["checks"].as_array().unwrap();
    assert!(
        checks.iter().all(|c| c["passed"] == true),
        "every check passes: {checks:?}"
    );
    let iss_row = checks.iter().find(|c| c["id"] == "iss_parameter").unwrap();
    assert!(
        iss_row["detail"].as_str().unwrap().starts_with("iss is"),
        "the provider sends RFC 9207 iss: {iss_row}"
    );
    assert_keyring_has(
        &ws.entry("session:real-login"),
        "the session is in the OS keyring",
    );
    assert!(
        ws.browser_log().contains("login"),
        "the browser double posted the login form: {}",
        ws.browser_log()
    );

    let token = ok(&ws.tessera(&["token", "--profile", "real-login"]));
    assert_eq!(
        token.trim(),
        out["access_token"],
        "token prints the stored access token"
    );
    let (status, body) = call_api(&p.issuer, "/api/me", &token);
    assert_eq!(status, 200, "the demo API accepts the token: {body}");
    let (status, _) = call_api(&p.issuer, "/api/admin", &token);
    assert_eq!(status, 403, "the demo user lacks the admin role");

    let profiles = json(&ws.tessera(&["profiles", "list", "--json"]));
    assert_eq!(profiles[0]["name"], "real-login", "the profile was saved");
    let token_json = json(&ws.tessera(&["token", "--json"]));
    assert_eq!(
        token_json["profile"], "real-login",
        "the only profile is the default"
    );
    ok(&ws.tessera(&["logout", "--profile", "real-login"]));
    assert_keyring_lacks(
        &ws.entry("session:real-login"),
        "logout deletes the keyring entry",
    );
    let line = failed(&ws.tessera(&["token", "--profile", "real-login"]));
    assert!(line.contains("not signed in"), "{line}");
}

#[test]
fn refresh_rotates_the_refresh_token_and_the_old_one_is_rejected() {
    let p = LocalProvider::shared();
    let ws = home("real-refresh");
    let first = login(&ws, p, "real-refresh", "tessera", &[]);
    let old_rt = stored_refresh_token(&ws.keyring_profile("real-refresh"))
        .expect("a refresh token is stored");
    let refreshed = json(&ws.tessera(&["refresh", "--profile", "real-refresh", "--json"]));
    assert_eq!(
        refreshed["rotated"], true,
        "the provider rotates refresh tokens"
    );
    assert_ne!(
        refreshed["access_token"], first["access_token"],
        "a new access token"
    );
    let new_rt = stored_refresh_token(&ws.keyring_profile("real-refresh"))
        .expect("the refreshed session keeps a refresh token");
    assert_ne!(
        new_rt, old_rt,
        "the rotated refresh token is what the keyring holds now"
    );
    let form = format!("grant_type=refresh_token&client_id=tessera&refresh_token={old_rt}");
    let (status, body) = http(
        "POST",
        &format!("{}/token", p.issuer),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(
        status, 400,
        "the provider refuses the old refresh token: {body}"
    );
    assert!(body.contains("invalid_grant"), "{body}");
    ok(&ws.tessera(&["logout", "--profile", "real-refresh"]));
}

#[test]
fn token_refreshes_when_the_access_token_is_about_to_expire() {
    let p = LocalProvider::short_lived();
    let ws = home("real-auto");
    let first = login(&ws, p, "real-auto", "tessera", &[]);
    let second = ok(&ws.tessera(&["token", "--profile", "real-auto"]));
    assert_ne!(
        second.trim(),
        first["access_token"],
        "a token within 30 s of expiry is refreshed first"
    );
    let (status, _) = call_api(&p.issuer, "/api/me", &second);
    assert_eq!(status, 200, "the refreshed token works");
    ok(&ws.tessera(&["logout", "--profile", "real-auto"]));
}

#[test]
fn concurrent_refreshes_share_the_rotated_token_instead_of_burning_it() {
    // Access tokens of 40 s: a fresh one is outside Tessera's 30 s refresh
    // margin, and one 10 s old is inside it.
    let p = &LocalProvider::start(&["--access-token-ttl", "40"]);
    let ws = home("real-race");
    let signed_in = login(&ws, p, "real-race", "tessera", &[]);
    // Wait until the access token is inside the refresh margin, so each run
    // wants a refresh. The first to take the profile's lock refreshes; the
    // others re-read the session under the lock, find a token valid for
    // about 40 s more, and use it instead of spending the refresh token again.
    let expires_at = signed_in["expires_at"]
        .as_i64()
        .expect("the sign-in reports when the access token expires");
    let margin_starts = expires_at - 30;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs() as i64;
    if margin_starts >= now {
        std::thread::sleep(std::time::Duration::from_secs(
            (margin_starts - now + 1) as u64,
        ));
    }
    let runs: Vec<_> = (0..3)
        .map(|_| {
            ws.command(&["token", "--profile", "real-race"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start tessera token")
        })
        .collect();
    let tokens: Vec<String> = runs
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().expect("tessera token finishes");
            ok(&out).trim().to_string()
        })
        .collect();
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "the three runs share one refresh under the profile's lock, so they print the same access token: {tokens:?}"
    );
    assert_ne!(
        tokens[0], signed_in["access_token"],
        "the token inside the refresh margin was refreshed, not printed as it was"
    );
    ok(&ws.tessera(&["token", "--profile", "real-race"]));
    ok(&ws.tessera(&["logout", "--profile", "real-race"]));
}

#[test]
fn logout_with_revoke_revokes_at_the_provider_and_deletes_the_session() {
    let p = LocalProvider::shared();
    let ws = home("real-revoke");
    let out = login(&ws, p, "real-revoke", "tessera", &[]);
    let at = out["access_token"].as_str().unwrap().to_string();
    let rt = stored_refresh_token(&ws.keyring_profile("real-revoke"))
        .expect("the session keeps a refresh token");
    let said = ok(&ws.tessera(&["logout", "--profile", "real-revoke", "--revoke"]));
    assert!(
        said.contains("Revoked the refresh token") && said.contains("Revoked the access token"),
        "{said}"
    );
    assert_keyring_lacks(
        &ws.entry("session:real-revoke"),
        "the keyring entry is gone",
    );
    let (status, _) = call_api(&p.issuer, "/api/me", &at);
    assert_eq!(status, 401, "the revoked access token no longer works");
    let form = format!("grant_type=refresh_token&client_id=tessera&refresh_token={rt}");
    let (status, _) = http(
        "POST",
        &format!("{}/token", p.issuer),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(status, 400, "the revoked refresh token no longer works");
}

#[test]
fn logout_with_end_session_opens_the_providers_sign_out_page() {
    let p = LocalProvider::shared();
    let ws = home("real-end-session");
    login(&ws, p, "real-end", "tessera", &[]);
    let said = ok(&ws.tessera(&["logout", "--profile", "real-end", "--end-session"]));
    assert!(
        said.contains("Opened the provider's sign-out page"),
        "{said}"
    );
    assert!(
        !said.contains("id_token_hint"),
        "the URL with the ID token is not printed"
    );
    assert_keyring_lacks(
        &ws.entry("session:real-end"),
        "signing out with --end-session deletes the local session too",
    );
}

#[test]
fn introspection_reports_the_access_token_as_active() {
    let p = LocalProvider::shared();
    let ws = home("real-introspect");
    login(&ws, p, "real-introspect", "tessera", &[]);
    let out = json(&ws.tessera(&["introspect", "--profile", "real-introspect"]));
    assert_eq!(out["active"], true, "{out}");
    assert_eq!(out["client_id"], "tessera");
    ok(&ws.tessera(&["logout", "--profile", "real-introspect"]));
}

#[test]
fn confidential_clients_sign_in_with_basic_and_post_authentication() {
    let p = LocalProvider::shared();
    for (client, auth) in [
        ("tessera-confidential", "basic"),
        ("tessera-confidential-post", "post"),
    ] {
        let ws = home("real-confidential");
        let profile = format!("real-{client}");
        let out = login(
            &ws,
            p,
            &profile,
            client,
            &[
                "--client-secret",
                "tessera-demo-secret",
                "--client-auth",
                auth,
            ],
        );
        assert_eq!(out["id_token_claims"]["aud"], client);
        assert_keyring_has(
            &ws.entry(&format!("client-secret:{profile}")),
            "the secret is kept in the keyring",
        );
        let file = std::fs::read_to_string(ws.path().join("profiles.toml")).unwrap();
        assert!(
            !file.contains("tessera-demo-secret"),
            "never in the profile file"
        );
        let refreshed = json(&ws.tessera(&["refresh", "--profile", &profile, "--json"]));
        assert_eq!(
            refreshed["rotated"], true,
            "refresh authenticates with the stored secret ({auth})"
        );
        ok(&ws.tessera(&["profiles", "remove", &profile]));
    }
}

#[test]
fn es256_and_eddsa_id_tokens_from_the_real_provider_verify() {
    let p = LocalProvider::shared();
    for (client, alg) in [("tessera-es256", "ES256"), ("tessera-eddsa", "EdDSA")] {
        let ws = home("real-algs");
        let profile = format!("real-{client}");
        let out = login(&ws, p, &profile, client, &[]);
        let sig = out["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "signature")
            .unwrap()
            .clone();
        assert!(
            sig["detail"].as_str().unwrap().contains(alg),
            "{client} tokens are {alg}: {sig}"
        );
        ok(&ws.tessera(&["logout", "--profile", &profile]));
    }
}

#[test]
fn denying_consent_gives_a_clear_error_and_stores_nothing() {
    let p = LocalProvider::shared();
    let mut ws = home("real-deny");
    ws.env("BROWSER_CONSENT", "deny");
    let line = failed(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
        "--profile",
        "real-deny",
        "--timeout",
        "60",
    ]));
    assert!(
        line.contains("the provider returned access_denied"),
        "{line}"
    );
    assert_keyring_lacks(
        &ws.entry("session:real-deny"),
        "a denied consent stores no session",
    );
}

#[test]
fn a_tampered_state_from_the_real_provider_is_refused() {
    let p = LocalProvider::shared();
    let mut ws = home("real-state");
    ws.env("BROWSER_TAMPER_STATE", "1");
    let line = failed(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
        "--profile",
        "real-state",
        "--timeout",
        "8",
    ]));
    assert!(
        line.contains("another sign-in's state were ignored"),
        "{line}"
    );
    assert_keyring_lacks(
        &ws.entry("session:real-state"),
        "a refused sign-in stores no session",
    );
}

#[test]
fn an_unknown_client_id_times_out_naming_the_redirect_uri() {
    let p = LocalProvider::shared();
    let ws = home("real-client");
    let line = failed(&ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "no-such-client",
        "--profile",
        "real-bad-client",
        "--timeout",
        "5",
    ]));
    assert!(
        line.contains("timed out waiting for the browser to return to http://127.0.0.1:"),
        "{line}"
    );
}

#[test]
fn logs_at_every_level_name_each_call_but_never_a_token_code_or_secret() {
    let p = LocalProvider::shared();
    let mut ws = home("real-logs");
    // Every level of every crate: Tessera's own, and the HTTP, TLS and
    // D-Bus (Secret Service) crates under it.
    ws.env("TESSERA_LOG", "trace");
    let profile = "real-logs";
    let out = ws.tessera(&[
        "login",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera-confidential",
        "--client-secret",
        "tessera-demo-secret",
        "--profile",
        profile,
        "--timeout",
        "60",
        "--json",
    ]);
    let login_json: Value = serde_json::from_str(&ok(&out)).unwrap();
    let first_rt = stored_refresh_token(&ws.keyring_profile(profile))
        .expect("the session keeps a refresh token");
    let refresh = ws.tessera(&["refresh", "--profile", profile]);
    ok(&refresh);
    let logout = ws.tessera(&["logout", "--profile", profile, "--revoke"]);
    ok(&logout);
    let logs = [&out, &refresh, &logout]
        .iter()
        .map(|o| stderr(o))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        logs.contains("token endpoint") && logs.contains("revocation endpoint"),
        "the calls are logged: {logs}"
    );
    let access = login_json["access_token"].as_str().unwrap();
    assert!(
        logs.contains("TRACE"),
        "trace level is on for every crate: {logs}"
    );
    assert!(
        !logs.contains("eyJ"),
        "no JWT-shaped value (ID token, JWT access token) in the logs"
    );
    for (what, secret) in [
        ("access token", access),
        ("refresh token", first_rt.as_str()),
        ("client secret", "tessera-demo-secret"),
    ] {
        assert!(!logs.contains(secret), "the {what} leaked into the logs");
    }
    let code_param = regex_like_code_param(&logs);
    assert!(
        code_param.is_none(),
        "an authorization code leaked into the logs: {code_param:?}"
    );
    // Nothing Tessera wrote to disk (profiles, cache, locks, the browser
    // stand-in's log aside) holds a secret either: tokens live in the keyring.
    let mut files = Vec::new();
    let mut dirs = vec![ws.path().to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the home is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != "browser.log") {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("profiles.toml")),
        "the scan sees Tessera's files: {files:?}"
    );
    let id_token = login_json["id_token_claims"]
        .is_object()
        .then_some(())
        .map(|_| ());
    assert!(id_token.is_some(), "the login printed its claims");
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("readable")).into_owned();
        for (what, secret) in [
            ("access token", access),
            ("refresh token", first_rt.as_str()),
            ("client secret", "tessera-demo-secret"),
        ] {
            assert!(
                !text.contains(secret),
                "the {what} is in {}",
                file.display()
            );
        }
    }
    ok(&ws.tessera(&["profiles", "remove", profile]));
}

/// A `code=<value>` query parameter (not code_challenge or response_type=code).
fn regex_like_code_param(text: &str) -> Option<String> {
    text.match_indices("code=").find_map(|(i, _)| {
        let before = text[..i].chars().last()?;
        (before == '?' || before == '&').then(|| text[i..].chars().take(20).collect())
    })
}

#[test]
fn profiles_save_creates_a_profile_that_signs_in_without_repeating_its_settings() {
    let p = LocalProvider::shared();
    let ws = home("real-save");
    let saved = ok(&ws.tessera(&[
        "profiles",
        "save",
        "--profile",
        "real-saved",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
        "--scope",
        "openid profile email offline_access",
    ]));
    assert!(saved.contains("Saved profile \"real-saved\""), "{saved}");
    assert_keyring_lacks(
        &ws.entry("session:real-saved"),
        "saving a profile must not sign in",
    );
    ok(&ws.tessera(&["login", "--profile", "real-saved"]));
    assert_keyring_has(
        &ws.entry("session:real-saved"),
        "the saved profile signs in with no flags",
    );
    ok(&ws.tessera(&["logout", "--profile", "real-saved"]));
}

/// A proxy on 127.0.0.1 that records the request line of everything it is
/// asked to carry and carries nothing.
fn recording_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&asked);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let line = String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            record.lock().expect("the record").push(line);
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (url, asked)
}

#[test]
fn proxy_variables_never_capture_the_loopback_sign_in() {
    let p = LocalProvider::shared();
    let (proxy, asked) = recording_proxy();
    let mut ws = home("proxy");
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        ws.env(var, &proxy);
    }
    let out = login(&ws, p, "proxied", "tessera", &[]);
    assert_eq!(
        out["subject"], "demo-user-0001",
        "the sign-in works with the variables set"
    );
    ok(&ws.tessera(&["refresh", "--profile", "proxied"]));
    assert!(
        asked.lock().expect("the record").is_empty(),
        "discovery, the token request (code, verifier), userinfo and refresh stay on loopback: {:?}",
        asked.lock().expect("the record")
    );
    ok(&ws.tessera(&["logout", "--profile", "proxied"]));
}

#[test]
fn two_tessera_homes_with_a_profile_of_the_same_name_never_share_a_session() {
    let p = LocalProvider::shared();
    let first = home("scope-first");
    let second = home("scope-second");
    login(&first, p, "same-name", "tessera", &[]);
    ok(&second.tessera(&[
        "profiles",
        "save",
        "--profile",
        "same-name",
        "--issuer",
        &p.issuer,
        "--client-id",
        "tessera",
    ]));
    let out = second.tessera(&["token", "--profile", "same-name"]);
    let line = failed(&out);
    assert_eq!(
        out.status.code(),
        Some(4),
        "the second home's profile is not signed in, whatever the first did: {line}"
    );
    assert_keyring_has(
        &first.entry("session:same-name"),
        "the first home's session is under its own scope",
    );
    assert_keyring_lacks(
        &second.entry("session:same-name"),
        "and the second home has none",
    );
    assert_ne!(
        first.entry("session:same-name"),
        second.entry("session:same-name"),
        "two homes, two names"
    );
    ok(&first.tessera(&["logout", "--profile", "same-name"]));
}

#[test]
fn four_processes_refreshing_one_rotating_session_200_times_lose_nothing_and_reuse_no_refresh_token(
) {
    // The local provider rotates refresh tokens and, like RFC 9700 asks,
    // revokes the whole grant when a spent one is presented again: a single
    // reuse would make every later refresh fail.
    let p = &LocalProvider::start(&[]);
    let ws = home("real-storm");
    login(&ws, p, "storm", "tessera", &[]);
    let first_rt = stored_refresh_token(&ws.keyring_profile("storm")).expect("a refresh token");
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let commands: Vec<_> = (0..50)
                .map(|_| ws.command(&["refresh", "--profile", "storm"]))
                .collect();
            std::thread::spawn(move || {
                commands
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut cmd)| {
                        let out = cmd.output().expect("run tessera refresh");
                        (
                            worker,
                            i,
                            out.status.success(),
                            String::from_utf8_lossy(&out.stderr).into_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("a worker finishes"))
        .collect();
    let failures: Vec<_> = results.iter().filter(|(_, _, ok, _)| !ok).collect();
    assert_eq!(results.len(), 200, "every refresh ran");
    assert!(
        failures.is_empty(),
        "{} of 200 refreshes failed, first: {:?}",
        failures.len(),
        failures.first()
    );
    let last_rt = stored_refresh_token(&ws.keyring_profile("storm")).expect("the session survived");
    assert_ne!(last_rt, first_rt, "the refresh token rotated along the way");
    let token = ok(&ws.tessera(&["token", "--profile", "storm"]));
    let (status, body) = call_api(&p.issuer, "/api/me", &token);
    assert_eq!(
        status, 200,
        "the grant was never revoked for a reused refresh token: {body}"
    );
    ok(&ws.tessera(&["logout", "--profile", "storm"]));
}

/// Unmounts the tmpfs a test put under the home's cache, even when it fails.
struct Unmount(Option<std::path::PathBuf>);

impl Drop for Unmount {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::process::Command::new("umount").arg(dir).status();
        }
    }
}

#[test]
fn a_full_disk_under_the_cache_does_not_break_a_sign_in() {
    let p = LocalProvider::shared();
    let ws = home("full-cache");
    let cache = ws.path().join("cache");
    std::fs::create_dir_all(&cache).expect("the cache folder");
    // A tiny tmpfs, filled: every cache write gets ENOSPC. Without the right
    // to mount, a file where the folder should be makes every write fail too.
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8k", "tmpfs"])
        .arg(&cache)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let _unmount = Unmount(mounted.then(|| cache.clone()));
    if mounted {
        let filler = std::fs::write(cache.join("filler"), vec![0u8; 64 * 1024]);
        assert!(filler.is_err(), "the tmpfs is full");
        assert!(
            std::fs::write(cache.join("probe"), b"x").is_err(),
            "nothing more fits in the cache"
        );
    } else {
        std::fs::remove_dir(&cache).expect("remove the folder");
        std::fs::write(&cache, b"not a folder").expect("a file in its place");
    }
    eprintln!(
        "cache: {}",
        if mounted {
            "a full 8 KiB tmpfs"
        } else {
            "a file in place of the folder (no right to mount)"
        }
    );
    let out = login(&ws, p, "full-cache", "tessera", &[]);
    assert_eq!(
        out["issuer"],
        p.issuer.as_str(),
        "the sign-in succeeds without a cache"
    );
    assert_keyring_has(
        &ws.entry("session:full-cache"),
        "the session is stored: the keyring is not the cache",
    );
    let token = ws.tessera(&["token", "--profile", "full-cache"]);
    ok(&token);
    ok(&ws.tessera(&["logout", "--profile", "full-cache"]));
}
