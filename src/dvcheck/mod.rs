//! The DV readiness probe: fetch each domain's fullPath the way Let's Encrypt starts (plain
//! HTTP, no redirects followed) and say whether the answer would pass (issue 6).
//!
//! Ready means a 301/302/307/308 whose Location is the redirectPath, or a 200 whose body is
//! the responseBody. Checks run concurrently, each bounded by a timeout; the caller runs
//! `check_all` on a task, never on the render path.

mod outcome;
mod probe;
pub mod resolve;

use std::time::Duration;

use futures::StreamExt;

use crate::export::rule::ExportError;
use crate::export::{Scope, select};
use crate::sps::model::SpsRequest;

pub use outcome::{CheckResult, Outcome, Problem, Ready};
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
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            resolve: ResolveMap::default(),
        }
    }
}

/// The domains of `request` in `scope`, with their challenges checked like exported rules.
pub fn targets(request: &SpsRequest, scope: &Scope) -> Result<Vec<Target>, ExportError> {
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
    let client = match probe::client(options.timeout) {
        Ok(client) => client,
        Err(message) => {
            return targets
                .into_iter()
                .map(|target| CheckResult {
                    domain: target.domain,
                    outcome: Outcome::NotReady(Problem::Connection(message.clone())),
                    elapsed: Duration::ZERO,
                    address: None,
                })
                .collect();
        }
    };
    futures::stream::iter(targets)
        .map(|target| {
            let client = client.clone();
            async move { probe::probe(&client, &target, options).await }
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await
}

/// True when every result is ready (and there is at least one).
pub fn all_ready(results: &[CheckResult]) -> bool {
    !results.is_empty() && results.iter().all(CheckResult::is_ready)
}
