#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The 256-colour theme (`[ui] theme = "256"`, assets/themes/256.toml): the requests screen at
//! 80×24 and 120×40. The snapshots are text; the colours are checked cell by cell below, and
//! every theme must draw the very same text (state is told by glyphs and words, never by
//! colour alone).

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use spsdash::app::{App, Event, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn themed(width: u16, height: u16) -> App {
    let palette = spsdash::config::theme::load("256", None).expect("the built-in theme loads");
    let mut app = loaded_app(width, height).with_palette(palette);
    update(&mut app, Event::Tick(at(4)));
    app
}

fn buffer(app: &App) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first cell of the table's state column (just inside its border, right of the sidebar)
/// whose symbol is `symbol`.
fn find(buffer: &Buffer, symbol: &str) -> (u16, u16) {
    let x = spsdash::ui::layout::sidebar_width(buffer.area.width) + 1;
    let y = (0..buffer.area.height)
        .find(|y| buffer[(x, *y)].symbol() == symbol)
        .unwrap_or_else(|| panic!("no {symbol} in column {x}:\n{}", text(buffer)));
    (x, y)
}

#[test]
fn requests_with_the_256_colour_theme() {
    for (width, height) in SIZES {
        let app = themed(width, height);
        let buffer = buffer(&app);
        insta::assert_snapshot!(format!("theme256_requests_{width}x{height}"), text(&buffer));

        // Awaiting-user is `bold 214`, failed `bold 203`, complete `114` in assets/themes/256.toml.
        let awaiting = find(&buffer, "⚑");
        assert_eq!(buffer[awaiting].style().fg, Some(Color::Indexed(214)));
        assert!(
            buffer[awaiting]
                .style()
                .add_modifier
                .contains(Modifier::BOLD)
        );
        let failed = find(&buffer, "✗");
        assert_eq!(buffer[failed].style().fg, Some(Color::Indexed(203)));
        let complete = find(&buffer, "✓");
        assert_eq!(buffer[complete].style().fg, Some(Color::Indexed(114)));
        // The selected row is `reversed bold` (the theme's, not the default's plain reverse).
        let selected = buffer
            .content()
            .iter()
            .find(|cell| cell.modifier.contains(Modifier::REVERSED))
            .expect("a selected row");
        assert!(selected.modifier.contains(Modifier::BOLD), "{selected:?}");
        // No cell keeps a colour from the 16-colour default theme.
        for cell in buffer.content() {
            for colour in [cell.fg, cell.bg] {
                assert!(
                    matches!(colour, Color::Reset | Color::Indexed(_)),
                    "a 16-colour cell in the 256 theme: {cell:?}"
                );
            }
        }
    }
}

#[test]
fn every_theme_draws_the_same_text() {
    let palette = spsdash::config::theme::load("256", None).unwrap();
    for (width, height) in SIZES {
        for keys in [vec![], vec![key(KeyCode::Enter)], vec![char('n')]] {
            let screens: Vec<String> = [
                loaded_app(width, height),
                loaded_app(width, height).with_no_color(true),
                loaded_app(width, height).with_palette(palette),
            ]
            .into_iter()
            .map(|mut app| {
                update(&mut app, Event::Tick(at(4)));
                press(&mut app, keys.clone());
                text(&buffer(&app))
            })
            .collect();
            assert_eq!(screens[0], screens[1], "mono differs at {width}x{height}");
            assert_eq!(screens[0], screens[2], "256 differs at {width}x{height}");
        }
    }
}
