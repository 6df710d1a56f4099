//! A provider's `base_url` as the live commands use it: scheme, host, port, and whether the
//! host is a loopback name, a private address or somewhere on the internet.

use std::net::IpAddr;

use crate::model::formats::parse_url;

/// The parts of an `http(s)` URL that say where a server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: String,
    /// The host without the brackets of an IPv6 literal.
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    /// Parses `base_url`; `None` for a URL that does not parse, a placeholder host or port
    /// (template providers) or a port outside 1..65535, which `aiblint check` reports.
    pub fn parse(base_url: &str) -> Option<Endpoint> {
        let url = parse_url(base_url).ok()?;
        if url.is_placeholder() {
            return None;
        }
        let port = u16::try_from(url.effective_port()?)
            .ok()
            .filter(|p| *p > 0)?;
        let host = url
            .host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(url.host);
        Some(Endpoint {
            scheme: url.scheme.to_string(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// `localhost`, a name under `.localhost`, or a loopback or unspecified address.
    pub fn is_loopback(&self) -> bool {
        match self.ip() {
            Some(ip) => ip.is_loopback() || ip.is_unspecified(),
            None => self.host == "localhost" || self.host.ends_with(".localhost"),
        }
    }

    /// Whether the host is on the public internet, as far as its name or address says: a
    /// public IP address, or a dotted DNS name outside the suffixes that home and office
    /// networks use (`.local`, `.lan`, `.internal`, `.home.arpa`, ...). A single-label
    /// name (`gpu-box`) is a machine of the local network.
    pub fn is_public(&self) -> bool {
        if let Some(ip) = self.ip() {
            return !is_private_ip(ip);
        }
        const LOCAL_SUFFIXES: &[&str] = &[
            ".localhost",
            ".local",
            ".lan",
            ".home",
            ".internal",
            ".intranet",
            ".corp",
            ".home.arpa",
            ".localdomain",
            ".test",
        ];
        self.host.contains('.')
            && !LOCAL_SUFFIXES
                .iter()
                .any(|suffix| self.host.ends_with(suffix))
    }
}

/// Loopback, unspecified, RFC 1918, link-local, CGNAT (100.64/10), IPv6 unique-local and
/// link-local addresses: none of them leaves the local network.
fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_private()
                || v4.is_link_local()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private_ip(v4.into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(url: &str) -> Endpoint {
        Endpoint::parse(url).unwrap()
    }

    #[test]
    fn parses_hosts_and_default_ports() {
        assert_eq!(
            ep("http://127.0.0.1:11434"),
            Endpoint {
                scheme: "http".into(),
                host: "127.0.0.1".into(),
                port: 11434
            }
        );
        assert_eq!(ep("https://api.openai.com/v1").port, 443);
        assert_eq!(ep("http://[::1]:8000/v1").host, "::1");
        assert_eq!(ep("http://LocalHost:80").host, "localhost");
        assert_eq!(Endpoint::parse("http://localhost:CUSTOM_PORT"), None);
        assert_eq!(Endpoint::parse("http://<host>:8000"), None);
        assert_eq!(Endpoint::parse("http://h:70000"), None);
        assert_eq!(Endpoint::parse("http://h:0"), None);
    }

    #[test]
    fn tells_loopback_local_and_public_hosts_apart() {
        for url in ["http://localhost:1", "http://127.0.0.2:1", "http://[::1]:1"] {
            assert!(ep(url).is_loopback(), "{url}");
            assert!(!ep(url).is_public(), "{url}");
        }
        for url in [
            "http://192.168.1.20:8000",
            "http://10.0.0.5:1",
            "http://100.100.1.1:1",
            "http://[fd00::1]:1",
            "http://gpu-box:8000",
            "http://gpu.home.arpa:1",
            "http://nas.local:1",
        ] {
            assert!(!ep(url).is_loopback(), "{url}");
            assert!(!ep(url).is_public(), "{url}");
        }
        for url in [
            "https://api.openai.com/v1",
            "https://api.anthropic.com",
            "http://8.8.8.8:80",
            "http://[2001:db8::1]:80",
        ] {
            assert!(ep(url).is_public(), "{url}");
        }
    }
}
