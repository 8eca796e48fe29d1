//! `--resolve DOMAIN[:443]=IP[:PORT]`: send the requests for a host to a fixed address,
//! keeping Host header, SNI and path, on every hop of the chain (for staging, and for tests
//! against local servers). `DOMAIN=IP` fixes both ports of the host; `DOMAIN=IP:PORT` fixes
//! its port 80 (the first hop); `DOMAIN:443=IP:PORT` its https hops.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use crate::export::rule::check_host;

/// Port HTTP-01 challenges are fetched on.
pub const HTTP_PORT: u16 = 80;
/// Port of the https hops the CA follows.
pub const HTTPS_PORT: u16 = 443;

/// Fixed addresses per host (punycode, lower case) and the port the CA would connect to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveMap(BTreeMap<(String, u16), SocketAddr>);

impl ResolveMap {
    /// Parses every `DOMAIN=IP[:PORT]`; the first bad one is an error saying what is wanted.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<ResolveMap, String> {
        let mut map = BTreeMap::new();
        for entry in entries {
            let entry = entry.as_ref();
            let (domain, address) = entry.split_once('=').ok_or_else(|| {
                format!("--resolve {entry:?}: expected DOMAIN=IP[:PORT], e.g. www.example.com=127.0.0.1:8080")
            })?;
            let (domain, ca_port) = match domain.trim().rsplit_once(':') {
                Some((domain, "80")) => (domain, Some(HTTP_PORT)),
                Some((domain, "443")) => (domain, Some(HTTPS_PORT)),
                Some(_) => {
                    return Err(format!(
                        "--resolve {entry:?}: only ports 80 and 443 can be fixed (the CA uses no other), e.g. www.example.com:443=127.0.0.1:8443"
                    ));
                }
                None => (domain.trim(), None),
            };
            let host = check_host(domain.trim())
                .map_err(|reason| format!("--resolve {entry:?}: the domain {reason}"))?;
            let bad_address = || {
                format!(
                    "--resolve {entry:?}: {address:?} is not an IP address with an optional port (1.2.3.4, 1.2.3.4:8080, [::1]:8080)"
                )
            };
            let address = address.trim();
            match (ca_port, parse_address(address)) {
                (Some(ca_port), Some((ip, port))) => {
                    map.insert(
                        (host, ca_port),
                        SocketAddr::new(ip, port.unwrap_or(ca_port)),
                    );
                }
                (None, Some((ip, Some(port)))) => {
                    map.insert((host, HTTP_PORT), SocketAddr::new(ip, port));
                }
                (None, Some((ip, None))) => {
                    map.insert((host.clone(), HTTP_PORT), SocketAddr::new(ip, HTTP_PORT));
                    map.insert((host, HTTPS_PORT), SocketAddr::new(ip, HTTPS_PORT));
                }
                (_, None) => return Err(bad_address()),
            }
        }
        Ok(ResolveMap(map))
    }

    /// Fixes the address of `host`'s port 80 (its first hop).
    pub fn insert(&mut self, host: &str, address: SocketAddr) {
        self.insert_port(host, HTTP_PORT, address);
    }

    /// Fixes the address of `host`'s port `ca_port` (80 or 443).
    pub fn insert_port(&mut self, host: &str, ca_port: u16, address: SocketAddr) {
        self.0.insert((host.to_ascii_lowercase(), ca_port), address);
    }

    /// The fixed address of `host`'s port 80.
    pub fn get(&self, host: &str) -> Option<SocketAddr> {
        self.get_port(host, HTTP_PORT)
    }

    pub fn get_port(&self, host: &str, ca_port: u16) -> Option<SocketAddr> {
        self.0.get(&(host.to_string(), ca_port)).copied()
    }

    /// True when `host` has a fixed address on some port: DNS is not asked about it.
    pub fn covers(&self, host: &str) -> bool {
        self.get_port(host, HTTP_PORT).is_some() || self.get_port(host, HTTPS_PORT).is_some()
    }

    /// The hosts with a fixed address.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        let mut hosts: Vec<&str> = self.0.keys().map(|(host, _)| host.as_str()).collect();
        hosts.dedup();
        hosts.into_iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`: the address and the port when one is given.
fn parse_address(text: &str) -> Option<(IpAddr, Option<u16>)> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Some((address.ip(), Some(address.port())));
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().ok().map(|ip| (ip, None))
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
        // A bare IP fixes both ports; IP:PORT only the first hop's.
        assert_eq!(
            map.get_port("xn--bcher-kva.example", 443),
            Some("127.0.0.2:443".parse().unwrap())
        );
        assert_eq!(map.get_port("www.example.com", 443), None);
    }

    #[test]
    fn the_https_port_of_a_host_is_fixed_apart() {
        let map = ResolveMap::parse(&["a.example:443=127.0.0.1:8443", "a.example=127.0.0.1:8080"])
            .expect("parses");
        assert_eq!(
            map.get("a.example"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            map.get_port("a.example", 443),
            Some("127.0.0.1:8443".parse().unwrap())
        );
        assert_eq!(map.hosts().collect::<Vec<_>>(), ["a.example"]);
        let error = ResolveMap::parse(&["a.example:8080=127.0.0.1"]).expect_err("port 8080");
        assert!(error.contains("only ports 80 and 443"), "{error}");
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
