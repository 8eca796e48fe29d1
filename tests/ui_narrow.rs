#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 28: the screens never hide what matters. Each main view (the requests list, a
//! request's detail, the expiring view `x`) is drawn at 60×20, 80×24, 120×40 and 200×50 with
//! long names, a long account label, data three hours old and the API failing. At every size
//! the status line keeps the failure and the data's age in words, and no value on screen is
//! cut without "…" (a name cut silently reads as another, valid name). The snapshots are the
//! screens as drawn.

mod app_support;
mod cut_support;

use app_support::*;
use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, update};
use spsdash::edgegrid::ApiError;
use spsdash::model::{CertificateFacts, Network, NetworkFacts};

const SIZES: [(u16, u16); 4] = [(60, 20), (80, 24), (120, 40), (200, 50)];

/// Names long enough to be cut at every width; none is the start of another.
const NAMES: [&str; 5] = [
    "login.bluesky.example-holdings.com",
    "store.example.com.regional-mirror.net",
    "shop.litware.example.co.uk",
    "api.consolidated-messenger.example.org",
    "checkout.payments.fabrikam-residences.example",
];

const LABEL: &str = "section production @ akab-abcdefghijklmnop.luna.akamaiapis.net";

fn draw(app: &App) -> TestBackend {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

fn lines(backend: &TestBackend) -> Vec<String> {
    backend
        .to_string()
        .lines()
        .map(|line| line.trim_matches('"').to_string())
        .collect()
}

fn certificate(id: u64, cn: &str, days: i64) -> CertificateFacts {
    let expiry = t0() + Duration::days(days);
    CertificateFacts {
        enrollment_id: id,
        common_name: Some(cn.into()),
        sans_requested: vec![cn.into(), format!("www.{cn}")],
        validation_type: Some("dv".into()),
        issuer: Some("lets-encrypt".into()),
        sni_only: Some(true),
        networks: vec![NetworkFacts {
            network: Network::Production,
            expiry: Some(expiry),
            expiry_unreadable: None,
            dns_names: vec![cn.into()],
            sha256: None,
        }],
        pending: None,
        dns_records: Vec::new(),
    }
}

/// Two pairs of long-named requests read at t0, their certificates, then three hours of a
/// failing API.
fn failing_app(width: u16, height: u16) -> App {
    let mut app = App::new(config(), LABEL.into(), t0(), (width, height));
    let web = vec![
        dv_request(
            1856,
            "Awaiting User",
            NAMES[0],
            &[
                (NAMES[0], "Valid"),
                ("www.bluesky.example", "Awaiting User"),
            ],
            5,
        ),
        ov_request(1801, "SPS Request Complete", NAMES[1], "single", 600),
        ov_request(1820, "CPS running", NAMES[2], "wildcard", 90),
    ];
    let shop = vec![
        dv_request(
            2001,
            "SPS Request Complete",
            NAMES[3],
            &[(NAMES[3], "Valid")],
            240,
        ),
        dv_request(
            2002,
            "Awaiting User",
            NAMES[4],
            &[(NAMES[4], "Awaiting User")],
            20,
        ),
    ];
    update(&mut app, loaded(app_support::web(), web, 0));
    update(&mut app, loaded(app_support::shop(), shop, 0));
    for (id, name, days) in [(11856, NAMES[0], 3), (12001, NAMES[3], 20)] {
        update(
            &mut app,
            Event::CertificateRead {
                enrollment_id: id,
                at: at(2),
                calls: 2,
                outcome: Ok(certificate(id, name, days)),
            },
        );
    }
    update(
        &mut app,
        Event::ListLoaded {
            pair: app_support::web(),
            at: at(3 * 3600),
            outcome: Err(ApiError::Status {
                status: 500,
                excerpt: "Internal Server Error".into(),
            }),
            failures: 3,
            skipped: Vec::new(),
        },
    );
    update(&mut app, Event::Tick(at(3 * 3600 + 10)));
    app
}

/// The views, each a name and the keys that open it.
fn views() -> [(&'static str, Vec<Event>); 3] {
    [
        ("requests", vec![]),
        ("detail", vec![key(crossterm::event::KeyCode::Enter)]),
        ("expiring", vec![char('x')]),
    ]
}

fn silent_cuts(screen: &[String]) -> Vec<String> {
    cut_support::silent_cuts(screen, &NAMES)
}

#[test]
fn every_view_keeps_the_failure_and_the_age_and_marks_every_cut() {
    let mut problems = Vec::new();
    let mut drawn = Vec::new();
    for (width, height) in SIZES {
        for (view, keys) in views() {
            let mut app = failing_app(width, height);
            press(&mut app, keys);
            let backend = draw(&app);
            let screen = lines(&backend);
            let status = &screen[height as usize - 2];
            for words in ["API failing", "updated 3h ago OUTDATED"] {
                if !status.contains(words) {
                    problems.push(format!(
                        "{view} {width}×{height}: no {words:?} in {status:?}"
                    ));
                }
            }
            problems.extend(
                silent_cuts(&screen)
                    .into_iter()
                    .map(|cut| format!("{view} {width}×{height}: {cut}")),
            );
            drawn.push((format!("{view}_failing_{width}x{height}"), backend));
        }
    }
    // The words and the marks first: a snapshot that differs would hide which one is missing.
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (name, backend) in drawn {
        insta::assert_snapshot!(name, backend);
    }
}

#[test]
fn the_detector_sees_a_silent_cut() {
    let screen = vec![
        format!("│ {} │", &NAMES[1][..16]),
        format!("│ {}… │", &NAMES[1][..15]),
        format!("│ {} │", NAMES[1]),
    ];
    assert_eq!(
        silent_cuts(&screen).len(),
        1,
        "only the first line cuts silently"
    );
}

#[test]
fn at_every_width_from_60_the_status_line_keeps_the_failure_and_the_age() {
    for width in 60..=220 {
        let app = failing_app(width, 24);
        let screen = lines(&draw(&app));
        let status = &screen[22];
        assert!(
            status.contains("API failing, retry 3") && status.contains("updated 3h ago OUTDATED"),
            "at {width}: {status:?}"
        );
    }
}
