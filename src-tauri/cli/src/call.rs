//! `tessera call`: an API request with the profile's access token, which is
//! refreshed first when it is about to expire, and once more when the API
//! answers 401 `invalid_token`.

use std::io::Read;
use std::time::Duration;

use serde_json::{json, Map, Value};
use tessera_engine::api::{ApiBody, ApiRequest, CallOptions, NameValue};
use tessera_engine::Engine;

use crate::failure::Failure;

/// What `tessera call` was asked.
#[derive(clap::Args)]
pub struct CallArgs {
    #[arg(long, env = "TESSERA_PROFILE")]
    pub profile: Option<String>,
    /// GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.
    pub method: String,
    pub url: String,
    /// A header, 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// The body: text, @file, or @- for stdin. JSON is sent as JSON.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    pub data: Option<String>,
    /// Print a JSON object with status, headers, body and timing.
    #[arg(long)]
    pub json: bool,
    /// Seconds to wait for the API.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

fn parse_header(h: &str) -> Result<NameValue, Failure> {
    let (name, value) = h.split_once(':').ok_or_else(|| {
        Failure::usage(format!(
            "header \"{}\" needs the form 'Name: value'",
            h.chars().take(40).collect::<String>()
        ))
    })?;
    Ok(NameValue::new(name.trim(), value.trim()))
}

fn read_body(data: &str) -> Result<String, Failure> {
    let Some(path) = data.strip_prefix('@') else {
        return Ok(data.to_string());
    };
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::other(format!("cannot read the body from stdin: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .map_err(|e| Failure::other(format!("cannot read the body file {path}: {e}")))
}

/// Builds the request: a `-d` body is JSON when it parses as JSON, otherwise
/// form-encoded text as curl sends it, unless a Content-Type header says
/// otherwise.
pub fn build_request(args: &CallArgs) -> Result<ApiRequest, Failure> {
    let mut request = ApiRequest::new(&args.method, &args.url);
    for h in &args.headers {
        request.headers.push(parse_header(h)?);
    }
    if let Some(data) = &args.data {
        let text = read_body(data)?;
        let content_type = request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.clone());
        request.body = match content_type {
            Some(ct) => ApiBody::Raw {
                content_type: ct,
                text,
            },
            None if serde_json::from_str::<Value>(&text).is_ok() => ApiBody::Json(text),
            None => ApiBody::Raw {
                content_type: "application/x-www-form-urlencoded".into(),
                text,
            },
        };
    }
    Ok(request)
}

/// Runs the call; returns whether the status was 2xx.
pub async fn run(engine: &Engine, args: CallArgs) -> Result<bool, Failure> {
    let request = build_request(&args)?;
    let options = CallOptions {
        refresh_first: false,
        retry_after_refresh: true,
        timeout: Duration::from_secs(args.timeout),
    };
    let outcome = engine
        .call_api(args.profile.as_deref(), &request, options)
        .await?;
    let r = &outcome.response;
    let ok = (200..300).contains(&r.status);
    if args.json {
        let mut headers = Map::new();
        for (k, v) in &r.headers {
            headers.insert(k.clone(), Value::String(v.clone()));
        }
        let body = serde_json::from_slice::<Value>(&r.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&r.body).into_owned()));
        crate::output::print_json(&json!({
            "status": r.status,
            "status_text": r.status_text(),
            "url": outcome.url,
            "headers": headers,
            "body": body,
            "time_ms": (outcome.duration.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            "refreshed": outcome.refreshed,
        }));
    } else {
        use std::io::{IsTerminal, Write};
        let mut out = std::io::stdout().lock();
        // Piped, the body goes out byte for byte, as curl sends it; on a
        // terminal, its escape sequences are shown, not obeyed.
        let text;
        let body: &[u8] = if out.is_terminal() {
            text = crate::terminal::escape(&String::from_utf8_lossy(&r.body)).into_owned();
            text.as_bytes()
        } else {
            &r.body
        };
        let _ = out.write_all(body);
        if !body.ends_with(b"\n") && !body.is_empty() {
            let _ = out.write_all(b"\n");
        }
    }
    if !ok {
        let challenge = outcome
            .challenge
            .as_ref()
            .and_then(|c| c.param("error").map(|e| (e, c.param("error_description"))))
            .map(|(e, d)| match d {
                Some(d) => format!(": {e} ({d})"),
                None => format!(": {e}"),
            })
            .unwrap_or_default();
        eprintln!(
            "tessera: {}",
            crate::terminal::escape_line(&format!(
                "{} {} returned HTTP {} {}{challenge}",
                request.method.to_ascii_uppercase(),
                outcome.url.split('?').next().unwrap_or_default(),
                r.status,
                r.status_text()
            ))
        );
    }
    Ok(ok)
}
