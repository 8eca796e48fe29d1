//! The embedded simulator: real HTTP on loopback, real EdgeGrid checks, a world with a clock.
//! It serves SPS v1 (optionally as Akamai does today: 410 Gone), CPS v2 (reads, and the writes
//! spsdash sends: enrollments created and updated, the input a change waits for, changes
//! cancelled) and PAPI (groups, products, edge hostnames), each body checked against its
//! published schema by the simulator's own code (`json_shape.rs`).
//!
//! `start` binds a loopback port, builds the world (the demo world, or `--requests N`
//! generated requests and/or `--enrollments N` generated CPS enrollments) and serves it until
//! the returned `RunningSim` is dropped. Each start has its
//! own random credentials; they are in `RunningSim::credentials` (and, for `spsdash sim`, the
//! `.edgerc` it writes).
//!
//! Test hooks, unsigned and outside the API (the simulator only listens on loopback):
//! - `GET /_sim/stats`: `{"calls":[{"method","route","status","count"}]}`, every API call since
//!   start by route template; a connection dropped by the `reset` fault counts as status 0.
//! - `POST /_sim/advance?seconds=N`: moves the world's clock forward.
//! - `POST /_sim/validate?domain=D`: the operator fixed D; its open challenges (SPS requests and
//!   CPS changes) pass shortly after.
//! - `GET /_sim/clock`: the world's time and speed.
//! - `POST /_sim/deployed-certificate?enrollment=ID&network=N` (body: PEM): that deployment
//!   carries this certificate from now on (served-certificate tests).

mod answers;
mod auth;
pub mod clock;
mod connection;
pub mod control;
mod cps;
mod cps_book;
mod cps_change;
mod cps_demo;
mod cps_http;
mod cps_info;
mod cps_input;
mod cps_json;
mod cps_names;
mod cps_native_wire;
mod cps_scale;
mod cps_shapes;
mod cps_stories;
mod cps_submit;
mod cps_wire;
mod cps_world;
mod cps_writes;
mod demo;
mod deployed_book;
pub mod faults;
pub mod form;
mod generator;
mod handlers;
mod hooks;
mod json_shape;
pub mod lifecycle;
mod papi;
mod papi_book;
mod papi_create;
mod papi_http;
mod server;
mod shared;
pub mod signature;
pub mod stats;
mod stories;
pub mod validate;
mod wire;
pub mod world;
mod world_checks;
mod world_file;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use rand::Rng;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::edgegrid::{Credentials, DEFAULT_MAX_BODY, Secret};
pub use clock::WorldClock;
use connection::{ConnectionSwitch, KillableListener};
use faults::{FaultDice, Faults};
pub use papi_book::EdgeHostname;
pub use shared::Served;
use shared::Shared;
pub use stats::CallCount;

#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Must be a loopback address; port 0 picks a free one.
    pub listen: SocketAddr,
    pub seed: u64,
    /// 1.0 = real time; 0 = a clock that moves only through `/_sim/advance`.
    pub speed: f64,
    /// Generate a world of this many requests instead of the demo world.
    pub requests: Option<usize>,
    /// `error500=P,ratelimit=P,reset=P,malformed=P,latency-ms=N`.
    pub faults: Option<String>,
    /// Generate this many CPS enrollments, spread evenly over four contracts, instead of the
    /// demo's hand-picked ones (the SPS side then holds only `requests`, if given).
    pub enrollments: Option<usize>,
    /// Every SPS route answers 410 Gone, as Akamai's has since SPS was turned off.
    pub sps_gone: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 7,
            speed: 60.0,
            requests: None,
            faults: None,
            enrollments: None,
            sps_gone: false,
        }
    }
}

/// Why the simulator did not start; each says what to do instead.
#[derive(Debug)]
pub enum SimError {
    NotLoopback(SocketAddr),
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    Faults(String),
    World(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::NotLoopback(addr) => write!(
                f,
                "the simulator only listens on loopback; {addr} is not a loopback address \
                 (use 127.0.0.1:PORT)"
            ),
            SimError::Bind { addr, source } => {
                write!(
                    f,
                    "cannot listen on {addr}: {source} (try port 0 for a free one)"
                )
            }
            SimError::Faults(why) => write!(f, "bad --faults: {why}"),
            SimError::World(why) => write!(f, "cannot build the simulated world: {why}"),
        }
    }
}

impl std::error::Error for SimError {}

/// So callers that used the skeleton's `Result<_, String>` keep working.
impl From<SimError> for String {
    fn from(error: SimError) -> Self {
        error.to_string()
    }
}

/// A simulator serving on loopback; dropping it (or `shutdown`) stops the server.
pub struct RunningSim {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Credentials the simulator accepts, with `host` = `base_url`.
    pub credentials: Credentials,
    /// The world's clock (tests advance it directly).
    pub clock: WorldClock,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningSim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSim")
            .field("addr", &self.addr)
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl RunningSim {
    /// Moves the world's clock forward.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(chrono::Duration::seconds(seconds));
    }

    /// The operator fixed `domain` (as `POST /_sim/validate` says): the SPS requests and CPS
    /// changes waiting for its challenge check it again shortly.
    pub fn validate_domain(&self, domain: &str) -> Served {
        self.shared.serve_domain(domain)
    }

    /// The calls counted so far (what `GET /_sim/stats` shows).
    pub fn calls(&self) -> Vec<CallCount> {
        self.shared.stats.calls()
    }

    /// The edge hostnames PAPI holds, with what their create request said (`certEnrollmentId`
    /// among it, which PAPI's own answers do not repeat).
    pub fn edge_hostnames(&self) -> Vec<EdgeHostname> {
        self.shared.world().papi.all().to_vec()
    }

    /// The (contract, group) pairs the credentials are granted.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.shared.world().pairs()
    }

    /// The contracts of the account's groups (without `ctr_`), each once: the scopes of CPS.
    pub fn contracts(&self) -> Vec<String> {
        self.shared.world().contract_ids()
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn start(options: SimOptions) -> Result<RunningSim, SimError> {
    if !options.listen.ip().is_loopback() {
        return Err(SimError::NotLoopback(options.listen));
    }
    let faults = match options.faults.as_deref() {
        Some(spec) => Faults::parse(spec).map_err(SimError::Faults)?,
        None => Faults::default(),
    };
    let now = Utc::now();
    let mut world = match (options.requests, options.enrollments) {
        (Some(count), _) => demo::generated_world(options.seed, count, now)?,
        // A CPS-only account at scale: the groups of the demo, no SPS requests.
        (None, Some(_)) => demo::generated_world(options.seed, 0, now)?,
        (None, None) => demo::demo_world(options.seed, now)?,
    };
    if let Some(count) = options.enrollments {
        demo::add_generated_enrollments(&mut world, options.seed, count, now)?;
    }
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|source| SimError::Bind {
            addr: options.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SimError::Bind {
        addr: options.listen,
        source,
    })?;
    let base_url = format!("http://{addr}");
    let credentials = fresh_credentials(&base_url);
    let clock = WorldClock::new(now, options.speed);
    let shared = Arc::new(Shared {
        world: Mutex::new(world),
        clock: clock.clone(),
        credentials: credentials.clone(),
        nonces: Mutex::new(auth::NonceBook::default()),
        stats: stats::Stats::default(),
        dice: FaultDice::new(faults, options.seed),
        addr,
        sps_gone: options.sps_gone,
        deployed: Default::default(),
    });
    let app =
        server::router(shared.clone()).into_make_service_with_connect_info::<ConnectionSwitch>();
    let (stop, stopped) = oneshot::channel::<()>();
    let serve = axum::serve(KillableListener::new(listener), app).with_graceful_shutdown(async {
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move {
        if let Err(error) = serve.await {
            tracing::warn!("simulator stopped: {error}");
        }
    });
    Ok(RunningSim {
        addr,
        base_url,
        credentials,
        clock,
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Random per start: nothing to leak, nothing to collide between parallel tests.
fn fresh_credentials(base_url: &str) -> Credentials {
    let mut rng = rand::rng();
    let mut text = |length: usize| -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..length)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect()
    };
    let client_token = format!("akab-{}-{}", text(16), text(16));
    let access_token = format!("akab-{}-{}", text(16), text(16));
    let client_secret = format!("{}=", text(43));
    Credentials {
        host: base_url.to_string(),
        client_token: Secret::new(client_token),
        client_secret: Secret::new(client_secret),
        access_token: Secret::new(access_token),
        max_body: DEFAULT_MAX_BODY,
        headers_to_sign: Vec::new(),
        account_key: None,
    }
}
