//! A small OpenID provider that misbehaves on purpose, for the cases the real
//! provider never produces: forged ID tokens (wrong nonce, issuer, audience,
//! azp, alg none, HS256, bad signature, rotated keys), a wrong RFC 9207 `iss`,
//! and a token endpoint that fails, returns garbage or hangs.
//!
//! It is strict where a real provider is: it checks the PKCE S256 verifier
//! against the challenge, so a client that skipped PKCE would fail here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn testdata(name: &str) -> Vec<u8> {
    let path = format!("{}/../engine/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn jwk(name: &str) -> Value {
    serde_json::from_slice(&testdata(&format!("{name}.jwk.json"))).unwrap()
}

/// How the ID token is signed.
#[derive(Clone, Debug)]
pub enum Signing {
    /// Sign with a test key: "rsa", "rsa-other", "ec", "ed"; alg e.g. RS256/PS256/ES256/EdDSA.
    Key {
        key: &'static str,
        alg: Algorithm,
        kid: Option<&'static str>,
    },
    /// HS256 with this shared secret.
    Hmac(&'static str),
    /// alg none.
    Unsigned,
}

#[derive(Clone, Debug)]
pub enum TokenMode {
    Ok,
    Status(u16, &'static str),
    Garbage,
    Hang,
    /// A JSON body cut off in the middle.
    Truncated,
    /// Headers at once, then the body a byte a second: slower than any
    /// time limit, but never silent.
    SlowDrip,
    /// A refresh answered as usual, after locking the login collection of
    /// the Secret Service whose bus address is in this file: the keyring
    /// locks while the refresh is under way.
    LockKeyringOnRefresh(std::path::PathBuf),
}

#[derive(Clone, Debug)]
pub struct Behaviour {
    pub discovery_issuer: Option<String>,
    pub advertise_iss: bool,
    pub iss_param: Option<String>,
    pub omit_iss_param: bool,
    pub callback_error: Option<(&'static str, &'static str)>,
    pub token: TokenMode,
    pub signing: Signing,
    /// Claims merged over the correct ones (null removes a claim).
    pub claims: Value,
    pub wrong_nonce: bool,
    pub at_hash: Option<&'static str>,
    pub userinfo_sub: Option<&'static str>,
    /// The JWKS served; after `rotate_after` fetches it switches to `jwks_rotated`.
    pub jwks: Vec<Value>,
    pub jwks_rotated: Option<Vec<Value>>,
    pub rotate_after: usize,
    pub refresh_token: Option<&'static str>,
    /// `id_token_signing_alg_values_supported` in discovery.
    pub signing_algs: Vec<&'static str>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            discovery_issuer: None,
            advertise_iss: true,
            iss_param: None,
            omit_iss_param: false,
            callback_error: None,
            token: TokenMode::Ok,
            signing: Signing::Key {
                key: "rsa",
                alg: Algorithm::RS256,
                kid: Some("test-rsa-1"),
            },
            claims: json!({}),
            wrong_nonce: false,
            at_hash: None,
            userinfo_sub: None,
            jwks: vec![jwk("rsa"), jwk("ec"), jwk("ed")],
            jwks_rotated: None,
            rotate_after: usize::MAX,
            refresh_token: Some("forge-refresh-token"),
            signing_algs: vec!["RS256", "PS256", "ES256", "EdDSA", "HS256"],
        }
    }
}

#[derive(Default)]
struct State {
    pending: HashMap<String, Pending>,
    hits: HashMap<String, usize>,
}

struct Pending {
    nonce: String,
    challenge: String,
}

pub struct Forge {
    pub issuer: String,
    behaviour: Arc<Mutex<Behaviour>>,
    state: Arc<Mutex<State>>,
}

impl Forge {
    pub fn start(behaviour: Behaviour) -> Forge {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind forge provider");
        let port = server.server_addr().to_ip().expect("ip").port();
        let issuer = format!("http://127.0.0.1:{port}");
        let behaviour = Arc::new(Mutex::new(behaviour));
        let state = Arc::new(Mutex::new(State::default()));
        let (b, s, iss) = (behaviour.clone(), state.clone(), issuer.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (b, s, iss) = (b.clone(), s.clone(), iss.clone());
                std::thread::spawn(move || handle(request, &iss, &b, &s));
            }
        });
        Forge {
            issuer,
            behaviour,
            state,
        }
    }

    pub fn set(&self, f: impl FnOnce(&mut Behaviour)) {
        f(&mut self.behaviour.lock().unwrap());
    }

    pub fn hits(&self, path: &str) -> usize {
        *self.state.lock().unwrap().hits.get(path).unwrap_or(&0)
    }

    pub fn reset_hits(&self) {
        self.state.lock().unwrap().hits.clear();
    }
}

fn respond(request: tiny_http::Request, status: u16, content_type: &str, body: String) {
    let header = tiny_http::Header::from_bytes("Content-Type", content_type).unwrap();
    let _ = request.respond(
        tiny_http::Response::from_string(body)
            .with_status_code(status)
            .with_header(header),
    );
}

fn redirect(request: tiny_http::Request, location: &str) {
    let header = tiny_http::Header::from_bytes("Location", location).unwrap();
    let _ = request.respond(tiny_http::Response::empty(302).with_header(header));
}

fn handle(
    mut request: tiny_http::Request,
    issuer: &str,
    behaviour: &Mutex<Behaviour>,
    state: &Mutex<State>,
) {
    let url = url::Url::parse(&format!("http://x{}", request.url())).unwrap();
    let path = url.path().to_string();
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let fetches = {
        let mut st = state.lock().unwrap();
        let n = st.hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    let b = behaviour.lock().unwrap().clone();
    match path.as_str() {
        "/.well-known/openid-configuration" => {
            let doc = json!({
                "issuer": b.discovery_issuer.clone().unwrap_or(issuer.to_string()),
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "userinfo_endpoint": format!("{issuer}/userinfo"),
                "jwks_uri": format!("{issuer}/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": b.signing_algs,
                "code_challenge_methods_supported": ["S256"],
                "authorization_response_iss_parameter_supported": b.advertise_iss,
            });
            respond(request, 200, "application/json", doc.to_string());
        }
        "/jwks" => {
            let keys = match &b.jwks_rotated {
                Some(rotated) if fetches > b.rotate_after => rotated.clone(),
                _ => b.jwks.clone(),
            };
            respond(
                request,
                200,
                "application/json",
                json!({ "keys": keys }).to_string(),
            );
        }
        "/authorize" => {
            assert_eq!(
                query.get("code_challenge_method").map(String::as_str),
                Some("S256"),
                "Tessera must use PKCE S256"
            );
            let code = format!("code-{}", fetches);
            state.lock().unwrap().pending.insert(
                code.clone(),
                Pending {
                    nonce: query["nonce"].clone(),
                    challenge: query["code_challenge"].clone(),
                },
            );
            let mut target = url::Url::parse(&query["redirect_uri"]).unwrap();
            {
                let mut q = target.query_pairs_mut();
                match b.callback_error {
                    Some((error, description)) => {
                        q.append_pair("error", error)
                            .append_pair("error_description", description);
                    }
                    None => {
                        q.append_pair("code", &code);
                    }
                }
                q.append_pair("state", &query["state"]);
                if !b.omit_iss_param {
                    q.append_pair("iss", b.iss_param.as_deref().unwrap_or(issuer));
                }
            }
            redirect(request, target.as_str());
        }
        "/token" => {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            match b.token {
                TokenMode::Status(status, text) => {
                    return respond(request, status, "application/json", text.to_string())
                }
                TokenMode::Garbage => {
                    return respond(
                        request,
                        200,
                        "application/json",
                        "<html>definitely not json".into(),
                    )
                }
                TokenMode::Hang => {
                    std::thread::sleep(Duration::from_secs(60));
                    return respond(request, 500, "text/plain", String::new());
                }
                TokenMode::SlowDrip => {
                    use std::io::Write as _;
                    let mut raw = request.into_writer();
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n";
                    if raw
                        .write_all(head.as_bytes())
                        .and_then(|()| raw.flush())
                        .is_err()
                    {
                        return;
                    }
                    for _ in 0..200 {
                        std::thread::sleep(Duration::from_secs(1));
                        if raw.write_all(b" ").and_then(|()| raw.flush()).is_err() {
                            return; // the client gave up
                        }
                    }
                    return;
                }
                TokenMode::Truncated => {
                    return respond(
                        request,
                        200,
                        "application/json",
                        r#"{"access_token":"forge-cut","token_type":"Bearer","expi"#.into(),
                    )
                }

                TokenMode::LockKeyringOnRefresh(bus_file) => {
                    if form.get("grant_type").map(String::as_str) == Some("refresh_token") {
                        let bus = std::fs::read_to_string(&bus_file).unwrap_or_default();
                        let _ = std::process::Command::new("dbus-send")
                            .arg(format!("--bus={}", bus.trim()))
                            .args([
                                "--print-reply",
                                "--dest=org.freedesktop.secrets",
                                "/org/freedesktop/secrets",
                                "org.freedesktop.Secret.Service.Lock",
                                "array:objpath:/org/freedesktop/secrets/collection/login",
                            ])
                            .stdout(std::process::Stdio::null())
                            .status();
                    }
                }
                TokenMode::Ok => {}
            }
            let nonce = if form.get("grant_type").map(String::as_str) == Some("authorization_code")
            {
                let pending = state
                    .lock()
                    .unwrap()
                    .pending
                    .remove(&form["code"])
                    .expect("a code this provider issued");
                let verifier = form.get("code_verifier").expect("PKCE verifier sent");
                let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                if challenge != pending.challenge {
                    return respond(request, 400, "application/json", r#"{"error":"invalid_grant","error_description":"PKCE verification failed"}"#.into());
                }
                Some(pending.nonce)
            } else {
                None
            };
            let access_token = format!("forge-access-{}", fetches);
            let mut claims = json!({
                "iss": issuer, "sub": "forge-user", "aud": "tessera-test",
                "iat": now(), "exp": now() + 300, "email": "forged@example.com",
            });
            if let Some(n) = nonce {
                claims["nonce"] = json!(if b.wrong_nonce {
                    "not-the-nonce".to_string()
                } else {
                    n
                });
            }
            if let Some(h) = b.at_hash {
                claims["at_hash"] = json!(h);
            }
            for (k, v) in b.claims.as_object().unwrap() {
                if v.is_null() {
                    claims.as_object_mut().unwrap().remove(k);
                } else {
                    claims[k] = v.clone();
                }
            }
            let mut tokens = json!({
                "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                "id_token": sign(&b.signing, &claims),
            });
            if let Some(rt) = b.refresh_token {
                tokens["refresh_token"] = json!(rt);
            }
            respond(request, 200, "application/json", tokens.to_string());
        }
        "/userinfo" => {
            let sub = b.userinfo_sub.unwrap_or("forge-user");
            respond(
                request,
                200,
                "application/json",
                json!({"sub": sub, "email": "forged@example.com"}).to_string(),
            );
        }
        _ => respond(request, 404, "text/plain", "not found".into()),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn sign(signing: &Signing, claims: &Value) -> String {
    match signing {
        Signing::Unsigned => {
            let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let p = URL_SAFE_NO_PAD.encode(claims.to_string());
            format!("{h}.{p}.")
        }
        Signing::Hmac(secret) => jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap(),
        Signing::Key { key, alg, kid } => {
            let pem = testdata(&format!("{key}.pem"));
            let encoding = match *key {
                k if k.starts_with("rsa") => EncodingKey::from_rsa_pem(&pem).unwrap(),
                "ec" => EncodingKey::from_ec_pem(&pem).unwrap(),
                "ed" => EncodingKey::from_ed_pem(&pem).unwrap(),
                other => panic!("unknown test key {other}"),
            };
            let mut header = Header::new(*alg);
            header.kid = kid.map(str::to_owned);
            jsonwebtoken::encode(&header, claims, &encoding).unwrap()
        }
    }
}
