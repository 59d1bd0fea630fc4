//! The shell's state: the engine, the active profile and the one sign-in in
//! flight. Everything else (profiles, sessions) lives in the engine's files
//! and the keyring, shared with the command line.
//!
//! What the window and the tray show is derived from it by one task
//! ([`crate::sync`]): every change (an engine event, the active profile, a
//! sign-in starting or ending) only marks the state as changed here, and
//! that task computes the overview once and shows it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tessera_engine::history::SessionHistory;
use tessera_engine::http::HttpResponse;
use tessera_engine::http_log::HttpLog;
use tessera_engine::secret::SecretString;
use tessera_engine::session::Session;
use tessera_engine::Engine;
use tokio::sync::{mpsc, watch, Notify};
use tokio::task::AbortHandle;

use crate::dto::inspector::ExchangeView;
use crate::dto::Overview;
use crate::error::IpcError;

/// The sign-in in flight.
pub struct PendingSignIn {
    pub id: u64,
    pub profile: String,
    abort: AbortHandle,
    /// Where custom-scheme URLs for this sign-in go.
    pub scheme_urls: Option<mpsc::Sender<String>>,
}

/// A change counter and the wake-up of the task that redraws.
#[derive(Default)]
pub struct Changes {
    generation: AtomicU64,
    notify: Notify,
}

impl Changes {
    /// Marks a change; returns its generation.
    pub fn mark(&self) -> u64 {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        // A stored permit when nobody waits: changes coalesce into one redraw.
        self.notify.notify_one();
        generation
    }
}

/// How many API responses are kept whole for "Save body".
const KEPT_RESPONSES: usize = 20;

/// Managed by Tauri; shared by commands, the tray and background tasks.
pub struct Shell {
    pub engine: Engine,
    /// Every HTTP exchange of this run, redacted (the engine records into it).
    pub http_log: Arc<HttpLog>,
    /// Per profile: an entry per sign-in and refresh seen in this run.
    history: Mutex<HashMap<String, SessionHistory>>,
    /// The last API responses, whole, by id.
    responses: Mutex<VecDeque<(u64, HttpResponse)>>,
    /// Tokens issued by token exchange in this run, by id: never stored,
    /// never sent to the webview, kept so Copy can reach them.
    exchanged: Mutex<VecDeque<(ExchangeView, SecretString)>>,
    active: Mutex<Option<String>>,
    sign_in: Mutex<Option<PendingSignIn>>,
    next_id: AtomicU64,
    quitting: AtomicBool,
    /// Bumped by every change; the sync task wakes on it.
    changes: Arc<Changes>,
    /// The last overview shown, with the generation it reflects.
    shown: watch::Sender<(u64, Option<Overview>)>,
}

impl Shell {
    pub fn new(engine: Engine) -> Self {
        let http_log = Arc::new(HttpLog::default());
        let engine = engine.with_http_log(Arc::clone(&http_log));
        let active = engine.profiles().ok().and_then(|file| {
            let name = file.resolve_name(None);
            file.profiles.contains_key(&name).then_some(name)
        });
        Self {
            engine,
            http_log,
            history: Mutex::new(HashMap::new()),
            responses: Mutex::new(VecDeque::new()),
            exchanged: Mutex::new(VecDeque::new()),
            active: Mutex::new(active),
            sign_in: Mutex::new(None),
            next_id: AtomicU64::new(1),
            quitting: AtomicBool::new(false),
            changes: Arc::new(Changes::default()),
            shown: watch::channel((0, None)).0,
        }
    }

    /// Marks the state as changed, so the window and the tray are redrawn;
    /// returns the change's generation.
    pub fn mark_changed(&self) -> u64 {
        self.changes.mark()
    }

    /// The change counter, for subscribers that outlive a borrow of the shell.
    pub fn changes(&self) -> Arc<Changes> {
        Arc::clone(&self.changes)
    }

    /// The current generation (the sync task shows at least this one next).
    pub fn generation(&self) -> u64 {
        self.changes.generation.load(Ordering::SeqCst)
    }

    /// Waits until something changed since the last call.
    pub async fn changed(&self) {
        self.changes.notify.notified().await;
    }

    /// Records what the sync task has shown.
    pub fn record_shown(&self, generation: u64, overview: Overview) {
        self.shown.send_replace((generation, Some(overview)));
    }

    /// The overview shown once every change up to `generation` is drawn:
    /// commands return it instead of computing it a second time.
    pub async fn overview_after(&self, generation: u64) -> Result<Overview, IpcError> {
        let mut shown = self.shown.subscribe();
        let waited = shown
            .wait_for(|(g, o)| *g >= generation && o.is_some())
            .await
            .map(|v| v.1.clone());
        match waited {
            Ok(Some(overview)) => Ok(overview),
            // The sync task is gone (the app is closing): compute it here.
            _ => self.overview().await,
        }
    }

    /// The active profile, if it still exists.
    pub fn active(&self) -> Option<String> {
        self.active.lock().ok().and_then(|a| a.clone())
    }

    /// Makes `name` the active profile; a change is redrawn.
    pub fn set_active(&self, name: Option<String>) -> u64 {
        let changed = match self.active.lock() {
            Ok(mut a) if *a != name => {
                *a = name;
                true
            }
            _ => false,
        };
        if changed {
            self.mark_changed()
        } else {
            self.generation()
        }
    }

    /// Every profile with its status; the active one is repaired when it was
    /// removed (by this app or the command line).
    pub async fn overview(&self) -> Result<Overview, IpcError> {
        let statuses = self.engine.profile_statuses().await?;
        let mut active = self.active();
        if !active
            .as_ref()
            .is_some_and(|a| statuses.iter().any(|s| &s.profile.name == a))
        {
            active = statuses.first().map(|s| s.profile.name.clone());
            if let Ok(mut a) = self.active.lock() {
                a.clone_from(&active);
            }
        }
        Ok(Overview::new(statuses, active))
    }

    /// Registers a new sign-in, cancelling the one before it (its state,
    /// nonce and verifier die with its task).
    pub fn begin_sign_in(
        &self,
        profile: &str,
        abort: AbortHandle,
        scheme_urls: Option<mpsc::Sender<String>>,
    ) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut slot) = self.sign_in.lock() {
            if let Some(old) = slot.replace(PendingSignIn {
                id,
                profile: profile.to_string(),
                abort,
                scheme_urls,
            }) {
                old.abort.abort();
            }
        }
        self.mark_changed();
        id
    }

    /// Forgets sign-in `id` if it is still the current one.
    pub fn end_sign_in(&self, id: u64) {
        if let Ok(mut slot) = self.sign_in.lock() {
            if slot.as_ref().is_some_and(|p| p.id == id) {
                *slot = None;
            }
        }
        self.mark_changed();
    }

    /// Cancels the sign-in in flight; returns its profile.
    pub fn cancel_sign_in(&self) -> Option<String> {
        let pending = self.sign_in.lock().ok()?.take()?;
        pending.abort.abort();
        self.mark_changed();
        Some(pending.profile)
    }

    /// The profile being signed in to, if any.
    pub fn signing_in(&self) -> Option<String> {
        self.sign_in
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|p| p.profile.clone()))
    }

    /// Hands a URL the OS delivered for Tessera's scheme to the sign-in.
    pub fn deliver_scheme_url(&self, url: String) -> bool {
        let sender = self
            .sign_in
            .lock()
            .ok()
            .and_then(|s| s.as_ref().and_then(|p| p.scheme_urls.clone()));
        match sender {
            Some(tx) => tx.try_send(url).is_ok(),
            None => false,
        }
    }

    /// Adds the session to the profile's history if its tokens are new.
    pub fn observe(&self, profile: &str, session: &Session) {
        if let Ok(mut h) = self.history.lock() {
            h.entry(profile.to_string()).or_default().observe(session);
        }
    }

    /// Runs `f` on the profile's history.
    pub fn with_history<T>(
        &self,
        profile: &str,
        f: impl FnOnce(&SessionHistory) -> T,
    ) -> Option<T> {
        let h = self.history.lock().ok()?;
        Some(f(h.get(profile)?))
    }

    /// Keeps a response whole for "Save body"; returns its id.
    pub fn keep_response(&self, response: HttpResponse) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut kept) = self.responses.lock() {
            while kept.len() >= KEPT_RESPONSES {
                kept.pop_front();
            }
            kept.push_back((id, response));
        }
        id
    }

    /// A kept response.
    /// Keeps an exchanged token with its view, for Copy, Introspect and the
    /// list of this run's exchanges; returns the view with its new id. The
    /// last few are kept, in memory only.
    pub fn keep_exchanged(&self, token: SecretString, mut view: ExchangeView) -> ExchangeView {
        view.id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut kept) = self.exchanged.lock() {
            kept.push_back((view.clone(), token));
            while kept.len() > KEPT_RESPONSES {
                kept.pop_front();
            }
        }
        view
    }

    /// An exchanged token by id with its profile, if still kept.
    pub fn exchanged(&self, id: u64) -> Option<(String, SecretString)> {
        self.exchanged
            .lock()
            .ok()?
            .iter()
            .find(|(v, _)| v.id == id)
            .map(|(v, t)| (v.profile.clone(), t.clone()))
    }

    /// This run's exchanges from `profile`, newest first.
    pub fn exchanges(&self, profile: &str) -> Vec<ExchangeView> {
        self.exchanged
            .lock()
            .map(|kept| {
                kept.iter()
                    .rev()
                    .filter(|(v, _)| v.profile == profile)
                    .map(|(v, _)| v.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn response(&self, id: u64) -> Option<HttpResponse> {
        self.responses
            .lock()
            .ok()?
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, r)| r.clone())
    }

    pub fn quit_requested(&self) -> bool {
        self.quitting.load(Ordering::Relaxed)
    }

    pub fn request_quit(&self) {
        self.quitting.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tessera_engine::clock::FixedClock;
    use tessera_engine::profile::Paths;
    use tessera_engine::store::MemoryStore;

    use super::*;

    fn shell() -> Shell {
        let dir = std::env::temp_dir().join(format!("tessera-state-test-{}", std::process::id()));
        Shell::new(Engine::new(
            Paths::under(&dir),
            Arc::new(MemoryStore::default()),
            Arc::new(FixedClock(1_800_000_000)),
        ))
    }

    fn view(profile: &str) -> ExchangeView {
        ExchangeView {
            id: 0,
            profile: profile.into(),
            issued_token_type: None,
            token_type: "Bearer".into(),
            expires_in: None,
            scope: None,
            jwt: None,
            check_error: None,
            obtained_at: 1_800_000_000,
        }
    }

    #[test]
    fn exchanged_tokens_are_listed_per_profile_newest_first_and_copied_by_id() {
        let shell = shell();
        let first = shell.keep_exchanged(SecretString::new("token-1"), view("a"));
        let other = shell.keep_exchanged(SecretString::new("token-2"), view("b"));
        let second = shell.keep_exchanged(SecretString::new("token-3"), view("a"));
        let ids: Vec<u64> = shell.exchanges("a").iter().map(|v| v.id).collect();
        assert_eq!(ids, vec![second.id, first.id], "profile a's, newest first");
        assert_ne!(first.id, other.id, "each exchange gets its own id");
        let (profile, token) = shell.exchanged(other.id).expect("kept");
        assert_eq!(
            (profile.as_str(), token.expose()),
            ("b", "token-2"),
            "Copy finds the token and the client that holds it"
        );
        let json = serde_json::to_string(&shell.exchanges("a")).expect("serialises");
        assert!(
            !json.contains("token-1") && !json.contains("token-3"),
            "the views that reach the window carry no token: {json}"
        );
    }
}
