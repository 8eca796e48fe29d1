//! Links a hostile CPS hands out (a pending change's `location`, an input's `info` and
//! `update`) with `%2e%2e`, `..\`, encoded slashes, another enrollment or change, another
//! host: none leads a signed call outside the operation it belongs to. The loopback server
//! records every request it was asked; only the change itself (and, for the control, its
//! own challenges) may appear.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use spsdash::cps::input::{Answer, Decision};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::source::Backend;
use support::{Scripted, TestServer};

const CHANGE: &str = "/cps/v2/enrollments/10002/changes/44434";
const INFO: &str = "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges";

const HOSTILE_CHANGES: [&str; 10] = [
    "/cps/v2/enrollments/10002/changes/%2e%2e/%2e%2e/%2e%2e/papi/v1/groups",
    "/cps/v2/enrollments/10002/changes/..\\..\\..\\papi\\v1\\groups",
    "/cps-api/enrollments/10002/changes/44434/%2e%2e/%2e%2e/%2e%2e/%2e%2e/config-secure-provisioning-service/v1/sps-requests",
    "/cps/v2/enrollments/10002/changes/44434%2f..%2f..%2f..%2f..%2fpapi%2fv1%2fgroups",
    "/cps/v2/enrollments/10002/changes/%252e%252e",
    "/cps/v2/enrollments/10003/changes/1",
    "https://elsewhere.example.com/cps/v2/enrollments/10002/changes/44434",
    "//elsewhere.example.com/cps/v2/enrollments/10002/changes/44434",
    "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
    "/CPS/V2/enrollments/10002/changes/44434",
];

const HOSTILE_INPUTS: [&str; 7] = [
    "/cps/v2/enrollments/10002/changes/44434/input/info/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/papi/v1/groups",
    "/cps/v2/enrollments/10002/changes/44434/input/info/..\\..\\..\\..\\..\\papi",
    "/cps/v2/enrollments/10002/changes/44435/input/info/lets-encrypt-challenges",
    "https://elsewhere.example.com/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
    "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges/../../../../../../papi/v1/groups",
    "/cps/v2/enrollments/10002/changes/44434/input/info/a%2f..%2f..%2f..%2f..%2f..%2f..%2fpapi",
    "/cps-api/enrollments/10002/changes/44434/input/update/lets-encrypt-challenges-completed",
];

fn change_with_info(info: &str) -> String {
    serde_json::json!({
        "statusInfo": {"status": "coordinate-domain-validation", "state": "awaiting-input"},
        "allowedInput": [{"type": "lets-encrypt-challenges", "requiredToProceed": false,
            "info": info,
            "update": format!("{CHANGE}/input/update/lets-encrypt-challenges-completed")}]
    })
    .to_string()
}

fn backend(server: &TestServer) -> Backend {
    let options = ClientOptions {
        timeout: Duration::from_secs(5),
        retries: 0,
        backoff: Duration::from_millis(10),
    };
    Backend::new(
        Client::new(server.credentials(), options).expect("loopback http is allowed"),
        spsdash::model::Api::Cps,
    )
}

fn asked(server: &TestServer) -> Vec<String> {
    server
        .recorded()
        .into_iter()
        .map(|request| request.target)
        .collect()
}

#[tokio::test]
async fn hostile_change_locations_are_refused_before_any_call() {
    let server = TestServer::start(Scripted::json(200, &change_with_info(INFO))).await;
    let cps = backend(&server).cps();
    for location in HOSTILE_CHANGES {
        let (calls, read) = cps.read_change(10002, location).await;
        let error = read.err().unwrap_or_else(|| panic!("followed {location}"));
        assert_eq!(calls, 0, "{location}");
        assert!(error.to_string().contains("not followed"), "{error}");
        assert!(
            cps.change_status(location, 10002).await.is_err(),
            "{location}"
        );
        let answer = Answer::decision(Decision::Acknowledge, None);
        assert!(
            cps.plan_answer(
                10002,
                location,
                &format!("{CHANGE}/input/update/x"),
                &answer
            )
            .is_err(),
            "{location}"
        );
    }
    assert_eq!(asked(&server), Vec::<String>::new(), "nothing was asked");
}

#[tokio::test]
async fn hostile_input_links_are_refused_and_only_the_change_is_read() {
    let server = TestServer::start(Scripted::json(200, "{\"dv\": []}")).await;
    let cps = backend(&server).cps();
    // The control: the change's own challenges are followed.
    server.script([Scripted::json(200, &change_with_info(INFO))]);
    let (calls, read) = cps.read_change(10002, CHANGE).await;
    assert_eq!(calls, 2, "{read:?}");
    assert!(read.is_ok(), "{read:?}");
    for link in HOSTILE_INPUTS {
        server.script([Scripted::json(200, &change_with_info(link))]);
        let (_, read) = cps.read_change(10002, CHANGE).await;
        assert!(read.is_err(), "followed {link}");
        // The last one is a fine update link, only not an info link.
        let answer = Answer::decision(Decision::Acknowledge, None);
        assert!(
            link.contains("/input/update/")
                || cps.plan_answer(10002, CHANGE, link, &answer).is_err(),
            "an update link: {link}"
        );
    }
    let asked = asked(&server);
    let expected: Vec<String> = [CHANGE, INFO]
        .into_iter()
        .chain(HOSTILE_INPUTS.iter().map(|_| CHANGE))
        .map(str::to_string)
        .collect();
    assert_eq!(asked, expected, "only the change and its own challenges");
}
