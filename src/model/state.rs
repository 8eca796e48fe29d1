//! Where a request (or one of its domains) stands, in words: the same few states whichever
//! API wrote the status, decided where each API's words are understood.

use serde::{Deserialize, Serialize};

/// Where a request stands, for sorting, counting and highlighting. The API's own status
/// text is always what is shown beside it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum RequestState {
    /// The operator has to act (SPS `Awaiting User`, a CPS change awaiting input).
    AwaitingUser,
    #[default]
    InProgress,
    Failed,
    Complete,
}

impl RequestState {
    pub fn is_terminal(self) -> bool {
        matches!(self, RequestState::Failed | RequestState::Complete)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestState::AwaitingUser => "awaiting you",
            RequestState::InProgress => "in progress",
            RequestState::Failed => "failed",
            RequestState::Complete => "complete",
        }
    }
}
