//! A server clock ahead of ours (issue 28). On screen a time in the future reads "just now";
//! that the API's clock is ahead is said once, in the errors list, the first time a list holds
//! a change more than five minutes after the moment the list arrived. The demo's world clock
//! (`api_now`) is the API's own and never counts as ahead.

use chrono::{DateTime, Duration, Utc};

use super::App;
use crate::model::Scope;

/// How far ahead a server's clock may be before it is said: less is ordinary drift.
const TOLERATED_MINUTES: i64 = 5;

impl App {
    /// After `pair`'s list arrived at `at` (our clock): says once that the API's is ahead.
    pub(super) fn note_clock_ahead(&mut self, pair: &Scope, at: DateTime<Utc>) {
        if self.api_now.is_some() || self.notices.clock_ahead_told {
            return;
        }
        let newest = self
            .datasets
            .iter()
            .filter(|dataset| &dataset.pair == pair)
            .flat_map(|dataset| dataset.rows.iter())
            .filter_map(|row| row.last_change)
            .max();
        let Some(newest) = newest else { return };
        let ahead = newest.signed_duration_since(at);
        if ahead <= Duration::minutes(TOLERATED_MINUTES) {
            return;
        }
        self.notices.clock_ahead_told = true;
        self.record_error_at(
            at,
            "clock".to_string(),
            format!(
                "the API's clock is about {} min ahead of this machine's (a change stamped {}); \
                 times ahead of ours read \"just now\"",
                ahead.num_minutes(),
                newest.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        );
    }
}
