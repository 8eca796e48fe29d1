//! One watched group/contract pair: its last good list, the rows built from it, and how fresh
//! it is. A failed call never removes data: it only ages it and records the error.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::arrived_list::ArrivedList;
use super::id_map::IdMap;
use super::state_counts::StateCounts;
use super::table::{Row, ShownRow};
use crate::model::fingerprint::Fingerprint;
use crate::model::{CertRequest, NamedScope, Scope};

#[derive(Debug, Clone)]
pub struct Dataset {
    pub pair: Scope,
    /// The same pair, shared by every row and every change found in its lists.
    shared_pair: Arc<Scope>,
    pub name: Option<String>,
    /// Shared with the cache writer, so saving a list of thousands copies nothing.
    pub requests: Arc<Vec<CertRequest>>,
    pub rows: Vec<Row>,
    /// One per request: the fingerprint of the list entry it was made from, `None` when it
    /// holds more than a list said (the detail's read).
    fingerprints: Vec<Option<Fingerprint>>,
    index: IdMap<usize>,
    pub freshness: Freshness,
    pub counts: StateCounts,
    /// What the last list left out (items that did not read), as last told to the operator.
    pub skipped: Vec<String>,
    /// Rows were built since the certificates' expiries were put on them (rows are built
    /// without): the app stamps this dataset's rows again, and only this dataset's.
    pub(super) expiries_due: bool,
    /// Rows swapped in by a list in the same places that name another enrollment than the
    /// rows they replaced: only these need stamping (the others kept their row's expiry).
    pub(super) expiries_due_rows: Vec<usize>,
    /// When this dataset's list was last handed to the cache writer (`None`: not yet in
    /// this run).
    pub(super) cache_saved_at: Option<DateTime<Utc>>,
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
    pub fn new(named: &NamedScope) -> Dataset {
        Dataset {
            pair: named.scope.clone(),
            shared_pair: Arc::new(named.scope.clone()),
            name: named.name.clone(),
            requests: Arc::new(Vec::new()),
            rows: Vec::new(),
            fingerprints: Vec::new(),
            index: IdMap::default(),
            freshness: Freshness::default(),
            counts: StateCounts::default(),
            skipped: Vec::new(),
            expiries_due: true,
            expiries_due_rows: Vec::new(),
            cache_saved_at: None,
        }
    }

    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.pair.short()),
            None => match self.pair.group() {
                Some(group) => format!("{} / {group}", self.pair.contract_id),
                None => self.pair.contract_id.clone(),
            },
        }
    }

    pub fn shared_pair(&self) -> &Arc<Scope> {
        &self.shared_pair
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

    pub fn get(&self, id: u64) -> Option<&CertRequest> {
        self.index
            .get(&id)
            .map(|&position| &self.requests[position])
    }

    pub fn position(&self, id: u64) -> Option<usize> {
        self.index.get(&id).copied()
    }

    /// Replaces the whole list (tests and tools: the loop gets lists made by their reader).
    pub fn replace(&mut self, requests: Vec<CertRequest>) {
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
    /// all was ~10 ms of the loop thread's time, issue 12). An unread item (its text was the
    /// last list's, `super::list_memory`) keeps the shown request and its row as they are;
    /// the caller checks first that the dataset shows each (`can_take`).
    pub fn replace_keeping(&mut self, list: ArrivedList, whole: Option<u64>) -> Replaced {
        if self.in_same_places(&list) {
            return self.replace_in_place(list, whole);
        }
        let ArrivedList {
            mut requests,
            rows,
            mut fingerprints,
            index,
            counts,
            unread,
        } = list;
        let old_index = std::mem::replace(&mut self.index, index);
        let old_fingerprints = std::mem::take(&mut self.fingerprints);
        let mut old_rows = std::mem::replace(&mut self.rows, rows);
        let old_len = old_rows.len();
        let mut old = OldList::from(std::mem::take(&mut self.requests));
        let mut in_place = requests.len() == old_len;
        let mut moved = Vec::new();
        let mut forget = Vec::new();
        // A first list has nothing to keep: no pass over it at all.
        if old_len > 0 {
            for (at, request) in requests.iter_mut().enumerate() {
                let position = old_index.get(&request.id).copied();
                in_place &= position == Some(at);
                let Some(position) = position else { continue };
                if unread.get(at) == Some(&true) {
                    // The list said what the last one did: what is shown stays, row and
                    // all. If what is shown is not what the last list said (the detail's
                    // read), it stays too, and the poller reads this item next time.
                    let shown_from = old_fingerprints.get(position).copied().flatten();
                    if shown_from != fingerprints[at] {
                        fingerprints[at] = shown_from;
                        forget.push(request.id);
                    }
                    old.keep(position, request);
                    if let Some(row) = old_rows.get_mut(position) {
                        std::mem::swap(&mut self.rows[at], row);
                    }
                    continue;
                }
                let unchanged = fingerprints[at].is_some()
                    && old_fingerprints.get(position) == Some(&fingerprints[at]);
                if !unchanged {
                    moved.push(at);
                    let Some(known) = old.get(position) else {
                        continue;
                    };
                    if takes_known_parameters(request, known, whole) {
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
        self.expiries_due = true;
        Replaced {
            in_place,
            moved,
            discarded: old.into_discarded(),
            forget,
        }
    }

    /// True when `list` names the requests shown, each once, in the places they are shown,
    /// and no cache write still reads them: then `replace_in_place` can do it.
    fn in_same_places(&self, list: &ArrivedList) -> bool {
        !self.requests.is_empty()
            && Arc::strong_count(&self.requests) == 1
            && Arc::weak_count(&self.requests) == 0
            && list.requests.len() == self.requests.len()
            && list.index.len() == list.requests.len()
            && list
                .requests
                .iter()
                .zip(self.requests.iter())
                .all(|(listed, shown)| listed.id == shown.id)
    }

    /// `replace_keeping` for a list of the same requests in the same places (the usual
    /// later list): what is shown stays where it is, and only the requests that changed are
    /// swapped in, with their rows. At 100,000 requests a pair of 40,000 took 7 to 10 ms of
    /// the loop thread to move every request and row into the list's vectors, for a few
    /// thousand that changed (issue 12). Decides as `replace_keeping` does, item by item.
    fn replace_in_place(&mut self, list: ArrivedList, whole: Option<u64>) -> Replaced {
        let ArrivedList {
            mut requests,
            mut rows,
            fingerprints,
            index: _,
            counts,
            unread,
        } = list;
        // Not shared (`in_same_places`): no copy is made.
        let shown = Arc::make_mut(&mut self.requests);
        let mut moved = Vec::new();
        let mut forget = Vec::new();
        for (at, listed) in requests.iter_mut().enumerate() {
            let shown_from = self.fingerprints[at];
            if unread.get(at) == Some(&true) {
                if shown_from != fingerprints[at] {
                    forget.push(listed.id);
                }
                continue;
            }
            if fingerprints[at].is_some() && shown_from == fingerprints[at] {
                continue;
            }
            moved.push(at);
            let known = &shown[at];
            let whole_known = takes_known_parameters(listed, known, whole);
            self.fingerprints[at] = if whole_known { None } else { fingerprints[at] };
            if known != listed {
                std::mem::swap(&mut shown[at], listed);
                // The certificate is the enrollment's: a row naming the same one keeps its
                // expiry, and only the others are stamped (at 100,000 requests stamping the
                // whole pair again for each list was a millisecond or more, issue 12).
                let (new_row, old_row) = (&mut rows[at], &self.rows[at]);
                if new_row.enrollment_id == old_row.enrollment_id {
                    new_row.expires = old_row.expires;
                } else {
                    self.expiries_due_rows.push(at);
                }
                std::mem::swap(&mut self.rows[at], new_row);
            }
        }
        self.counts = counts;
        Replaced {
            in_place: true,
            moved,
            // The list's own vector: the old copies of what changed, and the stand-ins and
            // fresh copies of what did not.
            discarded: requests,
            forget,
        }
    }

    /// True when every unread item of `list` stands for a request this dataset shows, so
    /// `replace_keeping` can keep it. (Not so only if the poller's memory and the dataset
    /// went apart: then the list is read again whole.)
    pub fn can_take(&self, list: &ArrivedList) -> bool {
        list.unread_ids().all(|id| self.index.contains_key(&id))
    }

    /// Each request of `list` that may say something new, with what is shown of it (`None`:
    /// not shown before). A request whose fingerprint is the one its shown request was made
    /// from is left out, and so is an unread one: the list says of it what the last one did.
    pub fn changed_in<'a>(
        &'a self,
        list: &'a ArrivedList,
    ) -> impl Iterator<Item = (Option<&'a CertRequest>, &'a CertRequest)> + 'a {
        list.requests
            .iter()
            .zip(&list.fingerprints)
            .enumerate()
            .filter(|(at, _)| !list.is_unread(*at))
            .filter_map(move |(_, (request, fingerprint))| {
                let position = self.position(request.id);
                let shown_from = position.and_then(|at| self.fingerprints.get(at));
                if fingerprint.is_some() && shown_from == Some(fingerprint) {
                    return None;
                }
                Some((position.map(|at| &self.requests[at]), request))
            })
    }

    /// Updates (or adds) one request, e.g. from the detail poll; rebuilds only its row.
    pub fn upsert(&mut self, mut request: CertRequest) {
        match self.position(request.id) {
            Some(position) => {
                if request.details.is_empty() {
                    request.details = self.requests[position].details.clone();
                }
                self.rows[position] = Row::new(&self.shared_pair, &request);
                // Read apart from any list: the next list compares it whole.
                self.fingerprints[position] = None;
                // Copies the list only if the cache writer still holds it.
                Arc::make_mut(&mut self.requests)[position] = request;
            }
            None => {
                self.index.insert(request.id, self.requests.len());
                self.rows.push(Row::new(&self.shared_pair, &request));
                self.fingerprints.push(None);
                Arc::make_mut(&mut self.requests).push(request);
            }
        }
        self.expiries_due = true;
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

/// Gives `listed` the names of `known` (the shown copy) when the list brought none (an SPS
/// list read without its parameters), and the details of `known` when `listed` is `whole`,
/// the open detail's request, and the list brought none of what the detail's read gave.
/// Returns true in that last case: the request then holds more than the list said, and a
/// later list must compare it whole (once the detail closes, the list's form replaces it).
fn takes_known_parameters(
    listed: &mut CertRequest,
    known: &CertRequest,
    whole: Option<u64>,
) -> bool {
    let whole_known = Some(listed.id) == whole
        && listed.has_only_list_details()
        && !known.has_only_list_details();
    if listed.is_unnamed() {
        listed.take_names_of(known);
    }
    if whole_known {
        listed.details = known.details.clone();
    }
    whole_known
}

/// What `replace_keeping` did.
#[derive(Debug)]
pub struct Replaced {
    /// Every request is where it was: the table's order still holds.
    pub in_place: bool,
    /// Where the requests whose fingerprint moved are, in order: when `in_place`, the only
    /// rows whose place in the table may have changed (the others are what they were).
    pub moved: Vec<usize>,
    /// The requests no longer shown (the old versions of changed requests, the fresh copies
    /// of unchanged ones), for the caller to free where freeing them costs no key its frame.
    pub discarded: Vec<CertRequest>,
    /// Unread requests whose shown copy is not what the poller remembered (the detail read
    /// it since): the poller forgets them, so their next items are read.
    pub forget: Vec<u64>,
}

impl Replaced {
    /// False when the list said exactly what the last one did: the same requests in the
    /// same places, each kept by its fingerprint (so what is shown, and cached, is what was).
    pub fn changed_anything(&self) -> bool {
        !self.in_place || !self.moved.is_empty() || !self.forget.is_empty()
    }
}

/// The list being replaced: owned (its unchanged requests are moved into the new list), or
/// still shared with the cache writer (what is kept is copied, as the writer may still read
/// it).
enum OldList {
    Owned(Vec<CertRequest>),
    Shared {
        list: Arc<Vec<CertRequest>>,
        discarded: Vec<CertRequest>,
    },
}

impl From<Arc<Vec<CertRequest>>> for OldList {
    fn from(list: Arc<Vec<CertRequest>>) -> Self {
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
    fn get(&self, position: usize) -> Option<&CertRequest> {
        match self {
            OldList::Owned(list) => list.get(position),
            OldList::Shared { list, .. } => list.get(position),
        }
    }

    /// `fresh` becomes the request at `position`, in its old allocation; the fresh copy
    /// takes its place in the old list, to be discarded with it. (A list naming an id twice
    /// finds the first one's fresh copy there the second time: the same content.)
    fn keep(&mut self, position: usize, fresh: &mut CertRequest) {
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

    fn into_discarded(self) -> Vec<CertRequest> {
        match self {
            OldList::Owned(list) => list,
            OldList::Shared { discarded, .. } => discarded,
        }
    }
}

#[cfg(test)]
#[path = "dataset_tests.rs"]
mod tests;
