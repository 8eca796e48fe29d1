//! `[check]`: how the readiness check asks DNS and how much it may do at once (issue 10).

use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

use super::load::within;

/// Port a nameserver is asked on when none is given.
pub const DNS_PORT: u16 = 53;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// `IP[:PORT]` of the DNS server to ask; absent = the system's (`/etc/resolv.conf`).
    pub nameserver: Option<String>,
    /// Domains checked at once.
    pub concurrency: usize,
    /// Seconds one domain's whole check (DNS, every hop) may take.
    pub timeout_s: u64,
    /// Check the domains of requests awaiting you in the background (dashboard).
    pub auto: bool,
    /// Seconds between background checks (60 to 86400).
    pub interval: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            nameserver: None,
            concurrency: 8,
            timeout_s: 10,
            auto: false,
            interval: 300,
        }
    }
}

impl CheckConfig {
    /// Every value in range, with a message naming the key and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(nameserver) = &self.nameserver {
            parse_nameserver(nameserver).map_err(|error| format!("`check.nameserver`: {error}"))?;
        }
        let concurrency = u64::try_from(self.concurrency).unwrap_or(u64::MAX);
        within("check.concurrency", concurrency, 1..=64, "domains at once")?;
        within("check.timeout_s", self.timeout_s, 1..=300, "seconds")?;
        // At least a minute: checks reach real web servers. At most a day.
        within("check.interval", self.interval, 60..=86_400, "seconds")
    }
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT` of a DNS server (port 53 when none is given).
pub fn parse_nameserver(text: &str) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, DNS_PORT))
        .map_err(|_| {
            format!("{text:?} is not a DNS server address: give IP[:PORT], e.g. 127.0.0.1:5353 or [::1]:53")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nameservers_take_an_optional_port() {
        assert_eq!(
            parse_nameserver("127.0.0.1"),
            Ok("127.0.0.1:53".parse().unwrap())
        );
        assert_eq!(
            parse_nameserver("127.0.0.1:5353"),
            Ok("127.0.0.1:5353".parse().unwrap())
        );
        assert_eq!(
            parse_nameserver("[::1]:8053"),
            Ok("[::1]:8053".parse().unwrap())
        );
        assert_eq!(parse_nameserver("::1"), Ok("[::1]:53".parse().unwrap()));
        assert!(
            parse_nameserver("dns.example")
                .unwrap_err()
                .contains("IP[:PORT]")
        );
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        assert_eq!(CheckConfig::default().validate(), Ok(()));
        let short = CheckConfig {
            interval: 30,
            ..CheckConfig::default()
        };
        assert!(short.validate().unwrap_err().contains("check.interval"));
        let none = CheckConfig {
            concurrency: 0,
            ..CheckConfig::default()
        };
        assert!(none.validate().unwrap_err().contains("check.concurrency"));
        let bad = CheckConfig {
            nameserver: Some("resolver".into()),
            ..CheckConfig::default()
        };
        assert!(bad.validate().unwrap_err().contains("check.nameserver"));
    }
}
