//! An event is announced when it was delivered, not when it was tried: a webhook that fails
//! (500) and then recovers still gets the event, once, and the announced record holds it once;
//! a sink that already delivered is not told again on the retry. Two notifiers (two
//! dashboards, or a dashboard and `watch`) on one account's record tell each event once
//! between them.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use spsdash::config::notify::NotifyConfig;
use spsdash::model::Scope;
use spsdash::notify::{ANNOUNCED_FILE, Notifier, NotifyEvent, TerminalCaps};
use support::recorder::{recorded_calls, recorder};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid")
}

fn awaiting(sps_id: u64) -> NotifyEvent {
    NotifyEvent::status_change(
        at(),
        &Scope::pair("C-1EXMPL", "10010"),
        sps_id,
        None,
        Some("Pending"),
        "Awaiting User",
        None,
    )
    .expect("an event")
}

/// A webhook receiver: answers from `statuses` (then 200), after `delay`, and keeps the body
/// of every request that it answered 2xx.
#[derive(Clone, Default)]
struct Receiver {
    delivered: Arc<Mutex<Vec<Value>>>,
    requests: Arc<Mutex<usize>>,
    statuses: Arc<Mutex<VecDeque<u16>>>,
    delay: Duration,
}

async fn receive(State(receiver): State<Receiver>, body: String) -> StatusCode {
    *receiver.requests.lock().expect("requests") += 1;
    let status = receiver.statuses.lock().expect("statuses").pop_front();
    tokio::time::sleep(receiver.delay).await;
    let status = StatusCode::from_u16(status.unwrap_or(200)).expect("status");
    if status.is_success() {
        let document = serde_json::from_str(&body).unwrap_or(Value::Null);
        receiver.delivered.lock().expect("delivered").push(document);
    }
    status
}

async fn receiver(statuses: &[u16], delay: Duration) -> (Receiver, String) {
    let receiver = Receiver {
        delay,
        ..Receiver::default()
    };
    receiver.statuses.lock().expect("statuses").extend(statuses);
    let app = Router::new()
        .route("/hook/token123", post(receive))
        .with_state(receiver.clone());
    let address = support::serve_on_loopback(app).await;
    (receiver, format!("http://{address}/hook/token123"))
}

impl Receiver {
    fn delivered_ids(&self) -> Vec<String> {
        self.delivered
            .lock()
            .expect("delivered")
            .iter()
            .map(|document| document["id"].as_str().unwrap_or("?").to_string())
            .collect()
    }
}

fn config(text: &str) -> NotifyConfig {
    toml::from_str(text).expect("config parses")
}

fn notifier(config: &NotifyConfig, record: &Path) -> Notifier {
    let (notifier, warnings) = Notifier::new(config, None, TerminalCaps::default(), Some(record));
    assert!(warnings.is_empty(), "{warnings:?}");
    notifier
}

/// How many lines of the record are exactly `id` (an announcement recorded).
fn recorded(record: &Path, id: &str) -> usize {
    std::fs::read_to_string(record)
        .unwrap_or_default()
        .lines()
        .filter(|line| *line == id)
        .count()
}

#[tokio::test]
async fn an_event_the_webhook_refused_is_sent_once_it_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("state").join(ANNOUNCED_FILE);
    let (script, calls) = recorder(dir.path());
    // Three failures: the first round (2 attempts) gives up, the retry's first attempt fails
    // too and its second gets through.
    let (receiver, url) = receiver(&[500, 500, 500], Duration::ZERO).await;
    let config = config(&format!(
        "command = [\"{}\", \"{{event}}\"]\nwebhook_url = \"{url}\"\nretries = 1\n\
         timeout_secs = 5\n",
        script.display()
    ));
    let event = awaiting(1835);
    let id = event.id().to_string();
    let mut notifier = notifier(&config, &record);
    assert_eq!(notifier.offer([event.clone()], at()), 1);
    let first = notifier.send_all().await;
    assert!(
        first.problems().iter().any(|line| line.contains("500")),
        "{:?}",
        first.problems()
    );
    assert_eq!(recorded(&record, &id), 0, "not delivered, not recorded");
    assert!(receiver.delivered_ids().is_empty());
    assert_eq!(recorded_calls(&calls).len(), 1, "the command got it");
    assert!(
        notifier.next_due().is_some(),
        "the undelivered event waits for a retry"
    );

    // The receiver is back: the retry delivers it, once, to the sink that still owed it.
    let second = notifier.send_all().await;
    assert!(second.problems().is_empty(), "{:?}", second.problems());
    assert_eq!(receiver.delivered_ids(), vec![id.clone()]);
    assert_eq!(
        recorded_calls(&calls).len(),
        1,
        "the command is not told twice"
    );
    assert_eq!(recorded(&record, &id), 1);
    assert!(notifier.next_due().is_none(), "nothing left to retry");

    // Told: seen again (here or after a restart), it is not sent again.
    assert_eq!(notifier.offer([event.clone()], at()), 0);
    notifier.send_all().await;
    let mut restarted = self::notifier(&config, &record);
    assert_eq!(restarted.offer([event], at()), 0);
    restarted.send_all().await;
    assert_eq!(receiver.delivered_ids().len(), 1);
    assert_eq!(
        *receiver.requests.lock().expect("requests"),
        4,
        "2 attempts failed, then 1 failed and 1 went through; none after"
    );
    assert_eq!(recorded(&record, &id), 1);
}

#[tokio::test]
async fn a_retry_waits_its_turn_in_the_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join(ANNOUNCED_FILE);
    let (receiver, url) = receiver(&[503], Duration::ZERO).await;
    let config = config(&format!(
        "webhook_url = \"{url}\"\nretries = 0\ntimeout_secs = 5\ngroup_secs = 0\n"
    ));
    let mut notifier = notifier(&config, &record);
    notifier.offer([awaiting(7)], at());
    let failed = notifier.send_ready(at()).await;
    assert_eq!(failed.problems().len(), 1, "{:?}", failed.problems());
    let due = notifier.next_due().expect("a retry is scheduled");
    assert!(due > at(), "not retried at once: {due}");
    let early = notifier.send_ready(at()).await;
    assert!(early.deliveries.is_empty(), "too early: {early:?}");
    let retried = notifier.send_ready(due).await;
    assert!(retried.problems().is_empty(), "{:?}", retried.problems());
    assert_eq!(receiver.delivered_ids().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_notifiers_on_one_record_tell_each_event_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join(ANNOUNCED_FILE);
    // A slow receiver: both notifiers are sending at the same time.
    let (receiver, url) = receiver(&[], Duration::from_millis(40)).await;
    let config = config(&format!(
        "webhook_url = \"{url}\"\nretries = 0\ntimeout_secs = 5\n"
    ));
    let events: Vec<NotifyEvent> = (1..=12).map(awaiting).collect();
    let mut handles = Vec::new();
    for _ in 0..3 {
        let (config, record, events) = (config.clone(), record.clone(), events.clone());
        handles.push(tokio::spawn(async move {
            let mut notifier = notifier(&config, &record);
            notifier.offer(events, at());
            let outcome = notifier.send_all().await;
            assert!(outcome.problems().is_empty(), "{:?}", outcome.problems());
        }));
    }
    for handle in handles {
        handle.await.expect("notifier task");
    }
    let mut delivered = receiver.delivered_ids();
    delivered.sort();
    let mut expected: Vec<String> = events.iter().map(|event| event.id().to_string()).collect();
    expected.sort();
    assert_eq!(
        delivered, expected,
        "each event told once among three notifiers"
    );
    for id in &expected {
        assert_eq!(recorded(&record, id), 1, "{id} recorded once");
    }
}
