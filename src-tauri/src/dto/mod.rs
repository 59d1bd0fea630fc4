//! What crosses IPC: the types the window receives and sends, built from
//! engine types. Tokens are never among them.
//!
//! The TypeScript side (`ui/src/lib/bindings.ts`) is generated from these
//! types; the test at the bottom fails when it is stale and rewrites it when
//! run with `TESSERA_UPDATE_BINDINGS=1`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_engine::claims;
use tessera_engine::claims::Claim;
pub use tessera_engine::claims::{ClaimKind, ClaimSource};
pub use tessera_engine::discovery::CapabilityStatus;
use tessera_engine::discovery::ProviderReport as EngineReport;
use tessera_engine::presets;
pub use tessera_engine::profile::{
    AssertionAudience, ClientAuthMethod, Grant, KeyAlg, ResponseMode,
};
use tessera_engine::profile::{AuthParams, ClientKeyInfo, Profile, Redirect};
use tessera_engine::profiles::{ProfileStatus, SecretChange};
use tessera_engine::protocol::client_key::ClientKey;
use tessera_engine::secret::SecretString;
use tessera_engine::session::Session;

use crate::error::IpcError;

pub mod api;
pub mod inspector;
pub mod resource;

/// A profile in the sidebar.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileSummary {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub grant: Grant,
    pub signed_in: bool,
    pub user: Option<String>,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub expires_at: Option<i64>,
    /// Why the stored session cannot be read (damaged), if it cannot.
    pub problem: Option<String>,
    /// Error-level findings of the provider's last conformance check, when it ran lately.
    pub conformance_errors: Option<u32>,
    /// The client was registered by Tessera (RFC 7591): removing the
    /// profile can delete the registration.
    pub registered_client: bool,
}

/// Every profile and the active one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Overview {
    pub profiles: Vec<ProfileSummary>,
    pub active: Option<String>,
}

impl Overview {
    pub fn new(statuses: Vec<ProfileStatus>, active: Option<String>) -> Self {
        Self {
            profiles: statuses
                .into_iter()
                .map(|s| ProfileSummary {
                    name: s.profile.name,
                    issuer: s.profile.issuer,
                    client_id: s.profile.client_id,
                    grant: s.profile.grant,
                    signed_in: s.signed_in,
                    user: s.user,
                    expires_at: s.expires_at,
                    problem: s.problem,
                    conformance_errors: s
                        .conformance_errors
                        .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
                    registered_client: s.profile.registered_client,
                })
                .collect(),
            active,
        }
    }
}

/// Where the browser comes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RedirectForm {
    Loopback { port: u16, path: String },
    CustomScheme { uri: String },
}

impl From<&Redirect> for RedirectForm {
    fn from(r: &Redirect) -> Self {
        match r {
            Redirect::Loopback { port, path } => RedirectForm::Loopback {
                port: *port,
                path: path.clone(),
            },
            Redirect::CustomScheme { uri } => RedirectForm::CustomScheme { uri: uri.clone() },
        }
    }
}

impl From<RedirectForm> for Redirect {
    fn from(r: RedirectForm) -> Self {
        match r {
            RedirectForm::Loopback { port, path } => Redirect::Loopback { port, path },
            RedirectForm::CustomScheme { uri } => Redirect::CustomScheme { uri },
        }
    }
}

/// The profile editor's form. `client_secret` is write-only: it is never
/// filled in when a profile is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileForm {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub has_client_secret: bool,
    pub clear_client_secret: bool,
    pub client_auth: ClientAuthMethod,
    pub grant: Grant,
    pub assertion_audience: AssertionAudience,
    /// Read-only: the key in the keyring, made or imported with the key commands.
    pub client_key: Option<ClientKeyView>,
    /// Push the authorization request first (PAR).
    pub par: bool,
    /// Bind tokens with DPoP.
    pub dpop: bool,
    /// The DPoP key's algorithm; ES256 when absent.
    pub dpop_alg: Option<KeyAlg>,
    /// Send the request as a signed request object (JAR).
    pub request_object: bool,
    /// How the authorization response comes back (`jwt`: JARM).
    pub response_mode: ResponseMode,
    pub scopes: Vec<String>,
    pub redirect: RedirectForm,
    pub prompt: Option<String>,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub max_age: Option<u64>,
    pub acr_values: Option<String>,
    pub login_hint: Option<String>,
    pub ui_locales: Option<String>,
    pub audience: Option<String>,
    pub resource: Vec<String>,
    pub allow_insecure_http: bool,
    pub post_logout_redirect_uri: Option<String>,
    pub preset: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl ProfileForm {
    pub fn from_profile(p: &Profile) -> Self {
        Self {
            name: p.name.clone(),
            issuer: p.issuer.clone(),
            client_id: p.client_id.clone(),
            client_secret: None,
            has_client_secret: p.client_secret_in_keyring,
            clear_client_secret: false,
            client_auth: p.client_auth,
            grant: p.grant,
            assertion_audience: p.assertion_audience,
            client_key: p.client_key.as_ref().map(ClientKeyView::from_info),
            par: p.par,
            dpop: p.dpop,
            dpop_alg: p.dpop_alg,
            request_object: p.request_object,
            response_mode: p.response_mode,
            scopes: p.scopes.clone(),
            redirect: (&p.redirect).into(),
            prompt: p.params.prompt.clone(),
            max_age: p.params.max_age,
            acr_values: p.params.acr_values.clone(),
            login_hint: p.params.login_hint.clone(),
            ui_locales: p.params.ui_locales.clone(),
            audience: p.params.audience.clone(),
            resource: p.params.resource.clone(),
            allow_insecure_http: p.allow_insecure_http,
            post_logout_redirect_uri: p.post_logout_redirect_uri.clone(),
            preset: p.preset.clone(),
        }
    }

    /// The profile to save over `existing` (whose fields the form does not
    /// cover, such as manual endpoints, are kept) and the secret change.
    pub fn into_profile(self, existing: Option<Profile>) -> (Profile, SecretChange) {
        let mut p = existing.unwrap_or_else(|| Profile::new(&self.name, "", ""));
        p.name = self.name.trim().to_string();
        p.issuer = self.issuer.trim().to_string();
        p.client_id = self.client_id.trim().to_string();
        p.client_auth = self.client_auth;
        p.grant = self.grant;
        p.assertion_audience = self.assertion_audience;
        p.par = self.par;
        p.dpop = self.dpop;
        p.dpop_alg = self.dpop_alg;
        p.request_object = self.request_object;
        p.response_mode = self.response_mode;
        p.scopes = self.scopes;
        p.redirect = self.redirect.into();
        p.params = AuthParams {
            prompt: non_empty(self.prompt),
            max_age: self.max_age,
            acr_values: non_empty(self.acr_values),
            login_hint: non_empty(self.login_hint),
            ui_locales: non_empty(self.ui_locales),
            audience: non_empty(self.audience),
            resource: self
                .resource
                .into_iter()
                .filter(|r| !r.trim().is_empty())
                .collect(),
            claims: p.params.claims.take(),
        };
        p.allow_insecure_http = self.allow_insecure_http;
        p.post_logout_redirect_uri = non_empty(self.post_logout_redirect_uri);
        p.preset = non_empty(self.preset);
        let secret = match (non_empty(self.client_secret), self.clear_client_secret) {
            (Some(s), _) => SecretChange::Set(SecretString::new(s)),
            (None, true) => SecretChange::Clear,
            (None, false) => SecretChange::Keep,
        };
        (p, secret)
    }
}

/// The client key's public side: what the editor shows and copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClientKeyView {
    pub alg: KeyAlg,
    /// The RFC 7638 thumbprint, also the `kid`.
    pub kid: String,
    pub x5t_s256: Option<String>,
    /// The public JWK Set as JSON text, to register with the provider; empty
    /// when only the profile file's facts were read.
    pub public_jwks: String,
}

impl ClientKeyView {
    pub fn from_info(info: &ClientKeyInfo) -> Self {
        Self {
            alg: info.alg,
            kid: info.kid.clone(),
            x5t_s256: info.x5t_s256.clone(),
            public_jwks: String::new(),
        }
    }

    pub fn from_key(key: &ClientKey) -> Self {
        Self {
            public_jwks: serde_json::to_string_pretty(&key.public_jwks()).unwrap_or_default(),
            ..Self::from_info(&key.info())
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PresetField {
    pub key: String,
    pub label: String,
    pub placeholder: String,
    pub default: String,
    pub help: String,
}

/// A provider preset for the editor.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Preset {
    pub id: String,
    pub name: String,
    pub issuer_template: String,
    pub fields: Vec<PresetField>,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub redirect: RedirectForm,
    pub needs_client_secret: bool,
    /// The grants the provider offers.
    pub grants: Vec<Grant>,
    /// The client authentication a new profile starts with, when not the usual.
    pub client_auth: Option<ClientAuthMethod>,
    /// Whether a new profile pushes its authorization requests.
    pub par: bool,
    /// Whether a new profile binds its tokens with DPoP.
    pub dpop: bool,
    pub notes: Vec<String>,
}

impl From<presets::Preset> for Preset {
    fn from(p: presets::Preset) -> Self {
        Self {
            id: p.id.into(),
            name: p.name.into(),
            issuer_template: p.issuer_template.into(),
            fields: p
                .fields
                .into_iter()
                .map(|f| PresetField {
                    key: f.key.into(),
                    label: f.label.into(),
                    placeholder: f.placeholder.into(),
                    default: f.default.into(),
                    help: f.help.into(),
                })
                .collect(),
            client_id: p.client_id.into(),
            scopes: p.scopes.into_iter().map(String::from).collect(),
            redirect: (&p.redirect).into(),
            needs_client_secret: p.needs_client_secret,
            grants: p.grants,
            client_auth: p.security.client_auth,
            par: p.security.par,
            dpop: p.security.dpop,
            notes: p.notes.into_iter().map(String::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Capability {
    pub id: String,
    pub label: String,
    pub status: CapabilityStatus,
    pub detail: String,
}

/// A provider's discovery document and what it supports.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProviderReport {
    pub issuer: String,
    pub discovery_url: String,
    pub capabilities: Vec<Capability>,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub metadata: Value,
}

impl From<EngineReport> for ProviderReport {
    fn from(r: EngineReport) -> Self {
        Self {
            issuer: r.issuer,
            discovery_url: r.discovery_url,
            capabilities: r
                .capabilities
                .into_iter()
                .map(|c| Capability {
                    id: c.id.into(),
                    label: c.label.into(),
                    status: c.status,
                    detail: c.detail,
                })
                .collect(),
            metadata: r.metadata.raw,
        }
    }
}

/// One claim of the profile view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClaimView {
    pub name: String,
    pub label: Option<String>,
    pub description: Option<String>,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub value: Value,
    pub kind: ClaimKind,
    pub source: ClaimSource,
    pub differs: bool,
}

impl From<Claim> for ClaimView {
    fn from(c: Claim) -> Self {
        Self {
            name: c.name,
            label: c.label.map(String::from),
            description: c.description.map(String::from),
            value: c.value,
            kind: c.kind,
            source: c.source,
            differs: c.differs,
        }
    }
}

/// A signed-in session as shown: claims and token metadata, no token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SessionView {
    pub profile: String,
    pub issuer: String,
    pub subject: String,
    pub display_name: String,
    pub email: Option<String>,
    pub has_picture: bool,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
    /// False for a client credentials session: no user, so no claims card.
    pub has_user: bool,
    pub claims: Vec<ClaimView>,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub id_token_claims: Value,
    #[cfg_attr(test, ts(type = "JsonValue | null"))]
    pub userinfo: Option<Value>,
    pub scopes: Vec<String>,
    pub token_type: String,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub expires_at: Option<i64>,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub refresh_at: Option<i64>,
    pub has_refresh_token: bool,
    #[cfg_attr(test, ts(type = "number"))]
    pub obtained_at: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub signed_in_at: i64,
}

impl SessionView {
    pub fn new(profile: &str, session: &Session) -> Self {
        let id_claims = session.id_token_claims().unwrap_or_default();
        let merged = session.claims();
        Self {
            profile: profile.to_string(),
            issuer: session.issuer.clone(),
            subject: session.subject.clone(),
            display_name: session.display_name(),
            email: claims::string(&merged, "email"),
            has_picture: claims::string(&merged, "picture").is_some(),
            roles: claims::roles(&merged),
            groups: claims::groups(&merged),
            has_user: session.id_token.is_some(),
            claims: merged.into_iter().map(ClaimView::from).collect(),
            id_token_claims: Value::Object(id_claims),
            userinfo: session.userinfo.clone().map(Value::Object),
            scopes: session.scopes.clone(),
            token_type: session.token_type.clone(),
            expires_at: session.expires_at,
            refresh_at: session.refresh_at(),
            has_refresh_token: session.refresh_token.is_some(),
            obtained_at: session.obtained_at,
            signed_in_at: session.signed_in_at,
        }
    }
}

/// How to sign out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SignOutMode {
    /// Forget the tokens on this device.
    Local,
    /// Revoke them at the provider, then forget them.
    Revoke,
    /// Also end the provider's session in the browser.
    EndSession,
}

/// Progress of the sign-in in flight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SignInPhase {
    Waiting {
        url: String,
        redirect_uri: String,
        #[cfg_attr(test, ts(type = "number"))]
        deadline: i64,
        browser_error: Option<String>,
    },
    /// Device flow: the code to enter, where, and a QR code of the URI
    /// with the code filled in (rows of modules, `1` dark).
    Device {
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        qr: Vec<String>,
        #[cfg_attr(test, ts(type = "number"))]
        deadline: i64,
        browser_opened: bool,
    },
    Exchanging,
    SignedIn {
        user: String,
    },
    Failed {
        error: IpcError,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SignInEvent {
    pub profile: String,
    pub phase: SignInPhase,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RefreshFailed {
    pub profile: String,
    pub error: IpcError,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use ts_rs::TS;

    const BINDINGS: &str = "ui/src/lib/bindings.ts";

    fn declarations() -> String {
        // Unix times are i64 but fit a JS number; each such field says so.
        let cfg = ts_rs::Config::new();
        let decls = [
            ErrorCode::decl(&cfg),
            IpcError::decl(&cfg),
            ProfileSummary::decl(&cfg),
            Overview::decl(&cfg),
            RedirectForm::decl(&cfg),
            ClientAuthMethod::decl(&cfg),
            Grant::decl(&cfg),
            ResponseMode::decl(&cfg),
            AssertionAudience::decl(&cfg),
            KeyAlg::decl(&cfg),
            ClientKeyView::decl(&cfg),
            ProfileForm::decl(&cfg),
            PresetField::decl(&cfg),
            Preset::decl(&cfg),
            CapabilityStatus::decl(&cfg),
            Capability::decl(&cfg),
            ProviderReport::decl(&cfg),
            ClaimSource::decl(&cfg),
            ClaimKind::decl(&cfg),
            ClaimView::decl(&cfg),
            SessionView::decl(&cfg),
            SignOutMode::decl(&cfg),
            SignInPhase::decl(&cfg),
            SignInEvent::decl(&cfg),
            RefreshFailed::decl(&cfg),
            inspector::TokenKind::decl(&cfg),
            inspector::CheckView::decl(&cfg),
            inspector::SignatureView::decl(&cfg),
            inspector::JwtView::decl(&cfg),
            inspector::TokenFormatView::decl(&cfg),
            inspector::TokenView::decl(&cfg),
            inspector::InspectionView::decl(&cfg),
            inspector::IntrospectionView::decl(&cfg),
            inspector::HistoryEntryView::decl(&cfg),
            inspector::ChangeKind::decl(&cfg),
            inspector::ClaimChangeView::decl(&cfg),
            inspector::KeySource::decl(&cfg),
            inspector::JwkView::decl(&cfg),
            inspector::ProviderView::decl(&cfg),
            inspector::HeaderView::decl(&cfg),
            inspector::HttpLogSummary::decl(&cfg),
            inspector::HttpLogDetail::decl(&cfg),
            inspector::ExchangeForm::decl(&cfg),
            inspector::OperationKind::decl(&cfg),
            inspector::OperationOutcome::decl(&cfg),
            inspector::StepKind::decl(&cfg),
            inspector::OperationStepView::decl(&cfg),
            inspector::OperationView::decl(&cfg),
            inspector::ExchangeView::decl(&cfg),
            api::KeyValue::decl(&cfg),
            api::BodyKind::decl(&cfg),
            api::ApiRequestForm::decl(&cfg),
            api::ChallengeView::decl(&cfg),
            api::ApiResponseView::decl(&cfg),
            api::SavedRequest::decl(&cfg),
            resource::ServerView::decl(&cfg),
            resource::ResourceDiscoveryView::decl(&cfg),
            resource::ClientChoiceForm::decl(&cfg),
            resource::ResourceSetUpView::decl(&cfg),
            resource::FindingLevel::decl(&cfg),
            resource::FindingView::decl(&cfg),
            resource::ConformanceView::decl(&cfg),
        ];
        let mut out = String::from(
            "// Generated from src-tauri/src/dto/ and error.rs by `cargo test -p tessera-desktop`\n\
             // (TESSERA_UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.\n\n\
             export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n",
        );
        for d in decls {
            out.push('\n');
            out.push_str("export ");
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_ui_bindings_match_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
        let expected = declarations();
        if std::env::var_os("TESSERA_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).expect("write bindings");
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            found == expected,
            "{BINDINGS} is stale: run `TESSERA_UPDATE_BINDINGS=1 cargo test -p tessera-desktop --lib dto` and commit it"
        );
    }

    #[test]
    fn a_session_view_carries_claims_but_no_token() {
        let session = Session {
            issuer: "https://idp.test".into(),
            client_id: "app".into(),
            subject: "user-1".into(),
            token_type: "Bearer".into(),
            access_token: "ACCESS-TOKEN-VALUE".into(),
            refresh_token: Some("REFRESH-TOKEN-VALUE".into()),
            // header {"alg":"none"} . payload {"sub":"user-1","email":"a@b"} . (no signature)
            id_token: Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEiLCJlbWFpbCI6ImFAYiJ9.".into()),
            expires_at: Some(2_000_000_000),
            scopes: vec!["openid".into()],
            obtained_at: 1_999_999_000,
            signed_in_at: 1_999_999_000,
            userinfo: None,
        };
        let json = serde_json::to_string(&SessionView::new("work", &session)).expect("serialises");
        assert!(
            json.contains("\"email\":\"a@b\""),
            "claims are shown: {json}"
        );
        for secret in [
            "ACCESS-TOKEN-VALUE",
            "REFRESH-TOKEN-VALUE",
            "eyJhbGciOiJub25lIn0",
        ] {
            assert!(!json.contains(secret), "{secret} must stay in Rust: {json}");
        }
    }

    #[test]
    fn a_read_profile_form_never_carries_a_client_secret() {
        let mut p = Profile::new("work", "https://idp.test", "app");
        p.client_secret_in_keyring = true;
        let form = ProfileForm::from_profile(&p);
        assert_eq!(form.client_secret, None, "secrets are write-only");
        assert!(form.has_client_secret, "but the form says one is stored");
    }

    #[test]
    fn a_form_keeps_fields_it_does_not_show_and_maps_the_secret_change() {
        let mut existing = Profile::new("work", "https://idp.test", "app");
        existing.params.claims = Some("{\"userinfo\":{}}".into());
        let mut form = ProfileForm::from_profile(&existing);
        form.client_secret = Some("  s3cret ".into());
        form.login_hint = Some("  ".into());
        let (p, change) = form.into_profile(Some(existing));
        assert_eq!(
            p.params.claims.as_deref(),
            Some("{\"userinfo\":{}}"),
            "claims request kept"
        );
        assert_eq!(p.params.login_hint, None, "blank fields become absent");
        assert!(
            matches!(change, SecretChange::Set(s) if s.expose() == "s3cret"),
            "trimmed secret stored"
        );
    }
}
