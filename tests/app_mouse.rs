#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The mouse (`[ui] mouse = true`) in the reducer: clicks land where the renderer drew the
//! row, pair or domain (found by reading the drawn screen, not by recomputing the layout),
//! the wheel scrolls, and nothing happens with the mouse off.

mod app_support;

use app_support::*;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, Screen, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn mouse_app(width: u16, height: u16) -> App {
    let mut app = loaded_app(width, height);
    app.config.ui.mouse = true;
    update(&mut app, Event::Tick(at(4)));
    app
}

fn lines(app: &App) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content()
        .chunks(buffer.area.width as usize)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect())
        .collect()
}

/// (column, row) of the first drawn `text` (columns counted in cells).
fn where_drawn(app: &App, text: &str) -> (u16, u16) {
    let lines = lines(app);
    for (y, line) in lines.iter().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{text} is not on screen:\n{}", lines.join("\n"));
}

fn mouse(kind: MouseEventKind, (column, row): (u16, u16)) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(at: (u16, u16)) -> Event {
    mouse(MouseEventKind::Down(MouseButton::Left), at)
}

#[test]
fn a_click_selects_the_request_row_it_lands_on() {
    for (width, height) in SIZES {
        let mut app = mouse_app(width, height);
        assert_eq!(cursor_id(&app), Some(1856));
        let row = where_drawn(&app, "news.example.org");
        update(&mut app, click(row));
        assert_eq!(cursor_id(&app), Some(1870), "{width}x{height}");
        // The column titles and the empty space below the rows select nothing.
        let titles = where_drawn(&app, "spsId");
        update(&mut app, click(titles));
        assert_eq!(cursor_id(&app), Some(1870));
        update(&mut app, click((titles.0, height - 6)));
        assert_eq!(cursor_id(&app), Some(1870));
    }
}

#[test]
fn a_click_in_the_sidebar_chooses_the_pair() {
    for (width, height) in SIZES {
        let mut app = mouse_app(width, height);
        let shop = where_drawn(&app, "Shop (");
        update(&mut app, click(shop));
        assert_eq!(app.requests.scope, Some(1), "{width}x{height}");
        assert_eq!(shown(&app).len(), 2);
        // The pair's counts line is part of the same entry.
        update(&mut app, click((shop.0, shop.1 + 1)));
        assert_eq!(app.requests.scope, Some(1));
        let all = where_drawn(&app, "all pairs ");
        update(&mut app, click(all));
        assert_eq!(app.requests.scope, None);
        assert_eq!(shown(&app).len(), 7);
    }
}

#[test]
fn a_click_on_a_domain_row_focuses_it() {
    for (width, height) in SIZES {
        let mut app = mouse_app(width, height);
        let row = where_drawn(&app, " 2001 ");
        update(&mut app, click(row));
        update(&mut app, key(KeyCode::Enter));
        assert!(matches!(app.screen, Screen::Detail(_)));
        let second = where_drawn(&app, "│cdn.store.example.com");
        update(&mut app, click((second.0 + 3, second.1)));
        assert_eq!(app.detail().unwrap().domain_cursor, 1, "{width}x{height}");
        let first = where_drawn(&app, "│store.example.com");
        update(&mut app, click((first.0 + 3, first.1)));
        assert_eq!(app.detail().unwrap().domain_cursor, 0);
    }
}

#[test]
fn the_wheel_scrolls_like_the_arrows() {
    let mut app = mouse_app(80, 24);
    let anywhere = (40, 10);
    update(&mut app, mouse(MouseEventKind::ScrollDown, anywhere));
    update(&mut app, mouse(MouseEventKind::ScrollDown, anywhere));
    assert_eq!(cursor_id(&app), Some(shown(&app)[2]));
    update(&mut app, mouse(MouseEventKind::ScrollUp, anywhere));
    assert_eq!(cursor_id(&app), Some(shown(&app)[1]));
}

#[test]
fn with_the_mouse_off_nothing_moves() {
    let mut app = loaded_app(80, 24);
    assert!(!app.config.ui.mouse, "off by default");
    let row = where_drawn(&app, "news.example.org");
    update(&mut app, click(row));
    update(&mut app, mouse(MouseEventKind::ScrollDown, row));
    assert_eq!(cursor_id(&app), Some(1856));
}
