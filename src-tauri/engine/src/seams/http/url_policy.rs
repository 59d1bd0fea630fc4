//! Which URLs Tessera calls: https, or plain http on a loopback host, where
//! the traffic never leaves the machine. A profile may allow plain http
//! elsewhere for a trusted development provider; nothing else relaxes it.

use url::Url;

use super::{Endpoint, HttpError};

/// Whether an address is on the public internet: not loopback, private,
/// link-local, shared (CGNAT), unspecified, broadcast, documentation or
/// multicast. A URL taken from a token (a `picture` claim) may point at the
/// user's own machine or network; only public addresses are fetched then.
pub fn is_public_address(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b))
                || a == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Whether every address `url`'s host has is public ([`is_public_address`]);
/// false when it cannot be resolved.
pub async fn resolves_to_public_addresses(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_matches(['[', ']']);
    let port = url.port_or_known_default().unwrap_or(443);
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return is_public_address(ip);
    }
    match tokio::net::lookup_host((host, port)).await {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| is_public_address(a.ip()))
        }
        Err(_) => false,
    }
}

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
    fn only_public_addresses_count_as_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(
                !is_public_address(private.parse().expect("an IP")),
                "{private} is not public"
            );
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1"] {
            assert!(
                is_public_address(public.parse().expect("an IP")),
                "{public} is public"
            );
        }
    }

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
