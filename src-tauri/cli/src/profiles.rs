//! `tessera profiles`: list, show, save (without signing in) and remove.

use serde_json::{json, Value};
use tessera_engine::profiles::SecretChange;
use tessera_engine::secret::SecretString;
use tessera_engine::Engine;

use crate::args::ProfilesCommand;
use crate::failure::Failure;
use crate::login::profile_from_args;
use crate::output::{expires_phrase, print_json, say};

pub(crate) async fn run(engine: &Engine, cmd: ProfilesCommand) -> Result<(), Failure> {
    match cmd {
        ProfilesCommand::List { json } => {
            let file = engine.profiles()?;
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
                    say(&format!(
                        "{mark} {:<20} {:<40} {}",
                        p.name, p.issuer, p.client_id
                    ));
                }
            }
            Ok(())
        }
        ProfilesCommand::Show { name, json } => {
            let profile = engine.profile(Some(&name))?;
            let session = engine.stored_session(&profile.name).await?;
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
                let mut v =
                    serde_json::to_value(&profile).map_err(|e| Failure::other(e.to_string()))?;
                v["name"] = json!(profile.name);
                v["session"] = status;
                print_json(&v);
            } else {
                // The same shape as in profiles.toml: [profiles.NAME], [profiles.NAME.redirect], …
                let mut table = toml::Table::new();
                let mut named = toml::Table::new();
                named.insert(
                    profile.name.clone(),
                    toml::Value::try_from(&profile).map_err(|e| Failure::other(e.to_string()))?,
                );
                table.insert("profiles".into(), toml::Value::Table(named));
                print!(
                    "{}",
                    toml::to_string_pretty(&table).map_err(|e| Failure::other(e.to_string()))?
                );
                match &session {
                    Some(s) => say(&format!(
                        "\nSigned in as {}; the access token {}; refresh token {}.",
                        s.display_name(),
                        expires_phrase(s.expires_at, engine.now()),
                        if s.refresh_token.is_some() {
                            "present"
                        } else {
                            "absent"
                        }
                    )),
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
            if let Some(key) = crate::login::certificate_key(&args)? {
                engine.keep_client_key(&profile.name, key).await?;
            }
            let saved = engine.save_profile(profile, secret).await?;
            println!(
                "Saved profile \"{}\" ({}, client {}).",
                saved.name, saved.issuer, saved.client_id
            );
            Ok(())
        }
        ProfilesCommand::Remove {
            name,
            delete_registration,
        } => {
            // A client Tessera registered outlives the profile unless deleted
            // now: its handle goes with the profile.
            let kept_registration = !delete_registration
                && engine
                    .profile(Some(&name))
                    .is_ok_and(|p| p.registered_client);
            let removed = if delete_registration {
                engine.remove_profile_and_registration(&name).await?
            } else {
                engine.remove_profile(&name).await?
            };
            if removed && kept_registration {
                eprintln!(
                    "The client Tessera registered for \"{name}\" stays registered at the provider (next time, add --delete-registration to delete it)."
                );
            }
            if removed {
                println!(
                    "Removed profile \"{name}\", its session and its client secret{}.",
                    if delete_registration {
                        ", and deleted its client registration at the provider"
                    } else {
                        ""
                    }
                );
                Ok(())
            } else {
                Err(Failure::from(
                    tessera_engine::profile::ProfileError::NotFound(name),
                ))
            }
        }
    }
}
