//! `tessera decode`: a JWT's header and claims, offline; with `--verify`,
//! the validation report against a profile's provider or a key file.

use std::io::Read;

use serde_json::{json, Value};
use tessera_engine::claims::{explain_all, ClaimKind};
use tessera_engine::clock::format_utc;
use tessera_engine::inspect::{decode_pasted, JwtInspection, KeySource};
use tessera_engine::Engine;

use crate::failure::Failure;
use crate::output::say;

/// What `tessera decode` was asked.
#[derive(clap::Args)]
pub struct DecodeArgs {
    /// The token, or - to read it from stdin.
    pub token: String,
    /// Print a JSON object (header, payload, signature, checks).
    #[arg(long)]
    pub json: bool,
    /// Verify the signature, issuer and times against a profile's provider.
    #[arg(long)]
    pub verify: bool,
    #[arg(long, env = "TESSERA_PROFILE")]
    pub profile: Option<String>,
    /// Verify against the JWK or JWKS in this file instead of a profile.
    #[arg(long, value_name = "FILE", conflicts_with = "profile")]
    pub jwks: Option<std::path::PathBuf>,
    /// Also expect the profile's client id as audience (an ID token).
    #[arg(long, requires = "verify")]
    pub id_token: bool,
}

/// Reads the token: the argument, or stdin for `-`.
fn read_token(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::other(format!("cannot read the token from stdin: {e}")))?;
    Ok(text.trim().to_string())
}

/// Runs the command; `Ok(false)` means it decoded but failed verification.
pub async fn run(engine: &Engine, args: DecodeArgs) -> Result<bool, Failure> {
    let token = read_token(&args.token)?;
    let inspection = if args.verify || args.jwks.is_some() {
        let source = match &args.jwks {
            Some(path) => KeySource::Pasted(std::fs::read_to_string(path).map_err(|e| {
                Failure::other(format!("cannot read the key file {}: {e}", path.display()))
            })?),
            None => {
                let name = engine.profiles()?.resolve_name(args.profile.as_deref());
                KeySource::Profile {
                    name,
                    audience: args.id_token,
                }
            }
        };
        engine.verify_pasted(&token, &source).await?
    } else {
        decode_pasted(&token)?
    };
    let valid = inspection.report.as_ref().is_none_or(|r| r.passed());
    if args.json {
        crate::output::print_json(&as_json(&inspection));
    } else {
        print_human(&inspection, engine.now());
    }
    Ok(valid)
}

fn as_json(i: &JwtInspection) -> Value {
    json!({
        "header": i.header,
        "payload": i.claims,
        "verified": i.report.as_ref().map(|r| r.passed()),
        "checked_against": i.checked_against,
        "signature": i.signature.as_ref().map(|s| json!({
            "verified": s.verified, "alg": s.alg, "kid": s.kid, "key": s.key, "detail": s.detail,
        })),
        "checks": i.report.as_ref().map(|r| &r.checks),
    })
}

fn relative(t: i64, now: i64) -> String {
    let d = t - now;
    let amount = |s: i64| match s {
        s if s < 90 => format!("{s} s"),
        s if s < 5400 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    };
    if d >= 0 {
        format!("in {}", amount(d))
    } else {
        format!("{} ago", amount(-d))
    }
}

fn print_human(i: &JwtInspection, now: i64) {
    // Claims, header values and check details come from the token: `say`
    // escapes them for the terminal.
    say("Header");
    say(&indent(&pretty(&Value::Object(i.header.clone()))));
    say("Payload");
    let claims = explain_all(&i.claims);
    let width = claims.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &claims {
        let value = match (&c.kind, c.value.as_i64()) {
            (ClaimKind::Time, Some(t)) => format!("{t}  {} ({})", format_utc(t), relative(t, now)),
            _ => match &c.value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        };
        let label = c.label.map(|l| format!("  · {l}")).unwrap_or_default();
        say(&format!("  {:width$}  {value}{label}", c.name));
    }
    match (&i.report, &i.signature) {
        (None, _) => say("Signature: not verified (add --verify [--profile P], or --jwks FILE)"),
        (Some(report), signature) => {
            if let Some(s) = signature {
                let key = s
                    .key
                    .as_ref()
                    .map(|k| format!(", key {k}"))
                    .unwrap_or_default();
                let verified = if s.verified {
                    "verified"
                } else {
                    "NOT verified"
                };
                say(&format!("Signature: {verified} ({}{key})", s.alg));
            }
            if let Some(against) = &i.checked_against {
                say(&format!("Checked against {against}:"));
            }
            for c in &report.checks {
                let mark = match (c.passed, c.warning) {
                    (false, _) => "FAIL",
                    (true, true) => "warn",
                    (true, false) => "ok  ",
                };
                let values = match (&c.expected, &c.found) {
                    (Some(e), Some(f)) if !c.passed => format!(" (expected {e}, found {f})"),
                    _ => String::new(),
                };
                say(&format!("  {mark}  {:<22} {}{values}", c.name, c.detail));
            }
            let failed = report.checks.iter().filter(|c| !c.passed).count();
            if failed == 0 {
                say(&format!("All {} checks passed.", report.checks.len()));
            } else {
                say(&format!(
                    "{failed} of {} checks failed.",
                    report.checks.len()
                ));
            }
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
