//! A profile's provider as the Provider view shows it: the discovery
//! document and its capability summary, and the key set, all fetched fresh.

use super::InspectError;
use crate::engine::Engine;
use crate::protocol::discovery::{self, DiscoveryError, ProviderReport};
use crate::protocol::jwks::JwkSet;

/// A provider's report and keys.
#[derive(Debug)]
pub struct ProviderKeys {
    /// Discovery and capabilities.
    pub report: ProviderReport,
    /// Where the keys were fetched from; `None` when the metadata names no key set.
    pub jwks_uri: Option<String>,
    /// The keys and how many were skipped, or why they could not be read.
    pub keys: Result<(JwkSet, usize), KeysUnavailable>,
}

/// Why a provider's keys could not be shown.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeysUnavailable {
    /// Discovery names no key set.
    #[error("the provider names no jwks_uri")]
    NoJwksUri,
    /// Fetching or parsing the key set failed.
    #[error(transparent)]
    Fetch(DiscoveryError),
}

impl Engine {
    /// A profile's provider: the discovery document fetched now, its
    /// capability summary, and its key set (or why the keys could not be
    /// read).
    pub async fn provider_keys(&self, profile: &str) -> Result<ProviderKeys, InspectError> {
        let operations = std::sync::Arc::clone(self.operations());
        operations
            .run(
                crate::seams::operations::OperationKind::Discovery,
                Some(profile),
                self.provider_keys_untraced(profile),
            )
            .await
    }

    async fn provider_keys_untraced(&self, profile: &str) -> Result<ProviderKeys, InspectError> {
        let profile = self.profile(Some(profile))?;
        let http = self.http_for(profile.ca_file.as_deref())?;
        let report = match &profile.endpoints {
            None => discovery::inspect(&http, &profile.issuer, profile.allow_insecure_http).await?,
            Some(_) => {
                let meta = discovery::resolve(&http, &self.cache(), &profile.provider()).await?;
                discovery::report_for(&meta, "manual endpoints in the profile")
            }
        };
        let mut report = report;
        if crate::profile::fapi::applies(&report.metadata) {
            let rows = crate::profile::fapi::requirements(&report.metadata, Some(&profile));
            report.capabilities.extend(rows);
        }
        let meta = &report.metadata;
        // Fetched fresh: the provider view shows what the provider serves now.
        let keys = if meta.jwks_uri.is_empty() {
            Err(KeysUnavailable::NoJwksUri)
        } else {
            discovery::fetch_jwks_counting(&http, &self.cache(), meta, true)
                .await
                .map_err(KeysUnavailable::Fetch)
        };
        Ok(ProviderKeys {
            jwks_uri: Some(meta.jwks_uri.clone()).filter(|u| !u.is_empty()),
            report,
            keys,
        })
    }
}
