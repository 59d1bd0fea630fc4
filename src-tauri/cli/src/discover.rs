//! `tessera discover <URL>`: the walk from an API URL to its authorization
//! servers, one row per step (or as JSON); exits 1 when no server is usable.

use tessera_engine::protocol::report::Check;
use tessera_engine::session::discover::ResourceDiscovery;
use tessera_engine::Engine;

use crate::failure::Failure;
use crate::output::{print_json, say};
use crate::terminal::escape_line;

/// Prints the walk; `Ok(false)` when no authorization server is usable.
pub(crate) async fn run(engine: &Engine, url: &str, json: bool) -> Result<bool, Failure> {
    let found = engine.discover_resource(url).await?;
    if json {
        print_json(&serde_json::to_value(&found).unwrap_or_default());
    } else {
        print_report(&found);
    }
    if let Some(line) = found.failure() {
        if !json {
            eprintln!("tessera: {}", escape_line(&line));
        }
        return Ok(false);
    }
    Ok(true)
}

/// One line per row: `ok`, `warn` or `FAIL`, the step, what was found.
pub(crate) fn check_line(c: &Check) -> String {
    let mark = match (c.passed, c.warning) {
        (false, _) => "FAIL",
        (true, true) => "warn",
        (true, false) => "ok",
    };
    escape_line(&format!("  {mark:<4} {}: {}", c.name, c.detail))
}

fn print_report(found: &ResourceDiscovery) {
    say(&escape_line(&format!("API         {}", found.url)));
    if let Some(r) = &found.resource {
        let name = found
            .resource_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        say(&escape_line(&format!("Resource    {r}{name}")));
    }
    if let Some(m) = &found.resource_metadata_url {
        say(&escape_line(&format!("Metadata    {m}")));
    }
    if !found.scopes.is_empty() {
        say(&escape_line(&format!(
            "Scopes      {}",
            found.scopes.join(" ")
        )));
    }
    for c in &found.checks {
        say(&check_line(c));
    }
    for s in &found.authorization_servers {
        let routes = [
            (s.registration.dynamic, "dynamic registration"),
            (
                s.registration.client_id_metadata_document,
                "client ID metadata documents",
            ),
            (
                s.registration.pre_registered_only,
                "pre-registered clients only",
            ),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(", ");
        say(&escape_line(&format!(
            "Server      {} ({}; PKCE S256 {}; {routes})",
            s.issuer,
            if s.usable { "usable" } else { "not usable" },
            if s.pkce_s256 { "yes" } else { "no" },
        )));
    }
    say(&escape_line(&format!("Next        {}", found.way_forward)));
}
