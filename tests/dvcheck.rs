//! The readiness check against local HTTP servers on 127.0.0.1:0, one test per outcome.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use spsdash::dvcheck::{
    CheckOptions, Outcome, Problem, Ready, ResolveMap, Target, all_ready, check_all,
};
use support::serve_on_loopback;

const REDIRECT: &str = "http://dcv.akamai.com/.well-known/acme-challenge/tok_EN-1";
const BODY: &str = "tok_EN-1.thumbprint_XYZ";

/// What the local server answers for one Host.
#[derive(Clone)]
enum Answer {
    Redirect(u16, &'static str),
    Body(&'static str),
    Status(u16),
}

/// A server answering per Host header, and only on the challenge path (else 404).
async fn serve(answers: Vec<(&'static str, Answer)>) -> SocketAddr {
    let answers: Arc<HashMap<&'static str, Answer>> = Arc::new(answers.into_iter().collect());
    let app = Router::new().fallback(move |headers: HeaderMap, uri: Uri| {
        let answers = answers.clone();
        async move {
            let host = headers
                .get("host")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            let answer = if uri.path() == "/.well-known/acme-challenge/tok_EN-1" {
                answers.get(host).cloned()
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
    serve_on_loopback(app).await
}

fn target(host: &str) -> Target {
    Target {
        domain: host.to_string(),
        host: host.to_string(),
        path: "/.well-known/acme-challenge/tok_EN-1".to_string(),
        redirect_path: REDIRECT.to_string(),
        response_body: Some(BODY.to_string()),
        has_challenge: true,
    }
}

fn options(resolve: &[(&str, SocketAddr)]) -> CheckOptions {
    let mut map = ResolveMap::default();
    for (host, address) in resolve {
        map.insert(host, *address);
    }
    CheckOptions {
        timeout: Duration::from_millis(1500),
        concurrency: 2,
        resolve: map,
    }
}

async fn check_one(host: &str, address: SocketAddr) -> (Outcome, Duration) {
    let results = check_all(vec![target(host)], &options(&[(host, address)])).await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].address, Some(address));
    (results[0].outcome.clone(), results[0].elapsed)
}

#[tokio::test]
async fn every_redirect_status_to_the_redirect_path_is_ready() {
    let address = serve(vec![
        ("a.example", Answer::Redirect(301, REDIRECT)),
        ("b.example", Answer::Redirect(302, REDIRECT)),
        ("c.example", Answer::Redirect(307, REDIRECT)),
        ("d.example", Answer::Redirect(308, REDIRECT)),
    ])
    .await;
    let hosts = ["a.example", "b.example", "c.example", "d.example"];
    let resolve: Vec<_> = hosts.iter().map(|host| (*host, address)).collect();
    let results = check_all(
        hosts.iter().map(|h| target(h)).collect(),
        &options(&resolve),
    )
    .await;
    let statuses: Vec<_> = results
        .iter()
        .map(|r| (r.domain.as_str(), r.outcome.clone()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("a.example", Outcome::Ready(Ready::Redirect { status: 301 })),
            ("b.example", Outcome::Ready(Ready::Redirect { status: 302 })),
            ("c.example", Outcome::Ready(Ready::Redirect { status: 307 })),
            ("d.example", Outcome::Ready(Ready::Redirect { status: 308 })),
        ]
    );
    assert!(all_ready(&results));
}

#[tokio::test]
async fn the_host_header_selects_the_answer() {
    // Same address, same path: only the Host header differs, so a ready result proves it was
    // sent as the domain and not as the IP.
    let address = serve(vec![("right.example", Answer::Redirect(301, REDIRECT))]).await;
    let (outcome, _) = check_one("right.example", address).await;
    assert_eq!(outcome, Outcome::Ready(Ready::Redirect { status: 301 }));
    let (outcome, _) = check_one("other.example", address).await;
    assert_eq!(outcome, Outcome::NotReady(Problem::NotFound));
}

#[tokio::test]
async fn the_token_served_directly_is_ready_trailing_whitespace_ignored() {
    let address = serve(vec![(
        "a.example",
        Answer::Body("tok_EN-1.thumbprint_XYZ\n"),
    )])
    .await;
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(outcome, Outcome::Ready(Ready::Body));
}

#[tokio::test]
async fn a_wrong_body_is_not_ready_and_says_what_came() {
    let address = serve(vec![("a.example", Answer::Body("<html>welcome</html>"))]).await;
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(
        outcome,
        Outcome::NotReady(Problem::WrongBody {
            received: "<html>welcome</html>".to_string()
        })
    );
    assert!(outcome.to_string().contains("not the responseBody"));
}

#[tokio::test]
async fn a_redirect_elsewhere_is_not_ready() {
    let address = serve(vec![
        (
            "a.example",
            Answer::Redirect(301, "https://a.example/.well-known/acme-challenge/tok_EN-1"),
        ),
        ("b.example", Answer::Redirect(303, REDIRECT)),
    ])
    .await;
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(
        outcome,
        Outcome::NotReady(Problem::WrongRedirect {
            status: 301,
            location: Some("https://a.example/.well-known/acme-challenge/tok_EN-1".to_string())
        })
    );
    let (outcome, _) = check_one("b.example", address).await;
    assert_eq!(outcome, Outcome::NotReady(Problem::Status(303)));
}

#[tokio::test]
async fn a_missing_rule_is_a_404() {
    let address = serve(vec![]).await;
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(outcome, Outcome::NotReady(Problem::NotFound));
    let address = serve(vec![("a.example", Answer::Status(500))]).await;
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(outcome, Outcome::NotReady(Problem::Status(500)));
}

#[tokio::test]
async fn a_closed_port_is_connection_refused() {
    // Bound but never listening: refused, and held so no other test can take the port.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
    let address = socket.local_addr().expect("address");
    let (outcome, _) = check_one("a.example", address).await;
    assert_eq!(outcome, Outcome::NotReady(Problem::ConnectionRefused));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_limit() {
    // Accepts connections and holds them without a word.
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
    let mut options = options(&[("a.example", address)]);
    options.timeout = Duration::from_millis(300);
    let results = check_all(vec![target("a.example")], &options).await;
    assert_eq!(
        results[0].outcome,
        Outcome::NotReady(Problem::Timeout(Duration::from_millis(300)))
    );
    assert!(results[0].elapsed >= Duration::from_millis(300));
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
async fn a_name_that_does_not_resolve_is_a_dns_failure() {
    // `.invalid` never resolves (RFC 6761); no --resolve entry, so the system resolver is asked.
    // A generous limit: a slow system resolver must not turn this into a timeout.
    let mut options = options(&[]);
    options.timeout = Duration::from_secs(20);
    let results = check_all(vec![target("no-such-host.invalid")], &options).await;
    match &results[0].outcome {
        Outcome::NotReady(Problem::DnsFailure(_)) => {}
        other => panic!("expected a DNS failure, got {other:?}"),
    }
    assert!(
        results[0]
            .outcome
            .to_string()
            .contains("DNS does not resolve")
    );
}

#[tokio::test]
async fn a_domain_without_a_challenge_is_not_ready_and_not_fetched() {
    let mut pending = target("a.example");
    pending.has_challenge = false;
    let results = check_all(vec![pending], &options(&[])).await;
    assert_eq!(results[0].outcome, Outcome::NotReady(Problem::NoChallenge));
    assert!(!all_ready(&results));
}

#[tokio::test]
async fn results_keep_the_order_of_the_targets_under_concurrency() {
    let address = serve(vec![
        ("a.example", Answer::Redirect(301, REDIRECT)),
        ("c.example", Answer::Body(BODY)),
    ])
    .await;
    let hosts = [
        "a.example",
        "b.example",
        "c.example",
        "d.example",
        "e.example",
    ];
    let resolve: Vec<_> = hosts.iter().map(|host| (*host, address)).collect();
    let results = check_all(
        hosts.iter().map(|h| target(h)).collect(),
        &options(&resolve),
    )
    .await;
    let domains: Vec<_> = results.iter().map(|r| r.domain.as_str()).collect();
    assert_eq!(domains, hosts);
    let ready: Vec<_> = results.iter().map(|r| r.is_ready()).collect();
    assert_eq!(ready, [true, false, true, false, false]);
    assert!(!all_ready(&results));
}
