//! Which proxy a request goes through, decided by Tessera rather than left
//! to the HTTP library's defaults.
//!
//! Loopback traffic never goes through a proxy: plain http is allowed to
//! 127.0.0.1 only because it stays on the machine, and the token request
//! carries the code, the verifier and the client secret. Everything else
//! honours the usual variables, as corporate networks need: `HTTPS_PROXY`
//! for https, `HTTP_PROXY` for http, `ALL_PROXY` for either, and `NO_PROXY`
//! (comma-separated hosts or domain suffixes, `*` for all), in upper or
//! lower case.

use url::Url;

use super::is_loopback_host;

/// The proxy variables, read once when a client is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    /// `HTTPS_PROXY`.
    pub https: Option<String>,
    /// `HTTP_PROXY`.
    pub http: Option<String>,
    /// `ALL_PROXY`, for a scheme without its own variable.
    pub all: Option<String>,
    /// `NO_PROXY`, as written.
    pub no_proxy: Option<String>,
}

impl ProxyEnv {
    /// The variables of this process (upper case first, then lower case).
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name.to_ascii_uppercase())
                .ok()
                .or_else(|| std::env::var(name).ok())
                .filter(|v| !v.trim().is_empty())
        };
        Self {
            https: var("https_proxy"),
            http: var("http_proxy"),
            all: var("all_proxy"),
            no_proxy: var("no_proxy"),
        }
    }

    /// The proxy for `url`, or `None` to connect directly.
    pub fn proxy_for(&self, url: &Url) -> Option<String> {
        if is_loopback_host(url) || self.excluded(url) {
            return None;
        }
        let own = match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        };
        own.or(self.all.as_ref()).cloned()
    }

    fn excluded(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return true;
        };
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        self.no_proxy
            .iter()
            .flat_map(|list| list.split(','))
            .any(|entry| {
                let entry = entry.trim().to_ascii_lowercase();
                // An entry may name a port (`host:8080`); the host decides here.
                let entry = entry.split(':').next().unwrap_or_default();
                let entry = entry.trim_start_matches("*.").trim_start_matches('.');
                entry == "*"
                    || (!entry.is_empty()
                        && (host == entry || host.ends_with(&format!(".{entry}"))))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> ProxyEnv {
        ProxyEnv {
            https: Some("http://proxy.corp:3128".into()),
            http: Some("http://plain-proxy.corp:3128".into()),
            all: Some("socks5://all.corp:1080".into()),
            no_proxy: Some("internal.example, .svc.local ,10.0.0.1:8443".into()),
        }
    }

    fn proxy(url: &str) -> Option<String> {
        env().proxy_for(&Url::parse(url).expect("a URL"))
    }

    #[test]
    fn loopback_never_goes_through_a_proxy_whatever_the_variables_say() {
        for url in [
            "http://127.0.0.1:9090/token",
            "http://localhost:9090/token",
            "http://[::1]:9090/token",
            "https://127.0.0.1/x",
        ] {
            assert_eq!(proxy(url), None, "{url} stays on the machine");
        }
        let everything = ProxyEnv {
            no_proxy: None,
            ..env()
        };
        assert_eq!(
            everything.proxy_for(&Url::parse("http://127.0.0.1:1/").expect("URL")),
            None,
            "even without NO_PROXY"
        );
    }

    #[test]
    fn remote_hosts_use_their_schemes_proxy_unless_no_proxy_names_them() {
        assert_eq!(
            proxy("https://idp.example.com/").as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(
            proxy("http://idp.example.com/").as_deref(),
            Some("http://plain-proxy.corp:3128")
        );
        assert_eq!(
            proxy("https://internal.example/").as_deref(),
            None,
            "an exact NO_PROXY host"
        );
        assert_eq!(
            proxy("https://idp.internal.example/").as_deref(),
            None,
            "and its subdomains"
        );
        assert_eq!(
            proxy("https://a.svc.local/").as_deref(),
            None,
            "a leading-dot suffix"
        );
        assert_eq!(
            proxy("https://10.0.0.1:8443/").as_deref(),
            None,
            "an entry with a port"
        );
        assert_eq!(
            proxy("https://notinternal.example/").as_deref(),
            Some("http://proxy.corp:3128"),
            "a suffix matches at a dot only"
        );
        let only_all = ProxyEnv {
            all: Some("socks5://all.corp:1080".into()),
            ..ProxyEnv::default()
        };
        assert_eq!(
            only_all
                .proxy_for(&Url::parse("https://idp.example.com/").expect("URL"))
                .as_deref(),
            Some("socks5://all.corp:1080"),
            "ALL_PROXY covers a scheme without its own variable"
        );
        let star = ProxyEnv {
            no_proxy: Some("*".into()),
            ..env()
        };
        assert_eq!(
            star.proxy_for(&Url::parse("https://idp.example.com/").expect("URL")),
            None,
            "* turns proxies off"
        );
    }
}
