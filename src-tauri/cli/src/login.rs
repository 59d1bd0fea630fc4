//! `tessera login`: the profile from the flags (created or updated), then one
//! engine sign-in with progress on stderr.

use std::time::Duration;

use serde_json::json;
use tessera_engine::browser;
use tessera_engine::login::{LoginProgress, LoginRequest, DEFAULT_LOGIN_TIMEOUT};
use tessera_engine::profile::{
    AssertionAudience, ClientAuthMethod, Grant, Profile, ProfileError, Redirect, ResponseMode,
};
use tessera_engine::protocol::client_key::ClientKey;
use tessera_engine::secret::SecretString;
use tessera_engine::session::resource::{ClientChoice, ResourceSetUp, ResourceSetUpRequest};
use tessera_engine::Engine;

use crate::args::{AssertionAudienceArg, ClientAuth, GrantArg, LoginArgs, ResponseModeArg};
use crate::failure::Failure;
use crate::output::{expires_phrase, print_json, say};
use crate::terminal::escape_line;

/// The profile `args` name (or the default one), created from `--issuer` and
/// `--client-id` when it does not exist, with the flags applied.
pub(crate) fn profile_from_args(engine: &Engine, args: &LoginArgs) -> Result<Profile, Failure> {
    let file = engine.profiles()?;
    let name = file.resolve_name(args.profile.as_deref());
    let mut profile = match (file.get(&name), &args.issuer, &args.client_id) {
        (Ok(existing), _, _) => existing.clone(),
        (Err(_), Some(issuer), Some(client_id)) => Profile::new(&name, issuer, client_id),
        (Err(_), _, _) => return Err(Failure::from(ProfileError::NotFound(name))),
    };
    apply_overrides(&mut profile, args);
    Ok(profile)
}

/// `--resource-url`: the profile set up from the API's metadata (saved
/// before the sign-in, so a failed sign-in can be retried by name).
async fn set_up_from_resource(
    engine: &Engine,
    url: &str,
    args: &LoginArgs,
) -> Result<ResourceSetUp, Failure> {
    let client = match (&args.client_id, args.register) {
        (Some(id), _) => ClientChoice::Given(id.clone()),
        (None, true) => ClientChoice::Register,
        (None, false) => ClientChoice::Automatic,
    };
    let set_up = engine
        .set_up_from_resource(ResourceSetUpRequest {
            url: url.to_string(),
            profile: args.profile.clone(),
            client,
        })
        .await?;
    let how = match (set_up.reused, set_up.registered) {
        (true, _) => "the profile made for it before".to_string(),
        (false, true) => format!(
            "client {} registered now (RFC 7591)",
            set_up.profile.client_id
        ),
        (false, false) => format!("client {}", set_up.profile.client_id),
    };
    eprintln!(
        "{}",
        escape_line(&format!(
            "The API {} is signed in to at {}; profile \"{}\" uses {how}.",
            set_up.resource, set_up.profile.issuer, set_up.profile.name
        ))
    );
    Ok(set_up)
}

pub(crate) async fn login(engine: &Engine, args: LoginArgs) -> Result<(), Failure> {
    let (profile, from_resource) = match &args.resource_url {
        Some(url) => {
            let set_up = set_up_from_resource(engine, url, &args).await?;
            let mut profile = set_up.profile.clone();
            apply_overrides(&mut profile, &args);
            (profile, Some(set_up.resource))
        }
        None => (profile_from_args(engine, &args)?, None),
    };
    let launcher: Box<dyn browser::BrowserLauncher> = if args.no_browser {
        Box::new(browser::NoBrowser)
    } else {
        browser::choose(args.browser.as_deref(), profile.browser.as_deref())?
    };
    let default_timeout = match profile.grant {
        // A device code is typed on another device: allow the code's own
        // lifetime (the provider's expiry still ends it sooner).
        Grant::DeviceCode => DEFAULT_DEVICE_TIMEOUT,
        _ => DEFAULT_LOGIN_TIMEOUT,
    };
    let progress = |step: LoginProgress| match step {
        LoginProgress::BrowserOpened {
            url, redirect_uri, ..
        } => {
            eprintln!("Opened the browser to sign in (waiting for {redirect_uri}).");
            eprintln!("If it did not open, visit:\n  {url}");
        }
        LoginProgress::BrowserFailed { url, reason, .. } => {
            eprintln!("{}", escape_line(&reason));
            eprintln!("Open this URL to sign in:\n  {url}");
        }
        LoginProgress::Exchanging => eprintln!("Signed in at the provider; checking tokens…"),
        LoginProgress::DeviceCode {
            user_code,
            verification_uri,
            verification_uri_complete,
            expires_in,
            browser_opened,
        } => {
            let user_code = escape_line(&user_code);
            eprintln!(
                "To sign in, visit {} and enter the code\n\n    {user_code}\n",
                escape_line(&verification_uri)
            );
            if let Some(complete) = &verification_uri_complete {
                if let Some(qr) = terminal_qr(complete) {
                    eprintln!("or scan this code to open the page with the code filled in:\n{qr}");
                }
            }
            eprintln!(
                "{}The code expires in {} min; waiting for approval…",
                if browser_opened {
                    "Opened the browser there. "
                } else {
                    ""
                },
                expires_in.as_secs().div_ceil(60)
            );
        }
        LoginProgress::DeviceSlowDown { interval } => eprintln!(
            "The provider asked Tessera to poll less often: every {} s now.",
            interval.as_secs()
        ),
        _ => {}
    };
    let outcome = engine
        .login(LoginRequest {
            profile,
            client_secret: args.client_secret.clone().map(SecretString::new),
            client_key: certificate_key(&args)?,
            browser: launcher.as_ref(),
            timeout: args
                .timeout
                .map(Duration::from_secs)
                .unwrap_or(default_timeout),
            progress: &progress,
            scheme_redirects: None,
            preflight: false,
        })
        .await?;
    let session = &outcome.session;
    let has_user = outcome.profile.grant.has_user();
    let dpop_jkt = engine.dpop_jkt(&outcome.profile.name).await?;
    if args.json {
        let mut out = json!({
            "dpop_jkt": dpop_jkt,
            "profile": outcome.profile.name,
            "grant": outcome.profile.grant,
            "subject": has_user.then_some(&session.subject),
            "issuer": session.issuer,
            "id_token_claims": has_user.then_some(&outcome.id_token_claims),
            "userinfo": session.userinfo,
            "access_token": session.access_token.expose(),
            "token_type": session.token_type,
            "expires_at": session.expires_at,
            "refresh_token_present": session.refresh_token.is_some(),
            "scopes": session.scopes,
            "checks": outcome.report.checks,
        });
        if let Some(resource) = &from_resource {
            out["resource"] = json!(resource);
            out["client_id"] = json!(session.client_id);
        }
        print_json(&out);
    } else if !has_user {
        say(&format!(
            "Got a token from {} for client {} (profile \"{}\"); {} checks passed; the access token {}.",
            session.issuer,
            session.client_id,
            outcome.profile.name,
            outcome.report.checks.len(),
            expires_phrase(session.expires_at, engine.now()),
        ));
    } else {
        let who = session.display_name();
        say(&format!(
            "Signed in to {} as {who} (profile \"{}\"); {} checks passed; the access token {}.",
            session.issuer,
            outcome.profile.name,
            outcome.report.checks.len(),
            expires_phrase(session.expires_at, engine.now()),
        ));
    }
    Ok(())
}

/// The key and certificate `--client-key` and `--client-cert` name, read for
/// mutual TLS; kept in the keyring only once the command succeeds.
pub(crate) fn certificate_key(args: &LoginArgs) -> Result<Option<ClientKey>, Failure> {
    let (Some(cert), Some(key)) = (&args.client_cert, &args.client_key) else {
        return Ok(None);
    };
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))
    };
    let key = ClientKey::from_pem(&read(key)?, Some(&read(cert)?), None)
        .map_err(|e| Failure::from(tessera_engine::session::keys::KeysError::from(e)))?;
    Ok(Some(key))
}

/// How long the command line waits for a device code to be approved unless
/// told otherwise.
const DEFAULT_DEVICE_TIMEOUT: Duration = Duration::from_secs(900);

/// The URI as a QR code drawn with half-block characters, dark on light so
/// phones read it on dark terminals too; `None` if it is too long to encode.
fn terminal_qr(uri: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

fn apply_overrides(p: &mut Profile, a: &LoginArgs) {
    if let Some(v) = &a.issuer {
        p.issuer = v.clone();
    }
    if let Some(v) = &a.client_id {
        p.client_id = v.clone();
    }
    if let Some(v) = a.client_auth {
        p.client_auth = match v {
            ClientAuth::None => ClientAuthMethod::None,
            ClientAuth::Basic => ClientAuthMethod::ClientSecretBasic,
            ClientAuth::Post => ClientAuthMethod::ClientSecretPost,
            ClientAuth::ClientSecretJwt => ClientAuthMethod::ClientSecretJwt,
            ClientAuth::PrivateKeyJwt => ClientAuthMethod::PrivateKeyJwt,
            ClientAuth::Tls => ClientAuthMethod::TlsClientAuth,
            ClientAuth::SelfSignedTls => ClientAuthMethod::SelfSignedTlsClientAuth,
        };
    }
    if let Some(v) = a.grant {
        p.grant = match v {
            GrantArg::AuthorizationCode => Grant::AuthorizationCode,
            GrantArg::Device => Grant::DeviceCode,
            GrantArg::ClientCredentials => Grant::ClientCredentials,
        };
    }
    if a.par {
        p.par = true;
    }
    if a.dpop {
        p.dpop = true;
    }
    if a.dpop_alg.is_some() {
        p.dpop_alg = a.dpop_alg;
    }
    if a.request_object {
        p.request_object = true;
    }
    if let Some(mode) = a.response_mode {
        p.response_mode = match mode {
            ResponseModeArg::Query => ResponseMode::Query,
            ResponseModeArg::Jwt => ResponseMode::Jwt,
        };
    }
    if let Some(v) = a.assertion_audience {
        p.assertion_audience = match v {
            AssertionAudienceArg::Issuer => AssertionAudience::Issuer,
            AssertionAudienceArg::TokenEndpoint => AssertionAudience::TokenEndpoint,
        };
    }
    if let Some(v) = &a.scope {
        p.scopes = v.split_whitespace().map(str::to_owned).collect();
    }
    if a.redirect_port.is_some() || a.redirect_path.is_some() {
        let (old_port, old_path) = match &p.redirect {
            Redirect::Loopback { port, path } => (*port, path.clone()),
            Redirect::CustomScheme { .. } => (0, "/callback".to_string()),
        };
        p.redirect = Redirect::Loopback {
            port: a.redirect_port.unwrap_or(old_port),
            path: a.redirect_path.clone().unwrap_or(old_path),
        };
    }
    if let Some(uri) = &a.redirect_uri {
        p.redirect = Redirect::CustomScheme { uri: uri.clone() };
    }
    if let Some(v) = &a.browser {
        p.browser = Some(v.clone());
    }
    let params = &mut p.params;
    for (field, value) in [
        (&mut params.prompt, &a.prompt),
        (&mut params.acr_values, &a.acr_values),
        (&mut params.ui_locales, &a.ui_locales),
        (&mut params.login_hint, &a.login_hint),
        (&mut params.claims, &a.claims),
        (&mut params.audience, &a.audience),
    ] {
        if value.is_some() {
            *field = value.clone();
        }
    }
    if a.max_age.is_some() {
        params.max_age = a.max_age;
    }
    if !a.tenants.is_empty() {
        p.tenants = a.tenants.clone();
    }
    if !a.resource.is_empty() {
        params.resource = a.resource.clone();
    }
    if let Some(v) = &a.ca_file {
        p.ca_file = Some(v.clone());
    }
    if a.allow_insecure_http {
        p.allow_insecure_http = true;
    }
    if let Some(v) = &a.post_logout_redirect_uri {
        p.post_logout_redirect_uri = Some(v.clone());
    }
}
