//! Matching submissions whose answer never came against a fresh list (pure): the reducer
//! selects the request found and asks the runner to record it.

use crate::model::CertRequest;
use crate::model::Scope;
use crate::sps::submission::{Submission, match_lost};

/// Pure: finds the unresolved submissions of `pair` in its fresh list, removes them from
/// `unresolved` and returns `(submission, spsId)` for each (to flash, select and journal).
pub fn reconcile_list(
    unresolved: &mut Vec<Submission>,
    pair: &Scope,
    requests: &[CertRequest],
) -> Vec<(Submission, u64)> {
    let candidates: Vec<Submission> = unresolved
        .iter()
        .filter(|submission| submission.pair == *pair)
        .cloned()
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let matches = match_lost(&candidates, requests, &[]);
    unresolved.retain(|submission| !matches.iter().any(|(found, _)| found.id == submission.id));
    matches
}
