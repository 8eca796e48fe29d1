//! `dns-records` on an SPS request whose enrollment lists 5,000 pending changes (none with
//! challenges): it reads at most 50 of them (one call each), says how many it left out and
//! how to read more, and `--max-changes` raises the cap. A hostile loopback server counts
//! the calls.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::cli::CliEnv;
use support::{Scripted, TestServer};

const REQUEST: &str = r#"{"requestList":[{"spsId":1856,"jobId":44434,"enrollmentId":10002,
  "status":"Awaiting User","parameters":[{"name":"cnameHostname","value":"shop.example.com"}],
  "dvStatus":[]}]}"#;

/// A change that waits for something other than the challenges.
const CHANGE: &str = r#"{"statusInfo":{"status":"wait-upload-third-party","state":"awaiting-input"},
  "allowedInput":[]}"#;

fn enrollment(changes: u64) -> String {
    let pending: Vec<serde_json::Value> = (1..=changes)
        .map(|change| {
            serde_json::json!({
                "location": format!("/cps/v2/enrollments/10002/changes/{change}"),
                "changeType": "new-certificate"
            })
        })
        .collect();
    serde_json::json!({
        "id": 10002, "ra": "lets-encrypt", "validationType": "dv", "certificateType": "san",
        "csr": {"cn": "shop.example.com", "sans": ["shop.example.com"]},
        "networkConfiguration": {"sniOnly": true, "geography": "core"},
        "pendingChanges": pending,
    })
    .to_string()
}

async fn run(extra: &[&str]) -> (support::cli::CliOutput, usize) {
    let server = TestServer::start(Scripted::json(200, CHANGE)).await;
    server.script([
        Scripted::json(200, REQUEST),
        Scripted::json(200, &enrollment(5_000)),
    ]);
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let mut args = vec![
        "dns-records",
        "1856",
        "--contract",
        "C-1EXMPL",
        "--group",
        "10010",
    ];
    args.extend(extra);
    let out = env.run(&args).await;
    let change_reads = server
        .recorded()
        .iter()
        .filter(|request| request.target.contains("/changes/"))
        .count();
    (out, change_reads)
}

#[tokio::test]
async fn five_thousand_pending_changes_are_read_fifty_at_most() {
    let (out, change_reads) = run(&[]).await;
    assert_eq!(change_reads, 50, "{out:?}");
    assert_eq!(out.code, Some(1), "nothing to publish: {out:?}");
    assert!(
        out.stderr
            .contains("other 4950 of its 5000 pending changes were not read")
            && out.stderr.contains("--max-changes"),
        "says what was left out: {}",
        out.stderr
    );
}

#[tokio::test]
async fn max_changes_raises_the_cap() {
    let (out, change_reads) = run(&["--max-changes", "120"]).await;
    assert_eq!(change_reads, 120, "{out:?}");
    let (out, _) = run(&["--max-changes", "0"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
}
