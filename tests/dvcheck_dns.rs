//! The readiness check asking a real DNS server on loopback (tests/dns_support): edge CNAME
//! chains, CAA forbidding and allowing, IPv6 first with the CA's fallback, NXDOMAIN, no
//! address, SERVFAIL. Web servers listen on loopback; the CA's port 80 is mapped to theirs.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dns_support;
mod skip_support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, Response, Uri};
use dns_support::{DnsServer, Rr, caa};
use spsdash::dvcheck::{
    CaPorts, CheckOptions, CheckOutcome, CheckProblem, DnsMode, Family, Target, automatic_domains,
    check_all,
};

const PATH: &str = "/.well-known/acme-challenge/tok_EN-1";
const BODY: &str = "tok_EN-1.thumbprint_XYZ";

fn target(host: &str) -> Target {
    Target {
        domain: host.to_string(),
        host: host.to_string(),
        path: PATH.to_string(),
        redirect_path: format!("http://dcv.akamai.com{PATH}"),
        response_body: Some(BODY.to_string()),
        has_challenge: true,
    }
}

/// A web server at `address` answering the key authorization for `ready_hosts` and 404 else;
/// `www.redirect.example` redirects to dcv.akamai.com.
async fn web_at(address: SocketAddr, ready_hosts: &'static [&'static str]) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .expect("bind web");
    let bound = listener.local_addr().expect("address");
    let app = Router::new().fallback(move |headers: HeaderMap, uri: Uri| async move {
        let host = headers
            .get("host")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_string();
        let response = if uri.path() != PATH {
            Response::builder().status(404)
        } else if host == "www.redirect.example" {
            Response::builder()
                .status(301)
                .header("location", format!("http://dcv.akamai.com{PATH}"))
        } else if ready_hosts.contains(&host.as_str()) {
            return Response::builder()
                .status(200)
                .body(axum::body::Body::from(BODY))
                .expect("response");
        } else {
            Response::builder().status(404)
        };
        response.body(axum::body::Body::empty()).expect("response")
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    bound
}

fn options(dns: &DnsServer, http_port: u16) -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(4),
        concurrency: 4,
        dns: DnsMode::Nameserver(dns.address),
        ports: CaPorts {
            http: http_port,
            https: http_port,
        },
        ..CheckOptions::default()
    }
}

const LOCAL: Ipv4Addr = Ipv4Addr::LOCALHOST;

#[tokio::test]
async fn a_cname_chain_to_an_edge_hostname_is_automatic() {
    let dns = DnsServer::start().await;
    dns.add(
        "www.shop.example.com",
        Rr::Cname("shop.cdn.example.net".into()),
    )
    .add(
        "shop.cdn.example.net",
        Rr::Cname("shop.example.com.edgekey.net".into()),
    )
    .add(
        "shop.example.com.edgekey.net",
        Rr::Cname("e1.a.akamaiedge.net".into()),
    )
    .add("e1.a.akamaiedge.net", Rr::A(LOCAL))
    .add("plain.example.com", Rr::A(LOCAL));
    let options = options(&dns, 9);
    let results = check_all(vec![target("www.shop.example.com")], &options).await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::Automatic {
            edge_hostname: "shop.example.com.edgekey.net".into()
        }
    );
    assert!(results[0].is_ready());
    assert_eq!(
        results[0].outcome.to_string(),
        "automatic (CNAME → shop.example.com.edgekey.net)"
    );
    let facts = results[0].dns.as_ref().expect("dns facts");
    assert_eq!(
        facts.cname_chain,
        [
            "shop.cdn.example.net",
            "shop.example.com.edgekey.net",
            "e1.a.akamaiedge.net"
        ]
    );
    assert!(
        results[0].chain.is_empty(),
        "Akamai answers: nothing fetched"
    );

    let automatic = automatic_domains(
        &[target("www.shop.example.com"), target("plain.example.com")],
        &options,
    )
    .await;
    assert_eq!(automatic.len(), 1);
    assert_eq!(
        automatic["www.shop.example.com"],
        "shop.example.com.edgekey.net"
    );
}

#[tokio::test]
async fn caa_naming_another_ca_blocks_at_the_closest_name() {
    let dns = DnsServer::start().await;
    dns.add("example.com", caa("issue", "digicert.com"))
        .add("www.example.com", Rr::A(LOCAL));
    let results = check_all(vec![target("www.example.com")], &options(&dns, 9)).await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::NotReady(CheckProblem::CaaBlocked {
            at: "example.com".into(),
            issuers: vec!["digicert.com".into()],
            critical_tag: None,
        })
    );
    assert_eq!(
        results[0].outcome.to_string(),
        "not ready: blocked by CAA at example.com (issue \"digicert.com\")"
    );
}

#[tokio::test]
async fn caa_allowing_lets_encrypt_passes_and_a_closer_set_wins() {
    let web = web_at(
        "127.0.0.1:0".parse().unwrap(),
        &["www.example.org", "shop.example.org"],
    )
    .await;
    let dns = DnsServer::start().await;
    dns.add("example.org", caa("issue", "letsencrypt.org"))
        .add("www.example.org", Rr::A(LOCAL))
        .add("shop.example.org", Rr::A(LOCAL))
        .add("shop.example.org", caa("issue", "sectigo.com"))
        .add("crit.example.org", Rr::A(LOCAL))
        .add(
            "crit.example.org",
            Rr::Caa {
                flags: 128,
                tag: "tbs".into(),
                value: "x".into(),
            },
        );
    let results = check_all(
        vec![
            target("www.example.org"),
            target("shop.example.org"),
            target("crit.example.org"),
        ],
        &options(&dns, web.port()),
    )
    .await;
    assert_eq!(results[0].outcome, CheckOutcome::Ready { redirects: 0 });
    let caa_facts = results[0].dns.as_ref().unwrap().caa.as_ref().unwrap();
    assert_eq!(caa_facts.0, "example.org");
    assert!(matches!(
        &results[1].outcome,
        CheckOutcome::NotReady(CheckProblem::CaaBlocked { at, .. }) if at == "shop.example.org"
    ));
    assert!(matches!(
        &results[2].outcome,
        CheckOutcome::NotReady(CheckProblem::CaaBlocked { critical_tag: Some(tag), .. }) if tag == "tbs"
    ));
}

#[tokio::test]
async fn a_caa_lookup_failure_is_reported_never_allowed() {
    let dns = DnsServer::start().await;
    dns.add("www.example.net", Rr::A(LOCAL))
        .servfail("example.net", "CAA");
    let results = check_all(vec![target("www.example.net")], &options(&dns, 9)).await;
    match &results[0].outcome {
        CheckOutcome::NotReady(CheckProblem::CaaLookupFailed { at, detail }) => {
            assert_eq!(at, "example.net");
            assert_eq!(detail, "SERVFAIL");
        }
        other => panic!("expected a CAA lookup failure, got {other:?}"),
    }
}

/// Binds 127.0.0.1 and [::1] on one port, or None when this host has no IPv6 loopback.
async fn dual_port() -> Option<(tokio::net::TcpListener, tokio::net::TcpListener)> {
    for _ in 0..20 {
        let v4 = tokio::net::TcpListener::bind("127.0.0.1:0").await.ok()?;
        let port = v4.local_addr().ok()?.port();
        if let Ok(v6) = tokio::net::TcpListener::bind(("::1", port)).await {
            return Some((v4, v6));
        }
    }
    None
}

#[tokio::test]
async fn broken_ipv6_falls_back_to_working_ipv4_only_when_connecting_fails() {
    // IPv6 refuses (nothing on [::1]:port), IPv4 serves: the CA falls back, ready.
    let v4 = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = v4.local_addr().unwrap().port();
    drop(v4);
    let web = web_at(SocketAddr::new(IpAddr::V4(LOCAL), port), &["dual.example"]).await;
    let dns = DnsServer::start().await;
    dns.add("dual.example", Rr::Aaaa(Ipv6Addr::LOCALHOST))
        .add("dual.example", Rr::A(LOCAL));
    let results = check_all(vec![target("dual.example")], &options(&dns, web.port())).await;
    let result = &results[0];
    assert_eq!(result.outcome, CheckOutcome::Ready { redirects: 0 });
    assert_eq!(result.address, Some(web));
    let families: Vec<(Family, bool, bool)> = result
        .families
        .iter()
        .map(|f| {
            (
                f.family,
                f.used_by_ca,
                matches!(f.outcome, CheckOutcome::Ready { .. }),
            )
        })
        .collect();
    assert_eq!(
        families,
        [(Family::V6, false, false), (Family::V4, true, true)]
    );
    let note = result.family_note().expect("a note on IPv6");
    assert!(
        note.starts_with("IPv6 ::1 would say: connection refused"),
        "{note}"
    );
    assert!(note.ends_with("so it fell back to IPv4"), "{note}");
}

#[tokio::test]
async fn an_http_answer_over_ipv6_is_final_even_when_ipv4_would_pass() {
    let Some((v4, v6)) = dual_port().await else {
        skip_support::skip("the IPv6 answer check: no IPv6 loopback here");
        return;
    };
    let port = v4.local_addr().unwrap().port();
    let (v4_address, v6_address) = (v4.local_addr().unwrap(), v6.local_addr().unwrap());
    drop((v4, v6));
    web_at(v4_address, &["dual.example"]).await;
    web_at(v6_address, &[]).await;
    let dns = DnsServer::start().await;
    dns.add("dual.example", Rr::Aaaa(Ipv6Addr::LOCALHOST))
        .add("dual.example", Rr::A(LOCAL));
    let results = check_all(vec![target("dual.example")], &options(&dns, port)).await;
    let result = &results[0];
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::Status {
            hop: 1,
            status: 404
        })
    );
    let note = result.family_note().expect("a note on IPv4");
    assert!(
        note.starts_with("IPv4 127.0.0.1 would say: ready"),
        "{note}"
    );
    assert!(note.contains("only when it cannot connect"), "{note}");
}

#[tokio::test]
async fn redirect_hops_are_resolved_through_dns_too() {
    let web = web_at("127.0.0.1:0".parse().unwrap(), &["dcv.akamai.com"]).await;
    let dns = DnsServer::start().await;
    dns.add("www.redirect.example", Rr::A(LOCAL))
        .add("dcv.akamai.com", Rr::A(LOCAL));
    let results = check_all(
        vec![target("www.redirect.example")],
        &options(&dns, web.port()),
    )
    .await;
    assert_eq!(results[0].outcome, CheckOutcome::Ready { redirects: 1 });
    let asked = dns.queries();
    assert!(
        asked.iter().any(|(name, _)| name == "dcv.akamai.com"),
        "{asked:?}"
    );

    // The redirect target missing from DNS: named at that host.
    let dns = DnsServer::start().await;
    dns.add("www.redirect.example", Rr::A(LOCAL));
    let results = check_all(
        vec![target("www.redirect.example")],
        &options(&dns, web.port()),
    )
    .await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::NotReady(CheckProblem::NoAddress {
            host: "dcv.akamai.com".into(),
            nxdomain: true
        })
    );
}

#[tokio::test]
async fn nxdomain_no_address_and_servfail_are_separate_outcomes() {
    let dns = DnsServer::start().await;
    dns.add("caa-only.example", caa("issue", "letsencrypt.org"))
        .add("broken.example", Rr::A(LOCAL))
        .servfail("broken.example", "A")
        .servfail("broken.example", "AAAA");
    let results = check_all(
        vec![
            target("missing.example"),
            target("caa-only.example"),
            target("broken.example"),
        ],
        &options(&dns, 9),
    )
    .await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::NotReady(CheckProblem::NoAddress {
            host: "missing.example".into(),
            nxdomain: true
        })
    );
    assert!(results[0].outcome.to_string().contains("NXDOMAIN"));
    assert_eq!(
        results[1].outcome,
        CheckOutcome::NotReady(CheckProblem::NoAddress {
            host: "caa-only.example".into(),
            nxdomain: false
        })
    );
    assert_eq!(
        results[2].outcome,
        CheckOutcome::NotReady(CheckProblem::ServFail {
            host: "broken.example".into()
        })
    );
    assert!(results[2].outcome.to_string().contains("SERVFAIL"));
}
