//! The OS keyring as libsecret's own command-line tool, `secret-tool`, sees
//! it: independent of Tessera's keyring code, so a test checks what Tessera
//! really stored, under the service `tessera`.
//!
//! Every lookup tells three outcomes apart, and only two are answers:
//!
//! - present: exit 0; stdout is the secret (no newline is added when stdout
//!   is not a terminal), stderr is empty;
//! - absent: exit 1 with nothing on stdout or stderr;
//! - the tool failed: it did not start, or it wrote to stderr (a D-Bus
//!   error such as `secret-tool: Could not connect: …` also exits 1), or any
//!   other exit. That panics: a check that an entry is gone must not pass
//!   because the keyring could not be asked.
//!
//! (Measured against gnome-keyring 42 and libsecret 0.20 under
//! `.ci/with-keyring`; `DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent`
//! gives the D-Bus failure.)

use std::process::{Command, Output};

const SERVICE: &str = "tessera";

/// The secret stored for `username` under the service `tessera`, or `None`
/// when there is no such entry. Panics when `secret-tool` fails (reported at
/// the caller's line, as the `assert_keyring_*` helpers are).
#[track_caller]
pub fn keyring_entry(username: &str) -> Option<Vec<u8>> {
    let out = secret_tool(&["lookup", "service", SERVICE, "username", username]);
    match lookup_answer(&out) {
        Ok(answer) => answer,
        Err(failure) => panic!(
            "secret-tool lookup service {SERVICE} username {username} failed, so the keyring could not be checked: {failure}"
        ),
    }
}

/// Asserts that the keyring holds an entry for `username`; `why` says what
/// that shows (e.g. "the sign-in stored the session").
#[track_caller]
pub fn assert_keyring_has(username: &str, why: &str) {
    assert!(
        keyring_entry(username).is_some(),
        "{why}: expected a keyring entry service={SERVICE} username={username}, and there is none"
    );
}

/// Asserts that the keyring holds no entry for `username`; `why` says what
/// that shows (e.g. "sign-out removed the session").
#[track_caller]
pub fn assert_keyring_lacks(username: &str, why: &str) {
    if let Some(secret) = keyring_entry(username) {
        panic!(
            "{why}: expected no keyring entry service={SERVICE} username={username}, but one holds {} bytes",
            secret.len()
        );
    }
}

/// The usernames of every entry under the service `tessera`, as
/// `secret-tool search --all` lists them. Panics when `secret-tool` fails.
#[track_caller]
pub fn keyring_usernames() -> Vec<String> {
    let mut attempt = 0;
    loop {
        let out = secret_tool(&["search", "--all", "service", SERVICE]);
        match search_usernames(&out) {
            Ok(usernames) => return usernames,
            // Another test deleted an item between the search and the read
            // of its attributes: the listing is retried, it is no tool failure.
            Err(failure) if failure.contains("Object does not exist") && attempt < 5 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(failure) => panic!(
                "secret-tool search --all service {SERVICE} failed, so the keyring could not be listed: {failure}"
            ),
        }
    }
}

/// The session stored for `profile` as JSON, put back together from its
/// head entry `session:<profile>` and the chunks it names, or `None` when
/// there is no head entry. Panics when `secret-tool` fails or the stored
/// session is not whole.
#[track_caller]
pub fn stored_session(profile: &str) -> Option<serde_json::Value> {
    let head_key = format!("session:{profile}");
    let raw = keyring_entry(&head_key)?;
    let head = SessionHead::parse(&raw)
        .unwrap_or_else(|e| panic!("the keyring entry {head_key} is not a session head: {e}"));
    let mut data = head.first_chunk;
    for n in 1..head.chunks {
        let key = format!("session:{profile}:{}:{n}", head.generation);
        let chunk = keyring_entry(&key).unwrap_or_else(|| {
            panic!(
                "{head_key} names {} chunks, and {key} is missing",
                head.chunks
            )
        });
        data.extend_from_slice(&chunk);
    }
    assert_eq!(
        data.len(),
        head.len,
        "the chunks of {head_key} add up to the length its head records"
    );
    Some(
        serde_json::from_slice(&data)
            .unwrap_or_else(|e| panic!("the session stored for {profile} is not JSON: {e}")),
    )
}

/// The refresh token inside the session stored for `profile`: `None` when
/// there is no session or it has no refresh token. Panics when `secret-tool`
/// fails.
#[track_caller]
pub fn stored_refresh_token(profile: &str) -> Option<String> {
    let session = stored_session(profile)?;
    match &session["refresh_token"] {
        serde_json::Value::Null => None,
        serde_json::Value::String(token) => Some(token.clone()),
        other => panic!("the stored session's refresh_token is not a string: {other}"),
    }
}

#[track_caller]
fn secret_tool(args: &[&str]) -> Output {
    match Command::new("secret-tool").args(args).output() {
        Ok(out) => out,
        Err(e) => {
            panic!("could not run secret-tool {args:?} (Debian package libsecret-tools): {e}")
        }
    }
}

/// What a `secret-tool lookup` run means: `Ok(Some(secret))`, `Ok(None)` for
/// no entry, or `Err` (what went wrong) when the tool failed.
fn lookup_answer(out: &Output) -> Result<Option<Vec<u8>>, String> {
    classify_lookup(out.status.code(), &out.stdout, &out.stderr)
}

fn classify_lookup(
    code: Option<i32>,
    stdout: &[u8],
    stderr: &[u8],
) -> Result<Option<Vec<u8>>, String> {
    let said = String::from_utf8_lossy(stderr);
    match code {
        _ if !stderr.is_empty() => Err(format!(
            "{}, stderr: {}",
            code.map_or("killed by a signal".into(), |c| format!("exit {c}")),
            said.trim()
        )),
        Some(0) => Ok(Some(stdout.to_vec())),
        Some(1) if stdout.is_empty() => Ok(None),
        Some(1) => Err("exit 1 with output on stdout".into()),
        Some(other) => Err(format!("exit {other}")),
        None => Err("killed by a signal".into()),
    }
}

/// The usernames a `secret-tool search --all` run lists (its attributes go
/// to stderr as `attribute.username = …`), or `Err` when the tool failed.
fn search_usernames(out: &Output) -> Result<Vec<String>, String> {
    let said = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{}, stderr: {}", out.status, said.trim()));
    }
    parse_search(&said)
}

fn parse_search(stderr: &str) -> Result<Vec<String>, String> {
    let mut usernames = Vec::new();
    for line in stderr.lines() {
        if let Some(name) = line.strip_prefix("attribute.username = ") {
            usernames.push(name.to_string());
        } else if !line.starts_with("attribute.") {
            return Err(format!("unexpected line on stderr: {line}"));
        }
    }
    Ok(usernames)
}

/// A session's head entry: a header line, then the session's first chunk.
/// Tessera's format (tessera-engine's session.rs), read independently:
/// `tessera-session/1 gen=<g> chunks=<n> len=<bytes> sha256=<hex>\n`.
#[derive(Debug, PartialEq, Eq)]
struct SessionHead {
    generation: String,
    chunks: usize,
    len: usize,
    first_chunk: Vec<u8>,
}

impl SessionHead {
    fn parse(raw: &[u8]) -> Result<SessionHead, String> {
        let newline = raw
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("no header line")?;
        let line = std::str::from_utf8(&raw[..newline]).map_err(|_| "the header is not UTF-8")?;
        let mut fields = line.split(' ');
        if fields.next() != Some("tessera-session/1") {
            return Err(format!("unknown header: {line}"));
        }
        let (mut generation, mut chunks, mut len) = (None, None, None);
        for field in fields {
            match field.split_once('=') {
                Some(("gen", g)) => generation = Some(g.to_string()),
                Some(("chunks", n)) => chunks = n.parse().ok(),
                Some(("len", n)) => len = n.parse().ok(),
                _ => {}
            }
        }
        match (generation, chunks, len) {
            (Some(generation), Some(chunks), Some(len)) if chunks >= 1 => Ok(SessionHead {
                generation,
                chunks,
                len,
                first_chunk: raw[newline + 1..].to_vec(),
            }),
            _ => Err(format!("the header lacks gen, chunks or len: {line}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_secret_is_present_even_when_empty() {
        assert_eq!(
            classify_lookup(Some(0), b"head\n{}", b""),
            Ok(Some(b"head\n{}".to_vec())),
            "exit 0 gives the secret as printed"
        );
        assert_eq!(
            classify_lookup(Some(0), b"", b""),
            Ok(Some(Vec::new())),
            "an empty secret is still an entry"
        );
    }

    #[test]
    fn exit_1_with_no_output_is_the_only_absence() {
        assert_eq!(
            classify_lookup(Some(1), b"", b""),
            Ok(None),
            "secret-tool's silent exit 1 means no entry"
        );
    }

    #[test]
    fn a_dbus_error_other_exits_and_signals_are_failures_not_absence() {
        let dbus = classify_lookup(
            Some(1),
            b"",
            b"secret-tool: Could not connect: No such file or directory\n",
        );
        assert!(
            dbus.as_ref()
                .is_err_and(|e| e.contains("Could not connect")),
            "a D-Bus error names itself: {dbus:?}"
        );
        assert!(
            classify_lookup(Some(2), b"", b"").is_err(),
            "a usage error fails"
        );
        assert!(
            classify_lookup(None, b"", b"").is_err(),
            "a killed tool fails"
        );
        assert!(
            classify_lookup(Some(0), b"x", b"warning\n").is_err(),
            "anything on stderr is a failure, even with exit 0"
        );
        assert!(
            classify_lookup(Some(1), b"x", b"").is_err(),
            "exit 1 with output is not absence"
        );
    }

    /// Against the real Secret Service (`.ci/with-keyring`): what the
    /// classification above assumes is what secret-tool really does.
    #[test]
    fn the_real_secret_tool_tells_present_absent_and_a_broken_bus_apart() {
        let username = format!("testkit-probe-{}", std::process::id());
        let store = Command::new("sh")
            .args(["-c", "printf %s probe | secret-tool store --label=\"Tessera test kit probe\" service \"$0\" username \"$1\""])
            .args([SERVICE, &username])
            .output()
            .expect("run secret-tool store");
        assert!(
            store.status.success(),
            "secret-tool stores an entry (run under .ci/with-keyring): {}",
            String::from_utf8_lossy(&store.stderr)
        );
        assert_eq!(
            keyring_entry(&username),
            Some(b"probe".to_vec()),
            "a stored entry reads back as it was stored"
        );
        assert!(
            keyring_usernames().contains(&username),
            "the search lists the stored entry"
        );
        secret_tool(&["clear", "service", SERVICE, "username", &username]);
        assert_eq!(keyring_entry(&username), None, "a cleared entry is absent");

        let broken = Command::new("secret-tool")
            .args(["lookup", "service", SERVICE, "username", &username])
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .output()
            .expect("run secret-tool lookup");
        let answer = lookup_answer(&broken);
        assert!(
            answer
                .as_ref()
                .is_err_and(|e| e.contains("Could not connect")),
            "no bus is a failure, not an absent entry: {answer:?}"
        );
    }

    #[test]
    fn a_search_lists_the_usernames_from_its_attributes() {
        let stderr = "attribute.service = tessera\nattribute.username = session:a\n\
                      attribute.service = tessera\nattribute.username = session:a:g1:1\n";
        assert_eq!(
            parse_search(stderr),
            Ok(vec!["session:a".to_string(), "session:a:g1:1".to_string()]),
            "each item's username, in order"
        );
        assert_eq!(parse_search(""), Ok(vec![]), "no items, no usernames");
        assert!(
            parse_search("secret-tool: Could not connect: x\n").is_err(),
            "an error line is not an empty listing"
        );
    }

    #[test]
    fn a_session_head_gives_its_generation_chunks_and_first_chunk() {
        let head = SessionHead::parse(
            b"tessera-session/1 gen=abc chunks=3 len=4500 sha256=00ff\n{\"refresh_token\"",
        );
        assert_eq!(
            head,
            Ok(SessionHead {
                generation: "abc".into(),
                chunks: 3,
                len: 4500,
                first_chunk: b"{\"refresh_token\"".to_vec(),
            }),
            "the header's fields and the bytes after it"
        );
        assert!(
            SessionHead::parse(b"{\"no\":\"header\"}").is_err(),
            "JSON alone is not a head"
        );
        assert!(
            SessionHead::parse(b"other/1 gen=a chunks=1 len=2\n{}").is_err(),
            "another format is refused"
        );
        assert!(
            SessionHead::parse(b"tessera-session/1 gen=a chunks=0 len=2\n{}").is_err(),
            "a head is at least one chunk"
        );
    }
}
