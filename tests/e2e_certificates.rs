#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end (issue 11): the real binary in tmux on the demo world, whose CPS has a
//! certificate for www.example.com expiring in 3 days. Opening that request's detail reads its
//! certificate first; the Certificate tab shows it, the expiring view (`x`) lists it first as
//! critical, and the status bar counts it.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod tmux_support;

use tmux_support::{demo_dashboard, temp_home, tmux_or_skip};

#[test]
fn the_expiring_view_finds_the_demo_certificate_expiring_in_three_days() {
    if !tmux_or_skip("end-to-end expiring-certificates test") {
        return;
    }
    let home = temp_home();
    let tmux = demo_dashboard("e2e-certs", "e2e-certs", home.path(), "");

    // The request behind www.example.com: its detail reads its certificate at once.
    tmux.send(&["/"]);
    tmux.type_text("www.example.com");
    tmux.send(&["Enter"]);
    tmux.wait_for("the filtered row", |screen| {
        screen.contains("filter: /www.example.com") && !screen.contains("no request matches")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the detail", |screen| screen.contains("Domains "));
    tmux.send(&["Tab", "Tab", "Tab"]);
    let section = tmux.wait_for("the certificate read from CPS", |screen| {
        screen.contains("[Certificate]") && screen.contains("production  expires")
    });
    assert!(section.contains("CN        www.example.com"), "{section}");
    tmux.escape();
    tmux.wait_for("back on the list", |screen| screen.contains("spsId"));

    tmux.send(&["x"]);
    let view = tmux.wait_for(
        "the expiring view with the critical certificate",
        |screen| {
            screen.contains("expiring certificates")
                && screen
                    .lines()
                    .any(|line| line.contains("www.example.com") && line.contains("CRIT"))
        },
    );
    // Soonest first: the 3-day certificate is the first listed.
    let first = view
        .lines()
        .find(|line| line.contains("d CRIT") || line.contains("d warn") || line.contains("EXPIRED"))
        .unwrap_or_default();
    assert!(first.contains("www.example.com"), "{view}");
    let days: i64 = first
        .split("d CRIT")
        .next()
        .and_then(|before| before.split_whitespace().last())
        .and_then(|days| days.parse().ok())
        .unwrap_or_else(|| panic!("no days left in {first:?}"));
    assert!((1..=3).contains(&days), "{first}");
    assert!(
        view.contains("within 30 days (x)"),
        "status bar count missing:\n{view}"
    );
    tmux.escape();
    tmux.send(&["q"]);
}
