//! The readiness check on DNS answers that used to read wrong (tests/dns_support on
//! loopback): a CAA lookup that fails (SERVFAIL, or a record whose tag does not parse) is
//! "CAA lookup failed" in the verdict and on the DNS line alike, never "no CAA"; a CNAME loop
//! is named as a loop, not "no address".

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dns_support;

use std::net::Ipv4Addr;
use std::time::Duration;

use dns_support::{DnsServer, Rr};
use spsdash::dvcheck::{
    CaPorts, CheckOptions, CheckOutcome, CheckProblem, DnsMode, Target, check_all,
};

const PATH: &str = "/.well-known/acme-challenge/tok_EN-1";

fn target(host: &str) -> Target {
    Target {
        domain: host.to_string(),
        host: host.to_string(),
        path: PATH.to_string(),
        redirect_path: format!("http://dcv.akamai.com{PATH}"),
        response_body: Some("tok_EN-1.thumbprint_XYZ".to_string()),
        has_challenge: true,
    }
}

fn options(dns: &DnsServer) -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(4),
        concurrency: 4,
        dns: DnsMode::Nameserver(dns.address),
        ports: CaPorts { http: 9, https: 9 },
        ..CheckOptions::default()
    }
}

#[tokio::test]
async fn a_failed_caa_lookup_is_not_no_caa_on_the_dns_line() {
    let dns = DnsServer::start().await;
    dns.add("www.example.net", Rr::A(Ipv4Addr::LOCALHOST))
        .servfail("example.net", "CAA");
    // A CAA record whose tag is not a tag at all (a space, a control character).
    dns.add("www.badtag.example", Rr::A(Ipv4Addr::LOCALHOST))
        .add(
            "www.badtag.example",
            Rr::Caa {
                flags: 0,
                tag: "is sue\u{7}".to_string(),
                value: "letsencrypt.org".to_string(),
            },
        );
    let results = check_all(
        vec![target("www.example.net"), target("www.badtag.example")],
        &options(&dns),
    )
    .await;
    assert!(
        matches!(
            results[0].outcome,
            CheckOutcome::NotReady(CheckProblem::CaaLookupFailed { .. })
        ),
        "{:?}",
        results[0].outcome
    );
    for result in &results {
        let line = result
            .dns
            .as_ref()
            .map(|dns| dns.summary())
            .unwrap_or_default();
        if matches!(
            result.outcome,
            CheckOutcome::NotReady(CheckProblem::CaaLookupFailed { .. })
        ) {
            assert!(
                line.contains("CAA lookup failed") && !line.contains("no CAA"),
                "{}: the DNS line agrees with the verdict: {line}",
                result.domain
            );
        }
    }
}

#[tokio::test]
async fn a_cname_loop_is_named_as_a_loop() {
    let dns = DnsServer::start().await;
    dns.add("loop.example", Rr::Cname("loop2.example".into()))
        .add("loop2.example", Rr::Cname("loop.example".into()));
    let results = check_all(vec![target("loop.example")], &options(&dns)).await;
    let said = results[0].outcome.to_string();
    assert!(said.contains("CNAME loop"), "{said}");
    assert!(!said.contains("no address"), "{said}");
}
