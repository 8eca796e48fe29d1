//! What a list that arrived from the API changes: the pair's data, the history of what
//! changed in it, the cache on disk, and the lost submissions it may account for.

use chrono::{DateTime, Utc};

use super::arrived_list::ArrivedList;
use super::{App, Effect};
use crate::edgegrid::ApiError;
use crate::model::Scope;
use crate::model::transition::diff_matched;

/// How long a list that changed nothing may go unsaved: the cache's time then says when the
/// data was last confirmed, at most this much too early (issue 12: at 100,000 requests,
/// writing every pair's list at every poll was ~1.6 MB/s of disk writes and a tenth of the
/// dashboard's time, to save what the file already held).
const CACHE_CONFIRM_SECS: i64 = 600;

fn dataset_cache_due(dataset: &super::Dataset, at: DateTime<Utc>) -> bool {
    dataset
        .cache_saved_at
        .is_none_or(|saved| (at - saved).num_seconds() >= CACHE_CONFIRM_SECS)
}

impl App {
    pub(super) fn on_list(
        &mut self,
        pair: Scope,
        at: DateTime<Utc>,
        outcome: Result<ArrivedList, ApiError>,
        failures: u32,
    ) -> Vec<Effect> {
        let Some(index) = self.dataset_index(&pair) else {
            return Vec::new();
        };
        // The open detail's request keeps its parameters whole; the rest are compacted.
        let open_detail = self
            .detail()
            .filter(|detail| detail.pair == pair)
            .map(|detail| detail.id);
        match outcome {
            Ok(list) if !self.datasets[index].can_take(&list) => {
                // Read against a memory of a list this dataset does not show: nothing
                // changes here, and the poller reads the list again, every item.
                vec![Effect::ReadListWhole(pair)]
            }
            Ok(list) => {
                let dataset = &mut self.datasets[index];
                let changes = if dataset.is_loaded() {
                    let had_data = !dataset.requests.is_empty();
                    let changed = dataset.changed_in(&list);
                    diff_matched(dataset.shared_pair(), changed, had_data, at)
                } else {
                    Vec::new()
                };
                let replaced = dataset.replace_keeping(list, open_detail);
                dataset.freshness.fetched_at = Some(at);
                dataset.freshness.from_cache = false;
                dataset.freshness.failures = 0;
                dataset.freshness.last_error = None;
                let saved = std::sync::Arc::clone(&dataset.requests);
                if replaced.in_place {
                    self.bump_rows_in_place(index, &replaced.moved);
                } else {
                    self.bump_data();
                }
                // After the replacement: an unread item's request is the one kept.
                let mut reconciled = self.reconcile_lost(&pair, &saved[..]);
                reconciled.extend(self.lost_alert(&pair, at));
                reconciled.extend(self.api_answered_alert(at));
                let changed = replaced.changed_anything();
                let mut effects = Vec::new();
                if !replaced.forget.is_empty() {
                    effects.push(Effect::ForgetListItems {
                        pair: pair.clone(),
                        ids: replaced.forget,
                    });
                }
                if changed || dataset_cache_due(&self.datasets[index], at) {
                    self.datasets[index].cache_saved_at = Some(at);
                    effects.push(Effect::SaveCache {
                        pair,
                        fetched_at: at,
                        requests: saved,
                    });
                }
                effects.extend(Effect::free(replaced.discarded));
                effects.extend(self.announce(changes));
                effects.extend(reconciled);
                effects
            }
            Err(error) => {
                let dataset = &mut self.datasets[index];
                dataset.freshness.failures = failures.max(1);
                dataset.freshness.last_error = Some(error.to_string());
                let source = dataset.label();
                self.record_error_at(at, source, error.to_string());
                self.api_failed_alert(at, &error.to_string())
                    .into_iter()
                    .collect()
            }
        }
    }
}
