#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 28 on CPS, the default world: enrollments with long names drawn at 60×20, 80×24,
//! 120×40 and 200×50, in the list, an enrollment's detail (a Let's Encrypt change waiting for
//! its challenges), the expiring view and the help over them. Wherever a name shows it is
//! whole or its cut ends in "…" (`ui_narrow.rs` does the same on SPS).

mod app_support;
mod cps_app_support;
mod cut_support;

use app_support::{at, char, key, press};
use cps_app_support::{change, config, draw, enrollment, http_and_dns, loaded, media};
use crossterm::event::KeyCode;
use serde_json::json;
use spsdash::app::{App, Event, update};
use spsdash::cps::neutral;

const SIZES: [(u16, u16); 4] = [(60, 20), (80, 24), (120, 40), (200, 50)];

/// Names long enough to be cut at every width; none starts like another.
const NAMES: [&str; 4] = [
    "checkout.payments.fabrikam-residences.example",
    "login.bluesky.example-holdings.com",
    "api.consolidated-messenger.example.org",
    "store.example.com.regional-mirror.net",
];

fn long_named_app(width: u16, height: u16) -> App {
    let mut app = App::new(config(), "DEMO".into(), app_support::t0(), (width, height));
    let pending = |domain: &str, token: &str| {
        json!({"domain": domain, "status": "Awaiting user", "validationStatus": "PENDING",
               "requestTimestamp": "2026-11-28T09:00:00Z", "validatedTimestamp": null,
               "expires": "2026-12-05T09:00:00Z", "error": null,
               "challenges": http_and_dns(domain, token)})
    };
    let challenges = json!({"dv": [pending(NAMES[0], "tokA0123456789abcdefghij"),
                                   pending(NAMES[1], "tokB0123456789abcdefghij")]});
    let waiting = change(
        20001,
        80001,
        json!({"state": "awaiting-input", "status": "coodinate-domain-validation",
               "description": "Waiting for Let's Encrypt to validate 2 domains.",
               "error": null}),
        &["lets-encrypt-challenges"],
        Some(challenges),
    );
    let list = vec![
        neutral::list_item(
            &enrollment(
                20001,
                "lets-encrypt",
                "dv",
                "san",
                &[NAMES[0], NAMES[1]],
                Some((80001, "new-certificate")),
            ),
            Some(&waiting),
        ),
        neutral::list_item(
            &enrollment(20002, "symantec", "ov", "single", &[NAMES[2]], None),
            None,
        ),
        neutral::list_item(
            &enrollment(20003, "lets-encrypt", "dv", "san", &[NAMES[3]], None),
            None,
        ),
    ];
    update(&mut app, loaded(media(), list));
    update(&mut app, Event::Tick(at(4)));
    app
}

fn lines(app: &App) -> Vec<String> {
    draw(app)
        .to_string()
        .lines()
        .map(|line| line.trim_matches('"').to_string())
        .collect()
}

#[test]
fn cps_views_mark_every_cut_at_every_size() {
    let views: [(&str, Vec<Event>); 5] = [
        ("requests", vec![]),
        ("detail", vec![key(KeyCode::Enter)]),
        (
            "detail domains",
            vec![key(KeyCode::Enter), key(KeyCode::Tab)],
        ),
        ("expiring", vec![char('x')]),
        ("help", vec![char('?')]),
    ];
    let mut problems = Vec::new();
    let mut names_seen = 0;
    for (width, height) in SIZES {
        for (view, keys) in &views {
            let mut app = long_named_app(width, height);
            press(&mut app, keys.clone());
            let screen = lines(&app);
            names_seen += screen
                .iter()
                .filter(|line| NAMES.iter().any(|name| line.contains(&name[..8])))
                .count();
            problems.extend(
                cut_support::silent_cuts(&screen, &NAMES)
                    .into_iter()
                    .map(|cut| format!("{view} {width}×{height}: {cut}")),
            );
        }
    }
    assert!(
        names_seen > 20,
        "the names were hardly drawn ({names_seen} lines)"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The detector tells a wrap (the rest of the name on the next line) from a silent cut.
#[test]
fn a_wrapped_name_is_not_a_cut_but_a_silent_one_is() {
    let wrapped = vec![
        "│fullPath http://checkout.payments.fab│".to_string(),
        "│         rikam-residences.example/x  │".to_string(),
    ];
    assert!(cut_support::silent_cuts(&wrapped, &NAMES).is_empty());
    let cut = vec![
        "│fullPath http://checkout.payments.fab│".to_string(),
        "│token    tokA0123456789abcdefghij    │".to_string(),
    ];
    assert_eq!(cut_support::silent_cuts(&cut, &NAMES).len(), 1);
}
