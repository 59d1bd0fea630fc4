//! Claims merged from the ID token and userinfo (`claims::merge`), what
//! changed between two snapshots (`claims::diff`), and what hosts read from
//! the merged list (roles, groups, the display name).
//!
//! Input: two JSON documents separated by a NUL byte: the ID token's claims
//! (or the earlier snapshot) and userinfo (or the later one).
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use tessera_engine::claims::{self, ChangeKind, ClaimSource};

fn object(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Arrays compare as sets of their items, with the same length (as `diff` documents).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|v| y.contains(v)) && y.iter().all(|v| x.contains(v))
        }
        _ => a == b,
    }
}

fn check_merge(id_token: &Map<String, Value>, userinfo: Option<&Map<String, Value>>) {
    let merged = claims::merge(id_token, userinfo);
    let empty = Map::new();
    let userinfo = userinfo.unwrap_or(&empty);
    let names: BTreeSet<&str> = merged.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), merged.len(), "a claim listed twice");
    let all: BTreeSet<&str> = id_token
        .keys()
        .chain(userinfo.keys())
        .map(String::as_str)
        .collect();
    assert_eq!(names, all, "claims lost or invented");
    for c in &merged {
        let (a, b) = (id_token.get(&c.name), userinfo.get(&c.name));
        match c.source {
            ClaimSource::Both => {
                assert!(a.is_some() && b.is_some());
                assert_eq!(Some(&c.value), b, "userinfo's value is the one kept");
                assert_eq!(c.differs, a != b);
            }
            ClaimSource::IdToken => {
                assert!(a.is_some() && b.is_none());
                assert_eq!(Some(&c.value), a);
                assert!(!c.differs);
            }
            ClaimSource::Userinfo => {
                assert!(a.is_none() && b.is_some());
                assert_eq!(Some(&c.value), b);
                assert!(!c.differs);
            }
        }
    }
    let _ = (
        claims::roles(&merged),
        claims::groups(&merged),
        claims::display_name(&merged),
        claims::string(&merged, "email"),
    );
}

fn check_diff(before: &Map<String, Value>, after: &Map<String, Value>) {
    let changes = claims::diff(before, after);
    let names: BTreeSet<&str> = changes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), changes.len(), "a change listed twice");
    for c in &changes {
        let (a, b) = (before.get(&c.name), after.get(&c.name));
        assert_eq!(c.before.as_ref(), a);
        assert_eq!(c.after.as_ref(), b);
        match c.kind {
            ChangeKind::Added => assert!(a.is_none() && b.is_some()),
            ChangeKind::Removed => assert!(a.is_some() && b.is_none()),
            ChangeKind::Changed => assert!(!same(a.expect("before"), b.expect("after"))),
        }
    }
    // Every difference is listed.
    for name in before.keys().chain(after.keys()) {
        let differs = match (before.get(name), after.get(name)) {
            (Some(a), Some(b)) => !same(a, b),
            _ => true,
        };
        assert_eq!(names.contains(name.as_str()), differs, "{name:?}");
    }
    // Backwards, the same claims: added and removed swap.
    let back = claims::diff(after, before);
    assert_eq!(back.len(), changes.len());
    for (f, b) in changes.iter().zip(&back) {
        assert_eq!(f.name, b.name, "the order depends on the direction");
        let swapped = match f.kind {
            ChangeKind::Added => ChangeKind::Removed,
            ChangeKind::Removed => ChangeKind::Added,
            ChangeKind::Changed => ChangeKind::Changed,
        };
        assert_eq!(b.kind, swapped);
    }
}

fuzz_target!(|data: &[u8]| {
    let (first, second) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let Some(a) = object(first) else {
        return;
    };
    let b = object(second).unwrap_or_default();
    check_merge(&a, Some(&b));
    check_merge(&a, None);
    check_merge(&b, Some(&a));
    let _ = claims::explain_all(&a);
    check_diff(&a, &b);
    assert!(
        claims::diff(&a, &a).is_empty(),
        "a snapshot differs from itself"
    );
});
