//! 10,000 requests stay fluid: how long a refresh, a filter keystroke, a sort and a frame take.
//! Bounds are generous (debug builds on a shared 2-core machine); the printed timings are the
//! measurement (`cargo test --test app_perf -- --nocapture`).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use std::time::{Duration, Instant};

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::table::Recompute;
use spsdash::app::{App, Event, update};
use spsdash::sps::model::SpsRequest;

fn world(count: u64) -> Vec<SpsRequest> {
    let statuses = [
        "Awaiting User",
        "Pending",
        "CPS running",
        "SPS Request Complete",
        "SPS Request Complete",
        "CPS cancelled",
    ];
    (0..count)
        .map(|i| {
            let status = statuses[(i % statuses.len() as u64) as usize];
            let name = format!("host{i}.zone{}.example.com", i % 97);
            if i % 3 == 0 {
                ov_request(10_000 + i, status, &name, "single", (i % 5000) as i64)
            } else {
                let www = format!("www.{name}");
                dv_request(
                    10_000 + i,
                    status,
                    &name,
                    &[(name.as_str(), "Valid"), (www.as_str(), status)],
                    (i % 5000) as i64,
                )
            }
        })
        .collect()
}

fn timed<T>(what: &str, action: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = action();
    let took = start.elapsed();
    eprintln!("{what:<44} {:>9.2} ms", took.as_secs_f64() * 1000.0);
    (result, took)
}

fn frame(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
}

#[test]
fn ten_thousand_requests_stay_fluid() {
    let requests = world(10_000);
    let mut app = app(120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let budget = Duration::from_millis(1500);

    let first = loaded(web(), requests.clone(), 0);
    let (_, took) = timed("list of 10,000 arrives (rows built, sorted)", || {
        update(&mut app, first)
    });
    assert!(took < budget * 2);
    assert_eq!(app.requests.view.len(), 10_000);

    let mut changed = requests.clone();
    for request in changed.iter_mut().step_by(50) {
        request.status = spsdash::sps::model::RequestStatus("SPS Request Complete".into());
    }
    let second = loaded(web(), changed, 15);
    let (_, took) = timed("second list, 10,000, 200 changed", || {
        update(&mut app, second)
    });
    assert!(took < budget * 2);

    let (_, frame_took) = timed("one frame at 120x40", || frame(&mut terminal, &app));
    assert!(frame_took < budget);

    let (_, took) = timed("tick (clock moves) + frame", || {
        update(&mut app, Event::Tick(at(16)));
        frame(&mut terminal, &app);
    });
    assert!(took < budget);
    assert_eq!(
        app.requests.last_recompute,
        Recompute::Full,
        "a tick recomputes nothing"
    );

    press(&mut app, [char('/')]);
    let (_, took) = timed("first filter keystroke 'z' (scans all rows)", || {
        press(&mut app, [char('z')]);
    });
    assert!(took < budget);
    for keystroke in ['o', 'n', 'e', '4'] {
        let (_, took) = timed(
            &format!("next keystroke '{keystroke}' (narrowing only)"),
            || {
                press(&mut app, [char(keystroke)]);
            },
        );
        assert!(took < budget);
    }
    assert_eq!(app.requests.last_recompute, Recompute::Narrowed);
    let matching = app.requests.view.len();
    assert!(matching > 0 && matching < 10_000, "{matching}");
    press(&mut app, [key(KeyCode::Esc)]);

    let (_, took) = timed("sort by last change (re-sort only)", || {
        press(&mut app, [char('7')]);
    });
    assert!(took < budget);
    assert_eq!(app.requests.last_recompute, Recompute::Resorted);

    let (_, took) = timed("cursor to the end + frame", || {
        press(&mut app, [key(KeyCode::End)]);
        frame(&mut terminal, &app);
    });
    assert!(took < budget);

    // A frame costs about the same with 10,000 rows as with 100: only visible rows are built.
    let mut small = app_support::app(120, 40);
    update(&mut small, loaded(web(), world(100), 0));
    let mut small_terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let runs = 20;
    let (_, small_took) = timed("20 frames, 100 requests", || {
        for _ in 0..runs {
            frame(&mut small_terminal, &small);
        }
    });
    let (_, big_took) = timed("20 frames, 10,000 requests", || {
        for _ in 0..runs {
            frame(&mut terminal, &app);
        }
    });
    assert!(
        big_took < small_took * 5 + Duration::from_millis(200),
        "frames grow with the number of requests: {big_took:?} vs {small_took:?}"
    );
}
