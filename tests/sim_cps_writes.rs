//! The simulator takes the CPS and PAPI writes spsdash sends, signed, in the media types of
//! Akamai's published definitions (written out here, not taken from any spsdash module):
//! enrollments created and replaced, the input a change waits for given or denied, edge
//! hostnames on an enrollment; bodies checked against the published schemas with the field
//! named; and the world moves after each write as it moves by itself.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use serde_json::{Value, json};
use sim_support::*;
use spsdash::sim::RunningSim;

const ENROLLMENTS: &str = "application/vnd.akamai.cps.enrollments.v11+json";
const ENROLLMENT: &str = "application/vnd.akamai.cps.enrollment.v11+json";
const ENROLLMENT_STATUS: &str = "application/vnd.akamai.cps.enrollment-status.v1+json";
const CHANGE: &str = "application/vnd.akamai.cps.change.v2+json";
const CHANGE_ID: &str = "application/vnd.akamai.cps.change-id.v1+json";
const ACKNOWLEDGEMENT: &str = "application/vnd.akamai.cps.acknowledgement.v1+json";
const ACKNOWLEDGEMENT_WITH_HASH: &str =
    "application/vnd.akamai.cps.acknowledgement-with-hash.v1+json";
const CERTIFICATE_AND_TRUST_CHAIN: &str =
    "application/vnd.akamai.cps.certificate-and-trust-chain.v2+json";
const DV_CHALLENGES: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";
const WARNINGS: &str = "application/vnd.akamai.cps.warnings.v1+json";
const CHANGE_MANAGEMENT_INFO: &str = "application/vnd.akamai.cps.change-management-info.v5+json";
const CHANGE_MANAGEMENT_INFO_V4: &str = "application/vnd.akamai.cps.change-management-info.v4+json";
const CSR: &str = "application/vnd.akamai.cps.csr.v2+json";
const CHANGE_HISTORY: &str = "application/vnd.akamai.cps.change-history.v5+json";
const PROBLEM: &str = "application/problem+json";
const CONTRACT: &str = "C-1EXMPL";

/// An enrollment body with the published required members and the usual optional ones.
fn enrollment_body(ra: &str, validation: &str, names: &[&str]) -> Value {
    json!({
        "ra": ra,
        "validationType": validation,
        "certificateType": if ra == "third-party" { "third-party" } else { "san" },
        "changeManagement": false,
        "enableMultiStackedCertificates": false,
        "signatureAlgorithm": "SHA-256",
        "csr": { "cn": names[0], "sans": names, "c": "US", "st": "MA", "l": "Cambridge",
                 "o": "Example Corp", "ou": "Web" },
        "networkConfiguration": {
            "geography": "core", "secureNetwork": "enhanced-tls", "sniOnly": true,
            "quicEnabled": false,
            "dnsNameSettings": { "cloneDnsNames": true, "dnsNames": names },
        },
        "org": { "name": "Example Corp", "addressLineOne": "1 Main St", "city": "Cambridge",
                 "region": "MA", "postalCode": "02142", "country": "US",
                 "phone": "+1 617 555 0100" },
        "adminContact": { "firstName": "Ann", "lastName": "Admin", "email": "ann@example.com",
                          "phone": "+1 617 555 0101" },
        "techContact": { "firstName": "Tom", "lastName": "Tech", "email": "tom@example.com",
                         "phone": "+1 617 555 0102" },
    })
}

async fn create(sim: &RunningSim, body: &Value) -> Answer {
    Call::write(
        "POST",
        format!("/cps/v2/enrollments?contractId={CONTRACT}"),
        body.to_string(),
        ENROLLMENT,
        ENROLLMENT_STATUS,
    )
    .send(sim)
    .await
}

/// Creates an enrollment and returns its path and its change's path.
async fn created(sim: &RunningSim, body: &Value) -> (String, String) {
    let answer = create(sim, body).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(answer.content_type, ENROLLMENT_STATUS);
    let status = answer.json();
    let enrollment = status["enrollment"].as_str().unwrap().to_string();
    let changes = status["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{status}");
    let change = changes[0].as_str().unwrap().to_string();
    assert!(
        change.starts_with(&format!("{enrollment}/changes/")),
        "{status}"
    );
    (enrollment, change)
}

async fn read(sim: &RunningSim, path: &str, media_type: &str) -> Value {
    let answer = Call::get_as(path, media_type).send(sim).await;
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(answer.content_type, media_type, "{path}");
    answer.json()
}

/// `(state, status)` of a change.
async fn where_is(sim: &RunningSim, change: &str) -> (String, String) {
    let change = read(sim, change, CHANGE).await;
    let text = |name: &str| change["statusInfo"][name].as_str().unwrap().to_string();
    (text("state"), text("status"))
}

/// The `allowedInput` entry of `kind` the change offers now.
async fn offered(sim: &RunningSim, change: &str, kind: &str) -> Value {
    let read = read(sim, change, CHANGE).await;
    read["allowedInput"]
        .as_array()
        .unwrap()
        .iter()
        .find(|input| input["type"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("{change} offers no {kind}: {read}"))
}

/// POSTs `body` to a change's `update` link.
async fn give(sim: &RunningSim, update: &str, content_type: &str, body: &Value) -> Answer {
    Call::write("POST", update, body.to_string(), content_type, CHANGE_ID)
        .send(sim)
        .await
}

fn acknowledge() -> Value {
    json!({ "acknowledgement": "acknowledge" })
}

fn enrollment_id(path: &str) -> u64 {
    path.rsplit('/').next().unwrap().parse().unwrap()
}

/// The listed enrollment with this path's id.
async fn listed(sim: &RunningSim, path: &str) -> Option<Value> {
    let list = read(
        sim,
        &format!("/cps/v2/enrollments?contractId={CONTRACT}"),
        ENROLLMENTS,
    )
    .await;
    list["enrollments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|enrollment| enrollment["id"] == json!(enrollment_id(path)))
        .cloned()
}

fn error_fields(answer: &Answer) -> Vec<String> {
    assert_eq!(answer.content_type, PROBLEM, "{}", answer.body);
    answer.json()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {}", answer.body))
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_dv_enrollment_created_is_listed_waits_for_every_challenge_and_moves_once_served() {
    let sim = stopped_sim().await;
    let names = ["writes-shop.example.com", "www.writes-shop.example.com"];
    let (enrollment, change) = created(&sim, &enrollment_body("lets-encrypt", "dv", &names)).await;
    let listed_now = listed(&sim, &enrollment).await.expect("listed at once");
    assert_eq!(listed_now["ra"], "lets-encrypt");
    assert_eq!(listed_now["csr"]["sans"], json!(names));
    assert_eq!(
        listed_now["pendingChanges"],
        json!([{ "location": change, "changeType": "new-certificate" }])
    );
    assert_eq!(
        listed_now["org"]["name"], "Example Corp",
        "what was written is echoed"
    );
    sim.advance(5 * 60);
    assert_eq!(
        where_is(&sim, &change).await,
        (
            "awaiting-input".into(),
            "coodinate-domain-validation".into()
        )
    );
    let input = offered(&sim, &change, "lets-encrypt-challenges").await;
    let challenges = read(&sim, input["info"].as_str().unwrap(), DV_CHALLENGES).await;
    let dv = challenges["dv"].as_array().unwrap();
    assert_eq!(dv.len(), 2, "{challenges}");
    for (entry, name) in dv.iter().zip(names) {
        assert_eq!(entry["domain"], name);
        assert_eq!(entry["status"], "Awaiting user", "nothing is served yet");
        let kinds: Vec<&str> = entry["challenges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|challenge| challenge["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["http-01", "dns-01"]);
    }
    // Telling CPS the tokens are in place moves nothing by itself: it checks them.
    let told = give(
        &sim,
        input["update"].as_str().unwrap(),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(told.status, 200, "{}", told.body);
    assert_eq!(told.json(), json!({ "change": change }));
    sim.advance(10 * 60);
    assert_eq!(
        where_is(&sim, &change).await.1,
        "coodinate-domain-validation"
    );
    for name in names {
        let served = hook(&sim, "POST", &format!("/_sim/validate?domain={name}")).await;
        assert_eq!(served.status, 200, "{}", served.body);
        assert_eq!(
            served.json()["enrollmentIds"],
            json!([enrollment_id(&enrollment)])
        );
    }
    sim.advance(2 * 60);
    assert_ne!(
        where_is(&sim, &change).await.1,
        "coodinate-domain-validation"
    );
    sim.advance(30 * 60);
    assert_eq!(
        where_is(&sim, &change).await,
        ("completed".into(), "complete".into())
    );
    let listed_later = listed(&sim, &enrollment).await.unwrap();
    assert_eq!(listed_later["pendingChanges"], json!([]));
    let deployments = read(
        &sim,
        &format!("{enrollment}/deployments"),
        "application/vnd.akamai.cps.deployments.v7+json",
    )
    .await;
    assert_eq!(
        deployments["production"]["networkConfiguration"]["dnsNames"],
        json!(names)
    );
}

#[tokio::test]
async fn an_ov_enrollment_waits_for_its_warnings_to_be_acknowledged_once() {
    let sim = stopped_sim().await;
    let (_, change) = created(
        &sim,
        &enrollment_body("symantec", "ov", &["portal.example.com"]),
    )
    .await;
    assert_eq!(
        where_is(&sim, &change).await.1,
        "pre-verification-safety-checks"
    );
    sim.advance(5 * 60);
    assert_eq!(
        where_is(&sim, &change).await,
        (
            "awaiting-input".into(),
            "wait-review-pre-verification-safety-checks".into()
        )
    );
    let input = offered(&sim, &change, "pre-verification-warnings-acknowledgement").await;
    assert_eq!(input["requiredToProceed"], true);
    let warnings = read(&sim, input["info"].as_str().unwrap(), WARNINGS).await;
    assert!(
        warnings["warnings"]
            .as_str()
            .unwrap()
            .contains("portal.example.com"),
        "{warnings}"
    );
    let update = input["update"].as_str().unwrap().to_string();
    assert!(update.ends_with("/input/update/pre-verification-warnings-ack"));
    let answer = give(&sim, &update, ACKNOWLEDGEMENT, &acknowledge()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, CHANGE_ID);
    assert_eq!(
        where_is(&sim, &change).await,
        ("running".into(), "wait-ca-validation".into())
    );
    // The change moved on: the same acknowledgement again is stale.
    let again = give(&sim, &update, ACKNOWLEDGEMENT, &acknowledge()).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.content_type, PROBLEM);
    assert!(
        again.json()["type"]
            .as_str()
            .unwrap()
            .ends_with("/cps/v2/error-types/invalid-enrollment-state"),
        "{}",
        again.body
    );
    sim.advance(4 * 24 * 3600);
    assert_eq!(where_is(&sim, &change).await.0, "completed");
}

#[tokio::test]
async fn denying_cancels_the_change_and_the_enrollment_has_none_pending() {
    let sim = stopped_sim().await;
    let (enrollment, change) = created(
        &sim,
        &enrollment_body("symantec", "ev", &["bank.example.com"]),
    )
    .await;
    sim.advance(5 * 60);
    let input = offered(&sim, &change, "pre-verification-warnings-acknowledgement").await;
    let denied = give(
        &sim,
        input["update"].as_str().unwrap(),
        ACKNOWLEDGEMENT,
        &json!({ "acknowledgement": "deny" }),
    )
    .await;
    assert_eq!(denied.status, 200, "{}", denied.body);
    assert_eq!(
        where_is(&sim, &change).await,
        ("cancelled".into(), "cancelled".into())
    );
    let read_back = read(&sim, &enrollment, ENROLLMENT).await;
    assert_eq!(read_back["pendingChanges"], json!([]));
    assert_eq!(read_back["validationType"], "ev");
    let history = read(
        &sim,
        &format!("{enrollment}/history/changes"),
        CHANGE_HISTORY,
    )
    .await;
    assert_eq!(history["changes"][0]["status"], "cancelled");
    let stale = give(
        &sim,
        input["update"].as_str().unwrap(),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
}

#[tokio::test]
async fn change_management_takes_the_hash_its_info_gives_and_no_other() {
    let sim = stopped_sim().await;
    let mut body = enrollment_body("lets-encrypt", "dv", &["cm.example.com"]);
    body["changeManagement"] = json!(true);
    let (_, change) = created(&sim, &body).await;
    sim.advance(5 * 60);
    sim.validate_domain("cm.example.com");
    sim.advance(20 * 60);
    assert_eq!(
        where_is(&sim, &change).await,
        ("awaiting-input".into(), "wait-ack-change-management".into())
    );
    let input = offered(&sim, &change, "change-management").await;
    let info = read(
        &sim,
        input["info"].as_str().unwrap(),
        CHANGE_MANAGEMENT_INFO,
    )
    .await;
    let hash = info["validationResultHash"].as_str().unwrap().to_string();
    assert!(info["acknowledgementDeadline"].is_string(), "{info}");
    let pending = &info["pendingState"]["pendingCertificates"][0];
    assert!(
        pending["fullCertificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    // The version Akamai's mapping page names, and the deployment staging has.
    let info_link = input["info"].as_str().unwrap();
    let v4 = read(&sim, info_link, CHANGE_MANAGEMENT_INFO_V4).await;
    assert_eq!(v4["validationResultHash"], json!(hash));
    assert!(
        v4["pendingState"]["pendingCertificate"]["fullCertificate"].is_string(),
        "{v4}"
    );
    let staged = read(
        &sim,
        info_link,
        "application/vnd.akamai.cps.deployment.v8+json",
    )
    .await;
    assert_eq!(
        staged["networkConfiguration"]["dnsNames"],
        json!(["cm.example.com"])
    );
    let update = input["update"].as_str().unwrap().to_string();
    assert!(update.ends_with("/input/update/change-management-ack"));
    let wrong = give(
        &sim,
        &update,
        ACKNOWLEDGEMENT_WITH_HASH,
        &json!({ "acknowledgement": "acknowledge", "hash": "24fb6fb91d290370c13a39e76afc1b26" }),
    )
    .await;
    assert_eq!(wrong.status, 409, "{}", wrong.body);
    assert_eq!(
        where_is(&sim, &change).await.1,
        "wait-ack-change-management"
    );
    let right = give(
        &sim,
        &update,
        ACKNOWLEDGEMENT_WITH_HASH,
        &json!({ "acknowledgement": "acknowledge", "hash": hash }),
    )
    .await;
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(
        where_is(&sim, &change).await,
        ("running".into(), "deploy-to-production".into())
    );
    sim.advance(15 * 60);
    assert_eq!(where_is(&sim, &change).await.0, "completed");
}

#[tokio::test]
async fn a_third_party_change_moves_on_once_its_certificate_is_uploaded() {
    let sim = stopped_sim().await;
    let (_, change) = created(
        &sim,
        &enrollment_body("third-party", "third-party", &["legacy.example.com"]),
    )
    .await;
    sim.advance(5 * 60);
    let input = offered(&sim, &change, "third-party-certificate").await;
    let csr = read(&sim, input["info"].as_str().unwrap(), CSR).await;
    assert!(
        csr["csrs"][0]["csr"]
            .as_str()
            .unwrap()
            .contains("CERTIFICATE REQUEST")
    );
    let v1 = read(
        &sim,
        input["info"].as_str().unwrap(),
        "application/vnd.akamai.cps.csr.v1+json",
    )
    .await;
    assert_eq!(v1["csr"], csr["csrs"][0]["csr"]);
    let update = input["update"].as_str().unwrap().to_string();
    let nothing = give(
        &sim,
        &update,
        CERTIFICATE_AND_TRUST_CHAIN,
        &json!({ "certificatesAndTrustChains": [{ "certificate": null, "keyAlgorithm": "RSA" }] }),
    )
    .await;
    assert_eq!(nothing.status, 400, "{}", nothing.body);
    assert_eq!(
        error_fields(&nothing),
        ["certificatesAndTrustChains[0].certificate"]
    );
    let wrong_type = give(&sim, &update, ACKNOWLEDGEMENT, &acknowledge()).await;
    assert_eq!(wrong_type.status, 415, "{}", wrong_type.body);
    let uploaded = give(
        &sim,
        &update,
        CERTIFICATE_AND_TRUST_CHAIN,
        &json!({ "certificatesAndTrustChains": [{
            "certificate": "-----BEGIN CERTIFICATE-----\nU0lN\n-----END CERTIFICATE-----",
            "keyAlgorithm": "RSA",
            "trustChain": "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----",
        }] }),
    )
    .await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert_eq!(
        where_is(&sim, &change).await,
        ("running".into(), "deploy-to-staging".into())
    );
}

async fn put(sim: &RunningSim, path: &str, body: &Value) -> Answer {
    Call::write("PUT", path, body.to_string(), ENROLLMENT, ENROLLMENT_STATUS)
        .send(sim)
        .await
}

#[tokio::test]
async fn adding_sans_with_put_starts_a_change_that_waits_for_the_new_names_only() {
    let sim = stopped_sim().await;
    let names = ["blog.example.com"];
    let (enrollment, first) = created(&sim, &enrollment_body("lets-encrypt", "dv", &names)).await;
    sim.advance(5 * 60);
    sim.validate_domain("blog.example.com");
    sim.advance(40 * 60);
    assert_eq!(where_is(&sim, &first).await.0, "completed");
    let mut body = read(&sim, &enrollment, ENROLLMENT).await;
    body["csr"]["sans"] = json!(["blog.example.com", "news.example.com"]);
    let answer = put(&sim, &enrollment, &body).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(answer.content_type, ENROLLMENT_STATUS);
    let second = answer.json()["changes"][0].as_str().unwrap().to_string();
    assert_ne!(second, first);
    let read_back = read(&sim, &enrollment, ENROLLMENT).await;
    assert_eq!(
        read_back["pendingChanges"],
        json!([{ "location": second, "changeType": "modify-san" }])
    );
    sim.advance(5 * 60);
    let input = offered(&sim, &second, "lets-encrypt-challenges").await;
    let challenges = read(&sim, input["info"].as_str().unwrap(), DV_CHALLENGES).await;
    let domains: Vec<&str> = challenges["dv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["news.example.com"]);

    // Another name while that change is pending needs the published flag.
    body["csr"]["sans"] = json!(["blog.example.com", "news.example.com", "tv.example.com"]);
    let refused = put(&sim, &enrollment, &body).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.detail().contains("allow-cancel-pending-changes"),
        "{}",
        refused.body
    );
    let allowed = put(
        &sim,
        &format!("{enrollment}?allow-cancel-pending-changes=true"),
        &body,
    )
    .await;
    assert_eq!(allowed.status, 202, "{}", allowed.body);
    assert_eq!(where_is(&sim, &second).await.0, "cancelled");

    // A contact alone needs no new certificate: 200 and no change.
    body["techContact"]["phone"] = json!("+1 617 555 0199");
    let third = allowed.json()["changes"][0].as_str().unwrap().to_string();
    let plain = put(&sim, &enrollment, &body).await;
    assert_eq!(plain.status, 200, "{}", plain.body);
    assert_eq!(
        plain.json(),
        json!({ "enrollment": enrollment, "changes": [] })
    );
    assert_eq!(where_is(&sim, &third).await.0, "running");
    let read_back = read(&sim, &enrollment, ENROLLMENT).await;
    assert_eq!(read_back["techContact"]["phone"], "+1 617 555 0199");
}

#[tokio::test]
async fn a_body_against_the_schema_is_refused_naming_the_field_and_creates_nothing() {
    let sim = stopped_sim().await;
    let before = read(
        &sim,
        &format!("/cps/v2/enrollments?contractId={CONTRACT}"),
        ENROLLMENTS,
    )
    .await["enrollments"]
        .as_array()
        .unwrap()
        .len();
    let good = enrollment_body("lets-encrypt", "dv", &["x.example.com"]);
    let mut missing = good.clone();
    missing["csr"].as_object_mut().unwrap().remove("cn");
    let mut no_network = good.clone();
    no_network
        .as_object_mut()
        .unwrap()
        .remove("networkConfiguration");
    let mut wrong_enum = good.clone();
    wrong_enum["networkConfiguration"]["geography"] = json!("mars");
    let mut unknown = good.clone();
    unknown["colour"] = json!("blue");
    let mut nested_unknown = good.clone();
    nested_unknown["networkConfiguration"]["dnsNameSettings"]["wildcards"] = json!(true);
    let mut wrong_type = good.clone();
    wrong_type["changeManagement"] = json!("yes");
    for (body, field) in [
        (missing, "csr.cn"),
        (no_network, "networkConfiguration"),
        (wrong_enum, "networkConfiguration.geography"),
        (unknown, "colour"),
        (
            nested_unknown,
            "networkConfiguration.dnsNameSettings.wildcards",
        ),
        (wrong_type, "changeManagement"),
    ] {
        let answer = create(&sim, &body).await;
        assert_eq!(answer.status, 400, "{field}: {}", answer.body);
        assert_eq!(error_fields(&answer), [field]);
        assert!(answer.detail().contains(field), "{}", answer.body);
        assert_eq!(answer.json()["status"], 400);
    }
    let not_json = Call::write(
        "POST",
        format!("/cps/v2/enrollments?contractId={CONTRACT}"),
        "{\"ra\": ",
        ENROLLMENT,
        ENROLLMENT_STATUS,
    )
    .send(&sim)
    .await;
    assert_eq!(not_json.status, 400, "{}", not_json.body);
    let after = read(
        &sim,
        &format!("/cps/v2/enrollments?contractId={CONTRACT}"),
        ENROLLMENTS,
    )
    .await["enrollments"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before);
}

#[tokio::test]
async fn writes_want_their_media_types_406_before_415() {
    let sim = stopped_sim().await;
    let body = enrollment_body("lets-encrypt", "dv", &["m.example.com"]).to_string();
    let path = format!("/cps/v2/enrollments?contractId={CONTRACT}");
    let wrong_accept = Call::write(
        "POST",
        &path,
        body.clone(),
        "application/json",
        "application/json",
    )
    .send(&sim)
    .await;
    assert_eq!(wrong_accept.status, 406, "{}", wrong_accept.body);
    assert_eq!(wrong_accept.content_type, PROBLEM);
    assert!(wrong_accept.detail().contains(ENROLLMENT_STATUS));
    let wrong_type = Call::write(
        "POST",
        &path,
        body.clone(),
        "application/json",
        ENROLLMENT_STATUS,
    )
    .send(&sim)
    .await;
    assert_eq!(wrong_type.status, 415, "{}", wrong_type.body);
    assert!(
        wrong_type.detail().contains(ENROLLMENT),
        "{}",
        wrong_type.body
    );
    let (enrollment, change) = created(
        &sim,
        &enrollment_body("symantec", "ov", &["media.example.com"]),
    )
    .await;
    let wrong_put = Call::write(
        "PUT",
        &enrollment,
        body,
        "application/json",
        ENROLLMENT_STATUS,
    )
    .send(&sim)
    .await;
    assert_eq!(wrong_put.status, 415, "{}", wrong_put.body);
    sim.advance(5 * 60);
    let update = format!("{change}/input/update/pre-verification-warnings-ack");
    let ack = acknowledge().to_string();
    let answers = [
        Call::write(
            "POST",
            &update,
            ack.clone(),
            ACKNOWLEDGEMENT,
            "application/json",
        ),
        Call::write(
            "POST",
            &update,
            ack.clone(),
            ACKNOWLEDGEMENT_WITH_HASH,
            CHANGE_ID,
        ),
    ];
    let mut statuses = Vec::new();
    for call in answers {
        statuses.push(call.send(&sim).await.status);
    }
    assert_eq!(statuses, [406, 415]);
    let unknown = give(
        &sim,
        &format!("{change}/input/update/approve-everything"),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let bad_enum = give(
        &sim,
        &update,
        ACKNOWLEDGEMENT,
        &json!({ "acknowledgement": "maybe" }),
    )
    .await;
    assert_eq!(bad_enum.status, 400, "{}", bad_enum.body);
    assert_eq!(error_fields(&bad_enum), ["acknowledgement"]);
}

#[tokio::test]
async fn input_a_change_does_not_wait_for_is_a_conflict() {
    let sim = stopped_sim().await;
    let (_, change) = created(
        &sim,
        &enrollment_body("lets-encrypt", "dv", &["stale.example.com"]),
    )
    .await;
    sim.advance(5 * 60);
    for (update, content_type) in [
        ("pre-verification-warnings-ack", ACKNOWLEDGEMENT),
        ("change-management-ack", ACKNOWLEDGEMENT),
    ] {
        let answer = give(
            &sim,
            &format!("{change}/input/update/{update}"),
            content_type,
            &acknowledge(),
        )
        .await;
        assert_eq!(answer.status, 409, "{update}: {}", answer.body);
        assert!(answer.detail().contains("coodinate-domain-validation"));
    }
    let cancelled = Call {
        method: "DELETE",
        accept: Some(CHANGE_ID.to_string()),
        ..Call::get(change.clone())
    }
    .send(&sim)
    .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(cancelled.json(), json!({ "change": change }));
    let after = give(
        &sim,
        &format!("{change}/input/update/lets-encrypt-challenges-completed"),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(after.status, 409, "{}", after.body);
}

const PAIR_PAPI: &str = "contractId=ctr_C-1EXMPL&groupId=grp_10010";

fn edge_body(prefix: &str, enrollment: Value) -> Value {
    json!({
        "productId": "prd_SPM",
        "domainPrefix": prefix,
        "domainSuffix": "edgekey.net",
        "secureNetwork": "ENHANCED_TLS",
        "ipVersionBehavior": "IPV6_COMPLIANCE",
        "certEnrollmentId": enrollment,
    })
}

async fn create_edge(sim: &RunningSim, body: &Value) -> Answer {
    Call::write(
        "POST",
        format!("/papi/v1/edgehostnames?{PAIR_PAPI}"),
        body.to_string(),
        "application/json",
        "application/json",
    )
    .send(sim)
    .await
}

#[tokio::test]
async fn an_edge_hostname_is_created_on_an_enhanced_tls_enrollment_of_its_contract() {
    let sim = stopped_sim().await;
    let products = Call::get_as(
        "/papi/v1/products?contractId=ctr_C-1EXMPL",
        "application/json",
    )
    .send(&sim)
    .await;
    assert_eq!(products.status, 200, "{}", products.body);
    assert!(
        products.json()["products"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|product| product["productId"] == "prd_SPM")
    );
    let (enrollment, _) = created(
        &sim,
        &enrollment_body("lets-encrypt", "dv", &["edge.example.com"]),
    )
    .await;
    let id = enrollment_id(&enrollment);
    let answer = create_edge(&sim, &edge_body("edge.example.com", json!(id))).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    let link = answer.json()["edgeHostnameLink"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(link.starts_with("/papi/v1/edgehostnames/ehn_"), "{link}");
    assert!(link.ends_with(&format!("?{PAIR_PAPI}")), "{link}");
    let list = Call::get_as(
        format!("/papi/v1/edgehostnames?{PAIR_PAPI}"),
        "application/json",
    )
    .send(&sim)
    .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["edgeHostnames"]["items"].clone();
    assert_eq!(
        items[0]["edgeHostnameDomain"],
        "edge.example.com.edgekey.net"
    );
    assert_eq!(items[0]["ipVersionBehavior"], "IPV6_COMPLIANCE");
    let one = Call::get_as(link, "application/json").send(&sim).await;
    assert_eq!(one.status, 200, "{}", one.body);

    let other_contract = created_in(&sim, "C-2EXSHP", "shop.example.net").await;
    let mut missing = edge_body("edge2.example.com", json!(id));
    missing.as_object_mut().unwrap().remove("ipVersionBehavior");
    for (body, field) in [
        (
            edge_body("edge3.example.com", json!(99_999)),
            "certEnrollmentId",
        ),
        (
            edge_body("edge4.example.com", json!(other_contract)),
            "certEnrollmentId",
        ),
        (edge_body("edge5.example.com", json!(0)), "certEnrollmentId"),
        (edge_body("edge.example.com", json!(id)), "domainPrefix"),
        (missing, "ipVersionBehavior"),
    ] {
        let refused = create_edge(&sim, &body).await;
        assert_eq!(refused.status, 400, "{field}: {}", refused.body);
        assert_eq!(error_fields(&refused), [field], "{}", refused.body);
    }
    let form = Call::write(
        "POST",
        format!("/papi/v1/edgehostnames?{PAIR_PAPI}"),
        edge_body("edge6.example.com", json!(id)).to_string(),
        "application/x-www-form-urlencoded",
        "application/json",
    )
    .send(&sim)
    .await;
    assert_eq!(form.status, 415, "{}", form.body);
}

async fn created_in(sim: &RunningSim, contract: &str, name: &str) -> u64 {
    let answer = Call::write(
        "POST",
        format!("/cps/v2/enrollments?contractId={contract}"),
        enrollment_body("lets-encrypt", "dv", &[name]).to_string(),
        ENROLLMENT,
        ENROLLMENT_STATUS,
    )
    .send(sim)
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    enrollment_id(answer.json()["enrollment"].as_str().unwrap())
}

#[tokio::test]
async fn writes_are_counted_by_route_template() {
    let sim = stopped_sim().await;
    let (enrollment, change) = created(
        &sim,
        &enrollment_body("symantec", "ov", &["count.example.com"]),
    )
    .await;
    sim.advance(5 * 60);
    give(
        &sim,
        &format!("{change}/input/update/pre-verification-warnings-ack"),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    put(
        &sim,
        &enrollment,
        &read(&sim, &enrollment, ENROLLMENT).await,
    )
    .await;
    create_edge(
        &sim,
        &edge_body("count.example.com", json!(enrollment_id(&enrollment))),
    )
    .await;
    let counted = |method: &str, route: &str, status: u16| {
        sim.calls()
            .iter()
            .filter(|call| call.method == method && call.route == route && call.status == status)
            .map(|call| call.count)
            .sum::<u64>()
    };
    assert_eq!(counted("POST", "/cps/v2/enrollments", 202), 1);
    assert_eq!(counted("PUT", "/cps/v2/enrollments/{enrollmentId}", 200), 1);
    assert_eq!(
        counted(
            "POST",
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/update/pre-verification-warnings-ack",
            200
        ),
        1
    );
    assert_eq!(counted("POST", "/papi/v1/edgehostnames", 201), 1);
}

/// The first enrollment of `contract` that `pick` chooses, and its first pending change (on
/// `/cps/v2/`, where its links point).
async fn demo_enrollment(
    sim: &RunningSim,
    contract: &str,
    pick: impl Fn(&Value) -> bool,
) -> (Value, String) {
    let list = read(
        sim,
        &format!("/cps/v2/enrollments?contractId={contract}"),
        ENROLLMENTS,
    )
    .await;
    let enrollment = list["enrollments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|enrollment| pick(enrollment))
        .cloned()
        .unwrap_or_else(|| panic!("no such enrollment in {contract}: {list}"));
    let change = enrollment["pendingChanges"][0]["location"]
        .as_str()
        .unwrap()
        .replacen("/cps-api/", "/cps/v2/", 1);
    (enrollment, change)
}

#[tokio::test]
async fn the_demo_worlds_waiting_changes_take_their_input() {
    let sim = stopped_sim().await;
    let named = |cn: &'static str| move |enrollment: &Value| enrollment["csr"]["cn"] == cn;
    let (_, post) = demo_enrollment(&sim, "C-3EXNEWS", named("press.tv.example")).await;
    let input = offered(&sim, &post, "post-verification-warnings-acknowledgement").await;
    let answer = give(
        &sim,
        input["update"].as_str().unwrap(),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(where_is(&sim, &post).await.1, "deploy-to-staging");

    // Change management also takes a plain acknowledgement.
    let (_, managed) = demo_enrollment(&sim, "C-2EXSHP", named("loyalty.example.net")).await;
    let input = offered(&sim, &managed, "change-management").await;
    let answer = give(
        &sim,
        input["update"].as_str().unwrap(),
        ACKNOWLEDGEMENT,
        &acknowledge(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(where_is(&sim, &managed).await.1, "deploy-to-production");

    // Written the way Akamai's example writes it (`/cps-api/`, a string id), still answered.
    let (legacy, third) =
        demo_enrollment(&sim, "C-2EXSHP", named("partners-b2b.example.net")).await;
    assert!(legacy["id"].is_string(), "{legacy}");
    let input = offered(&sim, &third, "third-party-certificate").await;
    let upload = json!({ "certificate": "-----BEGIN CERTIFICATE-----\nU0lN\n-----END CERTIFICATE-----",
                         "trustChain": null });
    let answer = give(
        &sim,
        input["update"].as_str().unwrap(),
        "application/vnd.akamai.cps.certificate-and-trust-chain.v1+json",
        &upload,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(where_is(&sim, &third).await.1, "deploy-to-staging");
}

#[tokio::test]
async fn enrollments_the_sps_world_made_take_only_a_challenge_acknowledgement() {
    let sim = stopped_sim().await;
    // Changes of SPS-made enrollments are SPS job ids, below the CPS world's own 70001.
    let made = |enrollment: &Value| {
        enrollment["pendingChanges"][0]["location"]
            .as_str()
            .and_then(|location| location.rsplit('/').next())
            .and_then(|id| id.parse::<u64>().ok())
            .is_some_and(|id| id < 70_001)
    };
    let (enrollment, change) = demo_enrollment(&sim, CONTRACT, made).await;
    let path = format!("/cps/v2/enrollments/{}", enrollment["id"]);
    let replaced = put(&sim, &path, &enrollment).await;
    assert_eq!(replaced.status, 409, "{}", replaced.body);
    let state = read(&sim, &change, CHANGE).await;
    let Some(input) = state["allowedInput"].as_array().unwrap().first().cloned() else {
        panic!("the SPS-made change waits for nothing: {state}");
    };
    let update = input["update"].as_str().unwrap();
    let taken = give(&sim, update, ACKNOWLEDGEMENT, &acknowledge()).await;
    assert_eq!(taken.status, 200, "{}", taken.body);
    let denied = give(
        &sim,
        update,
        ACKNOWLEDGEMENT,
        &json!({ "acknowledgement": "deny" }),
    )
    .await;
    assert_eq!(denied.status, 409, "{}", denied.body);
}

#[tokio::test]
async fn query_parameters_are_checked_and_the_deployment_schedule_kept() {
    let sim = stopped_sim().await;
    let body = enrollment_body("lets-encrypt", "dv", &["q.example.com"]).to_string();
    let post = |query: &str| {
        Call::write(
            "POST",
            format!("/cps/v2/enrollments{query}"),
            body.clone(),
            ENROLLMENT,
            ENROLLMENT_STATUS,
        )
    };
    let no_contract = post("").send(&sim).await;
    assert_eq!(no_contract.status, 400, "{}", no_contract.body);
    assert_eq!(error_fields(&no_contract), ["contractId"]);
    let not_granted = post("?contractId=C-9OTHER").send(&sim).await;
    assert_eq!(not_granted.status, 403, "{}", not_granted.body);
    let bad_date = post(&format!("?contractId={CONTRACT}&deploy-not-after=soon"))
        .send(&sim)
        .await;
    assert_eq!(bad_date.status, 400, "{}", bad_date.body);
    assert_eq!(error_fields(&bad_date), ["deploy-not-after"]);
    let scheduled = post(&format!(
        "?contractId=ctr_{CONTRACT}&deploy-not-before=2026-12-24&deploy-not-after=2026-12-31"
    ))
    .send(&sim)
    .await;
    assert_eq!(scheduled.status, 202, "{}", scheduled.body);
    let change = scheduled.json()["changes"][0].as_str().unwrap().to_string();
    let read_change = read(&sim, &change, CHANGE).await;
    assert_eq!(
        read_change["statusInfo"]["deploymentSchedule"],
        json!({ "notBefore": "2026-12-24", "notAfter": "2026-12-31" })
    );
    let enrollment = scheduled.json()["enrollment"].as_str().unwrap().to_string();
    let flag = put(
        &sim,
        &format!("{enrollment}?allow-cancel-pending-changes=yes"),
        &read(&sim, &enrollment, ENROLLMENT).await,
    )
    .await;
    assert_eq!(flag.status, 400, "{}", flag.body);
    assert_eq!(error_fields(&flag), ["allow-cancel-pending-changes"]);
}
