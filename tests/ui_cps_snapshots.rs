//! The dashboard on CPS, rendered into a `TestBackend` at 80×24 and 120×40 and compared with
//! the committed snapshots (tests/snapshots/): enrollments as rows per contract (id, CN, SAN
//! count, kind, validation, CA, state, domains validated), and a Let's Encrypt enrollment's
//! detail with each domain's challenges. The enrollments and changes are written as CPS's
//! published examples write them (ids as strings, `/cps-api/` locations, the API's own
//! misspelled `coodinate-domain-validation`), converted by `cps::neutral` as the poller does.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;
mod cps_app_support;

use app_support::{char, key, press, type_text};
use cps_app_support::{cps_app, draw};
use crossterm::event::KeyCode;
use spsdash::app::App;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snapshot(name: &str, setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = cps_app(width, height);
        setup(&mut app);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), draw(&app));
    }
}

#[test]
fn enrollments_as_rows_per_contract() {
    snapshot("cps_requests", |_| {});
    let app = cps_app(120, 40);
    let text = draw(&app).to_string();
    for wanted in [
        "│ CPS │",
        " contracts ",
        "enrollment",
        "CN",
        "SANs",
        "CA",
        "lets-encrypt",
        "coodinate-domain-validation",
        "no pending change",
    ] {
        assert!(text.contains(wanted), "`{wanted}` in\n{text}");
    }
    assert!(
        !text.contains("spsId") && !text.contains("last change"),
        "{text}"
    );
}

#[test]
fn a_lets_encrypt_enrollments_detail_shows_each_domains_challenges() {
    let open = |app: &mut App| {
        press(app, [char('/')]);
        type_text(app, "members");
        press(app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
        // The waiting domain, third.
        press(app, [char('j'), char('j')]);
    };
    snapshot("cps_detail", open);
    let mut app = cps_app(120, 40);
    open(&mut app);
    let text = draw(&app).to_string();
    for wanted in [
        "enrollment 10041",
        "awaiting you: prove control of the domains below",
        "login.members.example.com",
        "http://login.members.example.com/.well-known/acme-challenge/vZHBytrprRMdqQD0go1Q3uDRKmKrq01n",
        "http://dcv.akamai.com/.well-known/acme-challenge/vZHBytrprRMdqQD0go1Q3uDRKmKrq01n",
        "dns-01 name  _acme-challenge.login.members.example.com.",
        "dns-01 value 0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4",
        "CA lets-encrypt   names 3",
    ] {
        assert!(text.contains(wanted), "`{wanted}` in\n{text}");
    }
}
