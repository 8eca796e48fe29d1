//! The exporter's calls stay inside the dashboard's budget (issue 29, part 3), counted by the
//! simulator itself (`/_sim/stats`): over a measured window, at most one list per contract
//! per poll interval (plus the one list per contract a certificate round begins with, as
//! `watch`'s does), and the change and certificate reads together within `[cps]
//! reads_per_minute`; and scraping `/metrics` fifty times makes no call at all.
//!
//! Caught mutations (each tried by a deliberate break, then reverted): the certificate reads
//! without the account's pacer (`plan.pacer = None` in `background::certificates`: the window
//! test, more paced reads than the budget); certificate rounds every second instead of every
//! six hours (`fifty_scrapes_make_no_api_call`: calls during the scrapes; the window test
//! alone does not see it). Not tried: a scrape that polls (the handler holds no client).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod exporter_support;
mod skip_support;
mod support;

use std::time::{Duration, Instant};

use exporter_support::samples;
use spsdash::sim::CallCount;

/// Generated enrollments (over the simulator's four contracts); about a fifth with a change.
const ENROLLMENTS: usize = 40;

/// Calls by kind: contract lists, paced reads (changes, challenges, deployments,
/// enrollments), and everything.
fn counts(calls: &[CallCount]) -> (u64, u64, u64) {
    let sum = |wanted: &dyn Fn(&str) -> bool| -> u64 {
        calls
            .iter()
            .filter(|call| wanted(&call.route))
            .map(|call| call.count)
            .sum()
    };
    let lists = sum(&|route| route == "/cps/v2/enrollments");
    let paced = sum(&|route| route.starts_with("/cps/v2/enrollments/"));
    let all = sum(&|_| true);
    (lists, paced, all)
}

#[tokio::test]
async fn over_a_window_the_exporter_lists_once_an_interval_and_reads_at_the_accounts_pace() {
    let interval = 2u64;
    let per_minute = 60u64;
    let started = Instant::now();
    let exporter = exporter_support::start(
        ENROLLMENTS,
        &format!(
            "[poll]\nactive_secs = {interval}\nidle_secs = {interval}\n[api]\ntimeout_secs = 5\n\
             retries = 0\n[cps]\nreads_per_minute = {per_minute}\n"
        ),
    )
    .await;
    let contracts = exporter.sim.contracts().len() as u64;
    assert_eq!(contracts, 4);
    tokio::time::sleep(Duration::from_secs(12)).await;
    let (lists, paced, _) = counts(&exporter.sim.calls());
    let window = started.elapsed().as_secs_f64();
    let text = exporter
        .metrics_when(Duration::from_secs(5), |text| !text.is_empty())
        .await;
    // The dashboard's budget over the window: a list per contract per interval (the first at
    // once), and one for each contract when the certificate round begins.
    let list_budget = contracts * ((window / interval as f64).floor() as u64 + 1) + contracts;
    let read_budget = (window * per_minute as f64 / 60.0).ceil() as u64 + 1;
    eprintln!(
        "window {window:.1} s: {lists} list calls (budget {list_budget}), {paced} paced reads \
         (budget {read_budget})"
    );
    assert!(lists <= list_budget, "{lists} lists > {list_budget}");
    assert!(
        lists >= contracts * 3,
        "the lists ran on their cadence: {lists} in {window:.1} s"
    );
    assert!(paced <= read_budget, "{paced} paced reads > {read_budget}");
    assert!(
        paced >= read_budget / 2,
        "reads went on at the pace while there was more to read: {paced}"
    );
    // The exporter's own counters agree with the simulator's.
    let list_calls = samples(&text, "spsdash_poller_list_calls_total")[0].1 as u64;
    assert!(list_calls <= lists, "{list_calls} counted, {lists} made");
    let (code, stderr) = exporter.stop().await;
    assert_eq!(code, Some(0), "{stderr}");
}

#[tokio::test]
async fn fifty_scrapes_make_no_api_call() {
    // Lists an hour apart: after the first lists, the certificate round and the first change
    // reads, nothing is due for a while (a change awaiting input is read again after 30 s).
    let exporter = exporter_support::start(
        8,
        "[poll]\nactive_secs = 3600\nidle_secs = 3600\n[api]\ntimeout_secs = 5\nretries = 0\n\
         [cps]\nreads_per_minute = 600\n",
    )
    .await;
    let text = exporter
        .metrics_when(Duration::from_secs(30), |text| {
            samples(text, "spsdash_certificate_not_after_timestamp_seconds").len() >= 8
        })
        .await;
    assert!(
        text.contains("spsdash_poller_certificate_rounds_total"),
        "{text}"
    );
    // Let the first change reads end (at ten a second, well within this).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = exporter.sim.calls();
    let asked = Instant::now();
    for _ in 0..50 {
        let (status, _, body) = exporter.scrape().await.expect("answers");
        assert_eq!(status, 200);
        assert!(body.contains("spsdash_api_up"), "{body}");
    }
    let after = exporter.sim.calls();
    assert!(
        asked.elapsed() < Duration::from_secs(20),
        "the scrapes ran inside the quiet time"
    );
    assert_eq!(counts(&before), counts(&after), "{before:?}\n{after:?}");
    let (code, stderr) = exporter.stop().await;
    assert_eq!(code, Some(0), "{stderr}");
}
