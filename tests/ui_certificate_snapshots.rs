#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The CPS screens (issue 11) at 80×24 and 120×40: the expiring view, the detail's
//! Certificate section with its DNS-01 records, and the requests table's `expires` column with
//! the status bar count. Time is fixed, so days left and ages are stable.

mod app_support;

use app_support::*;
use chrono::Duration;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, Event, update};
use spsdash::cps::CpsError;
use spsdash::model::{CertificateFacts, DnsTxtRecord, Network, NetworkFacts, PendingFacts};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn draw(app: &App) -> TestBackend {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().clone()
}

fn facts(id: u64, cn: &str, days: i64, pending: bool) -> CertificateFacts {
    let expiry = t0() + Duration::days(days) + Duration::hours(1);
    CertificateFacts {
        enrollment_id: id,
        common_name: Some(cn.into()),
        sans_requested: vec![cn.into(), format!("www.{cn}")],
        validation_type: Some("dv".into()),
        issuer: Some("lets-encrypt".into()),
        sni_only: Some(true),
        networks: vec![
            NetworkFacts {
                network: Network::Production,
                expiry: Some(expiry),
                expiry_unreadable: None,
                dns_names: vec![cn.into()],
                sha256: None,
            },
            NetworkFacts {
                network: Network::Staging,
                expiry: Some(expiry + Duration::days(30)),
                expiry_unreadable: None,
                dns_names: vec![cn.into(), format!("www.{cn}")],
                sha256: None,
            },
        ],
        pending: pending.then(|| PendingFacts {
            change_type: Some("renewal".into()),
            status: Some("wait-review-cert-warning".into()),
            description: Some("Waiting for the DV challenges to be answered".into()),
            unread: None,
        }),
        dns_records: if pending {
            vec![DnsTxtRecord {
                domain: format!("www.{cn}"),
                name: format!("_acme-challenge.www.{cn}"),
                value: "Dv7yJ0h3xq5lZ9n2KfQe8bR1sT4uW6vX0yA3cE5gI7k".into(),
                status: Some("pending".into()),
                expires: None,
            }]
        } else {
            Vec::new()
        },
    }
}

/// The fixtures' three DV certificates (3, 20 and 200 days), and one enrollment CPS lost.
fn with_certificates(app: &mut App) {
    let read = |app: &mut App, id, outcome| {
        update(
            app,
            Event::CertificateRead {
                enrollment_id: id,
                at: at(2),
                calls: 2,
                outcome,
            },
        );
    };
    read(app, 11856, Ok(facts(11856, "shop.example.com", 3, true)));
    read(app, 12001, Ok(facts(12001, "store.example.com", 20, false)));
    read(app, 12002, Ok(facts(12002, "pay.example.com", 200, false)));
    read(
        app,
        11870,
        Err(CpsError::NotFound {
            what: "enrollment 11870".into(),
        }),
    );
    update(app, Event::Tick(at(3 * 3600)));
}

fn snapshot(name: &str, setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = loaded_app(width, height);
        with_certificates(&mut app);
        setup(&mut app);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), draw(&app));
    }
}

#[test]
fn expiring_view() {
    snapshot("expiring", |app| {
        press(app, [char('x')]);
    });
}

#[test]
fn detail_certificate_section() {
    snapshot("detail_certificate", |app| {
        press(
            app,
            [
                key(KeyCode::Enter),
                key(KeyCode::Tab),
                key(KeyCode::Tab),
                key(KeyCode::Tab),
            ],
        );
    });
}

#[test]
fn requests_with_expiry_column_and_status_count() {
    snapshot("requests_expires", |_| {});
}
