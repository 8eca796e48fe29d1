//! What one domain's check found, in words an operator acts on.

use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub domain: String,
    pub outcome: Outcome,
    pub elapsed: Duration,
    /// The address the check connected to (or tried last).
    pub address: Option<SocketAddr>,
}

impl CheckResult {
    pub fn is_ready(&self) -> bool {
        matches!(self.outcome, Outcome::Ready(_))
    }

    /// `ready: 301 to redirectPath (12 ms)` — what a domain row shows.
    pub fn summary(&self) -> String {
        format!("{} ({} ms)", self.outcome, self.elapsed.as_millis())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ready(Ready),
    NotReady(Problem),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// A redirect whose Location is the redirectPath.
    Redirect { status: u16 },
    /// A 200 whose body is the responseBody (the token served directly).
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// SPS has no challenge for this domain yet.
    NoChallenge,
    DnsFailure(String),
    ConnectionRefused,
    Timeout(Duration),
    NotFound,
    WrongRedirect {
        status: u16,
        location: Option<String>,
    },
    WrongBody {
        received: String,
    },
    /// Any other status.
    Status(u16),
    /// Any other failure to connect or read.
    Connection(String),
}

impl Outcome {
    /// The outcome without its ready/not ready prefix, for a row that shows that separately.
    pub fn detail(&self) -> String {
        match self {
            Outcome::Ready(Ready::Redirect { status }) => format!("{status} to the redirectPath"),
            Outcome::Ready(Ready::Body) => "serves the responseBody".to_string(),
            Outcome::NotReady(problem) => problem.to_string(),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Ready(Ready::Redirect { status }) => {
                write!(f, "ready: {status} to the redirectPath")
            }
            Outcome::Ready(Ready::Body) => f.write_str("ready: serves the responseBody"),
            Outcome::NotReady(problem) => write!(f, "not ready: {problem}"),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoChallenge => f.write_str("SPS has no challenge for it yet"),
            Problem::DnsFailure(detail) => write!(f, "DNS does not resolve ({detail})"),
            Problem::ConnectionRefused => f.write_str("connection refused"),
            Problem::Timeout(limit) => write!(f, "timed out after {} s", limit.as_secs_f32()),
            Problem::NotFound => f.write_str("404: no redirect rule matches the challenge path"),
            Problem::WrongRedirect {
                status,
                location: Some(location),
            } => write!(f, "{status} redirects to {location}, not the redirectPath"),
            Problem::WrongRedirect {
                status,
                location: None,
            } => write!(f, "{status} without a Location header"),
            Problem::WrongBody { received } => {
                write!(
                    f,
                    "200 but the body is not the responseBody (got {received:?})"
                )
            }
            Problem::Status(status) => write!(f, "HTTP {status} instead of a redirect"),
            Problem::Connection(detail) => write!(f, "cannot fetch: {detail}"),
        }
    }
}
