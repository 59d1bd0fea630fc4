//! RFC 7662 introspection: asking the provider about the session's access or
//! refresh token. An ID token is not introspected; it is decoded and verified.

use serde_json::{Map, Value};

use super::InspectError;
use crate::engine::Engine;
use crate::profile::Profile;
use crate::protocol::binding as bound;
use crate::protocol::discovery;
use crate::protocol::report::Check;
use crate::protocol::token::{self, TokenKind};
use crate::secret::SecretString;
use crate::session::binding::bound_to;

/// An RFC 7662 answer about one token.
#[derive(Debug, Clone)]
pub struct Introspection {
    /// Which token was asked about.
    pub kind: TokenKind,
    /// The provider's `active`.
    pub active: bool,
    /// Every member of the answer.
    pub fields: Map<String, Value>,
    /// The binding rows: the answer's `cnf` against the profile's DPoP key
    /// or client certificate, when the token is bound to either.
    pub binding: Vec<Check>,
}

impl Engine {
    /// RFC 7662 introspection of the session's access or refresh token.
    pub async fn introspect_token(
        &self,
        profile: &str,
        kind: TokenKind,
    ) -> Result<Introspection, InspectError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Introspect,
                Some(profile),
                self.introspect_token_untraced(profile, kind),
            )
            .await
    }

    async fn introspect_token_untraced(
        &self,
        profile: &str,
        kind: TokenKind,
    ) -> Result<Introspection, InspectError> {
        // One read of the profile: the binding rows compare the answer with
        // the same settings the question was asked with.
        let settings = self.profile(Some(profile))?;
        let fields = self.introspect_session(&settings, kind).await?;
        let mut binding = Vec::new();
        if kind == TokenKind::Access {
            // The key is read only when the answer names one to compare with.
            if settings.dpop && bound::dpop_thumbprint(&fields).is_some() {
                let thumbprint = self.dpop_key(&settings).await?.thumbprint();
                binding.push(bound::dpop_binding("DPoP", Some(&fields), &thumbprint));
            }
            binding.extend(bound::certificate_binding(
                &fields,
                settings.presented_certificate(),
            ));
        }
        Ok(Introspection {
            kind,
            active: fields.get("active").and_then(Value::as_bool) == Some(true),
            fields,
            binding,
        })
    }

    /// RFC 7662 introspection of the session's access or refresh token.
    pub async fn introspect(
        &self,
        profile: Option<&str>,
        kind: TokenKind,
    ) -> Result<Map<String, Value>, InspectError> {
        let profile = self.profile(profile)?;
        self.introspect_session(&profile, kind).await
    }

    async fn introspect_session(
        &self,
        profile: &Profile,
        kind: TokenKind,
    ) -> Result<Map<String, Value>, InspectError> {
        let name = profile.name.clone();
        let session = self
            .stored_session(&name)
            .await?
            .ok_or_else(|| InspectError::NotSignedIn(name.clone()))?;
        if !bound_to(&session, profile) {
            return Err(InspectError::ProfileChanged(name));
        }
        let token = match kind {
            TokenKind::Access => session.access_token.clone(),
            TokenKind::Refresh => {
                session
                    .refresh_token
                    .clone()
                    .ok_or_else(|| InspectError::NoToken {
                        profile: name.clone(),
                        token: kind.noun(),
                    })?
            }
            // RFC 7662 covers access and refresh tokens; an ID token is
            // inspected by decoding and validating it instead.
            TokenKind::Id => return Err(InspectError::IdTokenNotApplicable("introspected")),
        };
        self.introspect_as(profile, &token, kind).await
    }

    /// RFC 7662 introspection of a token the profile's client was issued
    /// outside its session (a token exchange's answer), asked as that client.
    pub async fn introspect_issued(
        &self,
        profile: &str,
        token: &SecretString,
    ) -> Result<Introspection, InspectError> {
        let profile = self.profile(Some(profile))?;
        let fields = self
            .introspect_as(&profile, token, TokenKind::Access)
            .await?;
        Ok(Introspection {
            kind: TokenKind::Access,
            active: fields.get("active").and_then(Value::as_bool) == Some(true),
            fields,
            binding: Vec::new(),
        })
    }

    async fn introspect_as(
        &self,
        profile: &Profile,
        token: &SecretString,
        kind: TokenKind,
    ) -> Result<Map<String, Value>, InspectError> {
        let http = self.http_for_profile(profile, None).await?;
        let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
        let endpoint = meta
            .introspection_endpoint
            .as_deref()
            .ok_or(InspectError::NoEndpoint {
                profile: profile.name.clone(),
                endpoint: "introspection",
            })?;
        let credentials = self.credentials(profile, None, None, &meta).await?;
        Ok(token::introspect(&http, meta.url(endpoint)?, &credentials, token, kind).await?)
    }
}
