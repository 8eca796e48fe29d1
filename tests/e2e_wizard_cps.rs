//! End to end in tmux: the real binary on the demo's CPS world (no backend flag: CPS is the
//! default), a certificate ordered by keystrokes. The wizard asks for what CPS and PAPI need
//! (the product and the PAPI group, not optional here), its review shows the enrollment's
//! request exactly as the client sends it, Enter orders the enrollment and its edge
//! hostname, both journaled, and the new enrollment appears in its contract's table waiting
//! for its Let's Encrypt challenges.
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
fn a_lets_encrypt_certificate_and_its_edge_hostname_ordered_by_keystrokes_on_cps() {
    if !tmux_or_skip("end-to-end CPS wizard test") {
        return;
    }
    let home = temp_home();
    std::fs::create_dir_all(home.path().join("config/spsdash")).expect("xdg dir");
    let config = home.path().join("config/spsdash/config.toml");
    std::fs::write(&config, PROFILE_CONFIG).expect("config");
    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let tmux = Tmux::new("e2e-wizard-cps", "e2e");
    // A new user's shell: no SPSDASH_BACKEND, so the demo shows CPS.
    let mut environment: Vec<String> = home_environment(home.path())
        .into_iter()
        .filter(|variable| !variable.starts_with("SPSDASH_BACKEND="))
        .collect();
    let home_dir = home.path().display();
    environment.push(format!("SPSDASH_DATA_DIR={home_dir}/data/spsdash"));
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    tmux.type_text(&format!(
        "{} --demo --config {}",
        shell_quote(binary),
        shell_quote(&config)
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the enrollments table", |screen| {
        screen.contains("│ CPS │") && screen.contains("enrollment") && screen.contains("C-1EXMPL")
    });
    // The first contract, so the order goes to C-1EXMPL.
    tmux.send(&["l"]);
    tmux.wait_for("the contract's own table", |screen| {
        screen.contains("C-1EXMPL ·")
    });

    tmux.send(&["n"]);
    tmux.wait_for("the wizard's first screen", |screen| {
        screen.contains("New certificate · contract C-1EXMPL") && screen.contains("What to do")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the kind step", |screen| {
        screen.contains("Certificate kind")
    });
    tmux.send(&["End", "Enter"]);
    tmux.wait_for("the validation step", |screen| {
        screen.contains("· Validation")
    });
    tmux.send(&["End", "Enter"]);
    tmux.wait_for("the names step", |screen| {
        screen.contains("Names on the certificate")
    });
    tmux.type_text("e2e-cps.example.com");
    tmux.send(&["Tab"]);
    tmux.paste("www.e2e-cps.example.com\napi.e2e-cps.example.com");
    tmux.wait_for("the pasted names", |screen| {
        screen.contains("api.e2e-cps.example.com")
    });
    tmux.send(&["Enter"]);
    let edge = tmux.wait_for("the edge hostname step", |screen| {
        screen.contains("e2e-cps.example.com.edgekey.net") && screen.contains("Group (PAPI)")
    });
    // On CPS the product and the group are needed: not marked optional.
    assert!(!edge.contains("Product (opt.)"), "{edge}");
    assert!(!edge.contains("Group (PAPI) (opt.)"), "{edge}");
    tmux.send(&["Tab"]);
    tmux.type_text("prd_SPM");
    tmux.send(&["Tab"]);
    tmux.type_text("grp_10001");
    enter_until(&tmux, "Exactly what will be sent");
    let review = tmux.wait_for("the planned enrollment request", |screen| {
        screen.contains("/cps/v2/enrollments?contractId=C-1EXMPL")
    });
    for wanted in [
        "Validation        DV (issuer lets-encrypt)",
        "Group (PAPI)      grp_10001",
        "Content-Type: application/vnd.akamai.cps.enrollment.v11+json",
        "Accept: application/vnd.akamai.cps.enrollment-status.v1+json",
    ] {
        assert!(review.contains(wanted), "`{wanted}` in\n{review}");
    }
    // Scrolled to its end, the edge hostname's request follows.
    tmux.send(&[
        "PageDown", "PageDown", "PageDown", "PageDown", "PageDown", "PageDown",
    ]);
    tmux.wait_for("the edge hostname's request", |screen| {
        screen.contains("certEnrollmentId") && screen.contains("/papi/v1/edgehostnames?")
    });
    tmux.send(&["Enter"]);

    // Ordered: the wizard closes and the enrollment is a row of C-1EXMPL.
    let row_of = |screen: &str| {
        screen
            .lines()
            .find(|line| line.contains("e2e-cps.exa"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    // The wizard's step line says it is still open: a scrolled review may no longer show its
    // heading, while a line of its body names the new host.
    let listed = tmux.wait_for("the new enrollment in the table", |screen| {
        !screen.contains(" · Review") && !row_of(screen).is_empty()
    });
    let row = row_of(&listed);
    assert!(
        row.contains("san") && row.contains("lets-encrypt"),
        "{row}\n{listed}"
    );

    // Both writes journaled before they were sent, each answered.
    let data_dir = home.path().join("data/spsdash/accounts");
    let journal = std::fs::read_dir(&data_dir)
        .expect("account dirs")
        .flatten()
        .map(|entry| entry.path().join("submissions.jsonl"))
        .find(|path| path.exists())
        .map(|path| std::fs::read_to_string(path).expect("journal"))
        .expect("a submissions journal");
    for wanted in [
        "\"endpoint\":\"cps-enrollments\"",
        "\"endpoint\":\"papi-edgehostnames\"",
        "e2e-cps.example.com",
    ] {
        assert!(journal.contains(wanted), "`{wanted}` in\n{journal}");
    }
    assert_eq!(
        journal.matches("\"outcome\":\"answered\"").count(),
        2,
        "{journal}"
    );
}
