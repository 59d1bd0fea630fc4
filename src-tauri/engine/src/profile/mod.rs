//! Profiles: how to reach one provider as one client.
//!
//! They live in `profiles.toml` in the OS config directory (or
//! `$TESSERA_CONFIG_DIR`), shared by the command line and the desktop app.
//! Secrets never go in that file: a client secret lives in the keyring, and the
//! file only records that one exists.

pub mod fapi;
pub mod presets;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use url::Url;

pub use crate::protocol::assertion::AssertionAudience;
pub use crate::protocol::authorize::AuthParams;
use crate::protocol::authorize::ClientRequest;
pub use crate::protocol::client_key::{ClientKeyInfo, KeyAlg};
pub use crate::protocol::discovery::ManualEndpoints;
use crate::protocol::discovery::ProviderSource;
pub use crate::protocol::token::ClientAuthMethod;
pub use crate::seams::paths::{NoConfigDir, Paths};
use crate::seams::private_files::write_private_atomically;

/// Scopes used when a profile names none.
pub const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email"];

/// Where the browser returns to after sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Redirect {
    /// `http://127.0.0.1:{port}{path}`; port 0 picks a free port per sign-in.
    Loopback {
        /// 0 for an ephemeral port.
        #[serde(default)]
        port: u16,
        /// Path the browser is sent back to, e.g. `/callback`; must start with `/`.
        #[serde(default = "default_path")]
        path: String,
    },
    /// A private-use URI scheme (RFC 8252 §7.1), received by the desktop app.
    CustomScheme {
        /// e.g. `dev.tessera.app:/callback`.
        uri: String,
    },
}

fn default_path() -> String {
    "/callback".to_string()
}

impl Default for Redirect {
    fn default() -> Self {
        Redirect::Loopback {
            port: 0,
            path: default_path(),
        }
    }
}

/// How a profile gets its tokens.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// The authorization code flow with PKCE through the browser (the default).
    #[default]
    AuthorizationCode,
    /// The device authorization grant (RFC 8628): a code the user types on another device.
    DeviceCode,
    /// The client credentials grant: the client's own token, no user.
    ClientCredentials,
}

impl Grant {
    /// The OAuth name, e.g. `client_credentials`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization_code",
            Grant::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            Grant::ClientCredentials => "client_credentials",
        }
    }

    /// Whether a user signs in (so an ID token and claims are expected).
    pub fn has_user(self) -> bool {
        !matches!(self, Grant::ClientCredentials)
    }
}

/// How the authorization response comes back to the redirect URI.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// `code`, `state` and `iss` as query parameters (the default).
    #[default]
    Query,
    /// One signed JWT, `response` (JARM, response mode `jwt`), checked
    /// against the provider's keys before anything in it is read.
    Jwt,
}

/// One provider + client configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile's name (the TOML table key).
    #[serde(skip)]
    pub name: String,
    /// The issuer, compared as an exact string with discovery and tokens.
    pub issuer: String,
    /// Endpoints to use instead of discovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<ManualEndpoints>,
    /// The client id registered with the provider, sent as `client_id`.
    pub client_id: String,
    /// Whether a client secret is stored in the keyring for this profile.
    #[serde(default)]
    pub client_secret_in_keyring: bool,
    /// How the client authenticates (a secret, an assertion, a certificate, or none).
    #[serde(default)]
    pub client_auth: ClientAuthMethod,
    /// How the profile gets its tokens.
    #[serde(default, skip_serializing_if = "is_default")]
    pub grant: Grant,
    /// The `aud` of client assertions (`client_secret_jwt`, `private_key_jwt`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub assertion_audience: AssertionAudience,
    /// The public facts of the client key in the keyring (for `private_key_jwt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<ClientKeyInfo>,
    /// Push the authorization request first (PAR, RFC 9126); always done
    /// when the provider requires it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub par: bool,
    /// Bind tokens to a DPoP key (RFC 9449); the key is made on first use.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dpop: bool,
    /// The DPoP key's algorithm (ES256 when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_alg: Option<KeyAlg>,
    /// Send the authorization request as a signed request object (JAR,
    /// RFC 9101), signed with the client key; always done when the
    /// provider requires it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub request_object: bool,
    /// How the authorization response comes back.
    #[serde(default, skip_serializing_if = "is_default")]
    pub response_mode: ResponseMode,
    /// Requested scopes; `openid` is always included.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Where the browser returns after sign-in; by default a loopback port picked per sign-in.
    #[serde(default)]
    pub redirect: Redirect,
    /// Extra authorization parameters.
    #[serde(default)]
    pub params: AuthParams,
    /// Extra CA certificate (PEM) for a development provider with its own TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// Allow plain http to a non-loopback host.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Command that opens URLs instead of the system browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Registered post-logout redirect URI, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_logout_redirect_uri: Option<String>,
    /// The provider preset the profile was made from ([`crate::profile::presets`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// For a multi-tenant issuer (Entra's `…/common/v2.0`): the tenant ids
    /// whose tokens are accepted. Empty accepts any tenant, each token still
    /// checked against its own `tid`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<String>,
    /// The client id came from dynamic registration (RFC 7591) by Tessera;
    /// the handle that can delete it (RFC 7592) is in the keyring.
    #[serde(default, skip_serializing_if = "is_default")]
    pub registered_client: bool,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn default_scopes() -> Vec<String> {
    DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect()
}

/// Why a profile or the profile file is unusable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The profile file has no profile with this name.
    #[error("no profile named \"{0}\"; add it first (an issuer and a client id)")]
    NotFound(String),
    /// The name is not 1-64 letters, digits, `.`, `_` or `-`; holds the name as given.
    #[error("invalid profile name \"{0}\": use 1-64 letters, digits, '.', '_' or '-'")]
    InvalidName(String),
    /// A field failed [`Profile::validate`].
    #[error("profile \"{profile}\": {field} {reason}")]
    Invalid {
        /// Name of the profile that failed validation.
        profile: String,
        /// TOML key of the bad field, e.g. `client_id` or `redirect.uri`.
        field: &'static str,
        /// What is wrong, worded to follow the field name, e.g. `is empty`.
        reason: String,
    },
    /// The file cannot be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// Verb for the message: `read`, `write`, `replace` or `create the directory of`.
        action: &'static str,
        /// Path of `profiles.toml`, even when the temporary file was the one that failed.
        path: PathBuf,
        /// The OS error, kept as the source so hosts can read its kind.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML for profiles.
    #[error("{path} is not a valid profile file: {reason}")]
    Parse {
        /// Path of `profiles.toml`.
        path: PathBuf,
        /// The TOML parser's message (or the serializer's, when saving).
        reason: String,
    },
    /// No config directory could be found.
    #[error(transparent)]
    NoConfigDir(#[from] NoConfigDir),
}

impl Profile {
    /// Where this profile's provider metadata comes from.
    pub fn provider(&self) -> ProviderSource<'_> {
        ProviderSource {
            issuer: &self.issuer,
            endpoints: self.endpoints.as_ref(),
            allow_insecure_http: self.allow_insecure_http,
            mutual_tls: self.client_auth.is_mutual_tls(),
        }
    }

    /// `x5t#S256` of the client certificate the profile presents, when it
    /// authenticates with mutual TLS: what its bound tokens must name.
    pub fn presented_certificate(&self) -> Option<&str> {
        self.client_key
            .as_ref()
            .filter(|_| self.client_auth.is_mutual_tls())
            .and_then(|k| k.x5t_s256.as_deref())
    }

    /// The client and its authorization parameters, as the request needs them.
    pub fn client_request(&self) -> ClientRequest<'_> {
        ClientRequest {
            client_id: &self.client_id,
            scopes: &self.scopes,
            params: &self.params,
        }
    }

    /// A new loopback profile with default scopes.
    pub fn new(name: &str, issuer: &str, client_id: &str) -> Self {
        Self {
            name: name.to_string(),
            issuer: issuer.to_string(),
            endpoints: None,
            client_id: client_id.to_string(),
            client_secret_in_keyring: false,
            client_auth: ClientAuthMethod::default(),
            grant: Grant::default(),
            assertion_audience: AssertionAudience::default(),
            client_key: None,
            par: false,
            dpop: false,
            dpop_alg: None,
            request_object: false,
            response_mode: ResponseMode::default(),
            scopes: default_scopes(),
            redirect: Redirect::default(),
            params: AuthParams::default(),
            ca_file: None,
            allow_insecure_http: false,
            browser: None,
            post_logout_redirect_uri: None,
            preset: None,
            tenants: Vec::new(),
            registered_client: false,
        }
    }

    /// Checks every field and normalises scopes (adds `openid`, drops
    /// duplicates). Called before a profile is used or saved.
    pub fn validate(&mut self) -> Result<(), ProfileError> {
        check_name(&self.name)?;
        let invalid = |field, reason: String| ProfileError::Invalid {
            profile: self.name.clone(),
            field,
            reason,
        };
        let issuer = Url::parse(&self.issuer)
            .map_err(|e| invalid("issuer", format!("is not a URL ({e})")))?;
        if issuer.query().is_some() || issuer.fragment().is_some() {
            return Err(invalid(
                "issuer",
                "must not have a query or fragment".into(),
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err(invalid("client_id", "is empty".into()));
        }
        if let Some(ep) = &self.endpoints {
            for (field, value) in [
                ("endpoints.authorization", Some(&ep.authorization)),
                ("endpoints.token", Some(&ep.token)),
                ("endpoints.jwks", Some(&ep.jwks)),
                ("endpoints.userinfo", ep.userinfo.as_ref()),
                ("endpoints.revocation", ep.revocation.as_ref()),
                ("endpoints.introspection", ep.introspection.as_ref()),
                ("endpoints.end_session", ep.end_session.as_ref()),
            ] {
                if let Some(v) = value {
                    Url::parse(v).map_err(|e| invalid(field, format!("is not a URL ({e})")))?;
                }
            }
        }
        // A client's own token has no user, so no `openid`: its scopes are
        // exactly those given.
        if !self.grant.has_user() && self.scopes == default_scopes() {
            // The defaults are a user's scopes; a service asks for none unless told.
            self.scopes.clear();
        }
        let mut scopes: Vec<String> = if self.grant.has_user() {
            vec!["openid".to_string()]
        } else {
            Vec::new()
        };
        for s in self.scopes.iter().flat_map(|s| s.split_whitespace()) {
            if !scopes.iter().any(|x| x == s) {
                scopes.push(s.to_string());
            }
        }
        self.scopes = scopes;
        match &self.redirect {
            Redirect::Loopback { path, .. } if !path.starts_with('/') => {
                return Err(invalid("redirect.path", "must start with '/'".into()));
            }
            Redirect::CustomScheme { uri } => {
                let u = Url::parse(uri)
                    .map_err(|e| invalid("redirect.uri", format!("is not a URI ({e})")))?;
                if matches!(u.scheme(), "http" | "https") || !u.scheme().contains('.') {
                    return Err(invalid(
                        "redirect.uri",
                        "must use a reverse-domain private scheme such as dev.tessera.app:/callback (RFC 8252 §7.1)".into(),
                    ));
                }
            }
            Redirect::Loopback { .. } => {}
        }
        if let Some(claims) = &self.params.claims {
            match serde_json::from_str::<serde_json::Value>(claims) {
                Ok(serde_json::Value::Object(_)) => {}
                _ => return Err(invalid("params.claims", "must be a JSON object".into())),
            }
        }
        if self.request_object && self.client_auth != ClientAuthMethod::PrivateKeyJwt {
            return Err(invalid(
                "request_object",
                "needs the client key of private_key_jwt: set client_auth to private_key_jwt"
                    .into(),
            ));
        }
        if let Some(path) = &self.ca_file {
            if !path.is_file() {
                return Err(invalid(
                    "ca_file",
                    format!("{} does not exist", path.display()),
                ));
            }
        }
        Ok(())
    }
}

/// A character a profile name may hold: letters, digits, `.`, `_`, `-`.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Checks a profile name.
pub fn check_name(name: &str) -> Result<(), ProfileError> {
    let ok = !name.is_empty() && name.len() <= 64 && name.chars().all(is_name_char);
    if ok {
        Ok(())
    } else {
        Err(ProfileError::InvalidName(name.to_string()))
    }
}

/// The whole profile file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFile {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Every profile, keyed by name; loading copies each key into [`Profile::name`].
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl ProfileFile {
    /// Reads the file; a missing file is an empty set.
    pub fn load(paths: &Paths) -> Result<Self, ProfileError> {
        let path = paths.profiles_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(ProfileError::Io {
                    action: "read",
                    path,
                    source,
                })
            }
        };
        let mut file: Self = toml::from_str(&text).map_err(|e| ProfileError::Parse {
            path: path.clone(),
            reason: e.message().to_string(),
        })?;
        for (name, profile) in file.profiles.iter_mut() {
            profile.name = name.clone();
        }
        Ok(file)
    }

    /// Writes the file atomically (temp file + rename).
    pub fn save(&self, paths: &Paths) -> Result<(), ProfileError> {
        let path = paths.profiles_file();
        let io = |action, source| ProfileError::Io {
            action,
            path: path.clone(),
            source,
        };
        let text = toml::to_string_pretty(self).map_err(|e| ProfileError::Parse {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let header = "# Tessera profiles. Secrets are never stored here: client secrets and\n# sessions live in the OS keyring.\n\n";
        write_private_atomically(&path, format!("{header}{text}").as_bytes())
            .map_err(|e| io("write", e))
    }

    /// The profile to use: the named one, else `$TESSERA_PROFILE`, else the
    /// default, else the only one, else `default`.
    pub fn resolve_name(&self, requested: Option<&str>) -> String {
        if let Some(name) = requested {
            return name.to_string();
        }
        if let Ok(name) = std::env::var("TESSERA_PROFILE") {
            if !name.is_empty() {
                return name;
            }
        }
        if let Some(name) = &self.default_profile {
            if self.profiles.contains_key(name) {
                return name.clone();
            }
        }
        if self.profiles.len() == 1 {
            if let Some(name) = self.profiles.keys().next() {
                return name.clone();
            }
        }
        "default".to_string()
    }

    /// The named profile, or [`ProfileError::NotFound`].
    pub fn get(&self, name: &str) -> Result<&Profile, ProfileError> {
        self.profiles
            .get(name)
            .ok_or_else(|| ProfileError::NotFound(name.to_string()))
    }

    /// Inserts or replaces a profile; the first one becomes the default.
    pub fn upsert(&mut self, profile: Profile) {
        if self.default_profile.is_none() {
            self.default_profile = Some(profile.name.clone());
        }
        self.profiles.insert(profile.name.clone(), profile);
    }

    /// Removes a profile; returns whether it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        let existed = self.profiles.remove(name).is_some();
        if self.default_profile.as_deref() == Some(name) {
            self.default_profile = self.profiles.keys().next().cloned();
        }
        existed
    }
}

impl crate::error::EngineError for ProfileError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            ProfileError::NotFound(_) => ErrorKind::NoSuchProfile,
            ProfileError::InvalidName(_) | ProfileError::Invalid { .. } => {
                ErrorKind::InvalidProfile
            }
            ProfileError::Parse { .. } => ErrorKind::InvalidProfile,
            ProfileError::Io { .. } | ProfileError::NoConfigDir(_) => ErrorKind::Io,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            ProfileError::NotFound(name) | ProfileError::InvalidName(name) => {
                crate::error::ErrorFacts::profile(name)
            }
            ProfileError::Invalid { profile, .. } => crate::error::ErrorFacts::profile(profile),
            _ => crate::error::ErrorFacts::default(),
        }
    }
}

impl crate::engine::Engine {
    /// Reads the profile file from disk each time; a missing file reads as empty.
    pub fn profiles(&self) -> Result<ProfileFile, ProfileError> {
        ProfileFile::load(self.paths())
    }

    /// A profile by name (or the default one when `None`).
    pub fn profile(&self, name: Option<&str>) -> Result<Profile, ProfileError> {
        let file = self.profiles()?;
        let name = file.resolve_name(name);
        file.get(&name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_profile_file_and_its_new_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("tessera-profile-mode-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let paths = Paths::under(&dir.join("config"));
        let mut file = ProfileFile::default();
        file.upsert(Profile::new("local", "http://127.0.0.1:9090", "tessera"));
        file.save(&paths).expect("saved");
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("exists").permissions().mode() & 0o777
        };
        assert_eq!(
            mode(&paths.profiles_file()),
            0o600,
            "profiles.toml is the user's only"
        );
        assert_eq!(
            mode(&paths.config_dir),
            0o700,
            "so is the config folder Tessera made"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn profile_file_round_trips_and_keeps_names() {
        let dir = std::env::temp_dir().join(format!("tessera-profile-test-{}", std::process::id()));
        let paths = Paths::under(&dir);
        let mut file = ProfileFile::default();
        let mut p = Profile::new("local", "http://127.0.0.1:9090", "tessera");
        p.params.prompt = Some("login".into());
        p.validate().unwrap();
        file.upsert(p.clone());
        file.save(&paths).unwrap();
        let loaded = ProfileFile::load(&paths).unwrap();
        assert_eq!(
            loaded.get("local").unwrap(),
            &p,
            "a saved profile loads back unchanged"
        );
        assert_eq!(
            loaded.default_profile.as_deref(),
            Some("local"),
            "the first profile becomes the default"
        );
        let text = std::fs::read_to_string(paths.profiles_file()).unwrap();
        assert!(!text.contains("secret ="), "no secret values in the file");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn validate_adds_openid_and_rejects_bad_fields() {
        let mut p = Profile::new("p", "https://idp.example", "c");
        p.scopes = vec!["profile email".into(), "email".into()];
        p.validate().unwrap();
        assert_eq!(
            p.scopes,
            vec!["openid", "profile", "email"],
            "openid first, duplicates dropped"
        );

        let mut bad = Profile::new("p", "not a url", "c");
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("issuer is not a URL"));
        let mut bad = Profile::new("p", "https://idp.example", "c");
        bad.params.claims = Some("[1]".into());
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("JSON object"));
        let mut bad = Profile::new("p", "https://idp.example", "c");
        bad.redirect = Redirect::CustomScheme {
            uri: "myapp:/cb".into(),
        };
        assert!(
            bad.validate().is_err(),
            "a scheme without a dot is not reverse-domain"
        );
        assert!(
            check_name("../etc").is_err(),
            "path characters are refused in names"
        );
    }
}
