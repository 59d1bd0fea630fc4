//! The use cases over a profile's session: sign in, get a valid access token
//! (refreshing when needed), refresh, sign out, and the profile operations
//! that carry a session and a client secret with them. Each use case has one
//! error enum and a decision table in its module doc.
//!
//! | module | use case |
//! |---|---|
//! | [`login`] | the authorization code flow, end to end ([`login::LoginError`]) |
//! | [`refresh`] | a valid access token, and refreshing now ([`refresh::RefreshError`]) |
//! | [`device`] | sign-in with the device authorization grant (RFC 8628), through [`login`] |
//! | [`service`] | the client credentials grant: sign-in and renewal, through [`login`] and [`refresh`] |
//! | [`dpop`] | DPoP proofs for requests a host sends itself, bound to the current token |
//! | [`keys`] | the client's key pair in the keyring: generate, import, show ([`keys::KeysError`]) |
//! | [`exchange`] | token exchange (RFC 8693) from a signed-in profile ([`exchange::ExchangeError`]) |
//! | [`logout`] | signing out: locally, revoking, ending the provider session ([`logout::LogoutError`]) |
//! | [`discover`] | from an API URL to its authorization servers, every step a row ([`discover::DiscoverError`]) |
//! | [`resource`] | a profile set up from an API URL, with dynamic registration and its deletion ([`resource::SetUpError`]) |
//! | [`profiles`] | listing, saving, duplicating and removing profiles ([`profiles::ProfileOpError`]) |
//! | [`store`] | the session record and how it is kept in the keyring |
//! | [`watch`] | noticing other processes' changes, published as this process's are |
//! | [`binding`] | a stored session belongs to its provider and client, checked before its tokens are used |
//! | [`credentials`], [`id_token`] | what several use cases share: the client's credentials, ID-token validation with key rotation |

pub mod binding;
pub mod credentials;
pub mod device;
pub mod discover;
pub mod dpop;
pub mod exchange;
pub mod id_token;
pub mod keys;
pub mod login;
pub mod logout;
pub mod profiles;
pub mod refresh;
pub mod resource;
pub mod service;
pub mod store;
pub mod watch;

pub use store::{Session, SessionStore};
