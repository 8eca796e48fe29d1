//! The detail view with readiness verdicts (issue 10): each domain row shows its verdict in a
//! few words with its age, the focused-domain panel the whole chain and the DNS answers used.
//! Rendered at 80×24 and 120×40 and compared with the committed snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use std::time::Duration;

use app_support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, update};
use spsdash::dvcheck::{CheckOutcome, CheckProblem, CheckResult, DnsFacts, Hop, HopAnswer};

fn draw(app: &App) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .unwrap();
    terminal.backend().clone()
}

fn hop(url: &str, answer: HopAnswer) -> Hop {
    Hop {
        url: url.to_string(),
        address: None,
        answer,
    }
}

const CHALLENGE: &str = "/.well-known/acme-challenge/tok-www";

/// www: through the https hop to Akamai's copy, which serves another token; the apex is
/// CNAMEd to the edge hostname, so Akamai answers for it.
fn verdicts() -> Vec<CheckResult> {
    let www = CheckResult {
        domain: "www.shop.example.com".into(),
        outcome: CheckOutcome::NotReady(CheckProblem::WrongBody {
            hop: 3,
            received: "\"tok-old.abc\"".into(),
        }),
        elapsed: Duration::from_millis(48),
        address: Some("192.0.2.10:80".parse().unwrap()),
        chain: vec![
            hop(
                &format!("http://www.shop.example.com{CHALLENGE}"),
                HopAnswer::Redirect {
                    status: 301,
                    location: format!("https://www.shop.example.com{CHALLENGE}"),
                },
            ),
            hop(
                &format!("https://www.shop.example.com{CHALLENGE}"),
                HopAnswer::Redirect {
                    status: 301,
                    location: format!("http://dcv.akamai.com{CHALLENGE}"),
                },
            ),
            hop(
                &format!("http://dcv.akamai.com{CHALLENGE}"),
                HopAnswer::KeyAuthorization { matches: false },
            ),
        ],
        families: Vec::new(),
        dns: Some(DnsFacts {
            cname_chain: Vec::new(),
            ipv6: Vec::new(),
            ipv4: vec!["192.0.2.10".parse().unwrap()],
            caa: None,
            caa_lookup_failed: None,
        }),
    };
    let apex = CheckResult {
        domain: "shop.example.com".into(),
        outcome: CheckOutcome::Automatic {
            edge_hostname: "shop.example.com.edgekey.net".into(),
        },
        elapsed: Duration::from_millis(5),
        address: None,
        chain: Vec::new(),
        families: Vec::new(),
        dns: Some(DnsFacts {
            cname_chain: vec!["shop.example.com.edgekey.net".into()],
            ..DnsFacts::default()
        }),
    };
    vec![apex, www]
}

/// The detail of 1856 with verdicts two minutes old, the cursor on `www`.
fn checked_detail(width: u16, height: u16) -> App {
    let mut app = loaded_app(width, height);
    update(&mut app, Event::Tick(at(4)));
    press(&mut app, [key(KeyCode::Enter)]);
    let checked_at = app.now - chrono::Duration::seconds(125);
    app.domain_checks.record(1856, verdicts(), checked_at);
    press(&mut app, [key(KeyCode::Down)]);
    app
}

#[test]
fn domain_rows_show_the_verdict_and_its_age_and_the_panel_the_chain() {
    for (width, height) in [(80, 24), (120, 40)] {
        let app = checked_detail(width, height);
        let screen = draw(&app);
        let text = screen.to_string();
        assert!(
            text.contains("automatic · CNAME · 2m ago"),
            "apex row at {width}x{height}:\n{text}"
        );
        assert!(
            text.contains("wrong body at hop 3 · 2m ago"),
            "www row at {width}x{height}:\n{text}"
        );
        insta::assert_snapshot!(format!("detail_checked_{width}x{height}"), screen);
    }
}

#[test]
fn the_focused_panel_names_the_hop_that_failed_and_the_dns_answers() {
    let app = checked_detail(120, 40);
    let text = draw(&app).to_string();
    assert!(
        text.contains("not ready: body is the wrong key authorization at hop 3"),
        "{text}"
    );
    assert!(
        text.contains("http://www.shop.example.com/… → 301 https://www.shop.example.com/… → 301"),
        "the chain, hop by hop:\n{text}"
    );
    assert!(
        text.contains("A 192.0.2.10; no CAA"),
        "DNS answers:\n{text}"
    );
}
