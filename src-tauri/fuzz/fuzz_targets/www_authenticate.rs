//! `challenge::parse_www_authenticate` on any header value, as an API's 401
//! or 403 sends it, with what hosts read from each challenge.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_engine::protocol::challenge::{parse_www_authenticate, BearerChallenge};
use tessera_engine::protocol::dpop;

/// The challenges written back as a header: every value quoted and escaped.
fn write(challenges: &[BearerChallenge]) -> String {
    challenges
        .iter()
        .map(|c| {
            let params: Vec<String> = c
                .params
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect();
            if params.is_empty() {
                c.scheme.clone()
            } else {
                format!("{} {}", c.scheme, params.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_token_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, ',' | '=' | '"')
}

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    let challenges = parse_www_authenticate(header);
    for c in &challenges {
        assert!(
            !c.scheme.is_empty() && c.scheme.chars().all(is_token_char),
            "scheme {:?}",
            c.scheme
        );
        for (name, _) in &c.params {
            assert!(
                !name.is_empty() && name.chars().all(is_token_char),
                "name {name:?}"
            );
            assert_eq!(name, &name.to_ascii_lowercase(), "a name not lower-cased");
        }
        let _ = (
            c.advice(),
            c.fixable_by_refresh(),
            c.param("error"),
            c.param("scope"),
        );
    }
    let _ = dpop::asks_for_nonce(None, Some(header));

    // Written back with every value quoted, the challenges parse the same.
    let written = write(&challenges);
    assert_eq!(
        parse_www_authenticate(&written),
        challenges,
        "{header:?} written as {written:?}"
    );
});
