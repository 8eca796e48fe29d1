//! The dashboard's poll economy on CPS, measured by the simulator's own call counts: 1,000
//! enrollments over 4 contracts cost one list call per contract per cycle, and the changes
//! (with their challenges) are read at no more than one call a second over all of them. The
//! full minute runs in `benches/cps_economy.sh`; this is the same measure, shorter.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use std::time::{Duration, Instant};

use spsdash::app::Event;
use spsdash::config::PollConfig;
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::{Api, Scope};
use spsdash::poll::Poller;
use spsdash::sim::{CallCount, SimOptions};
use spsdash::source::Backend;

/// Calls by kind: contract lists, and change or challenge reads.
fn counts(calls: &[CallCount]) -> (u64, u64) {
    let sum = |wanted: &dyn Fn(&str) -> bool| -> u64 {
        calls
            .iter()
            .filter(|call| wanted(&call.route))
            .map(|call| call.count)
            .sum()
    };
    let lists = sum(&|route| route == "/cps/v2/enrollments");
    let changes = sum(&|route| route.contains("/changes/"));
    (lists, changes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_enrollments_cost_a_list_a_contract_and_a_change_read_a_second() {
    let sim = sim_support::start(SimOptions {
        enrollments: Some(1000),
        ..SimOptions::default()
    })
    .await;
    let contracts = sim.contracts();
    assert_eq!(contracts.len(), 4, "{contracts:?}");
    let client = Client::new(sim.credentials.clone(), ClientOptions::default()).unwrap();
    let backend = Backend::new(client, Api::Cps);
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    let active = 4;
    let config = PollConfig {
        active_secs: active,
        idle_secs: 120,
        detail_secs: 10,
    };
    let mut poller = Poller::new(backend.clone(), config, events);
    let scopes: Vec<Scope> = contracts.iter().map(Scope::contract).collect();
    let started = Instant::now();
    poller.watch(&scopes);
    let mut enrollments = 0usize;
    let mut reads = 0usize;
    let run = Duration::from_secs(13);
    while started.elapsed() < run {
        let left = run.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, received.recv()).await {
            Ok(Some(Event::ListLoaded {
                outcome: Ok(list), ..
            })) => enrollments = enrollments.max(list.requests().len()),
            Ok(Some(Event::RequestRead { outcome, .. })) => {
                outcome.expect("a change read");
                reads += 1;
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(poller);
    let (lists, changes) = counts(&sim.calls());
    let cycles = (elapsed / active as f64).floor() as u64 + 1;
    assert!(
        enrollments >= 200,
        "a contract lists its 250: {enrollments}"
    );
    assert!(
        lists <= 4 * cycles,
        "{lists} list calls in {cycles} cycles over 4 contracts"
    );
    assert!(lists >= 4, "each contract listed: {lists}");
    // One call a second, the first at once.
    let allowed = elapsed.floor() as u64 + 1;
    assert!(
        changes <= allowed,
        "{changes} change/challenge calls in {elapsed:.1} s (at most {allowed})"
    );
    assert!(
        changes >= allowed / 2 && reads > 0,
        "changes are read all along: {changes} calls, {reads} reads in {elapsed:.1} s"
    );
    eprintln!(
        "{enrollments} enrollments a contract: {lists} list calls in {cycles} cycles, \
         {changes} change/challenge calls ({reads} reads) in {elapsed:.1} s"
    );
}
