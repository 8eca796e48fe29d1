//! The DV readiness probe: validate each domain the way Let's Encrypt's validation authority
//! does for HTTP-01 (issue 10), and say why.
//!
//! Ready means: DNS gives an address, CAA lets Let's Encrypt issue, and the chain from
//! `http://DOMAIN/.well-known/acme-challenge/TOKEN` (redirects followed by the CA's rules)
//! ends in a 200 whose body is the key authorization; or the domain is CNAMEd to an Akamai
//! edge hostname, so Akamai answers the challenge itself ("automatic"). Checks run
//! concurrently, each bounded by a timeout; the caller runs `check_all` on a task, never on
//! the render path.

pub mod caa;
pub mod chain;
pub mod dns;
mod fetch;
pub mod keyauth;
mod outcome;
mod probe;
mod records;
pub mod redirect;
pub mod resolve;
mod walk;

use std::time::Duration;

use futures::StreamExt;

use crate::config::{CheckConfig, parse_nameserver};
use crate::export::rule::ExportError;
use crate::export::{DomainScope, select};
use crate::model::CertRequest;

pub use chain::{Hop, HopAnswer};
pub use dns::{DnsFacts, DnsMode};
pub use fetch::USER_AGENT;
pub use outcome::{CheckOutcome, CheckProblem, CheckResult, Family, FamilyResult, RedirectRefusal};
pub use resolve::ResolveMap;

/// One domain to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub domain: String,
    /// Punycode, lower case: the Host header sent.
    pub host: String,
    /// The path of fullPath.
    pub path: String,
    pub redirect_path: String,
    pub response_body: Option<String>,
    /// False when SPS has not issued a challenge yet: reported as not ready, never fetched.
    pub has_challenge: bool,
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Limit for one domain's whole check (DNS, connect, answer).
    pub timeout: Duration,
    /// Checks in flight at once.
    pub concurrency: usize,
    pub resolve: ResolveMap,
    /// Which DNS server answers.
    pub dns: DnsMode,
    /// The ports the CA connects to for http and https: 80 and 443, always, in production.
    pub ports: CaPorts,
}

impl CheckOptions {
    /// The options the config asks for: `nameserver` (an explicit one, e.g. `--nameserver`,
    /// over `[check] nameserver` over the system's DNS), timeout and concurrency.
    pub fn from_config(
        resolve: &ResolveMap,
        nameserver: Option<std::net::SocketAddr>,
        check: &CheckConfig,
    ) -> CheckOptions {
        let configured = check
            .nameserver
            .as_deref()
            .and_then(|text| parse_nameserver(text).ok());
        CheckOptions {
            resolve: resolve.clone(),
            dns: match nameserver.or(configured) {
                Some(server) => DnsMode::Nameserver(server),
                None => DnsMode::System,
            },
            timeout: Duration::from_secs(check.timeout_s.max(1)),
            concurrency: check.concurrency.max(1),
            ..CheckOptions::default()
        }
    }
}

/// The ports a DNS-resolved address is connected on. Boulder makes these configurable for
/// the same reason: tests cannot bind 80 and 443; the redirect rules still name 80/443.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaPorts {
    pub http: u16,
    pub https: u16,
}

impl Default for CaPorts {
    fn default() -> Self {
        CaPorts {
            http: resolve::HTTP_PORT,
            https: resolve::HTTPS_PORT,
        }
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            resolve: ResolveMap::default(),
            dns: DnsMode::System,
            ports: CaPorts::default(),
        }
    }
}

/// The domains of `request` in `scope`, with their challenges checked like exported rules.
pub fn targets(request: &CertRequest, scope: &DomainScope) -> Result<Vec<Target>, ExportError> {
    let selection = match select(request, scope) {
        Ok(selection) => selection,
        Err(ExportError::NoChallenge { domains, .. }) => {
            return Ok(domains.into_iter().map(no_challenge).collect());
        }
        Err(error) => return Err(error),
    };
    let mut targets: Vec<Target> = selection
        .rules
        .into_iter()
        .map(|rule| Target {
            domain: rule.domain,
            host: rule.host,
            path: rule.path,
            redirect_path: rule.redirect_path,
            response_body: rule.record.response_body,
            has_challenge: true,
        })
        .collect();
    targets.extend(
        selection
            .skipped
            .into_iter()
            .map(|(domain, _)| no_challenge(domain)),
    );
    Ok(targets)
}

fn no_challenge(domain: String) -> Target {
    Target {
        host: domain.to_ascii_lowercase(),
        domain,
        path: String::new(),
        redirect_path: String::new(),
        response_body: None,
        has_challenge: false,
    }
}

/// Checks every target, at most `options.concurrency` at a time; results in target order.
pub async fn check_all(targets: Vec<Target>, options: &CheckOptions) -> Vec<CheckResult> {
    let dns = dns::Dns::new(&options.dns, options.timeout);
    futures::stream::iter(targets)
        .map(|target| {
            let dns = &dns;
            async move { probe::probe(dns, &target, options).await }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await
}

/// Every host a chain of `results` went to (either address family).
pub fn hosts_visited(results: &[CheckResult]) -> std::collections::BTreeSet<String> {
    results
        .iter()
        .flat_map(|result| result.families.iter().flat_map(|family| &family.chain))
        .filter_map(|hop| url::Url::parse(&hop.url).ok())
        .filter_map(|url| url.host_str().map(str::to_ascii_lowercase))
        .collect()
}

/// True when every result is ready (and there is at least one).
pub fn all_ready(results: &[CheckResult]) -> bool {
    !results.is_empty() && results.iter().all(CheckResult::is_ready)
}

/// The domains of `targets` Akamai completes itself (CNAME to an edge hostname), with that
/// hostname: `redirects` and `webroot` leave them out. Domains fixed by `--resolve` and
/// lookups that fail count as not automatic.
pub async fn automatic_domains(
    targets: &[Target],
    options: &CheckOptions,
) -> std::collections::BTreeMap<String, String> {
    let dns = dns::Dns::new(&options.dns, options.timeout);
    let found: Vec<Option<(String, String)>> = futures::stream::iter(targets)
        .map(|target| {
            let dns = &dns;
            async move {
                if options.resolve.covers(&target.host) {
                    return None;
                }
                let facts = tokio::time::timeout(options.timeout, dns.addresses(&target.host))
                    .await
                    .ok()?
                    .ok()?;
                dns::edge_hostname(&facts.cname_chain)
                    .map(|edge| (target.domain.clone(), edge.to_string()))
            }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    found.into_iter().flatten().collect()
}
