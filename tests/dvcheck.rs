//! The readiness check against local HTTP servers on 127.0.0.1:0, one test per CA rule:
//! `--resolve` sends every hop (the domain's and `dcv.akamai.com`'s) to loopback.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use spsdash::dvcheck::{
    CheckOptions, CheckOutcome, CheckProblem, HopAnswer, RedirectRefusal, ResolveMap, Target,
    USER_AGENT, all_ready, check_all,
};
use support::serve_on_loopback;

const PATH: &str = "/.well-known/acme-challenge/tok_EN-1";
const DCV: &str = "http://dcv.akamai.com/.well-known/acme-challenge/tok_EN-1";
const BODY: &str = "tok_EN-1.thumbprint_XYZ";

/// What the local server answers for one Host on the challenge path.
#[derive(Clone)]
enum Answer {
    Redirect(u16, String),
    Body(&'static str),
    Status(u16),
}

fn redirect(status: u16, location: &str) -> Answer {
    Answer::Redirect(status, location.to_string())
}

/// Request headers seen, per Host.
type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A server answering per Host header on the challenge path (else 404). `dcv.akamai.com`
/// serves the key authorization unless the table says otherwise.
async fn serve(answers: Vec<(&'static str, Answer)>) -> (SocketAddr, Seen) {
    let mut table: HashMap<&'static str, Answer> = answers.into_iter().collect();
    table.entry("dcv.akamai.com").or_insert(Answer::Body(BODY));
    let table = Arc::new(table);
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |headers: HeaderMap, uri: Uri| {
        let table = table.clone();
        let log = log.clone();
        async move {
            let host = headers
                .get("host")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_string();
            log.lock().unwrap().push((host.clone(), headers.clone()));
            let answer = if uri.path() == PATH {
                table.get(host.as_str()).cloned()
            } else {
                None
            };
            let builder = Response::builder();
            match answer {
                Some(Answer::Redirect(status, location)) => builder
                    .status(status)
                    .header("location", location)
                    .body(Body::empty()),
                Some(Answer::Body(body)) => builder.status(200).body(Body::from(body)),
                Some(Answer::Status(status)) => builder.status(status).body(Body::empty()),
                None => builder
                    .status(StatusCode::NOT_FOUND)
                    .body(Body::from("not found")),
            }
            .expect("response")
        }
    });
    (serve_on_loopback(app).await, seen)
}

fn target(host: &str) -> Target {
    Target {
        domain: host.to_string(),
        host: host.to_string(),
        path: PATH.to_string(),
        redirect_path: DCV.to_string(),
        response_body: Some(BODY.to_string()),
        has_challenge: true,
    }
}

/// Every host named, and dcv.akamai.com, sent to `address` on port 80 and 443.
fn options(hosts: &[&str], address: SocketAddr) -> CheckOptions {
    let mut map = ResolveMap::default();
    for host in hosts.iter().chain(&["dcv.akamai.com"]) {
        map.insert_port(host, 80, address);
        map.insert_port(host, 443, address);
    }
    CheckOptions {
        timeout: Duration::from_millis(3000),
        concurrency: 2,
        resolve: map,
        ..CheckOptions::default()
    }
}

async fn check_one(host: &str, address: SocketAddr) -> spsdash::dvcheck::CheckResult {
    let mut results = check_all(vec![target(host)], &options(&[host], address)).await;
    assert_eq!(results.len(), 1);
    results.remove(0)
}

#[tokio::test]
async fn the_redirect_to_akamai_is_followed_and_judged_there() {
    let (address, seen) = serve(vec![("a.example", redirect(301, DCV))]).await;
    let result = check_one("a.example", address).await;
    assert_eq!(result.outcome, CheckOutcome::Ready { redirects: 1 });
    assert_eq!(
        result.chain_line().unwrap(),
        "http://a.example/… → 301 http://dcv.akamai.com/… → 200 key authorization ✓"
    );
    assert_eq!(result.address, Some(address));
    // The CA's headers: Accept */* and an honest User-Agent, on every hop.
    let seen = seen.lock().unwrap();
    let hosts: Vec<&str> = seen.iter().map(|(host, _)| host.as_str()).collect();
    assert_eq!(hosts, ["a.example", "dcv.akamai.com"]);
    for (_, headers) in seen.iter() {
        assert_eq!(headers["accept"], "*/*");
        assert_eq!(headers["user-agent"], USER_AGENT);
    }
}

#[tokio::test]
async fn the_four_redirect_statuses_are_followed_and_303_is_refused() {
    let (address, _) = serve(vec![
        ("a.example", redirect(301, DCV)),
        ("b.example", redirect(302, DCV)),
        ("c.example", redirect(307, DCV)),
        ("d.example", redirect(308, DCV)),
        ("e.example", redirect(303, DCV)),
    ])
    .await;
    let hosts = [
        "a.example",
        "b.example",
        "c.example",
        "d.example",
        "e.example",
    ];
    let results = check_all(
        hosts.iter().map(|h| target(h)).collect(),
        &options(&hosts, address),
    )
    .await;
    let ready: Vec<bool> = results.iter().map(|r| r.is_ready()).collect();
    assert_eq!(ready, [true, true, true, true, false]);
    assert_eq!(
        results[4].outcome,
        CheckOutcome::NotReady(CheckProblem::RedirectRefused {
            hop: 1,
            reason: RedirectRefusal::Status(303)
        })
    );
}

#[tokio::test]
async fn a_relative_location_is_resolved_against_the_url_fetched() {
    let (address, _) = serve(vec![(
        "a.example",
        redirect(301, "/.well-known/acme-challenge/elsewhere"),
    )])
    .await;
    let result = check_one("a.example", address).await;
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::Status {
            hop: 2,
            status: 404
        })
    );
    assert_eq!(
        result.chain[1].url,
        "http://a.example/.well-known/acme-challenge/elsewhere"
    );
    assert!(result.outcome.to_string().contains("404 at hop 2"));
}

#[tokio::test]
async fn a_redirect_to_a_target_without_the_key_authorization_is_not_ready() {
    let (address, _) = serve(vec![
        (
            "a.example",
            redirect(
                301,
                "http://www.a.example/.well-known/acme-challenge/tok_EN-1",
            ),
        ),
        ("www.a.example", Answer::Body("<html>welcome</html>")),
        ("b.example", redirect(301, DCV)),
        ("dcv.akamai.com", Answer::Status(404)),
    ])
    .await;
    let mut options = options(&["a.example", "www.a.example", "b.example"], address);
    options.concurrency = 1;
    let results = check_all(vec![target("a.example"), target("b.example")], &options).await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::NotReady(CheckProblem::WrongBody {
            hop: 2,
            received: "\"<html>welcome</html>\"".to_string()
        })
    );
    assert!(
        results[0]
            .outcome
            .to_string()
            .contains("body is the wrong key authorization at hop 2")
    );
    assert_eq!(
        results[1].outcome,
        CheckOutcome::NotReady(CheckProblem::Status {
            hop: 2,
            status: 404
        })
    );
    assert!(!all_ready(&results));
}

#[tokio::test]
async fn the_token_served_directly_is_ready_trailing_whitespace_ignored() {
    let (address, _) = serve(vec![(
        "a.example",
        Answer::Body("tok_EN-1.thumbprint_XYZ\r\n"),
    )])
    .await;
    let result = check_one("a.example", address).await;
    assert_eq!(result.outcome, CheckOutcome::Ready { redirects: 0 });
    assert_eq!(
        result.chain[0].answer,
        HopAnswer::KeyAuthorization { matches: true }
    );
}

#[tokio::test]
async fn the_host_header_selects_the_answer() {
    let (address, _) = serve(vec![("right.example", redirect(301, DCV))]).await;
    assert!(check_one("right.example", address).await.is_ready());
    assert_eq!(
        check_one("other.example", address).await.outcome,
        CheckOutcome::NotReady(CheckProblem::Status {
            hop: 1,
            status: 404
        })
    );
}

#[tokio::test]
async fn redirects_the_ca_refuses_are_named() {
    let cases = [
        (
            "a.example",
            "http://dcv.akamai.com:8080/.well-known/acme-challenge/tok_EN-1",
            RedirectRefusal::Port(8080),
        ),
        (
            "b.example",
            "http://127.0.0.1/.well-known/acme-challenge/tok_EN-1",
            RedirectRefusal::IpLiteral("127.0.0.1".into()),
        ),
        (
            "c.example",
            "file:///etc/passwd",
            RedirectRefusal::Scheme("file".into()),
        ),
    ];
    let (address, _) = serve(
        cases
            .iter()
            .map(|(host, location, _)| (*host, redirect(302, location)))
            .collect(),
    )
    .await;
    for (host, _, reason) in cases {
        let result = check_one(host, address).await;
        assert_eq!(
            result.outcome,
            CheckOutcome::NotReady(CheckProblem::RedirectRefused { hop: 1, reason }),
            "{host}"
        );
    }
    let message = CheckProblem::RedirectRefused {
        hop: 1,
        reason: RedirectRefusal::Port(8080),
    }
    .to_string();
    assert!(
        message.contains("redirect to port 8080: the CA only follows 80/443"),
        "{message}"
    );
}

#[tokio::test]
async fn a_loop_is_detected_and_so_are_too_many_redirects() {
    let (address, _) = serve(vec![
        (
            "a.example",
            redirect(301, "http://b.example/.well-known/acme-challenge/tok_EN-1"),
        ),
        (
            "b.example",
            redirect(301, "http://a.example/.well-known/acme-challenge/tok_EN-1"),
        ),
    ])
    .await;
    let mut looping = options(&["a.example", "b.example"], address);
    looping.concurrency = 1;
    let results = check_all(vec![target("a.example")], &looping).await;
    match &results[0].outcome {
        CheckOutcome::NotReady(CheckProblem::RedirectRefused {
            hop: 2,
            reason: RedirectRefusal::Loop(url),
        }) => assert!(url.starts_with("http://a.example/"), "{url}"),
        other => panic!("expected a loop, got {other:?}"),
    }

    // Twelve names, each redirecting to the next, no name twice: not a loop, too many.
    // The server's table takes names for the whole test.
    let names: Vec<&'static str> = (0..12)
        .map(|n| &*Box::leak(format!("r{n}.example").into_boxed_str()))
        .collect();
    let (address, _) = serve(
        names
            .iter()
            .enumerate()
            .map(|(n, name)| {
                let next = format!(
                    "http://r{}.example/.well-known/acme-challenge/tok_EN-1",
                    n + 1
                );
                (*name, redirect(301, &next))
            })
            .collect(),
    )
    .await;
    let mut long_chain = options(&names, address);
    long_chain.concurrency = 1;
    let results = check_all(vec![target("r0.example")], &long_chain).await;
    match &results[0].outcome {
        CheckOutcome::NotReady(CheckProblem::RedirectRefused {
            hop,
            reason: RedirectRefusal::TooMany,
        }) => assert_eq!(*hop, spsdash::dvcheck::redirect::MAX_REDIRECTS + 1),
        other => panic!("expected too many redirects, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_port_is_connection_refused() {
    // Bound but never listening: refused, and held so no other test can take the port.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
    let address = socket.local_addr().expect("address");
    let result = check_one("a.example", address).await;
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::ConnectionRefused { hop: 1, address })
    );
    assert_eq!(result.chain.len(), 1);
    assert_eq!(result.chain[0].answer, HopAnswer::NoAnswer);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_limit() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let mut options = options(&["a.example"], address);
    options.timeout = Duration::from_millis(300);
    let results = check_all(vec![target("a.example")], &options).await;
    assert!(
        matches!(
            results[0].outcome,
            CheckOutcome::NotReady(CheckProblem::Timeout { hop: 1, .. })
        ),
        "{:?}",
        results[0].outcome
    );
    // The server never answers: without the limit this would wait forever. Generous bound,
    // figure printed for the record.
    println!("a 300 ms check limit ended after {:?}", results[0].elapsed);
    assert!(
        results[0].elapsed < Duration::from_secs(10),
        "{:?}",
        results[0].elapsed
    );
}

#[tokio::test]
async fn a_domain_without_a_challenge_is_not_ready_and_not_fetched() {
    let mut pending = target("a.example");
    pending.has_challenge = false;
    let results = check_all(vec![pending], &CheckOptions::default()).await;
    assert_eq!(
        results[0].outcome,
        CheckOutcome::NotReady(CheckProblem::NoChallenge)
    );
    assert!(results[0].chain.is_empty());
}

#[tokio::test]
async fn without_a_response_body_the_key_authorization_shape_is_checked() {
    let thumb = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";
    let good: &'static str = Box::leak(format!("tok_EN-1.{thumb}").into_boxed_str());
    let (address, _) = serve(vec![
        ("a.example", Answer::Body(good)),
        ("b.example", Answer::Body("tok_EN-1.short")),
    ])
    .await;
    let mut a = target("a.example");
    a.response_body = None;
    let mut b = target("b.example");
    b.response_body = None;
    let results = check_all(vec![a, b], &options(&["a.example", "b.example"], address)).await;
    assert!(results[0].is_ready(), "{:?}", results[0].outcome);
    assert!(!results[1].is_ready());
}
