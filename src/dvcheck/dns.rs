//! DNS through a real stub resolver (hickory): `/etc/resolv.conf` by default, or one given
//! server (`--nameserver`, `[check] nameserver`). Answers are sorted into the outcomes an
//! operator acts on: NXDOMAIN, no address, SERVFAIL, other failure.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, RecordType};

use super::chain::escaped;
use super::records::CaaRecord;
pub use super::records::DnsFacts;

/// Which DNS server answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DnsMode {
    /// The system's resolvers, from `/etc/resolv.conf`.
    #[default]
    System,
    /// One server (tests run their own).
    Nameserver(SocketAddr),
}

/// A lookup that found nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    NxDomain,
    /// The name exists but has no record of the type asked.
    NoRecords,
    ServFail,
    Failure(String),
}

/// The resolver, or why there is none (every DNS question then fails with that reason).
#[derive(Clone)]
pub struct Dns {
    resolver: Result<TokioResolver, String>,
}

impl Dns {
    pub fn new(mode: &DnsMode, timeout: Duration) -> Dns {
        let resolver = match mode {
            DnsMode::System => TokioResolver::builder_tokio()
                .map_err(|error| format!("cannot read the system DNS configuration: {error}"))
                .and_then(|mut builder| {
                    tune(builder.options_mut(), timeout);
                    builder.build().map_err(|error| error.to_string())
                }),
            DnsMode::Nameserver(server) => {
                let mut name_server = NameServerConfig::udp_and_tcp(server.ip());
                for connection in &mut name_server.connections {
                    connection.port = server.port();
                }
                let config = ResolverConfig::from_parts(None, vec![], vec![name_server]);
                let mut builder =
                    TokioResolver::builder_with_config(config, TokioRuntimeProvider::default());
                tune(builder.options_mut(), timeout);
                builder.build().map_err(|error| error.to_string())
            }
        };
        Dns { resolver }
    }

    /// AAAA and A of `host`, and the CNAME chain met on the way.
    pub async fn addresses(&self, host: &str) -> Result<DnsFacts, LookupError> {
        let (v6, v4) = futures::join!(
            self.lookup(host, RecordType::AAAA),
            self.lookup(host, RecordType::A)
        );
        let mut facts = DnsFacts::default();
        for records in [&v6, &v4].into_iter().flatten() {
            for record in records {
                match record {
                    RData::CNAME(target) => {
                        let name = fqdn_text(&target.0.to_ascii());
                        if !facts.cname_chain.contains(&name) {
                            facts.cname_chain.push(name);
                        }
                    }
                    RData::AAAA(address) => facts.ipv6.push(address.0),
                    RData::A(address) => facts.ipv4.push(address.0),
                    _ => {}
                }
            }
        }
        if facts.ipv6.is_empty() && facts.ipv4.is_empty() {
            let no_records = matches!(
                (&v6, &v4),
                (
                    Err(LookupError::NoRecords) | Ok(_),
                    Err(LookupError::NoRecords) | Ok(_)
                )
            );
            // "No address" may be a CNAME chain that comes back on itself: say so.
            if no_records && let Some(chain) = self.cname_loop(host).await {
                return Err(LookupError::Failure(escaped(
                    &format!("CNAME loop: {}", chain.join(" → ")),
                    300,
                )));
            }
            return Err(match (v6, v4) {
                (Err(LookupError::ServFail), _) | (_, Err(LookupError::ServFail)) => {
                    LookupError::ServFail
                }
                (Err(LookupError::NxDomain), _) | (_, Err(LookupError::NxDomain)) => {
                    LookupError::NxDomain
                }
                (Err(LookupError::Failure(detail)), _) | (_, Err(LookupError::Failure(detail))) => {
                    LookupError::Failure(detail)
                }
                _ => LookupError::NoRecords,
            });
        }
        Ok(facts)
    }

    /// Follows `host`'s CNAMEs one query at a time (at most `MAX_CNAME_HOPS`); the names met,
    /// ending with the one met twice, when they loop.
    async fn cname_loop(&self, host: &str) -> Option<Vec<String>> {
        let mut chain = vec![fqdn_text(host)];
        for _ in 0..MAX_CNAME_HOPS {
            let current = chain.last()?.clone();
            let records = self.lookup(&current, RecordType::CNAME).await.ok()?;
            let target = records.iter().find_map(|record| match record {
                RData::CNAME(target) => Some(fqdn_text(&target.0.to_ascii())),
                _ => None,
            })?;
            let looped = chain.contains(&target);
            chain.push(target);
            if looped {
                return Some(chain);
            }
        }
        None
    }

    /// The first address of `host` the CA would use for a redirect hop: IPv6 when there is
    /// one, else IPv4 (no fallback on redirects).
    pub async fn first_address(&self, host: &str) -> Result<IpAddr, LookupError> {
        let facts = self.addresses(host).await?;
        facts
            .ipv6
            .first()
            .map(|ip| IpAddr::V6(*ip))
            .or_else(|| facts.ipv4.first().map(|ip| IpAddr::V4(*ip)))
            .ok_or(LookupError::NoRecords)
    }

    /// The CAA records at exactly `name` (empty when there are none).
    pub async fn caa(&self, name: &str) -> Result<Vec<CaaRecord>, LookupError> {
        match self.lookup(name, RecordType::CAA).await {
            Ok(records) => Ok(records
                .iter()
                .filter_map(|record| match record {
                    RData::CAA(caa) => Some(CaaRecord {
                        flags: caa.flags(),
                        tag: caa.tag.clone(),
                        value: String::from_utf8_lossy(&caa.value).into_owned(),
                    }),
                    _ => None,
                })
                .collect()),
            Err(LookupError::NoRecords | LookupError::NxDomain) => Ok(Vec::new()),
            Err(error) => Err(error),
        }
    }

    async fn lookup(&self, name: &str, kind: RecordType) -> Result<Vec<RData>, LookupError> {
        let resolver = self
            .resolver
            .as_ref()
            .map_err(|reason| LookupError::Failure(reason.clone()))?;
        // A trailing dot: the name as given, never with a search domain appended.
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        match resolver.lookup(fqdn.as_str(), kind).await {
            Ok(lookup) => Ok(lookup
                .answers()
                .iter()
                .map(|record| record.data.clone())
                .collect()),
            Err(error) => Err(classify(&error)),
        }
    }
}

/// CNAME hops followed when looking for a loop (resolvers give up far sooner).
const MAX_CNAME_HOPS: usize = 16;

fn tune(options: &mut ResolverOpts, timeout: Duration) {
    options.timeout = timeout.min(Duration::from_secs(5));
    options.attempts = 2;
    options.preserve_intermediates = true;
}

fn classify(error: &NetError) -> LookupError {
    match error {
        NetError::Dns(DnsError::NoRecordsFound(no_records)) => {
            if no_records.response_code == ResponseCode::NXDomain {
                LookupError::NxDomain
            } else if no_records.response_code == ResponseCode::ServFail {
                LookupError::ServFail
            } else {
                LookupError::NoRecords
            }
        }
        NetError::Dns(DnsError::ResponseCode(ResponseCode::ServFail)) => LookupError::ServFail,
        other => LookupError::Failure(escaped(&other.to_string(), 200)),
    }
}

/// `Name` text without its trailing dot, lower case.
fn fqdn_text(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Akamai's edge domains: a CNAME into one of them means Akamai answers the challenge.
pub const EDGE_DOMAINS: [&str; 4] = [
    "edgekey.net",
    "edgesuite.net",
    "akamaized.net",
    "akamaiedge.net",
];

/// The first name of the chain inside an Akamai edge domain.
pub fn edge_hostname(cname_chain: &[String]) -> Option<&str> {
    cname_chain
        .iter()
        .find(|name| {
            EDGE_DOMAINS
                .iter()
                .any(|edge| name.as_str() == *edge || name.ends_with(&format!(".{edge}")))
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_hostname_is_found_anywhere_in_the_chain() {
        let chain = vec![
            "shop.cdn.example.com".to_string(),
            "shop.example.com.edgekey.net".to_string(),
            "e1234.a.akamaiedge.net".to_string(),
        ];
        assert_eq!(edge_hostname(&chain), Some("shop.example.com.edgekey.net"));
        assert_eq!(
            edge_hostname(&["x.akamaized.net".to_string()]),
            Some("x.akamaized.net")
        );
        assert_eq!(
            edge_hostname(&["a.edgesuite.net".to_string()]),
            Some("a.edgesuite.net")
        );
        assert_eq!(edge_hostname(&["notedgekey.net".to_string()]), None);
        assert_eq!(
            edge_hostname(&["edgekey.net.example.com".to_string()]),
            None
        );
        assert_eq!(edge_hostname(&[]), None);
    }
}
