//! `tessera exchange`: RFC 8693 token exchange from a signed-in profile.
//! The issued token goes to stdout (it is the command's purpose) and is not
//! stored.

use serde_json::json;
use tessera_engine::session::exchange::ExchangeRequest;
use tessera_engine::token::TokenKind;
use tessera_engine::Engine;

use crate::args::{ExchangeArgs, SubjectToken};
use crate::failure::Failure;
use crate::output::print_json;

pub(crate) async fn run(engine: &Engine, args: ExchangeArgs) -> Result<(), Failure> {
    let outcome = engine
        .exchange(ExchangeRequest {
            profile: args.profile,
            subject: match args.subject_token {
                SubjectToken::Access => TokenKind::Access,
                SubjectToken::Id => TokenKind::Id,
                SubjectToken::Refresh => TokenKind::Refresh,
            },
            actor_profile: args.actor_profile,
            audiences: args.audience,
            resources: args.resource,
            scope: args.scope,
            requested_token_type: args.requested_token_type,
        })
        .await?;
    if args.json {
        print_json(&json!({
            "profile": outcome.profile,
            "access_token": outcome.access_token.expose(),
            "issued_token_type": outcome.issued_token_type,
            "token_type": outcome.token_type,
            "expires_in": outcome.expires_in,
            "scope": outcome.scope,
        }));
    } else {
        println!("{}", outcome.access_token.expose());
    }
    Ok(())
}
