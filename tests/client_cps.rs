//! The CPS reads of the client against a scripted loopback server: each endpoint's path,
//! media type and signature, `accountSwitchKey` passed like for SPS, tolerant decoding,
//! 403/404/406 as plain sentences (not retried), 5xx retried, locations followed only inside
//! CPS.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use spsdash::cps::{
    CHANGE_MEDIA_TYPE, CpsError, DEPLOYMENT_MEDIA_TYPE, DEPLOYMENTS_MEDIA_TYPE,
    DV_CHALLENGES_MEDIA_TYPE, ENROLLMENT_MEDIA_TYPE,
};
use spsdash::edgegrid::{ApiError, Client, ClientOptions};
use spsdash::model::Network;
use spsdash::source::Backend;
use support::{Scripted, TestServer};

const ENROLLMENT: &str = r#"{"id":10002,"ra":"lets-encrypt","validationType":"dv",
  "certificateType":"san","csr":{"cn":"shop.example.com","sans":["shop.example.com","www.shop.example.com"]},
  "networkConfiguration":{"sniOnly":true,"geography":"core","dnsNameSettings":{"dnsNames":[]}},
  "pendingChanges":[{"location":"/cps/v2/enrollments/10002/changes/44434","changeType":"new-certificate"}],
  "brandNewMember":{"x":1}}"#;

const DEPLOYMENTS: &str = r#"{"production":{"networkConfiguration":{"dnsNames":["shop.example.com"]},
  "primaryCertificate":{"expiry":"2027-01-05T13:21:21Z","keyAlgorithm":"RSA"},
  "multiStackedCertificates":null},"staging":null}"#;

const CHANGE: &str = r#"{"statusInfo":{"status":"coordinate-domain-validation","state":"awaiting-input",
  "description":"Waiting for domain validation."},
  "allowedInput":[{"type":"lets-encrypt-challenges","requiredToProceed":false,
  "info":"/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
  "update":"/cps/v2/enrollments/10002/changes/44434/input/update/lets-encrypt-challenges-completed"}]}"#;

const CHALLENGES: &str = r#"{"dv":[{"domain":"www.shop.example.com","status":"Awaiting User",
  "challenges":[{"type":"http-01","fullPath":"http://www.shop.example.com/.well-known/acme-challenge/t",
  "redirectFullPath":"http://dcv.akamai.com/.well-known/acme-challenge/t","token":"t","responseBody":"t.k"},
  {"type":"dns-01","fullPath":"_acme-challenge.www.shop.example.com.","responseBody":"txt-value"}]}]}"#;

fn fast_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff: Duration::from_millis(10),
    }
}

fn client(server: &TestServer) -> Backend {
    Backend::new(
        Client::new(server.credentials(), fast_options()).expect("loopback http is allowed"),
        spsdash::model::Api::Sps,
    )
}

#[tokio::test]
async fn enrollment_is_read_with_its_media_type_and_the_account_key() {
    let server = TestServer::start(Scripted::json(200, ENROLLMENT)).await;
    let mut credentials = server.credentials();
    credentials.account_key = Some("1-ABC:1".to_string());
    let client = Backend::new(
        Client::new(credentials, fast_options()).expect("client"),
        spsdash::model::Api::Sps,
    );
    let enrollment = client.cps().enrollment(10002).await.expect("enrollment");
    assert_eq!(enrollment.common_name(), Some("shop.example.com"));
    assert!(enrollment.is_dv());
    assert_eq!(enrollment.sni_only(), Some(true));
    assert!(enrollment.extra.contains_key("brandNewMember"));
    let recorded = &server.recorded()[0];
    assert_eq!(recorded.method, "GET");
    assert_eq!(
        recorded.target,
        "/cps/v2/enrollments/10002?accountSwitchKey=1-ABC%3A1"
    );
    assert_eq!(recorded.header("accept"), Some(ENROLLMENT_MEDIA_TYPE));
    assert!(recorded.signature_ok);
}

#[tokio::test]
async fn deployments_both_networks_or_one() {
    let server = TestServer::start(Scripted::json(200, DEPLOYMENTS)).await;
    let client = client(&server);
    let deployments = client.cps().deployments(10002).await.expect("deployments");
    assert_eq!(
        deployments.production_expiry(),
        spsdash::sps::model::parse_time("2027-01-05T13:21:21Z")
    );
    assert!(deployments.staging.is_none());
    server.script([Scripted::json(
        200,
        r#"{"primaryCertificate":{"expiry":"2027-01-01T00:00:00Z"},"networkConfiguration":null}"#,
    )]);
    let staging = client
        .cps()
        .deployment(10002, Network::Staging)
        .await
        .expect("one network");
    assert!(staging.expiry().is_some());
    let recorded = server.recorded();
    assert_eq!(recorded[0].target, "/cps/v2/enrollments/10002/deployments");
    assert_eq!(recorded[0].header("accept"), Some(DEPLOYMENTS_MEDIA_TYPE));
    assert_eq!(
        recorded[1].target,
        "/cps/v2/enrollments/10002/deployments/staging"
    );
    assert_eq!(recorded[1].header("accept"), Some(DEPLOYMENT_MEDIA_TYPE));
    assert!(recorded.iter().all(|request| request.signature_ok));
}

#[tokio::test]
async fn a_pending_change_leads_to_its_lets_encrypt_challenges() {
    let server = TestServer::start(Scripted::json(200, CHANGE)).await;
    let client = client(&server);
    let change = client
        .cps()
        .change_status("/cps/v2/enrollments/10002/changes/44434", 10002)
        .await
        .expect("change");
    let info = change
        .lets_encrypt_challenges_info()
        .expect("challenges offered")
        .to_string();
    server.script([Scripted::json(200, CHALLENGES)]);
    let challenges = client
        .cps()
        .lets_encrypt_challenges("/cps/v2/enrollments/10002/changes/44434", &info)
        .await
        .expect("challenges");
    let records = challenges.dns_records();
    assert_eq!(records[0].name, "_acme-challenge.www.shop.example.com");
    assert_eq!(records[0].value, "txt-value");
    assert_eq!(
        challenges.dv[0]
            .http01()
            .and_then(|c| c.redirect_full_path.as_deref()),
        Some("http://dcv.akamai.com/.well-known/acme-challenge/t")
    );
    let recorded = server.recorded();
    assert_eq!(
        recorded[0].target,
        "/cps/v2/enrollments/10002/changes/44434"
    );
    assert_eq!(recorded[0].header("accept"), Some(CHANGE_MEDIA_TYPE));
    assert_eq!(recorded[1].target, info);
    assert_eq!(recorded[1].header("accept"), Some(DV_CHALLENGES_MEDIA_TYPE));
}

#[tokio::test]
async fn locations_outside_cps_are_not_followed() {
    let server = TestServer::start(Scripted::json(200, CHANGE)).await;
    let client = client(&server);
    for location in [
        "/papi/v1/groups",
        "/cps/v2/../papi/v1/groups",
        "https://elsewhere.example.com/",
    ] {
        let error = client
            .cps()
            .change_status(location, 10002)
            .await
            .expect_err("not a CPS location");
        assert!(
            matches!(
                error,
                CpsError::Api {
                    error: ApiError::Request { .. },
                    ..
                }
            ),
            "{error:?}"
        );
    }
    assert!(server.recorded().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn forbidden_means_cps_is_not_granted_and_is_not_retried() {
    let server = TestServer::start(Scripted::problem(
        403,
        r#"{"type":"https://problems.luna.akamaiapis.net/-/pep-authz/deny","title":"Forbidden",
        "status":403,"detail":"The client is not authorized to invoke this service.","requestId":"r1"}"#,
    ))
    .await;
    let error = client(&server)
        .cps()
        .enrollment(10002)
        .await
        .expect_err("403");
    assert!(matches!(error, CpsError::NotGranted { .. }), "{error:?}");
    assert!(error.is_permanent());
    let line = error.to_string();
    assert!(
        line.starts_with("CPS is not granted to these credentials"),
        "{line}"
    );
    assert!(line.contains("enrollment 10002") && line.contains("not authorized to invoke"));
    assert!(!line.contains('\n'));
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn not_found_and_not_acceptable_are_typed() {
    let server = TestServer::start(Scripted::problem(
        404,
        r#"{"title":"Not Found","status":404}"#,
    ))
    .await;
    let client = client(&server);
    let error = client.cps().deployments(7).await.expect_err("404");
    assert_eq!(
        error,
        CpsError::NotFound {
            what: "the deployments of enrollment 7".into()
        }
    );
    assert!(error.to_string().contains("deleted"));
    server.script([Scripted::problem(
        406,
        r#"{"title":"Not Acceptable","status":406}"#,
    )]);
    let error = client.cps().enrollment(7).await.expect_err("406");
    assert_eq!(error.http_status(), Some(406));
    assert!(error.to_string().contains(ENROLLMENT_MEDIA_TYPE), "{error}");
    assert_eq!(server.recorded().len(), 2, "neither is retried");
}

#[tokio::test]
async fn server_errors_are_retried_with_fresh_signatures() {
    let server = TestServer::start(Scripted::json(200, ENROLLMENT)).await;
    server.script([
        Scripted::json(503, "busy"),
        Scripted::problem(429, r#"{"title":"Too Many Requests"}"#).header("Retry-After", "0"),
    ]);
    let enrollment = client(&server)
        .cps()
        .enrollment(10002)
        .await
        .expect("third time lucky");
    assert_eq!(enrollment.id, Some(10002));
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|request| request.signature_ok));
    assert_ne!(recorded[0].nonce(), recorded[1].nonce());
}

#[tokio::test]
async fn a_malformed_body_is_an_error_of_that_read() {
    let server = TestServer::start(Scripted::json(200, r#"{"production":{"primaryCert"#)).await;
    let error = client(&server)
        .cps()
        .deployments(1)
        .await
        .expect_err("malformed");
    assert!(
        matches!(
            error,
            CpsError::Api {
                error: ApiError::Decode { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_permanent());
}

#[test]
fn media_types_are_the_documented_versions() {
    // Akamai's published CPS v2 definitions: Enrollment(s) v11, Deployments/Deployment v7,
    // Change v2, DvChallenges v2. A typo here would be a 406 from the real API (every request
    // sent is also held to the published table in tests/cps_reference_requests.rs).
    assert_eq!(
        ENROLLMENT_MEDIA_TYPE,
        "application/vnd.akamai.cps.enrollment.v11+json"
    );
    assert_eq!(
        DEPLOYMENTS_MEDIA_TYPE,
        "application/vnd.akamai.cps.deployments.v7+json"
    );
    assert_eq!(
        DEPLOYMENT_MEDIA_TYPE,
        "application/vnd.akamai.cps.deployment.v7+json"
    );
    assert_eq!(
        CHANGE_MEDIA_TYPE,
        "application/vnd.akamai.cps.change.v2+json"
    );
    assert_eq!(
        DV_CHALLENGES_MEDIA_TYPE,
        "application/vnd.akamai.cps.dv-challenges.v2+json"
    );
}
