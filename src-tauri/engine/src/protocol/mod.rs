//! OpenID Connect and OAuth as data: requests to build, responses to parse and
//! check. Sans-IO where the protocol allows it; where a step must fetch
//! (discovery, the JWKS, the token endpoint), it goes through the HTTP seam
//! and nothing else. Nothing here knows about profiles, the keyring or hosts.
//!
//! | module | what |
//! |---|---|
//! | [`assertion`] | client assertions: `client_secret_jwt` and `private_key_jwt` (RFC 7523) |
//! | [`client_key`] | the client's key pair: generated or imported, its JWK and thumbprint |
//! | [`dpop`] | DPoP proofs (RFC 9449): `htu`, `ath`, the nonce challenge |
//! | [`device`] | the device authorization grant (RFC 8628): the request and the polling rules |
//! | [`binding`] | sender-constrained tokens: `cnf` against the client's certificate |
//! | [`authorize`] | the authorization request: PKCE S256, state, nonce |
//! | [`callback`] | the authorization response: state, RFC 9207 `iss`, `error` |
//! | [`claims`] | claims explained, merged from ID token and userinfo, and who the user is |
//! | [`discovery`] | provider metadata, the issuer check, the JWKS fetch |
//! | [`jwt`] | decoding a JWT without trusting it |
//! | [`lint`] | a provider's metadata and JWKS against the specifications: findings with levels |
//! | [`jarm`] | JWT-secured authorization responses: the `response` JWT, check by check |
//! | [`par`] | pushed authorization requests (RFC 9126) |
//! | [`registration`] | dynamic client registration (RFC 7591) and its management handle (RFC 7592) |
//! | [`resource`] | protected resource metadata (RFC 9728), where authorization server metadata lives (RFC 8414) |
//! | [`request_object`] | signed request objects (JAR, RFC 9101) |
//! | [`jwks`] | keys, and which key verifies which algorithm |
//! | [`token`] | the token endpoint: code, refresh, revocation, introspection, userinfo |
//! | [`report`] | the check-by-check report every validation fills in |
//! | [`time_checks`] | `exp`, `iat` and `nbf` with clock skew: one home for both checks below |
//! | [`validate`] | the ID token, check by check (OIDC Core 3.1.3.7, §12.2) |
//! | [`verify`] | any JWT against keys and an issuer (the inspector's check) |
//! | [`challenge`] | `WWW-Authenticate` challenges (RFC 6750) |

pub mod assertion;
pub mod authorize;
pub mod binding;
pub mod callback;
pub mod challenge;
pub mod claims;
pub mod client_key;
pub mod device;
pub mod discovery;
pub mod dpop;
pub mod jarm;
pub mod jwks;
pub mod jwt;
pub mod lint;
pub mod par;
pub mod registration;
pub mod report;
pub mod request_object;
pub mod resource;
pub mod time_checks;
pub mod token;
pub mod validate;
pub mod verify;
