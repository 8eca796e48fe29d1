//! `served`'s report as text: per network, per name, the verdict in words; addresses that
//! disagree get a line each; under each name what DNS said and what was served.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::model::Network;
use crate::model::served::{AddressServed, NameServed, Outcome, ServedReport, expires_in};

/// The whole report.
pub fn report_text(report: &ServedReport, now: DateTime<Utc>) -> String {
    let mut out = format!(
        "enrollment {} ({}), probed {}\n",
        report.enrollment_id,
        report.common_name,
        report.probed_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    for network in &report.networks {
        let _ = writeln!(
            out,
            "\n{} (edge hostname {})",
            network.network,
            network.edge_hostname.as_deref().unwrap_or("unknown")
        );
        for name in &network.names {
            name_lines(&mut out, network.network, name, now);
        }
    }
    let _ = writeln!(out, "\n{}", summary(report));
    out
}

/// The closing line: how many names match, and what to do about the rest.
fn summary(report: &ServedReport) -> String {
    match report.outcome(None) {
        Outcome::Matches | Outcome::NotProbed => "every name serves what CPS deployed".to_string(),
        Outcome::Mismatch => "some names do not serve what CPS deployed (exit 1)".to_string(),
        Outcome::CouldNotFindOut => {
            "some names could not be checked (exit 3): see the lines above".to_string()
        }
    }
}

fn mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Matches => "ok  ",
        Outcome::Mismatch => "FAIL",
        Outcome::CouldNotFindOut => "??  ",
        Outcome::NotProbed => "--  ",
    }
}

fn name_lines(out: &mut String, network: Network, name: &NameServed, now: DateTime<Utc>) {
    let title = if name.via_host == name.name {
        name.name.clone()
    } else {
        format!("{} via {}", name.name, name.via_host)
    };
    if let Some(verdict) = &name.verdict {
        let _ = writeln!(
            out,
            "  {} {title}: {}",
            mark(verdict.outcome()),
            verdict.sentence(network, &name.name, now)
        );
    } else {
        let first = name.addresses.first().map(|address| &address.verdict);
        let agree = name
            .addresses
            .iter()
            .all(|address| Some(&address.verdict) == first);
        match first {
            Some(verdict) if agree => {
                let _ = writeln!(
                    out,
                    "  {} {title}: {} ({})",
                    mark(verdict.outcome()),
                    verdict.sentence(network, &name.name, now),
                    families(&name.addresses)
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  {} {title}: the addresses disagree",
                    mark(name.outcome())
                );
                for address in &name.addresses {
                    let _ = writeln!(
                        out,
                        "       {} {}: {}",
                        family(address),
                        address.address,
                        address.verdict.sentence(network, &name.name, now)
                    );
                }
            }
        }
    }
    if !name.dns.is_empty() {
        let _ = writeln!(out, "       DNS {}", name.dns);
    }
    let mut seen: Vec<&str> = Vec::new();
    for leaf in name
        .addresses
        .iter()
        .filter_map(|address| address.leaf.as_ref())
    {
        if seen.contains(&leaf.sha256.as_str()) {
            continue;
        }
        seen.push(&leaf.sha256);
        let _ = writeln!(
            out,
            "       served serial {}, {} ({}), issuer {}, SHA-256 {}…",
            leaf.serial,
            leaf.not_after.format("%Y-%m-%d"),
            expires_in(leaf.not_after, now),
            leaf.issuer,
            leaf.sha256.get(..16).unwrap_or(&leaf.sha256)
        );
    }
}

fn family(address: &AddressServed) -> &'static str {
    if address.address.is_ipv6() {
        "IPv6"
    } else {
        "IPv4"
    }
}

/// "IPv6 ::1, IPv4 127.0.0.1".
fn families(addresses: &[AddressServed]) -> String {
    addresses
        .iter()
        .map(|address| format!("{} {}", family(address), address.address))
        .collect::<Vec<_>>()
        .join(", ")
}
