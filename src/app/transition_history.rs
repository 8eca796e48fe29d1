//! The status changes of each request seen so far (live and from the journal), newest last,
//! at most `HISTORY_PER_REQUEST` each and `HISTORY_BYTES` in all: what the detail's History
//! shows. Past the byte budget the oldest changes of the whole account go first (down to three
//! quarters of it, so trimming is rare), each request keeping at least its newest change.
//!
//! Kept per pair, then per request: a list of a 100,000-request account can bring thousands
//! of changes of one pair at once (issue 12), and keying each by a copy of its pair cost an
//! allocation and a hash of two texts per change; a run of changes of one pair finds the
//! pair's map once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::Scope;
use crate::model::transition::Transition;

use super::{HISTORY_BYTES, HISTORY_PER_REQUEST};

#[derive(Debug)]
pub struct TransitionHistory {
    /// Keyed by the one copy of each pair that all its changes share.
    by_pair: HashMap<Arc<Scope>, HashMap<u64, Vec<Transition>>>,
    /// What the changes kept take, estimated (`weight`).
    bytes: usize,
    budget: usize,
}

impl Default for TransitionHistory {
    fn default() -> TransitionHistory {
        TransitionHistory::with_budget(HISTORY_BYTES)
    }
}

impl TransitionHistory {
    /// A history that keeps at most `budget` bytes (estimated) of changes.
    pub fn with_budget(budget: usize) -> TransitionHistory {
        TransitionHistory {
            by_pair: HashMap::new(),
            bytes: 0,
            budget,
        }
    }

    /// What the changes kept take, estimated.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The changes of one request, oldest first.
    pub fn of(&self, pair: &Scope, id: u64) -> &[Transition] {
        self.by_pair
            .get(pair)
            .and_then(|requests| requests.get(&id))
            .map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.by_pair.values().all(HashMap::is_empty)
    }

    pub fn clear(&mut self) {
        self.by_pair.clear();
        self.bytes = 0;
    }

    /// Appends each change to its request's history, dropping the oldest beyond the limit.
    pub fn record(&mut self, changes: impl IntoIterator<Item = Transition>) {
        let mut changes = changes.into_iter().peekable();
        while let Some(first) = changes.next() {
            // The pair's copy already kept, if any (the journal's entries each bring one).
            let pair = match self.by_pair.get_key_value(&*first.pair) {
                Some((kept, _)) => Arc::clone(kept),
                None => Arc::clone(&first.pair),
            };
            let requests = self.by_pair.entry(Arc::clone(&pair)).or_default();
            let mut bytes = self.bytes;
            append(requests, &pair, first, &mut bytes);
            // The changes that follow of the same pair (one read's, usually all) use its map.
            while let Some(change) = changes.next_if(|next| *next.pair == *pair) {
                append(requests, &pair, change, &mut bytes);
            }
            self.bytes = bytes;
        }
        if self.bytes > self.budget {
            self.trim(self.budget / 4 * 3);
        }
    }

    /// Drops the account's oldest changes until they take at most `target` bytes; each
    /// request keeps its newest change whatever its age.
    fn trim(&mut self, target: usize) {
        let mut droppable: Vec<(chrono::DateTime<chrono::Utc>, usize)> = self
            .by_pair
            .values()
            .flat_map(HashMap::values)
            .flat_map(|entries| entries.iter().rev().skip(1))
            .map(|change| (change.at, weight(change)))
            .collect();
        droppable.sort_unstable_by_key(|(at, _)| *at);
        let mut excess = self.bytes.saturating_sub(target);
        let mut cutoff = None;
        for (at, bytes) in droppable {
            if excess == 0 {
                break;
            }
            excess = excess.saturating_sub(bytes);
            cutoff = Some(at);
        }
        let Some(cutoff) = cutoff else {
            return;
        };
        let mut bytes = 0;
        for entries in self.by_pair.values_mut().flat_map(HashMap::values_mut) {
            let newest = entries.len().saturating_sub(1);
            let mut index = 0;
            entries.retain(|change| {
                let keep = index == newest || change.at > cutoff;
                index += 1;
                keep
            });
            bytes += entries.iter().map(weight).sum::<usize>();
        }
        self.bytes = bytes;
    }

    /// Records entries of earlier runs (the journal's), which may arrive after changes seen
    /// live: each history they join is put back in time order.
    pub fn record_earlier(&mut self, changes: Vec<Transition>) {
        let joined: HashSet<(Arc<Scope>, u64)> = changes
            .iter()
            .map(|change| (Arc::clone(&change.pair), change.id))
            .collect();
        self.record(changes);
        for (pair, id) in joined {
            let entries = self.by_pair.get_mut(&*pair);
            if let Some(entries) = entries.and_then(|requests| requests.get_mut(&id)) {
                entries.sort_by_key(|change| change.at);
            }
        }
    }
}

fn append(
    requests: &mut HashMap<u64, Vec<Transition>>,
    pair: &Arc<Scope>,
    mut change: Transition,
    bytes: &mut usize,
) {
    if !Arc::ptr_eq(&change.pair, pair) {
        change.pair = Arc::clone(pair);
    }
    let entries = requests.entry(change.id).or_default();
    if entries.len() >= HISTORY_PER_REQUEST {
        let dropped = entries.remove(0);
        *bytes = bytes.saturating_sub(weight(&dropped));
    }
    *bytes += weight(&change);
    entries.push(change);
}

/// What one change takes, estimated: the record and the text it owns.
fn weight(change: &Transition) -> usize {
    let owned = |text: &std::borrow::Cow<'static, str>| match text {
        std::borrow::Cow::Owned(text) => text.capacity(),
        std::borrow::Cow::Borrowed(_) => 0,
    };
    std::mem::size_of::<Transition>()
        + change.domain.as_ref().map_or(0, String::capacity)
        + change.from.as_ref().map_or(0, owned)
        + owned(&change.to)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn change(pair: &Arc<Scope>, id: u64, second: u32, to: &str) -> Transition {
        Transition {
            at: Utc
                .with_ymd_and_hms(2026, 12, 1, 12, 0, second)
                .single()
                .expect("valid"),
            pair: Arc::clone(pair),
            id,
            domain: None,
            from: None,
            to: to.to_string().into(),
            to_state: None,
        }
    }

    #[test]
    fn each_request_keeps_its_own_changes_under_its_own_pair() {
        let web = Arc::new(Scope::pair("C-1", "1"));
        let shop = Arc::new(Scope::pair("C-2", "2"));
        let mut history = TransitionHistory::default();
        assert!(history.is_empty());
        // Runs of one pair, then another, then the first again, and the same id in both.
        history.record([
            change(&web, 1, 0, "a"),
            change(&web, 2, 1, "b"),
            change(&shop, 1, 2, "c"),
            change(&web, 1, 3, "d"),
        ]);
        let tos = |pair: &Scope, id: u64| -> Vec<String> {
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
    fn a_history_keeps_the_newest_up_to_its_limit() {
        let web = Arc::new(Scope::pair("C-1", "1"));
        let mut history = TransitionHistory::default();
        let many = (0..HISTORY_PER_REQUEST + 3).map(|i| change(&web, 7, 0, &i.to_string()));
        history.record(many);
        let kept = history.of(&web, 7);
        assert_eq!(kept.len(), HISTORY_PER_REQUEST);
        assert_eq!(kept[0].to, "3");
    }

    #[test]
    fn the_whole_history_stays_within_its_bytes_keeping_each_requests_newest() {
        let web = Arc::new(Scope::pair("C-1", "1"));
        let budget = 256 * 1024;
        let mut history = TransitionHistory::with_budget(budget);
        // 2,000 requests changing 60 times each: far past the budget under the per-request
        // cap alone (the 20,000 requests a second, scaled down).
        for second in 0..60u32 {
            history.record(
                (0..2_000).map(|id| change(&web, id, second, &format!("status {second} of {id}"))),
            );
            assert!(
                history.bytes() <= budget,
                "second {second}: {}",
                history.bytes()
            );
        }
        for id in 0..2_000 {
            let kept = history.of(&web, id);
            assert_eq!(
                kept.last().map(|c| c.to.to_string()),
                Some(format!("status 59 of {id}")),
                "request {id} keeps its newest change"
            );
        }
        // The control: without the byte budget the same changes take far more.
        let mut unbounded = TransitionHistory::with_budget(usize::MAX);
        for second in 0..60u32 {
            unbounded.record(
                (0..2_000).map(|id| change(&web, id, second, &format!("status {second} of {id}"))),
            );
        }
        assert!(unbounded.bytes() > 10 * budget, "{}", unbounded.bytes());
    }

    #[test]
    fn earlier_entries_join_in_time_order_and_share_the_pair_kept() {
        let web = Arc::new(Scope::pair("C-1", "1"));
        let mut history = TransitionHistory::default();
        history.record([change(&web, 7, 30, "live")]);
        // The journal's entries come later, each with its own copy of the pair.
        let journal = Arc::new(Scope::pair("C-1", "1"));
        history.record_earlier(vec![
            change(&journal, 7, 10, "earlier"),
            change(&journal, 8, 20, "other"),
        ]);
        let tos: Vec<String> = history
            .of(&web, 7)
            .iter()
            .map(|c| c.to.to_string())
            .collect();
        assert_eq!(tos, ["earlier", "live"]);
        let shared = |id: u64| Arc::ptr_eq(&history.of(&web, id)[0].pair, &web);
        assert!(shared(7) && shared(8), "one copy of the pair");
    }
}
