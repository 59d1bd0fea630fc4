//! "Copy as curl": the request as a POSIX shell command. By default the
//! command fetches a fresh token when it runs (`$(tessera token …)`); the
//! token itself goes in only when the user asks for it inline.

use super::call::prepare;
use super::{ApiError, ApiRequest};
use crate::engine::Engine;
use crate::seams::http::Method;
use crate::secret::SecretString;

/// How "Copy as curl" writes the token.
#[derive(Debug, Clone, Copy)]
pub enum CurlToken<'a> {
    /// `$(tessera token --profile X)`: the command fetches a fresh token
    /// when it runs, and the copied text holds no secret.
    Substitution {
        /// Name given to `--profile`, shell-quoted.
        profile: &'a str,
    },
    /// The token itself, on explicit request.
    Inline(&'a SecretString),
}

impl Engine {
    /// The request as a curl command for `profile`: with `inline`, carrying
    /// a valid access token (refreshed first when needed, which is published
    /// like any refresh); otherwise a `$(tessera token …)` substitution that
    /// fetches one when the command runs.
    pub async fn curl_for(
        &self,
        profile: &str,
        request: &ApiRequest,
        inline: bool,
    ) -> Result<String, ApiError> {
        if inline {
            let session = self.access_token(Some(profile)).await?;
            curl_command(request, CurlToken::Inline(&session.access_token))
        } else {
            curl_command(request, CurlToken::Substitution { profile })
        }
    }
}

/// The request as a curl command for a POSIX shell.
pub fn curl_command(request: &ApiRequest, token: CurlToken<'_>) -> Result<String, ApiError> {
    // Loopback and plain-http checks do not apply: the command is only text.
    let prepared = prepare(request, true)?;
    // -g (--globoff): curl would otherwise expand `{a,b}` and `[1-9]` in the
    // URL and send the token to every host the pattern names.
    let mut parts: Vec<String> = vec!["curl".into(), "-g".into()];
    match prepared.method {
        Method::Get => {}
        Method::Head => parts.push("--head".into()),
        m => {
            parts.push("-X".into());
            parts.push(m.as_str().into());
        }
    }
    parts.push(shell_words::quote(prepared.url.as_str()).into_owned());
    let mut lines = vec![parts.join(" ")];
    if !prepared.user_authorization {
        lines.push(match token {
            CurlToken::Substitution { profile } => format!(
                "-H \"Authorization: Bearer $(tessera token --profile {})\"",
                shell_words::quote(profile).into_owned()
            ),
            CurlToken::Inline(t) => format!(
                "-H {}",
                shell_words::quote(&format!("Authorization: Bearer {}", t.expose())).into_owned()
            ),
        });
    }
    for (name, value) in &prepared.headers {
        if name == "accept" && value.starts_with("application/json, */*") {
            continue;
        }
        lines.push(format!(
            "-H {}",
            shell_words::quote(&format!("{}: {value}", title_case(name))).into_owned()
        ));
    }
    if let Some(body) = &prepared.body {
        lines.push(format!(
            "--data-raw {}",
            shell_words::quote(&String::from_utf8_lossy(body)).into_owned()
        ));
    }
    Ok(lines.join(" \\\n  "))
}

fn title_case(header: &str) -> String {
    header
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}
