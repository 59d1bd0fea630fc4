//! The exit codes the README documents, one per kind of failure, from the
//! real binary: scripts branch on them, so each is pinned here with the
//! command line's own advice on the one-line error.

use std::process::Output;

use tessera_testkit::{failed, json, ok};

use crate::forge::{Behaviour, Forge, Signing, TokenMode};
use crate::home;

/// The exit code of a failed run, and its one error line.
fn failure(out: &Output) -> (i32, String) {
    let line = failed(out);
    (
        out.status.code().expect("tessera exits, it is not killed"),
        line,
    )
}

#[test]
fn a_profile_that_does_not_exist_exits_3_and_says_how_to_create_it() {
    let ws = home("exit-no-profile");
    let (code, line) = failure(&ws.tessera(&["token", "--profile", "nope"]));
    assert_eq!(code, 3, "profile problems exit 3: {line}");
    assert!(
        line.contains(
            "create it with `tessera login --profile nope --issuer <URL> --client-id <ID>`"
        ),
        "the command line adds its own advice: {line}"
    );
}

#[test]
fn a_profile_that_is_not_signed_in_exits_4_and_points_at_tessera_login() {
    let ws = home("exit-signed-out");
    let saved = ws.tessera(&[
        "profiles",
        "save",
        "--profile",
        "out",
        "--issuer",
        "http://127.0.0.1:9",
        "--client-id",
        "c",
    ]);
    assert!(
        saved.status.success(),
        "the profile is saved without signing in"
    );
    let (code, line) = failure(&ws.tessera(&["token", "--profile", "out"]));
    assert_eq!(code, 4, "sign in again: exit 4: {line}");
    assert!(
        line.ends_with("(run `tessera login --profile out`)"),
        "the engine says what, the command line says how: {line}"
    );
}

#[test]
fn an_unreachable_provider_exits_5() {
    let ws = home("exit-unreachable");
    // Port 9 (discard) has no listener on 127.0.0.1.
    let (code, line) = failure(&ws.tessera(&[
        "login",
        "--profile",
        "gone",
        "--issuer",
        "http://127.0.0.1:9",
        "--client-id",
        "c",
        "--timeout",
        "10",
    ]));
    assert_eq!(code, 5, "provider and network failures exit 5: {line}");
    assert!(line.contains("could not reach"), "{line}");
}

#[test]
fn a_token_endpoint_error_exits_5_and_a_refused_id_token_exits_6() {
    let ws = home("exit-refused");
    let broken = Forge::start(Behaviour {
        token: TokenMode::Status(500, "{}"),
        ..Behaviour::default()
    });
    let args = |issuer: &str, profile: &'static str| {
        vec![
            "login".to_string(),
            "--profile".into(),
            profile.into(),
            "--issuer".into(),
            issuer.into(),
            "--client-id".into(),
            "tessera-test".into(),
            "--timeout".into(),
            "20".into(),
        ]
    };
    let run = |a: Vec<String>| ws.tessera(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let (code, line) = failure(&run(args(&broken.issuer, "broken")));
    assert_eq!(code, 5, "an error answer from the provider exits 5: {line}");

    let forged = Forge::start(Behaviour {
        signing: Signing::Unsigned,
        ..Behaviour::default()
    });
    let (code, line) = failure(&run(args(&forged.issuer, "forged")));
    assert_eq!(code, 6, "a refused token exits 6: {line}");
}

#[test]
fn a_malformed_header_for_call_is_a_usage_error_and_exits_2() {
    let ws = home("exit-usage");
    let (code, line) =
        failure(&ws.tessera(&["call", "GET", "http://127.0.0.1:9/x", "-H", "no colon"]));
    assert_eq!(code, 2, "wrong arguments exit 2: {line}");
    assert!(line.contains("needs the form 'Name: value'"), "{line}");
}

#[test]
fn a_client_id_that_starts_with_a_hyphen_is_a_value_not_an_option() {
    // Providers hand out random client ids, and one in 64 starts with `-`.
    let ws = home("hyphen-client");
    // `ok` fails the test with tessera's stderr unless the id is taken as the value.
    ok(&ws.tessera(&[
        "profiles",
        "save",
        "--profile",
        "hyphen",
        "--issuer",
        "http://127.0.0.1:9",
        "--client-id",
        "-Lq3_random",
    ]));
    let shown = json(&ws.tessera(&["profiles", "show", "hyphen", "--json"]));
    assert_eq!(
        shown["client_id"], "-Lq3_random",
        "the profile keeps the id as given: {shown}"
    );
}
