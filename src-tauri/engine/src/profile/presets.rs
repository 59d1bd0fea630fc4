//! Provider presets: what each well-known provider needs in a profile, and the
//! quirks a user meets there. The desktop app's profile editor shows them; the
//! data lives here so every host describes providers the same way.
//!
//! An issuer template names its fields as `{key}`; [`Preset::issuer`] fills
//! them in. `{tenantid}` is not a field: it is Microsoft's own placeholder,
//! which [`crate::protocol::validate`] resolves from the ID token's `tid`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::profile::{ClientAuthMethod, Grant, Redirect};

/// A field the user fills in to build the issuer.
#[derive(Debug, Clone, Serialize)]
pub struct PresetField {
    /// The `{key}` in the issuer template.
    pub key: &'static str,
    /// Caption of the input in the profile editor, e.g. `Realm`.
    pub label: &'static str,
    /// Shown in the empty input as an example, e.g. `myrealm`.
    pub placeholder: &'static str,
    /// Used by [`Preset::issuer`] when the user gives no value; often empty.
    pub default: &'static str,
    /// A short hint shown under the input, e.g. where to find the value.
    pub help: &'static str,
}

/// The security settings a preset starts a profile with.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PresetSecurity {
    /// The client authentication to start with (`None`: the usual default).
    pub client_auth: Option<ClientAuthMethod>,
    /// Push the authorization request (PAR).
    pub par: bool,
    /// Bind tokens with DPoP.
    pub dpop: bool,
}

/// A provider preset: what a new profile for one provider starts with, plus advice.
#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    /// Stable id (`keycloak`, `entra`, …).
    pub id: &'static str,
    /// Name shown to the user, e.g. `Microsoft Entra ID`.
    pub name: &'static str,
    /// The issuer with `{key}` placeholders.
    pub issuer_template: &'static str,
    /// The placeholders' fields.
    pub fields: Vec<PresetField>,
    /// Client id to start with (empty: the user's own).
    pub client_id: &'static str,
    /// Scopes a new profile starts with; always includes `openid`.
    pub scopes: Vec<&'static str>,
    /// Redirect to start with.
    pub redirect: Redirect,
    /// Whether the provider requires a client secret even with PKCE.
    pub needs_client_secret: bool,
    /// The grants the provider offers (each may still need enabling per client).
    pub grants: Vec<Grant>,
    /// What a new profile for this provider turns on.
    pub security: PresetSecurity,
    /// Known quirks, worded as advice.
    pub notes: Vec<&'static str>,
}

impl Preset {
    /// The issuer with every `{key}` replaced by its value (or the field's
    /// default). Trailing slashes of values are dropped so that
    /// `https://kc.example/` + `/realms/x` does not double the slash.
    pub fn issuer(&self, values: &BTreeMap<String, String>) -> String {
        let mut issuer = self.issuer_template.to_string();
        for field in &self.fields {
            let value = values
                .get(field.key)
                .map(String::as_str)
                .unwrap_or(field.default);
            let value = value.trim().trim_end_matches('/');
            issuer = issuer.replace(&format!("{{{}}}", field.key), value);
        }
        issuer
    }
}

fn every_grant() -> Vec<Grant> {
    vec![
        Grant::AuthorizationCode,
        Grant::DeviceCode,
        Grant::ClientCredentials,
    ]
}

fn field(
    key: &'static str,
    label: &'static str,
    placeholder: &'static str,
    default: &'static str,
    help: &'static str,
) -> PresetField {
    PresetField {
        key,
        label,
        placeholder,
        default,
        help,
    }
}

fn loopback() -> Redirect {
    Redirect::default()
}

/// Every preset, the local provider first.
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            id: "local",
            name: "Local provider (./dev/demo)",
            issuer_template: "{issuer}",
            fields: vec![field(
                "issuer",
                "Issuer",
                "http://127.0.0.1:9090",
                "http://127.0.0.1:9090",
                "The local provider started by ./dev/demo or node dev/provider.mjs",
            )],
            client_id: "tessera",
            scopes: vec!["openid", "profile", "email", "offline_access", "roles", "groups"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec!["Sign in as demo / demo. The demo API is at {issuer}/api/me."],
        },
        Preset {
            id: "keycloak",
            name: "Keycloak",
            issuer_template: "{base_url}/realms/{realm}",
            fields: vec![
                field("base_url", "Server URL", "https://keycloak.example.com", "", "Without /auth on Keycloak 17 and later; with it on older WildFly-based servers"),
                field("realm", "Realm", "myrealm", "", "The realm name as shown in the admin console"),
            ],
            client_id: "",
            scopes: vec!["openid", "profile", "email", "offline_access"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![
                "Register http://127.0.0.1/* as a valid redirect URI, or the exact URI with a fixed port.",
                "Set the client to public (Client authentication off) unless you store a client secret.",
                "Realm roles are in realm_access.roles and client roles in resource_access; add a mapper to see them in userinfo.",
            ],
        },
        Preset {
            id: "entra",
            name: "Microsoft Entra ID",
            issuer_template: "https://login.microsoftonline.com/{tenant}/v2.0",
            fields: vec![field(
                "tenant",
                "Tenant",
                "contoso.onmicrosoft.com or a tenant GUID",
                "common",
                "A tenant id or domain; common, organizations or consumers for multi-tenant apps",
            )],
            client_id: "",
            scopes: vec!["openid", "profile", "email", "offline_access"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![
                "For common/organizations the issuer is a {tenantid} template: Tessera checks the token's iss against it using the token's tid claim.",
                "Register the redirect as a 'Mobile and desktop applications' platform URI: http://localhost is accepted by the portal; 127.0.0.1 must be added in the app manifest.",
                "Access tokens for Microsoft Graph are not meant to be validated by clients: inspect them, don't verify them.",
            ],
        },
        Preset {
            id: "google",
            name: "Google",
            issuer_template: "https://accounts.google.com",
            fields: vec![],
            client_id: "",
            scopes: vec!["openid", "profile", "email"],
            redirect: loopback(),
            needs_client_secret: true,
            grants: vec![Grant::AuthorizationCode, Grant::DeviceCode],
            security: PresetSecurity::default(),
            notes: vec![
                "Use a 'Desktop app' OAuth client: it accepts 127.0.0.1 on any port without registration.",
                "Desktop clients must send their client secret even with PKCE; it is not confidential, but Google requires it.",
                "Refresh tokens need access_type=offline and prompt=consent; Google has no offline_access scope.",
            ],
        },
        Preset {
            id: "okta",
            name: "Okta",
            issuer_template: "https://{domain}/oauth2/{server}",
            fields: vec![
                field("domain", "Okta domain", "dev-123456.okta.com", "", "Your org's domain"),
                field("server", "Authorization server", "default", "default", "default, or a custom authorization server id"),
            ],
            client_id: "",
            scopes: vec!["openid", "profile", "email", "offline_access"],
            redirect: Redirect::Loopback { port: 8400, path: "/callback".into() },
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![
                "Okta matches redirect URIs exactly, port included: register http://127.0.0.1:8400/callback or change the fixed port here.",
                "The org authorization server (issuer without /oauth2/…) issues access tokens only Okta itself can validate.",
            ],
        },
        Preset {
            id: "auth0",
            name: "Auth0",
            issuer_template: "https://{domain}/",
            fields: vec![field("domain", "Domain", "example.eu.auth0.com", "", "Your tenant domain or custom domain")],
            client_id: "",
            scopes: vec!["openid", "profile", "email", "offline_access"],
            redirect: Redirect::Loopback { port: 8400, path: "/callback".into() },
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![
                "Auth0's issuer ends with a slash; keep it.",
                "Register http://127.0.0.1:8400/callback in Allowed Callback URLs (exact match).",
                "Without an audience the access token is opaque; set Audience in the advanced settings to get a JWT for your API.",
            ],
        },
        Preset {
            id: "dex",
            name: "Dex",
            issuer_template: "{issuer}",
            fields: vec![field("issuer", "Issuer", "https://dex.example.com/dex", "", "The issuer from Dex's config")],
            client_id: "",
            scopes: vec!["openid", "profile", "email", "offline_access", "groups"],
            redirect: Redirect::Loopback { port: 8400, path: "/callback".into() },
            needs_client_secret: false,
            grants: vec![Grant::AuthorizationCode, Grant::DeviceCode],
            security: PresetSecurity::default(),
            notes: vec![
                "A static client with explicit redirectURIs turns off Dex's any-port loopback matching: register http://127.0.0.1:8400/callback exactly, or mark the client public with no redirect URIs.",
                "Dex has no revocation, introspection or end-session endpoints.",
            ],
        },
        Preset {
            id: "curity",
            name: "Curity Identity Server",
            issuer_template: "{base_url}/oauth/v2/oauth-anonymous",
            fields: vec![field("base_url", "Server URL", "https://idsvr.example.com", "", "The runtime base URL")],
            client_id: "",
            scopes: vec!["openid", "profile", "email"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![
                "Enable 'Allow any port on localhost' for the client, or register the exact redirect URI.",
                "Curity can issue opaque access tokens (phantom tokens): use introspection to see their contents.",
            ],
        },
        Preset {
            id: "fapi2",
            name: "FAPI 2.0 provider (open banking, health)",
            issuer_template: "{issuer}",
            fields: vec![field(
                "issuer",
                "Issuer",
                "https://as.bank.example",
                "",
                "The authorization server's issuer; the local provider's FAPI mode runs with --fapi",
            )],
            client_id: "",
            scopes: vec!["openid"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: vec![Grant::AuthorizationCode],
            security: PresetSecurity {
                client_auth: Some(ClientAuthMethod::PrivateKeyJwt),
                par: true,
                dpop: true,
            },
            notes: vec![
                "FAPI 2.0 wants PAR, PKCE S256, sender-constrained tokens (DPoP here; mTLS works too) and private_key_jwt or mTLS: this preset turns them on.",
                "Generate a client key, register its public JWK Set with the provider, then enter the client id it gives you.",
            ],
        },
        Preset {
            id: "generic",
            name: "Other OpenID provider",
            issuer_template: "{issuer}",
            fields: vec![field("issuer", "Issuer", "https://id.example.com", "", "Or import it from a discovery URL")],
            client_id: "",
            scopes: vec!["openid", "profile", "email"],
            redirect: loopback(),
            needs_client_secret: false,
            grants: every_grant(),
            security: PresetSecurity::default(),
            notes: vec![],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(id: &str) -> Preset {
        presets()
            .into_iter()
            .find(|p| p.id == id)
            .expect("preset exists")
    }

    #[test]
    fn keycloak_issuer_joins_server_and_realm_without_a_double_slash() {
        let values = BTreeMap::from([
            ("base_url".to_string(), "https://kc.example/".to_string()),
            ("realm".to_string(), "dev".to_string()),
        ]);
        assert_eq!(
            preset("keycloak").issuer(&values),
            "https://kc.example/realms/dev",
            "a trailing slash on the server URL must not double up"
        );
    }

    #[test]
    fn entra_defaults_to_the_common_tenant() {
        assert_eq!(
            preset("entra").issuer(&BTreeMap::new()),
            "https://login.microsoftonline.com/common/v2.0",
            "an empty tenant field falls back to common"
        );
    }

    #[test]
    fn every_preset_fills_every_placeholder_and_has_a_loopback_or_scheme_redirect() {
        for p in presets() {
            let values: BTreeMap<String, String> = p
                .fields
                .iter()
                .map(|f| (f.key.to_string(), "x".to_string()))
                .collect();
            let issuer = p.issuer(&values);
            assert!(
                !issuer.contains('{'),
                "preset {} leaves a placeholder in {issuer}",
                p.id
            );
            assert!(
                p.scopes.contains(&"openid"),
                "preset {} must request openid",
                p.id
            );
        }
    }

    #[test]
    fn google_requires_the_client_secret() {
        assert!(
            preset("google").needs_client_secret,
            "Google desktop clients need their secret even with PKCE"
        );
    }
}
