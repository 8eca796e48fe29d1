//! Tests of `list_memory.rs`: a list read against the last one shows what a whole read shows.

use super::*;
use crate::app::Dataset;
use crate::model::read_list::ReadList;
use crate::model::{CertRequest, NamedScope};

fn pair() -> Scope {
    Scope::pair("C-1", "1")
}

fn dataset() -> Dataset {
    Dataset::new(&NamedScope {
        scope: pair(),
        name: None,
    })
}

fn request(id: u64, status: &str, step: &str) -> CertRequest {
    crate::sps::neutral::from_json(serde_json::json!({
        "spsId": id, "status": status, "workflowProgress": step, "enrollmentId": 100 + id,
        "lastStatusChange": format!("2026-11-{:02}T10:00:00Z", 1 + id % 28),
        "parameters": [{"name": "cnameHostname", "value": format!("h{id}.example")},
                       {"name": "csr.cn", "value": format!("h{id}.example")}],
        "dvStatus": [{"domain": format!("h{id}.example"), "status": "Pending"}]
    }))
    .expect("parses")
}

fn statuses(id: u64) -> &'static str {
    [
        "Awaiting User",
        "Pending",
        "CPS running",
        "SPS Request Complete",
    ][id as usize % 4]
}

fn first_list() -> Vec<CertRequest> {
    (1..=40)
        .map(|id| request(id, statuses(id), "step 1"))
        .collect()
}

/// The first list with ids 5 and 9 changed, 12 and 30 gone, 41 and 42 new.
fn second_list() -> Vec<CertRequest> {
    let mut list: Vec<CertRequest> = first_list()
        .into_iter()
        .filter(|request| request.id != 12 && request.id != 30)
        .map(|request| match request.id {
            5 => self::request(5, "SPS Request Complete", "deployed"),
            9 => self::request(9, "Pending", "step 2"),
            _ => request,
        })
        .collect();
    list.push(request(41, "Pending", "step 1"));
    list.push(request(42, "Awaiting User", "step 1"));
    list
}

/// `requests` read as the client reads them against `memory`.
fn read(requests: Vec<CertRequest>, memory: &ListMemory) -> (ArrivedList, ListMemory) {
    let read = ReadList::of_requests(requests, |text| memory.knows(text));
    ArrivedList::read_against(&pair(), read.items, memory).expect("made from the memory")
}

#[test]
fn a_list_read_against_the_last_one_shows_what_a_whole_read_shows() {
    let mut shown = dataset();
    let (first, memory) = read(first_list(), &ListMemory::default());
    assert!(
        first.unread.is_empty(),
        "nothing known yet: every item read"
    );
    assert_eq!(memory.len(), 40);
    drop(shown.replace_keeping(first, None));

    let (second, memory) = read(second_list(), &memory);
    let unread: Vec<u64> = second.unread_ids().collect();
    assert_eq!(unread.len(), 36, "the unchanged items are not read");
    assert!(!unread.contains(&5) && !unread.contains(&9) && !unread.contains(&41));
    let mut offered: Vec<u64> = shown
        .changed_in(&second)
        .map(|(_, request)| request.id)
        .collect();
    offered.sort_unstable();
    assert_eq!(
        offered,
        [5, 9, 41, 42],
        "only what changed reaches the history"
    );
    assert_eq!(
        second.counts,
        ArrivedList::read(&pair(), second_list()).counts
    );
    assert!(shown.can_take(&second));
    let replaced = shown.replace_keeping(second, None);
    assert!(replaced.forget.is_empty());

    let mut whole = dataset();
    drop(whole.replace_keeping(ArrivedList::read(&pair(), second_list()), None));
    assert_eq!(shown.requests, whole.requests);
    assert_eq!(shown.rows, whole.rows);
    assert_eq!(shown.counts, whole.counts);

    // The same list once more: nothing read, nothing offered, nothing changed.
    let (third, memory) = read(second_list(), &memory);
    assert_eq!(third.unread_ids().count(), 40);
    assert_eq!(shown.changed_in(&third).count(), 0);
    let replaced = shown.replace_keeping(third, None);
    assert!(replaced.in_place && replaced.moved.is_empty() && replaced.forget.is_empty());
    assert_eq!(shown.requests, whole.requests);
    assert_eq!(shown.rows, whole.rows);
    assert_eq!(memory.len(), 40);
}

#[test]
fn a_request_read_apart_from_the_list_stays_shown_and_its_next_item_is_read() {
    let mut shown = dataset();
    let (first, mut memory) = read(first_list(), &ListMemory::default());
    drop(shown.replace_keeping(first, None));
    // The detail read request 7 since: more than the list says, and newer.
    let mut detail = request(7, "CPS running", "step 2 (detail)");
    detail.details.push(crate::model::Detail {
        name: "admin-contact.email".into(),
        value: Some("ann@example.com".into()),
    });
    shown.upsert(detail.clone());

    let (second, _) = read(first_list(), &memory);
    assert_eq!(second.unread_ids().count(), 40);
    let replaced = shown.replace_keeping(second, Some(7));
    assert_eq!(replaced.forget, [7]);
    assert_eq!(
        shown.get(7),
        Some(&detail),
        "the detail's copy is not blanked"
    );

    memory.forget(&replaced.forget);
    let (third, _) = read(first_list(), &memory);
    let unread: Vec<u64> = third.unread_ids().collect();
    assert_eq!(unread.len(), 39);
    assert!(!unread.contains(&7), "request 7's item is read again");
    // Read, it is compared whole: what the list says of it shows.
    drop(shown.replace_keeping(third, None));
    assert_eq!(
        shown.get(7).map(|request| request.status.as_str()),
        Some(statuses(7))
    );
    assert_eq!(
        shown.get(7).and_then(|request| request.progress.as_deref()),
        Some("step 1")
    );
}

#[test]
fn a_dataset_that_does_not_show_an_unread_request_cannot_take_the_list() {
    let (_, memory) = read(first_list(), &ListMemory::default());
    let (second, _) = read(second_list(), &memory);
    assert!(
        !dataset().can_take(&second),
        "an empty dataset shows none of them"
    );
    let mut other = dataset();
    other.replace(first_list()[..20].to_vec());
    assert!(!other.can_take(&second));
}

#[test]
fn requests_named_twice_are_not_remembered_and_an_unread_one_named_twice_is_refused() {
    let mut twice = first_list();
    twice.push(request(3, "Pending", "another copy"));
    let (_, memory) = read(twice, &ListMemory::default());
    assert_eq!(memory.len(), 39, "neither item of request 3 is remembered");

    let (_, memory) = read(first_list(), &ListMemory::default());
    let mut twice = first_list();
    twice.push(request(3, "Pending", "another copy"));
    let items = ReadList::of_requests(twice, |text| memory.knows(text)).items;
    assert!(
        ArrivedList::read_against(&pair(), items, &memory).is_none(),
        "an unread item must stand for one request"
    );

    let stranger = ReadList::of_requests(first_list(), |_| true).items;
    assert!(
        ArrivedList::read_against(&pair(), stranger, &ListMemory::default()).is_none(),
        "an item taken as known that the memory does not know"
    );
}
