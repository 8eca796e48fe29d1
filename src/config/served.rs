//! `[served]`: how the served-certificate probe asks the edge (issue 29): the port, the time
//! one handshake may take, how many at once, and whether the dashboard probes by itself.

use serde::{Deserialize, Serialize};

use super::check::parse_nameserver;
use super::load::within;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServedConfig {
    /// `IP[:PORT]` of the DNS server to ask; absent = `[check] nameserver`, else the system's.
    pub nameserver: Option<String>,
    /// The port the edge answers TLS on.
    pub port: u16,
    /// Seconds one TLS handshake may take.
    pub timeout_s: u64,
    /// Handshakes at once.
    pub concurrency: usize,
    /// Probe the certificates of the watched enrollments in the background (dashboard,
    /// exporter).
    pub auto: bool,
    /// Seconds between one enrollment's background probes.
    pub interval: u64,
}

impl Default for ServedConfig {
    fn default() -> Self {
        ServedConfig {
            nameserver: None,
            port: 443,
            timeout_s: 5,
            concurrency: 8,
            auto: false,
            interval: 3600,
        }
    }
}

impl ServedConfig {
    /// Every value in range, with a message naming the key and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(nameserver) = &self.nameserver {
            parse_nameserver(nameserver)
                .map_err(|error| format!("`served.nameserver`: {error}"))?;
        }
        within(
            "served.port",
            u64::from(self.port),
            1..=65_535,
            "a TCP port",
        )?;
        within("served.timeout_s", self.timeout_s, 1..=60, "seconds")?;
        let concurrency = u64::try_from(self.concurrency).unwrap_or(u64::MAX);
        within(
            "served.concurrency",
            concurrency,
            1..=64,
            "handshakes at once",
        )?;
        // At least five minutes: probes reach Akamai's edge, not a test server.
        within("served.interval", self.interval, 300..=86_400, "seconds")
    }
}
