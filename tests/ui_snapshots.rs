//! Every screen rendered into a `TestBackend` at 80×24 and 120×40, compared with the
//! committed snapshots (tests/snapshots/). Time is fixed, so ages are stable.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, update};
use spsdash::edgegrid::ApiError;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn draw(app: &App) -> TestBackend {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

/// The screen as plain lines (the backend's Display quotes each line).
fn screen_text(app: &App) -> String {
    draw(app)
        .to_string()
        .lines()
        .map(|line| line.trim_matches('"'))
        .collect::<Vec<_>>()
        .join("\n")
}

fn snapshot(name: &str, setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = loaded_app(width, height);
        update(&mut app, Event::Tick(at(4)));
        setup(&mut app);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), draw(&app));
    }
}

#[test]
fn requests_screen() {
    snapshot("requests", |_| {});
}

#[test]
fn requests_of_one_pair_filtered_and_sorted() {
    snapshot("requests_filtered", |app| {
        press(app, [key(KeyCode::Right), char('7'), char('/')]);
        type_text(app, "example.com");
    });
    // The sort arrow is on screen at every size (it was cut at 80 columns).
    for (width, height) in SIZES {
        let mut app = loaded_app(width, height);
        press(&mut app, [key(KeyCode::Right), char('7'), char('/')]);
        type_text(&mut app, "example.com");
        let text = screen_text(&app);
        assert!(
            text.contains("last change▼") || text.contains("last change▲"),
            "{width}x{height}\n{text}"
        );
    }
}

#[test]
fn detail_screen_domains() {
    snapshot("detail", |app| {
        press(app, [key(KeyCode::Enter), char('j')]);
    });
}

/// The header once the detail call answered: "detail read …", not "reading details…", and
/// at 80 columns the ids whole.
#[test]
fn detail_screen_loaded() {
    snapshot("detail_loaded", |app| {
        press(app, [key(KeyCode::Enter)]);
        let id = app.detail().unwrap().id;
        let request = web_list().into_iter().find(|r| r.id == id).unwrap();
        update(
            app,
            Event::DetailLoaded {
                pair: web(),
                id,
                at: at(4),
                outcome: Ok(request),
            },
        );
    });
    for (width, height) in SIZES {
        let mut app = loaded_app(width, height);
        update(&mut app, Event::Tick(at(4)));
        press(&mut app, [key(KeyCode::Enter)]);
        let id = app.detail().unwrap().id;
        let request = web_list().into_iter().find(|r| r.id == id).unwrap();
        let enrollment = request.enrollment_id.unwrap();
        update(
            &mut app,
            Event::DetailLoaded {
                pair: web(),
                id,
                at: at(4),
                outcome: Ok(request),
            },
        );
        let text = screen_text(&app);
        assert!(!text.contains("reading details"), "{text}");
        assert!(text.contains("detail read"), "{text}");
        assert!(
            text.contains(&format!("enrollmentId {enrollment}")),
            "{width}x{height}: the enrollment id whole\n{text}"
        );
    }
}

#[test]
fn detail_screen_parameters_and_history() {
    snapshot("detail_parameters", |app| {
        press(app, [key(KeyCode::Enter), key(KeyCode::Tab)]);
    });
    snapshot("detail_history", |app| {
        let mut list = web_list();
        list[0].domains[1].set_status("Valid");
        update(app, loaded(web(), list, 3));
        press(
            app,
            [key(KeyCode::Enter), key(KeyCode::Tab), key(KeyCode::Tab)],
        );
    });
}

#[test]
fn help_overlay() {
    snapshot("help", |app| {
        press(app, [char('?')]);
    });
    snapshot("help_detail", |app| {
        press(app, [key(KeyCode::Enter), char('?')]);
    });
}

#[test]
fn errors_overlay_and_failing_status_bar() {
    snapshot("errors", |app| {
        update(
            app,
            Event::ListLoaded {
                pair: web(),
                at: at(90),
                outcome: Err(ApiError::Timeout {
                    after: std::time::Duration::from_secs(20),
                }),
                failures: 2,
                skipped: Vec::new(),
            },
        );
        update(app, Event::Tick(at(100)));
        press(app, [char('E')]);
    });
}

#[test]
fn paused_banner_and_stale_data() {
    snapshot("paused", |app| {
        press(app, [char('p')]);
        update(app, Event::Tick(at(50)));
    });
}

#[test]
fn loading_before_any_data() {
    for (width, height) in SIZES {
        let app = app(width, height);
        insta::assert_snapshot!(format!("loading_{width}x{height}"), draw(&app));
    }
}

#[test]
fn too_small_says_how_big_it_must_be() {
    let app = loaded_app(50, 12);
    let text = screen_text(&app);
    assert!(text.contains("at least 60×16"), "{text}");
    assert!(text.contains("50×12"), "{text}");
}

#[test]
fn awaiting_rows_carry_a_glyph_and_a_word_and_the_detail_shows_paths_whole() {
    let mut app = loaded_app(80, 24);
    let text = screen_text(&app);
    let awaiting = text
        .lines()
        .find(|line| line.contains("1856"))
        .expect("row 1856 on screen");
    assert!(
        awaiting.contains('⚑') && awaiting.contains("Awaiting User"),
        "{awaiting}"
    );
    press(&mut app, [key(KeyCode::Enter), char('j')]);
    // At 80 columns the table cuts long values; the focused-domain panel shows them whole.
    let text = screen_text(&app).replace(['│', '\n', ' '], "");
    for whole in [
        "http://www.shop.example.com/.well-known/acme-challenge/tok185620",
        "http://dcv.akamai.com/.well-known/acme-challenge/tok185620",
    ] {
        assert!(text.contains(whole), "{whole} not whole on screen");
    }
}

#[test]
fn every_column_fits_at_120_and_low_priority_ones_drop_at_80() {
    let wide = screen_text(&loaded_app(120, 40));
    for title in [
        "spsId",
        "cname / CN",
        "kind",
        "val",
        "status",
        "valid",
        "last change",
        "enrollment",
    ] {
        assert!(wide.contains(title), "{title} missing at 120");
    }
    assert!(wide.contains("2026-11-28 11:55"), "the time (UTC) at 120");
    assert!(
        wide.contains("last change (age, UTC)"),
        "the time has a title"
    );
    let narrow = screen_text(&loaded_app(80, 24));
    assert!(narrow.contains("spsId") && narrow.contains("status"));
    assert!(!narrow.contains("enrollment"));
    for line in narrow.lines() {
        assert!(line.chars().count() <= 80);
    }
}

#[test]
fn freshness_is_said_in_words_not_only_colour() {
    let mut app = loaded_app(120, 40);
    update(&mut app, Event::Tick(at(40)));
    assert!(screen_text(&app).contains("updated 40s ago LATE"));
    update(&mut app, Event::Tick(at(200)));
    assert!(screen_text(&app).contains("OUTDATED"));
}

#[test]
fn no_color_draws_without_any_colour_but_keeps_words_and_marks() {
    let mut app = loaded_app(120, 40);
    app.no_color = true;
    update(&mut app, Event::Tick(at(40)));
    let backend = draw(&app);
    let buffer = backend.buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
    let text = screen_text(&app);
    assert!(text.contains('⚑') && text.contains("LATE"));

    // With colour, the awaiting rows and the late age are coloured.
    app.no_color = false;
    let coloured = draw(&app);
    assert!(
        coloured
            .buffer()
            .content()
            .iter()
            .any(|cell| cell.fg != ratatui::style::Color::Reset)
    );
}

#[test]
fn paste_goes_into_the_filter_while_typing_it() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('/')]);
    update(&mut app, Event::Paste("news.example\nsecond line".into()));
    assert_eq!(app.requests.filter, "news.example");
    assert!(screen_text(&app).contains("filter: /news.example"));
}

#[test]
fn a_domain_check_result_shows_as_a_column_and_in_the_panel() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    assert!(!screen_text(&app).contains("check"));
    let checked_at = app.now - chrono::Duration::seconds(120);
    app.domain_checks.record(
        1856,
        vec![spsdash::dvcheck::CheckResult {
            domain: "shop.example.com".into(),
            outcome: spsdash::dvcheck::CheckOutcome::Ready { redirects: 1 },
            elapsed: std::time::Duration::from_millis(12),
            address: None,
            chain: Vec::new(),
            families: Vec::new(),
            dns: None,
        }],
        checked_at,
    );
    let text = screen_text(&app);
    let row = text
        .lines()
        .find(|line| line.contains("shop.exam") && line.contains("Valid "))
        .unwrap_or_else(|| panic!("no domain row in:\n{text}"));
    assert!(row.contains("ready · 2m ago"), "{row}");
    assert!(text.contains(" check "), "a check column header");
}

/// In demo mode the simulator's world runs faster than the wall clock: a request's age must be
/// measured on the API's clock, or fresh changes would read "in 3h" (a time in the future).
#[test]
fn request_ages_follow_the_api_clock_when_it_differs_from_ours() {
    let mut app = loaded_app(120, 40);
    let wall_clock_screen = screen_text(&app);
    assert!(
        !wall_clock_screen.contains("30d ago"),
        "fixture ages are hours, not a month:\n{wall_clock_screen}"
    );
    let api_now = app.now + chrono::Duration::days(30);
    update(&mut app, Event::ApiClock(api_now));
    let api_clock_screen = screen_text(&app);
    assert!(
        api_clock_screen.contains("30d ago"),
        "ages measured on the API's clock:\n{api_clock_screen}"
    );
}
