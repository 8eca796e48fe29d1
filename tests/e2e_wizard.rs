//! End to end: the real binary in a detached tmux session (own socket, 120×40) on the demo
//! world, HOME, XDG dirs and the data dir in a tempdir, a config with a profile. By keystrokes
//! it creates a DV SAN certificate (the SAN list pasted with bracketed paste), sees the new
//! request appear in the table and advance, then tries DV on a single certificate and gets
//! the message instead of a submission.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tmux_support;

use std::path::Path;

use tmux_support::wizard::{PROFILE_CONFIG, enter_until};
use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

#[test]
fn a_dv_san_certificate_by_keystrokes_and_dv_refused_for_a_single_one() {
    if !tmux_or_skip("end-to-end wizard test") {
        return;
    }
    let home = temp_home();
    std::fs::create_dir_all(home.path().join("config/spsdash")).expect("xdg dir");
    let config = home.path().join("config/spsdash/config.toml");
    std::fs::write(&config, PROFILE_CONFIG).expect("config");
    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let tmux = Tmux::new("e2e-wizard", "e2e");
    let mut environment = home_environment(home.path());
    let home_dir = home.path().display();
    environment.push(format!("SPSDASH_DATA_DIR={home_dir}/data/spsdash"));
    tmux.start_shell(&environment);
    tmux.type_text(&format!(
        "{} --demo --config {}",
        shell_quote(binary),
        shell_quote(&config)
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the request table with rows", |screen| {
        screen.contains("spsId") && screen.contains("example")
    });

    // A new SAN certificate with DV.
    tmux.send(&["n"]);
    tmux.wait_for("the wizard's first screen", |screen| {
        screen.contains("Step 1 of 13") && screen.contains("What to do")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the kind step", |screen| {
        screen.contains("Certificate kind")
    });
    tmux.send(&["End", "Enter"]);
    tmux.wait_for("the validation step", |screen| {
        screen.contains("Step 3 of 13 · Validation")
    });
    tmux.send(&["End", "Enter"]);
    tmux.wait_for("the names step", |screen| {
        screen.contains("Names on the certificate")
    });
    tmux.type_text("e2e-shop.example.com");
    tmux.send(&["Tab"]);
    tmux.paste("www.e2e-shop.example.com, e2e-shop.example.com\napi.e2e-shop.example.com\nwww.e2e-shop.example.com");
    tmux.wait_for("the pasted list, one per line", |screen| {
        screen.contains("3 name(s) with the common name")
            && screen.contains("api.e2e-shop.example.com")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the edge hostname step", |screen| {
        screen.contains("e2e-shop.example.com.edgekey.net")
    });
    enter_until(&tmux, "Exactly what will be sent");
    let review = tmux.screen();
    assert!(review.contains("issuer lets-encrypt"), "{review}");
    assert!(review.contains("createType=san"), "{review}");
    // The demo's draft and journal are its own, apart from any real account's.
    let data_dir = home.path().join("data/spsdash/accounts/_28demo_29");
    let draft = data_dir.join("wizard-draft.json");
    assert!(draft.exists(), "the draft is saved on every step");
    tmux.send(&["Enter"]);

    // The wizard closes; the new request appears (the table may cut the name) and advances:
    // created Pending, the simulator moves a DV request on to Awaiting User (the domains'
    // challenges are issued), which the table shows with 0 of 3 domains valid.
    let row_of = |screen: &str| {
        screen
            .lines()
            .find(|line| line.contains("e2e-shop.example"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    // The wizard's step line says it is still open: a scrolled review may no longer show its
    // heading, while a line of its body names the new host.
    let listed = tmux.wait_for("the new request in the table", |screen| {
        !screen.contains(" · Review") && !row_of(screen).is_empty()
    });
    let row = row_of(&listed);
    assert!(row.contains("san") && row.contains("DV"), "{row}");
    tmux.wait_for("the new request to advance to Awaiting User", |screen| {
        let row = row_of(screen);
        row.contains("Awaiting User") && row.contains("0/3")
    });

    // Journaled with its spsId; the draft is gone once submitted.
    let journal = std::fs::read_to_string(data_dir.join("submissions.jsonl")).expect("the journal");
    assert!(
        journal.contains("\"event\":\"sent\"") && journal.contains("e2e-shop.example.com"),
        "{journal}"
    );
    assert!(journal.contains("\"outcome\":\"accepted\""), "{journal}");
    assert!(!draft.exists(), "the submitted draft is discarded");

    // DV on a single certificate: the message, and no submission.
    tmux.send(&["n"]);
    tmux.wait_for("the wizard's first screen", |screen| {
        screen.contains("What to do")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the kind step", |screen| {
        screen.contains("Certificate kind")
    });
    tmux.send(&["Home", "Enter"]);
    tmux.wait_for("the validation step", |screen| {
        screen.contains("Step 3 of 13 · Validation")
    });
    tmux.send(&["Down", "Enter"]);
    let refused = tmux.wait_for("the DV refusal", |screen| {
        screen.contains("✗ DV (Let's Encrypt) is only available for SAN certificates")
    });
    assert!(
        refused.contains("Step 3 of 13"),
        "still on the validation step:\n{refused}"
    );
}
