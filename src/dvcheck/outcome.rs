//! What one domain's check found, in words an operator acts on: the verdict the CA would
//! reach, the chain of hops behind it, each address family's own result and the DNS answers.

use std::net::SocketAddr;
use std::time::Duration;

use super::chain::{Hop, chain_text};
use super::records::DnsFacts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub domain: String,
    pub outcome: CheckOutcome,
    pub elapsed: Duration,
    /// The address the first hop of the CA's chain went to (or was tried last).
    pub address: Option<SocketAddr>,
    /// The hops of the chain the CA would follow (empty when nothing was fetched).
    pub chain: Vec<Hop>,
    /// Each address family's own result; the CA's verdict is the one marked `used_by_ca`.
    pub families: Vec<FamilyResult>,
    /// What DNS answered (absent when `--resolve` fixed the address or nothing was asked).
    pub dns: Option<DnsFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V6,
    V4,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::V6 => "IPv6",
            Family::V4 => "IPv4",
        }
    }
}

/// One address family's walk of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyResult {
    pub family: Family,
    pub address: SocketAddr,
    pub outcome: CheckOutcome,
    pub chain: Vec<Hop>,
    /// True for the family whose result is the CA's verdict.
    pub used_by_ca: bool,
}

impl CheckResult {
    /// Ready for the CA: the key authorization is served, or Akamai answers it itself.
    pub fn is_ready(&self) -> bool {
        matches!(
            self.outcome,
            CheckOutcome::Ready { .. } | CheckOutcome::Automatic { .. }
        )
    }

    /// `ready: 200 key authorization after 1 redirect (12 ms)` — what a domain row shows.
    pub fn summary(&self) -> String {
        format!("{} ({} ms)", self.outcome, self.elapsed.as_millis())
    }

    /// The chain as one line: `http://a/… → 301 http://dcv.akamai.com/… → 200 key authorization ✓`.
    pub fn chain_line(&self) -> Option<String> {
        (!self.chain.is_empty()).then(|| chain_text(&self.chain))
    }

    /// What the other address family did, when it differs from the CA's verdict: the CA
    /// falls back from IPv6 to IPv4 only when connecting fails, never after an HTTP answer.
    pub fn family_note(&self) -> Option<String> {
        let used = self.families.iter().find(|family| family.used_by_ca)?;
        let other = self.families.iter().find(|family| !family.used_by_ca)?;
        if other.outcome == used.outcome {
            return None;
        }
        let other_says = if matches!(other.outcome, CheckOutcome::Ready { .. }) {
            "ready".to_string()
        } else {
            other.outcome.detail()
        };
        let why = match (used.family, other.family) {
            (Family::V6, Family::V4) => {
                "the CA tries IPv6 first and falls back to IPv4 only when it cannot connect"
            }
            _ => "the CA could not connect over IPv6, so it fell back to IPv4",
        };
        Some(format!(
            "{} {} would say: {other_says}; {why}",
            other.family.name(),
            other.address.ip()
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The chain ends in a 200 whose body is the key authorization.
    Ready {
        redirects: usize,
    },
    /// The domain is CNAMEd to an Akamai edge hostname: Akamai answers the challenge itself.
    Automatic {
        edge_hostname: String,
    },
    NotReady(CheckProblem),
}

/// Why a redirect is not followed, in the CA's own terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectRefusal {
    /// 303 and other 3xx: the Baseline Requirements allow 301, 302, 307 and 308 only.
    Status(u16),
    MissingLocation,
    /// The Location is not a URL (shown escaped).
    BadLocation(String),
    Scheme(String),
    Port(u16),
    IpLiteral(String),
    /// `https://example.com.well-known/…`: a `/` missing in the redirect rule.
    WellKnownHost(String),
    Loop(String),
    TooMany,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckProblem {
    /// SPS has no challenge for this domain yet.
    NoChallenge,
    /// NXDOMAIN (`nxdomain`) or a name with neither A nor AAAA records.
    NoAddress {
        host: String,
        nxdomain: bool,
    },
    /// The DNS server answered SERVFAIL.
    ServFail {
        host: String,
    },
    /// DNS could not be asked or gave another error.
    DnsFailure {
        host: String,
        detail: String,
    },
    /// CAA at `at` does not authorise Let's Encrypt; `issuers` are the ones it names.
    CaaBlocked {
        at: String,
        issuers: Vec<String>,
        critical_tag: Option<String>,
    },
    /// The CAA lookup failed: the CA refuses to issue then, so this is not "allowed".
    CaaLookupFailed {
        at: String,
        detail: String,
    },
    ConnectionRefused {
        hop: usize,
        address: SocketAddr,
    },
    Timeout {
        hop: usize,
        limit: Duration,
    },
    /// Any other failure to connect or read at a hop.
    Connection {
        hop: usize,
        detail: String,
    },
    /// A final answer other than 200 (404: no rule matches the challenge path).
    Status {
        hop: usize,
        status: u16,
    },
    RedirectRefused {
        hop: usize,
        reason: RedirectRefusal,
    },
    /// 200 but the body is not the key authorization (`received` is escaped, shortened).
    WrongBody {
        hop: usize,
        received: String,
    },
    /// The CA reads 128 bytes and fails a body that long.
    BodyTooLong {
        hop: usize,
    },
}

impl CheckOutcome {
    /// The outcome without its ready/not ready prefix, for a row that shows that separately.
    pub fn detail(&self) -> String {
        match self {
            CheckOutcome::Ready { redirects: 0 } => "200 serves the key authorization".to_string(),
            CheckOutcome::Ready { redirects: 1 } => {
                "200 key authorization after 1 redirect".to_string()
            }
            CheckOutcome::Ready { redirects } => {
                format!("200 key authorization after {redirects} redirects")
            }
            CheckOutcome::Automatic { edge_hostname } => {
                format!("automatic (CNAME → {edge_hostname})")
            }
            CheckOutcome::NotReady(problem) => problem.to_string(),
        }
    }
}

impl CheckOutcome {
    /// A few words for a table cell: `ready`, `automatic · CNAME`, `blocked · CAA`,
    /// `404 at hop 1`. The whole reason is `detail()`.
    pub fn short(&self) -> String {
        let problem = match self {
            CheckOutcome::Ready { .. } => return "ready".to_string(),
            CheckOutcome::Automatic { .. } => return "automatic · CNAME".to_string(),
            CheckOutcome::NotReady(problem) => problem,
        };
        match problem {
            CheckProblem::NoChallenge => "no challenge yet".to_string(),
            CheckProblem::NoAddress { nxdomain: true, .. } => "NXDOMAIN".to_string(),
            CheckProblem::NoAddress { .. } => "no address".to_string(),
            CheckProblem::ServFail { .. } => "SERVFAIL".to_string(),
            CheckProblem::DnsFailure { .. } => "DNS failed".to_string(),
            CheckProblem::CaaBlocked { .. } => "blocked · CAA".to_string(),
            CheckProblem::CaaLookupFailed { .. } => "CAA lookup failed".to_string(),
            CheckProblem::ConnectionRefused { hop, .. } => format!("refused at hop {hop}"),
            CheckProblem::Timeout { hop, .. } => format!("timeout at hop {hop}"),
            CheckProblem::Connection { hop, .. } => format!("no answer at hop {hop}"),
            CheckProblem::Status { hop, status } => format!("{status} at hop {hop}"),
            CheckProblem::RedirectRefused { hop, .. } => format!("bad redirect at hop {hop}"),
            CheckProblem::WrongBody { hop, .. } => format!("wrong body at hop {hop}"),
            CheckProblem::BodyTooLong { hop } => format!("body too long at hop {hop}"),
        }
    }
}

impl std::fmt::Display for CheckOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckOutcome::Ready { .. } => write!(f, "ready: {}", self.detail()),
            CheckOutcome::Automatic { .. } => f.write_str(&self.detail()),
            CheckOutcome::NotReady(problem) => write!(f, "not ready: {problem}"),
        }
    }
}

impl std::fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectRefusal::Status(status) => write!(
                f,
                "{status} is not a redirect the CA follows (only 301, 302, 307, 308)"
            ),
            RedirectRefusal::MissingLocation => f.write_str("redirect without a Location header"),
            RedirectRefusal::BadLocation(location) => {
                write!(f, "Location {location} is not a valid URL")
            }
            RedirectRefusal::Scheme(scheme) => write!(
                f,
                "redirect to a {scheme}: URL: the CA only follows http and https"
            ),
            RedirectRefusal::Port(port) => {
                write!(f, "redirect to port {port}: the CA only follows 80/443")
            }
            RedirectRefusal::IpLiteral(host) => write!(
                f,
                "redirect to the IP address {host}: the CA only follows host names"
            ),
            RedirectRefusal::WellKnownHost(host) => write!(
                f,
                "redirect to host {host}: a '/' is missing in the redirect rule"
            ),
            RedirectRefusal::Loop(url) => write!(f, "redirect loop back to {url}"),
            RedirectRefusal::TooMany => f.write_str("more than 10 redirects"),
        }
    }
}

impl std::fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckProblem::NoChallenge => f.write_str("SPS has no challenge for it yet"),
            CheckProblem::NoAddress {
                host,
                nxdomain: true,
            } => write!(f, "no address: {host} does not exist in DNS (NXDOMAIN)"),
            CheckProblem::NoAddress {
                host,
                nxdomain: false,
            } => write!(f, "no address: {host} has no A or AAAA record"),
            CheckProblem::ServFail { host } => write!(
                f,
                "DNS server failure (SERVFAIL) for {host}: the CA cannot resolve it either"
            ),
            CheckProblem::DnsFailure { host, detail } => {
                write!(f, "DNS lookup of {host} failed: {detail}")
            }
            CheckProblem::CaaBlocked {
                at,
                critical_tag: Some(tag),
                ..
            } => write!(f, "blocked by CAA at {at} (unknown critical tag {tag:?})"),
            CheckProblem::CaaBlocked { at, issuers, .. } => {
                let named: Vec<String> =
                    issuers.iter().map(|issuer| format!("{issuer:?}")).collect();
                if named.is_empty() {
                    write!(f, "blocked by CAA at {at}")
                } else {
                    write!(f, "blocked by CAA at {at} (issue {})", named.join(", "))
                }
            }
            CheckProblem::CaaLookupFailed { at, detail } => write!(
                f,
                "CAA lookup at {at} failed ({detail}): the CA will not issue until it succeeds"
            ),
            CheckProblem::ConnectionRefused { hop, address } => {
                write!(f, "connection refused by {address} at hop {hop}")
            }
            CheckProblem::Timeout { hop, limit } => {
                write!(f, "timed out after {} s at hop {hop}", limit.as_secs_f32())
            }
            CheckProblem::Connection { hop, detail } => {
                write!(f, "cannot fetch hop {hop}: {detail}")
            }
            CheckProblem::Status { hop, status: 404 } => write!(
                f,
                "404 at hop {hop}: no rule or file answers the challenge path"
            ),
            CheckProblem::Status { hop, status } => write!(f, "{status} at hop {hop}"),
            CheckProblem::RedirectRefused { hop, reason } => write!(f, "{reason} (hop {hop})"),
            CheckProblem::WrongBody { hop, received } => write!(
                f,
                "body is the wrong key authorization at hop {hop} (got {received})"
            ),
            CheckProblem::BodyTooLong { hop } => write!(
                f,
                "body at hop {hop} is 128 bytes or longer: the CA reads 128 and fails it"
            ),
        }
    }
}
