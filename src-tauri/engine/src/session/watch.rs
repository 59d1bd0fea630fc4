//! Noticing what another process changed. The desktop app and the `tessera`
//! command line share the profile file and the keyring; when the command line
//! signs in, refreshes or signs out, the app learns of it by polling here, and
//! the change is published as a [`SessionEvent`] like its own changes are.
//!
//! The watch remembers, per profile, when the stored session was obtained.
//! It hears this process's own events too, so its own changes are never
//! published twice.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::engine::Engine;
use crate::seams::events::{SessionChange, SessionEvent};
use crate::session::profiles::ProfileOpError;

/// What the watch last saw: per profile, when its session was obtained
/// (`None`: signed out). `None` for the whole map: not polled yet.
type Seen = Option<BTreeMap<String, Option<i64>>>;

/// Polls the shared profile file and keyring for other processes' changes.
pub struct SessionWatch {
    seen: Arc<Mutex<Seen>>,
}

impl SessionWatch {
    /// A watch over `engine`'s profiles, hearing its own events.
    pub fn new(engine: &Engine) -> Self {
        let seen: Arc<Mutex<Seen>> = Arc::new(Mutex::new(None));
        let heard = Arc::clone(&seen);
        engine.events().subscribe(move |event| {
            if let Ok(mut guard) = heard.lock() {
                if let Some(map) = guard.as_mut() {
                    match event.change {
                        SessionChange::ProfileRemoved => {
                            map.remove(&event.profile);
                        }
                        SessionChange::ProfileSaved => {
                            map.entry(event.profile.clone()).or_insert(None);
                        }
                        _ => {
                            map.insert(event.profile.clone(), event.obtained_at);
                        }
                    }
                }
            }
        });
        Self { seen }
    }

    /// Reads every profile's session and publishes what changed since the
    /// last poll. The first poll only takes note. Returns the events published.
    pub async fn poll(&self, engine: &Engine) -> Result<Vec<SessionEvent>, ProfileOpError> {
        let names: Vec<String> = engine.profiles()?.profiles.keys().cloned().collect();
        let now: BTreeMap<String, Option<i64>> = engine
            .with_sessions(move |sessions| {
                names
                    .into_iter()
                    .map(|n| {
                        let obtained = sessions.load(&n)?.map(|s| s.obtained_at);
                        Ok((n, obtained))
                    })
                    .collect()
            })
            .await?;
        let events = {
            let mut guard = match self.seen.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let events = match guard.as_ref() {
                None => Vec::new(),
                Some(before) => differences(before, &now),
            };
            *guard = Some(now);
            events
        };
        for event in &events {
            engine.publish(event.clone());
        }
        Ok(events)
    }
}

/// The events that turn `before` into `now`.
fn differences(
    before: &BTreeMap<String, Option<i64>>,
    now: &BTreeMap<String, Option<i64>>,
) -> Vec<SessionEvent> {
    let mut events = Vec::new();
    for (name, obtained) in now {
        let change = match (before.get(name), obtained) {
            (None, _) => Some(SessionChange::ProfileSaved),
            (Some(None), Some(_)) => Some(SessionChange::SignedIn),
            (Some(Some(_)), None) => Some(SessionChange::SignedOut),
            (Some(Some(a)), Some(b)) if a != b => Some(SessionChange::Refreshed),
            _ => None,
        };
        if let Some(change) = change {
            events.push(SessionEvent {
                profile: name.clone(),
                change,
                obtained_at: *obtained,
            });
        }
    }
    for name in before.keys().filter(|n| !now.contains_key(*n)) {
        events.push(SessionEvent {
            profile: name.clone(),
            change: SessionChange::ProfileRemoved,
            obtained_at: None,
        });
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_outside_change_becomes_its_event() {
        let before: BTreeMap<String, Option<i64>> = [
            ("in".to_string(), None),
            ("out".to_string(), Some(1)),
            ("fresh".to_string(), Some(1)),
            ("same".to_string(), Some(1)),
            ("gone".to_string(), None),
        ]
        .into();
        let now: BTreeMap<String, Option<i64>> = [
            ("in".to_string(), Some(5)),
            ("out".to_string(), None),
            ("fresh".to_string(), Some(2)),
            ("same".to_string(), Some(1)),
            ("new".to_string(), None),
        ]
        .into();
        let changes: Vec<(String, SessionChange)> = differences(&before, &now)
            .into_iter()
            .map(|e| (e.profile, e.change))
            .collect();
        assert_eq!(
            changes,
            vec![
                ("fresh".to_string(), SessionChange::Refreshed),
                ("in".to_string(), SessionChange::SignedIn),
                ("new".to_string(), SessionChange::ProfileSaved),
                ("out".to_string(), SessionChange::SignedOut),
                ("gone".to_string(), SessionChange::ProfileRemoved),
            ],
            "an unchanged profile is quiet; every other difference is one event"
        );
    }
}
