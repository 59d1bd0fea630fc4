//! A small W3C WebDriver client over plain HTTP/1.1, enough to drive the app
//! through tauri-driver and WebKitWebDriver: sessions, elements, clicks,
//! keys, text, attributes and screenshots. Waits poll with a deadline and
//! panic with what they were waiting for.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to tauri-driver");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send to tauri-driver");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("read from tauri-driver");
    let text = String::from_utf8_lossy(&raw);
    let (head, payload) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    serde_json::from_str(&payload)
        .unwrap_or_else(|_| json!({ "value": { "error": "bad response", "message": payload } }))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A WebDriver session: one run of the app.
pub struct Session {
    port: u16,
    id: String,
}

/// An element handle.
#[derive(Clone)]
pub struct Element(String);

impl Session {
    /// Starts the app at `application` through tauri-driver on `port`.
    pub fn start(port: u16, application: &Path) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": application}}}});
        let until = Instant::now() + Duration::from_secs(60);
        loop {
            let v = request(port, "POST", "/session", Some(&caps));
            if let Some(id) = v["value"]["sessionId"].as_str() {
                return Session {
                    port,
                    id: id.to_string(),
                };
            }
            assert!(
                Instant::now() < until,
                "tauri-driver could not start the app: {v}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = request(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        );
        v["value"].clone()
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = self.call(method, path, body);
        if let Some(error) = v.get("error") {
            panic!(
                "WebDriver {method} {path} failed: {error}: {}",
                v["message"]
            );
        }
        v
    }

    /// The first element matching `css`, if any.
    pub fn find(&self, css: &str) -> Option<Element> {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().map(|id| Element(id.to_string()))
    }

    /// Every element matching `css`.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT].as_str())
                    .map(|id| Element(id.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits for `[data-testid=…]`.
    pub fn wait(&self, testid: &str, timeout: Duration) -> Element {
        self.wait_css(&format!("[data-testid=\"{testid}\"]"), timeout)
    }

    pub fn wait_css(&self, css: &str, timeout: Duration) -> Element {
        let until = Instant::now() + timeout;
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            assert!(
                Instant::now() < until,
                "{css} did not appear within {timeout:?}; the page says: {}",
                self.body_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits for `[data-testid=…]` and clicks it.
    pub fn click(&self, testid: &str) {
        let e = self.wait(testid, Duration::from_secs(20));
        self.click_element(&e);
    }

    pub fn click_element(&self, e: &Element) {
        self.ok("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    /// Replaces the text of an input with keystrokes, as a user types.
    pub fn type_into(&self, testid: &str, text: &str) {
        let e = self.wait(testid, Duration::from_secs(10));
        self.ok("POST", &format!("/element/{}/clear", e.0), Some(json!({})));
        self.ok(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({"text": text})),
        );
    }

    pub fn text(&self, e: &Element) -> String {
        self.ok("GET", &format!("/element/{}/text", e.0), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    /// The page's visible text, for failure messages.
    pub fn body_text(&self) -> String {
        self.find("body").map(|b| self.text(&b)).unwrap_or_default()
    }

    /// Saves a PNG of the window.
    pub fn screenshot(&self, path: &Path) {
        use base64::Engine as _;
        let v = self.ok("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("artifact directory");
        }
        std::fs::write(path, png).expect("write the screenshot");
        eprintln!("screenshot: {}", path.display());
    }

    /// Ends the session, which closes the app.
    pub fn end(self) {
        let _ = request(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}
