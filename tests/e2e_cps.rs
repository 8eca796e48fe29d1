//! End to end in tmux, the real binary on CPS: the demo's CPS world (enrollments as rows, a
//! DV enrollment's challenges in its detail), the dashboard on the CPS reference server with
//! real-looking credentials and no flag (no SPS call at all), and the SPS backend against
//! Akamai's 410 (said in the status line, never asked again).
//!
//! Without tmux (or python3 for the reference server) the tests fail when CI=true and are
//! skipped, loudly, otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cps_reference_support;
mod support;
mod tmux_support;

use std::path::Path;
use std::time::Duration;

use cps_reference_support::{ReferenceServer, available, conformance_problems};
use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

const SPS_PATH: &str = "/config-secure-provisioning-service/";

/// The dashboard in tmux with `home`'s environment, no `SPSDASH_BACKEND` (a new user's
/// shell), then `args`.
fn dashboard(label: &str, session: &'static str, home: &Path, args: &str) -> Tmux {
    let tmux = Tmux::new(label, session);
    let mut environment: Vec<String> = home_environment(home)
        .into_iter()
        .filter(|variable| !variable.starts_with("SPSDASH_BACKEND="))
        .collect();
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    let binary = shell_quote(Path::new(env!("CARGO_BIN_EXE_spsdash")));
    tmux.type_text(&format!("{binary} {args}"));
    tmux.send(&["Enter"]);
    tmux
}

fn write_edgerc(home: &Path, base_url: &str) {
    let edgerc = home.join(".edgerc");
    std::fs::write(&edgerc, support::edgerc_text("default", base_url)).expect("edgerc");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&edgerc, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
}

/// Opens the first row the filter `needle` leaves and waits for its challenge paths.
fn open_challenges(tmux: &Tmux, needle: &str) -> String {
    tmux.send(&["/"]);
    tmux.type_text(needle);
    tmux.send(&["Enter"]);
    tmux.wait_for("the filtered row", |screen| {
        screen.contains(&format!("filter: /{needle}")) && !screen.contains("no request matches")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("the detail with its challenges", |screen| {
        screen.contains("Domains ")
            && screen.contains("/.well-known/acme-challenge/")
            && screen.contains("dcv.akamai.com")
    })
}

#[test]
fn the_demo_shows_cps_enrollments_and_a_dv_enrollments_challenges() {
    if !tmux_or_skip("CPS dashboard end to end") {
        return;
    }
    let home = temp_home();
    let tmux = dashboard("e2ecps", "e2ecps", home.path(), "--demo");
    let table = tmux.wait_for("the enrollments", |screen| {
        screen.contains("│ CPS │") && screen.contains("enrollment") && screen.contains("10041")
    });
    assert!(table.contains("all contracts"), "{table}");
    assert!(table.contains("C-1EXMPL"), "{table}");
    // members.example.com (10041) waits for its Let's Encrypt challenges.
    let detail = open_challenges(&tmux, "members.example");
    assert!(detail.contains("#10041"), "{detail}");
    assert!(detail.contains("awaiting you"), "{detail}");
    assert!(detail.contains("enrollment 10041"), "{detail}");
    tmux.send(&["q"]);
}

#[test]
fn the_dashboard_on_the_reference_server_asks_nothing_of_sps() {
    if !tmux_or_skip("CPS dashboard on the reference server") || !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let home = temp_home();
    write_edgerc(home.path(), &server.base_url);
    let tmux = dashboard("e2eref", "e2eref", home.path(), "");
    tmux.wait_for("the reference enrollments", |screen| {
        screen.contains("│ CPS │") && screen.contains("72001") && screen.contains("72102")
    });
    let detail = open_challenges(&tmux, "www.judge-one");
    assert!(detail.contains("#72001"), "{detail}");
    tmux.send(&["q"]);
    let requests = server.requests();
    let sps: Vec<String> = requests
        .iter()
        .filter(|request| request.path.starts_with(SPS_PATH))
        .map(|request| request.describe())
        .collect();
    assert!(sps.is_empty(), "SPS calls: {sps:?}");
    let problems: Vec<String> = requests.iter().flat_map(conformance_problems).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_sps_backend_against_410_says_so_in_the_status_line_and_never_asks_again() {
    if !tmux_or_skip("SPS backend against 410") || !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let home = temp_home();
    write_edgerc(home.path(), &server.base_url);
    let tmux = dashboard("e2egone", "e2egone", home.path(), "--backend sps");
    tmux.wait_for("SPS's 410 said in the status line", |screen| {
        screen.contains("│ SPS │") && screen.contains("410 Gone")
    });
    let pairs = 3;
    // Well past the first retry a failed list would get (2 s, then 4 s).
    std::thread::sleep(Duration::from_secs(8));
    let sps = server
        .requests()
        .into_iter()
        .filter(|request| request.path.starts_with(SPS_PATH))
        .count();
    assert_eq!(sps, pairs, "one list call per pair, none retried");
    tmux.send(&["E"]);
    tmux.wait_for("the whole sentence in the errors", |screen| {
        screen.contains("2023-01-03") && screen.contains("--backend cps")
    });
    tmux.send(&["q"]);
}
