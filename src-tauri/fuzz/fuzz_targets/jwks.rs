//! A JWK Set as a provider serves it (`JwkSet::from_json`, with the count of
//! skipped keys), a key a user pastes (`JwkSet::parse_pasted`), the key
//! choice for a token (`candidates`), the verification keys, and the
//! conformance findings on the set (`lint::jwks`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_engine::jwks::{JwkSet, ASYMMETRIC_ALGS, HMAC_ALGS};
use tessera_engine::protocol::lint;

fn exercise(set: &JwkSet) {
    let first_kid = set.keys.iter().find_map(|k| k.kid.as_deref());
    for alg in ASYMMETRIC_ALGS.iter().chain(HMAC_ALGS).chain(&["none"]) {
        for kid in [None, first_kid] {
            for key in set.candidates(alg, kid) {
                assert!(key.fits(alg), "{} chosen for {alg}", key.describe());
                assert_ne!(key.key_use.as_deref(), Some("enc"), "an enc key chosen");
                if let Some(kid) = kid {
                    assert_eq!(key.kid.as_deref(), Some(kid), "another kid chosen");
                }
                if let Some(key_alg) = &key.alg {
                    assert_eq!(key_alg, alg, "a key for another alg chosen");
                }
            }
        }
    }
    for key in &set.keys {
        let _ = (key.size(), key.describe(), key.decoding_key());
        if let Some(kid) = &key.kid {
            assert!(set.has_kid(kid));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(set) = JwkSet::parse_pasted(text) {
        assert!(!set.keys.is_empty(), "a pasted set without a key accepted");
        exercise(&set);
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let _ = lint::jwks(&value);
    let Some((set, skipped)) = JwkSet::from_json_counting(&value) else {
        assert!(
            value.get("keys").and_then(Value::as_array).is_none(),
            "a keys array refused"
        );
        return;
    };
    let total = value["keys"].as_array().map_or(0, Vec::len);
    assert_eq!(set.keys.len() + skipped, total, "keys lost in the count");
    assert_eq!(JwkSet::from_json(&value).as_ref(), Some(&set));
    // The set as Tessera writes it reads back whole: the same keys, none skipped.
    let written = serde_json::to_value(&set).expect("a key set serialises");
    assert_eq!(JwkSet::from_json_counting(&written), Some((set.clone(), 0)));
    exercise(&set);
});
