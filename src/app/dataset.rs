//! One watched group/contract pair: its last good list, the rows built from it, and how fresh
//! it is. A failed call never removes data: it only ages it and records the error.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::arrived_list::ArrivedList;
use super::id_map::IdMap;
use super::state_counts::StateCounts;
use super::table::{Row, ShownRow};
use crate::sps::fingerprint::Fingerprint;
use crate::sps::model::{GroupContract, NamedPair, SpsRequest};

#[derive(Debug, Clone)]
pub struct Dataset {
    pub pair: GroupContract,
    /// The same pair, shared by every row.
    shared_pair: Arc<GroupContract>,
    pub name: Option<String>,
    /// Shared with the cache writer, so saving a list of thousands copies nothing.
    pub requests: Arc<Vec<SpsRequest>>,
    pub rows: Vec<Row>,
    /// One per request: the fingerprint of the list entry it was made from, `None` when it
    /// holds more than a list said (the detail's read).
    fingerprints: Vec<Option<Fingerprint>>,
    index: IdMap<usize>,
    pub freshness: Freshness,
    pub counts: StateCounts,
    /// What the last list left out (items that did not read), as last told to the operator.
    pub skipped: Vec<String>,
}

/// Where the data on screen came from and how old it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Freshness {
    /// When the data shown was fetched (from the API, or by an earlier run for cached data).
    pub fetched_at: Option<DateTime<Utc>>,
    /// The data shown was read from the cache and not yet refreshed.
    pub from_cache: bool,
    /// Failed calls since the last success.
    pub failures: u32,
    pub last_error: Option<String>,
}

/// How much to trust the age of a dataset, in words as well as colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreshnessLevel {
    /// Nothing loaded yet.
    Loading,
    Fresh,
    /// Older than 2x the poll interval.
    Late,
    /// Older than 5x the poll interval.
    Outdated,
}

impl FreshnessLevel {
    pub fn word(self) -> &'static str {
        match self {
            FreshnessLevel::Loading => "loading",
            FreshnessLevel::Fresh => "ok",
            FreshnessLevel::Late => "LATE",
            FreshnessLevel::Outdated => "OUTDATED",
        }
    }
}

impl Freshness {
    pub fn level(&self, now: DateTime<Utc>, interval_secs: u64) -> FreshnessLevel {
        let Some(fetched_at) = self.fetched_at else {
            return FreshnessLevel::Loading;
        };
        let age = now.signed_duration_since(fetched_at).num_seconds().max(0) as u64;
        let interval = interval_secs.max(1);
        if age > interval * 5 {
            FreshnessLevel::Outdated
        } else if age > interval * 2 {
            FreshnessLevel::Late
        } else {
            FreshnessLevel::Fresh
        }
    }
}

impl Dataset {
    pub fn new(named: &NamedPair) -> Dataset {
        Dataset {
            pair: named.pair.clone(),
            shared_pair: Arc::new(named.pair.clone()),
            name: named.group_name.clone(),
            requests: Arc::new(Vec::new()),
            rows: Vec::new(),
            fingerprints: Vec::new(),
            index: IdMap::default(),
            freshness: Freshness::default(),
            counts: StateCounts::default(),
            skipped: Vec::new(),
        }
    }

    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({}/{})", self.pair.contract_id, self.pair.group_id),
            None => format!("{} / {}", self.pair.contract_id, self.pair.group_id),
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.freshness.fetched_at.is_some()
    }

    /// True when every request is terminal: the poller may slow down.
    pub fn all_terminal(&self) -> bool {
        self.counts.all_terminal()
    }

    /// The row at `position` (below `rows.len()`, as for indexing) with its request, for
    /// the text of its cells.
    pub fn shown(&self, position: usize) -> ShownRow<'_> {
        ShownRow::new(&self.rows[position], &self.requests[position])
    }

    pub fn get(&self, sps_id: u64) -> Option<&SpsRequest> {
        self.index
            .get(&sps_id)
            .map(|&position| &self.requests[position])
    }

    pub fn position(&self, sps_id: u64) -> Option<usize> {
        self.index.get(&sps_id).copied()
    }

    /// Replaces the whole list (tests and tools: the loop gets lists made by their reader).
    pub fn replace(&mut self, requests: Vec<SpsRequest>) {
        let list = ArrivedList::new(&self.pair, requests);
        drop(self.replace_keeping(list, None));
    }

    /// Replaces the whole list with one that arrived: its rows, index and counts were made
    /// where it was read ([`ArrivedList`]), so a first list costs nothing here. Lists come
    /// compacted (`sps::compact::compact_list`, by the poller and the cache reader).
    /// Parameters known from an earlier answer are kept when the new answer has none (a list
    /// without `information=true` must not blank the names), and `whole`, the open detail's
    /// request, keeps the parameters its own read gave when the list brings only the list's few.
    ///
    /// A request that did not change keeps its old allocation (moved, not copied): only what
    /// changed is allocated anew, and the freshly read copy is discarded. The long-lived
    /// data then stays where it is in the heap instead of being copied into the holes of the
    /// previous list every poll, which fragmented the heap: resident memory grew ~17 MB over
    /// the first minute at 10,000 requests (issue 12). Rows hold no allocation of their own,
    /// so the list's new rows are taken whole (expiries are stamped again by the app).
    ///
    /// A request is unchanged when its fingerprint is the one the shown request was made
    /// from; only the others are compared whole (at 12,500 requests a list, comparing them
    /// all was ~10 ms of the loop thread's time, issue 12).
    pub fn replace_keeping(&mut self, list: ArrivedList, whole: Option<u64>) -> Replaced {
        let ArrivedList {
            mut requests,
            rows,
            mut fingerprints,
            index,
            counts,
        } = list;
        let old_index = std::mem::replace(&mut self.index, index);
        let old_fingerprints = std::mem::take(&mut self.fingerprints);
        let old_len = std::mem::replace(&mut self.rows, rows).len();
        let mut old = OldList::from(std::mem::take(&mut self.requests));
        let mut in_place = requests.len() == old_len;
        // A first list has nothing to keep: no pass over it at all.
        if old_len > 0 {
            for (at, request) in requests.iter_mut().enumerate() {
                let position = old_index.get(&request.sps_id).copied();
                in_place &= position == Some(at);
                let Some(position) = position else { continue };
                let unchanged = fingerprints[at].is_some()
                    && old_fingerprints.get(position) == Some(&fingerprints[at]);
                if !unchanged {
                    let Some(known) = old.get(position) else {
                        continue;
                    };
                    let whole_known = Some(request.sps_id) == whole
                        && request.has_only_list_parameters()
                        && !known.has_only_list_parameters();
                    if request.parameters.is_empty() || whole_known {
                        request.parameters = known.parameters.clone();
                    }
                    if whole_known {
                        // Holds more than the list said: a later list must compare it whole
                        // (once the detail closes, the list's few replace the rest).
                        fingerprints[at] = None;
                    }
                    if old.get(position) != Some(&*request) {
                        continue;
                    }
                }
                old.keep(position, request);
            }
        }
        self.requests = Arc::new(requests);
        self.fingerprints = fingerprints;
        self.counts = counts;
        Replaced {
            in_place,
            discarded: old.into_discarded(),
        }
    }

    /// Each request of `list` that may say something new, with what is shown of it (`None`:
    /// not shown before). A request whose fingerprint is the one its shown request was made
    /// from is left out: the list says of it what the last one did.
    pub fn changed_in<'a>(
        &'a self,
        list: &'a ArrivedList,
    ) -> impl Iterator<Item = (Option<&'a SpsRequest>, &'a SpsRequest)> + 'a {
        list.requests
            .iter()
            .zip(&list.fingerprints)
            .filter_map(move |(request, fingerprint)| {
                let position = self.position(request.sps_id);
                let shown_from = position.and_then(|at| self.fingerprints.get(at));
                if fingerprint.is_some() && shown_from == Some(fingerprint) {
                    return None;
                }
                Some((position.map(|at| &self.requests[at]), request))
            })
    }

    /// Updates (or adds) one request, e.g. from the detail poll; rebuilds only its row.
    pub fn upsert(&mut self, mut request: SpsRequest) {
        match self.position(request.sps_id) {
            Some(position) => {
                if request.parameters.is_empty() {
                    request.parameters = self.requests[position].parameters.clone();
                }
                self.rows[position] = Row::new(&self.shared_pair, &request);
                // Read apart from any list: the next list compares it whole.
                self.fingerprints[position] = None;
                // Copies the list only if the cache writer still holds it.
                Arc::make_mut(&mut self.requests)[position] = request;
            }
            None => {
                self.index.insert(request.sps_id, self.requests.len());
                self.rows.push(Row::new(&self.shared_pair, &request));
                self.fingerprints.push(None);
                Arc::make_mut(&mut self.requests).push(request);
            }
        }
        self.recount();
    }

    fn recount(&mut self) {
        let mut counts = StateCounts::default();
        for row in &self.rows {
            counts.count(row.state);
        }
        self.counts = counts;
    }
}

/// What `replace_keeping` did.
#[derive(Debug)]
pub struct Replaced {
    /// Every request is where it was: the table's order still holds.
    pub in_place: bool,
    /// The requests no longer shown (the old versions of changed requests, the fresh copies
    /// of unchanged ones), for the caller to free where freeing them costs no key its frame.
    pub discarded: Vec<SpsRequest>,
}

/// The list being replaced: owned (its unchanged requests are moved into the new list), or
/// still shared with the cache writer (what is kept is copied, as the writer may still read
/// it).
enum OldList {
    Owned(Vec<SpsRequest>),
    Shared {
        list: Arc<Vec<SpsRequest>>,
        discarded: Vec<SpsRequest>,
    },
}

impl From<Arc<Vec<SpsRequest>>> for OldList {
    fn from(list: Arc<Vec<SpsRequest>>) -> Self {
        match Arc::try_unwrap(list) {
            Ok(list) => OldList::Owned(list),
            Err(list) => OldList::Shared {
                list,
                discarded: Vec::new(),
            },
        }
    }
}

impl OldList {
    fn get(&self, position: usize) -> Option<&SpsRequest> {
        match self {
            OldList::Owned(list) => list.get(position),
            OldList::Shared { list, .. } => list.get(position),
        }
    }

    /// `fresh` becomes the request at `position`, in its old allocation; the fresh copy
    /// takes its place in the old list, to be discarded with it. (A list naming an id twice
    /// finds the first one's fresh copy there the second time: the same content.)
    fn keep(&mut self, position: usize, fresh: &mut SpsRequest) {
        match self {
            OldList::Owned(list) => {
                if let Some(known) = list.get_mut(position) {
                    std::mem::swap(known, fresh);
                }
            }
            OldList::Shared { list, discarded } => {
                if let Some(known) = list.get(position) {
                    discarded.push(std::mem::replace(fresh, known.clone()));
                }
            }
        }
    }

    fn into_discarded(self) -> Vec<SpsRequest> {
        match self {
            OldList::Owned(list) => list,
            OldList::Shared { discarded, .. } => discarded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sps::model::RequestState;
    use chrono::TimeZone;

    #[test]
    fn freshness_turns_late_past_twice_and_outdated_past_five_times_the_interval() {
        let start = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let freshness = Freshness {
            fetched_at: Some(start),
            ..Freshness::default()
        };
        let at = |secs| start + chrono::Duration::seconds(secs);
        assert_eq!(freshness.level(at(30), 15), FreshnessLevel::Fresh);
        assert_eq!(freshness.level(at(31), 15), FreshnessLevel::Late);
        assert_eq!(freshness.level(at(75), 15), FreshnessLevel::Late);
        assert_eq!(freshness.level(at(76), 15), FreshnessLevel::Outdated);
        assert_eq!(
            Freshness::default().level(at(0), 15),
            FreshnessLevel::Loading
        );
    }

    #[test]
    fn a_list_without_parameters_keeps_the_known_names() {
        let named = NamedPair {
            pair: GroupContract::new("C-1", "1"),
            group_name: None,
        };
        let mut dataset = Dataset::new(&named);
        let with: SpsRequest = serde_json::from_str(
            r#"{"spsId":1,"status":"Pending","parameters":[{"name":"cnameHostname","value":"x.example"}]}"#,
        )
        .expect("parses");
        let without: SpsRequest =
            serde_json::from_str(r#"{"spsId":1,"status":"CPS running"}"#).expect("parses");
        dataset.replace(vec![with]);
        dataset.replace(vec![without]);
        let shown = dataset.shown(0);
        assert_eq!(shown.name(), "x.example");
        assert_eq!(shown.status(), "CPS running");
        assert_eq!(dataset.counts.in_progress, 1);
    }

    fn request(id: u64, status: &str) -> SpsRequest {
        serde_json::from_value(serde_json::json!({
            "spsId": id, "status": status, "workflowProgress": format!("step of {id}"),
            "parameters": [{"name": "cnameHostname", "value": format!("h{id}.example")},
                           {"name": "admin-contact.email", "value": "ann@example.com"}]
        }))
        .expect("parses")
    }

    fn arrived(requests: Vec<SpsRequest>) -> ArrivedList {
        ArrivedList::new(&GroupContract::new("C-1", "1"), requests)
    }

    fn progress_at(dataset: &Dataset, position: usize) -> *const u8 {
        dataset.requests[position]
            .workflow_progress
            .as_deref()
            .expect("progress")
            .as_ptr()
    }

    #[test]
    fn an_unchanged_request_keeps_its_allocation_and_its_row() {
        let named = NamedPair {
            pair: GroupContract::new("C-1", "1"),
            group_name: None,
        };
        let mut dataset = Dataset::new(&named);
        dataset.replace(vec![request(1, "Pending"), request(2, "Pending")]);
        let (first, second) = (progress_at(&dataset, 0), progress_at(&dataset, 1));
        // Held by the cache writer: what is kept is copied, the writer's copy untouched.
        let writer = Arc::clone(&dataset.requests);
        dataset.replace(vec![request(1, "Pending"), request(2, "Pending")]);
        assert_ne!(progress_at(&dataset, 0), first);
        assert_eq!(
            writer[0].workflow_progress.as_deref().unwrap().as_ptr(),
            first
        );
        drop(writer);
        let (first, second_copy) = (progress_at(&dataset, 0), progress_at(&dataset, 1));
        assert_ne!(second_copy, second);
        // Rows follow their requests.
        assert_eq!(dataset.rows[0].sps_id, 1);

        // Owned now: the unchanged request and its row are moved, the changed one is new.
        dataset.replace(vec![request(2, "CPS running"), request(1, "Pending")]);
        assert_eq!(progress_at(&dataset, 1), first);
        assert_eq!(dataset.rows[1].sps_id, 1);
        assert_ne!(progress_at(&dataset, 0), second_copy);
        assert_eq!(dataset.rows[0].state, RequestState::InProgress);
        assert_eq!(dataset.get(1).expect("kept").sps_id, 1);
        assert_eq!(dataset.position(2), Some(0));
        assert_eq!(
            (dataset.counts.awaiting, dataset.counts.in_progress),
            (0, 2)
        );
    }

    #[test]
    fn the_open_detail_keeps_what_its_own_read_gave_when_the_list_is_compact() {
        let named = NamedPair {
            pair: GroupContract::new("C-1", "1"),
            group_name: None,
        };
        let mut dataset = Dataset::new(&named);
        dataset.replace_keeping(arrived(vec![request(1, "Pending")]), Some(1));
        assert_eq!(dataset.requests[0].parameters.len(), 2);
        let mut compact = request(1, "Pending");
        compact.compact_for_list();
        dataset.replace_keeping(arrived(vec![compact.clone()]), Some(1));
        assert_eq!(
            dataset.requests[0].parameter("admin-contact.email"),
            Some("ann@example.com")
        );
        // Closed: the list's few only.
        dataset.replace_keeping(arrived(vec![compact]), None);
        assert_eq!(dataset.requests[0].parameter("admin-contact.email"), None);
    }

    fn dataset() -> Dataset {
        Dataset::new(&NamedPair {
            pair: GroupContract::new("C-1", "1"),
            group_name: None,
        })
    }

    fn compact(id: u64, status: &str) -> SpsRequest {
        let mut request = request(id, status);
        request.compact_for_list();
        request
    }

    #[test]
    fn only_requests_whose_fingerprint_moved_are_offered_for_the_history() {
        let mut dataset = dataset();
        dataset.replace(vec![compact(1, "Pending"), compact(2, "Pending")]);
        let list = arrived(vec![
            compact(1, "Pending"),
            compact(2, "CPS running"),
            compact(3, "Pending"),
        ]);
        let offered: Vec<(Option<u64>, u64)> = dataset
            .changed_in(&list)
            .map(|(shown, new)| (shown.map(|shown| shown.sps_id), new.sps_id))
            .collect();
        assert_eq!(offered, [(Some(2), 2), (None, 3)]);
        let replaced = dataset.replace_keeping(list, None);
        // The fresh copy of 1 and the old 2 go; the new 2 and 3 stay.
        let mut gone: Vec<(u64, String)> = replaced
            .discarded
            .iter()
            .map(|request| (request.sps_id, request.status.to_string()))
            .collect();
        gone.sort();
        assert_eq!(
            gone,
            [(1, "Pending".to_string()), (2, "Pending".to_string())]
        );
        assert_eq!(dataset.get(2).expect("kept").status.as_str(), "CPS running");
    }

    #[test]
    fn a_request_the_detail_read_is_compared_whole_by_the_next_list() {
        let mut dataset = dataset();
        dataset.replace(vec![compact(1, "Pending")]);
        // The detail's read saw it move on before the list did.
        dataset.upsert(request(1, "CPS running"));
        // A list with what the last one said: its fingerprint is the one the shown request
        // was made from before the detail's read, but the shown request is the detail's.
        let list = arrived(vec![compact(1, "Pending")]);
        assert_eq!(dataset.changed_in(&list).count(), 1);
        dataset.replace_keeping(list, None);
        assert_eq!(dataset.get(1).expect("kept").status.as_str(), "Pending");
        assert_eq!(
            dataset
                .get(1)
                .expect("kept")
                .parameter("admin-contact.email"),
            None
        );
    }
}
