//! "The session changed": the one event a host learns of state changes from.
//!
//! Every operation that changes what a profile's session or settings are
//! (signing in, refreshing, signing out, revoking, saving or removing a
//! profile) publishes a [`SessionEvent`] here once it has written its change,
//! whichever host started it. A host subscribes once and redraws what it
//! shows; no flow or command pushes an update by hand.
//!
//! Changes made by another process (the command line beside the desktop app)
//! are not seen here as they happen; a host that keeps running notices them
//! with `SessionWatch` (in the session layer) and they are published the same
//! way.

use std::sync::{Arc, Mutex};

/// What changed about a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    /// A new session was stored.
    SignedIn,
    /// The tokens were refreshed (or an access token revoked and marked spent).
    Refreshed,
    /// The session was deleted.
    SignedOut,
    /// The profile was created or its settings changed.
    ProfileSaved,
    /// The profile was removed, with its session.
    ProfileRemoved,
}

/// One change to one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEvent {
    /// The profile that changed, by name.
    pub profile: String,
    /// Sign-in, refresh, sign-out, or a profile saved or removed.
    pub change: SessionChange,
    /// When the session now stored was obtained (`None`: no session), so a
    /// watcher of other processes' changes knows this one is already seen.
    pub obtained_at: Option<i64>,
}

type Subscriber = Arc<dyn Fn(&SessionEvent) + Send + Sync>;

/// Subscribers to [`SessionEvent`]s. Cloned engines share one.
#[derive(Default)]
pub struct SessionEvents {
    subscribers: Mutex<Vec<Subscriber>>,
}

impl SessionEvents {
    /// Calls `subscriber` with every later event, on the publishing thread;
    /// it should hand work off rather than block.
    pub fn subscribe(&self, subscriber: impl Fn(&SessionEvent) + Send + Sync + 'static) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(Arc::new(subscriber));
        }
    }

    /// Tells every subscriber. A subscriber is called outside the lock, so it
    /// may subscribe or publish in turn.
    pub fn publish(&self, event: SessionEvent) {
        tracing::debug!(profile = %event.profile, change = ?event.change, "session changed");
        let subs: Vec<Subscriber> = match self.subscribers.lock() {
            Ok(subs) => subs.clone(),
            Err(_) => return,
        };
        for sub in subs {
            sub(&event);
        }
    }
}

impl std::fmt::Debug for SessionEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.subscribers.lock().map(|s| s.len()).unwrap_or(0);
        write!(f, "SessionEvents({n} subscribers)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subscriber_hears_every_event_in_order() {
        let events = SessionEvents::default();
        let heard = Arc::new(Mutex::new(Vec::new()));
        for tag in ["a", "b"] {
            let heard = Arc::clone(&heard);
            events.subscribe(move |e| heard.lock().unwrap().push(format!("{tag}:{}", e.profile)));
        }
        for profile in ["one", "two"] {
            events.publish(SessionEvent {
                profile: profile.into(),
                change: SessionChange::Refreshed,
                obtained_at: Some(1),
            });
        }
        assert_eq!(
            *heard.lock().unwrap(),
            vec!["a:one", "b:one", "a:two", "b:two"],
            "each event reaches each subscriber once, in publishing order"
        );
    }
}
