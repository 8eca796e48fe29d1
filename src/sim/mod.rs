//! The embedded SPS simulator: real HTTP on loopback, real EdgeGrid checks, a world with a clock.
//!
//! INTERFACE SKELETON (issue 3 fills it in).

use std::net::SocketAddr;

use crate::edgegrid::Credentials;

#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Must be a loopback address; port 0 picks a free one.
    pub listen: SocketAddr,
    pub seed: u64,
    /// 1.0 = real time.
    pub speed: f64,
    /// Generate a world of this many requests instead of the demo world.
    pub requests: Option<usize>,
    /// `error500=P,ratelimit=P,reset=P,malformed=P,latency-ms=N`.
    pub faults: Option<String>,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 7,
            speed: 60.0,
            requests: None,
            faults: None,
        }
    }
}

/// A simulator serving on loopback; dropping it (or `shutdown`) stops the server.
#[derive(Debug)]
pub struct RunningSim {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Credentials the simulator accepts, with `host` = `base_url`.
    pub credentials: Credentials,
}

pub async fn start(_options: SimOptions) -> Result<RunningSim, String> {
    todo!("issue 3")
}
