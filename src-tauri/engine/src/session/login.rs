//! Sign-in: the Authorization Code flow with PKCE through the system
//! browser and a loopback redirect (RFC 8252). [`Engine::login`] is the one
//! entry point for every grant: a profile whose grant is the device code or
//! client credentials is signed in by [`crate::session::device`] or
//! [`crate::session::service`] instead, with the same outcome and the same
//! saving rules.
//!
//! Steps, each of which can refuse the sign-in with a one-line reason:
//! 1. provider metadata (discovery, cached) and an ephemeral 127.0.0.1 listener;
//! 2. fresh state, nonce and PKCE S256; open the browser;
//! 3. one callback: state (constant time), RFC 9207 `iss`, `error`;
//! 4. code exchange; ID token validated check by check (JWKS re-fetched once
//!    on an unknown `kid`); userinfo `sub` must match;
//! 5. only then, under the profile lock: the session, the client secret and
//!    the profile are saved. A failure anywhere before leaves the previous
//!    session and profile exactly as they were.

use std::time::Duration;

use tokio::sync::mpsc;
use url::Url;

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::{
    ClientAuthMethod, Grant, Profile, ProfileError, ProfileFile, Redirect, ResponseMode,
};
use crate::protocol::authorize;
use crate::protocol::binding;
use crate::protocol::callback::{self, CallbackError};
use crate::protocol::client_key::ClientKey;
use crate::protocol::discovery::{self, DiscoveryError};
use crate::protocol::jwt::decode_unverified;
use crate::protocol::token::{self, ClientCredentials, DpopBinding, TokenResponse};
use crate::protocol::validate::{Check, Expectations, NonceRule, SharedSecret, ValidationReport};
use crate::protocol::{jarm, par, request_object};
use crate::seams::browser::{BrowserError, BrowserLauncher};
use crate::seams::events::{SessionChange, SessionEvent};
use crate::seams::http::{Deadline, HttpError};
use crate::seams::http::{Endpoint, Http, HttpRequest};
use crate::seams::http_log::redact_url_query;
use crate::seams::lock::LockError;
use crate::seams::loopback::{Callback, ListenError, LoopbackListener, Page};
use crate::seams::operations::StepKind;
use crate::seams::store::StoreError;
use crate::secret::SecretString;
use crate::session::Session;

/// Default time limit for a whole sign-in.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

/// What to sign in with.
pub struct LoginRequest<'a> {
    /// The profile (validated and saved only if sign-in succeeds).
    pub profile: Profile,
    /// A new client secret to use and save; `None` uses the stored one, if any.
    pub client_secret: Option<SecretString>,
    /// A new client key (with its certificate, for mutual TLS) to use and
    /// save once sign-in succeeds; `None` uses the stored one, if any.
    pub client_key: Option<ClientKey>,
    /// Opens the authorization URL.
    pub browser: &'a dyn BrowserLauncher,
    /// Bound on the whole sign-in, including a hanging provider.
    pub timeout: Duration,
    /// Progress for the host to show.
    pub progress: &'a (dyn Fn(LoginProgress) + Send + Sync),
    /// Where a desktop host forwards URLs the OS delivered for a custom-scheme
    /// redirect. `None` refuses custom-scheme profiles.
    pub scheme_redirects: Option<mpsc::Receiver<String>>,
    /// Send the authorization request once without the browser first, so a
    /// refused client id or redirect URI fails at once with the provider's
    /// reason instead of leaving the user to wait for a redirect that never
    /// comes. The provider sees one extra request with public values.
    pub preflight: bool,
}

/// Steps a host may show while the user signs in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LoginProgress {
    /// The browser was asked to open this URL.
    BrowserOpened {
        /// The authorization URL (no secret: the verifier never leaves Tessera).
        url: String,
        /// Where the browser will come back.
        redirect_uri: String,
        /// How long Tessera waits for it.
        wait: Duration,
    },
    /// The browser could not be opened; the user can open the URL by hand.
    BrowserFailed {
        /// The authorization URL.
        url: String,
        /// Where the browser will come back.
        redirect_uri: String,
        /// How long Tessera waits for it.
        wait: Duration,
        /// The launcher's error message, shown beside the URL to open by hand.
        reason: String,
    },
    /// The redirect arrived; tokens are being fetched and checked.
    Exchanging,
    /// Device flow: the user must enter this code at this URI (RFC 8628).
    DeviceCode {
        /// The user code, grouped for reading (`WDJB-MJHT`).
        user_code: String,
        /// Where to enter it.
        verification_uri: String,
        /// The URI with the code filled in, for a link or a QR code.
        verification_uri_complete: Option<String>,
        /// How long the code stays valid.
        expires_in: Duration,
        /// Whether the browser was opened at the verification URI.
        browser_opened: bool,
    },
    /// Device flow: the provider asked Tessera to poll less often.
    DeviceSlowDown {
        /// The new interval between polls.
        interval: Duration,
    },
}

/// What [`Engine::login`] returns once the session and profile are saved.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// The profile as saved.
    pub profile: Profile,
    /// The session just stored in the keyring, replacing any earlier one.
    pub session: Session,
    /// The ID token's claims.
    pub id_token_claims: Map<String, Value>,
    /// Every check made on the redirect, ID token and userinfo; all passed.
    pub report: ValidationReport,
}

/// What a grant's sign-in hands to [`Engine::complete_sign_in`].
pub(crate) struct Completed<'a> {
    /// The profile, saved once the session is.
    pub profile: Profile,
    /// The issuer that issued the tokens.
    pub issuer: &'a str,
    /// The token response, checked.
    pub tokens: &'a TokenResponse,
    /// The ID token's claims (empty without a user).
    pub claims: Map<String, Value>,
    /// The userinfo answer, if fetched.
    pub userinfo: Option<Map<String, Value>>,
    /// Every check made.
    pub report: ValidationReport,
    /// A new client secret to keep.
    pub new_secret: Option<&'a SecretString>,
    /// A new client key to keep.
    pub new_key: Option<&'a ClientKey>,
}

/// Why sign-in failed. Display is the one line a user sees.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// The profile is invalid, or the profile file could not be read or written.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Provider metadata could not be fetched, or was refused (issuer mismatch, no PKCE S256).
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// HTTP problem at an endpoint.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Listener problem or timeout.
    #[error(transparent)]
    Listen(#[from] ListenError),
    /// The authorization response was refused.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// The browser could not be started.
    #[error(transparent)]
    Browser(#[from] BrowserError),
    /// The keyring could not give the client secret or store the session or secret.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The profile's lock file was busy or unusable while saving the session.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A check on the ID token or userinfo failed.
    #[error("{}", .check.detail)]
    Rejected {
        /// The first failing check.
        check: Check,
        /// Every check made, passing ones included.
        report: ValidationReport,
    },
    /// The ID token is not even a JWT.
    #[error("the ID token is malformed: {0}")]
    MalformedIdToken(#[from] crate::protocol::jwt::JwtDecodeError),
    /// No ID token came back.
    #[error("the token endpoint returned no id_token; check that the scopes include openid")]
    NoIdToken,
    /// The provider answered the authorization request with an error page
    /// naming the redirect URI (found by the preflight).
    #[error("the provider refused the redirect URI {redirect_uri} ({reason}); register exactly this URI for client {client_id}, or change the profile's redirect")]
    RedirectUriRejected {
        /// The redirect URI that was sent; the client must register exactly this one.
        redirect_uri: String,
        /// The profile's client id.
        client_id: String,
        /// The provider's error code or HTTP status.
        reason: String,
    },
    /// The provider refused the client (found by the preflight).
    #[error("the provider refused client id {client_id} ({reason}); check the client id in the profile and that the client is enabled for the authorization code flow")]
    ClientRejected {
        /// The profile's client id.
        client_id: String,
        /// The provider's error code or HTTP status.
        reason: String,
    },
    /// The provider refused the authorization request for another reason.
    #[error("the provider refused the authorization request ({reason}); check the profile's scopes and parameters")]
    AuthorizationRefused {
        /// The provider's error code or HTTP status.
        reason: String,
    },
    /// Device flow: the user declined at the provider.
    #[error(
        "the device authorization was denied at the provider (access_denied); nothing was stored"
    )]
    DeviceDenied,
    /// Device flow: the code expired before the user approved it.
    #[error(
        "device authorization expired before it was approved; start again and approve it sooner"
    )]
    DeviceExpired,
    /// Device flow: the sign-in's time limit ran out first.
    #[error("the device authorization was not approved within the sign-in's time limit of {waited} s; start again, or allow more time")]
    DeviceTimedOut {
        /// The time limit, in seconds.
        waited: u64,
    },
    /// The provider has no device authorization endpoint.
    #[error("the provider advertises no device_authorization_endpoint, so it does not offer the device flow; use the authorization code flow")]
    NoDeviceEndpoint,
    /// The provider refused the client's authentication.
    #[error("{}", client_auth_refused(.method, .reason))]
    ClientAuthRefused {
        /// The client id.
        client_id: String,
        /// The client authentication method used.
        method: ClientAuthMethod,
        /// The provider's error code and description.
        reason: String,
    },
    /// PAR is asked for or required, but the provider has no endpoint for it.
    #[error("{}", if *.required { "the provider requires PAR but advertises no pushed_authorization_request_endpoint" } else { "the profile asks for PAR, but the provider advertises no pushed_authorization_request_endpoint; turn PAR off for this provider" })]
    NoParEndpoint {
        /// Whether the provider requires it (rather than the profile asking).
        required: bool,
    },
    /// A signed request object needs the client key of `private_key_jwt`.
    #[error("{}", if *.required { "the provider requires signed request objects, which need the client key of private_key_jwt; set the profile's client authentication to private_key_jwt with a key" } else { "a signed request object needs the client key of private_key_jwt; set the profile's client authentication to private_key_jwt with a key" })]
    RequestObjectNeedsKey {
        /// Whether the provider requires it (rather than the profile asking).
        required: bool,
    },
    /// The provider refused the DPoP proof.
    #[error("DPoP proof rejected: {reason}")]
    DpopProofRejected {
        /// The provider's error and description.
        reason: String,
    },
    /// Response mode `jwt` was asked for, but the redirect had no `response`.
    #[error("the redirect carried no response JWT though response mode jwt was asked for; check that the provider supports JARM")]
    JarmMissing,
    /// The `response` JWT is not a JWT.
    #[error("the authorization response JWT is malformed: {0}")]
    MalformedJarm(crate::protocol::jwt::JwtDecodeError),
    /// The command line cannot receive a custom-scheme redirect.
    #[error("profile redirects to {0}, a custom scheme only the Tessera desktop app receives; use a loopback redirect here")]
    CustomSchemeNeedsApp(String),
}

/// The one line for a refused client authentication, worded for the method.
fn client_auth_refused(method: &ClientAuthMethod, reason: &str) -> String {
    match method {
        ClientAuthMethod::ClientSecretJwt | ClientAuthMethod::PrivateKeyJwt => format!(
            "the provider refused the client assertion ({reason}); check that the provider holds this client's {} and expects the assertion audience the profile sends",
            if *method == ClientAuthMethod::PrivateKeyJwt { "public key" } else { "secret" }
        ),
        ClientAuthMethod::TlsClientAuth | ClientAuthMethod::SelfSignedTlsClientAuth => format!(
            "the provider refused the client certificate ({reason}); check that it is the certificate registered for this client"
        ),
        _ => format!(
            "the provider refused the client's credentials ({reason}); check the client id and secret"
        ),
    }
}

/// A push's refusal, as the early error of a sign-in: the redirect URI or
/// the client named, anything else the provider's reason.
fn pushed_request_error(e: HttpError, profile: &Profile, redirect_uri: &str) -> LoginError {
    match e.oauth_error() {
        Some("invalid_redirect_uri") => LoginError::RedirectUriRejected {
            redirect_uri: redirect_uri.to_string(),
            client_id: profile.client_id.clone(),
            reason: e.oauth_detail().unwrap_or_default(),
        },
        Some("invalid_client") => token_error(e, profile),
        Some(_) => LoginError::AuthorizationRefused {
            reason: format!(
                "pushed authorization request: {}",
                e.oauth_detail().unwrap_or_default()
            ),
        },
        None => LoginError::Http(e),
    }
}

/// A token endpoint error, as a sign-in reports it: `invalid_client` means
/// the client's authentication was refused, named by its method.
pub(crate) fn token_error(e: HttpError, profile: &Profile) -> LoginError {
    match e.oauth_error() {
        Some("invalid_dpop_proof") => LoginError::DpopProofRejected {
            reason: e.oauth_detail().unwrap_or_default(),
        },
        Some("invalid_client") => LoginError::ClientAuthRefused {
            client_id: profile.client_id.clone(),
            method: profile.client_auth,
            reason: e
                .oauth_detail()
                .unwrap_or_else(|| "invalid_client".to_string()),
        },
        _ => LoginError::Http(e),
    }
}

impl Engine {
    /// Signs in with the profile's grant and saves the session and profile
    /// on success.
    pub async fn login(&self, request: LoginRequest<'_>) -> Result<LoginOutcome, LoginError> {
        let name = request.profile.name.clone();
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::SignIn,
                Some(&name),
                self.login_untraced(request),
            )
            .await
    }

    async fn login_untraced(
        &self,
        mut request: LoginRequest<'_>,
    ) -> Result<LoginOutcome, LoginError> {
        request.profile.validate()?;
        match request.profile.grant {
            Grant::AuthorizationCode => self.login_with_code(request).await,
            Grant::DeviceCode => self.login_with_device_code(request).await,
            Grant::ClientCredentials => self.login_as_service(request).await,
        }
    }

    /// The authorization code flow.
    async fn login_with_code(&self, request: LoginRequest<'_>) -> Result<LoginOutcome, LoginError> {
        let LoginRequest {
            mut profile,
            client_secret,
            client_key,
            browser,
            timeout,
            progress,
            scheme_redirects,
            preflight,
        } = request;
        profile.validate()?;
        let deadline = Deadline::after(timeout);
        let http = self
            .http_for_profile(&profile, client_key.as_ref())
            .await?
            .with_deadline(deadline);
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;

        let (arrival, redirect_uri) = match &profile.redirect {
            Redirect::Loopback { port, path } => {
                let listener = LoopbackListener::bind(*port, path).await?;
                let uri = listener.redirect_uri().to_string();
                (Arrival::Loopback(listener), uri)
            }
            Redirect::CustomScheme { uri } => match scheme_redirects {
                Some(urls) => (Arrival::Scheme(urls), uri.clone()),
                None => return Err(LoginError::CustomSchemeNeedsApp(uri.clone())),
            },
        };
        // The client's credentials before the browser: a push (PAR) and a
        // request object need them, and a locked keyring fails early.
        let credentials = self
            .credentials(&profile, client_secret.clone(), client_key.clone(), &meta)
            .await?;
        let endpoint = meta.url(&meta.authorization_endpoint)?;
        let mut extra: Vec<(&str, String)> = Vec::new();
        if let Some(dpop) = &credentials.dpop {
            // RFC 9449 §10: the code is bound to the DPoP key.
            extra.push(("dpop_jkt", dpop.key.thumbprint()));
        }
        if profile.response_mode == ResponseMode::Jwt {
            extra.push(("response_mode", "jwt".into()));
        }
        let mut auth =
            authorize::build(&endpoint, &profile.client_request(), &redirect_uri, &extra);
        let pushed = self
            .shape_authorization_request(&http, &meta, &profile, &credentials, &endpoint, &mut auth)
            .await?;
        let url = auth.url.to_string();
        // A push already was the provider's early answer.
        if preflight && !pushed {
            check_authorization_request(&http, &auth.url, &profile.client_id, &redirect_uri)
                .await?;
        }
        let wait = deadline.remaining().unwrap_or(timeout);
        self.operations()
            .step(StepKind::BrowserOpened, redact_url_query(&auth.url));
        match browser.open(&url) {
            Ok(()) => progress(LoginProgress::BrowserOpened {
                url: url.clone(),
                redirect_uri: redirect_uri.clone(),
                wait,
            }),
            Err(e) => progress(LoginProgress::BrowserFailed {
                url: url.clone(),
                redirect_uri: redirect_uri.clone(),
                wait,
                reason: e.to_string(),
            }),
        }

        let waiting = std::time::Instant::now();
        let callback = arrival.next(&redirect_uri, wait, &auth.state).await?;
        self.operations()
            .step(StepKind::RedirectReceived, redirect_uri.clone());
        // The browser's time (it talks to the provider, not to Tessera): logged
        // so that benchmarks can tell Tessera's own time from the provider's.
        tracing::debug!(
            ms = waiting.elapsed().as_millis() as u64,
            "browser returned"
        );
        progress(LoginProgress::Exchanging);
        let result = async {
            let mut report = ValidationReport::default();
            let params = match profile.response_mode {
                ResponseMode::Jwt => {
                    self.open_jarm_response(&http, &meta, &profile, &callback.params, &mut report)
                        .await?
                }
                ResponseMode::Query => callback.params.clone(),
            };
            let code = callback::check(
                &params,
                &auth.state,
                &meta.issuer,
                meta.authorization_response_iss_parameter_supported,
                &mut report,
            )?;
            let token_url = meta.token_url()?;
            let tokens = token::exchange_code(
                &http,
                token_url,
                &credentials,
                &code,
                &auth.code_verifier,
                &auth.redirect_uri,
                &profile.params.resource,
            )
            .await
            .map_err(|e| token_error(e, &profile))?;
            let (claims, userinfo) = self
                .check_tokens(
                    &http,
                    &meta,
                    &profile,
                    &tokens,
                    NonceRule::Sent(&auth.nonce),
                    &credentials,
                    &mut report,
                )
                .await?;
            self.complete_sign_in(Completed {
                profile: profile.clone(),
                issuer: &meta.issuer,
                tokens: &tokens,
                claims,
                userinfo,
                report,
                new_secret: client_secret.as_ref(),
                new_key: client_key.as_ref(),
            })
            .await
        }
        .await;
        let page = match &result {
            Ok(outcome) => {
                let who = outcome.session.display_name();
                Page::Success(format!(
                    "Signed in as {who} (profile \"{}\").",
                    outcome.profile.name
                ))
            }
            Err(e) => Page::Failure(e.to_string()),
        };
        if let Some(held) = callback.held {
            held.reply(page).await;
        }
        result
    }

    /// Turns the plain request into what the profile and provider ask for:
    /// a signed request object (JAR), pushed first (PAR) or sent by value.
    /// Returns whether it was pushed.
    #[allow(clippy::too_many_arguments)]
    async fn shape_authorization_request(
        &self,
        http: &Http,
        meta: &discovery::ProviderMetadata,
        profile: &Profile,
        credentials: &ClientCredentials,
        endpoint: &Url,
        auth: &mut authorize::AuthorizationRequest,
    ) -> Result<bool, LoginError> {
        let use_par = profile.par || meta.require_pushed_authorization_requests;
        let use_jar = profile.request_object || meta.require_signed_request_object;
        let request_object = if use_jar {
            let key = credentials
                .key
                .as_ref()
                .ok_or(LoginError::RequestObjectNeedsKey {
                    required: !profile.request_object,
                })?;
            let object = request_object::sign(
                key,
                &profile.client_id,
                &meta.issuer,
                &auth.params,
                self.now(),
            )
            .map_err(|e| StoreError::Platform(e.to_string()))?;
            Some(object)
        } else {
            None
        };
        if use_par {
            let par_url = meta
                .pushed_authorization_request_endpoint
                .as_deref()
                .ok_or(LoginError::NoParEndpoint {
                    required: !profile.par,
                })?;
            let form: Vec<(String, String)> = match &request_object {
                Some(object) => vec![("request".into(), object.expose().to_string())],
                None => auth.params.clone(),
            };
            let pushed = par::push(http, meta.url(par_url)?, credentials, &form)
                .await
                .map_err(|e| pushed_request_error(e, profile, &auth.redirect_uri))?;
            auth.url = par::authorization_url(endpoint, &profile.client_id, &pushed);
            return Ok(true);
        }
        if let Some(object) = request_object {
            auth.url = authorize::with_query(
                endpoint,
                &[
                    ("client_id".into(), profile.client_id.clone()),
                    ("request".into(), object.expose().to_string()),
                ],
            );
        }
        Ok(false)
    }

    /// Checks a JARM `response` against the provider's keys (fetched again
    /// once for an unknown key), issuer, client and expiry, and returns the
    /// parameters it carries; a failing row refuses the sign-in.
    async fn open_jarm_response(
        &self,
        http: &Http,
        meta: &discovery::ProviderMetadata,
        profile: &Profile,
        params: &[(String, String)],
        report: &mut ValidationReport,
    ) -> Result<Vec<(String, String)>, LoginError> {
        let response = jarm::response_param(params).ok_or_else(|| {
            // A provider that answered with a plain error redirect instead.
            match params.iter().find(|(k, _)| k == "error") {
                Some((_, e)) => LoginError::AuthorizationRefused { reason: e.clone() },
                None => LoginError::JarmMissing,
            }
        })?;
        let jwt = jarm::decode(response).map_err(LoginError::MalformedJarm)?;
        let mut keys = discovery::fetch_jwks(http, &self.cache(), meta, false).await?;
        let mut rows = jarm::check(&jwt, &keys, &meta.issuer, &profile.client_id, self.now());
        if rows.needs_fresh_keys() {
            keys = discovery::fetch_jwks(http, &self.cache(), meta, true).await?;
            rows = jarm::check(&jwt, &keys, &meta.issuer, &profile.client_id, self.now());
        }
        report.checks.extend(rows.checks);
        if let Some(check) = report.first_failure().cloned() {
            return Err(LoginError::Rejected {
                check,
                report: report.clone(),
            });
        }
        Ok(jarm::params(&jwt))
    }

    /// Validates the ID token and userinfo of a fresh token response.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn check_tokens(
        &self,
        http: &crate::seams::http::Http,
        meta: &discovery::ProviderMetadata,
        profile: &Profile,
        tokens: &TokenResponse,
        nonce: NonceRule<'_>,
        credentials: &ClientCredentials,
        report: &mut ValidationReport,
    ) -> Result<(Map<String, Value>, Option<Map<String, Value>>), LoginError> {
        let id_token = tokens.id_token.as_ref().ok_or(LoginError::NoIdToken)?;
        let jwt = decode_unverified(id_token.expose())?;
        let expect = Expectations {
            issuer: &meta.issuer,
            client_id: &profile.client_id,
            nonce,
            now: self.now(),
            shared_secret: SharedSecret::new(
                credentials.secret.as_ref(),
                &meta.id_token_signing_alg_values_supported,
            ),
            access_token: Some(&tokens.access_token),
            max_age: profile.params.max_age,
            acr_values: profile.params.acr_values.as_deref(),
            allowed_tenants: &profile.tenants,
            original: None,
        };
        let id_report = self
            .validate_with_key_rotation(http, meta, &jwt, &expect)
            .await?;
        report.checks.extend(id_report.checks);
        if let Some(dpop) = &credentials.dpop {
            report.push(dpop_binding_row(tokens, dpop));
        }
        // A failing ID token (or a token not bound as asked) is refused
        // before the access token is used anywhere, userinfo included.
        if let Some(check) = report.first_failure().cloned() {
            return Err(LoginError::Rejected {
                check,
                report: report.clone(),
            });
        }

        let mut userinfo = None;
        if let Some(endpoint) = &meta.userinfo_endpoint {
            let answer = token::userinfo(
                http,
                meta.url(endpoint)?,
                &tokens.access_token,
                credentials.dpop.as_ref(),
                self.now(),
            )
            .await;
            let info = match answer {
                Ok(info) => info,
                // RFC 8707: an access token for another resource (its audience
                // is the API) may be refused at userinfo. The ID token has
                // already established who signed in.
                Err(HttpError::Status {
                    status: 401 | 403, ..
                }) if !profile.params.resource.is_empty() => {
                    report.push(Check::warn(
                        "userinfo_sub",
                        "Userinfo subject",
                        format!(
                            "the userinfo endpoint refused the access token, which is for {} (RFC 8707); the ID token names the user",
                            profile.params.resource.join(", ")
                        ),
                    ));
                    return Ok((jwt.claims, None));
                }
                Err(e) => return Err(e.into()),
            };
            let sub = jwt.claim_str("sub").unwrap_or_default();
            report.push(match info.get("sub").and_then(Value::as_str) {
                Some(s) if s == sub => Check::pass(
                    "userinfo_sub",
                    "Userinfo subject",
                    "userinfo sub matches the ID token",
                ),
                Some(s) => Check::fail(
                    "userinfo_sub",
                    "Userinfo subject",
                    "userinfo sub does not match the ID token sub",
                )
                .with_values(sub, s),
                None => Check::fail(
                    "userinfo_sub",
                    "Userinfo subject",
                    "userinfo response has no sub",
                ),
            });
            userinfo = Some(info);
        }
        if let Some(check) = report.first_failure().cloned() {
            return Err(LoginError::Rejected {
                check,
                report: report.clone(),
            });
        }
        Ok((jwt.claims, userinfo))
    }

    /// The last step of every grant's sign-in: the session made from the
    /// checked tokens, saved with the profile (and a new secret or key)
    /// under the lock, and the outcome a host shows.
    pub(crate) async fn complete_sign_in(
        &self,
        done: Completed<'_>,
    ) -> Result<LoginOutcome, LoginError> {
        let session = self.new_session(
            done.issuer,
            &done.profile,
            done.tokens,
            &done.claims,
            done.userinfo,
        );
        let mut profile = done.profile;
        self.save_login(&mut profile, &session, done.new_secret, done.new_key)
            .await?;
        Ok(LoginOutcome {
            profile,
            session,
            id_token_claims: done.claims,
            report: done.report,
        })
    }

    pub(crate) fn new_session(
        &self,
        issuer: &str,
        profile: &Profile,
        tokens: &TokenResponse,
        claims: &Map<String, Value>,
        userinfo: Option<Map<String, Value>>,
    ) -> Session {
        let now = self.now();
        Session {
            issuer: issuer.to_string(),
            client_id: profile.client_id.clone(),
            subject: claims
                .get("sub")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            token_type: tokens.token_type.clone(),
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            id_token: tokens.id_token.clone(),
            expires_at: expiry(now, tokens),
            scopes: tokens.granted_scopes(&profile.scopes),
            obtained_at: now,
            signed_in_at: now,
            userinfo,
        }
    }

    /// Saves session, secret and profile, in that order, under the lock.
    pub(crate) async fn save_login(
        &self,
        profile: &mut Profile,
        session: &Session,
        new_secret: Option<&SecretString>,
        new_key: Option<&ClientKey>,
    ) -> Result<(), LoginError> {
        let _lock = self.lock(&profile.name).await?;
        let new_key = match new_key {
            Some(key) => {
                profile.client_key = Some(key.info());
                Some(
                    key.to_keyring()
                        .map_err(|e| StoreError::Platform(e.to_string()))?,
                )
            }
            None => {
                self.record_stored_key(profile).await?;
                None
            }
        };
        if new_secret.is_some() {
            profile.client_secret_in_keyring = true;
        }
        let name = profile.name.clone();
        let obtained_at = session.obtained_at;
        let session = session.clone();
        let secret = new_secret.cloned();
        self.with_sessions(move |sessions| {
            sessions.save(&name, &session)?;
            if let Some(secret) = &secret {
                sessions.save_client_secret(&name, secret)?;
            }
            if let Some(key) = &new_key {
                sessions.save_client_key(&name, key)?;
            }
            Ok(())
        })
        .await?;
        let mut file = ProfileFile::load(self.paths())?;
        file.upsert(profile.clone());
        file.save(self.paths())?;
        self.publish(SessionEvent {
            profile: profile.name.clone(),
            change: SessionChange::SignedIn,
            obtained_at: Some(obtained_at),
        });
        Ok(())
    }
}

/// The DPoP row of a token response asked for with a proof.
pub(crate) fn dpop_binding_row(tokens: &TokenResponse, dpop: &DpopBinding) -> Check {
    let claims = decode_unverified(tokens.access_token.expose())
        .ok()
        .map(|jwt| jwt.claims);
    binding::dpop_binding(&tokens.token_type, claims.as_ref(), &dpop.key.thumbprint())
}

/// Access token expiry: from `expires_in`, else from a JWT access token's `exp`.
pub(crate) fn expiry(now: i64, tokens: &TokenResponse) -> Option<i64> {
    tokens.expires_in.map(|s| now + s).or_else(|| {
        decode_unverified(tokens.access_token.expose())
            .ok()
            .and_then(|jwt| jwt.claim_time("exp"))
    })
}

/// Where the redirect comes back.
enum Arrival {
    /// Tessera's own 127.0.0.1 listener.
    Loopback(LoopbackListener),
    /// URLs the OS handed to the desktop app for a custom scheme.
    Scheme(mpsc::Receiver<String>),
}

/// The redirect's parameters, and the browser request still waiting for its
/// page when it came over loopback.
struct Arrived {
    params: Vec<(String, String)>,
    held: Option<Callback>,
}

/// Whether a redirect belongs to this sign-in: its `state`, compared in
/// constant time. Any other redirect (a stale tab, a forged link, a page
/// probing the port) is ignored and the sign-in keeps waiting; it must not
/// end a sign-in it does not belong to.
///
/// A JARM redirect carries `state` inside its `response` JWT: it is read
/// there, unverified, only to pick this sign-in's redirect; the JWT is
/// checked before anything in it is used.
fn carries_state(params: &[(String, String)], state: &SecretString) -> bool {
    let plain = params
        .iter()
        .any(|(k, v)| k == "state" && state.constant_time_eq(v));
    plain
        || jarm::response_param(params)
            .and_then(|r| jarm::decode(r).ok())
            .and_then(|jwt| jwt.claim_str("state").map(|v| state.constant_time_eq(v)))
            .unwrap_or(false)
}

impl Arrival {
    async fn next(
        self,
        redirect_uri: &str,
        wait: Duration,
        state: &SecretString,
    ) -> Result<Arrived, ListenError> {
        let accept = |params: &[(String, String)]| carries_state(params, state);
        match self {
            Arrival::Loopback(listener) => {
                let callback = listener.next_callback(wait, &accept).await?;
                Ok(Arrived {
                    params: callback.params.clone(),
                    held: Some(callback),
                })
            }
            Arrival::Scheme(mut urls) => {
                let mut ignored = 0;
                let until = tokio::time::Instant::now() + wait;
                loop {
                    let timed_out = |ignored| ListenError::TimedOut {
                        redirect_uri: redirect_uri.to_string(),
                        ignored,
                    };
                    let received = tokio::time::timeout_at(until, urls.recv())
                        .await
                        .map_err(|_| timed_out(ignored))?
                        .ok_or_else(|| timed_out(ignored))?;
                    match scheme_redirect_params(&received, redirect_uri) {
                        Some(params) if accept(&params) => {
                            return Ok(Arrived { params, held: None })
                        }
                        Some(_) => {
                            ignored += 1;
                            tracing::debug!("ignored a redirect with another sign-in's state");
                        }
                        // Another URL for Tessera's scheme: not a redirect at all.
                        None => tracing::debug!(
                            "ignored a custom-scheme URL that is not the redirect URI"
                        ),
                    }
                }
            }
        }
    }
}

/// The query parameters of `received` when it is `redirect_uri` plus a query.
pub fn scheme_redirect_params(received: &str, redirect_uri: &str) -> Option<Vec<(String, String)>> {
    let (base, _) = received.split_once('?').unwrap_or((received, ""));
    let base = base.split('#').next().unwrap_or(base);
    if base != redirect_uri {
        return None;
    }
    let url = Url::parse(received).ok()?;
    Some(
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// Sends the authorization request without a browser. A provider that
/// accepts it answers with a redirect to its login page (or the login page
/// itself); one that refuses the client or the redirect URI answers 4xx with
/// an error page, which must not become a redirect (RFC 6749 §4.1.2.1). The
/// error code is picked out of the page: it names no secret.
async fn check_authorization_request(
    http: &Http,
    url: &Url,
    client_id: &str,
    redirect_uri: &str,
) -> Result<(), LoginError> {
    let response = http
        .send_raw(HttpRequest::get(Endpoint::Authorization, url.clone()))
        .await?;
    if !(400..500).contains(&response.status) {
        return Ok(());
    }
    let body = String::from_utf8_lossy(&response.body).to_lowercase();
    let code = oauth_error_code(&body);
    let reason = code
        .clone()
        .unwrap_or_else(|| format!("HTTP {}", response.status));
    let mentions = |word: &str| code.as_deref().unwrap_or(&body).contains(word);
    Err(if mentions("redirect") {
        LoginError::RedirectUriRejected {
            redirect_uri: redirect_uri.to_string(),
            client_id: client_id.to_string(),
            reason,
        }
    } else if mentions("client") {
        LoginError::ClientRejected {
            client_id: client_id.to_string(),
            reason,
        }
    } else {
        LoginError::AuthorizationRefused { reason }
    })
}

/// The first OAuth-style error code (`invalid_client`, `unauthorized_client`,
/// `invalid_redirect_uri`, …) in an error page.
fn oauth_error_code(body: &str) -> Option<String> {
    const CODES: &[&str] = &[
        "invalid_redirect_uri",
        "redirect_uri_mismatch",
        "invalid_client",
        "unauthorized_client",
        "invalid_request",
        "invalid_scope",
        "unsupported_response_type",
        "access_denied",
    ];
    CODES
        .iter()
        .filter_map(|c| body.find(c).map(|at| (at, *c)))
        .min()
        .map(|(_, c)| c.to_string())
}

impl EngineError for LoginError {
    fn kind(&self) -> ErrorKind {
        match self {
            LoginError::Profile(e) => e.kind(),
            LoginError::Discovery(e) => e.kind(),
            LoginError::Http(e) => e.kind(),
            LoginError::Listen(e) => e.kind(),
            LoginError::Callback(e) => e.kind(),
            LoginError::Browser(e) => e.kind(),
            LoginError::Store(e) => e.kind(),
            LoginError::Lock(e) => e.kind(),
            LoginError::Rejected { .. }
            | LoginError::MalformedIdToken(_)
            | LoginError::NoIdToken => ErrorKind::ValidationFailed,
            LoginError::RedirectUriRejected { .. } => ErrorKind::RedirectUriRejected,
            LoginError::ClientRejected { .. } => ErrorKind::ClientRejected,
            LoginError::AuthorizationRefused { .. } => ErrorKind::Provider,
            LoginError::CustomSchemeNeedsApp(_) => ErrorKind::InvalidProfile,
            LoginError::DeviceDenied => ErrorKind::Denied,
            LoginError::DeviceExpired => ErrorKind::CodeExpired,
            LoginError::DeviceTimedOut { .. } => ErrorKind::TimedOut,
            LoginError::NoDeviceEndpoint => ErrorKind::Unsupported,
            LoginError::ClientAuthRefused { .. } => ErrorKind::ClientRejected,
            LoginError::NoParEndpoint { .. } => ErrorKind::Unsupported,
            LoginError::RequestObjectNeedsKey { .. } => ErrorKind::InvalidProfile,
            LoginError::JarmMissing | LoginError::MalformedJarm(_) => ErrorKind::ValidationFailed,
            LoginError::DpopProofRejected { .. } => ErrorKind::ClientRejected,
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            LoginError::Profile(e) => e.facts(),
            LoginError::Discovery(e) => e.facts(),
            LoginError::Http(e) => e.facts(),
            LoginError::Listen(e) => e.facts(),
            LoginError::Store(e) => e.facts(),
            LoginError::Lock(e) => e.facts(),
            LoginError::RedirectUriRejected {
                redirect_uri,
                client_id,
                ..
            } => ErrorFacts {
                redirect_uri: Some(redirect_uri.clone()),
                client_id: Some(client_id.clone()),
                ..ErrorFacts::default()
            },
            LoginError::ClientRejected { client_id, .. }
            | LoginError::ClientAuthRefused { client_id, .. } => ErrorFacts {
                client_id: Some(client_id.clone()),
                ..ErrorFacts::default()
            },
            LoginError::CustomSchemeNeedsApp(uri) => ErrorFacts {
                redirect_uri: Some(uri.clone()),
                ..ErrorFacts::default()
            },
            _ => ErrorFacts::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_url_matches_only_its_exact_redirect_uri() {
        let params = scheme_redirect_params(
            "dev.tessera.app:/callback?code=c&state=s",
            "dev.tessera.app:/callback",
        )
        .expect("the redirect URI with a query matches");
        assert_eq!(
            params,
            [
                ("code".to_string(), "c".to_string()),
                ("state".to_string(), "s".to_string())
            ],
            "all query parameters are passed on"
        );
        assert!(
            scheme_redirect_params("dev.tessera.app:/other?code=c", "dev.tessera.app:/callback")
                .is_none(),
            "another path is not the redirect"
        );
        assert!(
            scheme_redirect_params(
                "dev.tessera.appx:/callback?code=c",
                "dev.tessera.app:/callback"
            )
            .is_none(),
            "another scheme is not the redirect"
        );
    }

    #[test]
    fn error_pages_are_read_for_the_first_oauth_error_code() {
        assert_eq!(
            oauth_error_code("<p>invalid_redirect_uri: redirect_uri did not match</p>").as_deref(),
            Some("invalid_redirect_uri"),
            "the code that appears first wins"
        );
        assert_eq!(
            oauth_error_code("error 401: invalid_client").as_deref(),
            Some("invalid_client"),
            "Google-style pages"
        );
        assert_eq!(
            oauth_error_code("something broke"),
            None,
            "no code, no guess"
        );
    }
}
