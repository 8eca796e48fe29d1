//! `served`'s report as text: per network, per name, the verdict in words; addresses that
//! disagree get a line each; under each name what DNS said and what was served.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::model::Network;
use crate::model::served::{NameServed, Outcome, ServedReport, expires_in};

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
    let mut lines = name.verdict_lines(network, now).into_iter();
    if let Some(first) = lines.next() {
        let _ = writeln!(out, "  {} {first}", mark(name.outcome()));
    }
    for line in lines {
        let _ = writeln!(out, "       {line}");
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
