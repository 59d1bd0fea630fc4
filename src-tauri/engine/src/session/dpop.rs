//! DPoP proofs for requests a host sends itself (`tessera dpop-proof`, a
//! curl command): bound to the profile's current access token (`ath`, after
//! a refresh when it is due) and carrying the server's latest nonce.
//!
//! | profile | session's token | result |
//! |---|---|---|
//! | DPoP off | – | `Profile`: DPoP is off |
//! | DPoP on | none | `NotSignedIn` |
//! | DPoP on | `Bearer` (signed in before DPoP was on) | `Profile`: sign in again |
//! | DPoP on | `DPoP` | a proof for the method and URL |

use std::sync::Arc;

use url::Url;

use crate::engine::Engine;
use crate::profile::ProfileError;
use crate::protocol::token::DpopBinding;
use crate::secret::SecretString;
use crate::session::refresh::RefreshError;

impl Engine {
    /// A fresh proof for `method` `url` with the profile's DPoP key (see the
    /// module's table).
    pub async fn dpop_proof(
        &self,
        profile: Option<&str>,
        method: &str,
        url: &Url,
    ) -> Result<SecretString, RefreshError> {
        let settings = self.profile(profile)?;
        let invalid = |reason: &str| {
            RefreshError::Profile(ProfileError::Invalid {
                profile: settings.name.clone(),
                field: "dpop",
                reason: reason.to_string(),
            })
        };
        if !settings.dpop {
            return Err(invalid(
                "is off for this profile: turn DPoP on and sign in again",
            ));
        }
        let session = self.access_token(Some(&settings.name)).await?;
        if !session.token_type.eq_ignore_ascii_case("dpop") {
            return Err(invalid(
                "is on, but the session's token is a Bearer token from before: sign in again",
            ));
        }
        let binding = DpopBinding {
            key: self.dpop_key(&settings).await?,
            nonces: Arc::clone(self.nonces()),
        };
        Ok(binding.proof_for(
            &method.to_ascii_uppercase(),
            url,
            self.now(),
            Some(&session.access_token),
        )?)
    }
}

impl Engine {
    /// The RFC 7638 thumbprint of the profile's DPoP key (`dpop_jkt`), when
    /// the profile binds with DPoP (the key is made on first use).
    pub async fn dpop_jkt(&self, profile: &str) -> Result<Option<String>, RefreshError> {
        let settings = self.profile(Some(profile))?;
        if !settings.dpop {
            return Ok(None);
        }
        Ok(Some(self.dpop_key(&settings).await?.thumbprint()))
    }
}
