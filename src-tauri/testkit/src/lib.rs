//! What Tessera's integration tests stand on, written once.
//!
//! The command line's tests (`src-tauri/cli/tests/`) and the desktop app's
//! (`src-tauri/tests/desktop/`, `src-tauri/tests/e2e/`) drive real binaries
//! against real parts: the local OpenID provider (`dev/provider.mjs`), the
//! browser stand-in (`dev/browser.mjs`) and the OS keyring (gnome-keyring
//! under `.ci/with-keyring`). They need the same scaffolding around those
//! parts, and each test suite used to carry its own copy, which drifted: one
//! copy turned every `secret-tool` failure into "no entry", so a check that
//! a sign-out removed a session passed when the keyring was not even there.
//! This crate holds that scaffolding once, for both, and is only ever a
//! dev-dependency.
//!
//! - [`LocalProvider`]: the local provider, one per test or one per test
//!   binary ([`LocalProvider::shared`], [`LocalProvider::short_lived`]).
//! - [`Home`]: a throwaway Tessera home (config directory, browser stand-in,
//!   environment) that runs a given `tessera` binary; kept for a look when a
//!   test fails.
//! - [`ScratchDir`]: a private directory for one test, kept when it fails.
//! - [`ok`], [`failed`], [`json`]: what a run printed, checked.
//! - [`keyring_entry`], [`assert_keyring_has`], [`assert_keyring_lacks`],
//!   [`stored_refresh_token`], [`keyring_usernames`]: the keyring as libsecret's
//!   own `secret-tool` sees it, independent of Tessera's keyring code. A
//!   failing tool panics; it never reads as "absent".
//! - [`http`], [`call_api`]: a raw HTTP/1.0 client over loopback, independent
//!   of Tessera's HTTP client.
//! - [`webdriver`]: a W3C WebDriver client, for the app's window (tauri-driver)
//!   and for a real browser (chromedriver).
//! - [`built_binary`], [`one_app_at_a_time`] and [`tray_menu`]: for the two
//!   test binaries that start the desktop app (`desktop` drives its tray
//!   menu, `e2e` its window, and quits it from the tray).

mod desktop;
mod home;
mod http;
mod keyring;
mod output;
mod provider;
mod scratch;
pub mod tray_menu;
pub mod webdriver;

use std::path::{Path, PathBuf};

pub use desktop::{built_binary, clipboard, one_app_at_a_time};
pub use home::Home;
pub use http::{call_api, curl_get, http};
pub use keyring::{
    assert_keyring_has, assert_keyring_lacks, keyring_entry, keyring_usernames,
    stored_refresh_token, stored_session,
};
pub use output::{failed, json, ok, stderr, stdout};
pub use provider::{LocalProvider, Mtls};
pub use scratch::ScratchDir;

/// The repository's root, where `dev/` and `target/` are.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root (two levels above src-tauri/testkit) exists")
}
