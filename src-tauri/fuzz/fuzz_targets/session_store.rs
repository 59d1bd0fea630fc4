//! The keyring session's chunk decoder, through `SessionStore` over a
//! `MemoryStore`: a head entry (the `tessera-session/1 gen=… chunks=… len=…
//! sha256=…` line and the first chunk) and further chunks as the fuzzer
//! writes them, then `load`, `delete` and `save` over what is there, as
//! `tessera token`, `tessera logout` and a sign-in do.
//!
//! Input: the entries, separated by the byte 0xFF (never in UTF-8 text): the
//! head first, then chunks 1, 2, … stored under the generation the head
//! names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_engine::session::store::{Session, SessionStore};
use tessera_engine::store::{MemoryStore, SecretStore};

const PROFILE: &str = "fuzz";

/// The generation a head line names (the last `gen=` wins, as in the
/// engine), so the harness can put the chunks where the head points.
fn generation(head: &[u8]) -> Option<String> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    line.split(' ')
        .filter_map(|f| f.strip_prefix("gen="))
        .next_back()
        .map(str::to_string)
}

/// A store holding the fuzzer's entries.
fn filled(data: &[u8]) -> MemoryStore {
    let store = MemoryStore::new();
    let mut entries = data.split(|&b| b == 0xFF);
    let head = entries.next().unwrap_or_default();
    store
        .set(&format!("session:{PROFILE}"), head)
        .expect("a memory store takes every write");
    if let Some(generation) = generation(head) {
        for (n, chunk) in entries.enumerate() {
            let key = format!("session:{PROFILE}:{generation}:{}", n + 1);
            store
                .set(&key, chunk)
                .expect("a memory store takes every write");
        }
    }
    store
}

/// A session of the kind a sign-in stores.
fn signed_in() -> Session {
    Session {
        issuer: "https://issuer.example".into(),
        client_id: "tessera".into(),
        subject: "user-1".into(),
        token_type: "Bearer".into(),
        access_token: "AT-0123456789".into(),
        refresh_token: Some("RT-0123456789".into()),
        id_token: None,
        expires_at: Some(1_800_000_300),
        scopes: vec!["openid".into()],
        obtained_at: 1_800_000_000,
        signed_in_at: 1_800_000_000,
        userinfo: None,
    }
}

fuzz_target!(|data: &[u8]| {
    // Reading: a session, or damage reported as such (never with the
    // stored data). Then saving over what is there, as a sign-in or a
    // refresh does: what was read (or a new session) is written back, over
    // the old generation's leftovers, and reads back unchanged.
    let store = filled(data);
    let sessions = SessionStore::new(&store);
    let session = match sessions.load(PROFILE) {
        Ok(Some(session)) => {
            let _ = (
                session.display_name(),
                session.refresh_at(),
                session.claims(),
            );
            session
        }
        Ok(None) => unreachable!("the head entry is there"),
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains("damaged"), "{message}");
            signed_in()
        }
    };
    sessions
        .save(PROFILE, &session)
        .expect("a memory store takes every write");
    let loaded = sessions.load(PROFILE).expect("a saved session loads");
    assert_eq!(
        loaded.as_ref(),
        Some(&session),
        "saved and loaded sessions differ"
    );

    // Signing out deletes whatever the head points at; then nothing is
    // left to load.
    let store = filled(data);
    let sessions = SessionStore::new(&store);
    assert!(sessions.delete(PROFILE).expect("a memory store deletes"));
    assert_eq!(sessions.load(PROFILE).expect("nothing to read"), None);
    assert!(!sessions.delete(PROFILE).expect("a memory store deletes"));
});
