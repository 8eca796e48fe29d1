//! The dashboard's poller source (`Backend`), with each call counted into the exporter's
//! state as it ends: list calls and how long they took, change reads, and every outcome
//! for the API's health. It makes no call of its own: the poller's schedule and the account's
//! pacer decide every one, as in the dashboard.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use chrono::Utc;

use super::state::{CallFailure, MetricsState};
use crate::app::ListMemory;
use crate::edgegrid::ApiError;
use crate::model::{CertRequest, ReadList, Scope};
use crate::poll::Source;
use crate::source::Backend;

/// The exporter's state, shared by the loop, this source and the scrape handler.
pub type Shared = Arc<Mutex<MetricsState>>;

/// The state, whatever a panicking holder left: counters and facts, no invariant spans them.
pub fn lock(shared: &Shared) -> MutexGuard<'_, MetricsState> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Clone)]
pub struct Metered {
    pub backend: Backend,
    pub state: Shared,
}

impl Metered {
    fn outcome<T>(&self, result: &Result<T, ApiError>) -> Result<(), CallFailure> {
        result.as_ref().map(|_| ()).map_err(CallFailure::of)
    }
}

impl Source for Metered {
    async fn list(&self, pair: &Scope, memory: Arc<ListMemory>) -> Result<ReadList, ApiError> {
        let started = Instant::now();
        let result = <Backend as Source>::list(&self.backend, pair, memory).await;
        let outcome = self.outcome(&result);
        let now = Utc::now();
        let mut state = lock(&self.state);
        state.poller.list_calls += 1;
        state.poller.list_failures += u64::from(outcome.is_err());
        state.poller.last_poll = Some(started.elapsed());
        state.poller.last_poll_at = Some(now);
        state.call_outcome(outcome, now);
        result
    }

    async fn get(&self, pair: &Scope, id: u64) -> Result<CertRequest, ApiError> {
        // The exporter opens no detail; kept for the trait, counted like any call.
        let result = <Backend as Source>::get(&self.backend, pair, id).await;
        let outcome = self.outcome(&result);
        lock(&self.state).call_outcome(outcome, Utc::now());
        result
    }

    fn reads_changes(&self) -> bool {
        self.backend.reads_changes()
    }

    async fn read_next_change(&self) -> Option<(Scope, u64, Result<CertRequest, ApiError>)> {
        let read = self.backend.read_next_change().await?;
        let outcome = self.outcome(&read.2);
        let mut state = lock(&self.state);
        state.poller.change_reads += 1;
        state.poller.change_failures += u64::from(outcome.is_err());
        state.call_outcome(outcome, Utc::now());
        drop(state);
        Some(read)
    }
}
