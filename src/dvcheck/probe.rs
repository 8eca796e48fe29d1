//! One domain's check, in the CA's order: DNS (or `--resolve`), CAA, automatic completion
//! through an Akamai edge CNAME, then the HTTP-01 chain from the first IPv6 address and the
//! first IPv4 address. The CA's verdict is IPv6's unless connecting to it failed (then IPv4's,
//! Boulder's only fallback); the other family's walk is kept for the report.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant as StdInstant;

use tokio::time::Instant;

use super::caa;
use super::dns::{Dns, DnsFacts, edge_hostname};
use super::keyauth::{KeyAuthorization, token_of};
use super::outcome::{CheckOutcome, CheckProblem, CheckResult, Family, FamilyResult};
use super::walk::{Walk, dns_problem, walk};
use super::{CheckOptions, Target};

pub async fn probe(dns: &Dns, target: &Target, options: &CheckOptions) -> CheckResult {
    let started = StdInstant::now();
    let deadline = Instant::now() + options.timeout;
    let mut result = CheckResult {
        domain: target.domain.clone(),
        outcome: CheckOutcome::NotReady(CheckProblem::NoChallenge),
        elapsed: std::time::Duration::ZERO,
        address: None,
        chain: Vec::new(),
        families: Vec::new(),
        dns: None,
    };
    if target.has_challenge {
        decide(dns, target, options, deadline, &mut result).await;
    }
    result.elapsed = started.elapsed();
    result
}

async fn decide(
    dns: &Dns,
    target: &Target,
    options: &CheckOptions,
    deadline: Instant,
    result: &mut CheckResult,
) {
    let host = target.host.as_str();
    let (v6, v4) = if let Some(address) = options.resolve.get(host) {
        // `--resolve` fixes the address: DNS is not asked about this name at all.
        match address.ip() {
            IpAddr::V6(_) => (Some(address), None),
            IpAddr::V4(_) => (None, Some(address)),
        }
    } else {
        let facts = match tokio::time::timeout_at(deadline, dns.addresses(host)).await {
            Ok(Ok(facts)) => facts,
            Ok(Err(error)) => {
                result.outcome = CheckOutcome::NotReady(dns_problem(host, error));
                return;
            }
            Err(_) => {
                result.outcome = CheckOutcome::NotReady(CheckProblem::DnsFailure {
                    host: host.to_string(),
                    detail: "timed out".to_string(),
                });
                return;
            }
        };
        let (found, caa_verdict) =
            match tokio::time::timeout_at(deadline, caa::check(dns, host)).await {
                Ok((found, verdict)) => (found, verdict),
                Err(_) => (
                    None,
                    Err(CheckProblem::CaaLookupFailed {
                        at: host.to_string(),
                        detail: "timed out".to_string(),
                    }),
                ),
            };
        // The DNS line says what the verdict says: a failed lookup is not "no CAA".
        let caa_lookup_failed = match &caa_verdict {
            Err(CheckProblem::CaaLookupFailed { at, detail }) => Some(format!("at {at}: {detail}")),
            _ => None,
        };
        result.dns = Some(DnsFacts {
            caa: found,
            caa_lookup_failed,
            ..facts.clone()
        });
        if let Err(problem) = caa_verdict {
            result.outcome = CheckOutcome::NotReady(problem);
            return;
        }
        if let Some(edge) = edge_hostname(&facts.cname_chain) {
            result.outcome = CheckOutcome::Automatic {
                edge_hostname: edge.to_string(),
            };
            return;
        }
        let port = options.ports.http;
        (
            facts
                .ipv6
                .first()
                .map(|ip| SocketAddr::new(IpAddr::V6(*ip), port)),
            facts
                .ipv4
                .first()
                .map(|ip| SocketAddr::new(IpAddr::V4(*ip), port)),
        )
    };

    let key = KeyAuthorization::new(token_of(&target.path), target.response_body.as_deref());
    let one = |first: Option<SocketAddr>| {
        let key = &key;
        async move {
            match first {
                Some(first) => Some((
                    first,
                    walk(dns, options, host, &target.path, key, first, deadline).await,
                )),
                None => None,
            }
        }
    };
    let (over_v6, over_v4) = futures::join!(one(v6), one(v4));
    let use_v4 = match (&over_v6, &over_v4) {
        (Some((_, walk)), Some(_)) => walk.first_dial_failed,
        (None, _) => true,
        (Some(_), None) => false,
    };
    for (family, walked, used) in [
        (Family::V6, over_v6, !use_v4),
        (Family::V4, over_v4, use_v4),
    ] {
        let Some((address, Walk { chain, outcome, .. })) = walked else {
            continue;
        };
        if used {
            result.outcome = outcome.clone();
            result.chain = chain.clone();
            result.address = Some(address);
        }
        result.families.push(FamilyResult {
            family,
            address,
            outcome,
            chain,
            used_by_ca: used,
        });
    }
    if result.families.is_empty() {
        result.outcome = CheckOutcome::NotReady(CheckProblem::NoAddress {
            host: host.to_string(),
            nxdomain: false,
        });
    }
}
