//! `tessera`: sign in to an OpenID provider from a terminal and hand the
//! access token to scripts:
//!
//! ```text
//! curl -H "Authorization: Bearer $(tessera token)" https://api.example/me
//! ```
//!
//! Every command is one call into the engine; the modules only parse
//! arguments, print results and map failures to exit codes ([`failure`]). Tokens go to stdout only where a command's
//! purpose is to print them (`token`, `login --json`).

use std::process::ExitCode;

use clap::Parser;
use tessera_engine::Engine;

use crate::args::{Cli, Command};
use crate::failure::{ExitStatus, Failure};

mod args;
mod call;
mod decode;
mod discover;
mod exchange;
mod failure;
mod keys;
mod lint;
mod login;
mod output;
mod profiles;
mod session;
mod terminal;

/// How a command ended when it did not fail outright.
enum Outcome {
    Done,
    /// Ran, but the result is a failure (a non-2xx response, a token that
    /// failed verification): exit with this code.
    Failed(ExitStatus),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose || std::env::var_os("TESSERA_LOG").is_some() {
        init_logging();
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
        Ok(Outcome::Failed(status)) => ExitCode::from(status as u8),
        Err(failure) => {
            eprintln!("tessera: {}", terminal::escape_line(&failure.message));
            ExitCode::from(failure.status as u8)
        }
    }
}

/// `-v` or `TESSERA_LOG` (`debug`, `tessera_engine=trace,info`…: a level,
/// or comma-separated `target=level` pairs) turns on logs on stderr. The
/// filter is tracing's `Targets`, which matches targets by prefix and needs
/// no regular expressions (the regex crates were 1 MB of the binary).
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let written = std::env::var("TESSERA_LOG").unwrap_or_else(|_| "tessera_engine=debug".into());
    let filter = written
        .parse::<tracing_subscriber::filter::Targets>()
        .unwrap_or_else(|e| {
            eprintln!("tessera: TESSERA_LOG ({e}); logging tessera_engine=debug instead");
            tracing_subscriber::filter::Targets::new()
                .with_target("tessera_engine", tracing::Level::DEBUG)
        });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colour only on a terminal: logs written to a file stay plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .init();
}

async fn run(command: Command) -> Result<Outcome, Failure> {
    let engine = Engine::system()?;
    match command {
        Command::Decode(args) => {
            return Ok(match decode::run(&engine, args).await? {
                true => Outcome::Done,
                false => Outcome::Failed(ExitStatus::Failure),
            });
        }
        Command::Lint { target, file, json } => {
            return Ok(match lint::run(&engine, target, file, json).await? {
                true => Outcome::Done,
                false => Outcome::Failed(ExitStatus::Failure),
            });
        }
        Command::Discover { url, json } => {
            return Ok(match discover::run(&engine, &url, json).await? {
                true => Outcome::Done,
                false => Outcome::Failed(ExitStatus::Failure),
            });
        }
        Command::Call(args) => {
            return Ok(match call::run(&engine, args).await? {
                true => Outcome::Done,
                false => Outcome::Failed(ExitStatus::HttpStatus),
            });
        }
        other => session::run(&engine, other).await.map(|()| Outcome::Done),
    }
}
