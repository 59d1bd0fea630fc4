//! Tessera's engine: signs a user in to an OpenID provider as RFC 8252 asks,
//! validates what comes back, and keeps the session in the OS keyring.
//!
//! It has no UI and no Tauri. The `tessera` command line and the desktop app
//! are thin hosts over it. Every I/O sits behind a narrow seam, so the logic
//! can be tested with fakes and with the real parts:
//!
//! | seam | trait | production | tests |
//! |---|---|---|---|
//! | HTTP | [`http::HttpClient`] | [`http::ReqwestClient`] | scripted fakes |
//! | secrets | [`store::SecretStore`] | [`store::KeyringStore`] | [`store::MemoryStore`] |
//! | browser | [`browser::BrowserLauncher`] | system or `--browser` command | a browser double |
//! | time | [`clock::Clock`] | [`clock::SystemClock`] | [`clock::FixedClock`] |
//!
//! Hosts that show traffic (the desktop app) add an [`http_log::HttpLog`]
//! with [`Engine::with_http_log`]: every exchange is then recorded, redacted,
//! whatever transport is in use.
#![warn(missing_docs)]

pub mod api;
pub mod authorize;
pub mod browser;
pub mod cache;
pub mod callback;
pub mod claims;
pub mod clock;
pub mod discovery;
pub mod engine;
pub mod history;
pub mod http;
pub mod http_log;
pub mod inspect;
pub mod jwks;
pub mod jwt;
pub mod lock;
pub mod login;
pub mod logout;
pub mod loopback;
pub mod presets;
pub mod profile;
pub mod profiles;
pub mod refresh;
pub mod saved_requests;
pub mod secret;
pub mod session;
pub mod store;
pub mod token;
pub mod validate;
pub mod verify;

pub use engine::{Engine, SessionError};
pub use login::{LoginError, LoginOutcome, LoginProgress, LoginRequest};
pub use logout::{LogoutOptions, LogoutOutcome};
pub use refresh::RefreshOutcome;
