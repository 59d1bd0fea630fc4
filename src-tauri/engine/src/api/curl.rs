//! "Copy as curl": the request as a POSIX shell command. By default the
//! command fetches a fresh token when it runs (`$(tessera token …)`); the
//! token itself goes in only when the user asks for it inline.

use super::call::prepare;
use super::{ApiError, ApiRequest};
use crate::engine::Engine;
use crate::seams::http::Method;
use crate::secret::SecretString;
use crate::session::refresh::RefreshError;

/// How "Copy as curl" writes the token.
#[derive(Debug, Clone, Copy)]
pub enum CurlToken<'a> {
    /// `$(tessera token --profile X)`: the command fetches a fresh token
    /// when it runs, and the copied text holds no secret.
    Substitution {
        /// Name given to `--profile`, shell-quoted.
        profile: &'a str,
        /// A DPoP-bound profile: `Authorization: DPoP …` and a `DPoP:`
        /// header from `$(tessera dpop-proof …)`.
        dpop: bool,
    },
    /// The token itself, on explicit request, with a proof made now for a
    /// DPoP-bound token (good for one request, for about a minute).
    Inline {
        /// The access token.
        token: &'a SecretString,
        /// The DPoP proof, for a DPoP-bound token.
        proof: Option<&'a SecretString>,
    },
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
        let settings = self.profile(Some(profile)).map_err(RefreshError::from)?;
        if !inline {
            return curl_command(
                request,
                CurlToken::Substitution {
                    profile,
                    dpop: settings.dpop,
                },
            );
        }
        let session = self.access_token(Some(profile)).await?;
        let proof = if settings.dpop && session.token_type.eq_ignore_ascii_case("dpop") {
            let prepared = prepare(request, true)?;
            Some(
                self.dpop_proof(Some(profile), prepared.method.as_str(), &prepared.url)
                    .await?,
            )
        } else {
            None
        };
        curl_command(
            request,
            CurlToken::Inline {
                token: &session.access_token,
                proof: proof.as_ref(),
            },
        )
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
        match token {
            CurlToken::Substitution { profile, dpop } => {
                let profile = shell_words::quote(profile).into_owned();
                let scheme = if dpop { "DPoP" } else { "Bearer" };
                lines.push(format!(
                    "-H \"Authorization: {scheme} $(tessera token --profile {profile})\""
                ));
                if dpop {
                    lines.push(format!(
                        "-H \"DPoP: $(tessera dpop-proof --profile {profile} {} {})\"",
                        prepared.method.as_str(),
                        shell_words::quote(prepared.url.as_str())
                    ));
                }
            }
            CurlToken::Inline { token, proof } => {
                let scheme = if proof.is_some() { "DPoP" } else { "Bearer" };
                lines.push(format!(
                    "-H {}",
                    shell_words::quote(&format!("Authorization: {scheme} {}", token.expose()))
                        .into_owned()
                ));
                if let Some(proof) = proof {
                    lines.push(format!(
                        "-H {}",
                        shell_words::quote(&format!("DPoP: {}", proof.expose())).into_owned()
                    ));
                }
            }
        }
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
