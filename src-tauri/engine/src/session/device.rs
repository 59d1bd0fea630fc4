//! Sign-in with the device authorization grant (RFC 8628), for a machine
//! where the browser is elsewhere (a terminal over SSH, a TV) or simply by
//! choice.
//!
//! 1. discovery; the provider must advertise `device_authorization_endpoint`
//!    (`NoDeviceEndpoint` otherwise);
//! 2. the device authorization request, with the client's authentication,
//!    scopes, `resource` and `audience`;
//! 3. the host shows the user code and the verification URI
//!    ([`LoginProgress::DeviceCode`]); the browser opens at
//!    `verification_uri_complete` (else `verification_uri`) unless the host
//!    passed [`crate::seams::browser::NoBrowser`];
//! 4. polling by [`crate::protocol::device::DevicePolling`]'s table:
//!    `access_denied` → `DeviceDenied`, `expired_token` or the code's
//!    lifetime → `DeviceExpired`, the sign-in's time limit → `DeviceTimedOut`, any other error → that error (`invalid_client` named as the
//!    client's authentication);
//! 5. the tokens are checked as in the code flow, except that no nonce was
//!    sent, so none is required; then saved under the lock like any sign-in.

use std::time::Duration;

use crate::engine::Engine;
use crate::protocol::device::{self, DevicePolling, DeviceStop, PollAnswer, PollDecision};
use crate::protocol::discovery;
use crate::protocol::token;
use crate::protocol::validate::{NonceRule, ValidationReport};
use crate::seams::http::Deadline;
use crate::seams::operations::StepKind;
use crate::session::login::{
    token_error, Completed, LoginError, LoginOutcome, LoginProgress, LoginRequest,
};

impl Engine {
    /// Signs in with the device flow (see the module's steps).
    pub(crate) async fn login_with_device_code(
        &self,
        request: LoginRequest<'_>,
    ) -> Result<LoginOutcome, LoginError> {
        let LoginRequest {
            profile,
            client_secret,
            client_key,
            browser,
            timeout,
            progress,
            ..
        } = request;
        let deadline = Deadline::after(timeout);
        let http = self
            .http_for_profile(&profile, client_key.as_ref())
            .await?
            .with_deadline(deadline);
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        let endpoint = meta
            .device_authorization_endpoint
            .as_deref()
            .ok_or(LoginError::NoDeviceEndpoint)?;
        let mut credentials = self
            .credentials(&profile, client_secret.clone(), client_key.clone(), &meta)
            .await?;
        let scope = profile.scopes.join(" ");
        let mut form: Vec<(&str, &str)> = vec![("scope", &scope)];
        for r in &profile.params.resource {
            form.push(("resource", r));
        }
        if let Some(a) = &profile.params.audience {
            form.push(("audience", a));
        }
        let authorization = device::request(&http, meta.url(endpoint)?, &credentials, &form)
            .await
            .map_err(|e| token_error(e, &profile))?;
        let open_at = authorization
            .verification_uri_complete
            .clone()
            .unwrap_or_else(|| authorization.verification_uri.clone());
        let browser_opened = browser.open(&open_at).is_ok();
        self.operations().step(
            StepKind::DeviceCodeShown,
            authorization.verification_uri.clone(),
        );
        progress(LoginProgress::DeviceCode {
            user_code: device::group_user_code(&authorization.user_code),
            verification_uri: authorization.verification_uri.clone(),
            verification_uri_complete: authorization.verification_uri_complete.clone(),
            expires_in: Duration::from_secs(authorization.expires_in.max(0) as u64),
            browser_opened,
        });

        let token_url = meta.token_url()?;
        let mut polling = DevicePolling::new(&authorization, self.now());
        let mut decision = polling.first_poll(self.now());
        let tokens = loop {
            let at = match decision {
                PollDecision::PollAt(at) => at,
                PollDecision::Stop(DeviceStop::Denied) => return Err(LoginError::DeviceDenied),
                PollDecision::Stop(DeviceStop::Expired) => return Err(LoginError::DeviceExpired),
            };
            let wait = Duration::from_secs((at - self.now()).max(0) as u64);
            if deadline.remaining().is_some_and(|left| left < wait) {
                return Err(LoginError::DeviceTimedOut {
                    waited: timeout.as_secs(),
                });
            }
            tokio::time::sleep(wait).await;
            // Each poll's assertion is new: a fresh jti and iat.
            credentials.now = self.now();
            match token::device_code(
                &http,
                token_url.clone(),
                &credentials,
                &authorization.device_code,
            )
            .await
            {
                Ok(tokens) => break tokens,
                Err(e) => match PollAnswer::from_error(&e) {
                    Some(answer) => {
                        decision = polling.after(answer, self.now());
                        if answer == PollAnswer::SlowDown {
                            progress(LoginProgress::DeviceSlowDown {
                                interval: Duration::from_secs(polling.interval() as u64),
                            });
                        }
                    }
                    None => return Err(token_error(e, &profile)),
                },
            }
        };
        self.operations().step(
            StepKind::DeviceApproved,
            authorization.verification_uri.clone(),
        );
        progress(LoginProgress::Exchanging);

        let mut report = ValidationReport::default();
        let (claims, userinfo) = self
            .check_tokens(
                &http,
                &meta,
                &profile,
                &tokens,
                NonceRule::NotSent,
                &credentials,
                &mut report,
            )
            .await?;
        self.complete_sign_in(Completed {
            profile,
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
}
