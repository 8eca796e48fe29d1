//! spsdash against an outside judge: the CPS/PAPI reference server written from Akamai's
//! published definitions (`tests/cps_reference/server.py`, never spsdash's simulator). Every
//! one-shot command works on enrollment ids there, every request spsdash sends is held to the
//! table of published operations (method, path, query, Accept, Content-Type), no SPS call is
//! sent when nothing says SPS, and the SPS backend against Akamai's 410 says what to do.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cps_reference_support;

use std::process::Output;

use cps_reference_support::operator::Operator;
use cps_reference_support::{RecordedRequest, ReferenceServer, available, conformance_problems};

const SPS_PATH: &str = "/config-secure-provisioning-service/";

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `args`, expects `code`, returns stdout.
fn expect(operator: &Operator, args: &[&str], code: i32) -> String {
    operator.expect(args, code).0
}

/// Every request recorded: none to SPS, each one a published operation as published.
fn assert_all_published(requests: &[RecordedRequest]) {
    assert!(!requests.is_empty(), "nothing was recorded");
    let sps: Vec<String> = requests
        .iter()
        .filter(|request| request.path.starts_with(SPS_PATH))
        .map(RecordedRequest::describe)
        .collect();
    assert!(sps.is_empty(), "SPS calls were sent: {sps:#?}");
    let problems: Vec<String> = requests.iter().flat_map(conformance_problems).collect();
    assert!(
        problems.is_empty(),
        "requests against the published definitions:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_command_works_on_enrollment_ids_and_sends_only_published_requests() {
    if !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);

    let groups = expect(&operator, &["groups"], 0);
    assert!(
        groups.contains("C-0REF01") && groups.contains("C-0REF02"),
        "{groups}"
    );

    let list = expect(&operator, &["list", "--contract", "ctr_C-0REF01"], 0);
    for wanted in [
        "72001",
        "coodinate-domain-validation",
        "72002",
        "wait-review-pre-verification-safety-checks",
        "72003",
        "no pending change",
    ] {
        assert!(list.contains(wanted), "`{wanted}` in:\n{list}");
    }

    let json = expect(&operator, &["--json", "list", "--contract", "C-0REF01"], 0);
    let listed: serde_json::Value = serde_json::from_str(&json).expect("only JSON");
    let dv = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["id"] == 72001)
        .expect("72001 listed");
    assert_eq!(dv["api"], "cps");
    assert_eq!(dv["state"], "awaiting-user");
    assert_eq!(dv["awaiting"], "challenges");
    let www = dv["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|domain| domain["domain"] == "www.judge-one.example")
        .expect("www's challenges");
    assert!(
        www["fullPath"]
            .as_str()
            .unwrap()
            .contains("/.well-known/acme-challenge/")
    );
    assert!(
        www["redirectPath"]
            .as_str()
            .unwrap()
            .contains("dcv.akamai.com")
    );
    assert!(
        www["dns"]["name"]
            .as_str()
            .unwrap()
            .starts_with("_acme-challenge.")
    );

    let show = expect(&operator, &["show", "72001"], 0);
    assert!(show.starts_with("CPS enrollment 72001"), "{show}");
    for wanted in [
        "fullPath",
        "redirectPath",
        "token",
        "dns-01 name",
        "csr.",
        "Change history",
    ] {
        assert!(show.contains(wanted), "`{wanted}` in:\n{show}");
    }
    let warnings = expect(&operator, &["show", "72002"], 0);
    assert!(
        warnings.contains("awaiting you: pre-verification warnings"),
        "{warnings}"
    );

    let rules = expect(&operator, &["redirects", "72001", "--format", "nginx"], 0);
    assert!(
        rules.contains("www.judge-one.example") && rules.contains("dcv.akamai.com"),
        "{rules}"
    );
    let webroot = operator.home().join("webroot");
    std::fs::create_dir(&webroot).expect("the document root");
    let wrote = expect(
        &operator,
        &["webroot", "72001", "--dir", webroot.to_str().unwrap()],
        0,
    );
    assert!(wrote.contains("www.judge-one.example"), "{wrote}");
    let challenge_dir = webroot.join(".well-known/acme-challenge");
    let files = std::fs::read_dir(&challenge_dir)
        .expect("challenge files")
        .count();
    assert!(
        files >= 2,
        "{files} files under {}",
        challenge_dir.display()
    );

    // Nothing serves the challenges here: every pending domain is checked and found not
    // ready (exit 1), none left unsaid.
    let checked = expect(
        &operator,
        &[
            "check",
            "72001",
            "--resolve",
            "www.judge-one.example=127.0.0.1:9",
            "--resolve",
            "judge-one.example=127.0.0.1:9",
        ],
        1,
    );
    assert!(checked.contains("www.judge-one.example"), "{checked}");

    let zone = expect(&operator, &["dns-records", "72001"], 0);
    assert!(
        zone.contains("CPS enrollment 72001") && zone.contains("IN TXT"),
        "{zone}"
    );

    let certs = expect(&operator, &["certs"], 0);
    for wanted in ["72003", "72101", "expired"] {
        assert!(certs.contains(wanted), "`{wanted}` in:\n{certs}");
    }
    let expiring = expect(&operator, &["expiring", "--within", "30d"], 1);
    assert!(
        expiring.contains("72003") && expiring.contains("72101"),
        "{expiring}"
    );

    let waited = operator.run(&[
        "wait",
        "72001",
        "--until",
        "awaiting-user",
        "--timeout",
        "20s",
    ]);
    assert_eq!(waited.status.code(), Some(0), "{:?}", text(&waited));
    let watched = operator.run(&["watch", "--once", "--contract", "C-0REF01"]);
    assert_eq!(watched.status.code(), Some(0), "{:?}", text(&watched));

    assert_all_published(&server.requests());
}

#[test]
fn the_check_of_published_requests_can_fail() {
    if !available() {
        return;
    }
    // A control: the requests spsdash sent, made wrong one way each, are each refused.
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    expect(&operator, &["certs", "--contract", "C-0REF01"], 0);
    let sent = server.requests();
    assert_all_published(&sent);
    let deployments = sent
        .iter()
        .find(|request| request.path.ends_with("/deployments"))
        .expect("a deployments read")
        .clone();
    let older = deployments
        .clone()
        .accept("application/vnd.akamai.cps.deployments.v8+json");
    assert!(!conformance_problems(&older).is_empty());
    let list = sent
        .iter()
        .find(|request| request.path == "/cps/v2/enrollments")
        .expect("a list")
        .clone();
    let mut unscoped = list.clone();
    unscoped.query = String::new();
    assert!(!conformance_problems(&unscoped).is_empty());
}

#[test]
fn with_real_credentials_and_no_flag_nothing_is_asked_of_sps() {
    if !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    expect(&operator, &["list", "--contract", "C-0REF02"], 0);
    expect(&operator, &["show", "72102"], 0);
    expect(&operator, &["expiring", "--within", "30d"], 1);
    assert_all_published(&server.requests());
}

#[test]
fn the_sps_backend_against_410_says_sps_is_gone_once_and_exits_1() {
    if !available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    let output = operator.run(&[
        "--backend",
        "sps",
        "list",
        "--contract",
        "C-0REF01",
        "--group",
        "30101",
    ]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("turned the SPS API off on 2023-01-03") && stderr.contains("--backend cps"),
        "{stderr}"
    );
    let sps: Vec<RecordedRequest> = server
        .requests()
        .into_iter()
        .filter(|request| request.path.starts_with(SPS_PATH))
        .collect();
    assert_eq!(sps.len(), 1, "one call, never retried: {sps:#?}");
    assert_eq!(sps[0].status, 410);
}
