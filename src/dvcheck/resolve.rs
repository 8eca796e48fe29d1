//! `--resolve DOMAIN=IP[:PORT]`: send a domain's check to a fixed address, keeping its Host
//! header and path (for staging, and for tests against local servers).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use crate::export::rule::check_host;

/// Port HTTP-01 challenges are fetched on.
pub const HTTP_PORT: u16 = 80;

/// Fixed addresses per host (punycode, lower case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveMap(BTreeMap<String, SocketAddr>);

impl ResolveMap {
    /// Parses every `DOMAIN=IP[:PORT]`; the first bad one is an error saying what is wanted.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<ResolveMap, String> {
        let mut map = BTreeMap::new();
        for entry in entries {
            let entry = entry.as_ref();
            let (domain, address) = entry.split_once('=').ok_or_else(|| {
                format!("--resolve {entry:?}: expected DOMAIN=IP[:PORT], e.g. www.example.com=127.0.0.1:8080")
            })?;
            let host = check_host(domain.trim())
                .map_err(|reason| format!("--resolve {entry:?}: the domain {reason}"))?;
            let address = parse_address(address.trim()).ok_or_else(|| {
                format!(
                    "--resolve {entry:?}: {address:?} is not an IP address with an optional port (1.2.3.4, 1.2.3.4:8080, [::1]:8080)"
                )
            })?;
            map.insert(host, address);
        }
        Ok(ResolveMap(map))
    }

    pub fn insert(&mut self, host: &str, address: SocketAddr) {
        self.0.insert(host.to_ascii_lowercase(), address);
    }

    pub fn get(&self, host: &str) -> Option<SocketAddr> {
        self.0.get(host).copied()
    }

    /// The hosts with a fixed address.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn parse_address(text: &str) -> Option<SocketAddr> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Some(address);
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, HTTP_PORT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ip_with_and_without_port() {
        let map = ResolveMap::parse(&[
            "WWW.Example.com=127.0.0.1:8080",
            "bücher.example=127.0.0.2",
            "v6.example=[::1]:81",
        ])
        .expect("parses");
        assert_eq!(
            map.get("www.example.com"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            map.get("xn--bcher-kva.example"),
            Some("127.0.0.2:80".parse().unwrap())
        );
        assert_eq!(map.get("v6.example"), Some("[::1]:81".parse().unwrap()));
    }

    #[test]
    fn refuses_what_is_not_domain_equals_ip() {
        for bad in [
            "www.example.com",
            "www.example.com=localhost",
            "a b=127.0.0.1",
            "=1.2.3.4",
        ] {
            let error = ResolveMap::parse(&[bad]).expect_err(bad);
            assert!(error.contains("--resolve"), "{error}");
        }
    }
}
