//! The engine's use cases with fakes at every seam: a scripted HTTP client,
//! the in-memory secret store and a fixed clock. They pin down the ordering
//! rules of refresh, which the end-to-end tests exercise with real parts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use tessera_engine::clock::FixedClock;
use tessera_engine::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use tessera_engine::profile::{Paths, Profile, ProfileFile};
use tessera_engine::session::{Session, SessionStore};
use tessera_engine::store::MemoryStore;
use tessera_engine::{Engine, EngineError, RefreshError};
use tessera_testkit::ScratchDir;

const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://idp.test";

mod proxy;
mod resource;
mod tools;

type Answer = (u16, Value, Vec<(String, String)>);

/// Answers by path (queued answers first, then the route); records every
/// request.
#[derive(Default)]
struct ScriptedHttp {
    routes: Mutex<HashMap<String, (u16, Value)>>,
    queued: Mutex<HashMap<String, std::collections::VecDeque<Answer>>>,
    seen: Mutex<Vec<String>>,
    requests: Mutex<Vec<HttpRequest>>,
}

impl ScriptedHttp {
    /// Answers the next request to `path` with this, once.
    fn queue(&self, path: &str, status: u16, body: Value, headers: &[(&str, &str)]) {
        self.queued
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_default()
            .push_back((
                status,
                body,
                headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ));
    }
    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap().clone()
    }
    fn route(&self, path: &str, status: u16, body: Value) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, body));
    }
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl HttpClient for ScriptedHttp {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let path = request.url.path().to_string();
        self.seen.lock().unwrap().push(path.clone());
        self.requests.lock().unwrap().push(request);
        let queued = self
            .queued
            .lock()
            .unwrap()
            .get_mut(&path)
            .and_then(|q| q.pop_front());
        let (status, body, extra) = queued.unwrap_or_else(|| {
            let (status, body) = self
                .routes
                .lock()
                .unwrap()
                .get(&path)
                .cloned()
                .unwrap_or((404, json!({})));
            (status, body, Vec::new())
        });
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        headers.extend(extra);
        Box::pin(async move {
            Ok(HttpResponse {
                status,
                headers,
                body: body.to_string().into_bytes(),
            })
        })
    }
}

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn id_token(sub: &str) -> String {
    let claims = json!({"iss": ISSUER, "sub": sub, "aud": "c", "iat": NOW - 1, "exp": NOW + 300});
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-rsa-1".into());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_pem(&key_file("rsa.pem")).unwrap(),
    )
    .unwrap()
}

struct Fixture {
    engine: Engine,
    store: MemoryStore,
    http: Arc<ScriptedHttp>,
    _dir: ScratchDir,
}

fn fixture(tag: &str, expires_at: i64) -> Fixture {
    let dir = ScratchDir::new(tag);
    let paths = Paths::under(dir.path());
    let mut file = ProfileFile::default();
    file.upsert(Profile::new("p", ISSUER, "c"));
    file.save(&paths).unwrap();
    let store = MemoryStore::new();
    let session = Session {
        issuer: ISSUER.into(),
        client_id: "c".into(),
        subject: "user-1".into(),
        token_type: "Bearer".into(),
        access_token: "old-access".into(),
        refresh_token: Some("old-refresh".into()),
        id_token: Some(id_token("user-1").into()),
        expires_at: Some(expires_at),
        scopes: vec!["openid".into()],
        obtained_at: NOW - 600,
        signed_in_at: NOW - 600,
        userinfo: None,
    };
    SessionStore::new(&store).save("p", &session).unwrap();
    let http = Arc::new(ScriptedHttp::default());
    http.route(
        "/.well-known/openid-configuration",
        200,
        json!({
            "issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
            "token_endpoint": format!("{ISSUER}/token"), "jwks_uri": format!("{ISSUER}/jwks"),
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }),
    );
    let jwk: Value = serde_json::from_slice(&key_file("rsa.jwk.json")).unwrap();
    http.route("/jwks", 200, json!({"keys": [jwk]}));
    let engine = Engine::new(paths, Arc::new(store.clone()), Arc::new(FixedClock(NOW)))
        .with_http_client(http.clone());
    Fixture {
        engine,
        store,
        http,
        _dir: dir,
    }
}

fn stored(f: &Fixture) -> Session {
    SessionStore::new(&f.store)
        .load("p")
        .unwrap()
        .expect("a session is stored")
}

#[tokio::test]
async fn a_valid_cached_token_is_returned_without_any_network_call() {
    let f = fixture("cached", NOW + 600);
    let session = f.engine.access_token(Some("p")).await.unwrap();
    assert_eq!(session.access_token.expose(), "old-access");
    assert!(
        f.http.seen().is_empty(),
        "no HTTP call for a fresh token: {:?}",
        f.http.seen()
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_is_kept_even_when_the_new_id_token_fails() {
    let f = fixture("rotate-fail", NOW - 5);
    f.http.route(
        "/token",
        200,
        json!({
            "access_token": "new-access", "token_type": "Bearer", "expires_in": 300,
            "refresh_token": "new-refresh", "id_token": id_token("someone-else"),
        }),
    );
    let err = f.engine.access_token(Some("p")).await.unwrap_err();
    assert!(matches!(err, RefreshError::Rejected { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "refreshed ID token is for a different subject"
    );
    let s = stored(&f);
    assert_eq!(
        s.refresh_token.unwrap().expose(),
        "new-refresh",
        "the old refresh token is spent; the new one must survive"
    );
    assert_eq!(
        s.access_token.expose(),
        "old-access",
        "the unverified response's access token is not adopted"
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_the_keyring_refuses_is_held_and_stored_once_it_accepts() {
    let f = fixture("rotate-held", NOW - 5);
    f.http.route(
        "/token",
        200,
        json!({
            "access_token": "new-access", "token_type": "Bearer", "expires_in": 300,
            "refresh_token": "new-refresh", "id_token": id_token("user-1"),
        }),
    );
    f.store.fail_writes_after(0);
    let err = f.engine.access_token(Some("p")).await.unwrap_err();
    assert!(matches!(err, RefreshError::RotatedNotSaved { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("holds it in memory and stores it once the keyring accepts it"),
        "the user is told, not left with a silently lost session: {err}"
    );
    assert_eq!(
        stored(&f).refresh_token.unwrap().expose(),
        "old-refresh",
        "the keyring still has the spent one"
    );
    f.store.fail_writes_after(usize::MAX);
    let held = f
        .engine
        .stored_session("p")
        .await
        .unwrap()
        .expect("a session");
    assert_eq!(
        held.refresh_token.unwrap().expose(),
        "new-refresh",
        "this process kept the new one"
    );
    assert_eq!(
        stored(&f).refresh_token.unwrap().expose(),
        "new-refresh",
        "and stored it as soon as the keyring took writes again"
    );
}

#[tokio::test]
async fn a_rejected_refresh_token_leaves_the_session_untouched() {
    let f = fixture("invalid-grant", NOW - 5);
    f.http.route(
        "/token",
        400,
        json!({"error": "invalid_grant", "error_description": "grant request is invalid"}),
    );
    let err = f.engine.access_token(Some("p")).await.unwrap_err();
    assert!(matches!(err, RefreshError::RefreshRejected { .. }), "{err}");
    assert!(
        err.to_string().ends_with("sign in again"),
        "the engine's advice is host-neutral: {err}"
    );
    assert_eq!(
        (err.kind(), err.facts().profile.as_deref()),
        (tessera_engine::ErrorKind::SessionExpired, Some("p")),
        "hosts learn what to advise from the kind and the profile"
    );
    let s = stored(&f);
    assert_eq!(s.refresh_token.unwrap().expose(), "old-refresh");
    assert_eq!(s.access_token.expose(), "old-access");
}

#[tokio::test]
async fn a_refresh_without_rotation_keeps_the_refresh_token_and_id_token() {
    let f = fixture("no-rotation", NOW + 10);
    f.http.route(
        "/token",
        200,
        json!({"access_token": "new-access", "token_type": "Bearer", "expires_in": 300}),
    );
    let session = f.engine.access_token(Some("p")).await.unwrap();
    assert_eq!(
        session.access_token.expose(),
        "new-access",
        "10 s left is inside the 30 s margin: refreshed"
    );
    assert_eq!(session.expires_at, Some(NOW + 300));
    let s = stored(&f);
    assert_eq!(
        s.refresh_token.unwrap().expose(),
        "old-refresh",
        "no new refresh token: keep the old one"
    );
    assert!(s.id_token.is_some(), "the original ID token is kept");
    assert_eq!(f.http.seen().iter().filter(|p| *p == "/token").count(), 1);
}

#[tokio::test]
async fn a_failing_token_endpoint_leaves_the_session_untouched() {
    let f = fixture("token-500", NOW - 5);
    f.http.route("/token", 500, json!({}));
    let err = f.engine.access_token(Some("p")).await.unwrap_err();
    assert_eq!(err.to_string(), "token endpoint returned HTTP 500");
    assert_eq!(stored(&f).refresh_token.unwrap().expose(), "old-refresh");
}

/// A browser double that records what it was asked to open.
#[derive(Default)]
struct RecordingBrowser(Mutex<Vec<String>>);

impl tessera_engine::browser::BrowserLauncher for RecordingBrowser {
    fn open(&self, url: &str) -> Result<(), tessera_engine::browser::BrowserError> {
        self.0.lock().unwrap().push(url.to_string());
        Ok(())
    }
}

fn login_request<'a>(
    profile: Profile,
    browser: &'a RecordingBrowser,
    scheme: Option<tokio::sync::mpsc::Receiver<String>>,
    preflight: bool,
) -> tessera_engine::LoginRequest<'a> {
    tessera_engine::LoginRequest {
        profile,
        client_secret: None,
        client_key: None,
        browser,
        timeout: std::time::Duration::from_secs(5),
        progress: &|_| {},
        scheme_redirects: scheme,
        preflight,
    }
}

#[tokio::test]
async fn a_preflight_refusing_the_redirect_uri_fails_before_the_browser_opens() {
    let f = fixture("preflight-redirect", NOW + 300);
    f.http.route(
        "/authorize",
        400,
        json!({"error": "invalid_redirect_uri", "error_description": "redirect_uri did not match"}),
    );
    let browser = RecordingBrowser::default();
    let profile = f.engine.profile(Some("p")).unwrap();
    let err = f
        .engine
        .login(login_request(profile, &browser, None, true))
        .await
        .expect_err("the provider refused the request");
    let message = err.to_string();
    assert!(
        matches!(err, tessera_engine::LoginError::RedirectUriRejected { .. }),
        "{message}"
    );
    assert!(
        message.contains("register exactly this URI") && message.contains("http://127.0.0.1:"),
        "the message names the URI to register: {message}"
    );
    assert!(
        browser.0.lock().unwrap().is_empty(),
        "no browser opens for a request the provider refuses"
    );
    assert_eq!(
        stored(&f).access_token.expose(),
        "old-access",
        "the previous session is untouched"
    );
}

#[tokio::test]
async fn a_preflight_refusing_the_client_names_the_client_id() {
    let f = fixture("preflight-client", NOW + 300);
    f.http
        .route("/authorize", 400, json!({"error": "invalid_client"}));
    let browser = RecordingBrowser::default();
    let profile = f.engine.profile(Some("p")).unwrap();
    let err = f
        .engine
        .login(login_request(profile, &browser, None, true))
        .await
        .expect_err("the provider refused the client");
    assert!(
        matches!(err, tessera_engine::LoginError::ClientRejected { ref client_id, .. } if client_id == "c"),
        "{err}"
    );
}

/// The fixture's profile, redirecting to Tessera's custom scheme.
fn custom_scheme_profile(f: &Fixture) -> Profile {
    let mut profile = f.engine.profile(Some("p")).unwrap();
    profile.redirect = tessera_engine::profile::Redirect::CustomScheme {
        uri: "dev.tessera.app:/callback".into(),
    };
    profile
}

#[tokio::test]
async fn a_redirect_with_a_forged_state_is_ignored_and_the_genuine_one_after_it_is_used() {
    let f = fixture("scheme", NOW + 300);
    let profile = custom_scheme_profile(&f);
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let browser = std::sync::Arc::new(RecordingBrowser::default());
    let opened = std::sync::Arc::clone(&browser);
    let sender = tokio::spawn(async move {
        tx.send("dev.tessera.app:/elsewhere?code=x&state=y".into())
            .await
            .unwrap();
        tx.send("dev.tessera.app:/callback?code=forged&state=forged".into())
            .await
            .unwrap();
        // Then the browser comes back with this sign-in's own state.
        let state = loop {
            if let Some(url) = opened.0.lock().unwrap().first().cloned() {
                let url = url::Url::parse(&url).expect("the authorization URL");
                break url
                    .query_pairs()
                    .find(|(k, _)| k == "state")
                    .expect("a state")
                    .1
                    .into_owned();
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        };
        tx.send(format!(
            "dev.tessera.app:/callback?code=genuine&state={state}"
        ))
        .await
        .unwrap();
    });
    let err = f
        .engine
        .login(login_request(profile, &browser, Some(rx), false))
        .await
        .expect_err("the fixture has no token endpoint, so the exchange itself fails");
    sender.await.unwrap();
    assert!(
        err.to_string().contains("token endpoint"),
        "the forged redirect did not end the sign-in: the genuine one reached the code exchange: {err}"
    );
    let token_requests: Vec<String> = f
        .http
        .requests()
        .iter()
        .filter(|r| r.url.path() == "/token")
        .map(|r| String::from_utf8_lossy(r.body.as_deref().unwrap_or_default()).into_owned())
        .collect();
    assert_eq!(token_requests.len(), 1, "one code exchange");
    assert!(
        token_requests[0].contains("code=genuine") && !token_requests[0].contains("forged"),
        "only the genuine code is exchanged: {token_requests:?}"
    );
}

#[tokio::test]
async fn only_forged_redirects_end_the_sign_in_at_its_deadline_saying_what_was_ignored() {
    let f = fixture("scheme-forged", NOW + 300);
    let profile = custom_scheme_profile(&f);
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send("dev.tessera.app:/callback?code=x&state=forged".into())
        .await
        .unwrap();
    let browser = RecordingBrowser::default();
    let mut request = login_request(profile, &browser, Some(rx), false);
    request.timeout = std::time::Duration::from_millis(300);
    let err = f
        .engine
        .login(request)
        .await
        .expect_err("nothing genuine came back");
    assert!(
        err.to_string()
            .contains("1 redirect(s) with another sign-in's state were ignored"),
        "{err}"
    );
    assert_eq!(
        err.kind(),
        tessera_engine::ErrorKind::StateMismatch,
        "hosts show it as a state problem"
    );
    assert!(
        !f.http.seen().iter().any(|p| p == "/token"),
        "no code exchange"
    );
}

#[tokio::test]
async fn without_a_url_channel_a_custom_scheme_profile_is_refused_up_front() {
    let f = fixture("scheme-cli", NOW + 300);
    let profile = custom_scheme_profile(&f);
    let browser = RecordingBrowser::default();
    let err = f
        .engine
        .login(login_request(profile, &browser, None, false))
        .await
        .expect_err("the command line cannot receive it");
    assert!(
        matches!(err, tessera_engine::LoginError::CustomSchemeNeedsApp(_)),
        "{err}"
    );
}

#[tokio::test]
async fn saving_a_profile_with_a_secret_stores_it_in_the_keyring_and_duplicates_copy_it() {
    use tessera_engine::profiles::SecretChange;
    let f = fixture("save", NOW + 300);
    let mut profile = Profile::new("conf", ISSUER, "c2");
    profile.scopes = vec!["email".into()];
    let saved = f
        .engine
        .save_profile(profile, SecretChange::Set("s3cret".into()))
        .await
        .unwrap();
    assert!(
        saved.client_secret_in_keyring,
        "the file records that a secret exists"
    );
    assert_eq!(
        saved.scopes,
        ["openid", "email"],
        "openid is always requested"
    );
    let copy = f.engine.duplicate_profile("conf", "conf-2").await.unwrap();
    assert!(copy.client_secret_in_keyring, "the copy has the secret too");
    let secret = SessionStore::new(&f.store).client_secret("conf-2").unwrap();
    assert_eq!(
        secret.map(|s| s.expose().to_string()).as_deref(),
        Some("s3cret"),
        "copied in the keyring"
    );
    let again = f.engine.duplicate_profile("conf", "conf-2").await;
    assert!(
        again.is_err(),
        "a duplicate never overwrites an existing profile"
    );
    f.engine
        .save_profile(f.engine.profile(Some("conf")).unwrap(), SecretChange::Clear)
        .await
        .unwrap();
    assert!(
        SessionStore::new(&f.store)
            .client_secret("conf")
            .unwrap()
            .is_none(),
        "clearing forgets the secret"
    );
}

#[tokio::test]
async fn profile_statuses_name_the_signed_in_user_and_expiry() {
    let f = fixture("statuses", NOW + 300);
    f.engine
        .save_profile(
            Profile::new("other", ISSUER, "c"),
            tessera_engine::profiles::SecretChange::Keep,
        )
        .await
        .unwrap();
    let statuses = f.engine.profile_statuses().await.unwrap();
    let p = statuses
        .iter()
        .find(|s| s.profile.name == "p")
        .expect("p listed");
    assert!(p.signed_in, "p has a session");
    assert_eq!(
        p.user.as_deref(),
        Some("user-1"),
        "no name or email: the subject"
    );
    assert_eq!(p.expires_at, Some(NOW + 300), "the access token's expiry");
    let other = statuses
        .iter()
        .find(|s| s.profile.name == "other")
        .expect("other listed");
    assert!(!other.signed_in, "other has no session");
}

#[tokio::test]
async fn a_session_is_never_used_with_a_profile_that_now_names_another_provider() {
    let f = fixture("bound", NOW + 600);
    // The profile file is edited behind the session's back (by hand, or by
    // another tool): it now names provider B.
    let paths = f.engine.paths().clone();
    let mut file = ProfileFile::load(&paths).unwrap();
    file.upsert(Profile::new("p", "https://provider-b.test", "c"));
    file.save(&paths).unwrap();

    let err = f.engine.access_token(Some("p")).await.unwrap_err();
    assert!(matches!(err, RefreshError::ProfileChanged(_)), "{err}");
    let err = f
        .engine
        .introspect(Some("p"), tessera_engine::token::TokenKind::Access)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("issued for a different issuer or client"),
        "{err}"
    );
    let err = f
        .engine
        .revoke_token("p", tessera_engine::token::TokenKind::Refresh)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("issued for a different issuer or client"),
        "{err}"
    );
    let err = f
        .engine
        .logout(
            Some("p"),
            tessera_engine::LogoutOptions {
                revoke: true,
                end_session: false,
            },
            &RecordingBrowser::default(),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("sign out on this device only"),
        "{err}"
    );
    assert!(
        f.http.requests().is_empty(),
        "not one request went out with provider A's tokens: {:?}",
        f.http.seen()
    );
    assert_eq!(
        stored(&f).access_token.expose(),
        "old-access",
        "and the session is kept"
    );
}

#[tokio::test]
async fn changing_a_signed_in_profiles_issuer_or_client_signs_it_out() {
    let f = fixture("rebind", NOW + 600);
    let heard = std::sync::Arc::new(Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&heard);
    f.engine
        .events()
        .subscribe(move |e| record.lock().unwrap().push(e.change));
    // The same issuer and client: the session stays.
    let mut same = f.engine.profile(Some("p")).unwrap();
    same.scopes = vec!["openid".into(), "email".into()];
    f.engine
        .save_profile(same, tessera_engine::profiles::SecretChange::Keep)
        .await
        .unwrap();
    assert!(
        SessionStore::new(&f.store).load("p").unwrap().is_some(),
        "a change that keeps the provider and client keeps the session"
    );
    let mut moved = f.engine.profile(Some("p")).unwrap();
    moved.client_id = "another-client".into();
    f.engine
        .save_profile(moved, tessera_engine::profiles::SecretChange::Keep)
        .await
        .unwrap();
    assert!(
        SessionStore::new(&f.store).load("p").unwrap().is_none(),
        "the old client's session is deleted, not kept for the new one"
    );
    assert!(
        f.http.requests().is_empty(),
        "nothing was revoked at any provider"
    );
    assert!(
        heard
            .lock()
            .unwrap()
            .contains(&tessera_engine::events::SessionChange::SignedOut),
        "the sign-out is published: {:?}",
        heard.lock().unwrap()
    );
}

#[tokio::test]
async fn one_damaged_session_is_that_profiles_problem_not_the_whole_lists() {
    let f = fixture("damaged", NOW + 600);
    let paths = f.engine.paths().clone();
    let mut file = ProfileFile::load(&paths).unwrap();
    file.upsert(Profile::new("big", ISSUER, "c"));
    file.save(&paths).unwrap();
    // A session large enough for several keyring entries, then one lost.
    let mut big = stored(&f);
    big.access_token = "x".repeat(5000).into();
    SessionStore::new(&f.store).save("big", &big).unwrap();
    let chunk = f
        .store
        .keys()
        .into_iter()
        .find(|k| k.starts_with("session:big:"))
        .expect("a chunk entry");
    use tessera_engine::store::SecretStore;
    f.store.delete(&chunk).unwrap();

    let statuses = f
        .engine
        .profile_statuses()
        .await
        .expect("the list still loads");
    let by_name = |n: &str| {
        statuses
            .iter()
            .find(|s| s.profile.name == n)
            .expect("listed")
    };
    assert!(
        by_name("p").signed_in && by_name("p").problem.is_none(),
        "the healthy profile is unaffected"
    );
    let damaged = by_name("big");
    assert!(!damaged.signed_in, "a damaged session is not a session");
    assert!(
        damaged
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("damaged")),
        "and says so: {:?}",
        damaged.problem
    );
}

#[tokio::test]
async fn a_remote_providers_picture_claim_cannot_point_tessera_at_this_machine_or_its_network() {
    let f = fixture("picture", NOW + 600);
    for target in [
        "http://127.0.0.1:9/steal.png",
        "https://10.0.0.5/a.png",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/a.png",
    ] {
        let mut session = stored(&f);
        session.userinfo =
            Some(serde_json::from_value(json!({"sub": "user-1", "picture": target})).unwrap());
        SessionStore::new(&f.store).save("p", &session).unwrap();
        let picture = f
            .engine
            .picture("p")
            .await
            .expect("no error, just no picture");
        assert!(picture.is_none(), "{target} is refused");
    }
    assert!(
        f.http.requests().is_empty(),
        "not one request went to a private target: {:?}",
        f.http.seen()
    );
    let mut session = stored(&f);
    session.userinfo = Some(
        serde_json::from_value(json!({"sub": "user-1", "picture": "https://93.184.216.34/a.png"}))
            .unwrap(),
    );
    SessionStore::new(&f.store).save("p", &session).unwrap();
    let _ = f.engine.picture("p").await;
    assert_eq!(
        f.http.seen(),
        vec!["/a.png".to_string()],
        "a public address is fetched"
    );
}
