//! The simulator's living CPS world, read over loopback with signed calls and the media types
//! of Akamai's published CPS v2 definitions (written out here, not taken from any spsdash
//! module): enrollments per contract, changes that move with the clock and with served
//! challenges, what waiting changes ask for, deployments and history, `--sps-gone`,
//! `--enrollments N`, and the call statistics by route.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use std::time::{Duration, Instant};

use serde_json::Value;
use sim_support::*;
use spsdash::sim::{RunningSim, SimOptions};

const ENROLLMENTS: &str = "application/vnd.akamai.cps.enrollments.v11+json";
const ENROLLMENT: &str = "application/vnd.akamai.cps.enrollment.v11+json";
const CHANGE: &str = "application/vnd.akamai.cps.change.v2+json";
const DV_CHALLENGES: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";
const WARNINGS: &str = "application/vnd.akamai.cps.warnings.v1+json";
const CHANGE_MANAGEMENT_INFO: &str = "application/vnd.akamai.cps.change-management-info.v5+json";
const CSR: &str = "application/vnd.akamai.cps.csr.v2+json";
const DEPLOYMENTS_V7: &str = "application/vnd.akamai.cps.deployments.v7+json";
const DEPLOYMENTS_V8: &str = "application/vnd.akamai.cps.deployments.v8+json";
const DEPLOYMENT_V7: &str = "application/vnd.akamai.cps.deployment.v7+json";
const CHANGE_HISTORY: &str = "application/vnd.akamai.cps.change-history.v5+json";
const PROBLEM: &str = "application/problem+json";

async fn get_as(sim: &RunningSim, path: &str, media_type: &str) -> Answer {
    Call::get_as(path, media_type).send(sim).await
}

/// The enrollments of `contract`, asserting the list answered as CPS does.
async fn listed(sim: &RunningSim, contract: &str) -> Vec<Value> {
    let answer = get_as(
        sim,
        &format!("/cps/v2/enrollments?contractId={contract}"),
        ENROLLMENTS,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, ENROLLMENTS);
    answer.json()["enrollments"].as_array().unwrap().clone()
}

/// An enrollment's id whether written as a number or, as in Akamai's example, a string.
fn id_of(enrollment: &Value) -> u64 {
    match &enrollment["id"] {
        Value::Number(number) => number.as_u64().unwrap(),
        Value::String(text) => text.parse().unwrap(),
        other => panic!("no id: {other}"),
    }
}

/// The enrollment whose CN is `cn`, from its contract's list.
async fn by_cn(sim: &RunningSim, cn: &str) -> Value {
    for contract in sim.contracts() {
        if let Some(found) = listed(sim, &contract)
            .await
            .into_iter()
            .find(|enrollment| enrollment["csr"]["cn"] == cn)
        {
            return found;
        }
    }
    panic!("no enrollment for {cn}");
}

async fn enrollment(sim: &RunningSim, id: u64) -> Value {
    let answer = get_as(sim, &format!("/cps/v2/enrollments/{id}"), ENROLLMENT).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, ENROLLMENT);
    answer.json()
}

/// The location of the enrollment's (one) pending change, under `/cps/v2/`.
fn pending_change(enrollment: &Value) -> String {
    let location = enrollment["pendingChanges"][0]["location"]
        .as_str()
        .unwrap_or_else(|| panic!("no pending change: {enrollment}"));
    location.replacen("/cps-api/", "/cps/v2/", 1)
}

async fn change(sim: &RunningSim, location: &str) -> Value {
    let answer = get_as(sim, location, CHANGE).await;
    assert_eq!(answer.status, 200, "{location}: {}", answer.body);
    assert_eq!(answer.content_type, CHANGE);
    answer.json()
}

fn state_and_status(change: &Value) -> (String, String) {
    let info = &change["statusInfo"];
    (
        info["state"].as_str().unwrap().to_string(),
        info["status"].as_str().unwrap().to_string(),
    )
}

/// The `info` link of the change's allowed input of `kind`.
fn info_link(change: &Value, kind: &str) -> String {
    change["allowedInput"]
        .as_array()
        .unwrap()
        .iter()
        .find(|input| input["type"] == kind)
        .and_then(|input| input["info"].as_str())
        .unwrap_or_else(|| panic!("no {kind} input: {change}"))
        .to_string()
}

fn count(sim: &RunningSim, route: &str) -> u64 {
    sim.calls()
        .iter()
        .filter(|call| call.route == route)
        .map(|call| call.count)
        .sum()
}

#[tokio::test]
async fn enrollments_are_listed_per_contract_in_their_media_type() {
    let sim = stopped_sim().await;
    let contracts = sim.contracts();
    assert_eq!(contracts, ["C-1EXMPL", "C-2EXSHP", "C-3EXNEWS"]);
    let mut total = 0;
    for contract in &contracts {
        let enrollments = listed(&sim, contract).await;
        assert!(enrollments.len() >= 6, "{contract}: {}", enrollments.len());
        for enrollment in &enrollments {
            let pending = enrollment["pendingChanges"].as_array().unwrap();
            for change in pending {
                assert!(change["location"].as_str().unwrap().contains("/changes/"));
                let kind = change["changeType"].as_str().unwrap();
                assert!(
                    [
                        "new-certificate",
                        "modify-san",
                        "renewal",
                        "modify-certificate"
                    ]
                    .contains(&kind),
                    "{kind}"
                );
            }
        }
        // With PAPI's prefix, the same list.
        let prefixed = listed(&sim, &format!("ctr_{contract}")).await;
        assert_eq!(prefixed.len(), enrollments.len());
        total += enrollments.len();
    }
    assert!(total >= 30, "{total}");

    // One world: the enrollments SPS requests report are listed in their contract, beside
    // the CPS world's own.
    let sps = get(&sim, &format!("{BASE}/sps-requests?{PAIR}")).await;
    let from_sps: Vec<u64> = sps.json()["requestList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|request| request["enrollmentId"].as_u64())
        .collect();
    let ids: Vec<u64> = listed(&sim, "C-1EXMPL").await.iter().map(id_of).collect();
    assert!(!from_sps.is_empty());
    for id in &from_sps {
        // corporate.example.com's enrollment was deleted in CPS since (assets/cps-world.toml).
        if get_as(&sim, &format!("/cps/v2/enrollments/{id}"), ENROLLMENT)
            .await
            .status
            == 200
        {
            assert!(ids.contains(id), "{id} not in {ids:?}");
        }
    }
    let own = by_cn(&sim, "checkout.example.com").await;
    assert!(ids.contains(&id_of(&own)));

    // Written as Akamai's own example writes one: the id a string, the location /cps-api/.
    let third_party = by_cn(&sim, "partners-b2b.example.net").await;
    assert!(third_party["id"].is_string(), "{}", third_party["id"]);
    assert!(
        third_party["location"]
            .as_str()
            .unwrap()
            .starts_with("/cps-api/enrollments/")
    );

    let wrong = get_as(
        &sim,
        "/cps/v2/enrollments?contractId=C-1EXMPL",
        "application/json",
    )
    .await;
    assert_eq!(wrong.status, 406);
    assert_eq!(wrong.content_type, PROBLEM);
    assert!(wrong.detail().contains(ENROLLMENTS), "{}", wrong.detail());
    let older = get_as(
        &sim,
        "/cps/v2/enrollments?contractId=C-1EXMPL",
        "application/vnd.akamai.cps.enrollments.v10+json",
    )
    .await;
    assert_eq!(older.status, 406);

    let without = get_as(&sim, "/cps/v2/enrollments", ENROLLMENTS).await;
    assert_eq!(without.status, 400);
    assert_eq!(without.content_type, PROBLEM);
    assert!(
        without.detail().contains("contractId"),
        "{}",
        without.detail()
    );
    let elsewhere = get_as(&sim, "/cps/v2/enrollments?contractId=C-9NOPE", ENROLLMENTS).await;
    assert_eq!(elsewhere.status, 403);
    let unsigned = Call::get_as("/cps/v2/enrollments?contractId=C-1EXMPL", ENROLLMENTS)
        .send_unsigned(&sim)
        .await;
    assert_eq!(unsigned.status, 401);
}

#[tokio::test]
async fn a_new_certificate_moves_through_its_states_as_the_clock_advances() {
    let sim = stopped_sim().await;
    // Ordered a moment ago, with change management that a colleague acknowledges.
    let portal = by_cn(&sim, "portal.example.com").await;
    let id = id_of(&portal);
    assert_eq!(portal["changeManagement"], true);
    assert_eq!(portal["pendingChanges"][0]["changeType"], "new-certificate");
    let location = pending_change(&portal);
    let nothing = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{id}/deployments"),
        DEPLOYMENTS_V7,
    )
    .await;
    assert_eq!(nothing.json()["production"], Value::Null);

    let mut seen: Vec<(String, String)> = Vec::new();
    for minute in 0..120 {
        let now = state_and_status(&change(&sim, &location).await);
        if seen.last() != Some(&now) {
            seen.push(now.clone());
        }
        if now.0 == "completed" {
            break;
        }
        if minute % 2 == 0 {
            sim.advance(60);
        } else {
            let moved = hook(&sim, "POST", "/_sim/advance?seconds=60").await;
            assert_eq!(moved.status, 200);
        }
    }
    let from_validation: Vec<(&str, &str)> = seen
        .iter()
        .skip_while(|(_, status)| status == "pre-verification-safety-checks")
        .map(|(state, status)| (state.as_str(), status.as_str()))
        .collect();
    assert_eq!(
        from_validation,
        [
            ("awaiting-input", "coodinate-domain-validation"),
            ("running", "deploy-to-staging"),
            ("awaiting-input", "wait-ack-change-management"),
            ("running", "deploy-to-production"),
            ("completed", "complete"),
        ],
        "all seen: {seen:?}"
    );
    let done = enrollment(&sim, id).await;
    assert_eq!(done["pendingChanges"], Value::Array(Vec::new()), "{done}");
    let deployed = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{id}/deployments/production"),
        DEPLOYMENT_V7,
    )
    .await;
    assert_eq!(deployed.status, 200, "{}", deployed.body);
    let names = deployed.json()["networkConfiguration"]["dnsNames"].clone();
    assert_eq!(
        names,
        serde_json::json!(["portal.example.com", "sso.portal.example.com"])
    );
    // One certificate on both networks, a Let's Encrypt one: 90 days.
    let both = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{id}/deployments"),
        DEPLOYMENTS_V8,
    )
    .await;
    let expiry = |network: &str| both.json()[network]["primaryCertificate"]["expiry"].clone();
    assert_eq!(expiry("production"), expiry("staging"));
    let expires =
        chrono::DateTime::parse_from_rfc3339(expiry("production").as_str().unwrap()).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - sim.clock.now()).num_days();
    assert!((88..=90).contains(&days), "{days} days");
}

#[tokio::test]
async fn serving_a_challenge_moves_a_dv_change_on() {
    let sim = stopped_sim().await;
    let members = by_cn(&sim, "members.example.com").await;
    let id = id_of(&members);
    let location = pending_change(&members);
    let waiting = change(&sim, &location).await;
    assert_eq!(
        state_and_status(&waiting),
        (
            "awaiting-input".to_string(),
            "coodinate-domain-validation".to_string()
        )
    );
    let input = &waiting["allowedInput"][0];
    assert_eq!(input["type"], "lets-encrypt-challenges");
    assert!(
        input["update"]
            .as_str()
            .unwrap()
            .ends_with("/input/update/lets-encrypt-challenges-completed")
    );
    let info = info_link(&waiting, "lets-encrypt-challenges");
    let challenges = get_as(&sim, &info, DV_CHALLENGES).await;
    assert_eq!(challenges.status, 200, "{}", challenges.body);
    assert_eq!(challenges.content_type, DV_CHALLENGES);
    let dv = challenges.json()["dv"].as_array().unwrap().clone();
    assert_eq!(dv.len(), 3);
    let open = dv
        .iter()
        .find(|domain| domain["validationStatus"] != "VALIDATED")
        .expect("one domain waits");
    assert_eq!(open["domain"], "login.members.example.com");
    assert_eq!(open["status"], "Awaiting user");
    for member in ["requestTimestamp", "expires", "error", "validatedTimestamp"] {
        assert!(open.get(member).is_some(), "{member} missing: {open}");
    }
    let http = &open["challenges"][0];
    assert_eq!(http["type"], "http-01");
    let token = http["token"].as_str().unwrap();
    assert_eq!(
        http["fullPath"],
        format!("http://login.members.example.com/.well-known/acme-challenge/{token}")
    );
    assert_eq!(
        http["redirectFullPath"],
        format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}")
    );
    assert!(http["responseBody"].as_str().unwrap().starts_with(token));
    assert_eq!(open["challenges"][1]["type"], "dns-01");
    assert_eq!(
        open["challenges"][1]["fullPath"],
        "_acme-challenge.login.members.example.com."
    );

    // Nothing moves while nobody serves it.
    sim.advance(3600);
    assert_eq!(
        change(&sim, &location).await["statusInfo"]["status"],
        "coodinate-domain-validation"
    );

    let served = sim.validate_domain("login.members.example.com");
    assert_eq!(served.enrollment_ids, [id]);
    sim.advance(120);
    let moved = change(&sim, &location).await;
    assert_eq!(
        moved["statusInfo"]["status"], "deploy-to-staging",
        "{moved}"
    );
    assert_eq!(moved["allowedInput"], Value::Array(Vec::new()));
    let gone = get_as(&sim, &info, DV_CHALLENGES).await;
    assert_eq!(gone.status, 404, "no challenges once the change moved on");

    // The demo's `v` goes through the hook: a renewal's domain this time.
    let renewing = by_cn(&sim, "stream.tv.example").await;
    let told = hook(&sim, "POST", "/_sim/validate?domain=hls.tv.example").await;
    assert_eq!(told.status, 200, "{}", told.body);
    assert_eq!(
        told.json()["enrollmentIds"][0].as_u64(),
        Some(id_of(&renewing))
    );
    let again = hook(&sim, "POST", "/_sim/validate?domain=hls.tv.example").await;
    assert_eq!(again.status, 404, "served already");
}

#[tokio::test]
async fn waiting_changes_answer_their_info_in_its_media_type() {
    let sim = stopped_sim().await;
    for (cn, status, kind, info_name, media_type, member) in [
        (
            "partners-b2b.example.net",
            "wait-upload-third-party",
            "third-party-certificate",
            "third-party-csr",
            CSR,
            "csrs",
        ),
        (
            "stores.example.net",
            "wait-review-pre-verification-safety-checks",
            "pre-verification-warnings-acknowledgement",
            "pre-verification-warnings",
            WARNINGS,
            "warnings",
        ),
        (
            "press.tv.example",
            "wait-review-cert-warning",
            "post-verification-warnings-acknowledgement",
            "post-verification-warnings",
            WARNINGS,
            "warnings",
        ),
        (
            "loyalty.example.net",
            "wait-ack-change-management",
            "change-management",
            "change-management-info",
            CHANGE_MANAGEMENT_INFO,
            "pendingState",
        ),
    ] {
        let enrollment = by_cn(&sim, cn).await;
        let waiting = change(&sim, &pending_change(&enrollment)).await;
        assert_eq!(
            state_and_status(&waiting),
            ("awaiting-input".to_string(), status.to_string()),
            "{cn}"
        );
        let input = &waiting["allowedInput"][0];
        assert_eq!(input["type"], kind, "{cn}");
        assert_eq!(input["requiredToProceed"], true, "{cn}");
        let info = info_link(&waiting, kind);
        assert!(
            info.ends_with(&format!("/input/info/{info_name}")),
            "{info}"
        );
        let answer = get_as(&sim, &info, media_type).await;
        assert_eq!(answer.status, 200, "{cn}: {}", answer.body);
        assert_eq!(answer.content_type, media_type, "{cn}");
        assert!(!answer.json()[member].is_null(), "{cn}: {}", answer.body);
        let wrong = get_as(&sim, &info, DV_CHALLENGES).await;
        assert_eq!(wrong.status, 406, "{cn}");
        assert!(wrong.detail().contains(media_type), "{}", wrong.detail());
        // What the change does not wait for has no info.
        let other = info.replace(info_name, "lets-encrypt-challenges");
        assert_eq!(
            get_as(&sim, &other, DV_CHALLENGES).await.status,
            404,
            "{cn}"
        );
    }
    let csr = get_as(
        &sim,
        &info_link(
            &change(
                &sim,
                &pending_change(&by_cn(&sim, "partners-b2b.example.net").await),
            )
            .await,
            "third-party-certificate",
        ),
        CSR,
    )
    .await;
    assert!(
        csr.json()["csrs"][0]["csr"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE REQUEST-----")
    );
    let loyalty = by_cn(&sim, "loyalty.example.net").await;
    let cm = get_as(
        &sim,
        &info_link(
            &change(&sim, &pending_change(&loyalty)).await,
            "change-management",
        ),
        CHANGE_MANAGEMENT_INFO,
    )
    .await
    .json();
    for member in [
        "acknowledgementDeadline",
        "validationResult",
        "validationResultHash",
    ] {
        assert!(cm.get(member).is_some(), "{member}: {cm}");
    }
    assert!(cm["pendingState"]["pendingCertificates"][0]["fullCertificate"].is_string());
    // Staging already serves what change management holds back from production.
    let id = id_of(&loyalty);
    let staging = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{id}/deployments"),
        DEPLOYMENTS_V7,
    )
    .await;
    assert!(staging.json()["staging"]["primaryCertificate"].is_object());
    assert!(staging.json()["production"].is_null());

    // The enrollment in error says why, and its old certificate has expired.
    let legacy = by_cn(&sim, "legacy.example.com").await;
    assert_eq!(legacy["pendingChanges"][0]["changeType"], "renewal");
    let failed = change(&sim, &pending_change(&legacy)).await;
    assert_eq!(failed["statusInfo"]["state"], "error");
    let error = &failed["statusInfo"]["error"];
    assert_eq!(error["code"], "ov-organization-validation-failed");
    assert!(
        error["description"]
            .as_str()
            .unwrap()
            .contains("organization")
    );
    assert!(error["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(failed["allowedInput"], Value::Array(Vec::new()));
}

#[tokio::test]
async fn deployments_answer_v7_and_v8_and_the_history_v5() {
    let sim = stopped_sim().await;
    let shop = by_cn(&sim, "shop.example.net").await;
    let id = id_of(&shop);
    assert_eq!(shop["pendingChanges"], Value::Array(Vec::new()));
    let path = format!("/cps/v2/enrollments/{id}/deployments");
    for media_type in [DEPLOYMENTS_V7, DEPLOYMENTS_V8] {
        let answer = get_as(&sim, &path, media_type).await;
        assert_eq!(answer.status, 200, "{media_type}: {}", answer.body);
        assert_eq!(answer.content_type, media_type);
        let expiry = answer.json()["production"]["primaryCertificate"]["expiry"].clone();
        assert!(expiry.as_str().unwrap().ends_with('Z'), "{expiry}");
    }
    let newer = get_as(
        &sim,
        &path,
        "application/vnd.akamai.cps.deployments.v9+json",
    )
    .await;
    assert_eq!(newer.status, 406);
    let one = get_as(&sim, &format!("{path}/staging"), DEPLOYMENT_V7).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.content_type, DEPLOYMENT_V7);
    assert_eq!(
        one.json()["networkConfiguration"]["dnsNames"],
        serde_json::json!(["shop.example.net", "www.shop.example.net"])
    );

    let renewing = by_cn(&sim, "stream.tv.example").await;
    let history = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{}/history/changes", id_of(&renewing)),
        CHANGE_HISTORY,
    )
    .await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.content_type, CHANGE_HISTORY);
    let changes = history.json()["changes"].as_array().unwrap().clone();
    let told: Vec<(&str, &str)> = changes
        .iter()
        .map(|change| {
            (
                change["action"].as_str().unwrap(),
                change["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        told,
        [("renew", "incomplete"), ("new-certificate", "completed")]
    );
    let wrong = get_as(
        &sim,
        &format!("/cps/v2/enrollments/{}/history/changes", id_of(&renewing)),
        "application/vnd.akamai.cps.change-history.v3+json",
    )
    .await;
    assert_eq!(wrong.status, 406);
}

#[tokio::test]
async fn sps_gone_answers_410_on_every_sps_path_and_nowhere_else() {
    for gone in [true, false] {
        let sim = start(SimOptions {
            speed: 0.0,
            sps_gone: gone,
            ..SimOptions::default()
        })
        .await;
        let list = get(&sim, &format!("{BASE}/sps-requests?{PAIR}")).await;
        let first = list.json()["requestList"][0]["spsId"]
            .as_u64()
            .unwrap_or(1801);
        let one = get(&sim, &format!("{BASE}/sps-requests/{first}?{PAIR}")).await;
        let create = create_request(&sim, &encode(&san_form())).await;
        let groups = get(&sim, "/papi/v1/groups").await;
        let cps = get_as(&sim, "/cps/v2/enrollments?contractId=C-1EXMPL", ENROLLMENTS).await;
        assert_eq!(groups.status, 200);
        assert_eq!(cps.status, 200);
        if gone {
            for answer in [&list, &one, &create] {
                assert_eq!(answer.status, 410, "{}", answer.body);
                assert_eq!(answer.content_type, PROBLEM);
                assert_eq!(answer.json()["title"], "Gone");
                let detail = answer.detail();
                assert!(detail.contains("2023-01-03"), "{detail}");
                assert!(detail.contains("CPS"), "{detail}");
            }
            let unsigned = Call::get(format!("{BASE}/sps-requests?{PAIR}"))
                .send_unsigned(&sim)
                .await;
            assert_eq!(unsigned.status, 401, "the signature is checked first");
            let gone_calls: u64 = sim
                .calls()
                .iter()
                .filter(|call| call.route == format!("{BASE}/sps-requests") && call.status == 410)
                .map(|call| call.count)
                .sum();
            assert_eq!(gone_calls, 2, "counted: {:?}", sim.calls());
        } else {
            assert_eq!(list.status, 200);
            assert_eq!(one.status, 200);
            assert_eq!(create.status, 202);
        }
    }
}

#[tokio::test]
async fn a_thousand_enrollments_spread_over_four_contracts() {
    let started = Instant::now();
    let sim = start(SimOptions {
        speed: 0.0,
        enrollments: Some(1000),
        ..SimOptions::default()
    })
    .await;
    let built = started.elapsed();
    let contracts = sim.contracts();
    assert_eq!(contracts.len(), 4, "{contracts:?}");
    let groups = get(&sim, "/papi/v1/groups").await.json();
    let papi: Vec<String> = groups["groups"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["contractIds"].as_array().unwrap().clone())
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    for contract in &contracts {
        assert!(
            papi.contains(&format!("ctr_{contract}")),
            "{contract} not in PAPI"
        );
    }
    let mut pending = 0;
    let mut slowest = Duration::ZERO;
    let mut first_ids = Vec::new();
    for contract in &contracts {
        let asked = Instant::now();
        let enrollments = listed(&sim, contract).await;
        slowest = slowest.max(asked.elapsed());
        assert_eq!(enrollments.len(), 250, "{contract}");
        pending += enrollments
            .iter()
            .filter(|e| !e["pendingChanges"].as_array().unwrap().is_empty())
            .count();
        first_ids.push(id_of(&enrollments[0]));
    }
    eprintln!(
        "1,000 enrollments: built in {built:?}; slowest list call {slowest:?} for 250; \
         {pending} with a pending change"
    );
    assert!((100..=250).contains(&pending), "10-25 % pending: {pending}");
    let limit = spsdash::edgegrid::ClientOptions::default().timeout / 4;
    assert!(slowest < limit, "{slowest:?} (limit {limit:?})");
    // Some of those wait for the customer.
    let mut awaiting = 0;
    for enrollment in listed(&sim, &contracts[0])
        .await
        .iter()
        .filter(|e| !e["pendingChanges"].as_array().unwrap().is_empty())
    {
        let state = change(&sim, &pending_change(enrollment)).await["statusInfo"]["state"].clone();
        if state == "awaiting-input" {
            awaiting += 1;
        }
    }
    assert!(awaiting >= 5, "{awaiting} awaiting input");

    // The same seed, the same world.
    let again = start(SimOptions {
        speed: 0.0,
        enrollments: Some(1000),
        ..SimOptions::default()
    })
    .await;
    let twin: Vec<Value> = listed(&again, &contracts[2]).await;
    let first: Vec<Value> = listed(&sim, &contracts[2]).await;
    let shape = |list: &[Value]| -> Vec<(u64, Value, Value)> {
        list.iter()
            .map(|e| {
                (
                    id_of(e),
                    e["csr"]["sans"].clone(),
                    e["pendingChanges"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&twin), shape(&first));
}

#[tokio::test]
async fn cps_calls_are_counted_by_route_template() {
    let sim = stopped_sim().await;
    for contract in sim.contracts() {
        listed(&sim, &contract).await;
    }
    let members = by_cn(&sim, "members.example.com").await;
    let location = pending_change(&members);
    let waiting = change(&sim, &location).await;
    change(&sim, &location).await;
    let info = info_link(&waiting, "lets-encrypt-challenges");
    get_as(&sim, &info, DV_CHALLENGES).await;
    get_as(&sim, &info, "application/json").await;
    get_as(&sim, "/cps/v2/enrollments", ENROLLMENTS).await;

    let lists = "/cps/v2/enrollments";
    // Three contracts listed, then `by_cn` lists C-1EXMPL once more, plus the 400.
    assert_eq!(count(&sim, lists), 5, "{:?}", sim.calls());
    assert_eq!(
        count(
            &sim,
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}"
        ),
        2
    );
    let challenges =
        "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/info/lets-encrypt-challenges";
    assert_eq!(count(&sim, challenges), 2);
    let stats = hook(&sim, "GET", "/_sim/stats").await.json();
    let refused: Vec<u64> = stats["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|call| call["route"] == challenges)
        .map(|call| call["status"].as_u64().unwrap())
        .collect();
    assert_eq!(refused, [200, 406]);
    assert!(
        stats["calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|call| call["route"] == lists && call["status"] == 400)
    );
}
