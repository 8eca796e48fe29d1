//! `spsdash exporter` with `[served] auto = true` (issue 29): the real binary probes what the
//! edge serves from the certificate facts it has already read (no API call of its own), and
//! exposes `spsdash_served_certificate_matches`. The edge is local: a DNS server mapping the
//! names to edge hostnames on loopback, TLS servers picking the certificate by SNI, and the
//! simulator's deployments carrying the same certificates (`/_sim/deployed-certificate`). One
//! enrollment's production serves the deployed certificate, another's an older one: 1 and 0,
//! staging 1 for both; `promtool check metrics` passes, and the example alert rule names the
//! metric exported.
//!
//! `[served] interval` is at least 300 s (not shortened for tests): the first round begins as
//! soon as the facts are known (here, when the first round of certificate reads ends).
//!
//! Caught mutations (deliberate breaks, reverted): a mismatch exported as 1 (the renewed
//! enrollment's production); timestamps in milliseconds (`metrics.rs` `seconds`); the first probe round
//! waiting `[served] interval` (nothing within 90 s); the probe reading its target from CPS
//! (`served::target::read_target`) instead of the facts (the enrollment read apart from its
//! list). Not tested: `awaiting_acknowledgement` (change management) reaching the probe.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod dns_support;
mod exporter_support;
mod served_support;
mod skip_support;
mod support;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use dns_support::{DnsServer, Rr};
use exporter_support::{FAST, promtool, samples, tool};
use serde_json::Value;
use served_support::{EdgeServer, Leaf, TestCa};

const ENROLLMENTS: usize = 8;
const PRODUCTION: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const STAGING: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const MATCHES: &str = "spsdash_served_certificate_matches";

/// (enrollment id, names: common name first) of the settled enrollments without wildcards.
async fn settled(env: &support::cli::CliEnv) -> Vec<(u64, Vec<String>)> {
    let out = env.run(&["certs", "--json"]).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    rows.iter()
        .filter(|row| row["production"].is_object() && row["staging"].is_object())
        .filter(|row| row["pending_changes"] == 0)
        .map(|row| {
            let mut names = vec![row["common_name"].as_str().unwrap().to_string()];
            for san in row["sans_requested"].as_array().unwrap() {
                let san = san.as_str().unwrap().to_string();
                if !names.contains(&san) {
                    names.push(san);
                }
            }
            (row["enrollment_id"].as_u64().unwrap(), names)
        })
        .filter(|(_, names)| names.iter().all(|name| !name.starts_with('*')))
        .collect()
}

async fn deploy(sim: &spsdash::sim::RunningSim, id: u64, network: &str, leaf: &Leaf) {
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/_sim/deployed-certificate?enrollment={id}&network={network}",
            sim.base_url
        ))
        .body(leaf.pem.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
}

/// Calls so far to each enrollment's deployments, and to one enrollment (not its list).
fn reads(sim: &spsdash::sim::RunningSim) -> (u64, u64) {
    let sum = |wanted: &dyn Fn(&str) -> bool| -> u64 {
        sim.calls()
            .iter()
            .filter(|call| wanted(&call.route))
            .map(|call| call.count)
            .sum()
    };
    (
        sum(&|route| route.contains("/deployments")),
        sum(&|route| {
            route.starts_with("/cps/v2/enrollments/")
                && !route.contains("/deployments")
                && route.matches('/').count() == 4
        }),
    )
}

/// (enrollment, network) → value of each `name` sample.
fn by_enrollment(text: &str, name: &str) -> BTreeMap<(String, String), f64> {
    samples(text, name)
        .into_iter()
        .map(|(labels, value)| {
            let label = |key: &str| {
                let start = labels.find(&format!("{key}=\"")).expect(key) + key.len() + 2;
                let end = labels[start..].find('"').unwrap() + start;
                labels[start..end].to_string()
            };
            ((label("enrollment"), label("network")), value)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exporter_probes_from_its_facts_and_tells_a_match_from_an_old_certificate() {
    let Some(promtool_path) = tool("promtool") else {
        return;
    };
    let (sim, env) = exporter_support::home(ENROLLMENTS).await;
    let enrollments = settled(&env).await;
    assert!(enrollments.len() >= 2, "{enrollments:?}");
    let (matched, renewed) = (&enrollments[0], &enrollments[1]);

    let dns = DnsServer::start().await;
    // One port on both addresses, as the edge answers on 443 everywhere.
    let (production, staging) = loop {
        let production = EdgeServer::start(SocketAddr::new(IpAddr::V4(PRODUCTION), 0))
            .await
            .unwrap();
        let port = production.addr.port();
        if let Ok(staging) = EdgeServer::start(SocketAddr::new(IpAddr::V4(STAGING), port)).await {
            break (production, staging);
        }
    };
    let ca = TestCa::new("Exporter Served Test CA");
    for (id, names, serves_deployed) in [
        (matched.0, &matched.1, true),
        (renewed.0, &renewed.1, false),
    ] {
        let deployed = ca.leaf(names, 90);
        let old = ca.leaf(names, 4);
        deploy(&sim, id, "production", &deployed).await;
        deploy(&sim, id, "staging", &deployed).await;
        let edge = format!("{}.edgekey.net", names[0]);
        for name in names {
            dns.add(name, Rr::Cname(edge.clone()));
            production.serve(name, if serves_deployed { &deployed } else { &old });
            staging.serve(name, &deployed);
        }
        dns.add(&edge, Rr::A(PRODUCTION));
        dns.add(&format!("{}.edgekey-staging.net", names[0]), Rr::A(STAGING));
    }

    let config = format!(
        "{FAST}[served]\nauto = true\nnameserver = \"{}\"\nport = {}\ninterval = 300\n",
        dns.address,
        production.addr.port()
    );
    let before = reads(&sim);
    let exporter = exporter_support::spawn(sim, env, &config);
    let (one, two) = (matched.0.to_string(), renewed.0.to_string());
    let text = exporter
        .metrics_when(Duration::from_secs(90), |text| {
            let found = by_enrollment(text, MATCHES);
            [&one, &two].iter().all(|id| {
                ["production", "staging"]
                    .iter()
                    .all(|network| found.contains_key(&(id.to_string(), network.to_string())))
            })
        })
        .await;
    let found = by_enrollment(&text, MATCHES);
    let at = |id: &str, network: &str| found[&(id.to_string(), network.to_string())];
    assert_eq!(at(&one, "production"), 1.0, "{text}");
    assert_eq!(at(&one, "staging"), 1.0, "{text}");
    assert_eq!(at(&two, "production"), 0.0, "{text}");
    assert_eq!(at(&two, "staging"), 1.0, "{text}");
    let found_out = by_enrollment(&text, "spsdash_served_probe_ok");
    assert_eq!(found_out[&(one.clone(), "production".to_string())], 1.0);
    let probed = by_enrollment(&text, "spsdash_served_probe_timestamp_seconds");
    let now = chrono::Utc::now().timestamp() as f64;
    let when = probed[&(two.clone(), "production".to_string())];
    assert!(
        (now - 120.0..=now + 1.0).contains(&when),
        "probed at {when}, now {now}: a Unix time in seconds"
    );

    // The linter accepts the exposition with the served families in it.
    let (linted, said) = promtool(&promtool_path, &["check", "metrics"], &text);
    assert!(linted, "promtool check metrics:\n{said}\n{text}");

    // The example alert rule fires on the metric exported, under that name.
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/prometheus/spsdash-alerts.yml"
    ))
    .unwrap();
    assert!(rules.contains(&format!("expr: {MATCHES} == 0")), "{rules}");

    // No probe made an API call: the probe's facts are the certificate reads' own (one
    // deployments read per enrollment; `spsdash served` would read it again, and the
    // enrollment apart from its list).
    let (deployments, enrollment_reads) = reads(&exporter.sim);
    assert!(
        deployments - before.0 <= ENROLLMENTS as u64 && enrollment_reads == before.1,
        "deployments read {} times for {ENROLLMENTS} enrollments, enrollments {} times: {:?}",
        deployments - before.0,
        enrollment_reads - before.1,
        exporter.sim.calls()
    );

    let (code, stderr) = exporter.stop().await;
    assert_eq!(code, Some(0), "{stderr}");
}
