//! A profile's session history in one run of a host: an entry per sign-in
//! and per refresh, each with a snapshot of the claims, so two entries can be
//! compared ("what changed in scope, exp, roles").
//!
//! Held in memory only and keyed by token fingerprints, never token values.
//! The host calls [`SessionHistory::observe`] whenever it sees the stored
//! session; a new access token means a new entry, whoever refreshed it
//! (this app, its auto-refresh, or the command line).

use std::collections::VecDeque;

use serde_json::{Map, Value};

use crate::inspect::fingerprint;
use crate::protocol::claims::{diff, ClaimChange};
use crate::protocol::jwt::decode_unverified;
use crate::seams::clock::UnixTime;
use crate::session::Session;

/// The most entries kept per profile.
pub const MAX_ENTRIES: usize = 50;

/// Why an entry was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryReason {
    /// A fresh sign-in, not a refresh of the previous entry's session.
    SignedIn,
    /// A refresh; `rotated` when a new refresh token came with it.
    Refreshed {
        /// The refresh token changed.
        rotated: bool,
    },
    /// The session as it was when this run first saw it.
    FirstSeen,
}

impl HistoryReason {
    /// How the entry is labelled.
    pub fn label(self) -> &'static str {
        match self {
            HistoryReason::SignedIn => "Signed in",
            HistoryReason::Refreshed { rotated: true } => "Refreshed (refresh token rotated)",
            HistoryReason::Refreshed { rotated: false } => "Refreshed",
            HistoryReason::FirstSeen => "Session at start",
        }
    }
}

/// One session state in the history: a sign-in or refresh, with its claims snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Starts at 1 and increases; never reused, even after old entries are dropped.
    pub id: u64,
    /// When the tokens were obtained.
    pub at: UnixTime,
    /// Sign-in, refresh or first sight; [`HistoryReason::label`] words it.
    pub reason: HistoryReason,
    /// When that access token expires, in Unix seconds; `None` if the provider gave no lifetime.
    pub expires_at: Option<UnixTime>,
    /// Scopes granted with that token.
    pub scopes: Vec<String>,
    /// The claims compared by [`SessionHistory::diff`].
    pub snapshot: Map<String, Value>,
    /// How many values differ from the entry before.
    pub changes_from_previous: u32,
    access_fingerprint: String,
    refresh_fingerprint: Option<String>,
    signed_in_at: UnixTime,
}

/// The history of one profile.
#[derive(Debug, Clone, Default)]
pub struct SessionHistory {
    entries: VecDeque<HistoryEntry>,
    next_id: u64,
}

/// What is compared between entries: the ID token's claims, the granted
/// scopes and the access token's expiry, plus a JWT access token's claims
/// under `access_token.`.
pub fn snapshot(session: &Session) -> Map<String, Value> {
    let mut map = session.id_token_claims().unwrap_or_default();
    map.insert(
        "scope".into(),
        Value::Array(session.scopes.iter().cloned().map(Value::String).collect()),
    );
    if let Some(exp) = session.expires_at {
        map.insert("access_token.exp".into(), Value::from(exp));
    }
    if let Ok(jwt) = decode_unverified(session.access_token.expose()) {
        for (k, v) in jwt.claims {
            if k != "exp" {
                map.insert(format!("access_token.{k}"), v);
            }
        }
    }
    map
}

impl SessionHistory {
    /// Records the session if its access token is new to this history;
    /// returns the new entry.
    pub fn observe(&mut self, session: &Session) -> Option<&HistoryEntry> {
        let access = fingerprint(&session.access_token);
        let refresh = session.refresh_token.as_ref().map(fingerprint);
        let previous = self.entries.back();
        if previous.is_some_and(|p| p.access_fingerprint == access) {
            return None;
        }
        let reason = match previous {
            None if session.signed_in_at == session.obtained_at => HistoryReason::SignedIn,
            None => HistoryReason::FirstSeen,
            Some(p) if p.signed_in_at != session.signed_in_at => HistoryReason::SignedIn,
            Some(p) => HistoryReason::Refreshed {
                rotated: p.refresh_fingerprint != refresh,
            },
        };
        let snap = snapshot(session);
        let changes = previous
            .map(|p| diff(&p.snapshot, &snap).len() as u32)
            .unwrap_or(0);
        self.next_id += 1;
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(HistoryEntry {
            id: self.next_id,
            at: session.obtained_at,
            reason,
            expires_at: session.expires_at,
            scopes: session.scopes.clone(),
            snapshot: snap,
            changes_from_previous: changes,
            access_fingerprint: access,
            refresh_fingerprint: refresh,
            signed_in_at: session.signed_in_at,
        });
        self.entries.back()
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.entries.iter()
    }

    /// What changed from entry `from` to entry `to`; `None` when either is
    /// no longer kept.
    pub fn diff(&self, from: u64, to: u64) -> Option<Vec<ClaimChange>> {
        let a = self.entries.iter().find(|e| e.id == from)?;
        let b = self.entries.iter().find(|e| e.id == to)?;
        Some(diff(&a.snapshot, &b.snapshot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn id_token(claims: serde_json::Value) -> String {
        let b = |v: &serde_json::Value| crate::protocol::jwt::B64URL.encode(v.to_string());
        format!(
            "{}.{}.sig",
            b(&serde_json::json!({"alg": "RS256"})),
            b(&claims)
        )
    }

    fn session(access: &str, refresh: &str, exp: i64, roles: &[&str], obtained: i64) -> Session {
        Session {
            issuer: "https://idp.test".into(),
            client_id: "app".into(),
            subject: "u1".into(),
            token_type: "Bearer".into(),
            access_token: access.into(),
            refresh_token: Some(refresh.into()),
            id_token: Some(
                id_token(serde_json::json!({"sub": "u1", "exp": exp, "roles": roles})).into(),
            ),
            expires_at: Some(exp),
            scopes: vec!["openid".into()],
            obtained_at: obtained,
            signed_in_at: 100,
            userinfo: None,
        }
    }

    #[test]
    fn a_refresh_adds_an_entry_and_the_diff_names_what_changed() {
        let mut h = SessionHistory::default();
        let first = h
            .observe(&session("a1", "r1", 400, &["viewer"], 100))
            .cloned()
            .expect("recorded");
        assert_eq!(
            first.reason,
            HistoryReason::SignedIn,
            "obtained at sign-in time"
        );
        assert!(
            h.observe(&session("a1", "r1", 400, &["viewer"], 100))
                .is_none(),
            "the same token is not a new entry"
        );
        let second = h
            .observe(&session("a2", "r2", 700, &["viewer", "admin"], 400))
            .cloned()
            .expect("a new access token is a new entry");
        assert_eq!(
            second.reason,
            HistoryReason::Refreshed { rotated: true },
            "the refresh token changed too"
        );
        let changes = h.diff(first.id, second.id).expect("both kept");
        let names: Vec<&str> = changes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["roles", "exp", "access_token.exp"],
            "roles, the ID token's exp and the access token's expiry changed"
        );
        assert_eq!(
            second.changes_from_previous, 3,
            "the entry counts its changes"
        );
    }

    #[test]
    fn the_history_is_bounded_and_never_holds_a_token_value() {
        let mut h = SessionHistory::default();
        for i in 0..(MAX_ENTRIES as i64 + 5) {
            h.observe(&session(
                &format!("ACCESS-{i}"),
                "REFRESH",
                400 + i,
                &[],
                100 + i,
            ));
        }
        assert_eq!(h.entries().count(), MAX_ENTRIES, "old entries are dropped");
        let dump = format!("{:?}", h.entries().collect::<Vec<_>>());
        assert!(
            !dump.contains("ACCESS-") && !dump.contains("REFRESH"),
            "only fingerprints are kept: {dump}"
        );
    }
}
