//! Sending a request with the session's token: checked first (method, URL
//! policy, headers, body), the token added at send time, refreshed before
//! when it is about to expire, and once more after a 401 that a refresh can
//! fix.

use std::time::{Duration, Instant};

use url::Url;

use super::{parse_www_authenticate, ApiBody, ApiError, ApiRequest, BearerChallenge, NameValue};
use crate::engine::Engine;
use crate::protocol::token::{send_raw_retrying_nonce, with_access_token, DpopBinding};
use crate::seams::http::{
    check_endpoint_url, Endpoint, HttpError, HttpRequest, HttpResponse, Method,
    DEFAULT_CALL_TIMEOUT,
};
use crate::session::refresh::RefreshError;
use crate::session::Session;

/// How [`Engine::call_api`] behaves.
#[derive(Debug, Clone, Copy)]
pub struct CallOptions {
    /// Refresh the session before sending, even if the token is valid
    /// (the panel's "retry after refresh").
    pub refresh_first: bool,
    /// On a 401 a refresh could fix, refresh and send once more (the CLI).
    pub retry_after_refresh: bool,
    /// The time limit for the call.
    pub timeout: Duration,
}

impl Default for CallOptions {
    fn default() -> Self {
        Self {
            refresh_first: false,
            retry_after_refresh: false,
            timeout: DEFAULT_CALL_TIMEOUT,
        }
    }
}

/// What [`Engine::call_api`] returns: the response plus what happened around it.
#[derive(Debug, Clone)]
pub struct ApiOutcome {
    /// The response, whatever its status.
    pub response: HttpResponse,
    /// Time from sending to the whole response (the last attempt).
    pub duration: Duration,
    /// The URL as sent, query included.
    pub url: String,
    /// The access token was refreshed for this call.
    pub refreshed: bool,
    /// The first challenge of a 401 or 403.
    pub challenge: Option<BearerChallenge>,
    /// A 401 a refresh might fix, and the session can refresh.
    pub retry_after_refresh: bool,
}

/// A request checked and turned into what goes on the wire (less the token).
pub(super) struct Prepared {
    pub(super) method: Method,
    pub(super) url: Url,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Option<Vec<u8>>,
    pub(super) user_authorization: bool,
}

pub(super) fn prepare(
    request: &ApiRequest,
    allow_insecure_http: bool,
) -> Result<Prepared, ApiError> {
    let method =
        Method::parse(&request.method).ok_or_else(|| ApiError::Method(request.method.clone()))?;
    let mut url = Url::parse(request.url.trim()).map_err(|e| ApiError::Url(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::Url(format!(
            "scheme {} is not http or https",
            url.scheme()
        )));
    }
    if check_endpoint_url(Endpoint::Api, &url, allow_insecure_http).is_err() {
        return Err(ApiError::InsecureUrl(
            url.host_str().unwrap_or("the host").to_string(),
        ));
    }
    let query: Vec<&NameValue> = request.query.iter().filter(|q| q.enabled).collect();
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for q in query {
            pairs.append_pair(&q.name, &q.value);
        }
    }
    let mut headers = Vec::new();
    let mut user_authorization = false;
    for h in request.headers.iter().filter(|h| h.enabled) {
        let name = h.name.trim();
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
            || reqwest::header::HeaderValue::from_str(&h.value).is_err()
        {
            return Err(ApiError::Header(crate::seams::http::sanitize_text(
                name, 40,
            )));
        }
        if name.eq_ignore_ascii_case("authorization") {
            user_authorization = true;
        }
        headers.push((name.to_ascii_lowercase(), h.value.clone()));
    }
    let has = |headers: &[(String, String)], n: &str| headers.iter().any(|(k, _)| k == n);
    let (body, content_type) = match &request.body {
        ApiBody::None => (None, None),
        ApiBody::Json(text) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                return Err(ApiError::Json {
                    line: e.line(),
                    column: e.column(),
                });
            }
            (Some(text.clone().into_bytes()), Some("application/json"))
        }
        ApiBody::Form(fields) => {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(
                    fields
                        .iter()
                        .filter(|f| f.enabled)
                        .map(|f| (&f.name, &f.value)),
                )
                .finish();
            (
                Some(body.into_bytes()),
                Some("application/x-www-form-urlencoded"),
            )
        }
        ApiBody::Raw { content_type, text } => {
            (Some(text.clone().into_bytes()), Some(content_type.as_str()))
        }
    };
    if let Some(ct) = content_type {
        if !has(&headers, "content-type") {
            headers.push(("content-type".into(), ct.to_string()));
        }
    }
    if !has(&headers, "accept") {
        headers.push(("accept".into(), "application/json, */*;q=0.5".into()));
    }
    Ok(Prepared {
        method,
        url,
        headers,
        body,
        user_authorization,
    })
}

impl Engine {
    /// Sends `request` with the profile's access token as a bearer token,
    /// refreshing it first when it is about to expire.
    pub async fn call_api(
        &self,
        profile: Option<&str>,
        request: &ApiRequest,
        options: CallOptions,
    ) -> Result<ApiOutcome, ApiError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::ApiCall,
                profile,
                self.call_api_untraced(profile, request, options),
            )
            .await
    }

    async fn call_api_untraced(
        &self,
        profile: Option<&str>,
        request: &ApiRequest,
        options: CallOptions,
    ) -> Result<ApiOutcome, ApiError> {
        let profile = self.profile(profile).map_err(RefreshError::from)?;
        let prepared = prepare(request, profile.allow_insecure_http)?;
        let http = self
            .http_for_profile(&profile, None)
            .await
            .map_err(RefreshError::from)?
            .with_call_timeout(options.timeout);
        let started_at = self.now();
        // A user-written Authorization header wins: the panel is also for
        // trying a token by hand.
        let mut session: Option<Session> = None;
        let mut refreshed = false;
        if !prepared.user_authorization {
            let s = if options.refresh_first {
                refreshed = true;
                self.refresh(Some(&profile.name)).await?.session
            } else {
                let s = self.access_token(Some(&profile.name)).await?;
                refreshed = s.obtained_at >= started_at && s.signed_in_at < s.obtained_at;
                s
            };
            session = Some(s);
        }
        // A DPoP-bound token goes with a proof of the profile's key.
        let dpop = match &session {
            Some(s) if profile.dpop && s.token_type.eq_ignore_ascii_case("dpop") => {
                Some(DpopBinding {
                    key: self.dpop_key(&profile).await.map_err(RefreshError::from)?,
                    nonces: std::sync::Arc::clone(self.nonces()),
                })
            }
            _ => None,
        };
        let bound = Bound {
            dpop: dpop.as_ref(),
            now: self.now(),
        };
        let (mut response, mut duration) = send(&http, &prepared, session.as_ref(), &bound).await?;
        let mut challenge = challenge_of(&response);
        let can_refresh = session.as_ref().is_some_and(|s| s.refresh_token.is_some());
        let mut retry = response.status == 401
            && can_refresh
            && challenge
                .as_ref()
                .is_none_or(BearerChallenge::fixable_by_refresh);
        if retry && options.retry_after_refresh {
            tracing::debug!("API answered 401; refreshing and retrying once");
            let s = self.refresh(Some(&profile.name)).await?.session;
            refreshed = true;
            (response, duration) = send(&http, &prepared, Some(&s), &bound).await?;
            challenge = challenge_of(&response);
            retry = false;
        }
        Ok(ApiOutcome {
            url: prepared.url.to_string(),
            response,
            duration,
            refreshed,
            challenge,
            retry_after_refresh: retry,
        })
    }
}

/// How the access token is presented: bearer, or DPoP with a proof.
struct Bound<'a> {
    dpop: Option<&'a DpopBinding>,
    now: i64,
}

/// Sends the request with the session's token. A DPoP resource server that
/// answers `use_dpop_nonce` with a `DPoP-Nonce` gets it once more with a
/// proof carrying the nonce; any other answer is returned as it is.
async fn send(
    http: &crate::seams::http::Http,
    prepared: &Prepared,
    session: Option<&Session>,
    bound: &Bound<'_>,
) -> Result<(HttpResponse, Duration), HttpError> {
    let build = || -> Result<HttpRequest, HttpError> {
        let request = HttpRequest {
            endpoint: Endpoint::Api,
            method: prepared.method,
            url: prepared.url.clone(),
            headers: prepared.headers.clone(),
            body: prepared.body.clone(),
        };
        Ok(match session {
            Some(s) if bound.dpop.is_some() => {
                with_access_token(request, &s.access_token, bound.dpop, bound.now)?
            }
            Some(s) => {
                let scheme =
                    if s.token_type.eq_ignore_ascii_case("bearer") || s.token_type.is_empty() {
                        "Bearer"
                    } else {
                        s.token_type.as_str()
                    };
                request.header(
                    "authorization",
                    format!("{scheme} {}", s.access_token.expose()),
                )
            }
            None => request,
        })
    };
    let started = Instant::now();
    let response =
        send_raw_retrying_nonce(http, Endpoint::Api, &prepared.url, bound.dpop, true, build)
            .await?;
    Ok((response, started.elapsed()))
}

fn challenge_of(response: &HttpResponse) -> Option<BearerChallenge> {
    // A `DPoP` challenge is read like a `Bearer` one (RFC 9449 §7.1).
    if response.status != 401 && response.status != 403 {
        return None;
    }
    let header = response.header("www-authenticate")?;
    let challenges = parse_www_authenticate(header);
    challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("bearer") || c.scheme.eq_ignore_ascii_case("dpop"))
        .or(challenges.first())
        .cloned()
}
