//! A small W3C WebDriver client over plain HTTP/1.1, enough to drive the app
//! through tauri-driver and WebKitWebDriver, and Chromium through
//! chromedriver: sessions, navigation, elements, clicks, keys, text,
//! attributes and screenshots. Waits poll with a deadline and panic with
//! what they were waiting for.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    use std::io::{BufRead, BufReader};
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).expect("connect to the WebDriver server");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    // A plain keep-alive request read by its Content-Length: tauri-driver
    // passes headers on to WebKitWebDriver, and "Connection: close" there
    // makes the proxied answer go missing now and then.
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send to the WebDriver server");
    let mut reader = BufReader::new(stream);
    let mut length = None;
    let mut chunked = false;
    let mut status = String::new();
    reader.read_line(&mut status).expect("read the status line");
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let mut payload = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("read a chunk size");
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).expect("read a chunk");
            if n == 0 {
                break;
            }
            payload.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        payload.resize(n, 0);
        reader.read_exact(&mut payload).expect("read the body");
    } else {
        reader.read_to_end(&mut payload).expect("read the body");
    }
    let text = String::from_utf8_lossy(&payload);
    serde_json::from_str(&text).unwrap_or_else(|_| {
        json!({ "value": { "error": "bad response", "message": format!("{method} {path}: {} {text:?}", status.trim()) } })
    })
}

/// A WebDriver session: one run of the app, or one browser.
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
        Self::start_with(
            port,
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": application}}}}),
        )
    }

    /// Starts a session with these capabilities (a browser's, say).
    pub fn start_with(port: u16, caps: Value) -> Session {
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

    /// Waits for the first element matching `css`.
    pub fn wait_css(&self, css: &str, timeout: Duration) -> Element {
        self.wait_until(&format!("{css} to appear"), timeout, || self.find(css))
    }

    /// Polls `check` until it returns something; panics naming `what`, with
    /// the page's text, when `timeout` passes first.
    pub fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut() -> Option<T>,
    ) -> T {
        let until = Instant::now() + timeout;
        loop {
            if let Some(found) = check() {
                return found;
            }
            assert!(
                Instant::now() < until,
                "waited {timeout:?} for {what}; the page says: {}",
                self.body_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until nothing matches `[data-testid=…]` any more.
    pub fn wait_gone(&self, testid: &str, timeout: Duration) {
        let css = format!("[data-testid=\"{testid}\"]");
        self.wait_until(&format!("{css} to go away"), timeout, || {
            self.find(&css).is_none().then_some(())
        });
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
        self.clear(&e);
        self.send_keys(&e, text);
    }

    /// Empties an input or textarea.
    pub fn clear(&self, e: &Element) {
        self.ok("POST", &format!("/element/{}/clear", e.0), Some(json!({})));
    }

    /// Types `text` into an element, key by key.
    pub fn send_keys(&self, e: &Element, text: &str) {
        self.ok(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({"text": text})),
        );
    }

    /// Chooses the option whose value is `value` in the `<select>` with this
    /// test id, by clicking the option as a user picks it from the list (the
    /// page gets its input and change events).
    pub fn select(&self, testid: &str, value: &str) {
        let option = self.wait_css(
            &format!("[data-testid=\"{testid}\"] option[value=\"{value}\"]"),
            Duration::from_secs(10),
        );
        self.click_element(&option);
        let select = self.wait(testid, Duration::from_secs(10));
        self.wait_until(
            &format!("{testid} to read {value:?}"),
            Duration::from_secs(5),
            || (self.property(&select, "value").as_deref() == Some(value)).then_some(()),
        );
    }

    /// An element's text, or `None` when the element is gone (the page
    /// re-rendered it since it was found).
    pub fn try_text(&self, e: &Element) -> Option<String> {
        let v = self.call("GET", &format!("/element/{}/text", e.0), None);
        v.as_str().map(str::to_string)
    }

    /// The text of `[data-testid=…]`, found again if the page re-renders it
    /// while it is read (a state change redraws parts of the window).
    pub fn text_of(&self, testid: &str, timeout: Duration) -> String {
        let css = format!("[data-testid=\"{testid}\"]");
        self.wait_until(&format!("the text of {css}"), timeout, || {
            self.find(&css).and_then(|e| self.try_text(&e))
        })
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

    /// A DOM property, such as a select's current `value`.
    pub fn property(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/property/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    /// The page's visible text, for failure messages.
    pub fn body_text(&self) -> String {
        self.find("body").map(|b| self.text(&b)).unwrap_or_default()
    }

    /// Scrolls `e` to the top of the window, so a screenshot shows it and
    /// what follows it.
    pub fn scroll_to(&self, e: &Element) {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({
                "script": "arguments[0].scrollIntoView({block: 'start'})",
                "args": [{ ELEMENT: e.0 }],
            })),
        );
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
    /// Runs a script in the page and returns its value.
    pub fn execute(&self, script: &str) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Opens `url` in the session's window.
    pub fn navigate(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    /// The URL the window shows now.
    pub fn current_url(&self) -> String {
        self.ok("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's title.
    pub fn title(&self) -> String {
        self.ok("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn end(self) {
        let _ = request(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}
