//! Notifications from the open dashboard (issue 15): the reducer turns the changes it announces
//! into `Effect::Notify` when `[notify]` has a sink, and says nothing otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use spsdash::app::{Effect, update};
use spsdash::notify::EventKind;

fn request(status: &str) -> spsdash::model::CertRequest {
    dv_request(
        1856,
        status,
        "shop.example.com",
        &[("www.shop.example.com", "Pending")],
        5,
    )
}

fn notifications(effects: &[Effect]) -> Vec<EventKind> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Notify(events) => Some(events.iter().map(|event| event.kind)),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn a_request_that_starts_waiting_for_the_operator_is_told_through_the_sinks() {
    let mut app = app(120, 40);
    app.config.notify.command = vec!["notify-send".into(), "{message}".into()];
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    let effects = update(&mut app, loaded(web(), vec![request("Awaiting User")], 15));
    assert_eq!(
        notifications(&effects),
        [EventKind::AwaitingUser],
        "{effects:?}"
    );
}

#[test]
fn without_a_sink_nothing_is_told() {
    let mut app = app(120, 40);
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    let effects = update(&mut app, loaded(web(), vec![request("Awaiting User")], 15));
    assert!(notifications(&effects).is_empty(), "{effects:?}");
    assert!(
        effects
            .iter()
            .any(|effect| matches!(effect, Effect::AppendJournal(_))),
        "the change itself is still journaled"
    );
}

fn with_command_sink() -> spsdash::app::App {
    let mut app = app(120, 40);
    app.config.notify.command = vec!["notify-send".into(), "{message}".into()];
    app
}

fn failed(seconds: i64) -> spsdash::app::Event {
    spsdash::app::Event::ListLoaded {
        pair: web(),
        at: at(seconds),
        outcome: Err(spsdash::edgegrid::ApiError::Connection {
            detail: "connection refused".into(),
        }),
        failures: 1,
        skipped: Vec::new(),
    }
}

fn lost_submission(cname: &str) -> spsdash::sps::submission::Submission {
    spsdash::sps::submission::Submission {
        id: format!("sub-{cname}"),
        sent_at: at(0),
        pair: web(),
        endpoint: "sps-requests".into(),
        cname_hostname: cname.into(),
        form: "cnameHostname=new.example.com&createType=san".into(),
        outcome: spsdash::sps::submission::SubmissionOutcome::Lost {
            message: "timed out".into(),
        },
    }
}

#[test]
fn an_accepted_submission_is_told_once_as_info() {
    let mut app = with_command_sink();
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    let effects = update(
        &mut app,
        spsdash::app::Event::Submitted {
            pair: web(),
            outcome: Ok(serde_json::from_value(serde_json::json!({"spsId": 1900})).unwrap()),
        },
    );
    let told: Vec<_> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Notify(events) => Some(events.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(told.len(), 1, "{effects:?}");
    assert_eq!(told[0].kind, EventKind::SubmissionAccepted);
    assert_eq!(told[0].level(), spsdash::notify::Level::Info);
    assert_eq!(told[0].id, Some(1900));
    // A refused submission is the wizard's error line, not a notification.
    let refused = update(
        &mut app,
        spsdash::app::Event::Submitted {
            pair: web(),
            outcome: Err(spsdash::edgegrid::ApiError::Status {
                status: 400,
                excerpt: "bad".into(),
            }),
        },
    );
    assert!(notifications(&refused).is_empty(), "{refused:?}");
}

#[test]
fn a_lost_submission_is_told_lost_once_when_lists_keep_missing_it_then_accepted_if_it_turns_up() {
    let mut app = with_command_sink();
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    update(
        &mut app,
        spsdash::app::Event::SubmissionUnresolved(lost_submission("new.example.com")),
    );
    // A list soon after may simply not show it yet: nothing is decided.
    let soon = update(&mut app, loaded(web(), vec![request("Pending")], 60));
    assert!(notifications(&soon).is_empty(), "{soon:?}");
    let late = update(&mut app, loaded(web(), vec![request("Pending")], 6 * 60));
    assert_eq!(
        notifications(&late),
        [EventKind::SubmissionLost],
        "{late:?}"
    );
    let again = update(&mut app, loaded(web(), vec![request("Pending")], 7 * 60));
    assert!(notifications(&again).is_empty(), "told once: {again:?}");
    // It turns up after all: accepted (with its spsId), and never lost again.
    let created = dv_request(
        1901,
        "Pending",
        "new.example.com",
        &[("new.example.com", "Pending")],
        -7,
    );
    let found = update(
        &mut app,
        loaded(web(), vec![request("Pending"), created.clone()], 8 * 60),
    );
    assert_eq!(
        notifications(&found),
        [EventKind::SubmissionAccepted],
        "{found:?}"
    );
    let after = update(
        &mut app,
        loaded(web(), vec![request("Pending"), created], 9 * 60),
    );
    assert!(notifications(&after).is_empty(), "{after:?}");
}

#[test]
fn a_lost_submission_found_at_once_is_only_accepted() {
    let mut app = with_command_sink();
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    update(
        &mut app,
        spsdash::app::Event::SubmissionUnresolved(lost_submission("new.example.com")),
    );
    let created = dv_request(1901, "Pending", "new.example.com", &[], 0);
    let found = update(
        &mut app,
        loaded(web(), vec![request("Pending"), created], 10 * 60),
    );
    assert_eq!(notifications(&found), [EventKind::SubmissionAccepted]);
}

#[test]
fn the_api_failing_past_the_limit_is_told_once_and_its_recovery_once() {
    let mut app = with_command_sink();
    app.config.notify.api_failing_minutes = 15;
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    let minute = 60;
    let mut told = Vec::new();
    // Fails every 30 seconds from minute 1 to minute 25.
    for half_minutes in 2..=50 {
        let seconds = half_minutes * 30;
        let effects = update(&mut app, failed(seconds));
        for kind in notifications(&effects) {
            told.push((seconds, kind));
        }
    }
    assert_eq!(
        told,
        [(16 * minute, EventKind::ApiFailing)],
        "one error once the failures have lasted 15 minutes"
    );
    let back = update(
        &mut app,
        loaded(web(), vec![request("Pending")], 26 * minute),
    );
    assert_eq!(notifications(&back), [EventKind::ApiRecovered]);
    let still = update(
        &mut app,
        loaded(web(), vec![request("Pending")], 27 * minute),
    );
    assert!(notifications(&still).is_empty(), "{still:?}");
    // A short outage afterwards is not told, nor is its end.
    let mut short: Vec<_> = (28..34)
        .flat_map(|m| notifications(&update(&mut app, failed(m * minute))))
        .collect();
    short.extend(notifications(&update(
        &mut app,
        loaded(web(), vec![request("Pending")], 35 * minute),
    )));
    assert!(short.is_empty(), "{short:?}");
}

#[test]
fn group_discovery_failing_counts_as_the_api_failing() {
    let mut app = with_command_sink();
    app.config.pairs.clear();
    let mut app = spsdash::app::App::new(app.config.clone(), "DEMO".into(), at(0), (120, 40));
    app.config.notify.api_failing_minutes = 1;
    let mut told = Vec::new();
    for seconds in [0, 30, 61, 90] {
        update(&mut app, spsdash::app::Event::Tick(at(seconds)));
        let effects = update(
            &mut app,
            spsdash::app::Event::PairsFailed {
                error: spsdash::edgegrid::ApiError::Timeout {
                    after: std::time::Duration::from_secs(5),
                },
                failures: 1,
            },
        );
        told.extend(notifications(&effects));
    }
    assert_eq!(told, [EventKind::ApiFailing]);
    let answered = update(
        &mut app,
        spsdash::app::Event::PairsDiscovered(vec![spsdash::model::NamedScope {
            scope: web(),
            name: None,
        }]),
    );
    assert_eq!(notifications(&answered), [EventKind::ApiRecovered]);
}

#[test]
fn a_failed_notification_is_an_error_line_and_the_next_change_is_still_told() {
    let mut app = with_command_sink();
    update(&mut app, loaded(web(), vec![request("Pending")], 0));
    update(
        &mut app,
        spsdash::app::Event::NotifyFailed("notification by command failed: exit status 1".into()),
    );
    let logged = app.notices.errors.back().expect("an error line");
    assert_eq!(logged.source, "notify");
    assert!(
        logged.message.contains("exit status 1"),
        "{}",
        logged.message
    );
    let effects = update(&mut app, loaded(web(), vec![request("Awaiting User")], 15));
    assert_eq!(notifications(&effects), [EventKind::AwaitingUser]);
}
