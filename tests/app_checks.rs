//! The readiness check in the dashboard (issue 10): background rounds under `[check] auto`,
//! verdicts kept per domain with their time, and the flash when a domain turns ready.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use std::time::Duration;

use app_support::*;
use spsdash::app::{App, CheckOrigin, Effect, Event, update};
use spsdash::dvcheck::{CheckOutcome, CheckProblem, CheckResult};

fn auto_app() -> App {
    let mut app = loaded_app(120, 40);
    app.config.check.auto = true;
    app.config.check.interval = 300;
    app
}

/// The spsIds of each background round the effects start.
fn rounds(effects: &[Effect]) -> Vec<Vec<u64>> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::CheckInBackground { requests, .. } => {
                Some(requests.iter().map(|request| request.id).collect())
            }
            _ => None,
        })
        .collect()
}

fn result(domain: &str, outcome: CheckOutcome) -> CheckResult {
    CheckResult {
        domain: domain.to_string(),
        outcome,
        elapsed: Duration::from_millis(12),
        address: None,
        chain: Vec::new(),
        families: Vec::new(),
        dns: None,
    }
}

fn not_found(domain: &str) -> CheckResult {
    result(
        domain,
        CheckOutcome::NotReady(CheckProblem::Status {
            hop: 1,
            status: 404,
        }),
    )
}

fn ready(domain: &str) -> CheckResult {
    result(domain, CheckOutcome::Ready { redirects: 1 })
}

fn background(app: &mut App, id: u64, results: Vec<CheckResult>) {
    update(
        app,
        Event::ChecksDone {
            id,
            origin: CheckOrigin::Background,
            outcome: Ok(results),
        },
    );
}

#[test]
fn nothing_is_checked_in_the_background_unless_auto_is_on() {
    let mut app = loaded_app(120, 40);
    for seconds in [1, 400, 4000] {
        assert!(rounds(&update(&mut app, Event::Tick(at(seconds)))).is_empty());
    }
}

#[test]
fn a_round_checks_the_requests_awaiting_the_operator_then_waits_for_the_interval() {
    let mut app = auto_app();
    let first = rounds(&update(&mut app, Event::Tick(at(10))));
    // 1856 and 2002 await the operator with a domain not yet valid; the others are not
    // waiting for a web server (complete, running in CPS, pending, cancelled).
    assert_eq!(first, vec![vec![1856, 2002]]);
    assert!(
        rounds(&update(&mut app, Event::Tick(at(20)))).is_empty(),
        "no second round while one runs"
    );
    update(&mut app, Event::BackgroundChecksDone);
    assert!(
        rounds(&update(&mut app, Event::Tick(at(200)))).is_empty(),
        "not before the interval"
    );
    assert_eq!(
        rounds(&update(&mut app, Event::Tick(at(310)))),
        vec![vec![1856, 2002]],
        "due again 300 s after the last round started"
    );
}

#[test]
fn an_absurd_interval_that_slipped_past_the_config_check_never_panics() {
    // `[check] interval = 1000000000000000` is refused at load (issue 27); the arithmetic
    // saturates as well, so an App given one directly waits "forever" instead of exiting 101.
    let mut app = auto_app();
    app.config.check.interval = 1_000_000_000_000_000;
    assert_eq!(rounds(&update(&mut app, Event::Tick(at(10)))).len(), 1);
    update(&mut app, Event::BackgroundChecksDone);
    assert!(rounds(&update(&mut app, Event::Tick(at(86_400)))).is_empty());
    app.config.check.interval = u64::MAX;
    update(&mut app, Event::Tick(at(86_400)));
}

#[test]
fn a_round_waits_for_the_lists_and_carries_the_check_config() {
    let mut app = app(120, 40);
    app.config.check.auto = true;
    app.config.check.timeout_s = 7;
    assert!(rounds(&update(&mut app, Event::Tick(at(1)))).is_empty());
    update(&mut app, loaded(web(), web_list(), 2));
    let effects = update(&mut app, Event::Tick(at(3)));
    match effects
        .iter()
        .find(|effect| matches!(effect, Effect::CheckInBackground { .. }))
    {
        Some(Effect::CheckInBackground { requests, check }) => {
            assert_eq!(requests.len(), 1);
            assert_eq!(requests[0].id, 1856);
            assert_eq!(check.timeout_s, 7);
        }
        other => panic!("expected a background round, got {other:?}"),
    }
}

#[test]
fn a_domain_that_turns_ready_in_the_background_is_flashed_once() {
    let mut app = auto_app();
    update(&mut app, Event::Tick(at(10)));
    background(&mut app, 1856, vec![not_found("www.shop.example.com")]);
    assert!(!flash_text(&app).contains("ready for Let's Encrypt"));
    let kept = app
        .domain_checks
        .get(1856, "www.shop.example.com")
        .expect("verdict kept");
    assert_eq!(kept.checked_at, at(10));
    assert_eq!(kept.result.outcome.short(), "404 at hop 1");

    update(&mut app, Event::Tick(at(320)));
    background(&mut app, 1856, vec![ready("www.shop.example.com")]);
    assert_eq!(
        flash_text(&app),
        "www.shop.example.com is ready for Let's Encrypt"
    );
    assert_eq!(
        app.domain_checks
            .get(1856, "www.shop.example.com")
            .unwrap()
            .checked_at,
        at(320)
    );

    app.notices.flash = None;
    background(&mut app, 1856, vec![ready("www.shop.example.com")]);
    assert_eq!(flash_text(&app), "", "still ready is not news");
}

#[test]
fn a_first_verdict_that_is_ready_is_not_news_but_many_turning_ready_are_one_line() {
    let mut app = auto_app();
    background(&mut app, 2002, vec![ready("pay.example.com")]);
    assert_eq!(flash_text(&app), "");

    let names = [
        "a.example.com",
        "b.example.com",
        "c.example.com",
        "d.example.com",
    ];
    background(
        &mut app,
        7,
        names.iter().map(|name| not_found(name)).collect(),
    );
    background(&mut app, 7, names.iter().map(|name| ready(name)).collect());
    assert_eq!(
        flash_text(&app),
        "4 domains are ready for Let's Encrypt: a.example.com, b.example.com, c.example.com, …"
    );
}

#[test]
fn a_background_check_that_cannot_start_goes_to_the_error_log() {
    let mut app = auto_app();
    update(
        &mut app,
        Event::ChecksDone {
            id: 1856,
            origin: CheckOrigin::Background,
            outcome: Err("no challenge to check".into()),
        },
    );
    assert!(flash_text(&app).contains("cannot check #1856"));
    assert!(
        app.notices
            .errors
            .iter()
            .any(|entry| entry.source == "background check")
    );
}

#[test]
fn an_operator_check_always_says_how_it_went() {
    let mut app = loaded_app(120, 40);
    update(
        &mut app,
        Event::ChecksDone {
            id: 1856,
            origin: CheckOrigin::Operator,
            outcome: Ok(vec![
                not_found("www.shop.example.com"),
                ready("shop.example.com"),
            ]),
        },
    );
    assert!(flash_text(&app).contains("1 of 2 domains ready"));
    assert_eq!(app.domain_checks.len(), 2);
}
