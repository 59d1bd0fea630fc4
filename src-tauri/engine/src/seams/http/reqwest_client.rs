//! The production transport: reqwest over rustls, redirects disabled, bodies
//! capped. It is the only file that knows reqwest.

use std::path::Path;
use std::time::Duration;

use super::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse, Method, ProxyEnv};

/// The production transport: reqwest over rustls with redirects disabled
/// (a redirect could send a code or token to another origin).
#[derive(Debug, Clone)]
pub struct ReqwestClient {
    inner: reqwest::Client,
}

/// The largest response body Tessera reads from a provider.
const MAX_BODY: usize = 8 * 1024 * 1024;

impl ReqwestClient {
    /// Builds a client, trusting `extra_ca` (a PEM file with one or more
    /// certificates) in addition to the system and Mozilla roots, with the
    /// proxy variables of this process. An engine keeps the clients it
    /// builds ([`super::Clients`]); this is for a client of one's own.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, HttpError> {
        Self::with_proxies(extra_ca, ProxyEnv::from_env())
    }

    /// [`ReqwestClient::new`] with the proxy variables given, not read.
    pub fn with_proxies(extra_ca: Option<&Path>, proxies: ProxyEnv) -> Result<Self, HttpError> {
        let pem = extra_ca.map(read_ca_file).transpose()?;
        Self::build(extra_ca.zip(pem.as_deref()), proxies, None)
    }

    /// The client: `extra_ca` is the CA file's path (for messages) and its
    /// bytes; `identity_pem`, when given, is presented to servers that ask
    /// for a client certificate (RFC 8705 mutual TLS): the PKCS#8 private
    /// key and the certificate chain, PEM.
    pub(super) fn build(
        extra_ca: Option<(&Path, &[u8])>,
        proxies: ProxyEnv,
        identity_pem: Option<&crate::secret::SecretString>,
    ) -> Result<Self, HttpError> {
        // Tessera decides per URL (loopback never goes through a proxy);
        // reqwest's own reading of the variables is off.
        let proxy = reqwest::Proxy::custom(move |url| proxies.proxy_for(url));
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .proxy(proxy)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            // Servers commonly close idle keep-alive connections after 5 s
            // (Node's default); a request sent on one as it closes is reset.
            // Device-flow polls every 5 s or more would meet that each time.
            .pool_idle_timeout(Duration::from_secs(4))
            .user_agent(concat!("tessera/", env!("CARGO_PKG_VERSION")));
        if let Some((path, pem)) = extra_ca {
            let no_certificate = || {
                HttpError::Setup(format!(
                    "CA file {} holds no PEM certificate",
                    path.display()
                ))
            };
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| no_certificate())?;
            if certs.is_empty() {
                return Err(no_certificate());
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some(identity_pem) = identity_pem {
            let identity =
                reqwest::Identity::from_pem(identity_pem.expose().as_bytes()).map_err(|_| {
                    HttpError::Setup("the client certificate or its key is unusable".into())
                })?;
            builder = builder.identity(identity);
        }
        let inner = builder
            .build()
            .map_err(|e| HttpError::Setup(e.without_url().to_string()))?;
        Ok(Self { inner })
    }
}

impl HttpClient for ReqwestClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let endpoint = request.endpoint;
            let origin = request.url.origin().ascii_serialization();
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Patch => reqwest::Method::PATCH,
                Method::Delete => reqwest::Method::DELETE,
                Method::Head => reqwest::Method::HEAD,
                Method::Options => reqwest::Method::OPTIONS,
            };
            let mut builder = self.inner.request(method, request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let connect_error = |e: reqwest::Error| HttpError::Connect {
                endpoint,
                origin: origin.clone(),
                reason: describe_reqwest_error(e),
            };
            let mut response = builder.send().await.map_err(connect_error)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(connect_error)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(HttpError::TooLarge {
                        endpoint,
                        limit_mib: MAX_BODY >> 20,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// The extra CA file's bytes, or a set-up error naming the file.
pub(super) fn read_ca_file(path: &Path) -> Result<Vec<u8>, HttpError> {
    std::fs::read(path)
        .map_err(|e| HttpError::Setup(format!("cannot read CA file {}: {e}", path.display())))
}

/// reqwest's message plus its innermost cause, without the URL (the URL of a
/// request can carry a query the user should not see in an error).
fn describe_reqwest_error(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    let mut innermost = None;
    while let Some(s) = source {
        innermost = Some(s.to_string());
        source = s.source();
    }
    if let Some(inner) = innermost {
        if !reason.contains(&inner) {
            reason = format!("{reason}: {inner}");
        }
    }
    reason
}
