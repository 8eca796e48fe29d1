//! End to end: nginx on a loopback port serves the generated rules, and the readiness check
//! (with `--resolve` for every domain) finds each domain ready; a broken rule is caught.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod webserver_support;

use std::time::Duration;

use spsdash::dvcheck::{self, CheckOptions, CheckOutcome, CheckProblem, ResolveMap};
use spsdash::export::{DomainScope, ExportFormat, render};
use webserver_support::*;

/// The domains to the web server under test, dcv.akamai.com to Akamai's copy (started here).
async fn options(hosts: &[String], address: std::net::SocketAddr) -> CheckOptions {
    let (dcv, _) = serve_dcv(&request_with_challenges()).await;
    let mut entries: Vec<String> = hosts
        .iter()
        .map(|host| format!("{host}={address}"))
        .collect();
    entries.push(format!("dcv.akamai.com={dcv}"));
    CheckOptions {
        timeout: Duration::from_secs(5),
        concurrency: 4,
        resolve: ResolveMap::parse(&entries).expect("resolve entries"),
        ..CheckOptions::default()
    }
}

#[tokio::test]
async fn nginx_with_the_generated_rules_makes_every_domain_ready() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let request = request_with_challenges();
    let rules = render(
        ExportFormat::Nginx,
        &request,
        &DomainScope::Pending,
        fixed_time(),
    )
    .expect("renders");
    let dir = tempfile::tempdir().expect("tempdir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, &rules.text).expect("write rules");
    let server = start_nginx(&nginx, dir.path(), &rules_path);

    let targets = dvcheck::targets(&request, &DomainScope::Pending).expect("targets");
    let hosts: Vec<String> = targets.iter().map(|target| target.host.clone()).collect();
    assert_eq!(hosts.len(), 3, "three pending domains with challenges");
    let results = dvcheck::check_all(targets, &options(&hosts, server.address).await).await;
    for result in &results {
        assert!(result.is_ready(), "{} {}", result.domain, result.summary());
        assert_eq!(result.address, Some(server.address));
    }
    assert!(dvcheck::all_ready(&results));
}

#[tokio::test]
async fn a_broken_rule_is_reported_not_ready() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let request = request_with_challenges();
    let rules = render(
        ExportFormat::Nginx,
        &request,
        &DomainScope::Pending,
        fixed_time(),
    )
    .expect("renders");
    // Break two rules: one redirects to the wrong place, one no longer matches its path.
    let broken = rules
        .text
        .replacen(
            "return 301 http://dcv.akamai.com/.well-known/acme-challenge/Hq3x",
            "return 301 http://dcv.akamai.com/.well-known/acme-challenge/WRONG-Hq3x",
            1,
        )
        .replacen(
            "location = /.well-known/acme-challenge/B-cher",
            "location = /B-cher",
            1,
        );
    assert_ne!(broken, rules.text, "the test must really break the rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, &broken).expect("write rules");
    let server = start_nginx(&nginx, dir.path(), &rules_path);

    let targets = dvcheck::targets(&request, &DomainScope::Pending).expect("targets");
    let hosts: Vec<String> = targets.iter().map(|target| target.host.clone()).collect();
    let results = dvcheck::check_all(targets, &options(&hosts, server.address).await).await;
    let outcomes: Vec<(&str, &CheckOutcome)> = results
        .iter()
        .map(|result| (result.domain.as_str(), &result.outcome))
        .collect();
    match outcomes.as_slice() {
        [
            (
                "www.shop.example.com",
                CheckOutcome::NotReady(CheckProblem::Status {
                    hop: 2,
                    status: 404,
                }),
            ),
            ("Shop.Example.COM", CheckOutcome::Ready { redirects: 1 }),
            (
                "bücher.example",
                CheckOutcome::NotReady(CheckProblem::Status {
                    hop: 1,
                    status: 404,
                }),
            ),
        ] => {}
        other => panic!("unexpected outcomes: {other:?}"),
    }
    assert!(!dvcheck::all_ready(&results));
}

/// Every pending domain of the fixture, checked against one server at `address`.
async fn check_fixture_against(address: std::net::SocketAddr) -> Vec<dvcheck::CheckResult> {
    let request = request_with_challenges();
    let targets = dvcheck::targets(&request, &DomainScope::Pending).expect("targets");
    let hosts: Vec<String> = targets.iter().map(|target| target.host.clone()).collect();
    dvcheck::check_all(targets, &options(&hosts, address).await).await
}

/// Apache serving the mod_rewrite rules live: proves the `\%` + `NE` escaping keeps the
/// percent escape in the redirectPath (`sps%2Fdv`) intact.
#[tokio::test]
async fn apache_with_the_generated_rules_makes_every_domain_ready() {
    let (Some(apache), Some(modules)) = (find_program(&["apache2", "httpd"]), apache_modules())
    else {
        return absent("apache2 (with mod_rewrite)");
    };
    let request = request_with_challenges();
    let rules = render(
        ExportFormat::Apache,
        &request,
        &DomainScope::Pending,
        fixed_time(),
    )
    .expect("renders");
    let dir = tempfile::tempdir().expect("tempdir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, &rules.text).expect("write rules");
    let server = start_server(
        |address| {
            let conf = apache_conf(dir.path(), &modules, address, &rules_path);
            let mut command = std::process::Command::new(&apache);
            // -X: one process in the foreground, so killing it stops the server.
            command.arg("-X").arg("-f").arg(conf);
            command
        },
        &dir.path().join("error.log"),
    );
    let results = check_fixture_against(server.address).await;
    assert_eq!(results.len(), 3);
    for result in &results {
        assert!(result.is_ready(), "{} {}", result.domain, result.summary());
    }
}

/// HAProxy serving the redirects live: proves the `%%` escaping of the log-format location.
#[tokio::test]
async fn haproxy_with_the_generated_rules_makes_every_domain_ready() {
    let Some(haproxy) = find_program(&["haproxy"]) else {
        return absent("haproxy");
    };
    let request = request_with_challenges();
    let rules = render(
        ExportFormat::Haproxy,
        &request,
        &DomainScope::Pending,
        fixed_time(),
    )
    .expect("renders");
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_server(
        |address| {
            let conf = haproxy_conf(dir.path(), address, &rules.text);
            let mut command = std::process::Command::new(&haproxy);
            command.arg("-db").arg("-f").arg(conf);
            command
        },
        &dir.path().join("haproxy.log"),
    );
    let results = check_fixture_against(server.address).await;
    assert_eq!(results.len(), 3);
    for result in &results {
        assert!(result.is_ready(), "{} {}", result.domain, result.summary());
    }
}
