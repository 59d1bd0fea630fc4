//! A profile set up from an API URL (`tessera login --resource-url`, "Add
//! profile → From an API URL"), and the dynamic registration it may make,
//! deleted again with the profile (RFC 7592).
//!
//! | discovery | client asked for | registration endpoint | outcome |
//! |---|---|---|---|
//! | no usable authorization server | any | any | [`SetUpError::Discovery`]: the failing step |
//! | usable | a client id | any | a profile with that client id |
//! | usable | registration, or nothing | present | Tessera registers a native public client |
//! | usable | registration | absent | [`SetUpError::NoRegistration`], naming the way forward |
//! | usable | nothing | absent | the same: a client id is needed |
//! | the registration endpoint refuses | | | [`SetUpError::RegistrationRefused`] with its reason |
//!
//! The profile names the first usable authorization server as its issuer,
//! the metadata's `resource` as its RFC 8707 indicator (sent in the
//! authorization, token and refresh requests) and the scopes the 401 or the
//! metadata named, with `openid` and, where the server has it,
//! `offline_access`. A profile of that name made for the same server and
//! resource is reused; any other profile of that name is left alone.
//! The registration handle goes to the keyring before the profile file, so a
//! profile that says `registered_client` always has one to delete.

use serde_json::Value;
use url::Url;

use crate::engine::Engine;
use crate::error::{EngineError, ErrorFacts, ErrorKind};
use crate::profile::{is_name_char, Profile, ProfileError};
use crate::protocol::registration::{
    native_client_metadata, parse_answer, RegistrationAnswerError, RegistrationManagement,
};
use crate::seams::http::{
    check_endpoint_url, parse_json, Endpoint, Http, HttpError, HttpRequest, Method,
};
use crate::seams::store::StoreError;
use crate::session::discover::{DiscoverError, ResourceDiscovery, ServerFinding};
use crate::session::profiles::{ProfileOpError, SecretChange};

/// Which client the new profile uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientChoice {
    /// A client registered by hand.
    Given(String),
    /// Register one (RFC 7591); refused when the server cannot.
    Register,
    /// Register when the server can, else say a client id is needed.
    Automatic,
}

/// What to set up.
#[derive(Debug, Clone)]
pub struct ResourceSetUpRequest {
    /// The API URL.
    pub url: String,
    /// The profile's name; by default one made from the resource's host.
    pub profile: Option<String>,
    /// The client.
    pub client: ClientChoice,
}

/// A profile ready to sign in.
#[derive(Debug, Clone)]
pub struct ResourceSetUp {
    /// The saved profile.
    pub profile: Profile,
    /// The walk that found it.
    pub discovery: ResourceDiscovery,
    /// The resource indicator the profile sends.
    pub resource: String,
    /// Tessera registered the client now.
    pub registered: bool,
    /// An existing profile for the same server and resource was reused.
    pub reused: bool,
}

/// Why a profile could not be set up from the URL. Nothing was saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetUpError {
    /// The URL is not usable.
    #[error(transparent)]
    Url(#[from] DiscoverError),
    /// No authorization server is usable: the failing step.
    #[error("{0}")]
    Discovery(String),
    /// A client id is needed: the server cannot register Tessera.
    #[error("{0}")]
    NoRegistration(String),
    /// The registration endpoint said no.
    #[error("dynamic registration refused: {0}")]
    RegistrationRefused(String),
    /// The registration answer is unusable.
    #[error(transparent)]
    RegistrationAnswer(#[from] RegistrationAnswerError),
    /// A profile of that name exists for another server or resource.
    #[error("a profile named \"{0}\" already exists for another provider or resource; choose another name")]
    Exists(String),
    /// Saving the profile or the handle failed.
    #[error(transparent)]
    Profile(#[from] ProfileOpError),
    /// The keyring failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The registration endpoint could not be reached.
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl From<ProfileError> for SetUpError {
    fn from(e: ProfileError) -> Self {
        Self::Profile(ProfileOpError::Profile(e))
    }
}

impl EngineError for SetUpError {
    fn kind(&self) -> ErrorKind {
        match self {
            SetUpError::Url(e) => e.kind(),
            SetUpError::Discovery(_) => ErrorKind::DiscoveryFailed,
            SetUpError::NoRegistration(_) => ErrorKind::Unsupported,
            SetUpError::RegistrationRefused(_) | SetUpError::RegistrationAnswer(_) => {
                ErrorKind::ClientRejected
            }
            SetUpError::Exists(_) => ErrorKind::ProfileExists,
            SetUpError::Profile(e) => e.kind(),
            SetUpError::Store(e) => e.kind(),
            SetUpError::Http(e) => e.kind(),
        }
    }

    fn facts(&self) -> ErrorFacts {
        match self {
            SetUpError::Url(e) => e.facts(),
            SetUpError::Exists(name) => ErrorFacts::profile(name),
            SetUpError::RegistrationRefused(_)
            | SetUpError::RegistrationAnswer(_)
            | SetUpError::NoRegistration(_) => ErrorFacts::endpoint(Endpoint::Registration),
            SetUpError::Profile(e) => e.facts(),
            SetUpError::Store(e) => e.facts(),
            SetUpError::Http(e) => e.facts(),
            SetUpError::Discovery(_) => ErrorFacts::default(),
        }
    }
}

/// A profile name from the resource's host and port: `127.0.0.1-8080`,
/// `api.example.com`.
pub fn default_profile_name(resource: &str) -> String {
    let url = Url::parse(resource).ok();
    let host = url
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "api".into());
    let mut name: String = host
        .chars()
        .map(|c| if is_name_char(c) { c } else { '-' })
        .collect();
    if let Some(port) = url.as_ref().and_then(Url::port) {
        name.push_str(&format!("-{port}"));
    }
    name.truncate(64);
    name
}

/// The scopes a profile for this resource asks for.
fn scopes_for(discovery: &ResourceDiscovery, server: &ServerFinding) -> Vec<String> {
    let mut scopes = vec!["openid".to_string()];
    if server.offline_access && server.offers_refresh() {
        scopes.push("offline_access".into());
    }
    for s in &discovery.scopes {
        if !scopes.contains(s) {
            scopes.push(s.clone());
        }
    }
    scopes
}

impl Engine {
    /// Walks from the URL to a usable authorization server, registers a
    /// client when asked or needed, and saves the profile.
    pub async fn set_up_from_resource(
        &self,
        request: ResourceSetUpRequest,
    ) -> Result<ResourceSetUp, SetUpError> {
        let discovery = self.discover_resource(&request.url).await?;
        let (Some(server), Some(resource)) = (
            discovery.usable_server().cloned(),
            discovery.resource.clone(),
        ) else {
            return Err(SetUpError::Discovery(
                discovery
                    .failure()
                    .unwrap_or_else(|| discovery.way_forward.clone()),
            ));
        };
        let name = request
            .profile
            .clone()
            .unwrap_or_else(|| default_profile_name(&resource));
        let scopes = scopes_for(&discovery, &server);

        if let Some(existing) = self.profiles()?.profiles.get(&name).cloned() {
            let same_client = match &request.client {
                ClientChoice::Given(id) => *id == existing.client_id,
                ClientChoice::Register | ClientChoice::Automatic => true,
            };
            if existing.issuer == server.issuer
                && existing.params.resource.contains(&resource)
                && same_client
            {
                return Ok(ResourceSetUp {
                    profile: existing,
                    discovery,
                    resource,
                    registered: false,
                    reused: true,
                });
            }
            return Err(SetUpError::Exists(name));
        }

        let mut profile = Profile::new(&name, &server.issuer, "");
        profile.scopes = scopes.clone();
        profile.params.resource = vec![resource.clone()];
        profile.dpop = discovery.dpop_required;
        let http = self.http_for(None)?;
        let management = match (&request.client, &server.registration_endpoint) {
            (ClientChoice::Given(id), _) => {
                profile.client_id = id.clone();
                None
            }
            (ClientChoice::Register | ClientChoice::Automatic, Some(endpoint)) => {
                let registered =
                    register(&http, endpoint, &scopes, server.offers_refresh()).await?;
                profile.client_id = registered.client_id;
                profile.registered_client = registered.management.is_some();
                registered.management
            }
            (ClientChoice::Register | ClientChoice::Automatic, None) => {
                return Err(SetUpError::NoRegistration(discovery.way_forward.clone()));
            }
        };
        profile.validate()?;

        if let Some(m) = &management {
            let handle = m.to_keyring();
            let owned = name.clone();
            self.with_sessions(move |s| s.save_registration(&owned, &handle))
                .await?;
        }
        let saved = match self.create_profile(profile, SecretChange::Keep).await {
            Ok(p) => p,
            Err(e) => {
                // Nothing is kept: neither the handle nor, where it can be
                // undone, the registration.
                if let Some(m) = &management {
                    let _ = delete_registration(&http, m).await;
                    let owned = name.clone();
                    let _ = self
                        .with_sessions(move |s| s.delete_registration(&owned))
                        .await;
                }
                return Err(e.into());
            }
        };
        Ok(ResourceSetUp {
            profile: saved,
            discovery,
            resource,
            registered: management.is_some(),
            reused: false,
        })
    }

    /// Deletes the profile's dynamic registration at the provider (RFC 7592
    /// §2.3), then the profile as [`Engine::remove_profile`] does. A refused
    /// deletion keeps everything.
    pub async fn remove_profile_and_registration(
        &self,
        name: &str,
    ) -> Result<bool, ProfileOpError> {
        let owned = name.to_string();
        let stored = self.with_sessions(move |s| s.registration(&owned)).await?;
        let Some(management) = stored
            .as_ref()
            .and_then(RegistrationManagement::from_keyring)
        else {
            return Err(ProfileOpError::NoRegistration(name.to_string()));
        };
        let http = self.http_for(None)?;
        delete_registration(&http, &management).await?;
        self.remove_profile(name).await
    }
}

/// RFC 7591 §3.1: the client metadata as JSON; 201 (or 200) with the client.
async fn register(
    http: &Http,
    endpoint: &str,
    scopes: &[String],
    refresh: bool,
) -> Result<crate::protocol::registration::Registered, SetUpError> {
    let url = Url::parse(endpoint).map_err(|_| {
        SetUpError::RegistrationRefused(format!(
            "the registration endpoint {endpoint} is not a URL"
        ))
    })?;
    check_endpoint_url(Endpoint::Registration, &url, false)?;
    let body = native_client_metadata(scopes, refresh)
        .to_string()
        .into_bytes();
    let request = HttpRequest {
        endpoint: Endpoint::Registration,
        method: Method::Post,
        url,
        headers: vec![
            ("accept".into(), "application/json".into()),
            ("content-type".into(), "application/json".into()),
        ],
        body: Some(body),
    };
    let answer = match http.send(request).await {
        Ok(r) => r,
        Err(e @ HttpError::Status { .. }) => {
            return Err(SetUpError::RegistrationRefused(
                e.oauth_detail().unwrap_or_else(|| e.to_string()),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let doc: Value = parse_json(Endpoint::Registration, &answer.body)?;
    Ok(parse_answer(&doc)?)
}

/// RFC 7592 §2.3: DELETE with the registration access token; a registration
/// already gone (404) counts as deleted.
async fn delete_registration(
    http: &Http,
    management: &RegistrationManagement,
) -> Result<(), HttpError> {
    let url = Url::parse(&management.client_uri).map_err(|_| HttpError::InvalidJson {
        endpoint: Endpoint::Registration,
        reason: "its registration_client_uri is not a URL".into(),
    })?;
    check_endpoint_url(Endpoint::Registration, &url, false)?;
    let request = HttpRequest {
        endpoint: Endpoint::Registration,
        method: Method::Delete,
        url,
        headers: vec![(
            "authorization".into(),
            format!("Bearer {}", management.access_token.expose()),
        )],
        body: None,
    };
    match http.send(request).await {
        Ok(_) => Ok(()),
        Err(HttpError::Status { status: 404, .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_name_comes_from_the_resource_host_and_port() {
        assert_eq!(
            default_profile_name("http://127.0.0.1:8123/api"),
            "127.0.0.1-8123"
        );
        assert_eq!(
            default_profile_name("https://api.example.com/v1"),
            "api.example.com"
        );
    }
}
