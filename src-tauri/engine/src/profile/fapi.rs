//! The FAPI 2.0 Security Profile, requirement by requirement: what the
//! provider advertises and what the profile does, each a row naming the
//! section of the specification it comes from.
//!
//! The rows are shown beside the provider's capabilities once a provider
//! offers PAR or DPoP (a provider with neither is no FAPI 2.0 provider),
//! and for any profile the FAPI 2.0 preset made.

use crate::profile::{ClientAuthMethod, Profile};
use crate::protocol::discovery::{Capability, CapabilityStatus, ProviderMetadata};

/// Whether the provider looks like one the FAPI 2.0 rows are worth showing for.
pub fn applies(meta: &ProviderMetadata) -> bool {
    meta.pushed_authorization_request_endpoint.is_some()
        || meta.require_pushed_authorization_requests
        || meta.dpop_signing_alg_values_supported.is_some()
}

/// One row per FAPI 2.0 requirement: `Supported` when the provider offers
/// it and the profile (when given) uses it, `Missing` when the provider
/// lacks it, `Risky` when the provider offers it but the profile does not
/// use it.
pub fn requirements(meta: &ProviderMetadata, profile: Option<&Profile>) -> Vec<Capability> {
    use CapabilityStatus::*;
    let row = |id, label, status, detail: String| Capability {
        id,
        label,
        status,
        detail,
    };
    let verdict = |offered: bool, used: Option<bool>| match (offered, used) {
        (false, _) => Missing,
        (true, Some(false)) => Risky,
        (true, _) => Supported,
    };
    let methods = meta
        .token_endpoint_auth_methods_supported
        .clone()
        .unwrap_or_default();
    let offers = |m: &str| methods.iter().any(|x| x == m);
    let mtls_bound = meta.tls_client_certificate_bound_access_tokens;
    let dpop_algs = meta
        .dpop_signing_alg_values_supported
        .clone()
        .unwrap_or_default();
    let profile_uses = |f: fn(&Profile) -> bool| profile.map(f);

    let mut rows = vec![
        row(
            "fapi2_par",
            "FAPI 2.0: pushed authorization requests (5.3.2.2)",
            verdict(
                meta.pushed_authorization_request_endpoint.is_some(),
                profile_uses(|p| p.par).map(|u| u || meta.require_pushed_authorization_requests),
            ),
            if meta.require_pushed_authorization_requests {
                "the provider requires PAR, as FAPI 2.0 asks".into()
            } else if meta.pushed_authorization_request_endpoint.is_some() {
                "the provider offers PAR but does not require it; FAPI 2.0 asks it to".into()
            } else {
                "no pushed_authorization_request_endpoint".into()
            },
        ),
        row(
            "fapi2_pkce",
            "FAPI 2.0: PKCE with S256 (5.3.2.2)",
            verdict(
                meta.code_challenge_methods_supported
                    .as_ref()
                    .is_some_and(|m| m.iter().any(|x| x == "S256")),
                None,
            ),
            "Tessera always sends S256 and never plain".into(),
        ),
        row(
            "fapi2_sender_constrained",
            "FAPI 2.0: sender-constrained tokens, DPoP or mTLS (5.3.2.1)",
            verdict(
                !dpop_algs.is_empty() || mtls_bound,
                profile_uses(|p| p.dpop || p.client_auth.is_mutual_tls()),
            ),
            format!(
                "DPoP {}; certificate-bound tokens {}",
                if dpop_algs.is_empty() {
                    "not offered".to_string()
                } else {
                    format!("with {}", dpop_algs.join(", "))
                },
                if mtls_bound { "offered" } else { "not offered" }
            ),
        ),
        row(
            "fapi2_client_auth",
            "FAPI 2.0: private_key_jwt or mTLS client authentication (5.3.2.1)",
            verdict(
                offers("private_key_jwt")
                    || offers("tls_client_auth")
                    || offers("self_signed_tls_client_auth"),
                profile_uses(|p| {
                    p.client_auth == ClientAuthMethod::PrivateKeyJwt
                        || p.client_auth.is_mutual_tls()
                }),
            ),
            if methods.is_empty() {
                "token_endpoint_auth_methods_supported is not advertised".into()
            } else {
                methods.join(", ")
            },
        ),
        row(
            "fapi2_iss",
            "FAPI 2.0: iss in the authorization response, RFC 9207 (5.3.2.2)",
            verdict(meta.authorization_response_iss_parameter_supported, None),
            "Tessera checks iss whenever the provider sends it".into(),
        ),
    ];
    let response_types: Vec<String> = meta
        .raw
        .get("response_types_supported")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    rows.push(row(
        "fapi2_code_only",
        "FAPI 2.0: only the code flow (5.3.2.2)",
        if response_types.iter().all(|t| t == "code") {
            Supported
        } else {
            Risky
        },
        if response_types.is_empty() {
            "response_types_supported is not advertised".into()
        } else {
            response_types.join(", ")
        },
    ));
    let weak: Vec<&String> = meta
        .id_token_signing_alg_values_supported
        .iter()
        .filter(|a| !matches!(a.as_str(), "PS256" | "ES256" | "EdDSA" | "Ed25519"))
        .collect();
    rows.push(row(
        "fapi2_algs",
        "FAPI 2.0: PS256, ES256 or EdDSA signatures (5.4.1)",
        if weak.is_empty() { Supported } else { Risky },
        if weak.is_empty() {
            "every advertised ID token algorithm is allowed".into()
        } else {
            format!(
                "also advertises {}",
                weak.iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    ));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fapi_provider() -> ProviderMetadata {
        let raw = json!({
            "issuer": "https://fapi.example",
            "authorization_endpoint": "https://fapi.example/auth",
            "token_endpoint": "https://fapi.example/token",
            "jwks_uri": "https://fapi.example/jwks",
            "pushed_authorization_request_endpoint": "https://fapi.example/par",
            "require_pushed_authorization_requests": true,
            "dpop_signing_alg_values_supported": ["ES256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": true,
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["ES256", "PS256"],
        });
        let mut meta: ProviderMetadata = serde_json::from_value(raw.clone()).expect("metadata");
        meta.raw = raw;
        meta
    }

    #[test]
    fn a_fapi_provider_and_a_profile_that_uses_it_meet_every_requirement() {
        let meta = fapi_provider();
        let mut p = Profile::new("f", "https://fapi.example", "c");
        p.par = true;
        p.dpop = true;
        p.client_auth = ClientAuthMethod::PrivateKeyJwt;
        let rows = requirements(&meta, Some(&p));
        for row in &rows {
            assert_eq!(
                row.status,
                CapabilityStatus::Supported,
                "{}: {}",
                row.id,
                row.detail
            );
        }
        assert!(applies(&meta), "a PAR provider gets the FAPI rows");
    }

    #[test]
    fn a_profile_with_bearer_tokens_and_a_secret_falls_short_where_the_provider_would_not() {
        let meta = fapi_provider();
        let p = Profile::new("f", "https://fapi.example", "c");
        let rows = requirements(&meta, Some(&p));
        let status = |id: &str| rows.iter().find(|r| r.id == id).map(|r| r.status);
        assert_eq!(
            status("fapi2_sender_constrained"),
            Some(CapabilityStatus::Risky),
            "no DPoP, no mTLS"
        );
        assert_eq!(
            status("fapi2_client_auth"),
            Some(CapabilityStatus::Risky),
            "a secret, not a key"
        );
        assert_eq!(
            status("fapi2_par"),
            Some(CapabilityStatus::Supported),
            "PAR is used anyway: the provider requires it"
        );
    }
}
