//! The commands over a stored session: `token`, `refresh`, `logout` and
//! `introspect`, plus the dispatch of `login` and `profiles`.

use serde_json::{json, Value};
use tessera_engine::browser;
use tessera_engine::token::TokenKind;
use tessera_engine::{Engine, LogoutOptions};

use crate::args::{Command, WhichToken};
use crate::failure::Failure;
use crate::output::{expires_phrase, print_json, say, token_json};

pub(crate) async fn run(engine: &Engine, command: Command) -> Result<(), Failure> {
    match command {
        Command::Login(args) => crate::login::login(engine, *args).await,
        Command::Token {
            profile,
            json,
            id_token,
        } => {
            let session = engine.access_token(profile.as_deref()).await?;
            if id_token {
                let token = session.id_token.as_ref().ok_or_else(|| {
                    Failure::other("this session has no ID token (the provider sent none)")
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
            let outcome = engine.refresh(profile.as_deref()).await?;
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
            let launcher = browser::choose(browser.as_deref(), None)?;
            let outcome = engine
                .logout(
                    profile.as_deref(),
                    LogoutOptions {
                        revoke,
                        end_session,
                    },
                    launcher.as_ref(),
                )
                .await?;
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
                say(&format!(
                    "Opened the provider's sign-out page ({endpoint})."
                ));
            }
            println!("Signed out; the session was deleted from the keyring.");
            Ok(())
        }
        Command::Introspect { profile, token } => {
            let kind = match token {
                WhichToken::Access => TokenKind::Access,
                WhichToken::Refresh => TokenKind::Refresh,
            };
            let result = engine.introspect(profile.as_deref(), kind).await?;
            print_json(&Value::Object(result));
            Ok(())
        }
        Command::Profiles(cmd) => crate::profiles::run(engine, cmd).await,
        Command::Keys(cmd) => crate::keys::run(engine, cmd).await,
        Command::DpopProof {
            profile,
            method,
            url,
        } => {
            let url = url::Url::parse(&url)
                .map_err(|e| Failure::usage(format!("{url} is not a URL: {e}")))?;
            let proof = engine.dpop_proof(profile.as_deref(), &method, &url).await?;
            println!("{}", proof.expose());
            Ok(())
        }
        Command::Exchange(args) => crate::exchange::run(engine, args).await,
        Command::Decode { .. }
        | Command::Call { .. }
        | Command::Lint { .. }
        | Command::Discover { .. } => Ok(()),
    }
}
