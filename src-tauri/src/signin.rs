//! Sign-in as the window and the tray start it: one engine login, with its
//! progress turned into `sign-in` events, cancellable, one at a time.
//!
//! The engine does all of the OpenID Connect work (discovery, PKCE, the
//! loopback listener, validation, saving). This module only runs it on a
//! task the user can cancel and tells the window what is happening.

use std::time::Duration;

use tauri::{AppHandle, Manager};
use tessera_engine::browser;
use tessera_engine::login::DEFAULT_LOGIN_TIMEOUT;
use tessera_engine::profile::{Grant, Redirect};
use tessera_engine::{LoginProgress, LoginRequest};
use tokio::sync::mpsc;

use crate::dto::{SessionView, SignInEvent, SignInPhase};
use crate::error::IpcError;
use crate::state::Shell;
use crate::{events, notify};

/// Who asked: a tray-started sign-in reports its end as a notification,
/// since the window may be hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Window,
    Tray,
}

/// Signs in to `profile` and returns the new session as shown.
pub async fn run(app: AppHandle, profile: String, origin: Origin) -> Result<SessionView, IpcError> {
    let shell = app.state::<Shell>();
    let settings = shell.engine.profile(Some(&profile))?;
    let (scheme_tx, scheme_rx) = match settings.redirect {
        Redirect::CustomScheme { .. } => {
            crate::deep_link::register(&app);
            let (tx, rx) = mpsc::channel(4);
            (Some(tx), Some(rx))
        }
        Redirect::Loopback { .. } => (None, None),
    };
    let timeout = match settings.grant {
        // A device code is typed on another device: give it the code's own
        // lifetime (the provider's expiry ends it sooner).
        Grant::DeviceCode => DEVICE_TIMEOUT,
        _ => DEFAULT_LOGIN_TIMEOUT,
    };
    let engine = shell.engine.clone();
    // The deadline counts from when the browser opened, read off the clock
    // seam at that moment (discovery and the listener come first).
    let clock = shell.engine.clone();
    let progress_app = app.clone();
    let progress_profile = profile.clone();
    let task = tokio::spawn(async move {
        // TESSERA_BROWSER, else the profile's own command, else the system
        // browser: the engine's one order (the window gives no command).
        let launcher = browser::choose(None, settings.browser.as_deref())?;
        let progress = move |step: LoginProgress| {
            let phase = match step {
                LoginProgress::BrowserOpened {
                    url,
                    redirect_uri,
                    wait,
                } => waiting(clock.now(), url, redirect_uri, wait, None),
                LoginProgress::BrowserFailed {
                    url,
                    redirect_uri,
                    wait,
                    reason,
                } => waiting(clock.now(), url, redirect_uri, wait, Some(reason)),
                LoginProgress::Exchanging => SignInPhase::Exchanging,
                LoginProgress::DeviceCode {
                    user_code,
                    verification_uri,
                    verification_uri_complete,
                    expires_in,
                    browser_opened,
                } => SignInPhase::Device {
                    qr: qr_rows(
                        verification_uri_complete
                            .as_deref()
                            .unwrap_or(&verification_uri),
                    ),
                    user_code,
                    verification_uri,
                    verification_uri_complete,
                    deadline: clock.now() + expires_in.as_secs() as i64,
                    browser_opened,
                },
                _ => return,
            };
            events::sign_in(
                &progress_app,
                &SignInEvent {
                    profile: progress_profile.clone(),
                    phase,
                },
            );
        };
        engine
            .login(LoginRequest {
                profile: settings,
                client_secret: None,
                client_key: None,
                browser: launcher.as_ref(),
                timeout,
                progress: &progress,
                scheme_redirects: scheme_rx,
                preflight: true,
            })
            .await
            .map_err(IpcError::from)
    });
    let id = shell.begin_sign_in(&profile, task.abort_handle(), scheme_tx);

    let result = match task.await {
        Ok(Ok(outcome)) => {
            shell.observe(&profile, &outcome.session);
            Ok(SessionView::new(&profile, &outcome.session))
        }
        Ok(Err(e)) => Err(e),
        Err(join) if join.is_cancelled() => Err(IpcError::cancelled()),
        Err(join) => Err(IpcError::plain(format!(
            "sign-in stopped unexpectedly: {join}"
        ))),
    };
    shell.end_sign_in(id);

    let phase = match &result {
        Ok(view) => SignInPhase::SignedIn {
            user: view.display_name.clone(),
        },
        Err(e) => SignInPhase::Failed { error: e.clone() },
    };
    events::sign_in(
        &app,
        &SignInEvent {
            profile: profile.clone(),
            phase,
        },
    );
    if origin == Origin::Tray {
        match &result {
            Ok(view) => notify::show(
                &app,
                "Signed in",
                &format!("{} on profile {profile}", view.display_name),
            ),
            Err(e) if e.code == Some(crate::error::ErrorCode::Cancelled) => {}
            Err(e) => notify::show(&app, "Sign-in failed", &e.message),
        }
    }
    if result.is_ok() {
        crate::window::show(&app);
    }
    result
}

/// How long the app waits for a device code to be approved.
const DEVICE_TIMEOUT: Duration = Duration::from_secs(900);

/// A QR code of `uri` as rows of modules, `1` dark, with no quiet zone (the
/// window draws its own margin); empty if the URI is too long to encode.
fn qr_rows(uri: &str) -> Vec<String> {
    let Ok(code) = qrcode::QrCode::new(uri.as_bytes()) else {
        return Vec::new();
    };
    let width = code.width();
    code.to_colors()
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect()
}

fn waiting(
    now: i64,
    url: String,
    redirect_uri: String,
    wait: Duration,
    browser_error: Option<String>,
) -> SignInPhase {
    SignInPhase::Waiting {
        url,
        redirect_uri,
        deadline: now + wait.as_secs() as i64,
        browser_error,
    }
}

/// Cancels the sign-in in flight, if any, and tells the window. Its state,
/// nonce and verifier die with its task.
pub fn cancel(app: &AppHandle, shell: &Shell) {
    if let Some(profile) = shell.cancel_sign_in() {
        events::sign_in(
            app,
            &SignInEvent {
                profile,
                phase: SignInPhase::Failed {
                    error: IpcError::cancelled(),
                },
            },
        );
    }
}
