//! A list as it reaches the reducer: its requests, with what the table needs of each (a row
//! of sort keys, the spsId index, the state counts) already made. Whoever read the list
//! makes these, on its own thread: the poller for an answer, the cache reader for a saved
//! list. The loop thread, which also answers keys and draws, then only takes them (issue 12:
//! at 10,000 requests, building rows and index was half of applying a list there, and the
//! part that grew faster than the list, because it streamed every request through the
//! core's caches once more). It also fingerprints each request
//! (`sps::fingerprint`), so the reducer can tell an unchanged request without comparing it.

use std::sync::Arc;

use super::id_map::IdMap;
use super::state_counts::StateCounts;
use super::table::Row;
use crate::sps::compact::compact_list;
use crate::sps::fingerprint::Fingerprint;
use crate::sps::model::{GroupContract, SpsRequest};

#[derive(Debug, Clone)]
pub struct ArrivedList {
    pub(crate) requests: Vec<SpsRequest>,
    /// One per request, in the same order.
    pub(crate) rows: Vec<Row>,
    /// One per request, in the same order.
    pub(crate) fingerprints: Vec<Option<Fingerprint>>,
    /// Where each spsId is; when a list names one twice, the later place.
    pub(crate) index: IdMap<usize>,
    pub(crate) counts: StateCounts,
}

impl ArrivedList {
    /// Rows, fingerprints, index and counts of `pair`'s `requests`, made in one pass.
    pub fn new(pair: &GroupContract, mut requests: Vec<SpsRequest>) -> ArrivedList {
        requests.shrink_to_fit();
        let pair = Arc::new(pair.clone());
        let mut rows = Vec::with_capacity(requests.len());
        let mut fingerprints = Vec::with_capacity(requests.len());
        let mut index = IdMap::with_capacity_and_hasher(requests.len(), Default::default());
        let mut counts = StateCounts::default();
        for (at, request) in requests.iter().enumerate() {
            let row = Row::new(&pair, request);
            counts.count(row.state);
            index.insert(request.sps_id, at);
            rows.push(row);
            fingerprints.push(Fingerprint::of(request));
        }
        ArrivedList {
            requests,
            rows,
            fingerprints,
            index,
            counts,
        }
    }

    /// A list as read from the API or the cache: compacted to what the list screens use
    /// (`sps::compact::compact_list`; the reducer trusts it), then made into rows. The one
    /// way the poller and the cache reader hand a list over.
    pub fn read(pair: &GroupContract, mut requests: Vec<SpsRequest>) -> ArrivedList {
        compact_list(&mut requests);
        ArrivedList::new(pair, requests)
    }

    pub fn requests(&self) -> &[SpsRequest] {
        &self.requests
    }

    /// True when no request can change any more (the poller may slow down).
    pub fn all_terminal(&self) -> bool {
        self.counts.all_terminal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sps::model::RequestState;

    fn request(id: u64, status: &str) -> SpsRequest {
        serde_json::from_value(serde_json::json!({"spsId": id, "status": status})).expect("parses")
    }

    #[test]
    fn rows_index_and_counts_follow_the_requests() {
        let pair = GroupContract::new("C-1", "1");
        let list = ArrivedList::new(
            &pair,
            vec![
                request(7, "Awaiting User"),
                request(3, "SPS Request Complete"),
                request(9, "CPS running"),
            ],
        );
        let ids: Vec<u64> = list.rows.iter().map(|row| row.sps_id).collect();
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
        let pair = GroupContract::new("C-1", "1");
        let list = ArrivedList::new(&pair, vec![request(5, "Pending"), request(5, "Pending")]);
        assert_eq!(list.index.get(&5), Some(&1));
        assert_eq!(list.rows.len(), 2);
    }
}
