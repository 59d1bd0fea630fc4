//! The client's credentials for a profile: the id from the profile file, the
//! secret (when it has one) from the keyring, never from the file.

use crate::engine::Engine;
use crate::profile::Profile;
use crate::protocol::token::ClientCredentials;
use crate::seams::store::StoreError;
use crate::secret::SecretString;

impl Engine {
    /// The client's credentials, with the secret from the keyring if needed.
    pub(crate) async fn credentials(
        &self,
        profile: &Profile,
        secret: Option<SecretString>,
    ) -> Result<ClientCredentials, StoreError> {
        let secret = match secret {
            Some(s) => Some(s),
            None if profile.client_secret_in_keyring => {
                let name = profile.name.clone();
                self.with_sessions(move |sessions| sessions.client_secret(&name))
                    .await?
            }
            None => None,
        };
        Ok(ClientCredentials {
            client_id: profile.client_id.clone(),
            secret,
            method: profile.client_auth,
        })
    }
}
