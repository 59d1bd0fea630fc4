//! What the fuzz targets share: a transport that answers every request with
//! the fuzzer's bytes, one async runtime to drive the engine's async parsers
//! with it, and the check that a secret value never reaches a message.

use std::future::Future;
use std::sync::OnceLock;

use serde_json::Value;
use tessera_engine::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};

/// A transport with one canned answer: whatever is asked, this comes back.
pub struct Canned {
    /// The status of every answer.
    pub status: u16,
    /// Its headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Its body: the fuzzer's bytes.
    pub body: Vec<u8>,
}

impl HttpClient for Canned {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let response = HttpResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        };
        Box::pin(async move { Ok(response) })
    }
}

/// Runs a future to completion on one current-thread runtime (with timers:
/// every HTTP call is bounded by `tokio::time::timeout`), built once.
pub fn block_on<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a current-thread runtime")
        })
        .block_on(future)
}

/// Whether `value` could only be in a message by being copied there: at
/// least 12 characters, no whitespace, with an ASCII digit and an ASCII
/// upper-case letter. No run of the engine's fixed message text is like that,
/// so finding one in a message means the value itself got in.
pub fn looks_secret(value: &str) -> bool {
    value.chars().count() >= 12
        && !value.chars().any(|c| c.is_whitespace() || c == '…')
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_uppercase())
}

/// Panics when `text` contains `secret`, unless the secret is not
/// secret-shaped or may be there legitimately because it is also part of one
/// of `allowed` (text the message is meant to show: a provider's error
/// description, a JSON key, the issuer).
pub fn assert_not_leaked(text: &str, secret: &str, allowed: &[&str], what: &str) {
    if !looks_secret(secret) || allowed.iter().any(|a| a.contains(secret)) {
        return;
    }
    assert!(
        !text.contains(secret),
        "{what} leaked a secret value {secret:?} into {text:?}"
    );
}

/// Every string value in a JSON document, at any depth (keys not included).
pub fn string_values(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| string_values(v, out)),
        Value::Object(map) => map.values().for_each(|v| string_values(v, out)),
        _ => {}
    }
}

/// Every object key in a JSON document, at any depth.
pub fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                keys(v, out);
            }
        }
        _ => {}
    }
}

/// Whether a JSON document holds a number that is neither an i64 nor a u64.
/// serde_json (without `float_roundtrip`, as the engine builds it) may read
/// such a number back one unit in the last place off, so round-trip
/// properties hold only for documents without one.
pub fn has_float(value: &Value) -> bool {
    match value {
        Value::Number(n) => !(n.is_i64() || n.is_u64()),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(map) => map.values().any(has_float),
        _ => false,
    }
}
