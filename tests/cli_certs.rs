//! `spsdash certs`, `expiring` and `dns-records` as a user (or cron) runs them: on the demo
//! (the embedded simulator, real HTTP and signatures) and against a scripted server for the
//! failures: exit 1 when a certificate expires within the window, 0 when none, 3 when it
//! could not find out.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::cli::CliEnv;
use support::{Scripted, TestServer};

/// The demo row of a certificate, by common name, from `certs --json`.
fn row<'a>(rows: &'a [Value], name: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["common_name"] == name)
        .unwrap_or_else(|| panic!("no certificate {name}: {rows:?}"))
}

#[tokio::test]
async fn certs_lists_every_certificate_soonest_expiry_first() {
    let env = CliEnv::new();
    let out = env.run(&["--demo", "certs"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ENROLLMENT  CERTIFICATE"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].contains("www.example.com"),
        "soonest first: {}",
        out.stdout
    );
    assert!(
        lines[1].contains("days left") && lines[1].contains("DV"),
        "{}",
        lines[1]
    );
    assert!(
        out.stderr.contains("(404)"),
        "the deleted enrollment is noted: {}",
        out.stderr
    );

    let out = env.run(&["--demo", "--json", "certs"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    // The clock of the demo runs 60× faster, so a day may have started to go.
    for (name, days) in [
        ("www.example.com", 3),
        ("careers.example.com", 20),
        ("*.static.example.com", 200),
    ] {
        let left = row(&rows, name)["production"]["days_left"]
            .as_i64()
            .unwrap_or_else(|| panic!("{name} has a production expiry"));
        assert!(left == days || left == days - 1, "{name}: {left} days left");
    }
    let www = row(&rows, "www.example.com");
    assert_eq!(www["pending_changes"], 1, "its modSan is validating");
    assert!(
        www["sans_requested"].as_array().map(Vec::len)
            > www["production"]["dns_names"].as_array().map(Vec::len),
        "names requested run ahead of those deployed: {www}"
    );
}

#[tokio::test]
async fn expiring_exits_1_when_some_do_and_0_when_none() {
    let env = CliEnv::new();
    let out = env.run(&["--demo", "expiring", "--within", "30d"]).await;
    assert_eq!(out.code, Some(1), "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "a header and one line per certificate: {}",
        out.stdout
    );
    assert!(lines[1].contains("www.example.com"), "{}", out.stdout);
    assert!(lines[2].contains("careers.example.com"), "{}", out.stdout);
    assert!(!out.stdout.contains("static.example.com"));
    assert!(
        out.stderr.is_empty(),
        "nothing to mail about: {}",
        out.stderr
    );

    let out = env
        .run(&["--demo", "--json", "expiring", "--within", "2w"])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["expiring"].as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json["expiring"][0]["common_name"], "www.example.com");

    let out = env.run(&["--demo", "expiring", "--within", "1d"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout
            .starts_with("No certificate expires within 1 day"),
        "{}",
        out.stdout
    );

    let out = env.run(&["--demo", "expiring", "--within", "soon"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("--within `soon`"), "{}", out.stderr);
}

/// Eight complete requests, each with its own enrollment.
fn list_body() -> String {
    let items: Vec<String> = (0..8)
        .map(|index| {
            format!(
                r#"{{"spsId":{},"jobId":{},"enrollmentId":{},"status":"SPS Request Complete",
                "parameters":[{{"name":"cnameHostname","value":"s{index}.example.com"}}]}}"#,
                1856 + index,
                44434 + index,
                10002 + index
            )
        })
        .collect();
    format!(r#"{{"requestList":[{}]}}"#, items.join(","))
}

#[tokio::test]
async fn expiring_exits_3_when_it_cannot_find_out() {
    // SPS answers, CPS refuses: the credentials lack the CPS grant.
    let server = TestServer::start(Scripted::problem(
        403,
        r#"{"title":"Forbidden","status":403,"detail":"Not authorized for CPS."}"#,
    ))
    .await;
    server.script([Scripted::json(200, &list_body())]);
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env
        .run(&["expiring", "--contract", "C-1", "--group", "12345"])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(
        out.stderr
            .contains("CPS is not granted to these credentials"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("not granted").count(),
        1,
        "said once: {}",
        out.stderr
    );
    let recorded = server.recorded();
    // Four enrollments are read at a time, so any of the first four may reach CPS first.
    let first_reads: Vec<String> = (10002..=10005)
        .map(|id| format!("/cps/v2/enrollments/{id}"))
        .collect();
    assert!(
        first_reads.contains(&recorded[1].target),
        "{}",
        recorded[1].target
    );
    assert!(recorded.iter().all(|request| request.signature_ok));
    let cps_calls = recorded
        .iter()
        .filter(|r| r.target.starts_with("/cps/"))
        .count();
    assert!(
        cps_calls <= 4,
        "after the first refusal the other enrollments are not asked: {cps_calls} calls"
    );
    out.assert_no_secrets();

    // Nobody answers at all.
    let closed = support::closed_port();
    let port = closed.port;
    let out = env
        .run(&[
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "expiring",
        ])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");

    // An SPS refusal is not "found some" either.
    let refused = TestServer::start(Scripted::problem(403, r#"{"title":"Forbidden"}"#)).await;
    let out = env
        .run(&["--base-url", &refused.base_url, "expiring"])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");
}

/// The spsId of the demo request for `cname` in C-1EXMPL / `group`.
async fn demo_sps_id(env: &CliEnv, group: &str, cname: &str) -> String {
    let out = env
        .run(&[
            "--demo",
            "--json",
            "list",
            "--contract",
            "C-1EXMPL",
            "--group",
            group,
        ])
        .await;
    let list: Vec<Value> = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    list.iter()
        .find(|request| request["hostname"] == cname && request["kind"] == "san")
        .and_then(|request| request["id"].as_u64())
        .unwrap_or_else(|| panic!("no request for {cname}"))
        .to_string()
}

#[tokio::test]
async fn dns_records_as_a_zone_snippet_or_json() {
    let env = CliEnv::new();
    let sps_id = demo_sps_id(&env, "10010", "shop.example.com").await;
    let pair = ["--contract", "C-1EXMPL", "--group", "10010"];
    let mut args = vec!["--demo", "dns-records", sps_id.as_str()];
    args.extend(pair);
    let out = env.run(&args).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("\n$ORIGIN example.com.\n"),
        "{}",
        out.stdout
    );
    let records: Vec<&str> = out
        .stdout
        .lines()
        .filter(|line| line.starts_with("_acme-challenge."))
        .collect();
    assert!(!records.is_empty(), "{}", out.stdout);
    for line in &records {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields[1..4], ["300", "IN", "TXT"], "{line}");
        assert!(
            fields[4].starts_with('"') && fields[4].ends_with('"') && fields[4].len() > 40,
            "{line}"
        );
    }

    args.extend(["--format", "json"]);
    let out = env.run(&args).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let json: Vec<Value> = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json.len(), records.len());
    for record in &json {
        let domain = record["domain"].as_str().expect("domain");
        assert_eq!(record["name"], format!("_acme-challenge.{domain}").as_str());
        assert_eq!(record["type"], "TXT");
        assert_eq!(record["ttl"], 300);
    }

    // A complete request has no challenge left to publish.
    let done = demo_sps_id(&env, "10001", "careers.example.com").await;
    let out = env
        .run(&[
            "--demo",
            "dns-records",
            &done,
            "--contract",
            "C-1EXMPL",
            "--group",
            "10001",
        ])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("nothing to publish"), "{}", out.stderr);

    let out = env
        .run(&[
            "--demo",
            "dns-records",
            &sps_id,
            "--contract",
            "C-1EXMPL",
            "--group",
            "10010",
            "--format",
            "bind",
        ])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
}
