//! The notifier end to end through real sinks: a command (a shell script that records its
//! arguments), a webhook (an axum server on loopback that records what it was sent), and the
//! terminal (bytes captured from the writer). Each event kind reaches each sink once; bursts
//! are grouped; nothing is told twice across a restart; a failing sink is reported and the
//! next event still goes out.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use spsdash::config::notify::{NotifyConfig, SinkName};
use spsdash::model::Scope;
use spsdash::notify::{EventKind, Notifier, NotifyEvent, TerminalCaps};
use support::recorder::{recorded_calls, recorder};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid")
}

fn pair() -> Scope {
    Scope::pair("C-1EXMPL", "10010")
}

/// One event of every kind.
fn every_kind() -> Vec<NotifyEvent> {
    let change = |domain: Option<&str>, to: &str, detail: Option<&str>| {
        NotifyEvent::status_change(at(), &pair(), 1835, domain, Some("Pending"), to, detail)
            .expect("an event")
    };
    vec![
        change(None, "Awaiting User", None).with_name("shop.example.com"),
        change(Some("www.shop.example.com"), "Valid", None),
        change(
            Some("img.shop.example.com"),
            "Invalid",
            Some("DNS problem: NXDOMAIN"),
        ),
        change(None, "SPS Request Complete", None),
        change(None, "CPS cancelled", None),
        change(
            None,
            "edge host already created or pending",
            Some("Error: the edge hostname exists"),
        ),
        NotifyEvent::submission_accepted(at(), &pair(), 1900, Some("new.example.com")),
        NotifyEvent::submission_lost(
            at(),
            &pair(),
            "sub-42",
            Some("lost.example.com"),
            "no answer",
        ),
        NotifyEvent::certificate_band(
            at(),
            Some(&pair()),
            11835,
            "shop.example.com",
            at() + chrono::Duration::days(20),
            spsdash::model::ExpiryBand::Warning,
        )
        .expect("warning band"),
        NotifyEvent::certificate_band(
            at(),
            Some(&pair()),
            11835,
            "shop.example.com",
            at() + chrono::Duration::days(6),
            spsdash::model::ExpiryBand::Critical,
        )
        .expect("critical band"),
        NotifyEvent::api_failing(
            at(),
            Some(&pair()),
            at() - chrono::Duration::minutes(12),
            "503",
        ),
        NotifyEvent::api_recovered(at(), Some(&pair()), at() - chrono::Duration::minutes(12)),
    ]
}

/// A webhook receiver: answers from `statuses` (then 200) and keeps every body.
#[derive(Clone, Default)]
struct Receiver {
    bodies: Arc<Mutex<Vec<Value>>>,
    statuses: Arc<Mutex<VecDeque<u16>>>,
}

async fn receive(State(receiver): State<Receiver>, body: String) -> StatusCode {
    receiver
        .bodies
        .lock()
        .expect("bodies")
        .push(serde_json::from_str(&body).unwrap_or(Value::Null));
    let status = receiver.statuses.lock().expect("statuses").pop_front();
    StatusCode::from_u16(status.unwrap_or(200)).expect("status")
}

async fn receiver(statuses: &[u16]) -> (Receiver, String) {
    let receiver = Receiver::default();
    receiver.statuses.lock().expect("statuses").extend(statuses);
    let app = Router::new()
        .route("/hook/token123", post(receive))
        .with_state(receiver.clone());
    let address = support::serve_on_loopback(app).await;
    (receiver, format!("http://{address}/hook/token123"))
}

/// The terminal sink's writer, readable afterwards.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("screen").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn notifications(&self) -> usize {
        String::from_utf8_lossy(&self.0.lock().expect("screen"))
            .matches("\u{1b}]9;")
            .count()
    }
}

fn config(extra: &str, script: &Path, webhook: &str) -> NotifyConfig {
    let text = format!(
        "terminal = true\ncommand = [\"{}\", \"{{event}}\", \"{{sps_id}}\", \"{{count}}\", \"{{message}}\"]\n\
         webhook_url = \"{webhook}\"\nretries = 1\ntimeout_secs = 5\n{extra}",
        script.display()
    );
    toml::from_str(&text).expect("config parses")
}

fn notifier(config: &NotifyConfig, screen: &Screen, announced: Option<&Path>) -> Notifier {
    let (notifier, warnings) = Notifier::new(
        config,
        Some(Box::new(screen.clone())),
        TerminalCaps::default(),
        announced,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    notifier
}

#[tokio::test]
async fn every_kind_reaches_every_sink_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, log) = recorder(dir.path());
    let (receiver, url) = receiver(&[]).await;
    let screen = Screen::default();
    let mut notifier = notifier(&config("", &script, &url), &screen, None);
    let events = every_kind();
    assert_eq!(notifier.offer(events.clone(), at()), events.len());
    let outcome = notifier.send_all().await;
    assert!(outcome.problems().is_empty(), "{:?}", outcome.problems());

    let kinds: Vec<&str> = events.iter().map(|event| event.kind.name()).collect();
    let recorded = recorded_calls(&log);
    assert_eq!(recorded.len(), events.len(), "{recorded:?}");
    let commanded: Vec<&str> = recorded.iter().map(|call| call[0].as_str()).collect();
    assert_eq!(commanded, kinds);
    assert_eq!(recorded[0][1], "1835");
    assert_eq!(
        recorded[0][3], events[0].message,
        "the message is one argument"
    );

    let bodies = receiver.bodies.lock().expect("bodies").clone();
    let posted: Vec<&str> = bodies
        .iter()
        .map(|body| body["event"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(posted, kinds);
    assert_eq!(bodies[0]["spsId"], 1835);
    assert_eq!(bodies[0]["pair"]["contractId"], "C-1EXMPL");
    assert_eq!(bodies[0]["status"], "Awaiting User");
    assert_eq!(screen.notifications(), events.len());
    for sink in [SinkName::Terminal, SinkName::Command, SinkName::Webhook] {
        let count = outcome.deliveries.iter().filter(|d| d.sink == sink).count();
        assert_eq!(count, events.len(), "{sink:?}");
    }
}

#[tokio::test]
async fn levels_go_only_to_the_sinks_routed_for_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, log) = recorder(dir.path());
    let (receiver, url) = receiver(&[]).await;
    let screen = Screen::default();
    let routes = "[route]\ninfo = [\"terminal\"]\nwarn = [\"command\"]\nerror = [\"webhook\"]\n";
    let mut notifier = notifier(&config(routes, &script, &url), &screen, None);
    notifier.offer(every_kind(), at());
    notifier.send_all().await;
    let expected = |level| every_kind().iter().filter(|e| e.level() == level).count();
    assert_eq!(
        screen.notifications(),
        expected(spsdash::notify::Level::Info)
    );
    assert_eq!(
        recorded_calls(&log).len(),
        expected(spsdash::notify::Level::Warn)
    );
    assert_eq!(
        receiver.bodies.lock().expect("bodies").len(),
        expected(spsdash::notify::Level::Error)
    );
}

#[tokio::test]
async fn a_burst_of_forty_domains_is_one_message_per_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, log) = recorder(dir.path());
    let (receiver, url) = receiver(&[]).await;
    let screen = Screen::default();
    let mut notifier = notifier(&config("group_secs = 5\n", &script, &url), &screen, None);
    let valid = |sps_id: u64, domain: String| {
        NotifyEvent::status_change(at(), &pair(), sps_id, Some(&domain), None, "Valid", None)
            .expect("an event")
    };
    let burst: Vec<NotifyEvent> = (0..40)
        .map(|n| valid(1835, format!("d{n}.shop.example.com")))
        .chain([valid(1900, "other.example.com".into())])
        .collect();
    assert_eq!(notifier.offer(burst, at()), 41);
    let early = notifier
        .send_ready(at() + chrono::Duration::seconds(4))
        .await;
    assert!(early.events.is_empty(), "the window is still open");
    let outcome = notifier
        .send_ready(at() + chrono::Duration::seconds(5))
        .await;
    assert_eq!(outcome.events.len(), 2);
    let recorded = recorded_calls(&log);
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert_eq!(recorded[0][0], "domain_valid");
    assert_eq!(recorded[0][2], "40", "{{count}}");
    assert!(
        recorded[0][3].contains("40 domains are Valid"),
        "{}",
        recorded[0][3]
    );
    assert_eq!(recorded[1][2], "1");
    let bodies = receiver.bodies.lock().expect("bodies").clone();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["domains"].as_array().map(Vec::len), Some(40));
    assert_eq!(screen.notifications(), 2);
}

#[tokio::test]
async fn nothing_is_told_twice_across_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, log) = recorder(dir.path());
    let (receiver, url) = receiver(&[]).await;
    let record = dir
        .path()
        .join("state")
        .join(spsdash::notify::ANNOUNCED_FILE);
    let config = config("", &script, &url);
    {
        let mut first = notifier(&config, &Screen::default(), Some(&record));
        first.offer(every_kind(), at());
        let outcome = first.send_all().await;
        assert!(outcome.problems().is_empty(), "{:?}", outcome.problems());
    }
    let told = every_kind().len();
    assert_eq!(recorded_calls(&log).len(), told);
    // A new process: the same events seen again (e.g. replayed from the journal).
    let screen = Screen::default();
    let mut second = notifier(&config, &screen, Some(&record));
    assert_eq!(second.offer(every_kind(), at()), 0, "all already announced");
    let fresh = NotifyEvent::status_change(
        at(),
        &pair(),
        1835,
        Some("new.shop.example.com"),
        None,
        "Valid",
        None,
    )
    .expect("an event");
    assert_eq!(
        second.offer([fresh.clone(), fresh], at()),
        1,
        "and once within a run"
    );
    second.send_all().await;
    assert_eq!(recorded_calls(&log).len(), told + 1);
    assert_eq!(receiver.bodies.lock().expect("bodies").len(), told + 1);
    assert_eq!(screen.notifications(), 1);
}

#[tokio::test]
async fn a_failing_sink_is_reported_and_the_rest_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (receiver, url) = receiver(&[500, 500, 503, 200]).await;
    let screen = Screen::default();
    let text = format!(
        "terminal = true\ncommand = [\"/bin/sh\", \"-c\", \"echo broken >&2; exit 7\"]\n\
         webhook_url = \"{url}\"\nretries = 1\ntimeout_secs = 5\n"
    );
    let config: NotifyConfig = toml::from_str(&text).expect("config");
    let mut notifier = notifier(&config, &screen, Some(&dir.path().join("announced")));
    let events = every_kind();
    notifier.offer(events[..2].to_vec(), at());
    let outcome = notifier.send_all().await;
    let problems = outcome.problems();
    // Both events: the command failed; the first webhook gave up after 2 attempts (500, 500),
    // the second succeeded on its retry (503, then 200).
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems[0].contains("exit status: 7") && problems[0].contains("broken"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("500") && problems[1].contains("2 attempts"),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|line| line.contains("token123")),
        "the webhook path (a token) is never shown: {problems:?}"
    );
    assert_eq!(receiver.bodies.lock().expect("bodies").len(), 4);
    assert_eq!(screen.notifications(), 2, "the terminal still got both");
    assert_eq!(outcome.events.len(), 2);
    let kinds: Vec<EventKind> = outcome.events.iter().map(|event| event.kind).collect();
    assert_eq!(kinds, vec![EventKind::AwaitingUser, EventKind::DomainValid]);
}

#[tokio::test]
async fn slack_format_sends_text_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, _log) = recorder(dir.path());
    let (receiver, url) = receiver(&[]).await;
    let mut notifier = notifier(
        &config("format = \"slack\"\n", &script, &url),
        &Screen::default(),
        None,
    );
    let event = every_kind().remove(0);
    notifier.offer([event.clone()], at());
    notifier.send_all().await;
    let bodies = receiver.bodies.lock().expect("bodies").clone();
    assert_eq!(bodies, vec![serde_json::json!({ "text": event.message })]);
}
