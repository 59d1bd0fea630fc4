//! The reqwest transport and proxies, against a real recording proxy on
//! 127.0.0.1: loopback never goes through it, remote hosts do.

use std::sync::{Arc, Mutex};

use tessera_engine::http::{Endpoint, HttpClient, HttpRequest, ProxyEnv, ReqwestClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy that records the request line of everything it is asked to
/// carry, and carries nothing (502).
async fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            record
                .lock()
                .unwrap()
                .push(head.lines().next().unwrap_or_default().to_string());
            let _ = stream
                .write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                )
                .await;
        }
    });
    (url, asked)
}

/// A server that answers every request with `{"ok": true}`.
async fn loopback_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let body = br#"{"ok": true}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body).await;
        }
    });
    url
}

#[tokio::test]
async fn loopback_requests_never_reach_a_proxy_and_remote_ones_go_through_it() {
    let (proxy, asked) = recording_proxy().await;
    let client = ReqwestClient::with_proxies(
        None,
        ProxyEnv {
            https: Some(proxy.clone()),
            http: Some(proxy.clone()),
            all: Some(proxy.clone()),
            no_proxy: None,
        },
    )
    .expect("a client");
    let server = loopback_server().await;
    let url = url::Url::parse(&format!("{server}/token")).expect("URL");
    let response = client
        .send(HttpRequest::get(Endpoint::Token, url))
        .await
        .expect("the loopback server answers directly");
    assert_eq!(
        response.status, 200,
        "the local server answered, not the proxy"
    );
    assert!(
        asked.lock().unwrap().is_empty(),
        "the proxy carried loopback traffic: {:?}",
        asked.lock().unwrap()
    );

    let remote =
        url::Url::parse("https://idp.example.test/.well-known/openid-configuration").expect("URL");
    let result = client
        .send(HttpRequest::get(Endpoint::Discovery, remote))
        .await;
    assert!(result.is_err(), "the proxy refuses to carry it");
    let plain = url::Url::parse("http://idp.example.test/jwks").expect("URL");
    let _ = client.send(HttpRequest::get(Endpoint::Jwks, plain)).await;
    let asked = asked.lock().unwrap().clone();
    assert!(
        asked
            .iter()
            .any(|l| l.starts_with("CONNECT idp.example.test:443")),
        "a remote https provider is reached through HTTPS_PROXY: {asked:?}"
    );
    assert!(
        asked
            .iter()
            .any(|l| l.starts_with("GET http://idp.example.test/jwks")),
        "and a remote http one through HTTP_PROXY: {asked:?}"
    );
}
