//! `spsdash exporter` as Prometheus sees it (issue 29, part 3): the real binary against the
//! simulator, its `/metrics` linted by `promtool check metrics`, then scraped every second by
//! a real Prometheus (Debian's `/usr/bin/prometheus`), whose query API must hold each
//! enrollment's not-after on each network as the simulator deployed it. The scrape also
//! proves the exposition's content type and HELP/TYPE lines are what Prometheus accepts.
//!
//! Caught mutation (a deliberate break, reverted): timestamps rendered in milliseconds
//! (`metrics.rs` `seconds` as `timestamp_millis`): the not-afters differ from the deployed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod exporter_support;
mod skip_support;
mod support;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use exporter_support::{FAST, promtool, samples, tool};
use serde_json::Value;

const ENROLLMENTS: usize = 8;
const NOT_AFTER: &str = "spsdash_certificate_not_after_timestamp_seconds";

/// (enrollment, network) → not-after in Unix seconds, as the simulator deploys it, read
/// through `spsdash api` (raw JSON, not the exporter's own reading of it).
async fn deployed(env: &support::cli::CliEnv) -> BTreeMap<(String, String), i64> {
    let mut found = BTreeMap::new();
    for id in 10001..10001 + ENROLLMENTS {
        for network in ["production", "staging"] {
            let out = env
                .run(&[
                    "api",
                    "GET",
                    &format!("/cps/v2/enrollments/{id}/deployments/{network}"),
                    "-H",
                    "Accept: application/vnd.akamai.cps.deployment.v7+json",
                ])
                .await;
            let Ok(body) = serde_json::from_str::<Value>(&out.stdout) else {
                continue;
            };
            let Some(expiry) = body["primaryCertificate"]["expiry"].as_str() else {
                continue;
            };
            let at = chrono::DateTime::parse_from_rfc3339(expiry).expect("expiry is a time");
            found.insert((id.to_string(), network.to_string()), at.timestamp());
        }
    }
    found
}

/// The enrollment and network labels of one sample's label text.
fn key(labels: &str) -> (String, String) {
    let label = |name: &str| {
        let start = labels.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        let end = labels[start..].find('"').expect("closing quote") + start;
        labels[start..end].to_string()
    };
    (label("enrollment"), label("network"))
}

#[tokio::test]
async fn promtool_accepts_the_metrics_and_a_real_prometheus_holds_the_deployed_expiries() {
    let (Some(promtool_path), Some(prometheus)) = (tool("promtool"), tool("prometheus")) else {
        return;
    };
    let exporter = exporter_support::start(ENROLLMENTS, FAST).await;
    let expected = deployed(&exporter.env).await;
    assert!(
        expected.len() >= ENROLLMENTS,
        "the simulator deploys a certificate on most networks: {expected:?}"
    );
    let text = exporter
        .metrics_when(Duration::from_secs(60), |text| {
            samples(text, NOT_AFTER).len() >= expected.len()
                && text.contains("spsdash_change_awaiting_input{")
        })
        .await;
    let (_, content_type, _) = exporter.scrape().await.expect("answers");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );

    // (a) The linter: every complaint is a failure.
    let (linted, said) = promtool(&promtool_path, &["check", "metrics"], &text);
    assert!(linted, "promtool check metrics:\n{said}\n{text}");
    let exported: BTreeMap<(String, String), i64> = samples(&text, NOT_AFTER)
        .into_iter()
        .map(|(labels, value)| (key(labels), value as i64))
        .collect();
    assert_eq!(exported, expected, "{text}");

    // (b) A real Prometheus scraping every second.
    let data = tempfile::tempdir().expect("temp dir");
    let web_port = exporter_support::free_port();
    let config = data.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  \
             - job_name: spsdash\n    scrape_interval: 1s\n    static_configs:\n      \
             - targets: ['127.0.0.1:{}']\n",
            exporter.port
        ),
    )
    .expect("write config");
    let mut server = tokio::process::Command::new(prometheus)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            data.path().join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{web_port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("prometheus starts");
    let query = format!("http://127.0.0.1:{web_port}/api/v1/query?query={NOT_AFTER}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut stored: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut last = Value::Null;
    while stored != expected {
        assert!(
            Instant::now() < deadline,
            "Prometheus did not hold the expiries within 60 s: {last}\nexpected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Ok(answer) = reqwest::get(&query).await else {
            continue;
        };
        let Ok(body) = answer.json::<Value>().await else {
            continue;
        };
        stored = body["data"]["result"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|series| {
                let metric = &series["metric"];
                let value: f64 = series["value"][1]
                    .as_str()
                    .and_then(|value| value.parse().ok())
                    .expect("a value");
                (
                    (
                        metric["enrollment"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        metric["network"].as_str().unwrap_or_default().to_string(),
                    ),
                    value as i64,
                )
            })
            .collect();
        last = body;
    }
    // The scrape itself was healthy: `up` is 1 for the exporter's target.
    let up: Value = reqwest::get(format!(
        "http://127.0.0.1:{web_port}/api/v1/query?query=up{{job=\"spsdash\"}}"
    ))
    .await
    .expect("query")
    .json()
    .await
    .expect("json");
    assert_eq!(up["data"]["result"][0]["value"][1], "1", "{up}");
    server.start_kill().expect("stop prometheus");
    let _ = server.wait().await;

    let (code, stderr) = exporter.stop().await;
    assert_eq!(code, Some(0), "{stderr}");
}
