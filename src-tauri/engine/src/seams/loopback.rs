//! The loopback redirect listener (RFC 8252 §7.3, §8.3).
//!
//! It binds `127.0.0.1` only (never all interfaces, never `localhost`), opens
//! when a sign-in starts and closes when the first real callback arrives or
//! the time runs out. Requests for other paths (a favicon, a probe) get a 404
//! and are ignored, and so is a redirect the sign-in does not accept (another
//! sign-in's `state`, a web page probing the port): it gets an error page and
//! the listener keeps waiting, so a stray request cannot end a sign-in. The browser's request is held open until the sign-in has
//! finished, so the page it shows tells the real outcome; the page never
//! echoes the code or any query value.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

/// Why waiting for the redirect failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListenError {
    /// The port could not be bound on 127.0.0.1, e.g. because it is in use.
    #[error("could not listen for the redirect on 127.0.0.1:{port} ({reason}); choose another redirect port, or 0 for any free port")]
    Bind {
        /// The port asked for in the profile's redirect (0 means any free port).
        port: u16,
        /// The OS error's message.
        reason: String,
    },
    /// Nobody came back in time.
    #[error("timed out waiting for the browser to return to {redirect_uri}; {}", if *.ignored == 0 { "finish signing in within the time limit, and check that this redirect URI is registered for the client".to_string() } else { format!("{} redirect(s) with another sign-in's state were ignored (a stale tab or a forged link): start the sign-in again and finish it in the browser it opens", .ignored) })]
    TimedOut {
        /// The redirect URI the browser was expected to return to.
        redirect_uri: String,
        /// Redirects that arrived but were not this sign-in's (wrong `state`).
        ignored: usize,
    },
}

/// Whether a redirect's query parameters belong to the sign-in waiting for it.
pub type AcceptRedirect<'a> = dyn Fn(&[(String, String)]) -> bool + Send + Sync + 'a;

/// What the browser is shown when the sign-in ends.
#[derive(Debug, Clone)]
pub enum Page {
    /// Signed in, with a line naming the user and the profile.
    Success(String),
    /// Failed, with the one-line reason.
    Failure(String),
}

/// A bound listener waiting for one callback.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    path: String,
    redirect_uri: String,
}

/// The one callback: its query parameters and the held browser request.
#[derive(Debug)]
pub struct Callback {
    /// Query parameters (secret values among them: treat as such).
    pub params: Vec<(String, String)>,
    reply: oneshot::Sender<Page>,
    written: oneshot::Receiver<()>,
}

impl Callback {
    /// Answers the browser and waits (briefly) until the page is sent.
    pub async fn reply(self, page: Page) {
        let _ = self.reply.send(page);
        let _ = tokio::time::timeout(Duration::from_secs(3), self.written).await;
    }
}

const MAX_HEAD: usize = 16 * 1024;

impl LoopbackListener {
    /// Binds `127.0.0.1:port` (0 for any free port).
    pub async fn bind(port: u16, path: &str) -> Result<Self, ListenError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| ListenError::Bind {
                port,
                reason: e.to_string(),
            })?;
        let bound = listener.local_addr().map_err(|e| ListenError::Bind {
            port,
            reason: e.to_string(),
        })?;
        Ok(Self {
            redirect_uri: format!("http://127.0.0.1:{}{path}", bound.port()),
            path: path.to_string(),
            listener,
        })
    }

    /// `http://127.0.0.1:{port}{path}`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits up to `wait` for a callback that `accept` takes (the sign-in's
    /// `state` check), then stops listening. Any other request is answered
    /// and ignored.
    pub async fn next_callback(
        self,
        wait: Duration,
        accept: &AcceptRedirect<'_>,
    ) -> Result<Callback, ListenError> {
        let (tx, mut rx) = mpsc::channel::<(String, TcpStream)>(16);
        let mut ignored = 0;
        let deadline = tokio::time::sleep(wait);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        let tx = tx.clone();
                        // Each connection reads its request head on its own task, so an
                        // idle pre-connect from the browser cannot block the real callback.
                        tokio::spawn(async move {
                            if let Some((target, stream)) = read_request_target(stream).await {
                                let _ = tx.send((target, stream)).await;
                            }
                        });
                    }
                }
                Some((target, stream)) = rx.recv() => {
                    let params = match classify_target(&target, &self.path) {
                        Target::OtherPath => {
                            tokio::spawn(write_response(stream, 404, "Not found", "This address only receives Tessera's sign-in redirect."));
                            continue;
                        }
                        Target::NotARedirect => {
                            tokio::spawn(write_response(stream, 400, "Waiting for sign-in", "This address receives Tessera's sign-in redirect; this request was not one."));
                            continue;
                        }
                        Target::Redirect(params) => params,
                    };
                    if !accept(&params) {
                        ignored += 1;
                        tokio::spawn(write_response(stream, 400, "Not this sign-in", "This redirect does not belong to the sign-in in progress, so Tessera ignored it and is still waiting. Finish signing in in the tab Tessera opened."));
                        continue;
                    }
                    let (reply, reply_rx) = oneshot::channel::<Page>();
                    let (written_tx, written) = oneshot::channel::<()>();
                    tokio::spawn(async move {
                        let page = match tokio::time::timeout(Duration::from_secs(600), reply_rx).await {
                            Ok(Ok(page)) => page,
                            _ => Page::Failure("Tessera stopped before finishing the sign-in.".into()),
                        };
                        match page {
                            Page::Success(m) => write_response(stream, 200, "Signed in", &m).await,
                            Page::Failure(m) => write_response(stream, 400, "Sign-in failed", &m).await,
                        }
                        let _ = written_tx.send(());
                    });
                    return Ok(Callback { params, reply, written });
                }
                _ = &mut deadline => {
                    return Err(ListenError::TimedOut { redirect_uri: self.redirect_uri.clone(), ignored });
                }
            }
        }
    }
}

/// Reads until the end of the request head; returns the request target of a GET.
async fn read_request_target(mut stream: TcpStream) -> Option<(String, TcpStream)> {
    let mut buf = Vec::with_capacity(1024);
    let read = async {
        let mut chunk = [0u8; 2048];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() > MAX_HEAD {
                return Some(());
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let (method, target) = request_line(&buf)?;
    let target = target.to_string();
    if method != "GET" {
        write_response(
            stream,
            405,
            "Method not allowed",
            "Only the browser's GET redirect is accepted here.",
        )
        .await;
        return None;
    }
    Some((target, stream))
}

/// The method and the request target of a request head's first line
/// (`GET /callback?code=… HTTP/1.1`); `None` when the head has no complete
/// line or it is not UTF-8. Pure, so it can be tested (and fuzzed) without a
/// socket.
pub fn request_line(head: &[u8]) -> Option<(&str, &str)> {
    let line_end = head.iter().position(|&b| b == b'\r')?;
    let line = std::str::from_utf8(&head[..line_end]).ok()?;
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    Some((method, target))
}

/// What a GET's request target is to a listener waiting on `path`.
pub enum Target {
    /// Another path (a favicon, a probe): answered 404.
    OtherPath,
    /// The redirect path without an authorization response parameter: answered 400.
    NotARedirect,
    /// An authorization response: its query parameters (secret values among them).
    Redirect(Vec<(String, String)>),
}

/// Splits a request target into path and query and reads the query as the
/// redirect's parameters when the path is the listener's. Pure, like
/// [`request_line`].
pub fn classify_target(target: &str, path: &str) -> Target {
    let (target_path, query) = target.split_once('?').unwrap_or((target, ""));
    if target_path != path {
        return Target::OtherPath;
    }
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    // A JARM redirect carries one `response` JWT instead.
    let is_response = params
        .iter()
        .any(|(k, _)| matches!(k.as_str(), "code" | "error" | "state" | "response"));
    if is_response {
        Target::Redirect(params)
    } else {
        Target::NotARedirect
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The self-contained page the browser shows.
pub fn render_page(status: u16, title: &str, message: &str) -> String {
    let (mark, accent) = if status == 200 {
        ("✓", "#1f8f5f")
    } else {
        ("!", "#c0392b")
    };
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Tessera · {title}</title>
<style>:root{{color-scheme:light dark}}body{{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:Canvas;color:CanvasText}}
main{{max-width:28rem;padding:2rem;text-align:center}}.mark{{display:inline-grid;place-items:center;width:3rem;height:3rem;border-radius:.75rem;background:{accent};color:#fff;font-size:1.5rem;font-weight:700}}
h1{{font-size:1.25rem;margin:1rem 0 .5rem}}p{{margin:.25rem 0;opacity:.85}}</style></head>
<body><main><div class="mark" aria-hidden="true">{mark}</div><h1>{title}</h1><p>{}</p><p>You can close this tab and return to Tessera.</p></main></body></html>"#,
        html_escape(message),
        title = html_escape(title),
    )
}

async fn write_response(mut stream: TcpStream, status: u16, title: &str, message: &str) {
    let body = render_page(status, title, message);
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

impl crate::error::EngineError for ListenError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            ListenError::Bind { .. } => crate::error::ErrorKind::Io,
            ListenError::TimedOut { ignored: 0, .. } => crate::error::ErrorKind::TimedOut,
            ListenError::TimedOut { .. } => crate::error::ErrorKind::StateMismatch,
        }
    }

    fn facts(&self) -> crate::error::ErrorFacts {
        match self {
            ListenError::TimedOut { redirect_uri, .. } => crate::error::ErrorFacts {
                redirect_uri: Some(redirect_uri.clone()),
                ..crate::error::ErrorFacts::default()
            },
            ListenError::Bind { .. } => crate::error::ErrorFacts::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn takes_one_callback_ignores_strays_and_never_echoes_the_code() {
        let listener = LoopbackListener::bind(0, "/callback").await.unwrap();
        let uri = listener.redirect_uri().to_string();
        assert!(
            uri.starts_with("http://127.0.0.1:") && uri.ends_with("/callback"),
            "{uri}"
        );
        let port: u16 = uri
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches("/callback")
            .parse()
            .unwrap();
        let waiter = tokio::spawn(listener.next_callback(Duration::from_secs(10), &|params| {
            params.contains(&("state".into(), "s".into()))
        }));
        let favicon = get(port, "/favicon.ico").await;
        assert!(
            favicon.starts_with("HTTP/1.1 404"),
            "strays get a 404: {favicon}"
        );
        let forged = get(port, "/callback?code=FORGED-CODE&state=other").await;
        assert!(
            forged.starts_with("HTTP/1.1 400") && forged.contains("still waiting"),
            "a redirect with another state is answered and ignored, not taken: {forged}"
        );
        let browser =
            tokio::spawn(async move { get(port, "/callback?code=SECRET-CODE&state=s").await });
        let callback = waiter.await.unwrap().expect("the callback arrives");
        assert!(callback
            .params
            .contains(&("code".into(), "SECRET-CODE".into())));
        callback
            .reply(Page::Success("Signed in as demo <script>".into()))
            .await;
        let page = browser.await.unwrap();
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(
            !page.contains("SECRET-CODE"),
            "the page must not echo the code"
        );
        assert!(page.contains("&lt;script&gt;"), "messages are escaped");
        assert!(
            page.contains("Referrer-Policy: no-referrer")
                && page.contains("Cache-Control: no-store")
        );
        assert!(
            TcpStream::connect(("127.0.0.1", port)).await.is_err(),
            "the port is closed after the callback"
        );
    }

    #[tokio::test]
    async fn gives_up_after_the_timeout() {
        let listener = LoopbackListener::bind(0, "/callback").await.unwrap();
        let err = listener
            .next_callback(Duration::from_millis(50), &|_| true)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("timed out waiting for the browser"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn binding_a_busy_port_says_what_to_do() {
        let first = LoopbackListener::bind(0, "/callback").await.unwrap();
        let port: u16 = first
            .redirect_uri()
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches("/callback")
            .parse()
            .unwrap();
        let err = LoopbackListener::bind(port, "/callback").await.unwrap_err();
        assert!(
            err.to_string().contains("choose another redirect port"),
            "{err}"
        );
    }

    #[test]
    fn a_request_head_is_read_without_a_socket() {
        assert_eq!(
            request_line(b"GET /callback?code=c&state=s HTTP/1.1\r\nHost: x\r\n\r\n"),
            Some(("GET", "/callback?code=c&state=s"))
        );
        assert_eq!(
            request_line(b"GET /callback HTTP/1.1"),
            None,
            "no line end yet"
        );
        assert_eq!(request_line(b"GET\r\n"), None, "no target");
        assert_eq!(request_line(b"GET /\xff HTTP/1.1\r\n"), None, "not UTF-8");

        let params = |t: &str| match classify_target(t, "/callback") {
            Target::Redirect(p) => Some(p),
            _ => None,
        };
        assert_eq!(
            params("/callback?code=a%20b&state=s"),
            Some(vec![
                ("code".into(), "a b".into()),
                ("state".into(), "s".into())
            ])
        );
        assert!(matches!(
            classify_target("/favicon.ico", "/callback"),
            Target::OtherPath
        ));
        assert!(matches!(
            classify_target("/callback?x=1", "/callback"),
            Target::NotARedirect
        ));
        assert!(
            params("/callback?response=eyJ.e30.").is_some(),
            "a JARM redirect"
        );
    }
}
