//! The SPS client against a scripted server on loopback: every operation, both error shapes,
//! retries (with Retry-After), a timeout, a malformed body, POSTs never retried, and the
//! signature of every request checked on the server side.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use spsdash::edgegrid::Credentials;
use spsdash::edgegrid::{ApiError, Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::source::Backend;
use spsdash::sps::FormBody;
use spsdash::sps::PostEndpoint;
use support::{Scripted, TestServer};

const BASE: &str = "/config-secure-provisioning-service/v1";

const LIST_BODY: &str = r#"{"requestList":[{"spsId":"1856","resourceUrl":"/x/1856","jobId":44434,
  "status":"Awaiting User","workflowProgress":"","lastStatusChange":"2016-12-12T10:15:00Z",
  "surprise":{"kept":true},
  "parameters":[{"name":"cnameHostname","value":"shop.example.com"}],
  "dvStatus":[{"domain":"www.shop.example.com","status":"Awaiting User",
    "fullPath":"http://www.shop.example.com/.well-known/acme-challenge/t",
    "redirectFullPath":"http://dcv.akamai.com/.well-known/acme-challenge/t","token":"t"}]},
  {"spsId":1857,"status":"SPS Request Complete","workflowProgress":null}]}"#;

const ACCEPTED_BODY: &str = r#"{"spsId":1858,"resourceLocation":"/config-secure-provisioning-service/v1/sps-requests/1858",
  "Results":{"size":1,"data":[{"text":null,"results":{"type":"SUCCESS","jobID":44435}}]}}"#;

fn fast_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(10),
    }
}

fn client(server: &TestServer, options: ClientOptions) -> Backend {
    Backend::new(
        Client::new(server.credentials(), options).expect("loopback http is allowed"),
        spsdash::model::Api::Sps,
    )
}

fn pair() -> Scope {
    Scope::pair("ctr_C-1ABCDE", "grp_12345")
}

async fn ok_server() -> TestServer {
    TestServer::start(Scripted::json(200, LIST_BODY)).await
}

#[tokio::test]
async fn groups_from_papi() {
    let server = TestServer::start(Scripted::json(
        200,
        r#"{"accountId":"act_1","accountName":"Example","groups":{"items":[{"groupId":"grp_12345",
        "groupName":"Web","parentGroupId":"grp_1","contractIds":["ctr_C-1ABCDE"]}]}}"#,
    ))
    .await;
    let groups = client(&server, fast_options())
        .papi()
        .groups()
        .await
        .expect("groups");
    assert_eq!(groups.pairs()[0].scope, pair());
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].method, "GET");
    assert_eq!(recorded[0].target, "/papi/v1/groups");
    assert!(recorded[0].signature_ok, "{:?}", recorded[0].authorization);
}

#[tokio::test]
async fn list_sends_pair_information_after_and_account_key_in_the_signed_url() {
    let server = ok_server().await;
    let mut credentials: Credentials = server.credentials();
    credentials.account_key = Some("1-ABC:1".to_string());
    let client = Backend::new(
        Client::new(credentials, fast_options()).expect("client"),
        spsdash::model::Api::Sps,
    );
    let after = spsdash::sps::model::parse_time("2016-12-12T10:15:00Z");
    let requests = client.sps().list(&pair(), after, true).await.expect("list");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].sps_id, 1856);
    assert_eq!(requests[0].workflow_progress, None);
    assert!(requests[0].extra.contains_key("surprise"));
    assert_eq!(
        requests[0].dv_status[0].redirect_path.as_deref(),
        Some("http://dcv.akamai.com/.well-known/acme-challenge/t")
    );
    assert!(requests[1].is_terminal());
    let recorded = &server.recorded()[0];
    assert_eq!(
        recorded.target,
        format!(
            "{BASE}/sps-requests?contractId=C-1ABCDE&groupId=12345&information=true\
             &after=2016-12-12T10%3A15%3A00Z&accountSwitchKey=1-ABC%3A1"
        )
    );
    assert!(recorded.signature_ok);
}

#[tokio::test]
async fn get_reads_one_request_with_information() {
    let server = ok_server().await;
    let request = client(&server, fast_options())
        .sps()
        .get(&pair(), 1857)
        .await
        .expect("get");
    assert_eq!(request.sps_id, 1857, "the entry with the id asked for");
    let recorded = &server.recorded()[0];
    assert_eq!(
        recorded.target,
        format!("{BASE}/sps-requests/1857?contractId=C-1ABCDE&groupId=12345&information=true")
    );
    assert!(recorded.signature_ok);
}

#[tokio::test]
async fn get_of_an_empty_list_is_an_error_not_a_panic() {
    let server = TestServer::start(Scripted::json(200, r#"{"requestList":[]}"#)).await;
    let error = client(&server, fast_options())
        .sps()
        .get(&pair(), 9)
        .await
        .expect_err("nothing listed");
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");
}

fn create_form() -> FormBody {
    let mut form = FormBody::new();
    form.push("cnameHostname", "shop.example.com")
        .push("createType", "san")
        .push("issuer", "lets-encrypt")
        .push("csr.cn", "shop.example.com")
        .push("csr.o", "Example Corp")
        .push("csr.sans", "shop.example.com")
        .push("csr.sans", "www.shop.example.com")
        .push("admin-contact.email", "ann@example.com")
        .push("technical-contact.first-name", "Tom");
    form
}

#[tokio::test]
async fn submit_posts_the_form_exactly_as_documented() {
    let server = TestServer::start(Scripted::json(202, ACCEPTED_BODY)).await;
    let client = client(&server, fast_options());
    let accepted = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &create_form())
        .await
        .expect("accepted");
    assert_eq!(accepted.sps_id, 1858);
    assert_eq!(accepted.job_id(), Some(44435));
    let recorded = &server.recorded()[0];
    assert_eq!(recorded.method, "POST");
    assert_eq!(
        recorded.target,
        format!("{BASE}/sps-requests?contractId=C-1ABCDE&groupId=12345")
    );
    assert_eq!(
        recorded.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&recorded.body),
        "cnameHostname=shop.example.com&createType=san&issuer=lets-encrypt\
         &csr.cn=shop.example.com&csr.o=Example+Corp&csr.sans=shop.example.com\
         &csr.sans=www.shop.example.com&admin-contact.email=ann%40example.com\
         &technical-contact.first-name=Tom"
    );
    // The signature covers the body hash and the signed Content-Type header.
    assert!(recorded.signature_ok);

    // The dry run builds the same URL and body without sending anything.
    let prepared = client
        .sps()
        .prepare_submit(&pair(), PostEndpoint::SpsRequests, &create_form())
        .expect("prepared");
    assert_eq!(
        prepared.url,
        format!("{}{}", server.base_url, recorded.target)
    );
    assert_eq!(prepared.body, recorded.body);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn secure_edge_hosts_and_mod_san() {
    let server = TestServer::start(Scripted::json(200, ACCEPTED_BODY)).await;
    let client = client(&server, fast_options());
    let mut edge = FormBody::new();
    edge.push("cnameHostname", "shop.example.com")
        .push("enrollmentId", "10002");
    client
        .sps()
        .submit(&pair(), PostEndpoint::SecureEdgeHosts, &edge)
        .await
        .expect("200 is also accepted");
    let mut mod_san = FormBody::new();
    mod_san
        .push("cnameHostname", "shop.example.com")
        .push("createType", "modSan")
        .push("jobId", "44434")
        .push("add.sans", "a.example.com")
        .push("add.sans", "b.example.com");
    client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &mod_san)
        .await
        .expect("modSan");
    let recorded = server.recorded();
    assert!(
        recorded[0]
            .target
            .starts_with(&format!("{BASE}/secure-edge-hosts?"))
    );
    assert_eq!(
        String::from_utf8_lossy(&recorded[1].body),
        "cnameHostname=shop.example.com&createType=modSan&jobId=44434\
         &add.sans=a.example.com&add.sans=b.example.com"
    );
    assert!(recorded.iter().all(|request| request.signature_ok));
}

#[tokio::test]
async fn sps_error_envelope_names_the_field() {
    let server = TestServer::start(Scripted::json(
        400,
        r#"{"Errors":{"invalidItems":[{"field":"csr.cn","spsId":null,
        "validation":"Invalid parameter input",
        "validationDescription":"DV validation (issuer lets-encrypt) is only available for SAN certificates."}]},
        "Results":"Errors"}"#,
    ))
    .await;
    let error = client(&server, fast_options())
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &create_form())
        .await
        .expect_err("400");
    assert_eq!(error.fields(), ["csr.cn"]);
    assert_eq!(error.http_status(), Some(400));
    assert_eq!(
        error.to_string(),
        "SPS answered 400: csr.cn: DV validation (issuer lets-encrypt) is only available for \
         SAN certificates."
    );
}

#[tokio::test]
async fn problem_json_from_the_gateway() {
    let server = TestServer::start(Scripted::problem(
        401,
        r#"{"type":"https://problems.luna.akamaiapis.net/-/pep-authn/deny","title":"Not authorized",
        "status":401,"detail":"The signature does not match","instance":"/x","requestId":"9a7b"}"#,
    ))
    .await;
    let error = client(&server, fast_options())
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("401");
    let ApiError::Problem { status, problem } = &error else {
        panic!("expected a problem, got {error:?}");
    };
    assert_eq!(*status, 401);
    assert_eq!(problem.request_id.as_deref(), Some("9a7b"));
    let line = error.to_string();
    assert!(line.contains("The signature does not match") && line.contains("clock"));
    assert!(!line.contains('\n'));
    assert_eq!(server.recorded().len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn get_retries_5xx_with_a_fresh_signature() {
    let server = ok_server().await;
    server.script([
        Scripted::json(503, r#"{"title":"busy"}"#),
        Scripted::json(500, "oops"),
    ]);
    let requests = client(&server, fast_options())
        .sps()
        .list(&pair(), None, false)
        .await
        .expect("third time lucky");
    assert_eq!(requests.len(), 2);
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|request| request.signature_ok));
    assert_ne!(
        recorded[0].nonce(),
        recorded[1].nonce(),
        "nonces are never reused"
    );
    assert_ne!(recorded[1].nonce(), recorded[2].nonce());
}

#[tokio::test]
async fn get_gives_up_after_its_retries() {
    let server = TestServer::start(Scripted::json(500, "still broken")).await;
    let options = ClientOptions {
        retries: 2,
        ..fast_options()
    };
    let error = client(&server, options)
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("500s");
    assert_eq!(
        error,
        ApiError::Status {
            status: 500,
            excerpt: "still broken".into()
        }
    );
    assert_eq!(server.recorded().len(), 3);
}

#[tokio::test]
async fn rate_limit_honours_retry_after() {
    let server = ok_server().await;
    server.script([
        Scripted::problem(429, r#"{"title":"Too Many Requests","status":429}"#)
            .header("Retry-After", "1"),
    ]);
    let started = Instant::now();
    client(&server, fast_options())
        .sps()
        .list(&pair(), None, false)
        .await
        .expect("after waiting");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}, the backoff alone would be ~10ms"
    );
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_not_waited_for() {
    let server = ok_server().await;
    server.script([Scripted::problem(
        429,
        r#"{"title":"Too Many Requests","status":429,"detail":"slow down"}"#,
    )
    .header("Retry-After", "3600")]);
    let error = client(&server, fast_options())
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("gives up at once");
    assert_eq!(error.http_status(), Some(429));
    assert!(error.to_string().contains("rate limited"));
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = TestServer::start(Scripted::json(503, "unavailable")).await;
    let error = client(&server, fast_options())
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &create_form())
        .await
        .expect_err("503");
    assert_eq!(error.http_status(), Some(503));
    assert_eq!(
        server.recorded().len(),
        1,
        "a create must not be sent twice"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = ok_server().await;
    let answer_after = Duration::from_secs(10);
    server.script([Scripted::json(200, LIST_BODY).delayed(answer_after)]);
    let options = ClientOptions {
        timeout: Duration::from_millis(300),
        ..fast_options()
    };
    let started = Instant::now();
    let error = client(&server, options)
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("too slow");
    assert_eq!(
        error,
        ApiError::Timeout {
            after: Duration::from_millis(300)
        }
    );
    assert!(error.is_network());
    // Gave up on its own, long before the answer came: the figure is printed for the record.
    let took = started.elapsed();
    println!("a 300 ms timeout gave up after {took:?}");
    assert!(took < answer_after / 2, "{took:?}");
    assert_eq!(server.recorded().len(), 1, "timeouts are not retried");
}

#[tokio::test]
async fn a_malformed_body_fails_that_call_alone() {
    let server = ok_server().await;
    server.script([Scripted::json(200, r#"{"requestList":[{"spsId":"#)]);
    let client = client(&server, fast_options());
    let error = client
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("malformed");
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");
    assert!(!error.is_network());
    // The next call is fine.
    assert_eq!(
        client
            .sps()
            .list(&pair(), None, false)
            .await
            .expect("ok")
            .len(),
        2
    );
}

#[tokio::test]
async fn connection_refused_is_a_network_error_after_retries() {
    let closed = support::closed_port();
    let port = closed.port;
    let credentials = support::credentials(&format!("http://127.0.0.1:{port}"));
    let client = Backend::new(
        Client::new(credentials, fast_options()).expect("client"),
        spsdash::model::Api::Sps,
    );
    let error = client
        .sps()
        .list(&pair(), None, false)
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, ApiError::Connection { .. }), "{error:?}");
    assert!(error.is_network());
    assert!(!error.to_string().contains(support::CLIENT_SECRET));
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    let credentials = support::credentials("http://192.0.2.10:8080");
    let error = Client::new(credentials, fast_options()).expect_err("not loopback");
    assert!(error.to_string().contains("loopback"), "{error}");
}

#[tokio::test]
async fn raw_send_and_fixed_signature_for_dry_runs() {
    let server = TestServer::start(Scripted::json(404, r#"{"title":"Not Found"}"#)).await;
    let client = client(&server, fast_options());
    let answer = client
        .http()
        .send(
            "get",
            "/papi/v1/groups?x=a%20b",
            vec![("X-Extra".into(), "1".into())],
            Vec::new(),
        )
        .await
        .expect("an answer");
    assert_eq!(answer.status, 404);
    assert!(answer.error().is_some());
    let recorded = &server.recorded()[0];
    assert_eq!(recorded.target, "/papi/v1/groups?x=a%20b");
    assert_eq!(recorded.header("x-extra"), Some("1"));
    assert!(recorded.signature_ok);

    let prepare = || {
        client
            .http()
            .prepare(
                "GET",
                "/p",
                Vec::new(),
                Vec::new(),
                Some("20140321T19:34:21+0000"),
                Some("n"),
            )
            .expect("prepared")
    };
    let first = prepare();
    let second = prepare();
    assert_eq!(
        first, second,
        "fixed timestamp and nonce sign deterministically"
    );
    assert!(first.data_to_sign.starts_with(&format!(
        "GET\thttp\t{}\t/p\t\t\tEG1-HMAC-SHA256 ",
        server.addr
    )));
}

/// A raw TCP server that drops the first connection without answering, then answers.
async fn flaky_server(
    body: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("addr"));
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                drop(stream);
                continue;
            }
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => request.extend_from_slice(&buffer[..read]),
                }
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (base_url, accepted)
}

#[tokio::test]
async fn get_retries_a_dropped_connection() {
    let (base_url, accepted) = flaky_server(r#"{"requestList":[{"spsId":5}]}"#).await;
    let client = Backend::new(
        Client::new(support::credentials(&base_url), fast_options()).expect("client"),
        spsdash::model::Api::Sps,
    );
    let requests = client
        .sps()
        .list(&pair(), None, false)
        .await
        .expect("second try");
    assert_eq!(requests[0].sps_id, 5);
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn post_is_not_retried_after_a_dropped_connection() {
    let (base_url, accepted) = flaky_server(ACCEPTED_BODY).await;
    let client = Backend::new(
        Client::new(support::credentials(&base_url), fast_options()).expect("client"),
        spsdash::model::Api::Sps,
    );
    let error = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &create_form())
        .await
        .expect_err("dropped");
    assert!(matches!(error, ApiError::Connection { .. }), "{error:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_akamai_host_means_https_with_system_roots() {
    let mut credentials = support::credentials("unused");
    credentials.host = "akab-abc.luna.akamaiapis.net".to_string();
    let client = Backend::new(
        Client::new(credentials, fast_options()).expect("https client builds"),
        spsdash::model::Api::Sps,
    );
    assert_eq!(
        client.http().base_url(),
        "https://akab-abc.luna.akamaiapis.net"
    );
    let prepared = client
        .http()
        .prepare("GET", "/papi/v1/groups", Vec::new(), Vec::new(), None, None)
        .expect("prepared");
    assert_eq!(
        prepared.url,
        "https://akab-abc.luna.akamaiapis.net/papi/v1/groups"
    );
    assert!(
        prepared
            .data_to_sign
            .starts_with("GET\thttps\takab-abc.luna.akamaiapis.net\t/papi/v1/groups\t")
    );
}
