//! `tessera`: sign in to an OpenID provider from a terminal and hand the
//! access token to scripts:
//!
//! ```text
//! curl -H "Authorization: Bearer $(tessera token)" https://api.example/me
//! ```
//!
//! Every command is one call into the engine; this file only parses
//! arguments and prints results. Tokens go to stdout only where a command's
//! purpose is to print them (`token`, `login --json`).

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use tessera_engine::browser::{self, BrowserLauncher};
use tessera_engine::clock::format_utc;
use tessera_engine::login::{LoginProgress, LoginRequest, DEFAULT_LOGIN_TIMEOUT};
use tessera_engine::profile::{ClientAuthMethod, Profile, Redirect};
use tessera_engine::profiles::SecretChange;
use tessera_engine::secret::SecretString;
use tessera_engine::session::Session;
use tessera_engine::token::TokenKind;
use tessera_engine::{Engine, LogoutOptions};

mod call;
mod decode;

#[derive(Parser)]
#[command(name = "tessera", version, about = "Sign in to OpenID Connect providers and use the tokens", long_about = None)]
struct Cli {
    /// Log HTTP calls (method, URL without query, status, timing) to stderr; never tokens.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in through the browser and save the session in the OS keyring.
    Login(Box<LoginArgs>),
    /// Print a valid access token, refreshing it first when needed.
    Token {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        /// Print a JSON object with the token and its metadata.
        #[arg(long)]
        json: bool,
        /// Print the session's ID token instead (e.g. for `tessera decode -`).
        #[arg(long, conflicts_with = "json")]
        id_token: bool,
    },
    /// Refresh the session now, even if the access token is still valid.
    Refresh {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Sign out: delete the local session, optionally revoke and end the provider session.
    Logout {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        /// Revoke the refresh and access tokens at the provider (RFC 7009) first.
        #[arg(long)]
        revoke: bool,
        /// Open the provider's end-session page (RP-initiated logout).
        #[arg(long)]
        end_session: bool,
        /// Command that opens the end-session URL instead of the system browser.
        #[arg(long, env = "TESSERA_BROWSER")]
        browser: Option<String>,
    },
    /// Ask the provider about a token (RFC 7662) and print its answer as JSON.
    Introspect {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        #[arg(long, value_enum, default_value = "access")]
        token: WhichToken,
    },
    /// Decode a JWT (header and claims, offline); --verify adds the validation report.
    Decode(decode::DecodeArgs),
    /// Call an API with the access token (refreshed when needed); non-2xx exits 22.
    Call(call::CallArgs),
    /// Manage saved profiles.
    #[command(subcommand)]
    Profiles(ProfilesCommand),
}

#[derive(Clone, Copy, ValueEnum)]
enum WhichToken {
    Access,
    Refresh,
}

#[derive(Subcommand)]
enum ProfilesCommand {
    /// List profiles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a profile and its session status.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Create or update a profile without signing in (the flags of `login`).
    Save(Box<LoginArgs>),
    /// Remove a profile, its session and its client secret.
    Remove { name: String },
}

#[derive(Args)]
struct LoginArgs {
    /// Profile to use or create.
    #[arg(long, env = "TESSERA_PROFILE")]
    profile: Option<String>,
    /// Issuer URL (discovery at <issuer>/.well-known/openid-configuration).
    #[arg(long)]
    issuer: Option<String>,
    /// OAuth client id.
    #[arg(long)]
    client_id: Option<String>,
    /// Client secret, for confidential clients; stored in the OS keyring. Prefer TESSERA_CLIENT_SECRET.
    #[arg(long, env = "TESSERA_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// How to send the client secret.
    #[arg(long, value_enum)]
    client_auth: Option<ClientAuth>,
    /// Space-separated scopes (openid is always included).
    #[arg(long)]
    scope: Option<String>,
    /// Loopback redirect port on 127.0.0.1 (0 = any free port).
    #[arg(long)]
    redirect_port: Option<u16>,
    /// Loopback redirect path.
    #[arg(long)]
    redirect_path: Option<String>,
    /// A private-use URI scheme redirect such as dev.tessera.app:/callback,
    /// received by the desktop app only (for `profiles save`).
    #[arg(long, conflicts_with_all = ["redirect_port", "redirect_path"])]
    redirect_uri: Option<String>,
    /// Command that opens the sign-in URL (the URL is appended), instead of the system browser.
    #[arg(long)]
    browser: Option<String>,
    /// Seconds allowed for the whole sign-in.
    #[arg(long)]
    timeout: Option<u64>,
    /// `prompt` parameter (login, consent, select_account, none).
    #[arg(long)]
    prompt: Option<String>,
    /// `max_age` parameter, seconds.
    #[arg(long)]
    max_age: Option<u64>,
    /// `acr_values` parameter.
    #[arg(long)]
    acr_values: Option<String>,
    /// `ui_locales` parameter.
    #[arg(long)]
    ui_locales: Option<String>,
    /// `login_hint` parameter.
    #[arg(long)]
    login_hint: Option<String>,
    /// `claims` parameter (a JSON object).
    #[arg(long)]
    claims: Option<String>,
    /// RFC 8707 resource indicator (repeatable).
    #[arg(long)]
    resource: Vec<String>,
    /// `audience` parameter.
    #[arg(long)]
    audience: Option<String>,
    /// Extra CA certificate (PEM) for a development provider.
    #[arg(long)]
    ca_file: Option<std::path::PathBuf>,
    /// Allow plain http to a non-loopback provider.
    #[arg(long)]
    allow_insecure_http: bool,
    /// Registered post-logout redirect URI, used by `logout --end-session`.
    #[arg(long)]
    post_logout_redirect_uri: Option<String>,
    /// Print the result as one JSON object (includes the access token).
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClientAuth {
    Basic,
    Post,
}

type CliResult = Result<(), String>;

/// How a command ended when it did not fail outright.
enum Outcome {
    Done,
    /// Ran, but the result is a failure (a non-2xx response, a token that
    /// failed verification): exit with this code.
    Failed(u8),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose || std::env::var_os("TESSERA_LOG").is_some() {
        let filter = std::env::var("TESSERA_LOG").unwrap_or_else(|_| "tessera_engine=debug".into());
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            // Colour only on a terminal: logs written to a file stay plain text.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_target(false)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tessera: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Failed(code)) => ExitCode::from(code),
        Err(message) => {
            eprintln!("tessera: {}", message.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

fn fail(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn run(command: Command) -> Result<Outcome, String> {
    let engine = Engine::system().map_err(fail)?;
    match command {
        Command::Decode(args) => {
            return Ok(match decode::run(&engine, args).await? {
                true => Outcome::Done,
                false => Outcome::Failed(1),
            });
        }
        Command::Call(args) => {
            return Ok(match call::run(&engine, args).await? {
                true => Outcome::Done,
                false => Outcome::Failed(call::HTTP_ERROR_EXIT),
            });
        }
        other => run_session_command(&engine, other)
            .await
            .map(|()| Outcome::Done),
    }
}

async fn run_session_command(engine: &Engine, command: Command) -> CliResult {
    match command {
        Command::Login(args) => login(engine, *args).await,
        Command::Token {
            profile,
            json,
            id_token,
        } => {
            let session = engine
                .access_token(profile.as_deref())
                .await
                .map_err(fail)?;
            if id_token {
                let token = session.id_token.as_ref().ok_or_else(|| {
                    "this session has no ID token (the provider sent none)".to_string()
                })?;
                println!("{}", token.expose());
            } else if json {
                print_json(&token_json(&session, profile.as_deref(), engine));
            } else {
                println!("{}", session.access_token.expose());
            }
            Ok(())
        }
        Command::Refresh { profile, json } => {
            let outcome = engine.refresh(profile.as_deref()).await.map_err(fail)?;
            if json {
                let mut v = token_json(&outcome.session, profile.as_deref(), engine);
                v["rotated"] = json!(outcome.rotated);
                v["checks"] = json!(outcome.report.checks);
                print_json(&v);
            } else {
                println!(
                    "Refreshed{}; the access token {}.",
                    if outcome.rotated {
                        " (refresh token rotated)"
                    } else {
                        ""
                    },
                    expires_phrase(outcome.session.expires_at, engine.now())
                );
            }
            Ok(())
        }
        Command::Logout {
            profile,
            revoke,
            end_session,
            browser,
        } => {
            let launcher = browser_for(browser.as_deref(), None)?;
            let outcome = engine
                .logout(
                    profile.as_deref(),
                    LogoutOptions {
                        revoke,
                        end_session,
                    },
                    launcher.as_ref(),
                )
                .await
                .map_err(fail)?;
            if !outcome.was_signed_in {
                println!("Not signed in; nothing to do.");
                return Ok(());
            }
            for kind in &outcome.revoked {
                println!(
                    "Revoked the {} at the provider.",
                    kind.hint().replace('_', " ")
                );
            }
            if let Some(endpoint) = &outcome.end_session_opened {
                println!("Opened the provider's sign-out page ({endpoint}).");
            }
            println!("Signed out; the session was deleted from the keyring.");
            Ok(())
        }
        Command::Introspect { profile, token } => {
            let kind = match token {
                WhichToken::Access => TokenKind::Access,
                WhichToken::Refresh => TokenKind::Refresh,
            };
            let result = engine
                .introspect(profile.as_deref(), kind)
                .await
                .map_err(fail)?;
            print_json(&Value::Object(result));
            Ok(())
        }
        Command::Profiles(cmd) => profiles(engine, cmd).await,
        Command::Decode { .. } | Command::Call { .. } => Ok(()),
    }
}

fn browser_for(
    flag: Option<&str>,
    profile: Option<&str>,
) -> Result<Box<dyn BrowserLauncher>, String> {
    let env = std::env::var("TESSERA_BROWSER").ok();
    browser::launcher(flag.or(env.as_deref()).or(profile)).map_err(fail)
}

/// The profile `args` name (or the default one), created from `--issuer` and
/// `--client-id` when it does not exist, with the flags applied.
fn profile_from_args(engine: &Engine, args: &LoginArgs) -> Result<Profile, String> {
    let file = engine.profiles().map_err(fail)?;
    let name = file.resolve_name(args.profile.as_deref());
    let mut profile = match (file.get(&name), &args.issuer, &args.client_id) {
        (Ok(existing), _, _) => existing.clone(),
        (Err(_), Some(issuer), Some(client_id)) => Profile::new(&name, issuer, client_id),
        (Err(_), _, _) => {
            return Err(format!(
                "profile \"{name}\" does not exist yet; give --issuer and --client-id to create it"
            ))
        }
    };
    apply_overrides(&mut profile, args);
    Ok(profile)
}

async fn login(engine: &Engine, args: LoginArgs) -> CliResult {
    let profile = profile_from_args(engine, &args)?;
    let launcher = browser_for(args.browser.as_deref(), profile.browser.as_deref())?;
    let progress = |step: LoginProgress| match step {
        LoginProgress::BrowserOpened {
            url, redirect_uri, ..
        } => {
            eprintln!("Opened the browser to sign in (waiting for {redirect_uri}).");
            eprintln!("If it did not open, visit:\n  {url}");
        }
        LoginProgress::BrowserFailed { url, reason, .. } => {
            eprintln!("{reason}");
            eprintln!("Open this URL to sign in:\n  {url}");
        }
        LoginProgress::Exchanging => eprintln!("Redirect received; checking tokens…"),
        _ => {}
    };
    let outcome = engine
        .login(LoginRequest {
            profile,
            client_secret: args.client_secret.map(SecretString::new),
            browser: launcher.as_ref(),
            timeout: args
                .timeout
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_LOGIN_TIMEOUT),
            progress: &progress,
            scheme_redirects: None,
            preflight: false,
        })
        .await
        .map_err(fail)?;
    let session = &outcome.session;
    if args.json {
        print_json(&json!({
            "profile": outcome.profile.name,
            "subject": session.subject,
            "issuer": session.issuer,
            "id_token_claims": outcome.id_token_claims,
            "userinfo": session.userinfo,
            "access_token": session.access_token.expose(),
            "token_type": session.token_type,
            "expires_at": session.expires_at,
            "refresh_token_present": session.refresh_token.is_some(),
            "scopes": session.scopes,
            "checks": outcome.report.checks,
        }));
    } else {
        let who = outcome
            .id_token_claims
            .get("email")
            .and_then(Value::as_str)
            .unwrap_or(&session.subject);
        println!(
            "Signed in to {} as {who} (profile \"{}\"); {} checks passed; the access token {}.",
            session.issuer,
            outcome.profile.name,
            outcome.report.checks.len(),
            expires_phrase(session.expires_at, engine.now()),
        );
    }
    Ok(())
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
            ClientAuth::Basic => ClientAuthMethod::ClientSecretBasic,
            ClientAuth::Post => ClientAuthMethod::ClientSecretPost,
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

fn expires_phrase(expires_at: Option<i64>, now: i64) -> String {
    match expires_at {
        Some(t) if t > now => format!("expires in {} ({})", human_duration(t - now), format_utc(t)),
        Some(t) => format!("expired at {}", format_utc(t)),
        None => "has no stated expiry".to_string(),
    }
}

fn human_duration(secs: i64) -> String {
    match secs {
        s if s < 90 => format!("{s} s"),
        s if s < 5400 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

fn token_json(session: &Session, profile: Option<&str>, engine: &Engine) -> Value {
    let profile = engine
        .profiles()
        .map(|f| f.resolve_name(profile))
        .unwrap_or_default();
    json!({
        "profile": profile,
        "access_token": session.access_token.expose(),
        "token_type": session.token_type,
        "expires_at": session.expires_at,
        "scopes": session.scopes,
        "subject": session.subject,
        "issuer": session.issuer,
    })
}

pub(crate) fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

async fn profiles(engine: &Engine, cmd: ProfilesCommand) -> CliResult {
    match cmd {
        ProfilesCommand::List { json } => {
            let file = engine.profiles().map_err(fail)?;
            if json {
                let list: Vec<Value> = file
                    .profiles
                    .values()
                    .map(|p| json!({"name": p.name, "issuer": p.issuer, "client_id": p.client_id, "default": file.default_profile.as_deref() == Some(&p.name)}))
                    .collect();
                print_json(&Value::Array(list));
            } else if file.profiles.is_empty() {
                println!("No profiles yet. Create one with: tessera login --profile NAME --issuer URL --client-id ID");
            } else {
                for p in file.profiles.values() {
                    let mark = if file.default_profile.as_deref() == Some(&p.name) {
                        "*"
                    } else {
                        " "
                    };
                    println!("{mark} {:<20} {:<40} {}", p.name, p.issuer, p.client_id);
                }
            }
            Ok(())
        }
        ProfilesCommand::Show { name, json } => {
            let profile = engine.profile(Some(&name)).map_err(fail)?;
            let session = engine.stored_session(&profile.name).await.map_err(fail)?;
            let status = match &session {
                Some(s) => json!({
                    "signed_in": true,
                    "subject": s.subject,
                    "expires_at": s.expires_at,
                    "refresh_token_present": s.refresh_token.is_some(),
                    "scopes": s.scopes,
                }),
                None => json!({"signed_in": false}),
            };
            if json {
                let mut v = serde_json::to_value(&profile).map_err(fail)?;
                v["name"] = json!(profile.name);
                v["session"] = status;
                print_json(&v);
            } else {
                // The same shape as in profiles.toml: [profiles.NAME], [profiles.NAME.redirect], …
                let mut table = toml::Table::new();
                let mut named = toml::Table::new();
                named.insert(
                    profile.name.clone(),
                    toml::Value::try_from(&profile).map_err(fail)?,
                );
                table.insert("profiles".into(), toml::Value::Table(named));
                print!("{}", toml::to_string_pretty(&table).map_err(fail)?);
                match &session {
                    Some(s) => println!(
                        "\nSigned in as {}; the access token {}; refresh token {}.",
                        s.subject,
                        expires_phrase(s.expires_at, engine.now()),
                        if s.refresh_token.is_some() {
                            "present"
                        } else {
                            "absent"
                        }
                    ),
                    None => println!("\nNot signed in."),
                }
            }
            Ok(())
        }
        ProfilesCommand::Save(args) => {
            let profile = profile_from_args(engine, &args)?;
            let secret = match &args.client_secret {
                Some(s) => SecretChange::Set(SecretString::new(s.clone())),
                None => SecretChange::Keep,
            };
            let saved = engine.save_profile(profile, secret).await.map_err(fail)?;
            println!(
                "Saved profile \"{}\" ({}, client {}).",
                saved.name, saved.issuer, saved.client_id
            );
            Ok(())
        }
        ProfilesCommand::Remove { name } => {
            if engine.remove_profile(&name).await.map_err(fail)? {
                println!("Removed profile \"{name}\", its session and its client secret.");
                Ok(())
            } else {
                Err(format!("no profile named \"{name}\""))
            }
        }
    }
}
