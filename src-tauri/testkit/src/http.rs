//! A raw HTTP/1.0 client over loopback, written straight onto a socket. It
//! is deliberately not Tessera's HTTP client (nor any HTTP library): a test
//! that checks what the provider or the demo API thinks of a token must not
//! share the code under test. HTTP/1.0 lets the server close the connection
//! after its answer, so the whole answer is simply read to its end.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long an answer may take.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Sends one request to a loopback `url` and returns the status and the body.
/// Panics for a host that is not loopback: tests reach nothing else.
pub fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let u = url::Url::parse(url).unwrap_or_else(|e| panic!("{url} is not a URL: {e}"));
    assert_eq!(
        u.scheme(),
        "http",
        "the test client speaks plain http only: {url}"
    );
    let host = u.host_str().unwrap_or_default();
    assert!(
        matches!(host, "127.0.0.1" | "localhost" | "[::1]"),
        "tests reach loopback only, not {host} ({url})"
    );
    let port = u
        .port_or_known_default()
        .expect("an http URL has a port or the default 80");
    let mut stream = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .expect("set a read timeout on the socket");
    let target = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    let mut request = format!(
        "{method} {target} HTTP/1.0\r\nHost: {host}:{port}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("send {method} {url}: {e}"));
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .unwrap_or_else(|e| panic!("read the answer to {method} {url}: {e}"));
    parse_response(&String::from_utf8_lossy(&answer))
        .unwrap_or_else(|e| panic!("{method} {url} got no HTTP answer: {e}"))
}

/// GETs `path` of the demo API on `issuer` with `token` as the bearer token
/// (surrounding whitespace, e.g. `tessera token`'s newline, is trimmed).
pub fn call_api(issuer: &str, path: &str, token: &str) -> (u16, String) {
    http(
        "GET",
        &format!("{issuer}{path}"),
        &[("Authorization", &format!("Bearer {}", token.trim()))],
        "",
    )
}

/// The status and body of a whole HTTP/1.x answer.
fn parse_response(answer: &str) -> Result<(u16, String), String> {
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no end of the headers in {answer:?}"))?;
    let status_line = head.lines().next().unwrap_or_default();
    let mut parts = status_line.split(' ');
    let version = parts.next().unwrap_or_default();
    let status = parts.next().and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(status) if version.starts_with("HTTP/1.") => Ok((status, body.to_string())),
        _ => Err(format!("not a status line: {status_line:?}")),
    }
}

/// GETs `url` with curl (for https, which [`http`] does not speak), with
/// these headers and extra arguments (`--cacert`, …); returns the status
/// and the body. curl presents no client certificate unless told to.
pub fn curl_get(url: &str, headers: &[String], extra: &[&str]) -> (u16, String) {
    let mut command = std::process::Command::new("curl");
    command
        .args(["-s", "-o", "-", "-w", "\n%{http_code}"])
        .args(extra);
    for header in headers {
        command.arg("-H").arg(header);
    }
    let out = command
        .arg(url)
        .output()
        .expect("run curl (.ci/setup installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap_or((&text, "0"));
    (status.trim().parse().unwrap_or(0), body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_its_status_and_body() {
        let answer =
            "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"error\":\"x\"}";
        assert_eq!(
            parse_response(answer),
            Ok((403, "{\"error\":\"x\"}".to_string())),
            "the status code and everything after the blank line"
        );
        assert_eq!(
            parse_response("HTTP/1.0 204 No Content\r\n\r\n"),
            Ok((204, String::new())),
            "an empty body"
        );
    }

    #[test]
    fn anything_but_an_http_answer_is_an_error() {
        assert!(parse_response("").is_err(), "nothing at all");
        assert!(
            parse_response("SSH-2.0-OpenSSH\r\n\r\n").is_err(),
            "another protocol"
        );
        assert!(
            parse_response("HTTP/1.1 abc\r\n\r\n").is_err(),
            "a status that is not a number"
        );
        assert!(
            parse_response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n").is_err(),
            "cut off in the headers"
        );
    }

    #[test]
    #[should_panic(expected = "tests reach loopback only")]
    fn a_host_that_is_not_loopback_is_refused_before_connecting() {
        http("GET", "http://example.com/", &[], "");
    }
}
