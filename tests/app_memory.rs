#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! What 10,000 requests cost the dashboard in heap (issue 12: ≤ 40 MB resident). The
//! simulator's world of 10,000 requests (8 pairs, `information=true`, the harness's seed) is
//! read and applied to an app exactly as the poller hands it on; the heap the app then holds is
//! read from glibc (`mallinfo2`: bytes of chunks in use, allocator headers included, so many
//! small allocations cost what they really cost). Printed with `-- --nocapture`.
//!
//! One test in this file on purpose: another test's allocations on a parallel thread would be
//! counted too.

mod app_support;
mod sim_support;
mod skip_support;

use sim_support::{BASE, get, start};
use spsdash::app::{App, Event, update};
use spsdash::config::{Config, PairConfig};
use spsdash::model::Scope;
use spsdash::sim::SimOptions;
use spsdash::sps::model::RequestList;

/// Heap held per request, table row included. Measured with this test: 2,491 bytes before
/// rows lost their copies and texts were shared, 1,632 after (2026-11-30), 1,417 once rows
/// became sort keys and `lastStatusChange` a time (2026-12-01; debug and release alike: the
/// same allocations). The bound leaves room for the sim's world to vary, not for the row's
/// text (~170 bytes) or the per-row copies (~400 bytes) to come back.
const BOUND_PER_REQUEST: usize = 1_550;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn heap_in_use() -> Option<usize> {
    #[repr(C)]
    struct MallInfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    unsafe extern "C" {
        fn mallinfo2() -> MallInfo2;
    }
    // SAFETY: mallinfo2 only reads the allocator's statistics (glibc 2.33+).
    let info = unsafe { mallinfo2() };
    Some(info.uordblks + info.hblkhd)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap_in_use() -> Option<usize> {
    None
}

#[tokio::test]
async fn ten_thousand_requests_fit_the_memory_budget() {
    if heap_in_use().is_none() {
        skip_support::skip("the memory budget: heap statistics need glibc");
        return;
    }
    let sim = start(SimOptions {
        speed: 0.0,
        requests: Some(10_000),
        ..SimOptions::default()
    })
    .await;
    let mut bodies = Vec::new();
    for (contract, group) in sim.pairs() {
        let path =
            format!("{BASE}/sps-requests?contractId={contract}&groupId={group}&information=true");
        let answer = get(&sim, &path).await;
        assert_eq!(answer.status, 200);
        bodies.push((Scope::pair(contract, group), answer.body));
    }
    let config = Config {
        pairs: bodies
            .iter()
            .map(|(pair, _)| PairConfig {
                contract: pair.contract_id.clone(),
                group: pair.group_id.clone(),
                name: None,
            })
            .collect(),
        ..Config::default()
    };
    let mut app = App::new(config, "DEMO".into(), app_support::t0(), (120, 40));

    let before = heap_in_use().unwrap();
    let mut count = 0;
    for (pair, body) in &bodies {
        let list: RequestList = serde_json::from_str(body).unwrap();
        count += list.request_list.len();
        update(
            &mut app,
            Event::ListLoaded {
                pair: pair.clone(),
                at: app_support::at(1),
                // As the poller sends it: compacted (it does so while the list is read).
                outcome: Ok(spsdash::app::ArrivedList::new(
                    pair,
                    app_support::as_polled(
                        list.request_list
                            .into_iter()
                            .map(spsdash::sps::neutral::list_item)
                            .collect(),
                    ),
                )),
                failures: 0,
                skipped: list.skipped,
            },
        );
    }
    let held = heap_in_use().unwrap().saturating_sub(before);
    assert_eq!(count, 10_000);
    assert_eq!(app.requests.view.len(), 10_000);
    let per_request = held / count;
    eprintln!(
        "10,000 requests held in {:.1} MB of heap: {per_request} bytes each",
        held as f64 / 1e6
    );
    assert!(
        per_request <= BOUND_PER_REQUEST,
        "{per_request} bytes per request (bound {BOUND_PER_REQUEST})"
    );
}
