//! A generated world of 10,000 requests: it builds, every request is listed once, and a list
//! call over a pair's thousand-odd requests stays fast (the timing is printed for the record).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use std::time::{Duration, Instant};

use sim_support::*;
use spsdash::sim::SimOptions;

#[tokio::test]
async fn ten_thousand_requests_list_quickly() {
    let started = Instant::now();
    let sim = start(SimOptions {
        speed: 0.0,
        requests: Some(10_000),
        ..SimOptions::default()
    })
    .await;
    let built = started.elapsed();
    let mut total = 0;
    let mut slowest = (Duration::ZERO, 0usize);
    for (contract, group) in sim.pairs() {
        let path =
            format!("{BASE}/sps-requests?contractId={contract}&groupId={group}&information=true");
        let asked = Instant::now();
        let answer = get(&sim, &path).await;
        let took = asked.elapsed();
        assert_eq!(answer.status, 200);
        let count = answer.json()["requestList"].as_array().unwrap().len();
        total += count;
        if took > slowest.0 {
            slowest = (took, count);
        }
    }
    eprintln!(
        "10,000 requests: world built in {built:?}; slowest list call {:?} for {} requests \
         (information=true)",
        slowest.0, slowest.1
    );
    assert_eq!(total, 10_000);
    let (contract, group) = ("C-1EXMPL", "10010");
    let asked = Instant::now();
    let plain = get(
        &sim,
        &format!("{BASE}/sps-requests?contractId={contract}&groupId={group}"),
    )
    .await;
    let took = asked.elapsed();
    let count = plain.json()["requestList"].as_array().unwrap().len();
    eprintln!(
        "list without information: {took:?} for {count} requests ({} bytes)",
        plain.body.len()
    );
    assert!(count > 2_000, "the busy pair holds thousands: {count}");
    // The bound that matters: a list call must end well inside the client's time limit, or
    // the dashboard would time out on a big account. Generous for an unoptimised build on a
    // busy machine (the figures above are the measurement; release is far faster).
    let limit = spsdash::edgegrid::ClientOptions::default().timeout / 2;
    assert!(took < limit, "{took:?} (limit {limit:?})");
    assert!(slowest.0 < limit, "{slowest:?} (limit {limit:?})");
}
