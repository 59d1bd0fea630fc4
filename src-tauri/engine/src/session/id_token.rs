//! ID-token validation as every use case runs it: the cached JWKS first, and
//! one fresh fetch when the token names a key the cache lacks (the provider
//! may have rotated its keys since they were cached).

use crate::engine::Engine;
use crate::protocol::discovery::{self, DiscoveryError, ProviderMetadata};
use crate::protocol::jwks::{JwkSet, HMAC_ALGS};
use crate::protocol::jwt::UnverifiedJwt;
use crate::protocol::validate::{validate_id_token, Expectations, ValidationReport};
use crate::seams::http::Http;

impl Engine {
    /// Validates an ID token, re-fetching the JWKS once if its key is unknown
    /// (the provider may have rotated keys since they were cached).
    pub(crate) async fn validate_with_key_rotation(
        &self,
        http: &Http,
        meta: &ProviderMetadata,
        jwt: &UnverifiedJwt,
        expect: &Expectations<'_>,
    ) -> Result<ValidationReport, DiscoveryError> {
        let alg = jwt.header.alg.as_str();
        let needs_jwks = !HMAC_ALGS.contains(&alg) && !alg.eq_ignore_ascii_case("none");
        let cache = self.cache();
        let jwks = if needs_jwks {
            discovery::fetch_jwks(http, &cache, meta, false).await?
        } else {
            JwkSet::default()
        };
        let report = validate_id_token(jwt, &jwks, expect);
        if report.needs_fresh_keys() {
            tracing::debug!("ID token key not in the cached JWKS; fetching it again");
            let fresh = discovery::fetch_jwks(http, &cache, meta, true).await?;
            return Ok(validate_id_token(jwt, &fresh, expect));
        }
        Ok(report)
    }
}
