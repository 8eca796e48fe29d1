//! One walk of the chain from one first address, hop by hop, as the CA follows it: each
//! redirect judged by the CA's rules, its host resolved afresh (`--resolve` first, then DNS:
//! IPv6 when there is one, no fallback on redirects), the final answer judged against the key
//! authorization.

use std::net::SocketAddr;

use tokio::time::Instant;
use url::Url;

use super::CheckOptions;
use super::chain::{Hop, HopAnswer, escaped, escaped_bytes};
use super::dns::{Dns, LookupError};
use super::fetch::{HopFailure, fetch};
use super::keyauth::{KeyAuthorization, MAX_BODY};
use super::outcome::{CheckOutcome, CheckProblem};
use super::redirect::follow;
use super::resolve::HTTPS_PORT;

/// What one walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub chain: Vec<Hop>,
    pub outcome: CheckOutcome,
    /// Connecting to the first address failed: the one case the CA retries over IPv4.
    pub first_dial_failed: bool,
}

pub async fn walk(
    dns: &Dns,
    options: &CheckOptions,
    host: &str,
    path: &str,
    key: &KeyAuthorization,
    first: SocketAddr,
    deadline: Instant,
) -> Walk {
    let mut chain: Vec<Hop> = Vec::new();
    let mut visited: Vec<Url> = Vec::new();
    let end = |chain: Vec<Hop>, problem: CheckProblem| Walk {
        chain,
        outcome: CheckOutcome::NotReady(problem),
        first_dial_failed: false,
    };
    let mut url = match Url::parse(&format!("http://{host}{path}")) {
        Ok(url) => url,
        Err(error) => {
            return end(
                chain,
                CheckProblem::Connection {
                    hop: 1,
                    detail: format!("not a URL: {error}"),
                },
            );
        }
    };
    let mut host = host.to_string();
    let mut address = first;
    loop {
        let hop = visited.len() + 1;
        visited.push(url.clone());
        let remaining = deadline.saturating_duration_since(Instant::now());
        let fetched =
            tokio::time::timeout_at(deadline, fetch(&url, &host, address, remaining)).await;
        let mut record = Hop {
            url: escaped(url.as_str(), 200),
            address: Some(address),
            answer: HopAnswer::NoAnswer,
        };
        let response = match fetched {
            Ok(Ok(response)) => response,
            Ok(Err(failure)) => {
                let dial = failure.is_dial();
                chain.push(record);
                let problem = match failure {
                    HopFailure::Refused => CheckProblem::ConnectionRefused { hop, address },
                    HopFailure::TimedOut => CheckProblem::Timeout {
                        hop,
                        limit: options.timeout,
                    },
                    HopFailure::ConnectFailed(detail) | HopFailure::Other(detail) => {
                        CheckProblem::Connection { hop, detail }
                    }
                };
                let mut walk = end(chain, problem);
                walk.first_dial_failed = dial && hop == 1;
                return walk;
            }
            Err(_) => {
                chain.push(record);
                return end(
                    chain,
                    CheckProblem::Timeout {
                        hop,
                        limit: options.timeout,
                    },
                );
            }
        };
        let status = response.status;
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            record.answer = HopAnswer::Redirect {
                status,
                location: response
                    .location
                    .as_deref()
                    .map(|location| escaped_bytes(location, 200))
                    .unwrap_or_default(),
            };
            chain.push(record);
            let next = match follow(&url, status, response.location.as_deref(), &visited) {
                Ok(next) => next,
                Err(reason) => return end(chain, CheckProblem::RedirectRefused { hop, reason }),
            };
            address = match next_address(dns, options, &next.host, next.port, deadline).await {
                Ok(address) => address,
                Err(problem) => return end(chain, problem),
            };
            url = next.url;
            host = next.host;
            continue;
        }
        if status != 200 {
            record.answer = HopAnswer::Status(status);
            chain.push(record);
            return end(chain, CheckProblem::Status { hop, status });
        }
        let matches = response.body.len() < MAX_BODY && key.matches(&response.body);
        record.answer = HopAnswer::KeyAuthorization { matches };
        chain.push(record);
        if response.body.len() >= MAX_BODY {
            return end(chain, CheckProblem::BodyTooLong { hop });
        }
        if !matches {
            return end(
                chain,
                CheckProblem::WrongBody {
                    hop,
                    received: format!("\"{}\"", escaped_bytes(&response.body, 60)),
                },
            );
        }
        return Walk {
            chain,
            outcome: CheckOutcome::Ready { redirects: hop - 1 },
            first_dial_failed: false,
        };
    }
}

/// Where the CA connects for a redirect to `host` on `ca_port` (80 or 443).
async fn next_address(
    dns: &Dns,
    options: &CheckOptions,
    host: &str,
    ca_port: u16,
    deadline: Instant,
) -> Result<SocketAddr, CheckProblem> {
    if let Some(address) = options.resolve.get_port(host, ca_port) {
        return Ok(address);
    }
    let port = if ca_port == HTTPS_PORT {
        options.ports.https
    } else {
        options.ports.http
    };
    match tokio::time::timeout_at(deadline, dns.first_address(host)).await {
        Ok(Ok(ip)) => Ok(SocketAddr::new(ip, port)),
        Ok(Err(error)) => Err(dns_problem(host, error)),
        Err(_) => Err(CheckProblem::DnsFailure {
            host: host.to_string(),
            detail: "timed out".to_string(),
        }),
    }
}

/// The named outcome of a lookup that found no address.
pub fn dns_problem(host: &str, error: LookupError) -> CheckProblem {
    let host = host.to_string();
    match error {
        LookupError::NxDomain => CheckProblem::NoAddress {
            host,
            nxdomain: true,
        },
        LookupError::NoRecords => CheckProblem::NoAddress {
            host,
            nxdomain: false,
        },
        LookupError::ServFail => CheckProblem::ServFail { host },
        LookupError::Failure(detail) => CheckProblem::DnsFailure { host, detail },
    }
}
