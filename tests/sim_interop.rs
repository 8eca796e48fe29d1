//! spsdash's real client against the simulator, for every operation: what one side sends the
//! other understands, and each error arrives as the typed error the UI relies on.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use std::time::Duration;

use sim_support::*;
use spsdash::edgegrid::{ApiError, Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::sim::{RunningSim, SimOptions};
use spsdash::source::Backend;
use spsdash::sps::model::Accepted;
use spsdash::sps::{FormBody, PostEndpoint};

fn client_for(sim: &RunningSim) -> Backend {
    Backend::new(
        Client::new(
            sim.credentials.clone(),
            ClientOptions {
                timeout: Duration::from_secs(10),
                retries: 3,
                backoff: Duration::from_millis(10),
            },
        )
        .expect("a client for the simulator"),
        spsdash::model::Api::Sps,
    )
}

fn pair() -> Scope {
    Scope::pair("ctr_C-1EXMPL", "grp_10010")
}

fn form(fields: &[(String, String)]) -> FormBody {
    let mut form = FormBody::new();
    for (name, value) in fields {
        form.push(name.clone(), value.clone());
    }
    form
}

fn form_of(pairs: &[(&str, &str)]) -> FormBody {
    let mut form = FormBody::new();
    for (name, value) in pairs {
        form.push(*name, *value);
    }
    form
}

/// Creates the SAN + DV certificate of `san_form`, which the simulator accepts.
async fn submit_san(client: &Backend) -> Accepted {
    client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &form(&san_form()))
        .await
        .unwrap()
}

#[tokio::test]
async fn groups_list_and_read_one() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let groups = client.papi().groups().await.unwrap();
    assert!(groups.groups.items.len() >= 6);
    assert!(
        groups
            .groups
            .items
            .iter()
            .any(|group| group.group_id == "grp_10010"
                && group.contract_ids.contains(&"ctr_C-1EXMPL".to_string()))
    );

    let list = client.sps().list(&pair(), None, false).await.unwrap();
    assert!(list.len() >= 5);
    assert!(list.iter().all(|request| request.parameters.is_empty()));
    let awaiting = list
        .iter()
        .find(|request| request.status.as_str() == "Awaiting User")
        .expect("a request awaiting the user");
    assert!(!awaiting.dv_status.is_empty());
    assert!(awaiting.dv_status.iter().all(|domain| {
        domain
            .redirect_path
            .as_deref()
            .is_some_and(|path| path.starts_with("http://dcv.akamai.com/"))
    }));

    let with_parameters = client.sps().list(&pair(), None, true).await.unwrap();
    assert!(
        with_parameters
            .iter()
            .all(|request| request.cname_hostname().is_some())
    );

    let one = client.sps().get(&pair(), awaiting.sps_id).await.unwrap();
    assert_eq!(one.sps_id, awaiting.sps_id);
    assert!(one.create_type().is_some());

    let later = client
        .sps()
        .list(
            &pair(),
            Some(sim.clock.now() - chrono::Duration::hours(3)),
            false,
        )
        .await
        .unwrap();
    assert!(later.len() < list.len());
}

#[tokio::test]
async fn create_then_follow_a_san_dv_request_to_completion() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let accepted = submit_san(&client).await;
    let job_id = accepted.job_id().expect("jobID in Results");
    let fresh = client.sps().get(&pair(), accepted.sps_id).await.unwrap();
    assert_eq!(fresh.status.as_str(), "Pending");
    assert_eq!(fresh.job_id, Some(job_id));
    assert_eq!(
        fresh.parameter_values("csr.sans").collect::<Vec<_>>(),
        ["new-shop.example.com", "www.new-shop.example.com"]
    );

    sim.advance(600);
    let open = client.sps().get(&pair(), accepted.sps_id).await.unwrap();
    assert_eq!(open.domains_valid().1, 2);
    for domain in &open.dv_status {
        sim.validate_domain(&domain.domain);
    }
    sim.advance(3600);
    let done = client.sps().get(&pair(), accepted.sps_id).await.unwrap();
    assert_eq!(done.status.as_str(), "SPS Request Complete");
    assert!(done.is_terminal());
    assert_eq!(done.domains_valid(), (2, 2));
    assert!(done.enrollment_id.is_some());
}

#[tokio::test]
async fn create_single_and_wildcard_ov_certificates() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let single = with(
        &with(&san_form(), "csr.sans", None),
        "createType",
        Some("single"),
    );
    let single = with(&single, "issuer", Some("symantec"));
    let accepted = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &form(&single))
        .await
        .unwrap();
    sim.advance(3600);
    let running = client.sps().get(&pair(), accepted.sps_id).await.unwrap();
    assert_eq!(running.status.as_str(), "CPS running");
    assert!(running.dv_status.is_empty(), "OV has no domain challenges");

    let wildcard = with(&single, "createType", Some("wildcard"));
    let wildcard = with(&wildcard, "csr.cn", Some("*.new-shop.example.com"));
    let wildcard = with(
        &wildcard,
        "cnameHostname",
        Some("wildcard.new-shop.example.com"),
    );
    let accepted = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &form(&wildcard))
        .await
        .unwrap();
    assert!(accepted.sps_id > 0);
}

#[tokio::test]
async fn mod_san_and_secure_edge_host_on_an_existing_certificate() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let accepted = submit_san(&client).await;
    let job_id = accepted.job_id().unwrap().to_string();
    sim.validate_domain("new-shop.example.com");
    sim.validate_domain("www.new-shop.example.com");
    sim.advance(4 * 3600);
    let mod_san = form_of(&[
        ("cnameHostname", "new-shop.example.com"),
        ("createType", "modSan"),
        ("issuer", "lets-encrypt"),
        ("jobId", &job_id),
        ("add.sans", "m.new-shop.example.com"),
        ("add.sans", "api.new-shop.example.com"),
    ]);
    let added = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &mod_san)
        .await
        .unwrap();
    sim.advance(600);
    let change = client.sps().get(&pair(), added.sps_id).await.unwrap();
    let domains: Vec<&str> = change
        .dv_status
        .iter()
        .map(|domain| domain.domain.as_str())
        .collect();
    assert_eq!(
        domains,
        ["m.new-shop.example.com", "api.new-shop.example.com"]
    );

    let certificate = client.sps().get(&pair(), accepted.sps_id).await.unwrap();
    let enrollment = certificate.enrollment_id.unwrap().to_string();
    assert_eq!(change.enrollment_id, certificate.enrollment_id);
    let edge = form_of(&[
        ("cnameHostname", "new-shop-v6.example.com"),
        ("enrollmentId", &enrollment),
        ("ipVersion", "ipv6"),
    ]);
    let host = client
        .sps()
        .submit(&pair(), PostEndpoint::SecureEdgeHosts, &edge)
        .await
        .unwrap();
    sim.advance(3600);
    let created = client.sps().get(&pair(), host.sps_id).await.unwrap();
    assert_eq!(created.status.as_str(), "SPS Request Complete");
}

#[tokio::test]
async fn refusals_arrive_as_typed_errors() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let invalid = with(&san_form(), "issuer", Some("geotrust"));
    let error = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &form(&invalid))
        .await
        .unwrap_err();
    assert_eq!(error.http_status(), Some(400));
    assert_eq!(error.fields(), ["issuer"]);

    let foreign = Scope::pair("C-1EXMPL", "30030");
    let error = client.sps().list(&foreign, None, false).await.unwrap_err();
    assert!(
        matches!(error, ApiError::Sps { status: 403, .. }),
        "{error:?}"
    );

    let error = client.sps().get(&pair(), 999_999).await.unwrap_err();
    assert!(
        matches!(error, ApiError::Sps { status: 404, .. }),
        "{error:?}"
    );

    let mut stranger = sim.credentials.clone();
    stranger.client_secret = spsdash::edgegrid::Secret::new("wrong");
    let error = client_for_credentials(stranger)
        .papi()
        .groups()
        .await
        .unwrap_err();
    match error {
        ApiError::Problem { status, problem } => {
            assert_eq!(status, 401);
            assert!(problem.detail.unwrap().contains("signature"));
        }
        other => panic!("{other:?}"),
    }
}

fn client_for_credentials(credentials: spsdash::edgegrid::Credentials) -> Backend {
    Backend::new(
        Client::new(credentials, ClientOptions::default()).unwrap(),
        spsdash::model::Api::Sps,
    )
}

#[tokio::test]
async fn the_raw_api_call_reaches_every_route() {
    let sim = stopped_sim().await;
    let client = client_for(&sim);
    let raw = client
        .http()
        .send(
            "GET",
            &format!("{BASE}/sps-requests/?{PAIR}&information=true"),
            Vec::new(),
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(raw.status, 200);
    let body = encode(&san_form()).into_bytes();
    let raw = client
        .http()
        .send(
            "POST",
            &format!("{BASE}/sps-requests?{PAIR}"),
            vec![(
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            )],
            body,
        )
        .await
        .unwrap();
    assert_eq!(raw.status, 202, "{}", String::from_utf8_lossy(&raw.body));
}

async fn faulty(spec: &str) -> RunningSim {
    start(SimOptions {
        speed: 0.0,
        faults: Some(spec.to_string()),
        ..SimOptions::default()
    })
    .await
}

#[tokio::test]
async fn gets_ride_out_rate_limits_and_server_errors() {
    let sim = faulty("error500=0.25,ratelimit=0.1").await;
    let client = client_for(&sim);
    for _ in 0..6 {
        client.sps().list(&pair(), None, false).await.unwrap();
    }
    let calls = sim.calls();
    let failed: u64 = calls
        .iter()
        .filter(|call| call.status == 500 || call.status == 429)
        .map(|call| call.count)
        .sum();
    assert!(failed > 0, "the faults fired: {calls:?}");
}

#[tokio::test]
async fn a_rate_limit_tells_the_client_when_to_retry() {
    let sim = faulty("ratelimit=1").await;
    let answer = get(&sim, &format!("{BASE}/sps-requests?{PAIR}")).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.headers["retry-after"], "1");
}

#[tokio::test]
async fn a_dropped_connection_is_a_network_error_and_a_post_is_not_repeated() {
    let sim = faulty("reset=1").await;
    let client = client_for(&sim);
    let error = client.sps().list(&pair(), None, false).await.unwrap_err();
    assert!(error.is_network(), "{error:?}");
    let error = client
        .sps()
        .submit(&pair(), PostEndpoint::SpsRequests, &form(&san_form()))
        .await
        .unwrap_err();
    assert!(error.is_network(), "{error:?}");
    let resets: Vec<(String, u64)> = sim
        .calls()
        .iter()
        .filter(|call| call.status == 0)
        .map(|call| (call.method.clone(), call.count))
        .collect();
    assert_eq!(resets, [("GET".to_string(), 4), ("POST".to_string(), 1)]);
}

#[tokio::test]
async fn a_truncated_answer_is_a_decode_error() {
    let sim = faulty("malformed=1").await;
    let client = client_for(&sim);
    let error = client.sps().list(&pair(), None, false).await.unwrap_err();
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn latency_is_added_to_every_call() {
    let sim = faulty("latency-ms=150").await;
    let client = client_for(&sim);
    let started = std::time::Instant::now();
    client.papi().groups().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
}
