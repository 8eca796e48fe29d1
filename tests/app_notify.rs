//! Notifications from the open dashboard (issue 15): the reducer turns the changes it announces
//! into `Effect::Notify` when `[notify]` has a sink, and says nothing otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use spsdash::app::{Effect, update};
use spsdash::notify::EventKind;

fn request(status: &str) -> spsdash::sps::SpsRequest {
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
