//! The served-certificate probe from the outside (issue 29): `spsdash served` against local
//! TLS servers on loopback (certificates made at test time, picked by SNI as the edge does),
//! a local DNS server mapping the names and edge hostnames to them, and the simulator's
//! deployments carrying the same certificates. One enrollment per case: match (IPv6 and
//! IPv4), an old certificate on production, a missing name, expired, not on Akamai, no
//! answer, and staging during change management.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod dns_support;
mod served_support;
mod support;

use std::net::IpAddr;

use dns_support::Rr;
use serde_json::Value;
use served_support::edge::{Edge, Enrollment, PRODUCTION_V4, PRODUCTION_V6, SILENT_V4, STAGING_V4};

fn both_families() -> [IpAddr; 2] {
    [IpAddr::V6(PRODUCTION_V6), IpAddr::V4(PRODUCTION_V4)]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_probe_tells_each_case_in_words_and_by_exit_code() {
    let edge = Edge::start().await;
    let enrollments = edge.enrollments(true).await;
    assert!(enrollments.len() >= 4, "{enrollments:?}");
    let with_sans = enrollments
        .iter()
        .find(|enrollment| enrollment.names.len() >= 2)
        .expect("an enrollment with more than one name")
        .clone();
    let others: Vec<Enrollment> = enrollments
        .iter()
        .filter(|enrollment| enrollment.id != with_sans.id)
        .cloned()
        .collect();

    // 1. Match: production (IPv6 and IPv4) and staging serve what CPS deployed.
    let matched = &others[0];
    let current = edge.ca.leaf(&matched.names, 80);
    edge.deploy(matched, "production", &current).await;
    edge.deploy(matched, "staging", &current).await;
    edge.on_akamai(matched, both_families(), STAGING_V4);
    edge.serve(matched, &current, &current);
    let out = edge.served(matched, &[]).await;
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "{}: production serves the deployed certificate (IPv6 ::1, IPv4 127.0.0.1)",
            matched.cn()
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("staging serves the deployed certificate"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("(edge hostname {})", matched.staging_edge())),
        "{}",
        out.stdout
    );
    // The JSON says the same, per address.
    let json = edge.served(matched, &["--json"]).await;
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    let production = &report["networks"][0];
    assert_eq!(production["network"], "production");
    let first = &production["names"][0];
    assert_eq!(first["name"], matched.cn());
    let addresses: Vec<&str> = first["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|address| address["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, ["::1", "127.0.0.1"]);
    assert_eq!(first["addresses"][0]["verdict"]["verdict"], "deployed");

    // 2. Mismatch: production still serves the old certificate; staging has the new one.
    let renewed = &others[1];
    let new = edge.ca.leaf(&renewed.names, 90);
    let old = edge.ca.leaf(&renewed.names, 4);
    edge.deploy(renewed, "production", &new).await;
    edge.deploy(renewed, "staging", &new).await;
    edge.on_akamai(renewed, both_families(), STAGING_V4);
    edge.serve(renewed, &old, &new);
    let out = edge.served(renewed, &[]).await;
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("production still serves the previous certificate (expires in 3 days)"),
        "{}",
        out.stdout
    );
    // Staging alone matches.
    let staging_only = edge.served(renewed, &["--network", "staging"]).await;
    assert_eq!(
        staging_only.code,
        Some(0),
        "{}\n{}",
        staging_only.stdout,
        staging_only.stderr
    );
    assert!(
        !staging_only.stdout.contains("\nproduction"),
        "{}",
        staging_only.stdout
    );

    // 3. A name missing from the served certificate (CPS deployed all of them).
    let missing = with_sans.names.last().unwrap().clone();
    let full = edge.ca.leaf(&with_sans.names, 80);
    let short = edge
        .ca
        .leaf(&with_sans.names[..with_sans.names.len() - 1], 80);
    edge.deploy(&with_sans, "production", &full).await;
    edge.deploy(&with_sans, "staging", &full).await;
    edge.on_akamai(&with_sans, both_families(), STAGING_V4);
    edge.serve(&with_sans, &short, &full);
    let out = edge.served(&with_sans, &["--network", "production"]).await;
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains(&format!("{missing} is not on the served certificate")),
        "{}",
        out.stdout
    );

    // The last cases look at production only: any enrollment with a certificate there.
    let unsettled: Vec<Enrollment> = edge
        .enrollments(false)
        .await
        .into_iter()
        .filter(|enrollment| {
            !enrollments
                .iter()
                .take(3)
                .chain([&with_sans])
                .any(|used| used.id == enrollment.id)
        })
        .collect();
    assert!(unsettled.len() >= 3, "{unsettled:?}");

    // 4. Expired: what CPS deployed and the edge serves ran out two days ago.
    let expired = &unsettled[0];
    let stale = edge.ca.leaf(&expired.names, -2);
    edge.deploy(expired, "production", &stale).await;
    edge.on_akamai(expired, both_families(), STAGING_V4);
    edge.serve(expired, &stale, &stale);
    let out = edge.served(expired, &["--network", "production"]).await;
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("production serves an expired certificate (expired"),
        "{}",
        out.stdout
    );

    // 5. Not on Akamai: the name CNAMEs to another CDN (which answers, with a certificate).
    let elsewhere = &unsettled[1];
    for name in &elsewhere.names {
        edge.dns.add(name, Rr::Cname("other.cdn.example".into()));
    }
    edge.dns.add("other.cdn.example", Rr::A(PRODUCTION_V4));
    let out = edge.served(elsewhere, &["--network", "production"]).await;
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "{}: not on Akamai: CNAME → other.cdn.example",
            elsewhere.cn()
        )),
        "{}",
        out.stdout
    );

    // 6. No answer on the port: exit 3, could not find out.
    let silent = &unsettled[2];
    edge.on_akamai(
        silent,
        [IpAddr::V4(SILENT_V4), IpAddr::V4(SILENT_V4)],
        SILENT_V4,
    );
    let out = edge.served(silent, &["--network", "production"]).await;
    assert_eq!(out.code, Some(3), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains(&format!("no answer on {} (connection refused)", edge.port)),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_are_refused_with_what_to_do() {
    let (_sim, env) = support::cli::sim_home(None).await;
    let out = env
        .run(&["--backend", "cps", "served", "10018", "--network", "qa"])
        .await;
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("use production or staging"),
        "{}",
        out.stderr
    );
    let out = env.run(&["--backend", "cps", "served", "abc"]).await;
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("not a CPS enrollment id"),
        "{}",
        out.stderr
    );
    let out = env
        .run(&[
            "--backend",
            "cps",
            "served",
            "10018",
            "--nameserver",
            "not-an-ip",
        ])
        .await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    // SPS has no deployments to compare with.
    let out = env.run(&["served", "10018"]).await;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--backend cps"), "{}", out.stderr);
}

/// `wait --until served` returns once the edge hostname serves the deployed certificate for
/// every name, before the names point at Akamai (a script switches their CNAME afterwards);
/// while the edge serves the old one it keeps waiting, and its timeout says why.
#[tokio::test(flavor = "multi_thread")]
async fn wait_until_served_returns_when_the_edge_hostname_serves_the_new_certificate() {
    let mut edge = Edge::start().await;
    let enrollment = edge.enrollments(true).await.remove(0);
    let new = edge.ca.leaf(&enrollment.names, 90);
    let old = edge.ca.leaf(&enrollment.names, 20);
    edge.deploy(&enrollment, "production", &new).await;
    // The names are not on Akamai yet: only the edge hostname is.
    edge.dns.add(&enrollment.edge(), Rr::A(PRODUCTION_V4));
    edge.serve(&enrollment, &old, &old);
    let config = format!(
        "[served]\nnameserver = \"{}\"\nport = {}\n\n[poll]\nactive_secs = 1\n",
        edge.dns.address, edge.port
    );
    let path = edge.env.home().join(".config/spsdash/config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, config).unwrap();
    edge.env.env("SPSDASH_BACKEND", "cps");
    let id = enrollment.id.to_string();

    // Control: the old certificate until the timeout.
    let out = edge
        .env
        .run(&["wait", &id, "--until", "served", "--timeout", "3s"])
        .await;
    assert_eq!(out.code, Some(124), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("production still serves the previous certificate"),
        "{}",
        out.stderr
    );

    let mut waiting = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"));
    waiting.args([
        "wait",
        &id,
        "--until",
        "served",
        "--timeout",
        "60s",
        "--json",
    ]);
    let child = edge
        .env
        .command(&mut waiting)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let started = std::time::Instant::now();
    edge.serve(&enrollment, &new, &new);
    let output = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "returned {:?} after the switch",
        started.elapsed()
    );
    assert!(
        stderr.contains(&format!(
            "enrollment {id} is served: {} serves the deployed certificate for every name",
            enrollment.edge()
        )),
        "{stderr}"
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["until"], "served");
    assert_eq!(document["outcome"], "reached");
}
