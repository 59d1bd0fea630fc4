//! A stored session belongs to the provider and client that issued it. The
//! keyring keeps it under the profile's name, and a profile can be edited
//! after signing in: every use of a session's tokens (returning the access
//! token, refreshing, revoking, introspecting, ending the provider session)
//! first checks that the profile still names that issuer and client, so
//! provider A's tokens, and the client secret, never go to provider B.

use crate::profile::Profile;
use crate::protocol::discovery::tenant_template_matches;
use crate::session::Session;

/// Whether `session` was issued by the provider and to the client `profile`
/// names now. A multi-tenant issuer template (Entra's `{tenantid}`) matches
/// the tenant or `common` form the profile was configured with.
pub fn bound_to(session: &Session, profile: &Profile) -> bool {
    let issuer = session.issuer == profile.issuer
        || tenant_template_matches(&session.issuer, &profile.issuer);
    issuer && session.client_id == profile.client_id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(issuer: &str, client: &str) -> Session {
        Session {
            issuer: issuer.into(),
            client_id: client.into(),
            subject: "u".into(),
            token_type: "Bearer".into(),
            access_token: "a".into(),
            refresh_token: None,
            id_token: None,
            expires_at: None,
            scopes: vec![],
            obtained_at: 0,
            signed_in_at: 0,
            userinfo: None,
        }
    }

    #[test]
    fn a_session_is_bound_to_its_issuer_and_client_only() {
        let profile = Profile::new("p", "https://a.example", "app");
        assert!(
            bound_to(&session("https://a.example", "app"), &profile),
            "the same provider and client"
        );
        assert!(
            !bound_to(&session("https://b.example", "app"), &profile),
            "another provider"
        );
        assert!(
            !bound_to(&session("https://a.example", "other"), &profile),
            "another client"
        );
        let entra = Profile::new("e", "https://login.microsoftonline.com/common/v2.0", "app");
        assert!(
            bound_to(
                &session("https://login.microsoftonline.com/{tenantid}/v2.0", "app"),
                &entra
            ),
            "Entra's template issuer is the profile's multi-tenant issuer"
        );
    }
}
