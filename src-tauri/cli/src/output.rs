//! How results are printed: JSON for scripts, short sentences for people.

use serde_json::{json, Value};
use tessera_engine::clock::format_utc;
use tessera_engine::session::Session;
use tessera_engine::Engine;

pub(crate) fn expires_phrase(expires_at: Option<i64>, now: i64) -> String {
    match expires_at {
        Some(t) if t > now => format!("expires in {} ({})", human_duration(t - now), format_utc(t)),
        Some(t) => format!("expired at {}", format_utc(t)),
        None => "has no stated expiry".to_string(),
    }
}

pub(crate) fn human_duration(secs: i64) -> String {
    match secs {
        s if s < 90 => format!("{s} s"),
        s if s < 5400 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

pub(crate) fn token_json(session: &Session, profile: Option<&str>, engine: &Engine) -> Value {
    let profile = engine
        .profiles()
        .map(|f| f.resolve_name(profile))
        .unwrap_or_default();
    json!({
        "profile": profile,
        "access_token": session.access_token.expose(),
        "token_type": session.token_type,
        "expires_at": session.expires_at,
        "scopes": session.scopes,
        "subject": session.subject,
        "issuer": session.issuer,
    })
}

pub(crate) fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    println!("{}", crate::terminal::json_text(&text));
}

/// Prints a line for people; anything from outside in it is escaped.
pub(crate) fn say(line: &str) {
    println!("{}", crate::terminal::escape(line));
}
