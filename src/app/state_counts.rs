//! How many requests of a pair are in each state: the sidebar's figures, and whether the
//! poller may slow down.

use crate::model::RequestState;

/// How many requests of a pair are in each state (sidebar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub awaiting: usize,
    pub in_progress: usize,
    pub failed: usize,
    pub complete: usize,
}

impl StateCounts {
    pub(crate) fn count(&mut self, state: RequestState) {
        match state {
            RequestState::AwaitingUser => self.awaiting += 1,
            RequestState::InProgress => self.in_progress += 1,
            RequestState::Failed => self.failed += 1,
            RequestState::Complete => self.complete += 1,
        }
    }

    /// No request can change any more.
    pub fn all_terminal(&self) -> bool {
        self.awaiting == 0 && self.in_progress == 0
    }

    pub fn total(&self) -> usize {
        self.awaiting + self.in_progress + self.failed + self.complete
    }

    pub fn add(&mut self, other: &StateCounts) {
        self.awaiting += other.awaiting;
        self.in_progress += other.in_progress;
        self.failed += other.failed;
        self.complete += other.complete;
    }
}
