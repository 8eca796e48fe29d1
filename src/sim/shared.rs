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

/// Everything a route may read or change; one per running simulator.
pub struct Shared {
    pub world: Mutex<World>,
    pub clock: WorldClock,
    pub credentials: Credentials,
    pub nonces: Mutex<NonceBook>,
    pub stats: Stats,
    pub dice: FaultDice,
    pub addr: SocketAddr,
}

impl Shared {
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The world with every request created by `now` in it.
    pub fn world_at(&self, now: chrono::DateTime<Utc>) -> std::sync::MutexGuard<'_, World> {
        let mut world = self.world();
        world.catch_up(now);
        world
    }
}
