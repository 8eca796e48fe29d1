//! The `mono` theme (NO_COLOR, `--color never`) at 80×24 and 120×40. These snapshots keep the
//! buffer's styles as well as its text (ratatui's `Buffer` debug form), so a colour creeping
//! into mono, or a lost bold/reverse mark that stands in for it, shows up as a diff.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn mono_buffer(app: &App) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "mono drew a colour: {cell:?}"
        );
        assert_eq!(
            cell.bg,
            ratatui::style::Color::Reset,
            "mono drew a colour: {cell:?}"
        );
    }
    format!("{buffer:?}")
}

fn mono_snapshot(name: &str, setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = loaded_app(width, height).with_no_color(true);
        // Late data, so the status bar's warning is drawn too.
        update(&mut app, Event::Tick(at(40)));
        setup(&mut app);
        insta::assert_snapshot!(format!("mono_{name}_{width}x{height}"), mono_buffer(&app));
    }
}

#[test]
fn mono_requests() {
    mono_snapshot("requests", |_| {});
}

#[test]
fn mono_detail() {
    mono_snapshot("detail", |app| {
        press(app, [key(KeyCode::Enter), char('j')]);
    });
}

#[test]
fn mono_wizard() {
    mono_snapshot("wizard", |app| {
        press(app, [char('n')]);
    });
}

#[test]
fn mono_snapshots_keep_the_marks_that_replace_colour() {
    let app = loaded_app(120, 40).with_no_color(true);
    let buffer = mono_buffer(&app);
    // The selected row is reversed and headers bold: the debug form names both.
    assert!(buffer.contains("REVERSED"), "{buffer}");
    assert!(buffer.contains("BOLD"), "{buffer}");
    assert!(buffer.contains('⚑'), "{buffer}");
}
