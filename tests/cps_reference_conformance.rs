#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The outside judge itself is checked here, with no spsdash code: the reference server
//! answers as Akamai's published definitions say CPS and PAPI do, and the conformance checker
//! can fail (control cases) as well as pass.

mod cps_reference_support;

use cps_reference_support::{
    RecordedRequest, ReferenceServer, Response, available, conformance_problems, operations,
    source, writes_available,
};

const AUTH: &str = "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d;signature=e";
const ENROLLMENTS: &str = "application/vnd.akamai.cps.enrollments.v11+json";
const DEPLOYMENTS: &str = "application/vnd.akamai.cps.deployments.v7+json";
const DV_CHALLENGES: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";
const WARNINGS: &str = "application/vnd.akamai.cps.warnings.v1+json";
const CHANGE: &str = "application/vnd.akamai.cps.change.v2+json";
const CHANGE_ID: &str = "application/vnd.akamai.cps.change-id.v1+json";
const ACK: &str = "application/vnd.akamai.cps.acknowledgement.v1+json";
const ENROLLMENT: &str = "application/vnd.akamai.cps.enrollment.v11+json";
const ENROLLMENT_STATUS: &str = "application/vnd.akamai.cps.enrollment-status.v1+json";
const NEW_ENROLLMENT: &str = r#"{"ra": "lets-encrypt", "validationType": "dv",
    "certificateType": "san", "changeManagement": false,
    "enableMultiStackedCertificates": false,
    "csr": {"cn": "new.judge-one.example", "sans": ["new.judge-one.example"]},
    "networkConfiguration": {"geography": "core", "secureNetwork": "enhanced-tls",
        "sniOnly": true, "quicEnabled": false}}"#;

fn get(server: &ReferenceServer, target: &str, accept: Option<&str>) -> Response {
    let mut headers = vec![("Authorization", AUTH)];
    headers.extend(accept.map(|accept| ("Accept", accept)));
    server.send("GET", target, &headers, None)
}

fn assert_problem(response: &Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status, status, "{response:?}");
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json"),
        "{response:?}"
    );
    let problem = response.json();
    for member in ["type", "title", "status", "detail", "instance"] {
        assert!(problem.get(member).is_some(), "{member} missing: {problem}");
    }
    problem
}

#[test]
fn the_server_answers_as_cps_does() {
    if !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);

    let list = get(
        &server,
        "/cps/v2/enrollments?contractId=ctr_C-0REF01",
        Some(ENROLLMENTS),
    );
    assert_eq!(list.status, 200, "{list:?}");
    assert_eq!(list.header("content-type"), Some(ENROLLMENTS));
    assert_eq!(list.json()["enrollments"].as_array().map(Vec::len), Some(3));

    // CPS matches Accept exactly: a wildcard, plain JSON or nothing at all is a 406.
    for accept in [Some("*/*"), Some("application/json"), None] {
        let refused = get(
            &server,
            "/cps/v2/enrollments?contractId=ctr_C-0REF01",
            accept,
        );
        let problem = assert_problem(&refused, 406);
        assert!(
            problem["detail"].as_str().unwrap().contains(ENROLLMENTS),
            "{problem}"
        );
    }
    let v8 = get(
        &server,
        "/cps/v2/enrollments/72001/deployments",
        Some("application/vnd.akamai.cps.deployments.v8+json"),
    );
    assert_problem(&v8, 406);
    assert_eq!(
        get(
            &server,
            "/cps/v2/enrollments/72001/deployments",
            Some(DEPLOYMENTS)
        )
        .status,
        200
    );

    let unknown = get(
        &server,
        "/cps/v2/enrollments?contractId=ctr_NO-SUCH",
        Some(ENROLLMENTS),
    );
    assert_eq!(unknown.status, 200, "{unknown:?}");
    assert_eq!(unknown.json()["enrollments"], serde_json::json!([]));
    assert_problem(&get(&server, "/cps/v2/enrollments", Some(ENROLLMENTS)), 400);

    let sps = "/config-secure-provisioning-service/v1/sps-requests";
    let gone = get(&server, sps, Some("application/json"));
    assert!(
        assert_problem(&gone, 410)["detail"]
            .as_str()
            .unwrap()
            .contains("2023-01-03")
    );
    assert_problem(
        &server.send("POST", sps, &[("Authorization", AUTH)], Some("{}")),
        410,
    );

    let unsigned = server.send(
        "GET",
        "/papi/v1/groups",
        &[("Accept", "application/json")],
        None,
    );
    assert_problem(&unsigned, 401);
    let groups = get(&server, "/papi/v1/groups", None);
    assert_eq!(groups.status, 200, "{groups:?}");
    assert_eq!(
        groups.json()["groups"]["items"].as_array().map(Vec::len),
        Some(3)
    );

    // The log holds every API request with what it was answered, and nothing once reset.
    let log = server.requests();
    assert_eq!(log.len(), 12, "{log:#?}");
    assert_eq!(log[0].accept.as_deref(), Some(ENROLLMENTS));
    assert_eq!(log[0].query, "contractId=ctr_C-0REF01");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].status, 406);
    server.reset();
    assert!(server.requests().is_empty());
}

#[test]
fn sps_live_is_told_apart_from_sps_gone() {
    if !available() {
        return;
    }
    let server = ReferenceServer::start(&["--sps-live"]);
    let live = get(
        &server,
        "/config-secure-provisioning-service/v1/sps-requests",
        None,
    );
    assert_problem(&live, 404);
}

/// A client that follows the definitions, end to end: the server accepts every step, and
/// the checker finds nothing wrong with any of them. This ties the table to the server.
#[test]
fn a_published_flow_is_answered_and_conforms() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let change = "/cps/v2/enrollments/72001/changes/88001";
    assert_eq!(
        get(&server, change, Some(CHANGE)).json()["statusInfo"]["status"],
        "coodinate-domain-validation"
    );
    let info = get(
        &server,
        &format!("{change}/input/info/lets-encrypt-challenges"),
        Some(DV_CHALLENGES),
    );
    assert_eq!(info.json()["dv"].as_array().map(Vec::len), Some(3));
    let wrong_kind = get(
        &server,
        &format!("{change}/input/info/lets-encrypt-challenges"),
        Some(WARNINGS),
    );
    assert_problem(&wrong_kind, 406);
    let warnings = get(
        &server,
        "/cps/v2/enrollments/72002/changes/88002/input/info/pre-verification-warnings",
        Some(WARNINGS),
    );
    assert!(warnings.json()["warnings"].is_string(), "{warnings:?}");

    let ack = server.send(
        "POST",
        &format!("{change}/input/update/lets-encrypt-challenges-completed"),
        &[
            ("Authorization", AUTH),
            ("Accept", CHANGE_ID),
            ("Content-Type", ACK),
        ],
        Some(r#"{"acknowledgement": "acknowledge"}"#),
    );
    assert_eq!(ack.status, 200, "{ack:?}");
    assert_eq!(ack.json()["change"], change);
    assert_eq!(
        get(&server, change, Some(CHANGE)).json()["statusInfo"]["state"],
        "running"
    );

    let created = server.send(
        "POST",
        "/cps/v2/enrollments?contractId=ctr_C-0REF01",
        &[
            ("Authorization", AUTH),
            ("Accept", ENROLLMENT_STATUS),
            ("Content-Type", ENROLLMENT),
        ],
        Some(NEW_ENROLLMENT),
    );
    assert_eq!(created.status, 202, "{created:?}");
    let stray = NEW_ENROLLMENT.replacen('{', r#"{"sans": [], "#, 1);
    let refused = server.send(
        "POST",
        "/cps/v2/enrollments?contractId=ctr_C-0REF01",
        &[
            ("Authorization", AUTH),
            ("Accept", ENROLLMENT_STATUS),
            ("Content-Type", ENROLLMENT),
        ],
        Some(&stray),
    );
    assert_problem(&refused, 400);
    let list = get(
        &server,
        "/cps/v2/enrollments?contractId=ctr_C-0REF01",
        Some(ENROLLMENTS),
    );
    assert_eq!(list.json()["enrollments"].as_array().map(Vec::len), Some(4));

    let edge = server.send(
        "POST",
        "/papi/v1/edgehostnames?contractId=ctr_C-0REF01&groupId=grp_30101",
        &[
            ("Authorization", AUTH),
            ("Content-Type", "application/json"),
        ],
        Some(
            r#"{"productId": "prd_SPM", "domainPrefix": "www.judge-one.example",
                "domainSuffix": "edgekey.net", "ipVersionBehavior": "IPV4",
                "secureNetwork": "ENHANCED_TLS", "certEnrollmentId": 72001}"#,
        ),
    );
    assert_eq!(edge.status, 201, "{edge:?}");
    assert!(
        edge.json()["edgeHostnameLink"]
            .as_str()
            .unwrap()
            .starts_with("/papi/v1/edgehostnames/ehn_")
    );

    // Whatever the server accepted conforms; the one request the checker refuses (the
    // warnings Accept on a challenges info) the server refused too.
    let mut refused = Vec::new();
    for request in server.requests() {
        let problems = conformance_problems(&request);
        if (200..300).contains(&request.status) {
            assert!(problems.is_empty(), "{request:?}: {problems:#?}");
        } else if !problems.is_empty() {
            refused.push(request);
        }
    }
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(
        (refused[0].status, refused[0].accept.as_deref()),
        (406, Some(WARNINGS))
    );
}

#[test]
fn the_checker_flags_what_the_definitions_do_not_publish() {
    let change = "/cps/v2/enrollments/72001/changes/88001";
    let controls = [
        // The definitions publish deployments.v7, whatever Akamai's own clients send.
        RecordedRequest::new("GET", "/cps/v2/enrollments/72001/deployments")
            .accept("application/vnd.akamai.cps.deployments.v8+json"),
        RecordedRequest::new("GET", "/cps/v2/enrollments").accept(ENROLLMENTS),
        RecordedRequest::new("GET", "/cps/v2/enrollments?contractId=").accept(ENROLLMENTS),
        RecordedRequest::new("GET", "/cps-api/enrollments/72002").accept(ENROLLMENT),
        RecordedRequest::new("GET", "/cps/v2/enrollments?contractId=C-0REF01&limit=10")
            .accept(ENROLLMENTS),
        RecordedRequest::new("GET", "/cps/v2/enrollments?contractId=C-0REF01").accept("*/*"),
        RecordedRequest::new("GET", "/cps/v2/enrollments?contractId=C-0REF01"),
        RecordedRequest::new("PATCH", "/cps/v2/enrollments/72001").accept(ENROLLMENT),
        RecordedRequest::new("GET", "/cps/v2/enrollments/abc").accept(ENROLLMENT),
        RecordedRequest::new(
            "GET",
            &format!("{change}/input/info/lets-encrypt-challenges"),
        )
        .accept(WARNINGS),
        RecordedRequest::new("GET", &format!("{change}/input/info/challenges"))
            .accept(DV_CHALLENGES),
        RecordedRequest::new(
            "POST",
            &format!("{change}/input/update/lets-encrypt-challenges-completed"),
        )
        .accept(CHANGE_ID)
        .body(
            "application/vnd.akamai.cps.certificate-and-trust-chain.v2+json",
            "{}",
        ),
        RecordedRequest::new("POST", "/cps/v2/enrollments?contractId=C-0REF01")
            .accept(ENROLLMENT_STATUS),
        RecordedRequest::new("POST", "/cps/v2/enrollments?contractId=C-0REF01")
            .accept(ENROLLMENT_STATUS)
            .body("application/json", NEW_ENROLLMENT),
        RecordedRequest::new("GET", "/cps/v2/enrollments/72001")
            .accept(ENROLLMENT)
            .body(ENROLLMENT, "{}"),
        RecordedRequest::new("GET", "/papi/v1/products"),
        RecordedRequest::new("GET", "/papi/v1/groups").accept("text/html"),
    ];
    for request in controls {
        let problems = conformance_problems(&request);
        assert!(
            !problems.is_empty(),
            "{} should not conform",
            request.describe()
        );
        for problem in &problems {
            assert!(problem.starts_with(&request.describe()), "{problem}");
        }
    }
    let v8 = conformance_problems(
        &RecordedRequest::new("GET", "/cps/v2/enrollments/72001/deployments")
            .accept("application/vnd.akamai.cps.deployments.v8+json"),
    );
    assert!(
        v8[0].contains("deployments.v8") && v8[0].contains("deployments.v7"),
        "{v8:?}"
    );
}

#[test]
fn the_checker_passes_the_published_forms() {
    let info = "/cps/v2/enrollments/72001/changes/88001/input/info";
    let update = "/cps/v2/enrollments/72001/changes/88001/input/update";
    let good = [
        RecordedRequest::new("GET", "/cps/v2/enrollments?contractId=C-0REF01").accept(ENROLLMENTS),
        RecordedRequest::new(
            "GET",
            "/cps/v2/enrollments?contractId=C-0REF01&accountSwitchKey=1-A:1-B",
        )
        .accept(ENROLLMENTS),
        RecordedRequest::new("GET", "/cps/v2/enrollments/72001/deployments").accept(DEPLOYMENTS),
        RecordedRequest::new("GET", "/cps/v2/enrollments/72001/deployments/production")
            .accept("application/vnd.akamai.cps.deployment.v7+json"),
        RecordedRequest::new("GET", &format!("{info}/lets-encrypt-challenges"))
            .accept(DV_CHALLENGES),
        RecordedRequest::new("GET", &format!("{info}/lets-encrypt-challenges"))
            .accept("application/vnd.akamai.cps.dv-challenges.v1+json"),
        RecordedRequest::new("GET", &format!("{info}/post-verification-warnings")).accept(WARNINGS),
        RecordedRequest::new("GET", &format!("{info}/third-party-csr"))
            .accept("application/vnd.akamai.cps.csr.v2+json"),
        RecordedRequest::new("GET", &format!("{info}/change-management-info"))
            .accept("application/vnd.akamai.cps.change-management-info.v5+json"),
        RecordedRequest::new("POST", &format!("{update}/pre-verification-warnings-ack"))
            .accept(CHANGE_ID)
            .body(ACK, r#"{"acknowledgement": "acknowledge"}"#),
        RecordedRequest::new("POST", &format!("{update}/change-management-ack"))
            .accept(CHANGE_ID)
            .body(
                "application/vnd.akamai.cps.acknowledgement-with-hash.v1+json",
                "{}",
            ),
        RecordedRequest::new("DELETE", "/cps/v2/enrollments/72001/changes/88001").accept(CHANGE_ID),
        RecordedRequest::new(
            "PUT",
            "/cps/v2/enrollments/72001?allow-cancel-pending-changes=true",
        )
        .accept(ENROLLMENT_STATUS)
        .body(ENROLLMENT, NEW_ENROLLMENT),
        RecordedRequest::new("GET", "/papi/v1/groups"),
        RecordedRequest::new("GET", "/papi/v1/contracts").accept("application/json"),
        RecordedRequest::new("GET", "/papi/v1/products?contractId=ctr_C-0REF01").accept("*/*"),
        RecordedRequest::new(
            "POST",
            "/papi/v1/edgehostnames?contractId=ctr_C-0REF01&groupId=grp_30101",
        )
        .body("application/json", "{}"),
    ];
    for request in good {
        let problems = conformance_problems(&request);
        assert!(problems.is_empty(), "{}: {problems:#?}", request.describe());
    }
}

#[test]
fn the_table_says_where_it_comes_from() {
    let source = source();
    assert!(
        source["repository"]
            .as_str()
            .unwrap()
            .ends_with("akamai/akamai-apis"),
        "{source}"
    );
    let commit = source["commit"].as_str().unwrap();
    assert!(
        commit.len() == 40 && commit.bytes().all(|byte| byte.is_ascii_hexdigit()),
        "{commit}"
    );
    let cps = operations()
        .iter()
        .filter(|op| op["path"].as_str().unwrap().starts_with("/cps/v2/"));
    assert_eq!(cps.count(), 17);
    assert_eq!(operations().len(), 22);
}
