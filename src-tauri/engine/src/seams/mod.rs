//! The seams: every I/O the engine does, each behind a narrow interface so the
//! logic above can run against fakes in unit tests and the real parts in
//! integration tests.
//!
//! | seam | interface | production | tests |
//! |---|---|---|---|
//! | HTTP | [`http::HttpClient`] | [`http::ReqwestClient`] | scripted fakes |
//! | HTTP log | [`http_log::RecordingClient`] around the transport | the desktop's log | the same |
//! | secrets | [`store::SecretStore`] | [`store::KeyringStore`] | [`store::MemoryStore`] |
//! | browser | [`browser::BrowserLauncher`] | system or a command | a browser double |
//! | time | [`clock::Clock`] | [`clock::SystemClock`] | [`clock::FixedClock`] |
//! | cross-process lock | [`lock::ProfileLock`] | an OS file lock | the same, in a temp dir |
//! | disk cache | [`cache::DiskCache`] | files under the cache dir | the same, in a temp dir |
//! | redirect listener | [`loopback`] | 127.0.0.1 only | the same |
//! | files | [`paths::Paths`], [`private_files`] (0600/0700, atomic) | OS config dirs or `TESSERA_CONFIG_DIR` | a temp dir |
//! | operations | [`operations::Operations`] | what the engine does, for hosts to draw | the same |
//! | DPoP nonces | [`nonces::DpopNonces`] | a private file under the cache dir | in memory |
//! | change events | [`events::SessionEvents`] | hosts subscribe | tests subscribe |
//!
//! Seams import nothing from the layers above them.

pub mod browser;
pub mod cache;
pub mod clock;
pub mod events;
pub mod http;
pub mod http_log;
pub mod lock;
pub mod loopback;
pub mod nonces;
pub mod operations;
pub mod paths;
pub mod private_files;
pub mod store;
