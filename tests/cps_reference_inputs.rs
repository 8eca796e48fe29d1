#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The outside judge for what a change waits for, checked with no spsdash code: each kind of
//! input in the reference world is read at its info link and answered at its update link with
//! the published media types, and the change moves on; deny and DELETE cancel; an answer the
//! change does not wait for now is a 409. Then the failure modes a client must survive, each
//! asked for by a start option: a lost answer (--drop-first-create), 409s
//! (--conflict-first-updates N), a 429 (--throttle-first-write).

mod cps_reference_support;
mod cps_reference_writes_support;

use cps_reference_support::{
    ReferenceServer, body_problems, conformance_problems, writes_available,
};
use cps_reference_writes_support::{
    ACK, ACK_HASH, CHAIN_V2, CHANGE_ID, CHANGE_MANAGEMENT_INFO, CSR, DEPLOYMENT, ENROLLMENT,
    ENROLLMENT_STATUS, WARNINGS, acknowledge, answer, assert_problem, change, change_state,
    enrollment_body, enrollments, get, headers, write,
};
use serde_json::json;

fn assert_all_fit(server: &ReferenceServer) {
    let requests = server.requests();
    let problems = body_problems(&requests);
    assert!(problems.is_empty(), "{problems:#?}");
    for request in requests.iter().filter(|r| (200..300).contains(&r.status)) {
        let problems = conformance_problems(request);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[test]
fn every_kind_of_input_is_read_and_answered_as_published() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);

    // Let's Encrypt: challenges completed -> deploying.
    let dv = "/cps/v2/enrollments/72001/changes/88001";
    let done = acknowledge(
        &server,
        &format!("{dv}/input/update/lets-encrypt-challenges-completed"),
    );
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.header("content-type"), Some(CHANGE_ID));
    assert_eq!(done.json(), json!({"change": dv}));
    let moved = change(&server, dv);
    assert_eq!(moved["statusInfo"]["state"], "running");
    assert_eq!(moved["statusInfo"]["status"], "deploy-to-staging");

    // OV: pre-verification warnings, then the post-verification ones, then deploying.
    let ov = "/cps/v2/enrollments/72002/changes/88002";
    let pre = get(
        &server,
        &format!("{ov}/input/info/pre-verification-warnings"),
        Some(WARNINGS),
    );
    assert!(
        pre.json()["warnings"]
            .as_str()
            .unwrap()
            .contains("checkout"),
        "{pre:?}"
    );
    assert_eq!(
        acknowledge(
            &server,
            &format!("{ov}/input/update/pre-verification-warnings-ack")
        )
        .status,
        200
    );
    let (state, waits) = change_state(&server, ov);
    assert_eq!(
        (state.as_str(), waits.as_deref()),
        (
            "awaiting-input",
            Some("post-verification-warnings-acknowledgement")
        )
    );
    let late = "/cps/v2/enrollments/72103/changes/88103";
    let post = get(
        &server,
        &format!("{late}/input/info/post-verification-warnings"),
        Some(WARNINGS),
    );
    assert!(
        post.json()["warnings"]
            .as_str()
            .unwrap()
            .contains("organization name"),
        "{post:?}"
    );
    assert_eq!(
        acknowledge(
            &server,
            &format!("{late}/input/update/post-verification-warnings-ack")
        )
        .status,
        200
    );
    assert_eq!(change_state(&server, late).0, "running");

    // Change management: the info's hash must come back with the acknowledgement.
    let managed = "/cps/v2/enrollments/72104/changes/88104";
    assert_eq!(
        change(&server, managed)["statusInfo"]["status"],
        "wait-ack-change-management"
    );
    let info = get(
        &server,
        &format!("{managed}/input/info/change-management-info"),
        Some(CHANGE_MANAGEMENT_INFO),
    )
    .json();
    let hash = info["validationResultHash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 40, "{info}");
    assert!(info["acknowledgementDeadline"].is_string(), "{info}");
    let pending = &info["pendingState"]["pendingCertificates"][0];
    assert!(
        pending["fullCertificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert_eq!(pending["certificateType"], "san");
    assert!(
        info["validationResult"]["warnings"][0]["message"].is_string(),
        "{info}"
    );
    let view = get(
        &server,
        &format!("{managed}/input/info/change-management-info"),
        Some(DEPLOYMENT),
    )
    .json();
    assert!(view["primaryCertificate"]["expiry"].is_string(), "{view}");
    assert_eq!(
        view["networkConfiguration"]["dnsNames"],
        json!(["pay.judge-two.example", "pay-api.judge-two.example"])
    );
    let update = format!("{managed}/input/update/change-management-ack");
    let stale = answer(
        &server,
        &update,
        ACK_HASH,
        &json!({"acknowledgement": "acknowledge", "hash": "0"}),
    );
    assert_eq!(assert_problem(&stale, 400)["errors"][0]["field"], "hash");
    let acked = answer(
        &server,
        &update,
        ACK_HASH,
        &json!({"acknowledgement": "acknowledge", "hash": hash}),
    );
    assert_eq!(acked.status, 200, "{acked:?}");
    assert_eq!(
        change_state(&server, managed),
        ("completed".to_string(), None)
    );
    let doc = enrollments(&server, "C-0REF02")
        .into_iter()
        .find(|doc| doc["id"] == 72104)
        .unwrap();
    assert_eq!(doc["pendingChanges"], json!([]));
    // The change moved: the same answer again is a 409.
    assert_problem(&acknowledge(&server, &update), 409);

    // Third party: the CSR, then the certificate and its chain -> verifying.
    let third = "/cps/v2/enrollments/72102/changes/88102";
    let csr = get(
        &server,
        &format!("{third}/input/info/third-party-csr"),
        Some(CSR),
    )
    .json();
    assert!(
        csr["csrs"][0]["csr"]
            .as_str()
            .unwrap()
            .contains("CERTIFICATE REQUEST"),
        "{csr}"
    );
    let certificate = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----";
    let chain = json!({"certificatesAndTrustChains": [
        {"certificate": certificate, "keyAlgorithm": "RSA", "trustChain": null}
    ]});
    let uploaded = answer(
        &server,
        &format!("{third}/input/update/third-party-cert-and-trust-chain"),
        CHAIN_V2,
        &chain,
    );
    assert_eq!(uploaded.status, 200, "{uploaded:?}");
    assert_eq!(
        change(&server, third)["statusInfo"]["status"],
        "verify-third-party-cert"
    );
    assert_all_fit(&server);
}

#[test]
fn deny_and_delete_cancel_and_a_change_that_moved_is_a_409() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let dv = "/cps/v2/enrollments/72001/changes/88001";
    // 72001 waits for its challenges, not for warnings.
    let elsewhere = acknowledge(
        &server,
        &format!("{dv}/input/update/pre-verification-warnings-ack"),
    );
    assert!(
        assert_problem(&elsewhere, 409)["detail"]
            .as_str()
            .unwrap()
            .contains("lets-encrypt-challenges-completed")
    );
    // An acknowledgement-with-hash is not published for challenges: 415, and the checker agrees.
    let wrong = answer(
        &server,
        &format!("{dv}/input/update/lets-encrypt-challenges-completed"),
        ACK_HASH,
        &json!({"acknowledgement": "acknowledge", "hash": "x"}),
    );
    assert_problem(&wrong, 415);
    assert!(!conformance_problems(&server.requests().pop().unwrap()).is_empty());
    // Body controls on an acknowledgement: a wrong enum value, an unknown member.
    for (body, field) in [
        (json!({"acknowledgement": "ok"}), "acknowledgement"),
        (
            json!({"acknowledgement": "acknowledge", "note": "x"}),
            "note",
        ),
        (json!({}), "acknowledgement"),
    ] {
        let refused = answer(
            &server,
            &format!("{dv}/input/update/lets-encrypt-challenges-completed"),
            ACK,
            &body,
        );
        assert_eq!(assert_problem(&refused, 400)["errors"][0]["field"], field);
    }
    assert_eq!(body_problems(&server.requests()).len(), 4);
    server.reset();

    let ov = "/cps/v2/enrollments/72002/changes/88002";
    let denied = answer(
        &server,
        &format!("{ov}/input/update/pre-verification-warnings-ack"),
        ACK,
        &json!({"acknowledgement": "deny"}),
    );
    assert_eq!(denied.status, 200, "{denied:?}");
    assert_eq!(change_state(&server, ov), ("cancelled".to_string(), None));

    let cancelled = write(&server, "DELETE", dv, None, Some(CHANGE_ID), None);
    assert_eq!(cancelled.status, 200, "{cancelled:?}");
    assert_eq!(cancelled.json(), json!({"change": dv}));
    assert_eq!(change_state(&server, dv).0, "cancelled");
    assert_problem(
        &write(&server, "DELETE", dv, None, Some(CHANGE_ID), None),
        409,
    );
    let doc = enrollments(&server, "C-0REF01")
        .into_iter()
        .find(|doc| doc["id"] == 72001)
        .unwrap();
    assert_eq!(doc["pendingChanges"], json!([]));
    assert_all_fit(&server);
}

#[test]
fn a_dropped_answer_still_creates_the_enrollment() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&["--drop-first-create"]);
    let body = enrollment_body("lets-encrypt", "dv", &["lost.judge-one.example"]).to_string();
    let target = "/cps/v2/enrollments?contractId=C-0REF01";
    let sent = headers(Some(ENROLLMENT), Some(ENROLLMENT_STATUS));
    let lost = server.try_send("POST", target, &sent, Some(&body));
    assert!(lost.is_err(), "an answer came: {lost:?}");
    // The work was done: the enrollment is there, with its change.
    let listed = enrollments(&server, "C-0REF01");
    let made = listed
        .iter()
        .find(|doc| doc["id"] == 72201)
        .expect("created without an answer");
    assert_eq!(made["csr"]["cn"], "lost.judge-one.example");
    let recorded = server.requests();
    assert!(
        recorded[0].dropped && recorded[0].status == 202,
        "{recorded:?}"
    );
    // Only the first: the next create is answered.
    let again = server.send("POST", target, &sent, Some(&body));
    assert_eq!(again.status, 202, "{again:?}");
    assert_eq!(again.json()["enrollment"], "/cps/v2/enrollments/72202");
    assert!(!server.requests().last().unwrap().dropped);
    assert_all_fit(&server);
}

#[test]
fn conflict_mode_answers_the_first_updates_409_and_changes_nothing() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&["--conflict-first-updates", "2"]);
    let dv = "/cps/v2/enrollments/72001/changes/88001";
    let update = format!("{dv}/input/update/lets-encrypt-challenges-completed");
    for _ in 0..2 {
        assert_problem(&acknowledge(&server, &update), 409);
        assert_eq!(change_state(&server, dv).0, "awaiting-input");
    }
    assert_eq!(acknowledge(&server, &update).status, 200);
    assert_eq!(change_state(&server, dv).0, "running");
    // A body that does not fit is still a 400, never taken for one of the N.
    let server = ReferenceServer::start(&["--conflict-first-updates", "1"]);
    let refused = answer(&server, &update, ACK, &json!({"acknowledgement": "yes"}));
    assert_problem(&refused, 400);
    assert_problem(&acknowledge(&server, &update), 409);
    assert_eq!(acknowledge(&server, &update).status, 200);
}

#[test]
fn throttle_mode_answers_the_first_write_429_with_retry_after() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&["--throttle-first-write"]);
    assert_eq!(
        enrollments(&server, "C-0REF01").len(),
        3,
        "reads are not throttled"
    );
    let body = enrollment_body("symantec", "ev", &["ev.judge-one.example"]).to_string();
    let target = "/cps/v2/enrollments?contractId=C-0REF01";
    let throttled = write(
        &server,
        "POST",
        target,
        Some(ENROLLMENT),
        Some(ENROLLMENT_STATUS),
        Some(&body),
    );
    assert_problem(&throttled, 429);
    assert_eq!(throttled.header("retry-after"), Some("1"));
    assert_eq!(
        enrollments(&server, "C-0REF01").len(),
        3,
        "nothing was created"
    );
    let taken = write(
        &server,
        "POST",
        target,
        Some(ENROLLMENT),
        Some(ENROLLMENT_STATUS),
        Some(&body),
    );
    assert_eq!(taken.status, 202, "{taken:?}");
    assert_eq!(enrollments(&server, "C-0REF01").len(), 4);
    assert_all_fit(&server);
}
