//! The simulator's state, shared by every route: the world and its clock, the credentials it
//! accepts, the nonces it has seen, its statistics and fault dice.

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use chrono::Utc;

use super::auth::NonceBook;
use super::clock::WorldClock;
use super::faults::FaultDice;
use super::stats::Stats;
use super::world::World;
use crate::edgegrid::Credentials;

/// What serving a domain's challenge moved on: the SPS requests and the CPS enrollments
/// (of the CPS world's own; those SPS made follow their requests) whose challenge reopens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Served {
    pub sps_ids: Vec<u64>,
    pub enrollment_ids: Vec<u64>,
}

impl Served {
    pub fn is_empty(&self) -> bool {
        self.sps_ids.is_empty() && self.enrollment_ids.is_empty()
    }
}

/// Everything a route may read or change; one per running simulator.
pub struct Shared {
    pub world: Mutex<World>,
    pub clock: WorldClock,
    pub credentials: Credentials,
    pub nonces: Mutex<NonceBook>,
    pub stats: Stats,
    pub dice: FaultDice,
    pub addr: SocketAddr,
    /// Every SPS route answers 410 Gone, as Akamai's has since 2023-01-03.
    pub sps_gone: bool,
    /// Certificates tests put into deployments (`/_sim/deployed-certificate`).
    pub deployed: super::deployed_book::DeployedCertificates,
}

impl Shared {
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The operator served `domain`'s challenge (`/_sim/validate`): every open challenge for
    /// it, SPS request or CPS change, is checked again shortly.
    pub fn serve_domain(&self, domain: &str) -> Served {
        let now = self.clock.now();
        let mut world = self.world_at(now);
        Served {
            sps_ids: world.fix_domain(domain, now),
            enrollment_ids: world.cps.fix_domain(domain, now),
        }
    }

    /// The world with every request created by `now` in it.
    pub fn world_at(&self, now: chrono::DateTime<Utc>) -> std::sync::MutexGuard<'_, World> {
        let mut world = self.world();
        world.catch_up(now);
        world
    }
}
