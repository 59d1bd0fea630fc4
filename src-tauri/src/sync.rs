//! The one subscription: how the window and the tray learn that state changed.
//!
//! The engine publishes "the session changed" for every sign-in, refresh,
//! sign-out and profile change, whoever caused it: a window command, a tray
//! action, the auto-refresher, or (noticed by the refresher's poll) the
//! `tessera` command line. [`subscribe`] turns those events into marks on the
//! shell; the shell's own changes (the active profile, a sign-in starting or
//! ending) mark it too. [`run`] is the one task that then computes the
//! overview, once per batch of changes, and hands it to a [`StateView`]: the
//! window and the tray in the app, a recorder in tests.

use tauri::{AppHandle, Emitter};

use crate::dto::Overview;
use crate::state::Shell;

/// What shows the state: the window and the tray.
pub trait StateView: Send + Sync {
    /// Shows this overview (and the sign-in in flight, if any).
    fn show(&self, overview: &Overview, signing_in: Option<&str>);
}

/// Marks the shell changed on every engine event. Call once.
pub fn subscribe(shell: &Shell) {
    let changes = shell.changes();
    shell.engine.events().subscribe(move |_event| {
        changes.mark();
    });
}

/// Redraws on every change, forever. Failures are logged: a broken keyring
/// must not take the app down.
pub async fn run(shell: &Shell, view: &dyn StateView) {
    loop {
        let generation = shell.generation();
        match shell.overview().await {
            Ok(overview) => {
                view.show(&overview, shell.signing_in().as_deref());
                shell.record_shown(generation, overview);
            }
            Err(e) => tracing::warn!("could not read profiles: {e}"),
        }
        shell.changed().await;
    }
}

/// The app's view: the `overview` event for the window, the tray menu.
pub struct WindowAndTray {
    app: AppHandle,
    /// What the window was last sent: the same overview again (a tick of
    /// the refresher) redraws the tray's minutes left, not the window.
    sent: std::sync::Mutex<Option<Overview>>,
}

impl WindowAndTray {
    pub fn new(app: AppHandle) -> Self {
        Self {
            app,
            sent: std::sync::Mutex::new(None),
        }
    }
}

impl StateView for WindowAndTray {
    fn show(&self, overview: &Overview, signing_in: Option<&str>) {
        let changed = match self.sent.lock() {
            Ok(mut sent) if sent.as_ref() != Some(overview) => {
                *sent = Some(overview.clone());
                true
            }
            Ok(_) => false,
            Err(_) => true,
        };
        if changed {
            if let Err(e) = self.app.emit(crate::events::OVERVIEW, overview) {
                tracing::warn!("could not send the overview: {e}");
            }
        }
        crate::tray::update(&self.app, overview, signing_in);
    }
}

#[cfg(test)]
mod tests {
    //! A refresh reaches the window and the tray through the one
    //! subscription, whoever caused it: "Copy as curl" with the token inline,
    //! the auto-refresher, or the command line in another process.

    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tessera_engine::api::ApiRequest;
    use tessera_engine::clock::FixedClock;
    use tessera_engine::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
    use tessera_engine::profile::{ManualEndpoints, Paths, Profile, ProfileFile};
    use tessera_engine::session::watch::SessionWatch;
    use tessera_engine::session::{Session, SessionStore};
    use tessera_engine::store::MemoryStore;
    use tessera_engine::Engine;

    use super::*;
    use crate::refresher::{self, Backoff};
    use crate::tray::menu::status_line;

    const NOW: i64 = 1_800_000_000;

    /// A token endpoint that hands out a new access token with a lifetime one
    /// second longer each time, so every refresh shows as a new expiry.
    #[derive(Default)]
    struct TokenEndpoint {
        issued: AtomicI64,
    }

    impl HttpClient for TokenEndpoint {
        fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            Box::pin(async move {
                assert!(
                    request.url.path().ends_with("/token"),
                    "only the token endpoint is called: {}",
                    request.url
                );
                let body = serde_json::json!({
                    "access_token": format!("access-{n}"),
                    "token_type": "Bearer",
                    "expires_in": 600 + n,
                    "refresh_token": format!("refresh-{n}"),
                });
                Ok(HttpResponse {
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: serde_json::to_vec(&body).expect("JSON"),
                })
            })
        }
    }

    /// The window and the tray, as text: the overview's expiry of `p` and
    /// the tray's status line.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<(Option<i64>, String)>>);

    impl StateView for Recorder {
        fn show(&self, overview: &Overview, signing_in: Option<&str>) {
            let expiry = overview
                .profiles
                .iter()
                .find(|p| p.name == "p")
                .and_then(|p| p.expires_at);
            let line = status_line(overview, signing_in, NOW);
            self.0.lock().expect("recorder").push((expiry, line));
        }
    }

    impl Recorder {
        async fn shows_expiry(&self, expiry: i64, why: &str) {
            for _ in 0..200 {
                if self
                    .0
                    .lock()
                    .expect("recorder")
                    .iter()
                    .any(|(e, _)| *e == Some(expiry))
                {
                    let line = &self
                        .0
                        .lock()
                        .expect("recorder")
                        .last()
                        .cloned()
                        .expect("shown")
                        .1;
                    assert_eq!(
                        line,
                        &format!("p: user-1 · {} min left", (expiry - NOW) / 60),
                        "{why}: the tray's status line follows"
                    );
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            panic!(
                "{why}: the window never showed expiry {expiry}: {:?}",
                self.0.lock().expect("recorder")
            );
        }
    }

    fn engine(dir: &std::path::Path, store: &MemoryStore) -> Engine {
        Engine::new(
            Paths::under(dir),
            Arc::new(store.clone()),
            Arc::new(FixedClock(NOW)),
        )
        .with_http_client(Arc::new(TokenEndpoint::default()))
    }

    #[tokio::test]
    async fn refreshes_by_copy_as_curl_the_refresher_and_the_cli_each_reach_the_window_and_the_tray(
    ) {
        let scratch = tessera_testkit::ScratchDir::new("sync");
        let dir = scratch.path();
        let mut profile = Profile::new("p", "https://idp.test", "c");
        profile.endpoints = Some(ManualEndpoints {
            authorization: "https://idp.test/authorize".into(),
            token: "https://idp.test/token".into(),
            jwks: "https://idp.test/jwks".into(),
            ..ManualEndpoints::default()
        });
        let mut file = ProfileFile::default();
        file.upsert(profile);
        file.save(&Paths::under(dir)).expect("profile file");
        let store = MemoryStore::new();
        // Due for a refresh: 20 s left.
        let session = Session {
            issuer: "https://idp.test".into(),
            client_id: "c".into(),
            subject: "user-1".into(),
            token_type: "Bearer".into(),
            access_token: "access-0".into(),
            refresh_token: Some("refresh-0".into()),
            id_token: None,
            expires_at: Some(NOW + 20),
            scopes: vec!["openid".into()],
            obtained_at: NOW - 580,
            signed_in_at: NOW - 580,
            userinfo: None,
        };
        SessionStore::new(&store)
            .save("p", &session)
            .expect("session saved");

        let shell = Arc::new(crate::state::Shell::new(engine(dir, &store)));
        let recorder = Arc::new(Recorder::default());
        subscribe(&shell);
        let watch = SessionWatch::new(&shell.engine);
        watch
            .poll(&shell.engine)
            .await
            .expect("the first poll takes note");
        let (task_shell, task_view) = (Arc::clone(&shell), Arc::clone(&recorder));
        let task = tokio::spawn(async move { run(&task_shell, task_view.as_ref()).await });
        recorder.shows_expiry(NOW + 20, "the start").await;

        // 1. Copy as curl with the token inline refreshes the due token.
        let curl = shell
            .engine
            .curl_for("p", &ApiRequest::new("GET", "https://api.test/me"), true)
            .await
            .expect("copy as curl");
        assert!(
            curl.contains("access-1"),
            "the inline token is the refreshed one"
        );
        recorder.shows_expiry(NOW + 601, "copy as curl").await;

        // 2. The refresher refreshes what is due (the refreshed token is due
        // again only in minutes, so make it due by hand first).
        let mut due = SessionStore::new(&store)
            .load("p")
            .expect("load")
            .expect("stored");
        due.expires_at = Some(NOW + 10);
        due.obtained_at = NOW - 600;
        SessionStore::new(&store).save("p", &due).expect("save");
        let failures = refresher::tick(&shell, &watch, &mut Backoff::default()).await;
        assert!(failures.is_empty(), "the refresh succeeds");
        recorder.shows_expiry(NOW + 602, "the refresher").await;

        // 3. The command line, another process: its own engine over the same
        // files and keyring. Only the watch's poll can notice it.
        let cli = engine(dir, &store);
        let outcome = cli.refresh(Some("p")).await.expect("the CLI refreshes");
        assert_eq!(
            outcome.session.expires_at,
            Some(NOW + 601),
            "the CLI's own endpoint counts from 1"
        );
        SessionStore::new(&store)
            .save(
                "p",
                &Session {
                    expires_at: Some(NOW + 900),
                    obtained_at: NOW + 1,
                    ..outcome.session
                },
            )
            .expect("save");
        let noticed = watch.poll(&shell.engine).await.expect("poll");
        assert_eq!(noticed.len(), 1, "one outside change: {noticed:?}");
        recorder.shows_expiry(NOW + 900, "the command line").await;

        task.abort();
    }
}
