//! Tessera's engine: signs a user in to an OpenID provider as RFC 8252 asks,
//! validates what comes back, and keeps the session in the OS keyring.
//!
//! It has no UI and no Tauri. The `tessera` command line and the desktop app
//! are thin hosts over it. The code is grouped by layer, each folder one
//! layer, and a layer imports only from the layers before it:
//!
//! | layer | folder | what |
//! |---|---|---|
//! | foundation | [`secret`], [`error`] | the secret type that refuses to print; the error kinds hosts branch on |
//! | seams | [`seams`] | every I/O behind a narrow interface: HTTP, keyring, browser, clock, lock, cache, loopback listener, files, change events |
//! | wiring | [`engine`] | the [`Engine`]: the seams put together; each layer above adds its operations to it |
//! | protocol | [`protocol`] | OpenID Connect and OAuth as data: requests, responses, validation |
//! | profile | [`profile`] | what a provider and a client are: the profile file and presets |
//! | session | [`session`] | the use cases: sign in, refresh, sign out, profile operations, the keyring session |
//! | views and calls | [`inspect`], [`api`] | the token inspector and API calls over a session |
//!
//! Hosts keep short paths: the modules they use most are re-exported here
//! (`tessera_engine::http`, `tessera_engine::session`, …).
#![warn(missing_docs)]

pub mod api;
pub mod engine;
pub mod error;
pub mod inspect;
pub mod profile;
pub mod protocol;
pub mod seams;
pub mod secret;
pub mod session;

pub use engine::Engine;
pub use error::{EngineError, ErrorFacts, ErrorKind};
pub use inspect::history;
pub use profile::presets;
pub use protocol::{authorize, callback, claims, discovery, jwks, jwt, token, validate, verify};
pub use seams::{browser, cache, clock, events, http, http_log, lock, loopback, paths, store};
pub use session::login::{LoginError, LoginOutcome, LoginProgress, LoginRequest};
pub use session::logout::{LogoutError, LogoutOptions, LogoutOutcome};
pub use session::refresh::{RefreshError, RefreshOutcome};
pub use session::{login, logout, profiles, refresh};
