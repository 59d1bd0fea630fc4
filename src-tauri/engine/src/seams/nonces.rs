//! The DPoP nonces servers hand out (RFC 9449 §8, §9), remembered per server
//! origin so the next proof carries the latest one, across processes: the
//! command line's `dpop-proof` uses the nonce a `call` saw a moment before.
//!
//! A nonce is not a secret (servers send it in a plain header), so it lives
//! in a small private file under the cache directory; a file that cannot be
//! read counts as no nonce, which costs one retry at most.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::seams::private_files::write_private_atomically;

/// The latest nonce per server origin.
#[derive(Debug)]
pub struct DpopNonces {
    file: Option<PathBuf>,
    memory: Mutex<BTreeMap<String, String>>,
}

impl DpopNonces {
    /// Nonces kept in this file (and read from it each time, for the nonces
    /// other processes saw).
    pub fn in_file(path: PathBuf) -> Self {
        Self {
            file: Some(path),
            memory: Mutex::new(BTreeMap::new()),
        }
    }

    /// Nonces kept in memory only.
    pub fn in_memory() -> Self {
        Self {
            file: None,
            memory: Mutex::new(BTreeMap::new()),
        }
    }

    fn read(&self) -> BTreeMap<String, String> {
        let from_file = self
            .file
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<BTreeMap<String, String>>(&b).ok());
        let mut all = from_file.unwrap_or_default();
        if let Ok(memory) = self.memory.lock() {
            for (k, v) in memory.iter() {
                all.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        all
    }

    /// The latest nonce from this origin, if any.
    pub fn get(&self, origin: &str) -> Option<String> {
        self.read().get(origin).cloned()
    }

    /// Remembers the origin's newest nonce.
    pub fn put(&self, origin: &str, nonce: &str) {
        // Nonces are short tokens; anything else is not kept.
        if nonce.is_empty() || nonce.len() > 512 || nonce.chars().any(char::is_control) {
            return;
        }
        if let Ok(mut memory) = self.memory.lock() {
            memory.insert(origin.to_string(), nonce.to_string());
        }
        if let Some(path) = &self.file {
            let mut all = self.read();
            all.insert(origin.to_string(), nonce.to_string());
            if let Ok(bytes) = serde_json::to_vec(&all) {
                if let Err(e) = write_private_atomically(path, &bytes) {
                    tracing::debug!(error = %e, "could not keep the DPoP nonce on disk");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_seen_by_one_process_is_read_by_the_next() {
        let dir = std::env::temp_dir().join(format!("tessera-nonces-{}", std::process::id()));
        let path = dir.join("dpop-nonces.json");
        DpopNonces::in_file(path.clone()).put("https://api.example", "n-1");
        assert_eq!(
            DpopNonces::in_file(path.clone())
                .get("https://api.example")
                .as_deref(),
            Some("n-1"),
            "a new process reads the nonce from the file"
        );
        let nonces = DpopNonces::in_file(path);
        nonces.put("https://api.example", "n-2");
        assert_eq!(
            nonces.get("https://api.example").as_deref(),
            Some("n-2"),
            "the newest wins"
        );
        assert_eq!(nonces.get("https://other.example"), None, "per origin");
        let _ = std::fs::remove_dir_all(dir);
    }
}
