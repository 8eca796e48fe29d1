//! The simulator's CPS endpoints, read with spsdash's own client: consistent with the SPS
//! world (an enrollment once SPS reports its id; staging, then production when SPS completes;
//! DV certificates for a year), the demo's hand-picked expiries and deleted enrollment, 406 on
//! a wrong `Accept`, signatures checked and faults applied like on the SPS routes.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use std::time::Duration;

use sim_support::*;
use spsdash::cps::{CpsError, ENROLLMENT_MEDIA_TYPE};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::model::days_left;
use spsdash::source::Backend;

fn client_of(sim: &spsdash::sim::RunningSim) -> Backend {
    Backend::new(
        Client::new(
            sim.credentials.clone(),
            ClientOptions {
                timeout: Duration::from_secs(10),
                retries: 0,
                backoff: Duration::from_millis(10),
            },
        )
        .expect("client"),
        spsdash::model::Api::Sps,
    )
}

/// The enrollment id SPS reports for the request with this cnameHostname.
async fn enrollment_of(client: &Backend, contract: &str, group: &str, cname: &str) -> u64 {
    let pair = Scope::pair(contract, group);
    let requests = client.sps().list(&pair, None, true).await.expect("list");
    requests
        .iter()
        .find(|request| {
            request.cname_hostname() == Some(cname) && request.create_type() != Some("modSan")
        })
        .and_then(|request| request.enrollment_id)
        .unwrap_or_else(|| panic!("no enrolled request for {cname} in {pair}"))
}

#[tokio::test]
async fn the_demo_has_certificates_expiring_in_3_20_and_200_days_and_a_deleted_one() {
    let sim = stopped_sim().await;
    let client = client_of(&sim);
    let now = sim.clock.now();
    for (group, cname, days) in [
        ("10010", "www.example.com", 3),
        ("10001", "careers.example.com", 20),
        ("10010", "static.example.com", 200),
    ] {
        let id = enrollment_of(&client, "C-1EXMPL", group, cname).await;
        let deployments = client.cps().deployments(id).await.expect("deployments");
        let production = deployments.production_expiry().expect("deployed");
        assert_eq!(days_left(production, now), days, "{cname}");
        let staging = deployments.staging.as_ref().and_then(|d| d.expiry());
        assert_eq!(
            staging,
            Some(production),
            "{cname}: same certificate on staging"
        );
        let enrollment = client.cps().enrollment(id).await.expect("enrollment");
        assert_eq!(enrollment.id, Some(id));
    }
    let counted = sim
        .calls()
        .iter()
        .filter(|call| call.route == "/cps/v2/enrollments/{enrollmentId}/deployments")
        .map(|call| call.count)
        .sum::<u64>();
    assert_eq!(
        counted,
        3,
        "CPS calls are counted by route: {:?}",
        sim.calls()
    );
    let gone = enrollment_of(&client, "C-1EXMPL", "10001", "corporate.example.com").await;
    let error = client.cps().enrollment(gone).await.expect_err("deleted");
    assert!(matches!(error, CpsError::NotFound { .. }), "{error:?}");
    let error = client.cps().deployments(gone).await.expect_err("deleted");
    assert!(matches!(error, CpsError::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn every_cps_route_wants_its_media_type_and_a_signature() {
    let sim = stopped_sim().await;
    let client = client_of(&sim);
    let id = enrollment_of(&client, "C-1EXMPL", "10010", "www.example.com").await;
    let enrollment = client.cps().enrollment(id).await.expect("enrollment");
    // The modSan on www.example.com is still validating: a pending change with challenges.
    let change = enrollment
        .change_locations()
        .next()
        .expect("a pending change")
        .to_string();
    let status = client
        .cps()
        .change_status(&change, id)
        .await
        .expect("change");
    let challenges = status
        .lets_encrypt_challenges_info()
        .expect("challenges")
        .to_string();
    let dv = client
        .cps()
        .lets_encrypt_challenges(&change, &challenges)
        .await
        .expect("dv");
    assert!(!dv.dns_records().is_empty());
    let base = format!("/cps/v2/enrollments/{id}");
    for path in [
        base.clone(),
        format!("{base}/deployments"),
        format!("{base}/deployments/production"),
        change.clone(),
        challenges.clone(),
    ] {
        let accept = vec![("Accept".to_string(), "application/json".to_string())];
        let answer = client
            .http()
            .send("GET", &path, accept, Vec::new())
            .await
            .expect("answer");
        assert_eq!(answer.status, 406, "{path}");
        assert_eq!(
            answer.content_type.as_deref(),
            Some("application/problem+json")
        );
        let unsigned = Call::get(path.clone()).send_unsigned(&sim).await;
        assert_eq!(unsigned.status, 401, "{path}");
    }
    let accept = vec![("Accept".to_string(), ENROLLMENT_MEDIA_TYPE.to_string())];
    let answer = client
        .http()
        .send("GET", "/cps/v2/enrollments/99999", accept, Vec::new())
        .await
        .expect("answer");
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn a_new_dv_certificate_enrolls_then_deploys_to_staging_then_production() {
    let sim = stopped_sim().await;
    let client = client_of(&sim);
    let answer = create_request(&sim, &encode(&san_form())).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let sps_id = answer.json()["spsId"].as_u64().expect("spsId");
    let pair = Scope::pair("C-1EXMPL", "10010");
    let mut enrollment_id = None;
    for _ in 0..20 {
        enrollment_id = client
            .sps()
            .get(&pair, sps_id)
            .await
            .expect("get")
            .enrollment_id;
        if enrollment_id.is_some() {
            break;
        }
        sim.advance(30);
    }
    let id = enrollment_id.expect("SPS reports an enrollment within 10 minutes");
    // From that moment CPS knows it, with one pending change and its challenges.
    let enrollment = client.cps().enrollment(id).await.expect("enrolled");
    assert!(enrollment.is_dv());
    assert_eq!(enrollment.sans().len(), 2);
    let change = enrollment
        .change_locations()
        .next()
        .expect("pending")
        .to_string();
    let status = client
        .cps()
        .change_status(&change, id)
        .await
        .expect("change");
    let info = status
        .lets_encrypt_challenges_info()
        .expect("challenges")
        .to_string();
    let dv = client
        .cps()
        .lets_encrypt_challenges(&change, &info)
        .await
        .expect("dv");
    let request = client.sps().get(&pair, sps_id).await.expect("get");
    for domain in &request.dv_status {
        let cps = dv
            .dv
            .iter()
            .find(|d| d.domain == domain.domain)
            .expect("same domains");
        let http = cps.http01().expect("http-01");
        assert_eq!(
            http.response_body, domain.response_body,
            "one key authorization"
        );
        assert_eq!(http.full_path, domain.full_path);
        let dns = cps.dns01().expect("dns-01");
        assert_eq!(
            dns.full_path.as_deref(),
            Some(format!("_acme-challenge.{}.", domain.domain).as_str())
        );
        sim.validate_domain(&domain.domain);
    }
    let nothing = client.cps().deployments(id).await.expect("deployments");
    assert!(nothing.production.is_none() && nothing.staging.is_none());

    let mut saw_staging_first = false;
    let mut completed = false;
    for _ in 0..(6 * 60) {
        sim.advance(60);
        let status = client.sps().get(&pair, sps_id).await.expect("get").status;
        let deployments = client.cps().deployments(id).await.expect("deployments");
        let complete = status.as_str() == "SPS Request Complete";
        assert_eq!(
            deployments.production.is_some(),
            complete,
            "production has the certificate exactly when SPS says complete ({status})"
        );
        if deployments.staging.is_some() && !complete {
            saw_staging_first = true;
        }
        if complete {
            completed = true;
            let expiry = deployments.production_expiry().expect("expiry");
            let left = days_left(expiry, sim.clock.now());
            assert!(
                (364..=365).contains(&left),
                "a DV certificate lasts a year: {left}"
            );
            let names = deployments
                .production
                .as_ref()
                .map(|d| d.dns_names().to_vec());
            assert_eq!(names.map(|n| n.len()), Some(2));
            let enrollment = client.cps().enrollment(id).await.expect("enrollment");
            assert!(enrollment.pending_changes.is_empty(), "{enrollment:?}");
            break;
        }
    }
    assert!(completed, "the request completes within 6 world hours");
    assert!(
        saw_staging_first,
        "staging gets the certificate before production"
    );
}

#[tokio::test]
async fn faults_apply_to_cps_routes() {
    let sim = start(spsdash::sim::SimOptions {
        speed: 0.0,
        faults: Some("error500=1".to_string()),
        ..spsdash::sim::SimOptions::default()
    })
    .await;
    let error = client_of(&sim)
        .cps()
        .enrollment(10001)
        .await
        .expect_err("500");
    assert_eq!(error.http_status(), Some(500), "{error:?}");
    assert!(!error.is_permanent());
}
