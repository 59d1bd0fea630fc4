//! Profile management for hosts with an editor (the desktop app): every
//! profile with its session status, saving a profile together with a change
//! to its client secret, duplicating, and the signed-in user's picture.
//!
//! The profile file and the keyring are the same ones the command line uses,
//! so a profile made here signs in with `tessera login --profile NAME` and the
//! other way round.

use base64::Engine as _;
use url::Url;

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::{Profile, ProfileError};
use crate::protocol::claims;
use crate::protocol::client_key::ClientKey;
use crate::protocol::discovery::{self, DiscoveryError, ProviderReport};
use crate::seams::events::{SessionChange, SessionEvent};
use crate::seams::http::HttpError;
use crate::seams::http::{
    check_endpoint_url, is_loopback_host, resolves_to_public_addresses, Endpoint, Http, HttpRequest,
};
use crate::seams::store::StoreError;
use crate::secret::SecretString;
use crate::session::binding::bound_to;
use crate::session::Session;

/// A profile as listed, with its session status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileStatus {
    /// The profile's settings, as in the profile file.
    pub profile: Profile,
    /// Whether a session is stored.
    pub signed_in: bool,
    /// Who is signed in: name, username, email or subject.
    pub user: Option<String>,
    /// Expiry of the stored access token, Unix seconds; `None` if signed out or none was given.
    pub expires_at: Option<i64>,
    /// Why the stored session cannot be read (it is damaged); the other
    /// profiles are listed as usual.
    pub problem: Option<String>,
    /// Error-level findings of the provider's last conformance check
    /// ([`Engine::check_profile_provider`]), when it ran lately.
    pub conformance_errors: Option<usize>,
}

/// What to do with the profile's client secret when saving it.
#[derive(Debug, Clone)]
pub enum SecretChange {
    /// Leave the stored secret (or its absence) as it is.
    Keep,
    /// Store this secret in the keyring and mark the profile as having one.
    Set(SecretString),
    /// Forget the stored secret.
    Clear,
}

/// A profile picture, fetched by Tessera so the desktop window can show it
/// without loading remote content.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The response's media type, lower-cased and without parameters, e.g. `image/png`.
    pub content_type: String,
    /// The raw image bytes, at most 1 MiB.
    pub bytes: Vec<u8>,
}

impl Picture {
    /// The picture as a base64 `data:` URL, usable as an `<img>` source without a network fetch.
    pub fn data_url(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.content_type,
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}

/// The largest picture Tessera fetches.
const MAX_PICTURE: usize = 1024 * 1024;

/// Why a profile operation failed. Nothing was changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileOpError {
    /// A new profile's name is taken.
    #[error("a profile named \"{0}\" already exists; choose another name")]
    Exists(String),
    /// `--delete-registration` on a profile whose client Tessera did not register.
    #[error("profile \"{0}\" has no dynamic registration to delete (its client was not registered by Tessera); remove it without deleting the registration")]
    NoRegistration(String),
    /// The profile is missing or invalid, or the file unusable.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Reading or writing a session or client secret in the keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The picture's or provider's fetch failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Another process holds the profile's lock.
    #[error(transparent)]
    Lock(#[from] crate::seams::lock::LockError),
}

impl EngineError for ProfileOpError {
    fn kind(&self) -> ErrorKind {
        match self {
            ProfileOpError::Exists(_) => ErrorKind::ProfileExists,
            ProfileOpError::NoRegistration(_) => ErrorKind::InvalidInput,
            ProfileOpError::Profile(e) => e.kind(),
            ProfileOpError::Store(e) => e.kind(),
            ProfileOpError::Lock(e) => e.kind(),
            ProfileOpError::Http(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            ProfileOpError::Exists(name) | ProfileOpError::NoRegistration(name) => {
                ErrorFacts::profile(name)
            }
            ProfileOpError::Profile(e) => e.facts(),
            ProfileOpError::Store(e) => e.facts(),
            ProfileOpError::Lock(e) => e.facts(),
            ProfileOpError::Http(e) => e.facts(),
        }
    }
}

impl Engine {
    /// Every profile with its session status, by name.
    pub async fn profile_statuses(&self) -> Result<Vec<ProfileStatus>, ProfileOpError> {
        let file = self.profiles()?;
        let names: Vec<String> = file.profiles.keys().cloned().collect();
        let mut sessions = Vec::with_capacity(names.len());
        for name in &names {
            // One damaged session is that profile's problem, not the list's; a
            // keyring that is locked or missing still fails the whole list.
            sessions.push(match self.stored_session(name).await {
                Ok(session) => Ok(session),
                Err(e @ StoreError::Corrupt { .. }) => Err(e.to_string()),
                Err(e) => return Err(e.into()),
            });
        }
        Ok(file
            .profiles
            .into_values()
            .zip(sessions)
            .map(|(profile, session)| {
                let (session, problem) = match session {
                    Ok(session) => (session, None),
                    Err(problem) => (None, Some(problem)),
                };
                ProfileStatus {
                    conformance_errors: self.remembered_conformance_errors(&profile.issuer),
                    signed_in: session.is_some(),
                    user: session.as_ref().map(Session::display_name),
                    expires_at: session.as_ref().and_then(|s| s.expires_at),
                    problem,
                    profile,
                }
            })
            .collect())
    }

    /// Validates and saves a profile, applying a client-secret change first
    /// so the file never claims a secret the keyring lacks. A signed-in
    /// profile whose issuer or client changes is signed out (its session is
    /// deleted, not revoked: that would send its tokens to the new provider).
    pub async fn save_profile(
        &self,
        mut profile: Profile,
        secret: SecretChange,
    ) -> Result<Profile, ProfileOpError> {
        profile.validate()?;
        let name = profile.name.clone();
        // The session and the profile file change together, as one step for
        // another process that refreshes.
        let _lock = self.lock(&name).await?;
        let signed_out = match self.read_session(&name).await? {
            // A new issuer or client: the old session belongs to the old one,
            // and its tokens must never reach the new provider.
            Some(session) if !bound_to(&session, &profile) => {
                let owned = name.clone();
                self.with_sessions(move |sessions| sessions.delete(&owned))
                    .await?;
                self.held().release(&name);
                true
            }
            _ => false,
        };
        self.record_stored_key(&mut profile).await?;
        match secret {
            SecretChange::Keep => {}
            SecretChange::Set(secret) => {
                self.with_sessions(move |sessions| sessions.save_client_secret(&name, &secret))
                    .await?;
                profile.client_secret_in_keyring = true;
            }
            SecretChange::Clear => {
                self.with_sessions(move |sessions| sessions.delete_client_secret(&name))
                    .await?;
                profile.client_secret_in_keyring = false;
            }
        }
        let mut file = self.profiles()?;
        file.upsert(profile.clone());
        file.save(self.paths())?;
        if signed_out {
            self.publish(SessionEvent {
                profile: profile.name.clone(),
                change: SessionChange::SignedOut,
                obtained_at: None,
            });
        }
        self.publish(SessionEvent {
            profile: profile.name.clone(),
            change: SessionChange::ProfileSaved,
            obtained_at: None,
        });
        Ok(profile)
    }

    /// Saves a new profile: its name is trimmed, and a name already taken is
    /// refused instead of overwriting that profile.
    pub async fn create_profile(
        &self,
        mut profile: Profile,
        secret: SecretChange,
    ) -> Result<Profile, ProfileOpError> {
        profile.name = profile.name.trim().to_string();
        if self.profiles()?.profiles.contains_key(&profile.name) {
            return Err(ProfileOpError::Exists(profile.name));
        }
        self.save_profile(profile, secret).await
    }

    /// Records the public facts of the key stored for this profile's name in
    /// the profile: a key made before the profile existed (the usual order:
    /// make it, register it, get the client id) shows up at the first save
    /// or sign-in.
    pub(crate) async fn record_stored_key(&self, profile: &mut Profile) -> Result<(), StoreError> {
        let name = profile.name.clone();
        let stored = self
            .with_sessions(move |sessions| sessions.client_key(&name))
            .await?;
        if let Some(key) = stored.and_then(|s| ClientKey::from_keyring(&s).ok()) {
            profile.client_key = Some(key.info());
        }
        Ok(())
    }

    /// Copies a profile (and its client secret and key, not its session) to a new
    /// name, trimmed; a name already taken is refused.
    pub async fn duplicate_profile(
        &self,
        name: &str,
        new_name: &str,
    ) -> Result<Profile, ProfileOpError> {
        let new_name = new_name.trim();
        let file = self.profiles()?;
        if file.profiles.contains_key(new_name) {
            return Err(ProfileOpError::Exists(new_name.to_string()));
        }
        let mut copy = file.get(name)?.clone();
        copy.name = new_name.to_string();
        let secret = if copy.client_secret_in_keyring {
            let from = name.to_string();
            match self
                .with_sessions(move |sessions| sessions.client_secret(&from))
                .await?
            {
                Some(secret) => SecretChange::Set(secret),
                None => SecretChange::Clear,
            }
        } else {
            SecretChange::Keep
        };
        // The copy is the same client, so it signs with the same key.
        let (from, to) = (name.to_string(), new_name.to_string());
        self.with_sessions(move |sessions| match sessions.client_key(&from)? {
            Some(key) => sessions.save_client_key(&to, &key),
            None => Ok(()),
        })
        .await?;
        self.save_profile(copy, secret).await
    }

    /// Fetches the `picture` claim's image of the stored session, if any.
    /// Only https (or http on loopback) and only `image/*` up to 1 MiB; the
    /// fetch carries no token. For a provider that is not on this machine,
    /// the picture must resolve to public addresses only (no loopback,
    /// private or link-local target: a token must not make Tessera probe
    /// the user's network).
    pub async fn picture(&self, profile: &str) -> Result<Option<Picture>, ProfileOpError> {
        let Some(session) = self.stored_session(profile).await? else {
            return Ok(None);
        };
        let id_claims = session.id_token_claims().unwrap_or_default();
        let merged = claims::merge(&id_claims, session.userinfo.as_ref());
        let Some(url) = claims::string(&merged, "picture") else {
            return Ok(None);
        };
        let Ok(url) = Url::parse(&url) else {
            return Ok(None);
        };
        let settings = self.profile(Some(profile))?;
        check_endpoint_url(Endpoint::Picture, &url, settings.allow_insecure_http)?;
        // The URL comes from a token: for a provider on the internet it may
        // only point at the internet, never at this machine or its network.
        let local_provider = Url::parse(&settings.issuer).is_ok_and(|u| is_loopback_host(&u));
        if !local_provider && !resolves_to_public_addresses(&url).await {
            tracing::debug!(
                "picture refused: it points at a loopback, private or link-local address"
            );
            return Ok(None);
        }
        let http = self.http_for(settings.ca_file.as_deref())?;
        let response = http.send(HttpRequest::get(Endpoint::Picture, url)).await?;
        let content_type = response
            .header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !content_type.starts_with("image/") || response.body.len() > MAX_PICTURE {
            return Ok(None);
        }
        Ok(Some(Picture {
            content_type,
            bytes: response.body,
        }))
    }

    /// Fetches and summarises a provider's discovery document (no cache).
    pub async fn inspect_provider(
        &self,
        url: &str,
        allow_insecure_http: bool,
    ) -> Result<ProviderReport, DiscoveryError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Discovery,
                None,
                self.inspect_provider_untraced(url, allow_insecure_http),
            )
            .await
    }

    async fn inspect_provider_untraced(
        &self,
        url: &str,
        allow_insecure_http: bool,
    ) -> Result<ProviderReport, DiscoveryError> {
        let http = Http::new(self.transport(None).map_err(DiscoveryError::from)?);
        discovery::inspect(&http, url, allow_insecure_http).await
    }

    /// Removes a profile, its session, its client secret, its client key and
    /// its registration handle (the registration itself stays at the
    /// provider: [`Engine::remove_profile_and_registration`] deletes it).
    pub async fn remove_profile(&self, name: &str) -> Result<bool, ProfileOpError> {
        // Not while another process refreshes this profile's session.
        let _lock = self.lock(name).await?;
        let mut file = self.profiles()?;
        let name_owned = name.to_string();
        self.with_sessions(move |sessions| {
            sessions.delete(&name_owned)?;
            sessions.delete_client_secret(&name_owned)?;
            sessions.delete_client_key(&name_owned)?;
            sessions.delete_registration(&name_owned)?;
            sessions.delete_dpop_key(&name_owned)
        })
        .await?;
        self.held().release(name);
        let existed = file.remove(name);
        file.save(self.paths())?;
        self.publish(SessionEvent {
            profile: name.to_string(),
            change: SessionChange::ProfileRemoved,
            obtained_at: None,
        });
        Ok(existed)
    }
}
