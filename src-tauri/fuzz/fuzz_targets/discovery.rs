//! A discovery document as the provider serves it, through the engine's own
//! path: `discovery::resolve` over a transport that answers with the
//! fuzzer's body (parse, issuer check, mTLS aliases, endpoint URLs, PKCE),
//! then the capability summary and `tessera lint`'s findings on it; and the
//! `Cache-Control` header that decides how long it is cached.
//!
//! Input: one flag byte (bit 0: allow insecure http; bit 1: mutual TLS;
//! bit 2: the profile names another issuer than the document; bit 3: fill a
//! `{tenantid}` template), a `Cache-Control` line, then the body.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tessera_engine::cache::{lifetime, DiskCache, MAX_TTL_SECS};
use tessera_engine::clock::FixedClock;
use tessera_engine::discovery::{
    capabilities, discovery_url, report_for, resolve, tenant_template_matches, ProviderSource,
    TENANT_PLACEHOLDER,
};
use tessera_engine::http::Http;
use tessera_engine::protocol::lint;
use tessera_fuzz::{block_on, Canned};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (cache_control, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&rest[..0], rest),
    };

    if let Some(ttl) = lifetime(Some(&String::from_utf8_lossy(cache_control))) {
        assert!((0..=MAX_TTL_SECS).contains(&ttl), "a lifetime of {ttl} s");
    }

    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let doc_issuer = doc
        .as_ref()
        .and_then(|d| d.get("issuer"))
        .and_then(Value::as_str);
    let issuer = match doc_issuer {
        Some(i) if flags & 8 != 0 && i.contains(TENANT_PLACEHOLDER) => i.replacen(
            TENANT_PLACEHOLDER,
            "9188040d-6c67-4c5b-b112-36a304b66dad",
            1,
        ),
        Some(i) if flags & 4 == 0 => i.to_string(),
        _ => "https://issuer.example".to_string(),
    };

    // Nothing is cached: the answer says no-store, and the cache's folder
    // does not exist, so every run reads the fuzzer's body afresh.
    let http = Http::new(Arc::new(Canned {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("cache-control".into(), "no-store".into()),
        ],
        body: body.to_vec(),
    }));
    let cache = DiskCache::new(
        "/nonexistent/tessera-fuzz-cache".into(),
        Arc::new(FixedClock(1_800_000_000)),
    );
    let source = ProviderSource {
        issuer: &issuer,
        endpoints: None,
        allow_insecure_http: flags & 1 != 0,
        mutual_tls: flags & 2 != 0,
    };
    if let Ok(meta) = block_on(resolve(&http, &cache, &source)) {
        // What resolve promises of the metadata it returns.
        assert!(
            meta.issuer == issuer || tenant_template_matches(&meta.issuer, &issuer),
            "issuer {:?} accepted for {issuer:?}",
            meta.issuer
        );
        assert!(meta.token_endpoint.is_some(), "no token endpoint");
        if let Some(methods) = &meta.code_challenge_methods_supported {
            assert!(methods.iter().any(|m| m == "S256"), "no PKCE S256");
        }
        for endpoint in [
            Some(&meta.authorization_endpoint),
            Some(&meta.jwks_uri),
            meta.token_endpoint.as_ref(),
            meta.userinfo_endpoint.as_ref(),
            meta.revocation_endpoint.as_ref(),
            meta.introspection_endpoint.as_ref(),
            meta.end_session_endpoint.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(Url::parse(endpoint).is_ok(), "{endpoint:?} is not a URL");
        }
        assert!(meta.token_url().is_ok());
        let url = discovery_url(&issuer).expect("resolve read it from there");
        let report = report_for(&meta, url.as_str());
        assert_eq!(report.capabilities.len(), capabilities(&meta).len());
    }

    if let Some(doc) = &doc {
        let from = Url::parse("https://issuer.example/.well-known/openid-configuration").ok();
        let _ = lint::metadata(doc, from.as_ref());
        let _ = lint::endpoints(doc);
    }
});
