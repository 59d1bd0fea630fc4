use super::call::prepare;
use super::*;
use crate::seams::http::HttpResponse;
use crate::secret::SecretString;

#[test]
fn a_bearer_challenge_is_parsed_into_its_error_and_description() {
    let c = parse_www_authenticate(
        r#"Bearer realm="tessera-demo", error="invalid_token", error_description="the access token expired""#,
    );
    assert_eq!(c.len(), 1, "one challenge: {c:?}");
    assert_eq!(c[0].scheme, "Bearer");
    assert_eq!(c[0].param("realm"), Some("tessera-demo"));
    assert_eq!(c[0].param("error"), Some("invalid_token"));
    assert_eq!(
        c[0].param("error_description"),
        Some("the access token expired"),
        "quoted values keep their spaces"
    );
    assert!(
        c[0].fixable_by_refresh(),
        "invalid_token may be fixed by a refresh"
    );
    assert!(c[0].advice().is_some(), "known errors come with advice");
}

#[test]
fn several_challenges_and_odd_spacing_still_parse() {
    let c = parse_www_authenticate(
        r#"DPoP algs="ES256 PS256", Bearer error=insufficient_scope ,scope="admin read", realm = "api""#,
    );
    let schemes: Vec<&str> = c.iter().map(|c| c.scheme.as_str()).collect();
    assert_eq!(schemes, ["DPoP", "Bearer"], "two challenges: {c:?}");
    assert_eq!(c[0].param("algs"), Some("ES256 PS256"));
    assert_eq!(
        c[1].param("error"),
        Some("insufficient_scope"),
        "unquoted value"
    );
    assert_eq!(c[1].param("scope"), Some("admin read"));
    assert_eq!(
        c[1].param("realm"),
        Some("api"),
        "spaces around = are tolerated"
    );
    assert!(
        !c[1].fixable_by_refresh(),
        "a missing scope is not fixed by refreshing the same grant"
    );
}

#[test]
fn a_bare_bearer_challenge_has_no_error_and_a_refresh_may_help() {
    let c = parse_www_authenticate("Bearer");
    assert_eq!(c.len(), 1);
    assert!(c[0].params.is_empty());
    assert!(c[0].fixable_by_refresh());
}

#[test]
fn copy_as_curl_substitutes_the_token_command_by_default() {
    let mut r = ApiRequest::new("post", "https://api.example.com/items?x=1");
    r.query.push(NameValue::new("q", "a b"));
    r.headers.push(NameValue::new("X-Trace", "it's"));
    r.body = ApiBody::Json(r#"{"name":"o'hara"}"#.into());
    let cmd = curl_command(
        &r,
        CurlToken::Substitution {
            profile: "local",
            dpop: false,
        },
    )
    .expect("builds");
    assert_eq!(
        cmd,
        "curl -g -X POST 'https://api.example.com/items?x=1&q=a+b' \\\n  \
         -H \"Authorization: Bearer $(tessera token --profile local)\" \\\n  \
         -H 'X-Trace: it'\\''s' \\\n  \
         -H 'Content-Type: application/json' \\\n  \
         --data-raw '{\"name\":\"o'\\''hara\"}'",
        "quotes survive a POSIX shell and the token is fetched when the command runs"
    );
}

#[test]
fn copy_as_curl_inlines_the_token_only_when_asked() {
    let r = ApiRequest::new("GET", "http://127.0.0.1:9/api/me");
    let token = SecretString::from("tok'en");
    let cmd = curl_command(
        &r,
        CurlToken::Inline {
            token: &token,
            proof: None,
        },
    )
    .expect("builds");
    assert_eq!(
        cmd, "curl -g http://127.0.0.1:9/api/me \\\n  -H 'Authorization: Bearer tok'\\''en'",
        "GET needs no -X and the inlined token is quoted"
    );
    let odd = curl_command(
        &r,
        CurlToken::Substitution {
            profile: "my work",
            dpop: false,
        },
    )
    .expect("builds");
    assert!(
        odd.contains("--profile 'my work'"),
        "profile names are quoted: {odd}"
    );
}

#[test]
fn bad_requests_are_refused_before_any_token_is_fetched() {
    let err = |r: ApiRequest| {
        prepare(&r, false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(
        err(ApiRequest::new("FETCH", "https://a.test/")).contains("unknown HTTP method \"FETCH\"")
    );
    assert!(err(ApiRequest::new("GET", "api.test/me")).starts_with("the URL is not valid"));
    assert!(
        err(ApiRequest::new("GET", "http://api.example.com/me"))
            .contains("refusing to send the access token over plain http to api.example.com"),
        "plain http off loopback would expose the token"
    );
    let mut r = ApiRequest::new("POST", "https://a.test/");
    r.body = ApiBody::Json("{\"a\": }".into());
    assert_eq!(
        err(r),
        "the JSON body is not valid JSON (line 1, column 7); fix it or send it as raw text"
    );
    let mut r = ApiRequest::new("GET", "https://a.test/");
    r.headers.push(NameValue::new("Bad Header", "x"));
    assert!(err(r).contains("header \"Bad Header\""));
    assert!(
        prepare(&ApiRequest::new("GET", "http://localhost:8080/"), false).is_ok(),
        "loopback http is fine"
    );
}

#[test]
fn disabled_rows_are_kept_but_not_sent() {
    let mut r = ApiRequest::new("POST", "https://a.test/p");
    r.query.push(NameValue {
        name: "off".into(),
        value: "1".into(),
        enabled: false,
    });
    r.body = ApiBody::Form(vec![
        NameValue::new("a", "1 2"),
        NameValue {
            name: "b".into(),
            value: "x".into(),
            enabled: false,
        },
    ]);
    let p = prepare(&r, false).expect("valid");
    assert_eq!(
        p.url.as_str(),
        "https://a.test/p",
        "the disabled query row is not sent"
    );
    assert_eq!(
        p.body.as_deref(),
        Some(&b"a=1+2"[..]),
        "the disabled field is not sent"
    );
}

#[test]
fn a_large_json_body_is_pretty_printed_and_cut_for_the_view() {
    let big = format!("[{}]", vec!["\"0123456789\""; 30_000].join(","));
    let r = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: big.into_bytes(),
    };
    let view = r.body_view();
    assert!(view.is_json, "JSON is recognised");
    assert!(view.truncated, "over the view limit");
    assert!(view.text.len() <= MAX_VIEW_BYTES);
    assert!(
        view.text.starts_with("[\n  \"0123456789\""),
        "pretty-printed"
    );
    assert_eq!(r.status_text(), "OK");
}

#[test]
fn copy_as_curl_turns_off_url_globbing_so_a_pattern_cannot_send_the_token_elsewhere() {
    let r = ApiRequest::new("GET", "https://api.example.com{,.evil.com}/me[1-2]");
    let cmd = curl_command(
        &r,
        CurlToken::Substitution {
            profile: "local",
            dpop: false,
        },
    )
    .expect("builds");
    let words = shell_words::split(cmd.lines().next().expect("a first line")).expect("POSIX words");
    assert!(
        words.iter().any(|w| w == "-g" || w == "--globoff"),
        "curl must not expand {{}} or [] into more hosts that would get the token: {cmd}"
    );
}
