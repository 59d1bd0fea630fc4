use super::*;
use crate::protocol::jwks::{Jwk, JwkSet};
use crate::protocol::jwt::decode_unverified;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{json, Value};

const NOW: i64 = 1_800_000_000;
const ISS: &str = "https://idp.test";
const CID: &str = "tessera";

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).expect("test key")
}

fn jwk(name: &str) -> Jwk {
    serde_json::from_slice(&testdata(&format!("{name}.jwk.json"))).unwrap()
}

fn jwks() -> JwkSet {
    JwkSet {
        keys: vec![jwk("rsa"), jwk("ec"), jwk("ed")],
    }
}

fn claims() -> Value {
    json!({"iss": ISS, "sub": "user-1", "aud": CID, "exp": NOW + 300, "iat": NOW - 5, "nonce": "n-123"})
}

fn sign(alg: &str, kid: Option<&str>, claims: &Value) -> String {
    let algorithm = crate::protocol::jwks::algorithm(alg).unwrap();
    let key = match alg {
        "RS256" | "PS256" => EncodingKey::from_rsa_pem(&testdata("rsa.pem")).unwrap(),
        "ES256" => EncodingKey::from_ec_pem(&testdata("ec.pem")).unwrap(),
        "EdDSA" => EncodingKey::from_ed_pem(&testdata("ed.pem")).unwrap(),
        "HS256" => EncodingKey::from_secret(b"client-secret-for-hs256-tests-0123456789"),
        _ => unreachable!(),
    };
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

fn unsigned(claims: &Value) -> String {
    let h = B64URL.encode(br#"{"alg":"none"}"#);
    let p = B64URL.encode(serde_json::to_vec(claims).unwrap());
    format!("{h}.{p}.")
}

fn run(
    token: &str,
    nonce: &str,
    secret: Option<&SecretString>,
    access: Option<&SecretString>,
) -> ValidationReport {
    let advertised = ["RS256".to_string(), "HS256".to_string()];
    run_advertising(token, nonce, secret, access, &advertised)
}

/// [`run`] against a provider that advertises `advertised` signing algorithms.
fn run_advertising(
    token: &str,
    nonce: &str,
    secret: Option<&SecretString>,
    access: Option<&SecretString>,
    advertised: &[String],
) -> ValidationReport {
    let jwt = decode_unverified(token).expect("test tokens decode");
    let nonce = SecretString::new(nonce);
    let expect = Expectations {
        issuer: ISS,
        client_id: CID,
        nonce: NonceRule::Sent(&nonce),
        now: NOW,
        shared_secret: SharedSecret::new(secret, advertised),
        access_token: access,
        max_age: None,
        acr_values: None,
        allowed_tenants: &[],
        original: None,
    };
    validate_id_token(&jwt, &jwks(), &expect)
}

fn failure(report: &ValidationReport) -> String {
    report
        .first_failure()
        .map(|c| c.detail.clone())
        .unwrap_or_default()
}

#[test]
fn a_correct_token_passes_every_check_for_each_asymmetric_alg() {
    for (alg, kid) in [
        ("RS256", "test-rsa-1"),
        ("ES256", "test-ec-1"),
        ("EdDSA", "test-ed-1"),
    ] {
        let report = run(&sign(alg, Some(kid), &claims()), "n-123", None, None);
        assert!(
            report.passed(),
            "{alg} should pass, failed: {}",
            failure(&report)
        );
        let sig = report.checks.iter().find(|c| c.id == "signature").unwrap();
        assert!(
            sig.detail.contains(kid),
            "the report names the verifying key: {}",
            sig.detail
        );
    }
}

#[test]
fn ps256_verifies_with_an_rsa_key_that_has_no_alg() {
    let mut set = jwks();
    set.keys[0].alg = None;
    let jwt = decode_unverified(&sign("PS256", Some("test-rsa-1"), &claims())).unwrap();
    let nonce = SecretString::new("n-123");
    let expect = Expectations {
        issuer: ISS,
        client_id: CID,
        nonce: NonceRule::Sent(&nonce),
        now: NOW,
        shared_secret: None,
        access_token: None,
        max_age: None,
        acr_values: None,
        allowed_tenants: &[],
        original: None,
    };
    let report = validate_id_token(&jwt, &set, &expect);
    assert!(report.passed(), "PS256 should verify: {}", failure(&report));
}

#[test]
fn alg_none_is_refused() {
    let report = run(&unsigned(&claims()), "n-123", None, None);
    assert!(!report.passed(), "an unsigned token must not pass");
    assert!(
        failure(&report).contains("alg \"none\""),
        "{}",
        failure(&report)
    );
}

#[test]
fn hs256_is_refused_without_a_client_secret_and_accepted_with_it() {
    let token = sign("HS256", None, &claims());
    let report = run(&token, "n-123", None, None);
    assert!(
        failure(&report).contains("no client secret"),
        "public clients refuse HS256: {}",
        failure(&report)
    );
    let secret = SecretString::new("client-secret-for-hs256-tests-0123456789");
    let report = run(&token, "n-123", Some(&secret), None);
    assert!(
        report.passed(),
        "HS256 with the right secret passes: {}",
        failure(&report)
    );
    let wrong = SecretString::new("another-secret-entirely-0123456789abcdef");
    assert!(failure(&run(&token, "n-123", Some(&wrong), None)).contains("signature is invalid"));
}

#[test]
fn hs256_is_refused_when_the_provider_does_not_advertise_it_even_with_the_right_secret() {
    let token = sign("HS256", None, &claims());
    let secret = SecretString::new("client-secret-for-hs256-tests-0123456789");
    let report = run_advertising(&token, "n-123", Some(&secret), None, &["RS256".to_string()]);
    assert!(
        failure(&report)
            .contains("the provider does not list in id_token_signing_alg_values_supported"),
        "a secret held by the client proves nothing the provider did not promise: {}",
        failure(&report)
    );
}

#[test]
fn a_tampered_payload_fails_the_signature_check() {
    let token = sign("RS256", Some("test-rsa-1"), &claims());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut c = claims();
    c["sub"] = json!("admin");
    parts[1] = B64URL.encode(serde_json::to_vec(&c).unwrap());
    let report = run(&parts.join("."), "n-123", None, None);
    assert_eq!(
        failure(&report),
        "ID token signature is invalid (key \"test-rsa-1\", RS256)"
    );
}

#[test]
fn an_unknown_kid_asks_for_fresh_keys() {
    let report = run(
        &sign("RS256", Some("rotated-key"), &claims()),
        "n-123",
        None,
        None,
    );
    assert!(
        report.needs_fresh_keys(),
        "an unknown kid should trigger one JWKS re-fetch"
    );
    assert!(
        failure(&report).contains("rotated-key"),
        "{}",
        failure(&report)
    );
}

#[test]
fn a_missing_kid_with_a_single_matching_key_is_fine() {
    let report = run(&sign("ES256", None, &claims()), "n-123", None, None);
    assert!(report.passed(), "{}", failure(&report));
}

#[test]
fn wrong_issuer_is_refused() {
    let mut c = claims();
    c["iss"] = json!("https://evil.test");
    let report = run(&sign("RS256", Some("test-rsa-1"), &c), "n-123", None, None);
    assert_eq!(
        failure(&report),
        "ID token issuer mismatch: expected https://idp.test, got https://evil.test"
    );
}

#[test]
fn wrong_audience_is_refused() {
    let mut c = claims();
    c["aud"] = json!("someone-else");
    let report = run(&sign("RS256", Some("test-rsa-1"), &c), "n-123", None, None);
    assert_eq!(
        failure(&report),
        "ID token audience does not contain client_id tessera"
    );
}

#[test]
fn several_audiences_need_azp_equal_to_the_client() {
    let mut c = claims();
    c["aud"] = json!([CID, "api"]);
    assert_eq!(
        failure(&run(
            &sign("RS256", Some("test-rsa-1"), &c),
            "n-123",
            None,
            None
        )),
        "ID token has several audiences but no azp claim"
    );
    c["azp"] = json!("api");
    assert_eq!(
        failure(&run(
            &sign("RS256", Some("test-rsa-1"), &c),
            "n-123",
            None,
            None
        )),
        "ID token azp is api, not client_id tessera"
    );
    c["azp"] = json!(CID);
    assert!(run(&sign("RS256", Some("test-rsa-1"), &c), "n-123", None, None).passed());
}

#[test]
fn expired_and_future_tokens_are_refused() {
    let mut c = claims();
    c["exp"] = json!(NOW - 3600);
    assert!(failure(&run(
        &sign("RS256", Some("test-rsa-1"), &c),
        "n-123",
        None,
        None
    ))
    .starts_with("ID token expired at"));
    let mut c = claims();
    c["iat"] = json!(NOW + 3600);
    assert!(failure(&run(
        &sign("RS256", Some("test-rsa-1"), &c),
        "n-123",
        None,
        None
    ))
    .starts_with("ID token iat is in the future"));
}

#[test]
fn small_clock_skew_is_tolerated() {
    let mut c = claims();
    c["exp"] = json!(NOW - 10);
    c["iat"] = json!(NOW + 10);
    let report = run(&sign("RS256", Some("test-rsa-1"), &c), "n-123", None, None);
    assert!(
        report.passed(),
        "10 s of skew is within tolerance: {}",
        failure(&report)
    );
}

#[test]
fn missing_required_claims_are_refused() {
    for claim in ["sub", "exp", "iat", "iss"] {
        let mut c = claims();
        c.as_object_mut().unwrap().remove(claim);
        let report = run(&sign("RS256", Some("test-rsa-1"), &c), "n-123", None, None);
        assert!(
            failure(&report).contains(&format!("no {claim}")),
            "missing {claim}: {}",
            failure(&report)
        );
    }
}

#[test]
fn nonce_mismatch_and_missing_nonce_are_refused() {
    let token = sign("RS256", Some("test-rsa-1"), &claims());
    assert_eq!(
        failure(&run(&token, "other", None, None)),
        "ID token nonce mismatch"
    );
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    assert_eq!(
        failure(&run(
            &sign("RS256", Some("test-rsa-1"), &c),
            "n-123",
            None,
            None
        )),
        "ID token has no nonce, but one was sent"
    );
}

#[test]
fn at_hash_is_checked_when_present() {
    let access = SecretString::new("opaque-access-token-value");
    let mut c = claims();
    c["at_hash"] = json!(at_hash(access.expose(), "RS256").unwrap());
    let token = sign("RS256", Some("test-rsa-1"), &c);
    assert!(
        run(&token, "n-123", None, Some(&access)).passed(),
        "a correct at_hash passes"
    );
    let other = SecretString::new("a-different-access-token");
    assert_eq!(
        failure(&run(&token, "n-123", None, Some(&other))),
        "ID token at_hash does not match the access token"
    );
}

#[test]
fn at_hash_matches_the_spec_example() {
    // OpenID Connect Core, Appendix A.3 / A.4 example values.
    assert_eq!(
        at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256").as_deref(),
        Some("77QmUPtjPfzWtF2AnpK9RQ")
    );
}

#[test]
fn refreshed_token_must_keep_subject_and_audience_and_may_omit_nonce() {
    let original = decode_unverified(&sign("RS256", Some("test-rsa-1"), &claims())).unwrap();
    let check = |c: &Value| {
        let jwt = decode_unverified(&sign("RS256", Some("test-rsa-1"), c)).unwrap();
        let expect = Expectations {
            issuer: ISS,
            client_id: CID,
            nonce: NonceRule::Refresh,
            now: NOW,
            shared_secret: None,
            access_token: None,
            max_age: None,
            acr_values: None,
            allowed_tenants: &[],
            original: Some(&original),
        };
        validate_id_token(&jwt, &jwks(), &expect)
    };
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    assert!(
        check(&c).passed(),
        "a refresh token without nonce is fine: {}",
        failure(&check(&c))
    );
    c["sub"] = json!("someone-else");
    assert_eq!(
        failure(&check(&c)),
        "refreshed ID token is for a different subject"
    );
    let mut c = claims();
    c["nonce"] = json!("a-new-nonce");
    assert_eq!(
        failure(&check(&c)),
        "refreshed ID token carries a nonce that differs from the original"
    );
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    c["iat"] = json!(NOW - 3600);
    assert_eq!(
        failure(&check(&c)),
        "refreshed ID token was issued before the ID token it replaces (a replayed token?)",
        "§12.2: the new token's iat is when it was issued"
    );
}

#[test]
fn absurd_times_from_a_token_are_refused_instead_of_overflowing() {
    let nonce = SecretString::new("n-123");
    let run_with = |c: &Value, max_age: Option<u64>| {
        let jwt = decode_unverified(&sign("RS256", Some("test-rsa-1"), c)).unwrap();
        let expect = Expectations {
            issuer: ISS,
            client_id: CID,
            nonce: NonceRule::Sent(&nonce),
            now: NOW,
            shared_secret: None,
            access_token: None,
            max_age,
            acr_values: None,
            allowed_tenants: &[],
            original: None,
        };
        validate_id_token(&jwt, &jwks(), &expect)
    };
    let mut c = claims();
    c["auth_time"] = json!(-1e300);
    assert_eq!(
        failure(&run_with(&c, Some(60)))
            .split(" is older")
            .next()
            .map(|s| s.starts_with("ID token auth_time")),
        Some(true),
        "an auth_time of -1e300 is long ago, not within max_age: {}",
        failure(&run_with(&c, Some(60)))
    );
    let mut c = claims();
    c["exp"] = json!(9.2e18);
    c["iat"] = json!(-9.2e18);
    c["nbf"] = json!(9.2e18);
    let report = run_with(&c, None);
    assert_eq!(
        failure(&report),
        format!(
            "ID token is not valid before {}",
            crate::protocol::time_checks::describe_offset(NOW, 9.2e18 as i64)
        ),
        "times at the ends of the range are compared, not overflowed"
    );
}

#[test]
fn max_age_requires_a_recent_auth_time() {
    let jwt = decode_unverified(&sign("RS256", Some("test-rsa-1"), &claims())).unwrap();
    let nonce = SecretString::new("n-123");
    let expect = Expectations {
        issuer: ISS,
        client_id: CID,
        nonce: NonceRule::Sent(&nonce),
        now: NOW,
        shared_secret: None,
        access_token: None,
        max_age: Some(60),
        acr_values: None,
        allowed_tenants: &[],
        original: None,
    };
    assert_eq!(
        failure(&validate_id_token(&jwt, &jwks(), &expect)),
        "max_age was requested but the ID token has no auth_time"
    );
}

#[test]
fn every_check_is_reported_even_after_a_failure() {
    let mut c = claims();
    c["iss"] = json!("https://evil.test");
    c["aud"] = json!("x");
    let report = run(&sign("RS256", Some("test-rsa-1"), &c), "bad", None, None);
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.id)
        .collect();
    assert_eq!(
        failed,
        vec!["issuer", "audience", "nonce"],
        "all three problems are listed"
    );
    assert!(
        report.checks.len() >= 9,
        "the other checks still ran: {:?}",
        report.checks
    );
}

fn run_with_issuer(token: &str, issuer: &str) -> ValidationReport {
    run_with_tenants(token, issuer, &[])
}

/// [`run_with_issuer`] for a profile that allows only `tenants`.
fn run_with_tenants(token: &str, issuer: &str, tenants: &[String]) -> ValidationReport {
    let jwt = decode_unverified(token).expect("test tokens decode");
    let nonce = SecretString::new("n-123");
    let expect = Expectations {
        issuer,
        client_id: CID,
        nonce: NonceRule::Sent(&nonce),
        now: NOW,
        shared_secret: None,
        access_token: None,
        max_age: None,
        acr_values: None,
        allowed_tenants: tenants,
        original: None,
    };
    validate_id_token(&jwt, &jwks(), &expect)
}

#[test]
fn a_tenant_allow_list_refuses_a_valid_token_from_any_other_tenant() {
    let ours = "9188040d-6c67-4c5b-b112-36a304b66dad";
    let mut c = claims();
    c["tid"] = json!("aaaaaaaa-0000-0000-0000-000000000000");
    c["iss"] = json!("https://login.microsoftonline.com/aaaaaaaa-0000-0000-0000-000000000000/v2.0");
    let token = sign("RS256", Some("test-rsa-1"), &c);
    assert!(
        run_with_issuer(&token, ENTRA_TEMPLATE).passed(),
        "without a list, any tenant's own token passes"
    );
    let allowed = [ours.to_string()];
    assert_eq!(
        failure(&run_with_tenants(&token, ENTRA_TEMPLATE, &allowed)),
        "ID token is from a tenant the profile does not allow",
        "a stranger's tenant is refused even though its token is consistent"
    );
    c["tid"] = json!(ours);
    c["iss"] = json!(format!("https://login.microsoftonline.com/{ours}/v2.0"));
    let token = sign("RS256", Some("test-rsa-1"), &c);
    assert!(
        run_with_tenants(&token, ENTRA_TEMPLATE, &allowed).passed(),
        "an allowed tenant passes"
    );
}

const ENTRA_TEMPLATE: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";

#[test]
fn a_tenant_template_issuer_accepts_the_iss_of_the_tokens_own_tenant() {
    let mut c = claims();
    c["tid"] = json!("9188040d-6c67-4c5b-b112-36a304b66dad");
    c["iss"] = json!("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0");
    let report = run_with_issuer(&sign("RS256", Some("test-rsa-1"), &c), ENTRA_TEMPLATE);
    assert!(report.passed(), "{}", failure(&report));
}

#[test]
fn a_tenant_template_issuer_refuses_an_iss_from_another_tenant_or_no_tid() {
    let mut c = claims();
    c["tid"] = json!("aaaaaaaa-0000-0000-0000-000000000000");
    c["iss"] = json!("https://login.microsoftonline.com/bbbbbbbb-0000-0000-0000-000000000000/v2.0");
    let report = run_with_issuer(&sign("RS256", Some("test-rsa-1"), &c), ENTRA_TEMPLATE);
    assert!(
        failure(&report).starts_with(
            "ID token issuer mismatch: expected https://login.microsoftonline.com/aaaaaaaa-"
        ),
        "iss must be the template filled with the token's own tid: {}",
        failure(&report)
    );
    c.as_object_mut().unwrap().remove("tid");
    let report = run_with_issuer(&sign("RS256", Some("test-rsa-1"), &c), ENTRA_TEMPLATE);
    assert!(
        failure(&report).contains("no usable tid claim"),
        "without tid the template cannot be filled: {}",
        failure(&report)
    );
}

#[test]
fn tenant_templates_match_one_path_segment_only() {
    use crate::protocol::discovery::tenant_template_matches;
    assert!(
        tenant_template_matches(
            ENTRA_TEMPLATE,
            "https://login.microsoftonline.com/common/v2.0"
        ),
        "common fills the placeholder"
    );
    assert!(
        !tenant_template_matches(ENTRA_TEMPLATE, "https://login.microsoftonline.com/a/b/v2.0"),
        "two segments must not match"
    );
    assert!(
        !tenant_template_matches(ENTRA_TEMPLATE, "https://evil.test/common/v2.0"),
        "another host must not match"
    );
    assert!(
        !tenant_template_matches("https://idp.test", "https://idp.test"),
        "an issuer without a placeholder is not a template"
    );
}

#[test]
fn an_acr_other_than_requested_is_a_warning_row_not_a_refusal() {
    let nonce = SecretString::new("n-123");
    let report_for = |c: &Value| {
        let jwt = decode_unverified(&sign("RS256", Some("test-rsa-1"), c)).unwrap();
        validate_id_token(
            &jwt,
            &jwks(),
            &Expectations {
                issuer: ISS,
                client_id: CID,
                nonce: NonceRule::Sent(&nonce),
                now: NOW,
                shared_secret: None,
                access_token: None,
                max_age: None,
                acr_values: Some("urn:mfa urn:hwk"),
                allowed_tenants: &[],
                original: None,
            },
        )
    };
    let acr_row = |r: &ValidationReport| {
        r.checks
            .iter()
            .find(|c| c.id == "acr")
            .cloned()
            .expect("an acr row")
    };
    let mut c = claims();
    c["acr"] = json!("urn:mfa");
    let asked = report_for(&c);
    assert!(
        asked.passed() && !acr_row(&asked).warning,
        "the requested acr passes cleanly"
    );
    c["acr"] = json!("urn:password");
    let other = report_for(&c);
    assert!(
        other.passed(),
        "a different acr does not refuse the sign-in (SHOULD, not MUST)"
    );
    let row = acr_row(&other);
    assert!(row.warning, "but it is flagged: {row:?}");
    assert_eq!(
        row.found.as_deref(),
        Some("urn:password"),
        "with what came back"
    );
    let missing = report_for(&claims());
    assert!(acr_row(&missing).warning, "no acr at all is flagged too");
}
