//! The served-certificate probe (`spsdash served`, the dashboard's Certificate tab): what the
//! edge really serves for an enrollment's names, compared with what CPS says it deployed.
//!
//! Production: each name is looked up (through the same resolver as the readiness check, so
//! `--nameserver` applies), must lead to an Akamai edge hostname (else "not on Akamai"), and
//! each of its addresses (IPv6 and IPv4) is asked with SNI = the name. The edge hostname is
//! asked too, with SNI = the common name. Staging: the staging edge hostname
//! (`….edgekey-staging.net`) is asked with SNI = each name, as one tests a site on Akamai's
//! staging network. Every served leaf gets a verdict (`compare`).

pub mod compare;
pub mod edge;
pub mod leaf;
pub mod options;
pub mod target;
pub mod tls;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;

use crate::dvcheck::dns::{Dns, DnsFacts, LookupError};
use crate::model::Network;
use crate::model::served::{
    AddressServed, Expected, NameServed, NetworkServed, ServedReport, Verdict,
};

/// What to probe for one enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeTarget {
    pub enrollment_id: u64,
    pub common_name: String,
    /// The common name first, then the other names (no repeats).
    pub names: Vec<String>,
    /// The production edge hostname, when known; else found in DNS, else `{cn}.edgekey.net`.
    pub edge_hostname: Option<String>,
    pub production: Expected,
    pub staging: Expected,
}

/// How to probe.
#[derive(Clone)]
pub struct ProbeOptions {
    pub dns: Dns,
    /// The port the edge answers TLS on (443; tests use others).
    pub port: u16,
    /// One handshake's limit.
    pub timeout: Duration,
    /// Handshakes at once.
    pub concurrency: usize,
    pub networks: Vec<Network>,
}

/// Probes `target` on each network of `options`.
pub async fn probe(target: &ProbeTarget, options: &ProbeOptions) -> ServedReport {
    let probed_at = Utc::now();
    let mut networks = Vec::new();
    let mut edge_hostname = target.edge_hostname.clone();
    if options.networks.contains(&Network::Production) {
        let (served, found_edge) = production(target, options).await;
        edge_hostname = edge_hostname.or(found_edge);
        networks.push(served);
    }
    if options.networks.contains(&Network::Staging) {
        let production_edge = match edge_hostname.clone() {
            Some(edge) => edge,
            None => production_edge(target, options).await,
        };
        networks.push(staging(target, options, &production_edge).await);
    }
    ServedReport {
        enrollment_id: target.enrollment_id,
        common_name: target.common_name.clone(),
        probed_at,
        networks,
    }
}

/// Each name through its own DNS, then the edge hostname itself.
async fn production(
    target: &ProbeTarget,
    options: &ProbeOptions,
) -> (NetworkServed, Option<String>) {
    let expected = &target.production;
    // Owned names: a closure over borrowed ones is not `Send` enough for `tokio::spawn`.
    let asked = futures::stream::iter(target.names.clone())
        .map(|name| async move {
            let name = name.as_str();
            if name.starts_with("*.") {
                return (unasked(name, name, String::new(), Verdict::Wildcard), None);
            }
            let facts = match options.dns.addresses(name).await {
                Ok(facts) => facts,
                Err(error) => return (no_address(name, name, &error), None),
            };
            let Some(edge) = crate::dvcheck::dns::edge_hostname(&facts.cname_chain) else {
                let via = edge::not_on_akamai(&facts);
                let verdict = Verdict::NotOnAkamai { via };
                return (unasked(name, name, edge::dns_line(&facts), verdict), None);
            };
            let edge = edge.to_string();
            let line = ask_addresses(Network::Production, name, name, &facts, expected, options);
            (line.await, Some(edge))
        })
        .buffered(options.concurrency.max(1))
        .collect::<Vec<(NameServed, Option<String>)>>()
        .await;
    let found_edge = target
        .edge_hostname
        .clone()
        .or_else(|| asked.iter().find_map(|(_, edge)| edge.clone()));
    let mut lines: Vec<NameServed> = asked.into_iter().map(|(line, _)| line).collect();
    let edge = found_edge
        .clone()
        .unwrap_or_else(|| edge::default_edge_hostname(&target.common_name));
    let sni = edge::sni_for(&target.common_name);
    lines.push(ask_host(Network::Production, &sni, &edge, expected, options).await);
    (
        NetworkServed {
            network: Network::Production,
            edge_hostname: Some(edge),
            names: lines,
        },
        found_edge,
    )
}

/// Each name through the staging edge hostname.
async fn staging(
    target: &ProbeTarget,
    options: &ProbeOptions,
    production_edge: &str,
) -> NetworkServed {
    let edge = edge::staging_of(production_edge);
    through_edge(Network::Staging, target, options, &edge).await
}

/// The production edge hostname of `target`: the one given, else the one its common name
/// CNAMEs to, else `{cn}.edgekey.net` (names not yet switched to Akamai reach it that way).
pub async fn production_edge(target: &ProbeTarget, options: &ProbeOptions) -> String {
    if let Some(edge) = &target.edge_hostname {
        return edge.clone();
    }
    let found = match options.dns.addresses(&target.common_name).await {
        Ok(facts) => crate::dvcheck::dns::edge_hostname(&facts.cname_chain).map(str::to_string),
        Err(_) => None,
    };
    found.unwrap_or_else(|| edge::default_edge_hostname(&target.common_name))
}

/// Each name of `target` asked at `edge`'s addresses with SNI = the name: what the edge
/// would serve once the names point at it (staging, and `wait --until served` before a
/// CNAME is switched).
pub async fn through_edge(
    network: Network,
    target: &ProbeTarget,
    options: &ProbeOptions,
    edge: &str,
) -> NetworkServed {
    let expected = match network {
        Network::Production => &target.production,
        Network::Staging => &target.staging,
    };
    let facts = options.dns.addresses(edge).await;
    let lines = futures::stream::iter(target.names.clone())
        .map(|name| {
            let facts = &facts;
            async move {
                let sni = edge::sni_for(&name);
                match facts {
                    Ok(facts) => ask_addresses(network, &sni, edge, facts, expected, options).await,
                    Err(error) => no_address(&sni, edge, error),
                }
            }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    NetworkServed {
        network,
        edge_hostname: Some(edge.to_string()),
        names: lines,
    }
}

/// Looks `host` up, then asks each of its addresses with SNI = `name`.
async fn ask_host(
    network: Network,
    name: &str,
    host: &str,
    expected: &Expected,
    options: &ProbeOptions,
) -> NameServed {
    match options.dns.addresses(host).await {
        Ok(facts) => ask_addresses(network, name, host, &facts, expected, options).await,
        Err(error) => no_address(name, host, &error),
    }
}

/// Every address of `facts` (IPv6 first), asked with SNI = `name`.
async fn ask_addresses(
    network: Network,
    name: &str,
    via_host: &str,
    facts: &DnsFacts,
    expected: &Expected,
    options: &ProbeOptions,
) -> NameServed {
    let addresses: Vec<IpAddr> = facts
        .ipv6
        .iter()
        .map(|ip| IpAddr::V6(*ip))
        .chain(facts.ipv4.iter().map(|ip| IpAddr::V4(*ip)))
        .collect();
    if addresses.is_empty() {
        return no_address(name, via_host, &LookupError::NoRecords);
    }
    let asked = futures::stream::iter(addresses)
        .map(|address| async move {
            let served = tls::served_leaf(
                SocketAddr::new(address, options.port),
                name,
                options.timeout,
            )
            .await;
            let (leaf, verdict) = match served.and_then(|der| leaf::from_der(&der)) {
                Ok(leaf) => {
                    let verdict = compare::verdict(network, name, &leaf, expected, Utc::now());
                    (Some(leaf), verdict)
                }
                Err(why) => (
                    None,
                    Verdict::NoAnswer {
                        port: options.port,
                        why,
                    },
                ),
            };
            AddressServed {
                address,
                leaf,
                verdict,
            }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    NameServed {
        name: name.to_string(),
        via_host: via_host.to_string(),
        dns: edge::dns_line(facts),
        addresses: asked,
        verdict: None,
    }
}

fn unasked(name: &str, via_host: &str, dns: String, verdict: Verdict) -> NameServed {
    NameServed {
        name: name.to_string(),
        via_host: via_host.to_string(),
        dns,
        addresses: Vec::new(),
        verdict: Some(verdict),
    }
}

fn no_address(name: &str, via_host: &str, error: &LookupError) -> NameServed {
    let why = match error {
        LookupError::NxDomain => format!("{via_host} does not exist (NXDOMAIN)"),
        LookupError::NoRecords => format!("{via_host} has no A or AAAA record"),
        LookupError::ServFail => format!("the DNS server failed for {via_host} (SERVFAIL)"),
        LookupError::Failure(why) => crate::text::brief(why),
    };
    unasked(name, via_host, String::new(), Verdict::NoAddress { why })
}
