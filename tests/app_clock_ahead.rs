#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A server clock ahead of ours (issue 28): a change stamped ten minutes after the list
//! arrived is shown "just now" (not "in 10m"), and that the API's clock is ahead is said once,
//! in the errors list. Five minutes or less is drift, and the demo's world clock (`api_now`,
//! the simulator's fast clock) is the API's own: neither is said.

mod app_support;

use app_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, update};

/// The Web pair's list with one request changed `minutes_ahead` after t0, loaded at t0.
fn load_ahead(app: &mut App, minutes_ahead: i64, seconds: i64) {
    let request = dv_request(
        1900,
        "Pending",
        "ahead.example.com",
        &[("ahead.example.com", "Pending")],
        -minutes_ahead,
    );
    update(app, loaded(web(), vec![request], seconds));
}

fn clock_errors(app: &App) -> usize {
    app.notices
        .errors
        .iter()
        .filter(|entry| entry.source == "clock")
        .count()
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().to_string()
}

#[test]
fn a_clock_ten_minutes_ahead_is_said_once_and_its_times_read_just_now() {
    let mut app = app(120, 40);
    load_ahead(&mut app, 10, 0);
    assert_eq!(clock_errors(&app), 1, "{:?}", app.notices.errors);
    let said = &app.notices.errors.back().expect("an error").message;
    assert!(said.contains("about 10 min ahead"), "{said}");
    let text = screen(&app);
    let row = text
        .lines()
        .find(|line| line.contains("ahead.example.com"))
        .expect("the row on screen");
    assert!(row.contains("just now") && !row.contains("in 10m"), "{row}");
    // The next lists say it no more.
    load_ahead(&mut app, 12, 60);
    load_ahead(&mut app, 14, 120);
    assert_eq!(clock_errors(&app), 1);
}

#[test]
fn drift_and_the_demos_world_clock_are_not_said() {
    let mut app = app(120, 40);
    load_ahead(&mut app, 4, 0);
    assert_eq!(clock_errors(&app), 0, "four minutes is drift");
    let mut demo = app_support::app(120, 40);
    demo.api_now = Some(at(3 * 3600));
    load_ahead(&mut demo, 60, 0);
    assert_eq!(
        clock_errors(&demo),
        0,
        "the demo's clock is the world's own"
    );
}
