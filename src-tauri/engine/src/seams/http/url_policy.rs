//! Which URLs Tessera calls: https, or plain http on a loopback host, where
//! the traffic never leaves the machine. A profile may allow plain http
//! elsewhere for a trusted development provider; nothing else relaxes it.

use url::Url;

use super::{Endpoint, HttpError};

/// A URL without its query and fragment, safe for logs and errors.
pub fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    if u.query().is_some() {
        u.set_query(Some("…"));
    }
    u.set_fragment(None);
    let _ = u.set_password(None);
    u.to_string()
}

/// Whether the host is a loopback address or `localhost`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Refuses plain http off loopback unless the profile allows it.
pub fn check_endpoint_url(
    endpoint: Endpoint,
    url: &Url,
    allow_insecure_http: bool,
) -> Result<(), HttpError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_insecure_http || is_loopback_host(url) => Ok(()),
        _ => Err(HttpError::InsecureUrl {
            endpoint,
            url: redact_url(url),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_off_loopback_unless_allowed() {
        let local = Url::parse("http://127.0.0.1:9090/").unwrap();
        let localhost = Url::parse("http://localhost:9090/").unwrap();
        let remote = Url::parse("http://idp.example.com/").unwrap();
        assert!(check_endpoint_url(Endpoint::Discovery, &local, false).is_ok());
        assert!(check_endpoint_url(Endpoint::Discovery, &localhost, false).is_ok());
        assert!(check_endpoint_url(Endpoint::Discovery, &remote, false).is_err());
        assert!(check_endpoint_url(Endpoint::Discovery, &remote, true).is_ok());
    }

    #[test]
    fn redact_url_drops_query_values() {
        let u = Url::parse("http://127.0.0.1:1/callback?code=abc&state=xyz").unwrap();
        let r = redact_url(&u);
        assert!(!r.contains("abc") && !r.contains("xyz"), "{r}");
    }
}
