//! Text from the API is data on the dashboard too (issue 13): a request whose name, status,
//! parameters and dvStatus carry terminal controls (OSC 52, a screen clear, a right-to-left
//! override) is drawn with those characters shown as escapes, never handed to the terminal.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use spsdash::app::{App, update};
use spsdash::model::CertRequest;

const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}";

fn hostile_request() -> CertRequest {
    spsdash::sps::neutral::from_json(json!({
        "spsId": 4242,
        "jobId": 1,
        "status": format!("Awaiting User{OSC52}"),
        "workflowProgress": "\u{1b}[2Jcleared",
        "lastStatusChange": "2026-11-28T11:00:00Z",
        "parameters": [
            {"name": "cnameHostname", "value": format!("evil\u{202e}moc.example{OSC52}")},
            {"name": "createType", "value": "san"},
            {"name": format!("x{OSC52}"), "value": "\u{1b}[31mred"}
        ],
        "dvStatus": [{
            "domain": format!("www\u{202e}.example.com{OSC52}"),
            "status": "Pending\u{1b}[2J",
            "fullPath": format!("http://www.example.com/.well-known/acme-challenge/t{OSC52}"),
            "redirectPath": "http://dcv.akamai.com/.well-known/acme-challenge/t",
            "token": "t\u{7}",
            "error": "\u{9b}2J"
        }]
    }))
    .expect("fixture parses")
}

/// Every cell of the drawn screen, joined.
fn cells(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .unwrap();
    terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|cell| cell.symbol())
        .collect()
}

fn assert_inert(screen: &str, what: &str) {
    let active: Vec<char> = screen
        .chars()
        .filter(|c| {
            c.is_control() || matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(active.is_empty(), "{what}: active characters {active:?}");
    assert!(screen.contains("\\u{1b}"), "{what}: the escape is shown");
}

#[test]
fn the_table_and_the_detail_show_api_controls_as_escapes() {
    let mut app = app(160, 40);
    update(&mut app, loaded(web(), vec![hostile_request()], 0));
    assert_inert(&cells(&app), "requests table");

    press(&mut app, [key(KeyCode::Enter)]);
    assert!(app.detail_request().is_some(), "the detail is open");
    assert_inert(&cells(&app), "detail");
    let screen = cells(&app);
    assert!(
        screen.contains("\\u{202e}"),
        "the override is shown, not obeyed"
    );

    press(&mut app, [key(KeyCode::Tab)]);
    assert_inert(&cells(&app), "detail, next section");
}

/// Issue 13: an spsId is never cut, however long (the column grows instead).
#[test]
fn long_sps_ids_are_shown_whole() {
    let mut app = app(80, 24);
    let mut long = dv_request(
        1856,
        "Awaiting User",
        "shop.example.com",
        &[("www.shop.example.com", "Pending")],
        5,
    );
    long.id = 123_456_789_012;
    update(&mut app, loaded(web(), vec![long], 0));
    let screen = cells(&app);
    assert!(screen.contains("123456789012"), "the whole id is on screen");
}
