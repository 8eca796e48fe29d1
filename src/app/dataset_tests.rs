//! Tests of `dataset.rs`: what a later list keeps, compares and frees.

use super::*;
use crate::model::RequestState;
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

fn dataset() -> Dataset {
    Dataset::new(&NamedScope {
        scope: Scope::pair("C-1", "1"),
        name: None,
    })
}

#[test]
fn a_list_without_parameters_keeps_the_known_names() {
    let mut dataset = dataset();
    let with: CertRequest = crate::sps::neutral::from_json(
        serde_json::from_str(
        r#"{"spsId":1,"status":"Pending","parameters":[{"name":"cnameHostname","value":"x.example"}]}"#).expect("json"),
    )
    .expect("parses");
    let without: CertRequest = crate::sps::neutral::from_json(
        serde_json::from_str(r#"{"spsId":1,"status":"CPS running"}"#).expect("json"),
    )
    .expect("parses");
    dataset.replace(vec![with]);
    dataset.replace(vec![without]);
    let shown = dataset.shown(0);
    assert_eq!(shown.name(), "x.example");
    assert_eq!(shown.status(), "CPS running");
    assert_eq!(dataset.counts.in_progress, 1);
}

fn request(id: u64, status: &str) -> CertRequest {
    crate::sps::neutral::from_json(serde_json::json!({
        "spsId": id, "status": status, "workflowProgress": format!("step of {id}"),
        "parameters": [{"name": "cnameHostname", "value": format!("h{id}.example")},
                       {"name": "admin-contact.email", "value": "ann@example.com"}]
    }))
    .expect("parses")
}

fn arrived(requests: Vec<CertRequest>) -> ArrivedList {
    ArrivedList::new(&Scope::pair("C-1", "1"), requests)
}

fn progress_at(dataset: &Dataset, position: usize) -> *const u8 {
    dataset.requests[position]
        .progress
        .as_deref()
        .expect("progress")
        .as_ptr()
}

#[test]
fn an_unchanged_request_keeps_its_allocation_and_its_row() {
    let mut dataset = dataset();
    dataset.replace(vec![request(1, "Pending"), request(2, "Pending")]);
    let (first, second) = (progress_at(&dataset, 0), progress_at(&dataset, 1));
    // Held by the cache writer: what is kept is copied, the writer's copy untouched.
    let writer = Arc::clone(&dataset.requests);
    dataset.replace(vec![request(1, "Pending"), request(2, "Pending")]);
    assert_ne!(progress_at(&dataset, 0), first);
    assert_eq!(writer[0].progress.as_deref().unwrap().as_ptr(), first);
    drop(writer);
    let (first, second_copy) = (progress_at(&dataset, 0), progress_at(&dataset, 1));
    assert_ne!(second_copy, second);
    // Rows follow their requests.
    assert_eq!(dataset.rows[0].id, 1);

    // Owned now: the unchanged request and its row are moved, the changed one is new.
    dataset.replace(vec![request(2, "CPS running"), request(1, "Pending")]);
    assert_eq!(progress_at(&dataset, 1), first);
    assert_eq!(dataset.rows[1].id, 1);
    assert_ne!(progress_at(&dataset, 0), second_copy);
    assert_eq!(dataset.rows[0].state, RequestState::InProgress);
    assert_eq!(dataset.get(1).expect("kept").id, 1);
    assert_eq!(dataset.position(2), Some(0));
    assert_eq!(
        (dataset.counts.awaiting, dataset.counts.in_progress),
        (0, 2)
    );
}

#[test]
fn the_open_detail_keeps_what_its_own_read_gave_when_the_list_is_compact() {
    let mut dataset = dataset();
    dataset.replace_keeping(arrived(vec![request(1, "Pending")]), Some(1));
    assert_eq!(dataset.requests[0].details.len(), 2);
    let mut compact = request(1, "Pending");
    compact.compact_for_list();
    dataset.replace_keeping(arrived(vec![compact.clone()]), Some(1));
    assert_eq!(
        dataset.requests[0].detail("admin-contact.email"),
        Some("ann@example.com")
    );
    // Closed: the list's few only.
    dataset.replace_keeping(arrived(vec![compact]), None);
    assert_eq!(dataset.requests[0].detail("admin-contact.email"), None);
}

fn compact(id: u64, status: &str) -> CertRequest {
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
        .map(|(shown, new)| (shown.map(|shown| shown.id), new.id))
        .collect();
    assert_eq!(offered, [(Some(2), 2), (None, 3)]);
    let replaced = dataset.replace_keeping(list, None);
    // The fresh copy of 1 and the old 2 go; the new 2 and 3 stay.
    let mut gone: Vec<(u64, String)> = replaced
        .discarded
        .iter()
        .map(|request| (request.id, request.status.to_string()))
        .collect();
    gone.sort();
    assert_eq!(
        gone,
        [(1, "Pending".to_string()), (2, "Pending".to_string())]
    );
    assert_eq!(dataset.get(2).expect("kept").status.as_str(), "CPS running");

    // Every request where it was, one moved on: the table need move only its row.
    let list = arrived(vec![
        compact(1, "CPS running"),
        compact(2, "CPS running"),
        compact(3, "Pending"),
    ]);
    let replaced = dataset.replace_keeping(list, None);
    assert!(replaced.in_place);
    assert_eq!(replaced.moved, [0]);
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
        dataset.get(1).expect("kept").detail("admin-contact.email"),
        None
    );
}

/// A later list of the same 30 requests in the same places (a seventh of them in another
/// state each round; every fifth whole, the others compact), read as the poller reads it
/// against the last one.
fn round(round: u64, memory: &super::super::ListMemory) -> (ArrivedList, super::super::ListMemory) {
    let requests = (1..=30)
        .map(|id| {
            let status = if (id + round).is_multiple_of(7) {
                "CPS running"
            } else {
                "Pending"
            };
            if id.is_multiple_of(5) {
                request(id, status)
            } else {
                compact(id, status)
            }
        })
        .collect();
    let read = crate::model::read_list::ReadList::of_requests(requests, |text| memory.knows(text));
    ArrivedList::read_against(&Scope::pair("C-1", "1"), read.items, memory)
        .expect("made from the memory")
}

#[test]
fn a_list_in_the_same_places_changes_what_the_general_way_changes_and_moves_nothing_else() {
    let (mut in_place, mut general) = (dataset(), dataset());
    let mut memory = super::super::ListMemory::default();
    for number in 0..12 {
        let (list, next) = round(number, &memory);
        memory = next;
        if number % 4 == 2 {
            // The detail read one apart from the list, in both.
            in_place.upsert(request(7, "Awaiting User"));
            general.upsert(request(7, "Awaiting User"));
        }
        let whole = number.is_multiple_of(3).then_some(10);
        let shown_at = in_place.requests.as_ptr();
        // Held by the cache writer: the general way, which copies what it keeps.
        let writer = Arc::clone(&general.requests);
        let by_general = general.replace_keeping(list.clone(), whole);
        drop(writer);
        let by_place = in_place.replace_keeping(list, whole);
        assert_eq!(in_place.requests, general.requests, "round {number}");
        assert_eq!(
            in_place.fingerprints, general.fingerprints,
            "round {number}"
        );
        assert_eq!(in_place.counts, general.counts, "round {number}");
        assert_eq!(in_place.index, general.index, "round {number}");
        let keys = |dataset: &Dataset| {
            let rows = dataset.rows.iter();
            rows.map(|row| (row.id, row.state, row.last_change, row.enrollment_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&in_place), keys(&general), "round {number}");
        assert_eq!(
            (by_place.in_place, &by_place.moved, &by_place.forget),
            (by_general.in_place, &by_general.moved, &by_general.forget),
            "round {number}"
        );
        if number > 0 {
            // The dataset's own vector stayed: nothing that did not change was moved.
            assert_eq!(in_place.requests.as_ptr(), shown_at, "round {number}");
        }
    }
}
