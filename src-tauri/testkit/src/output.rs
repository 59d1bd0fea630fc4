//! What a `tessera` run printed, checked: success with its stdout, failure
//! with Tessera's one-line error, or a JSON document.

use std::process::Output;

/// Its stdout, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Its stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the run succeeded; returns its stdout.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "tessera should succeed ({}); stderr: {}\nstdout: {}",
        o.status,
        stderr(o),
        stdout(o)
    );
    stdout(o)
}

/// Asserts that the run failed with one error line, `tessera: …`, last on
/// stderr (logs of `-v` may come before it); returns that line.
pub fn failed(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "tessera should fail; stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    let err = stderr(o);
    let last = err.lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("tessera: "),
        "an error is one line starting with \"tessera: \"; stderr: {err}"
    );
    last
}

/// Asserts that the run succeeded; returns its stdout parsed as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    let out = ok(o);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out}"))
}
