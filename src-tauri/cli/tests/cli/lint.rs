//! `tessera lint`: the local provider has nothing at error level, and a
//! saved document with planted problems has each of them found.

use serde_json::Value;
use tessera_testkit::{json, LocalProvider};

use crate::home;

/// The ids of a `lint --json` report's findings.
fn finding_ids(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect()
}

#[test]
fn the_local_provider_passes_the_conformance_check_with_notes_only() {
    let p = LocalProvider::shared();
    let ws = home("lint-local");
    let report = json(&ws.tessera(&["lint", &p.issuer, "--json"]));
    assert_eq!(report["issuer"], p.issuer.as_str());
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["level"] != "error"),
        "nothing at error level: {findings:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f["id"] == "http_loopback" && f["level"] == "note"),
        "plain http on loopback is only a note: {findings:?}"
    );
}

#[test]
fn a_saved_document_with_planted_problems_has_each_found_and_exits_1() {
    let ws = home("lint-bad");
    let path = ws.path().join("bad-metadata.json");
    std::fs::write(
        &path,
        r#"{"issuer": "http://idp.example", "authorization_endpoint": "http://idp.example/auth",
            "response_types_supported": ["code", "token"],
            "id_token_signing_alg_values_supported": ["none"],
            "code_challenge_methods_supported": ["plain"],
            "grant_types_supported": ["authorization_code", "password"]}"#,
    )
    .expect("write the document");
    let out = ws.tessera(&["lint", "--file", path.to_str().expect("a path"), "--json"]);
    assert_eq!(out.status.code(), Some(1), "an error-level finding exits 1");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids = finding_ids(&report);
    for id in [
        "alg_none",
        "pkce_no_s256",
        "required_missing",
        "grant_password",
        "response_type_token",
        "http_issuer",
    ] {
        assert!(ids.contains(&id), "{id} is found: {ids:?}");
    }
    assert_eq!(
        report["findings"][0]["level"], "error",
        "errors come first: {report}"
    );
}

#[test]
fn each_planted_problem_of_the_bad_provider_is_found_including_its_keys() {
    let p = LocalProvider::shared();
    let ws = home("lint-bad-provider");
    let out = ws.tessera(&["lint", &format!("{}/dev/bad", p.issuer), "--json"]);
    assert_eq!(out.status.code(), Some(1), "error-level findings exit 1");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids = finding_ids(&report);
    for id in [
        "alg_none",
        "pkce_no_s256",
        "grant_password",
        "grant_implicit",
        "jwks_duplicate_kid",
        "jwks_private_member",
        "jwks_rsa_short",
        "jwks_no_use_alg",
    ] {
        assert!(ids.contains(&id), "{id} is found: {ids:?}");
    }
}
