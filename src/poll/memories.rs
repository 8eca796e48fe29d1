//! What the poller remembers of each watched pair's last list (`app::ListMemory`), shared by
//! the pair's task, which reads lists against it, and the reducer's requests to forget.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::app::ListMemory;
use crate::model::Scope;

#[derive(Debug, Clone, Default)]
pub(super) struct Memories(Arc<Mutex<HashMap<Scope, PairMemory>>>);

#[derive(Debug, Default)]
struct PairMemory {
    memory: Arc<ListMemory>,
    /// Bumped by each forgetting, so a list read meanwhile (against the memory before it)
    /// does not bring back what was forgotten.
    generation: u64,
}

impl Memories {
    /// The pair's memory, to read its next list against, and its generation.
    pub(super) fn current(&self, pair: &Scope) -> (Arc<ListMemory>, u64) {
        let mut memories = self.lock();
        let entry = memories.entry(pair.clone()).or_default();
        (Arc::clone(&entry.memory), entry.generation)
    }

    /// What to remember of the list just read against the memory of `generation`. If
    /// something was forgotten since, nothing is remembered: the next list is read whole.
    pub(super) fn remember(&self, pair: &Scope, generation: u64, memory: ListMemory) {
        let mut memories = self.lock();
        let entry = memories.entry(pair.clone()).or_default();
        entry.memory = if entry.generation == generation {
            Arc::new(memory)
        } else {
            Arc::default()
        };
    }

    /// These requests' next items are read whatever their text.
    pub(super) fn forget_items(&self, pair: &Scope, ids: &[u64]) {
        let mut memories = self.lock();
        let entry = memories.entry(pair.clone()).or_default();
        entry.generation += 1;
        Arc::make_mut(&mut entry.memory).forget(ids);
    }

    /// The pair's next list is read whole.
    pub(super) fn forget_all(&self, pair: &Scope) {
        let mut memories = self.lock();
        let entry = memories.entry(pair.clone()).or_default();
        entry.generation += 1;
        entry.memory = Arc::default();
    }

    /// The pair is no longer watched.
    pub(super) fn drop_pair(&self, pair: &Scope) {
        self.lock().remove(pair);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Scope, PairMemory>> {
        // Every change here is one assignment: a panic elsewhere leaves nothing half done.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::ArrivedList;
    use crate::model::read_list::ReadList;

    fn memory_of(ids: &[u64]) -> ListMemory {
        let requests = ids
            .iter()
            .map(|id| {
                crate::sps::neutral::from_json(
                    serde_json::json!({"spsId": id, "status": "Pending"}),
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .expect("requests");
        let read = ReadList::of_requests(requests, |_| false);
        let pair = Scope::pair("C-1", "1");
        ArrivedList::read_against(&pair, read.items, &ListMemory::default())
            .expect("reads")
            .1
    }

    #[test]
    fn a_list_read_before_a_forgetting_leaves_nothing_remembered() {
        let memories = Memories::default();
        let pair = Scope::pair("C-1", "1");
        let (_, generation) = memories.current(&pair);
        memories.remember(&pair, generation, memory_of(&[1, 2, 3]));
        assert_eq!(memories.current(&pair).0.len(), 3);

        memories.forget_items(&pair, &[2]);
        assert_eq!(memories.current(&pair).0.len(), 2);

        // Read against the memory before the forgetting: remembered, it would bring 2 back.
        memories.remember(&pair, generation, memory_of(&[1, 2, 3]));
        assert!(memories.current(&pair).0.is_empty());

        let (_, generation) = memories.current(&pair);
        memories.remember(&pair, generation, memory_of(&[1, 2]));
        memories.forget_all(&pair);
        assert!(memories.current(&pair).0.is_empty());
        memories.drop_pair(&pair);
        assert_eq!(memories.current(&pair).1, 0);
    }
}
