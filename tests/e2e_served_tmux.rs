//! End to end in tmux, the real binary on CPS (issue 29): the dashboard against the simulator
//! whose deployments carry certificates made at test time, a local DNS server and local TLS
//! servers standing in for the edge. `P` in an enrollment's detail probes it; the Certificate
//! tab shows the verdict per network and name, and the table gains its `served` column.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod dns_support;
mod served_support;
mod support;
mod tmux_support;

use std::net::IpAddr;
use std::path::Path;

use served_support::edge::{Edge, PRODUCTION_V4, PRODUCTION_V6, STAGING_V4};
use tmux_support::{Tmux, home_environment, shell_quote, tmux_or_skip};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn p_shows_what_the_edge_serves_in_the_certificate_tab_and_the_table() {
    if !tmux_or_skip("served-certificate probe end to end") {
        return;
    }
    let edge = Edge::start().await;
    let enrollment = edge.enrollments(true).await.remove(0);
    let current = edge.ca.leaf(&enrollment.names, 80);
    let old = edge.ca.leaf(&enrollment.names, 5);
    edge.deploy(&enrollment, "production", &current).await;
    edge.deploy(&enrollment, "staging", &current).await;
    edge.on_akamai(
        &enrollment,
        [IpAddr::V6(PRODUCTION_V6), IpAddr::V4(PRODUCTION_V4)],
        STAGING_V4,
    );
    // Production still serves the old certificate; staging the deployed one.
    edge.serve(&enrollment, &old, &current);
    let config = format!(
        "[served]\nnameserver = \"{}\"\nport = {}\n\n[cps]\nreads_per_minute = 600\n",
        edge.dns.address, edge.port
    );
    // The tmux shell's XDG_CONFIG_HOME is `home/config` (tmux_support::home_environment).
    let path = edge.env.home().join("config/spsdash/config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, config).unwrap();

    let tmux = Tmux::new("e2eserved", "e2eserved");
    let mut environment: Vec<String> = home_environment(edge.env.home())
        .into_iter()
        .filter(|variable| !variable.starts_with("SPSDASH_BACKEND="))
        .collect();
    environment.push("SPSDASH_BACKEND=cps".to_string());
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    let binary = shell_quote(Path::new(env!("CARGO_BIN_EXE_spsdash")));
    tmux.type_text(&binary);
    tmux.send(&["Enter"]);
    let id = enrollment.id.to_string();
    tmux.wait_for("the enrollments", |screen| screen.contains(&id));
    tmux.send(&["/"]);
    tmux.type_text(enrollment.cn());
    tmux.send(&["Enter"]);
    tmux.wait_for("the filtered row", |screen| {
        screen.contains(&format!("filter: /{}", enrollment.cn())) && screen.contains(&id)
    });
    tmux.send(&["Enter"]);
    // To the Certificate tab, and until its certificate was read.
    let mut screen = String::new();
    for _ in 0..4 {
        screen = tmux.screen();
        if screen.contains("certificate (CPS)") {
            break;
        }
        tmux.send(&["Tab"]);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert!(screen.contains("certificate (CPS)"), "{screen}");
    tmux.wait_for("the certificate read", |screen| {
        screen.contains("certificate read") && screen.contains("not probed yet")
    });
    tmux.send(&["P"]);
    let probed = tmux.wait_for("the probe's verdicts", |screen| {
        screen.contains("Served    probed") && screen.contains("staging serves the deployed")
    });
    assert!(
        probed.contains(&format!(
            "FAIL {}: production still serves the previous certificate",
            enrollment.cn()
        )),
        "{probed}"
    );
    assert!(probed.contains("IPv6 ::1, IPv4 127.0.0.1"), "{probed}");
    // Back in the table, the row carries the mark.
    tmux.escape();
    let table = tmux.wait_for("the served column", |screen| screen.contains("served"));
    let row = table
        .lines()
        .find(|line| line.contains(&id))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("FAIL"), "{table}");
    tmux.send(&["q"]);
}
