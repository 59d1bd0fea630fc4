//! Dynamic client registration (RFC 7591) and its management (RFC 7592):
//! the metadata of the native public client Tessera registers, the answer,
//! and the keyring form of what manages the registration afterwards.
//!
//! Tessera registers itself as RFC 8252 wants a desktop app: a public client
//! (`token_endpoint_auth_method` `none`, PKCE instead of a secret) whose
//! redirect URI is the loopback `http://127.0.0.1/callback`, any port.

use serde_json::{json, Value};

use crate::secret::SecretString;

/// The redirect URI registered: loopback, any port (RFC 8252 §7.3).
pub const LOOPBACK_REDIRECT: &str = "http://127.0.0.1/callback";

/// The client metadata sent to the registration endpoint.
pub fn native_client_metadata(scopes: &[String], refresh: bool) -> Value {
    let mut grants = vec!["authorization_code"];
    if refresh {
        grants.push("refresh_token");
    }
    let mut doc = json!({
        "client_name": "Tessera",
        "application_type": "native",
        "token_endpoint_auth_method": "none",
        "redirect_uris": [LOOPBACK_REDIRECT],
        "grant_types": grants,
        "response_types": ["code"],
    });
    if !scopes.is_empty() {
        doc["scope"] = Value::String(scopes.join(" "));
    }
    doc
}

/// What the registration endpoint answered.
pub struct Registered {
    /// The new client id.
    pub client_id: String,
    /// What manages the registration (RFC 7592), when the server offers it.
    pub management: Option<RegistrationManagement>,
}

/// The RFC 7592 handle on a registration: kept in the keyring only.
pub struct RegistrationManagement {
    /// `registration_client_uri`.
    pub client_uri: String,
    /// `registration_access_token`: a bearer credential for the registration.
    pub access_token: SecretString,
}

impl std::fmt::Debug for RegistrationManagement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationManagement")
            .field("client_uri", &self.client_uri)
            .field("access_token", &"[redacted]")
            .finish()
    }
}

/// Why a registration answer is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationAnswerError {
    /// No `client_id`.
    #[error("the registration answer has no client_id")]
    NoClientId,
    /// The server gave the client a secret it did not ask for, or another
    /// authentication method: Tessera registered a public client.
    #[error("the authorization server registered a confidential client ({0}), not the public client Tessera asked for")]
    NotPublic(String),
}

/// Reads a 201 answer (RFC 7591 §3.2.1).
pub fn parse_answer(doc: &Value) -> Result<Registered, RegistrationAnswerError> {
    let client_id = doc
        .get("client_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(RegistrationAnswerError::NoClientId)?
        .to_string();
    if let Some(method) = doc
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
        .filter(|m| *m != "none")
    {
        return Err(RegistrationAnswerError::NotPublic(method.to_string()));
    }
    let management = match (
        doc.get("registration_client_uri").and_then(Value::as_str),
        doc.get("registration_access_token").and_then(Value::as_str),
    ) {
        (Some(uri), Some(token)) => Some(RegistrationManagement {
            client_uri: uri.to_string(),
            access_token: SecretString::new(token.to_string()),
        }),
        _ => None,
    };
    Ok(Registered {
        client_id,
        management,
    })
}

impl RegistrationManagement {
    /// The keyring form: one JSON object.
    pub fn to_keyring(&self) -> SecretString {
        SecretString::new(
            json!({
                "registration_client_uri": self.client_uri,
                "registration_access_token": self.access_token.expose(),
            })
            .to_string(),
        )
    }

    /// Reads the keyring form; `None` when it is not one.
    pub fn from_keyring(stored: &SecretString) -> Option<Self> {
        let doc: Value = serde_json::from_str(stored.expose()).ok()?;
        Some(Self {
            client_uri: doc.get("registration_client_uri")?.as_str()?.to_string(),
            access_token: SecretString::new(
                doc.get("registration_access_token")?.as_str()?.to_string(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tessera_registers_a_native_public_client_with_a_loopback_redirect() {
        let m = native_client_metadata(&["openid".into(), "api:read".into()], true);
        assert_eq!(
            m["token_endpoint_auth_method"], "none",
            "public: PKCE, no secret"
        );
        assert_eq!(m["application_type"], "native");
        assert_eq!(m["redirect_uris"][0], "http://127.0.0.1/callback");
        assert_eq!(m["grant_types"][1], "refresh_token");
        assert_eq!(m["scope"], "openid api:read");
    }

    #[test]
    fn an_answer_keeps_its_management_handle_and_never_prints_the_token() {
        let r = parse_answer(&json!({
            "client_id": "abc", "token_endpoint_auth_method": "none",
            "registration_client_uri": "https://as/reg/abc", "registration_access_token": "rat-secret"
        }))
        .expect("a usable answer");
        assert_eq!(r.client_id, "abc");
        let m = r.management.expect("RFC 7592 handle");
        assert!(
            !format!("{m:?}").contains("rat-secret"),
            "Debug hides the registration access token"
        );
        let back = RegistrationManagement::from_keyring(&m.to_keyring()).expect("round trip");
        assert_eq!(back.client_uri, "https://as/reg/abc");
        assert_eq!(back.access_token.expose(), "rat-secret");
    }

    #[test]
    fn an_answer_without_a_client_id_or_with_a_secret_is_refused() {
        assert!(matches!(
            parse_answer(&json!({})),
            Err(RegistrationAnswerError::NoClientId)
        ));
        assert!(matches!(
            parse_answer(
                &json!({"client_id": "a", "token_endpoint_auth_method": "client_secret_basic"})
            ),
            Err(RegistrationAnswerError::NotPublic(_))
        ));
    }
}
