//! End-to-end tests of the real `tessera` binary: against the real local
//! OpenID provider, a forging test provider, and the real OS keyring. What
//! they stand on (the provider, a throwaway home, keyring and HTTP checks)
//! is tessera-testkit, shared with the desktop app's tests; the forging
//! provider is only needed here.

mod exit_codes;
mod fapi;
mod forge;
mod forged;
mod grants;
mod keyring;
mod lint;
mod real_browser;
mod real_provider;
mod resource;
mod tools;

use tessera_testkit::Home;

/// A throwaway home whose runs are of this crate's `tessera` binary.
fn home(tag: &str) -> Home {
    Home::new(tag, env!("CARGO_BIN_EXE_tessera"))
}
