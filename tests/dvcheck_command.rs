//! `redirects`, `webroot` and `check` as commands: arguments checked first, the request read
//! through the real client from a scripted SPS on loopback, the challenge URLs fetched from a
//! local web server via `--resolve`, and the exit code saying whether every domain is ready.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dns_support;
mod support;

use std::net::SocketAddr;

use axum::Router;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use spsdash::cli::{AutomaticArgs, Command, DomainSelection, PairArgs};
use spsdash::commands::Exit;
use spsdash::commands::dv::{DvOutput, execute, prepare};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::source::Backend;
use support::{Scripted, TestServer, serve_on_loopback};

const TOKEN_A: &str = "tokA_0123456789";
const TOKEN_B: &str = "tokB-0123456789";

fn request_json() -> String {
    let record = |domain: &str, token: &str, status: &str| {
        serde_json::json!({
            "domain": domain,
            "status": status,
            "fullPath": format!("http://{domain}/.well-known/acme-challenge/{token}"),
            "redirectPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}"),
            "token": token,
            "responseBody": format!("{token}.thumb"),
            "error": null,
        })
    };
    serde_json::json!({"requestList": [{
        "spsId": 1856,
        "status": "Awaiting User",
        "dvStatus": [
            record("a.example", TOKEN_A, "Awaiting User"),
            record("b.example", TOKEN_B, "Pending"),
            record("c.example", "tokC", "Valid"),
        ],
    }]})
    .to_string()
}

/// The operator's web server: a.example redirects right, b.example has no rule (404).
async fn web_server() -> SocketAddr {
    let app = Router::new().fallback(|headers: HeaderMap, uri: Uri| async move {
        let host = headers
            .get("host")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let path = format!("/.well-known/acme-challenge/{TOKEN_A}");
        if host == "dcv.akamai.com" && uri.path() == path {
            return Response::builder()
                .status(200)
                .body(axum::body::Body::from(format!("{TOKEN_A}.thumb")))
                .expect("response");
        }
        let response = if host == "a.example" && uri.path() == path {
            Response::builder().status(301).header(
                "location",
                format!("http://dcv.akamai.com/.well-known/acme-challenge/{TOKEN_A}"),
            )
        } else {
            Response::builder().status(StatusCode::NOT_FOUND)
        };
        response.body(axum::body::Body::empty()).expect("response")
    });
    serve_on_loopback(app).await
}

async fn sps() -> (TestServer, Backend) {
    let server = TestServer::start(Scripted::json(200, &request_json())).await;
    let client = Backend::new(
        Client::new(server.credentials(), ClientOptions::default()).expect("client"),
        spsdash::model::Api::Sps,
    );
    (server, client)
}

fn pair() -> PairArgs {
    PairArgs {
        contract: Some("ctr_C-1ABCDE".to_string()),
        group: Some("grp_12345".to_string()),
    }
}

fn check(domains: &[&str], resolve: Vec<String>) -> Command {
    Command::Check {
        id: "1856".to_string(),
        pair: pair(),
        domains: DomainSelection {
            all: false,
            domain: domains.iter().map(|d| d.to_string()).collect(),
        },
        resolve,
        nameserver: None,
    }
}

async fn run(client: &Backend, command: Command, json: bool) -> DvOutput {
    let job = prepare(command).expect("arguments");
    execute(client, &job, json).await.expect("runs")
}

#[tokio::test]
async fn check_exits_zero_only_when_every_checked_domain_is_ready() {
    let (server, client) = sps().await;
    let web = web_server().await;
    let resolve = vec![
        format!("a.example={web}"),
        format!("b.example={web}"),
        format!("dcv.akamai.com={web}"),
    ];

    let output = run(&client, check(&[], resolve.clone()), false).await;
    assert_eq!(output.exit, Exit::Api, "{}", output.stdout);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", output.stdout);
    assert!(
        lines[0].starts_with("READY      a.example  200 key authorization after 1 redirect"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(&format!("via {web}")), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "           http://a.example/… → 301 http://dcv.akamai.com/… → 200 key authorization ✓"
    );
    assert!(
        lines[2].starts_with("NOT READY  b.example  404 at hop 1"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "           http://b.example/… → 404 ✗");
    assert_eq!(lines[4], "1 of 2 domains of request 1856 ready");

    assert_eq!(output.stderr, None, "dcv.akamai.com is a hop of a.example");

    let output = run(&client, check(&["A.EXAMPLE"], resolve.clone()), false).await;
    assert_eq!(output.exit, Exit::Success, "{}", output.stdout);
    assert_eq!(
        output.stderr.as_deref(),
        Some("spsdash: --resolve for b.example matches no checked domain of request 1856")
    );

    let output = run(&client, check(&["a.example", "b.example"], resolve), true).await;
    let document: serde_json::Value = serde_json::from_str(&output.stdout).expect("json");
    assert_eq!(document["allReady"], false);
    assert_eq!(document["domains"][1]["ready"], false);
    assert_eq!(document["domains"][0]["address"], web.to_string());
    assert_eq!(document["domains"][0]["verdict"], "ready");
    let chain = &document["domains"][0]["chain"];
    assert_eq!(chain[0]["status"], 301);
    assert_eq!(
        chain[0]["location"],
        format!("http://dcv.akamai.com/.well-known/acme-challenge/{TOKEN_A}")
    );
    assert_eq!(chain[1]["url"], chain[0]["location"]);
    assert_eq!(chain[1]["answer"], "key authorization");
    assert_eq!(document["domains"][1]["chain"][0]["status"], 404);

    // The request was read with the ids SPS wants, signed.
    let recorded = server.recorded();
    assert!(recorded.iter().all(|r| r.signature_ok));
    assert!(
        recorded[0]
            .target
            .starts_with("/config-secure-provisioning-service/v1/sps-requests/1856?"),
        "{}",
        recorded[0].target
    );
    assert!(recorded[0].target.contains("contractId=C-1ABCDE"));
}

#[tokio::test]
async fn redirects_prints_the_rules_and_webroot_writes_the_files() {
    let (_server, client) = sps().await;
    let output = run(
        &client,
        Command::Redirects {
            id: "1856".to_string(),
            pair: pair(),
            format: "nginx".to_string(),
            domains: DomainSelection::default(),
            automatic: AutomaticArgs::default(),
        },
        false,
    )
    .await;
    assert_eq!(output.exit, Exit::Success);
    assert_eq!(
        output.stdout.matches("return 301").count(),
        2,
        "valid c.example left out"
    );
    assert!(output.stdout.contains(&format!(
        "location = /.well-known/acme-challenge/{TOKEN_B} {{"
    )));

    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(
        &client,
        Command::Webroot {
            id: "1856".to_string(),
            pair: pair(),
            dir: dir.path().to_path_buf(),
            domains: DomainSelection {
                all: true,
                domain: vec![],
            },
            automatic: AutomaticArgs::default(),
        },
        false,
    )
    .await;
    assert_eq!(output.stdout.lines().count(), 3, "{}", output.stdout);
    let written = dir.path().join(".well-known/acme-challenge").join(TOKEN_A);
    assert_eq!(
        std::fs::read_to_string(written).expect("file"),
        format!("{TOKEN_A}.thumb")
    );
}

#[test]
fn bad_arguments_are_usage_errors_before_any_call() {
    let bad_format = Command::Redirects {
        id: "1856".to_string(),
        pair: pair(),
        format: "lighttpd".to_string(),
        domains: DomainSelection::default(),
        automatic: AutomaticArgs::default(),
    };
    let error = prepare(bad_format).expect_err("format");
    assert_eq!(error.exit, Exit::Usage);
    assert!(error.message.contains("nginx, apache"), "{}", error.message);

    let error = prepare(check(&[], vec!["a.example=not-an-ip".to_string()])).expect_err("resolve");
    assert_eq!(error.exit, Exit::Usage);
    assert!(
        error.message.contains("DOMAIN=IP") || error.message.contains("IP address"),
        "{}",
        error.message
    );

    let mut bad_id = check(&[], vec![]);
    if let Command::Check { id, .. } = &mut bad_id {
        *id = "12ab".to_string();
    }
    let error = prepare(bad_id).expect_err("id");
    assert_eq!(error.exit, Exit::Usage);
    assert!(
        error.message.contains("is not a request id"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn skip_automatic_leaves_out_domains_cnamed_to_an_akamai_edge() {
    use dns_support::{DnsServer, Rr};
    let (_server, client) = sps().await;
    let dns = DnsServer::start().await;
    dns.add("a.example", Rr::Cname("a.example.edgekey.net".into()))
        .add(
            "a.example.edgekey.net",
            Rr::A(std::net::Ipv4Addr::LOCALHOST),
        )
        .add("b.example", Rr::A(std::net::Ipv4Addr::LOCALHOST));
    let automatic = AutomaticArgs {
        skip_automatic: true,
        nameserver: Some(dns.address.to_string()),
    };
    let output = run(
        &client,
        Command::Redirects {
            id: "1856".to_string(),
            pair: pair(),
            format: "nginx".to_string(),
            domains: DomainSelection::default(),
            automatic: automatic.clone(),
        },
        false,
    )
    .await;
    assert_eq!(
        output.stdout.matches("return 301").count(),
        1,
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains(TOKEN_A), "{}", output.stdout);
    assert!(
        output.stdout.contains(
            "a.example (automatic: CNAME → a.example.edgekey.net, Akamai answers the challenge itself)"
        ),
        "{}",
        output.stdout
    );
    assert_eq!(
        output.stderr.as_deref(),
        Some(
            "spsdash: left out, Akamai completes them itself: a.example (CNAME → a.example.edgekey.net)"
        )
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(
        &client,
        Command::Webroot {
            id: "1856".to_string(),
            pair: pair(),
            dir: dir.path().to_path_buf(),
            domains: DomainSelection::default(),
            automatic,
        },
        false,
    )
    .await;
    assert!(
        output
            .stdout
            .contains("left out a.example: CNAME → a.example.edgekey.net"),
        "{}",
        output.stdout
    );
    assert!(
        !dir.path()
            .join(".well-known/acme-challenge")
            .join(TOKEN_A)
            .exists()
    );
    assert!(
        dir.path()
            .join(".well-known/acme-challenge")
            .join(TOKEN_B)
            .exists()
    );
}
