//! A list as it reaches the reducer: its requests, with what the table needs of each (a row
//! of sort keys, the spsId index, the state counts) already made. Whoever read the list
//! makes these, on its own thread: the poller for an answer, the cache reader for a saved
//! list. The loop thread, which also answers keys and draws, then only takes them (issue 12:
//! at 10,000 requests, building rows and index was half of applying a list there, and the
//! part that grew faster than the list, because it streamed every request through the
//! core's caches once more). It also fingerprints each request
//! (`sps::fingerprint`), so the reducer can tell an unchanged request without comparing it.
//! An item the poller did not read (its text was the pair's last list's) arrives as a
//! stand-in: its spsId, the fingerprint and state remembered (`super::list_memory`).

use std::sync::Arc;

use super::id_map::IdMap;
use super::state_counts::StateCounts;
use super::table::Row;
use crate::model::compact_list;
use crate::model::fingerprint::Fingerprint;
use crate::model::{CertRequest, RequestState, Scope};

#[derive(Debug, Clone)]
pub struct ArrivedList {
    pub(crate) requests: Vec<CertRequest>,
    /// One per request, in the same order.
    pub(crate) rows: Vec<Row>,
    /// One per request, in the same order.
    pub(crate) fingerprints: Vec<Option<Fingerprint>>,
    /// Where each spsId is; when a list names one twice, the later place.
    pub(crate) index: IdMap<usize>,
    pub(crate) counts: StateCounts,
    /// True where the item was not read because its text was the pair's previous list's
    /// (`super::list_memory`): the request there only holds its spsId and the row only its
    /// state, and the dataset keeps what it shows. Empty when every item was read.
    pub(crate) unread: Vec<bool>,
}

/// An `ArrivedList` made one request at a time.
pub(super) struct Building {
    pair: Arc<Scope>,
    list: ArrivedList,
}

impl Building {
    pub(super) fn new(pair: &Scope, capacity: usize) -> Building {
        Building {
            pair: Arc::new(pair.clone()),
            list: ArrivedList {
                requests: Vec::with_capacity(capacity),
                rows: Vec::with_capacity(capacity),
                fingerprints: Vec::with_capacity(capacity),
                index: IdMap::with_capacity_and_hasher(capacity, Default::default()),
                counts: StateCounts::default(),
                unread: Vec::with_capacity(capacity),
            },
        }
    }

    /// A request that was read; returns its fingerprint.
    pub(super) fn push_read(&mut self, request: CertRequest) -> Option<Fingerprint> {
        let row = Row::new(&self.pair, &request);
        let fingerprint = Fingerprint::of(&request);
        self.push(request, row, Some(fingerprint), false);
        Some(fingerprint)
    }

    /// A request that was not read: what was remembered of it stands in.
    pub(super) fn push_unread(&mut self, id: u64, fingerprint: Fingerprint, state: RequestState) {
        let request = CertRequest::stand_in(id);
        let mut row = Row::new(&self.pair, &request);
        row.state = state;
        self.push(request, row, Some(fingerprint), true);
    }

    fn push(
        &mut self,
        request: CertRequest,
        row: Row,
        fingerprint: Option<Fingerprint>,
        unread: bool,
    ) {
        let list = &mut self.list;
        list.counts.count(row.state);
        list.index.insert(request.id, list.requests.len());
        list.requests.push(request);
        list.rows.push(row);
        list.fingerprints.push(fingerprint);
        list.unread.push(unread);
    }

    pub(super) fn finish(self) -> ArrivedList {
        let mut list = self.list;
        if !list.unread.contains(&true) {
            list.unread = Vec::new();
        }
        list
    }
}

impl ArrivedList {
    /// Rows, fingerprints, index and counts of `pair`'s `requests`, made in one pass.
    pub fn new(pair: &Scope, mut requests: Vec<CertRequest>) -> ArrivedList {
        requests.shrink_to_fit();
        let mut building = Building::new(pair, requests.len());
        for request in requests {
            building.push_read(request);
        }
        building.finish()
    }

    /// A list as read from the API or the cache: compacted to what the list screens use
    /// (`model::compact_list`; the reducer trusts it), then made into rows. The one
    /// way the poller and the cache reader hand a list over.
    pub fn read(pair: &Scope, mut requests: Vec<CertRequest>) -> ArrivedList {
        compact_list(&mut requests);
        ArrivedList::new(pair, requests)
    }

    /// The list's requests; an unread item's is only a stand-in (its spsId).
    pub fn requests(&self) -> &[CertRequest] {
        &self.requests
    }

    /// True when no request can change any more (the poller may slow down).
    pub fn all_terminal(&self) -> bool {
        self.counts.all_terminal()
    }

    /// True when the item at `at` was not read (its text was the previous list's).
    pub fn is_unread(&self, at: usize) -> bool {
        self.unread.get(at).copied().unwrap_or(false)
    }

    /// The spsIds of the items that were not read.
    pub fn unread_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.unread
            .iter()
            .zip(&self.requests)
            .filter(|(unread, _)| **unread)
            .map(|(_, request)| request.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: u64, status: &str) -> CertRequest {
        crate::sps::neutral::from_json(serde_json::json!({"spsId": id, "status": status}))
            .expect("parses")
    }

    #[test]
    fn rows_index_and_counts_follow_the_requests() {
        let pair = Scope::pair("C-1", "1");
        let list = ArrivedList::new(
            &pair,
            vec![
                request(7, "Awaiting User"),
                request(3, "SPS Request Complete"),
                request(9, "CPS running"),
            ],
        );
        let ids: Vec<u64> = list.rows.iter().map(|row| row.id).collect();
        assert_eq!(ids, [7, 3, 9]);
        assert_eq!(list.rows[1].state, RequestState::Complete);
        assert_eq!(*list.rows[2].pair, pair);
        assert_eq!(
            (list.index.get(&7), list.index.get(&3), list.index.get(&9)),
            (Some(&0), Some(&1), Some(&2))
        );
        assert_eq!(
            list.counts,
            StateCounts {
                awaiting: 1,
                in_progress: 1,
                failed: 0,
                complete: 1,
            }
        );
        assert!(!list.all_terminal());
        assert!(ArrivedList::new(&pair, vec![request(3, "CPS cancelled")]).all_terminal());
    }

    #[test]
    fn an_id_named_twice_is_found_at_its_later_place() {
        let pair = Scope::pair("C-1", "1");
        let list = ArrivedList::new(&pair, vec![request(5, "Pending"), request(5, "Pending")]);
        assert_eq!(list.index.get(&5), Some(&1));
        assert_eq!(list.rows.len(), 2);
    }
}
