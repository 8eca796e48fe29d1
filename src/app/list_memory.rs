//! What the poller remembers of a pair's last list, so the next one need not decode what did
//! not change (issue 12, `sps::list_texts`): for each item's text, the request it was read as
//! (spsId, fingerprint, state). The dashboard keeps showing its own copy of such a request;
//! the reducer checks that copy is the one the memory describes (`Dataset::replace_keeping`).
//!
//! Only requests named once in their list are remembered, so an unread item always stands for
//! exactly one request the dataset shows.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::arrived_list::{ArrivedList, Building};
use super::id_map::{IdHasher, IdSet};
use crate::model::fingerprint::Fingerprint;
use crate::model::read_list::{ReadItem, TextHash};
use crate::model::{RequestState, Scope};

#[derive(Debug, Clone, Default)]
pub struct ListMemory {
    /// The text hash is already a hash: the table only spreads it.
    by_text: HashMap<TextHash, Remembered, BuildHasherDefault<IdHasher>>,
}

#[derive(Debug, Clone, Copy)]
struct Remembered {
    id: u64,
    fingerprint: Fingerprint,
    state: RequestState,
}

impl ListMemory {
    /// True when an item with this text was in the last list (and is remembered).
    pub fn knows(&self, text: TextHash) -> bool {
        self.by_text.contains_key(&text)
    }

    pub fn len(&self) -> usize {
        self.by_text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_text.is_empty()
    }

    /// Forgets these requests: their next items are read whatever their text.
    pub fn forget(&mut self, ids: &[u64]) {
        self.by_text
            .retain(|_, remembered| !ids.contains(&remembered.id));
    }
}

impl ArrivedList {
    /// A list the poller read against `memory` (what it remembered of the pair's previous
    /// list; the items it knew came unread), and what to remember of this one. `None` when
    /// the list cannot be made from `memory`: an unread item it does not know, or an unread
    /// request the list also names elsewhere; then read the list again against nothing.
    pub fn read_against(
        pair: &Scope,
        items: Vec<ReadItem>,
        memory: &ListMemory,
    ) -> Option<(ArrivedList, ListMemory)> {
        let mut building = Building::new(pair, items.len());
        let mut texts = Vec::with_capacity(items.len());
        for item in items {
            match item {
                ReadItem::Read(mut request, text) => {
                    // Compacted by the client already; fakes and tests hand whole requests.
                    request.compact_for_list();
                    building.push_read(*request);
                    texts.push(text);
                }
                ReadItem::Known(text) => {
                    let remembered = memory.by_text.get(&text)?;
                    building.push_unread(remembered.id, remembered.fingerprint, remembered.state);
                    texts.push(text);
                }
            }
        }
        let list = building.finish();
        let twice = named_twice(&list);
        if list.unread_ids().any(|id| twice.contains(&id)) {
            return None;
        }
        let mut by_text =
            HashMap::with_capacity_and_hasher(list.requests.len(), BuildHasherDefault::default());
        for (at, text) in texts.into_iter().enumerate() {
            let id = list.requests[at].id;
            if let Some(fingerprint) = list.fingerprints[at]
                && !twice.contains(&id)
            {
                let state = list.rows[at].state;
                by_text.insert(
                    text,
                    Remembered {
                        id,
                        fingerprint,
                        state,
                    },
                );
            }
        }
        Some((list, ListMemory { by_text }))
    }
}

/// The spsIds `list` names more than once. A list usually names each once (its index is as
/// long as the list): then nothing is counted.
fn named_twice(list: &ArrivedList) -> IdSet {
    let mut twice = IdSet::default();
    if list.index.len() == list.requests.len() {
        return twice;
    }
    let mut seen = IdSet::default();
    for request in &list.requests {
        if !seen.insert(request.id) {
            twice.insert(request.id);
        }
    }
    twice
}

#[cfg(test)]
#[path = "list_memory_tests.rs"]
mod tests;
