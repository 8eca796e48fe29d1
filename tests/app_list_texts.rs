//! A later list read against the one before (issue 12, `sps::list_texts`,
//! `app::list_memory`): the simulator writes an unchanged request with the same text, so the
//! client leaves it unread, and the dashboard shows what a whole read shows. When the
//! poller's memory and the dashboard go apart, the list is refused and read again whole.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;
mod sim_support;

use std::sync::Arc;

use app_support::*;
use spsdash::app::{App, ArrivedList, Dataset, Effect, Event, ListMemory, update};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::{NamedScope, ReadItem, ReadList, Scope};
use spsdash::source::Backend;

fn read_count(items: &[ReadItem]) -> usize {
    items
        .iter()
        .filter(|item| matches!(item, ReadItem::Read(..)))
        .count()
}

#[tokio::test]
async fn the_simulators_unchanged_requests_come_unread_and_show_what_a_whole_read_shows() {
    // A generated world (the demo's pairs hold a few requests each), its clock stopped.
    let sim = sim_support::start(spsdash::sim::SimOptions {
        speed: 0.0,
        requests: Some(400),
        ..Default::default()
    })
    .await;
    let client = Backend::new(
        Client::new(sim.credentials.clone(), ClientOptions::default()).unwrap(),
        spsdash::model::Api::Sps,
    );
    let (contract, group) = sim.pairs()[0].clone();
    let pair = Scope::pair(contract, group);
    let named = NamedScope {
        scope: pair.clone(),
        name: None,
    };

    let first = client.sps().list_compacted(&pair, |_| false).await.unwrap();
    let total = first.items.len();
    assert!(total >= 5, "a pair with requests: {total}");
    assert_eq!(read_count(&first.items), total);
    let (first, memory) =
        ArrivedList::read_against(&pair, first.items, &ListMemory::default()).unwrap();
    let mut shown = Dataset::new(&named);
    drop(shown.replace_keeping(first, None));

    // The clock stands still: the same answer, not one item read.
    let memory = Arc::new(memory);
    let knows = Arc::clone(&memory);
    let again = client
        .sps()
        .list_compacted(&pair, move |text| knows.knows(text))
        .await
        .unwrap();
    assert_eq!((again.items.len(), read_count(&again.items)), (total, 0));

    // Some requests move on: only they are read, and what shows is a whole read's.
    sim.advance(6 * 3600);
    let knows = Arc::clone(&memory);
    let later = client
        .sps()
        .list_compacted(&pair, move |text| knows.knows(text))
        .await
        .unwrap();
    let read = read_count(&later.items);
    assert!(
        read > 0 && read < later.items.len(),
        "{read} of {} read",
        later.items.len()
    );
    let (later, _) = ArrivedList::read_against(&pair, later.items, &memory).unwrap();
    assert!(shown.can_take(&later));
    drop(shown.replace_keeping(later, None));

    let whole = client.sps().list_compacted(&pair, |_| false).await.unwrap();
    let (whole, _) = ArrivedList::read_against(&pair, whole.items, &ListMemory::default()).unwrap();
    let mut fresh = Dataset::new(&named);
    drop(fresh.replace_keeping(whole, None));
    assert_eq!(shown.requests, fresh.requests);
    assert_eq!(shown.rows, fresh.rows);
    assert_eq!(shown.counts, fresh.counts);
}

/// `requests` for `pair` as the poller hands them over after reading them against `memory`.
fn read_against(
    pair: &Scope,
    requests: Vec<spsdash::model::CertRequest>,
    memory: &ListMemory,
    seconds: i64,
) -> (Event, ListMemory) {
    let read = ReadList::of_requests(requests, |text| memory.knows(text));
    let (list, remembered) = ArrivedList::read_against(pair, read.items, memory).unwrap();
    let event = Event::ListLoaded {
        pair: pair.clone(),
        at: at(seconds),
        outcome: Ok(list),
        failures: 0,
        skipped: Vec::new(),
    };
    (event, remembered)
}

fn dataset<'a>(app: &'a App, pair: &Scope) -> &'a Dataset {
    app.datasets
        .iter()
        .find(|dataset| dataset.pair == *pair)
        .unwrap()
}

#[test]
fn a_list_the_dashboard_cannot_make_whole_is_refused_and_read_again() {
    let mut app = app(120, 30);
    let (first, memory) = read_against(&web(), web_list(), &ListMemory::default(), 0);
    update(&mut app, first);
    let before = dataset(&app, &web()).requests.clone();

    // The dashboard lost the pair's requests (another source replaced them) while the
    // poller still remembers them: its next list cannot be made from what is shown.
    update(&mut app, loaded(web(), Vec::new(), 5));
    let (second, _) = read_against(&web(), web_list(), &memory, 10);
    let effects = update(&mut app, second);
    assert!(
        effects
            .iter()
            .any(|effect| matches!(effect, Effect::ReadListWhole(pair) if *pair == web())),
        "{effects:?}"
    );
    let shown = dataset(&app, &web());
    assert!(
        shown.requests.is_empty(),
        "nothing taken from a list it cannot make"
    );
    assert_eq!(shown.freshness.fetched_at, Some(at(5)));

    update(&mut app, loaded(web(), web_list(), 15));
    assert_eq!(dataset(&app, &web()).requests, before);
}

#[test]
fn a_request_the_detail_read_is_kept_and_its_next_item_read() {
    let mut app = app(120, 30);
    let (first, memory) = read_against(&web(), web_list(), &ListMemory::default(), 0);
    update(&mut app, first);
    let mut detail = web_list()[0].clone();
    detail.progress = Some("read by the detail".into());
    let id = detail.id;
    update(
        &mut app,
        Event::DetailLoaded {
            pair: web(),
            id,
            at: at(5),
            outcome: Ok(detail.clone()),
        },
    );
    let (second, _) = read_against(&web(), web_list(), &memory, 10);
    let effects = update(&mut app, second);
    let forgotten: Vec<&Vec<u64>> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::ForgetListItems { pair, ids } if *pair == web() => Some(ids),
            _ => None,
        })
        .collect();
    assert_eq!(forgotten, [&vec![id]], "{effects:?}");
    assert_eq!(
        dataset(&app, &web())
            .get(id)
            .and_then(|request| request.progress.as_deref()),
        Some("read by the detail")
    );
    assert_eq!(dataset(&app, &web()).freshness.fetched_at, Some(at(10)));
}

fn saves_cache(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|effect| matches!(effect, Effect::SaveCache { .. }))
}

#[test]
fn a_list_that_changed_nothing_is_not_written_to_the_cache_again_for_ten_minutes() {
    let mut app = app(120, 30);
    let (first, memory) = read_against(&web(), web_list(), &ListMemory::default(), 0);
    assert!(
        saves_cache(&update(&mut app, first)),
        "a first list is saved"
    );
    let (same, memory) = read_against(&web(), web_list(), &memory, 20);
    assert!(
        !saves_cache(&update(&mut app, same)),
        "the file holds it already"
    );
    // Read whole (nothing remembered), the same list is still the same.
    assert!(!saves_cache(&update(
        &mut app,
        loaded(web(), as_polled(web_list()), 40)
    )));
    let (same, memory) = read_against(&web(), web_list(), &memory, 610);
    assert!(
        saves_cache(&update(&mut app, same)),
        "ten minutes on, the cache is told the data still holds"
    );
    let (changed, _) = read_against(&web(), web_list_with_new_request(), &memory, 620);
    assert!(
        saves_cache(&update(&mut app, changed)),
        "a change is saved at once"
    );
}
