//! One request of a chain, as the CA sends it: GET with `Accept: */*` and an honest
//! User-Agent, to an address chosen beforehand (so `--resolve` and the CA's IPv6/IPv4 choice
//! apply), no redirect followed, certificate errors ignored (the CA ignores them on redirect
//! targets), and at most 128 bytes of the body read.

use std::error::Error as _;
use std::net::SocketAddr;
use std::time::Duration;

use reqwest::header::{ACCEPT, LOCATION};
use reqwest::redirect::Policy;
use url::Url;

use super::keyauth::MAX_BODY;

pub const USER_AGENT: &str = concat!(
    "spsdash/",
    env!("CARGO_PKG_VERSION"),
    " (HTTP-01 readiness check, like Let's Encrypt's validation)"
);

/// What one hop answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopResponse {
    pub status: u16,
    /// The raw Location header, if any.
    pub location: Option<Vec<u8>>,
    /// For a 200: the first bytes of the body (at most `MAX_BODY`).
    pub body: Vec<u8>,
}

/// Why a hop got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HopFailure {
    /// Connecting failed (refused, unreachable): the only failure the CA falls back after.
    Refused,
    ConnectFailed(String),
    TimedOut,
    /// The connection broke after it was made, or the answer was not HTTP.
    Other(String),
}

impl HopFailure {
    /// A network-level failure of the connection itself (Boulder's "dial" errors).
    pub fn is_dial(&self) -> bool {
        matches!(self, HopFailure::Refused | HopFailure::ConnectFailed(_))
    }
}

/// Fetches `url` from `address`, keeping the URL's host for Host and SNI.
pub async fn fetch(
    url: &Url,
    host: &str,
    address: SocketAddr,
    limit: Duration,
) -> Result<HopResponse, HopFailure> {
    crate::edgegrid::install_crypto_provider();
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .no_proxy()
        .connect_timeout(limit)
        .timeout(limit)
        .user_agent(USER_AGENT)
        .resolve(host, address)
        .tls_danger_accept_invalid_certs(true)
        .pool_max_idle_per_host(0)
        .build()
        .map_err(|error| HopFailure::Other(format!("cannot build an HTTP client: {error}")))?;
    let mut response = client
        .get(url.clone())
        .header(ACCEPT, "*/*")
        .send()
        .await
        .map_err(|error| classify(&error))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|value| value.as_bytes().to_vec());
    let mut body = Vec::new();
    if status == 200 {
        // Read no more than the CA does: an endless or huge body costs 128 bytes.
        while body.len() < MAX_BODY {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_BODY - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                Err(error) => return Err(classify(&error)),
            }
        }
    }
    Ok(HopResponse {
        status,
        location,
        body,
    })
}

/// Names the failure: refused, other connect failure, timeout, or the error chain.
fn classify(error: &reqwest::Error) -> HopFailure {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return HopFailure::Refused,
                std::io::ErrorKind::TimedOut => return HopFailure::TimedOut,
                _ => {}
            }
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return HopFailure::TimedOut;
    }
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    let detail = super::chain::escaped(&detail, 200);
    if error.is_connect() {
        HopFailure::ConnectFailed(detail)
    } else {
        HopFailure::Other(detail)
    }
}
