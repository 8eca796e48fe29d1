//! The poller with the real client against a scripted server on loopback: what it asks for,
//! what it reports, how failures count, and that a refresh is one call per dataset.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use spsdash::app::Event;
use spsdash::config::PollConfig;
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::poll::Poller;
use spsdash::source::Backend;
use support::{Scripted, TestServer};
use tokio::sync::mpsc;

const LIST: &str = r#"{"requestList":[
  {"spsId":1856,"status":"Awaiting User","lastStatusChange":"2026-11-28T10:00:00Z",
   "parameters":[{"name":"cnameHostname","value":"shop.example.com"}],
   "dvStatus":[{"domain":"shop.example.com","status":"Awaiting User",
                "fullPath":"http://shop.example.com/.well-known/acme-challenge/T",
                "redirectFullPath":"http://dcv.akamai.com/.well-known/acme-challenge/T"}]},
  {"spsId":"1857","status":"SPS Request Complete"}]}"#;

fn client(server: &TestServer) -> Backend {
    spsdash::edgegrid::install_crypto_provider();
    Backend::new(
        Client::new(
            server.credentials(),
            ClientOptions {
                timeout: Duration::from_secs(5),
                retries: 0,
                backoff: Duration::from_millis(10),
            },
        )
        .expect("a client for loopback"),
        spsdash::model::Api::Sps,
    )
}

async fn next(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .expect("an event within 20 s")
        .expect("channel open")
}

/// Hour-long intervals: every call in these tests is a first call or a refresh.
fn slow() -> PollConfig {
    PollConfig {
        active_secs: 3600,
        idle_secs: 3600,
        detail_secs: 3600,
    }
}

#[tokio::test]
async fn lists_each_pair_with_information_and_reports_failures_with_a_count() {
    let server = TestServer::start(Scripted::json(200, LIST)).await;
    server.script([Scripted::json(
        500,
        r#"{"Errors":{"invalidItems":[{"validationDescription":"boom"}]},"Results":"Errors"}"#,
    )]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut poller = Poller::new(client(&server), slow(), tx);
    let pair = Scope::pair("C-1ABCDE", "12345");
    poller.watch(std::slice::from_ref(&pair));

    match next(&mut rx).await {
        Event::ListLoaded {
            pair: got,
            outcome: Err(error),
            failures,
            ..
        } => {
            assert_eq!(got, pair);
            assert_eq!(failures, 1);
            assert!(error.to_string().contains("boom"), "{error}");
        }
        other => panic!("expected a failed list, got {other:?}"),
    }
    poller.refresh_now();
    match next(&mut rx).await {
        Event::ListLoaded {
            outcome: Ok(list),
            failures,
            ..
        } => {
            let requests = list.requests();
            assert_eq!(failures, 0);
            assert_eq!(requests.len(), 2);
            assert_eq!(
                requests[0].domains[0].redirect_path.as_deref(),
                Some("http://dcv.akamai.com/.well-known/acme-challenge/T")
            );
        }
        other => panic!("expected the list, got {other:?}"),
    }
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 2, "one call per dataset per cycle");
    for request in &recorded {
        assert!(
            request.target.contains("contractId=C-1ABCDE"),
            "{}",
            request.target
        );
        assert!(
            request.target.contains("groupId=12345"),
            "{}",
            request.target
        );
        assert!(
            request.target.contains("information=true"),
            "{}",
            request.target
        );
    }
}

#[tokio::test]
async fn the_open_detail_is_read_with_its_own_task() {
    let one = r#"{"requestList":[{"spsId":1856,"status":"Awaiting User"}]}"#;
    let server = TestServer::start(Scripted::json(200, one)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut poller = Poller::new(client(&server), slow(), tx);
    let pair = Scope::pair("C-1ABCDE", "12345");
    poller.watch_detail(Some((pair.clone(), 1856)));
    match next(&mut rx).await {
        Event::DetailLoaded {
            id,
            outcome: Ok(request),
            ..
        } => {
            assert_eq!(id, 1856);
            assert_eq!(request.id, 1856);
        }
        other => panic!("expected the detail, got {other:?}"),
    }
    let recorded = server.recorded();
    assert!(
        recorded[0].target.contains("/sps-requests/1856"),
        "{}",
        recorded[0].target
    );
    assert_eq!(poller.watched(), 1);
    poller.watch_detail(None);
    assert_eq!(poller.watched(), 0);
}

#[tokio::test]
async fn a_later_list_reads_only_the_items_whose_text_changed_and_a_whole_read_reads_all() {
    let changed = LIST.replace(r#""status":"Awaiting User""#, r#""status":"Pending""#);
    let server = TestServer::start(Scripted::json(200, &changed)).await;
    server.script([Scripted::json(200, LIST)]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut poller = Poller::new(client(&server), slow(), tx);
    let pair = Scope::pair("C-1ABCDE", "12345");
    poller.watch(std::slice::from_ref(&pair));

    let mut unread = Vec::new();
    for step in 0..3 {
        match next(&mut rx).await {
            Event::ListLoaded {
                outcome: Ok(list), ..
            } => {
                assert_eq!(list.requests().len(), 2);
                unread.push(list.unread_ids().collect::<Vec<u64>>());
            }
            other => panic!("expected a list, got {other:?}"),
        }
        match step {
            0 => poller.refresh_now(),
            // No refresh asked: forgetting wakes the pair's task by itself.
            1 => poller.read_list_whole(&pair),
            _ => {}
        }
    }
    assert_eq!(
        unread,
        [vec![], vec![1857], vec![]],
        "first read whole; then 1856 changed and 1857 did not; then read whole again"
    );
    assert_eq!(server.recorded().len(), 3);
}
