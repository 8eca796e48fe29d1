//! The status changes of each request seen so far (live and from the journal), newest last,
//! at most `HISTORY_PER_REQUEST` each: what the detail's History shows.
//!
//! Kept per pair, then per request: a list of a 100,000-request account can bring thousands
//! of changes of one pair at once (issue 12), and keying each by a copy of its pair cost an
//! allocation and a hash of two texts per change; a run of changes of one pair finds the
//! pair's map once.

use std::collections::HashMap;

use crate::sps::history::Transition;
use crate::sps::model::GroupContract;

use super::HISTORY_PER_REQUEST;

#[derive(Debug, Default)]
pub struct TransitionHistory {
    by_pair: HashMap<GroupContract, HashMap<u64, Vec<Transition>>>,
}

impl TransitionHistory {
    /// The changes of one request, oldest first.
    pub fn of(&self, pair: &GroupContract, sps_id: u64) -> &[Transition] {
        self.by_pair
            .get(pair)
            .and_then(|requests| requests.get(&sps_id))
            .map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.by_pair.values().all(HashMap::is_empty)
    }

    pub fn clear(&mut self) {
        self.by_pair.clear();
    }

    /// Appends each change to its request's history, dropping the oldest beyond the limit.
    pub fn record(&mut self, changes: impl IntoIterator<Item = Transition>) {
        let mut changes = changes.into_iter().peekable();
        while let Some(first) = changes.next() {
            let pair = std::sync::Arc::clone(&first.pair);
            let requests = match self.by_pair.get_mut(&*pair) {
                Some(requests) => requests,
                None => self.by_pair.entry((*pair).clone()).or_default(),
            };
            append(requests, first);
            // The changes that follow of the same pair (one read's, usually all) use its map.
            while let Some(change) = changes.next_if(|next| *next.pair == *pair) {
                append(requests, change);
            }
        }
    }

    /// Puts each history of `pair`'s requests named in `sps_ids` in time order (earlier
    /// runs' entries may arrive after changes seen live).
    pub fn sort_by_time(&mut self, pair: &GroupContract, sps_ids: impl IntoIterator<Item = u64>) {
        let Some(requests) = self.by_pair.get_mut(pair) else {
            return;
        };
        for sps_id in sps_ids {
            if let Some(entries) = requests.get_mut(&sps_id) {
                entries.sort_by_key(|transition| transition.at);
            }
        }
    }
}

fn append(requests: &mut HashMap<u64, Vec<Transition>>, change: Transition) {
    let entries = requests.entry(change.sps_id).or_default();
    if entries.len() >= HISTORY_PER_REQUEST {
        entries.remove(0);
    }
    entries.push(change);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;

    fn change(pair: &Arc<GroupContract>, sps_id: u64, second: u32, to: &str) -> Transition {
        Transition {
            at: Utc
                .with_ymd_and_hms(2026, 12, 1, 12, 0, second)
                .single()
                .expect("valid"),
            pair: Arc::clone(pair),
            sps_id,
            domain: None,
            from: None,
            to: to.to_string().into(),
        }
    }

    #[test]
    fn each_request_keeps_its_own_changes_under_its_own_pair() {
        let web = Arc::new(GroupContract::new("C-1", "1"));
        let shop = Arc::new(GroupContract::new("C-2", "2"));
        let mut history = TransitionHistory::default();
        assert!(history.is_empty());
        // Runs of one pair, then another, then the first again, and the same id in both.
        history.record([
            change(&web, 1, 0, "a"),
            change(&web, 2, 1, "b"),
            change(&shop, 1, 2, "c"),
            change(&web, 1, 3, "d"),
        ]);
        let tos = |pair: &GroupContract, id: u64| -> Vec<String> {
            history
                .of(pair, id)
                .iter()
                .map(|change| change.to.to_string())
                .collect()
        };
        assert_eq!(tos(&web, 1), ["a", "d"]);
        assert_eq!(tos(&web, 2), ["b"]);
        assert_eq!(tos(&shop, 1), ["c"]);
        assert!(tos(&shop, 2).is_empty());
        assert!(!history.is_empty());
        history.clear();
        assert!(history.is_empty());
    }

    #[test]
    fn a_history_keeps_the_newest_up_to_its_limit_and_can_be_put_in_time_order() {
        let web = Arc::new(GroupContract::new("C-1", "1"));
        let mut history = TransitionHistory::default();
        let many =
            (0..HISTORY_PER_REQUEST + 3).map(|i| change(&web, 7, (i % 60) as u32, &i.to_string()));
        history.record(many);
        let kept = history.of(&web, 7);
        assert_eq!(kept.len(), HISTORY_PER_REQUEST);
        assert_eq!(kept[0].to, "3");
        // An earlier run's change arriving late goes first once sorted.
        history.record([change(&web, 7, 0, "earlier")]);
        history.sort_by_time(&web, [7]);
        assert_eq!(history.of(&web, 7)[0].at.timestamp() % 60, 0);
        assert!(history.of(&web, 7).windows(2).all(|w| w[0].at <= w[1].at));
    }
}
