//! The probe's options from `[served]` (and `[check] nameserver` when `[served]` names no DNS
//! server), with the command line's overrides: one place for the command, `wait`, the
//! dashboard and the exporter.

use std::net::SocketAddr;
use std::time::Duration;

use crate::config::{ServedConfig, parse_nameserver};
use crate::dvcheck::dns::{Dns, DnsMode};
use crate::model::Network;

use super::ProbeOptions;

impl ProbeOptions {
    /// `nameserver` and `port` override the config when given. A nameserver in the config
    /// that does not parse was refused at load; here it falls back to the system's.
    pub fn from_config(
        served: &ServedConfig,
        check_nameserver: Option<&str>,
        nameserver: Option<SocketAddr>,
        port: Option<u16>,
        networks: Vec<Network>,
    ) -> ProbeOptions {
        let nameserver = nameserver.or_else(|| {
            served
                .nameserver
                .as_deref()
                .or(check_nameserver)
                .and_then(|text| parse_nameserver(text).ok())
        });
        let mode = nameserver.map_or(DnsMode::System, DnsMode::Nameserver);
        let timeout = Duration::from_secs(served.timeout_s);
        ProbeOptions {
            dns: Dns::new(&mode, timeout),
            port: port.unwrap_or(served.port),
            timeout,
            concurrency: served.concurrency,
            networks,
        }
    }
}
