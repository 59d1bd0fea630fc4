//! End-to-end tests of the real `tessera` binary: against the real local
//! OpenID provider, a forging test provider, and the real OS keyring.

mod forge;
mod forged;
mod keyring;
mod real_provider;
mod support;
mod tools;
