//! The authorization response as it arrives: a loopback request head (its
//! request line, then the redirect's query) or a custom-scheme URL, then
//! `callback::check` on its parameters, and a JARM `response` decoded.
//!
//! Input: one flag byte (bit 0: custom scheme instead of loopback; bit 1: the
//! provider advertises RFC 9207 `iss`), then three lines (the expected
//! `state`, the issuer, the custom-scheme redirect URI), then the arrival.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_engine::callback::{check, CallbackError};
use tessera_engine::login::scheme_redirect_params;
use tessera_engine::loopback::{classify_target, request_line, Target};
use tessera_engine::protocol::jarm;
use tessera_engine::secret::SecretString;
use tessera_engine::validate::ValidationReport;
use tessera_fuzz::assert_not_leaked;

const PATH: &str = "/callback";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut fields = rest.splitn(4, |&b| b == b'\n');
    let mut line = || String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
    let (state, issuer, redirect_uri) = (line(), line(), line());
    let arrival = fields.next().unwrap_or_default();

    let params = if flags & 1 == 0 {
        let Some((method, target)) = request_line(arrival) else {
            return;
        };
        if method != "GET" {
            return;
        }
        match classify_target(target, PATH) {
            Target::Redirect(params) => {
                assert!(
                    target.starts_with(PATH),
                    "a redirect off the path: {target:?}"
                );
                params
            }
            Target::OtherPath => {
                let path = target.split('?').next().unwrap_or(target);
                assert_ne!(path, PATH, "the redirect path taken for another");
                return;
            }
            Target::NotARedirect => return,
        }
    } else {
        let Ok(received) = std::str::from_utf8(arrival) else {
            return;
        };
        match scheme_redirect_params(received, &redirect_uri) {
            Some(params) => {
                assert!(
                    received.starts_with(redirect_uri.as_str()),
                    "{received:?} taken as a redirect to {redirect_uri:?}"
                );
                params
            }
            None => return,
        }
    };

    // A JARM redirect: its `response` JWT, decoded (not trusted) as sign-in does.
    if let Some(response) = jarm::response_param(&params) {
        if let Ok(jwt) = jarm::decode(response) {
            let _ = jarm::params(&jwt);
        }
    }

    let expected = SecretString::new(state.clone());
    let iss_advertised = flags & 2 != 0;
    let mut report = ValidationReport::default();
    let result = check(&params, &expected, &issuer, iss_advertised, &mut report);

    let first = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match &result {
        Ok(code) => {
            assert_eq!(
                first("state"),
                Some(state.as_str()),
                "accepted another state"
            );
            assert!(!code.is_empty());
            assert_eq!(first("code"), Some(code.expose()));
            assert!(
                first("error").is_none(),
                "a code taken from an error response"
            );
            match first("iss") {
                Some(iss) => assert_eq!(iss, issuer, "accepted another issuer"),
                None => assert!(!iss_advertised, "accepted no iss although advertised"),
            }
        }
        Err(CallbackError::StateMismatch) => {
            assert_ne!(
                first("state"),
                Some(state.as_str()),
                "refused the right state"
            );
        }
        Err(_) => assert_eq!(first("state"), Some(state.as_str())),
    }

    // The code is a secret: no message and no report row may carry it.
    if let Some(code) = first("code") {
        let mut allowed: Vec<&str> = vec![&issuer, &state, &redirect_uri];
        for (k, v) in &params {
            allowed.push(k);
            if !(k == "code" && v == code) {
                allowed.push(v);
            }
        }
        let report_text = serde_json::to_string(&report).expect("a report serialises");
        assert_not_leaked(&report_text, code, &allowed, "the callback report");
        assert_not_leaked(
            &format!("{result:?}"),
            code,
            &allowed,
            "the callback result",
        );
        if let Err(e) = &result {
            assert_not_leaked(&e.to_string(), code, &allowed, "the callback error");
        }
    }
});
