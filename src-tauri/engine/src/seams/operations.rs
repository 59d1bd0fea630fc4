//! What the engine is doing, as operations a host can draw: a sign-in, a
//! refresh, an API call… each with the HTTP exchanges made on its behalf
//! (the HTTP log tags them with the operation's id) and the steps Tessera
//! knows of but cannot see over HTTP: the URL it opened in the browser, the
//! redirect it received, a device code shown.
//!
//! The current operation is a task-local, so the transport and the steps
//! need no parameter threaded through every call: [`Operations::run`]
//! scopes a future, and [`current`] reads it. An operation started inside
//! another (the refresh inside an API call) belongs to the outer one.
//!
//! Steps keep nothing secret: a browser URL is recorded with its query
//! values redacted (state, nonce and the PKCE challenge are the browser's
//! to see, but they have no place in a diagram).

use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::seams::clock::Clock;

/// How many operations are kept.
pub const KEPT_OPERATIONS: usize = 50;

tokio::task_local! {
    static CURRENT: u64;
}

/// The operation the running task belongs to, if any.
pub fn current() -> Option<u64> {
    CURRENT.try_with(|id| *id).ok()
}

/// What an operation is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// A sign-in, with any grant.
    SignIn,
    /// A refresh, or a client credentials renewal.
    Refresh,
    /// A sign-out (revoking and ending the provider session when asked).
    SignOut,
    /// Revoking one token.
    Revoke,
    /// Introspecting one token.
    Introspect,
    /// A token exchange.
    Exchange,
    /// An API call.
    ApiCall,
    /// Reading a provider's discovery document.
    Discovery,
    /// The inspector checking a session's tokens.
    Inspect,
}

/// How an operation ended.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still going.
    Running,
    /// Finished.
    Ok,
    /// Stopped with an error.
    Failed,
}

/// A step Tessera knows of but does not see over HTTP.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The browser was sent to a URL.
    BrowserOpened,
    /// The browser came back to the redirect URI.
    RedirectReceived,
    /// A device code was shown for the user to enter elsewhere.
    DeviceCodeShown,
    /// The user approved the device code (the poll got tokens).
    DeviceApproved,
}

/// One such step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// When, Unix milliseconds.
    pub at_ms: i64,
    /// What.
    pub kind: StepKind,
    /// Where (a URL with its query values redacted, or the redirect URI).
    pub detail: String,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Starts at 1 and increases.
    pub id: u64,
    /// What it is.
    pub kind: OperationKind,
    /// The profile it is for, if any.
    pub profile: Option<String>,
    /// When it started, Unix milliseconds.
    pub started_at_ms: i64,
    /// When it ended, Unix milliseconds.
    pub finished_at_ms: Option<i64>,
    /// How it ended.
    pub outcome: Outcome,
    /// Its one-line error, when it failed.
    pub error: Option<String>,
    /// The steps outside HTTP, in order.
    pub steps: Vec<Step>,
}

type Listener = Box<dyn Fn(&Operation) + Send + Sync>;

/// The last operations, and who wants to hear of changes.
pub struct Operations {
    kept: Mutex<VecDeque<Operation>>,
    next: AtomicU64,
    clock: Arc<dyn Clock>,
    listeners: Mutex<Vec<Listener>>,
}

impl std::fmt::Debug for Operations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operations").finish_non_exhaustive()
    }
}

impl Operations {
    /// An empty record.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            kept: Mutex::new(VecDeque::new()),
            next: AtomicU64::new(0),
            clock,
            listeners: Mutex::new(Vec::new()),
        }
    }

    /// Calls `listener` whenever an operation starts, gets a step or ends.
    pub fn subscribe(&self, listener: impl Fn(&Operation) + Send + Sync + 'static) {
        if let Ok(mut l) = self.listeners.lock() {
            l.push(Box::new(listener));
        }
    }

    /// The kept operations, oldest first.
    pub fn list(&self) -> Vec<Operation> {
        self.kept
            .lock()
            .map(|k| k.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn change(&self, id: u64, edit: impl FnOnce(&mut Operation)) {
        let changed = self.kept.lock().ok().and_then(|mut kept| {
            let op = kept.iter_mut().find(|o| o.id == id)?;
            edit(op);
            Some(op.clone())
        });
        if let Some(op) = changed {
            self.tell(&op);
        }
    }

    fn tell(&self, op: &Operation) {
        if let Ok(listeners) = self.listeners.lock() {
            for l in listeners.iter() {
                l(op);
            }
        }
    }

    /// Runs `work` as an operation of this kind, unless the task is already
    /// in one (then `work` belongs to that one). Its HTTP exchanges and steps
    /// are tagged with the operation; an error ends it as failed.
    pub async fn run<T, E: std::fmt::Display>(
        &self,
        kind: OperationKind,
        profile: Option<&str>,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        if current().is_some() {
            return work.await;
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let op = Operation {
            id,
            kind,
            profile: profile.map(str::to_string),
            started_at_ms: self.clock.now_ms(),
            finished_at_ms: None,
            outcome: Outcome::Running,
            error: None,
            steps: Vec::new(),
        };
        if let Ok(mut kept) = self.kept.lock() {
            kept.push_back(op.clone());
            while kept.len() > KEPT_OPERATIONS {
                kept.pop_front();
            }
        }
        self.tell(&op);
        let result = CURRENT.scope(id, work).await;
        let now = self.clock.now_ms();
        self.change(id, |op| {
            op.finished_at_ms = Some(now);
            match &result {
                Ok(_) => op.outcome = Outcome::Ok,
                Err(e) => {
                    op.outcome = Outcome::Failed;
                    op.error = Some(e.to_string());
                }
            }
        });
        result
    }

    /// Adds a step to the running task's operation, if it has one.
    pub fn step(&self, kind: StepKind, detail: impl Into<String>) {
        if let Some(id) = current() {
            let at_ms = self.clock.now_ms();
            let detail = detail.into();
            self.change(id, |op| {
                op.steps.push(Step {
                    at_ms,
                    kind,
                    detail,
                })
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seams::clock::FixedClock;

    #[tokio::test]
    async fn an_operation_records_its_steps_and_how_it_ended_and_nests_into_the_outer_one() {
        let ops = Operations::new(Arc::new(FixedClock(1_000)));
        let inner_id = ops
            .run(OperationKind::ApiCall, Some("p"), async {
                ops.step(StepKind::BrowserOpened, "https://idp/auth?state=[redacted]");
                // A refresh inside the call is part of the call.
                ops.run(OperationKind::Refresh, Some("p"), async {
                    Ok::<_, String>(current())
                })
                .await
            })
            .await
            .expect("ok");
        let list = ops.list();
        assert_eq!(
            list.len(),
            1,
            "the nested refresh is no operation of its own"
        );
        assert_eq!(inner_id, Some(list[0].id), "it ran under the call's id");
        assert_eq!(list[0].outcome, Outcome::Ok);
        assert_eq!(list[0].steps.len(), 1);
        let failed = ops
            .run(OperationKind::SignIn, None, async {
                Err::<(), _>("state mismatch")
            })
            .await;
        assert!(failed.is_err());
        let last = ops.list().pop().expect("the sign-in");
        assert_eq!(last.outcome, Outcome::Failed);
        assert_eq!(
            last.error.as_deref(),
            Some("state mismatch"),
            "the one-line error is kept"
        );
        assert_eq!(current(), None, "outside any operation afterwards");
    }
}
