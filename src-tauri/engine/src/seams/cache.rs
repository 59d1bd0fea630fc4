//! A small on-disk cache for provider metadata and key sets.
//!
//! Entries honour the response's `Cache-Control` (`max-age`, `no-store`,
//! `no-cache`); without one they live [`DEFAULT_TTL_SECS`]. It lets a repeat
//! sign-in skip discovery and the JWKS, so it makes only the token and userinfo
//! calls. Only public documents are cached here, never tokens.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::seams::clock::Clock;

/// Lifetime without Cache-Control.
pub const DEFAULT_TTL_SECS: i64 = 300;
/// Upper bound even when a provider asks for longer.
pub const MAX_TTL_SECS: i64 = 24 * 3600;

/// How long a response may be cached, from its `Cache-Control` header.
/// `None` means "do not store".
pub fn lifetime(cache_control: Option<&str>) -> Option<i64> {
    let Some(header) = cache_control else {
        return Some(DEFAULT_TTL_SECS);
    };
    let mut max_age = None;
    for directive in header.split(',').map(|d| d.trim().to_ascii_lowercase()) {
        if directive == "no-store" || directive == "no-cache" {
            return None;
        }
        if let Some(v) = directive.strip_prefix("max-age=") {
            max_age = v.trim_matches('"').parse::<i64>().ok();
        }
    }
    match max_age {
        Some(0) => None,
        Some(n) => Some(n.clamp(0, MAX_TTL_SECS)),
        None => Some(DEFAULT_TTL_SECS),
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    url: String,
    expires_at: i64,
    body: String,
}

/// The cache directory plus the clock that decides freshness.
#[derive(Clone)]
pub struct DiskCache {
    dir: PathBuf,
    clock: Arc<dyn Clock>,
}

impl DiskCache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: PathBuf, clock: Arc<dyn Clock>) -> Self {
        Self { dir, clock }
    }

    fn path(&self, url: &str) -> PathBuf {
        let digest = Sha256::digest(url.as_bytes());
        let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.json"))
    }

    /// The cached body for `url`, if still fresh.
    pub fn get(&self, url: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.path(url)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.url == url && entry.expires_at > self.clock.now()).then_some(entry.body)
    }

    /// Stores `body` for `ttl` seconds. Failures only cost a re-fetch later.
    pub fn put(&self, url: &str, body: &str, ttl: i64) {
        let entry = Entry {
            url: url.to_string(),
            expires_at: self.clock.now() + ttl,
            body: body.to_string(),
        };
        let path = self.path(url);
        let write = || -> std::io::Result<()> {
            crate::seams::private_files::write_private_atomically(
                &path,
                &serde_json::to_vec(&entry)?,
            )
        };
        if let Err(e) = write() {
            tracing::debug!(error = %e, "cache write failed");
        }
    }

    /// Drops the entry for `url`.
    pub fn remove(&self, url: &str) {
        let _ = std::fs::remove_file(self.path(url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seams::clock::FixedClock;

    #[test]
    fn lifetime_follows_cache_control() {
        assert_eq!(lifetime(None), Some(300), "five minutes without a header");
        assert_eq!(lifetime(Some("public, max-age=60")), Some(60));
        assert_eq!(
            lifetime(Some("max-age=999999999")),
            Some(MAX_TTL_SECS),
            "capped at a day"
        );
        assert_eq!(lifetime(Some("no-store")), None);
        assert_eq!(lifetime(Some("private, no-cache")), None);
        assert_eq!(lifetime(Some("max-age=0")), None);
        assert_eq!(lifetime(Some("public")), Some(300));
    }

    #[test]
    fn entries_expire_by_the_injected_clock() {
        let dir = std::env::temp_dir().join(format!("tessera-cache-test-{}", std::process::id()));
        let cache = DiskCache::new(dir.clone(), Arc::new(FixedClock(1000)));
        cache.put("https://idp/.well-known/openid-configuration", "{}", 60);
        assert_eq!(
            cache
                .get("https://idp/.well-known/openid-configuration")
                .as_deref(),
            Some("{}")
        );
        let later = DiskCache::new(dir.clone(), Arc::new(FixedClock(1060)));
        assert_eq!(
            later.get("https://idp/.well-known/openid-configuration"),
            None,
            "stale after max-age"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
