//! Enrollment bodies read and turned into changes, with an explicit clock.

use chrono::Duration;
use rand::SeedableRng;
use serde_json::json;

use super::*;
use crate::sim::cps_change::snapshot;
use crate::sim::cps_names::InputKind;
use crate::sim::json_shape::Problem;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn body(ra: &str, validation: &str, certificate_type: &str, sans: &[&str]) -> Value {
    json!({
        "ra": ra,
        "validationType": validation,
        "certificateType": certificate_type,
        "changeManagement": false,
        "enableMultiStackedCertificates": false,
        "csr": { "cn": "WWW.Example.com", "sans": sans },
        "networkConfiguration": {
            "geography": "core", "quicEnabled": false,
            "secureNetwork": "enhanced-tls", "sniOnly": true,
        },
    })
}

fn fields(refused: Vec<Violation>) -> Vec<String> {
    refused
        .into_iter()
        .map(|violation| violation.field)
        .collect()
}

const VALIDITY: Validity = Validity {
    lets_encrypt_days: 90,
    ov_days: 365,
    third_party_days: 365,
};

#[test]
fn a_body_becomes_names_common_name_first_once_each() {
    let requested = read(body(
        "lets-encrypt",
        "dv",
        "san",
        &["shop.example.com", "www.example.com"],
    ))
    .unwrap();
    assert_eq!(requested.names, ["www.example.com", "shop.example.com"]);
    assert_eq!(requested.ra, Ra::LetsEncrypt);
    assert!(requested.sni_only);
}

#[test]
fn values_that_do_not_go_together_are_named() {
    let refused = read(body("lets-encrypt", "ov", "wildcard", &["*.example.com"])).unwrap_err();
    assert_eq!(
        fields(refused),
        ["validationType", "certificateType", "csr.sans[0]"]
    );
    let refused = read(body("symantec", "ev", "single", &["shop.example.com"])).unwrap_err();
    assert_eq!(fields(refused), ["csr.sans"]);
    let refused = read(body("third-party", "third-party", "san", &[])).unwrap_err();
    assert_eq!(fields(refused), ["certificateType"]);
    let mut schema_broken = body("lets-encrypt", "dv", "san", &[]);
    schema_broken["csr"]["cn"] = json!(7);
    let refused = read(schema_broken).unwrap_err();
    assert_eq!(refused[0].problem, Problem::NotA("a string"));
}

#[test]
fn each_authority_waits_for_its_own_input() {
    let mut rng = StdRng::seed_from_u64(1);
    let dv = read(body("lets-encrypt", "dv", "san", &["shop.example.com"])).unwrap();
    let plan = change(
        1,
        ChangeKind::NewCertificate,
        &dv,
        &dv.names,
        t0(),
        &mut rng,
    );
    let shown = snapshot(&plan, t0() + Duration::minutes(5));
    assert_eq!(shown.waits_for, Some(InputKind::LetsEncryptChallenges));
    assert_eq!(shown.domains.len(), 2);
    let mut ov = read(body("symantec", "ov", "san", &[])).unwrap();
    ov.change_management = true;
    let plan = change(2, ChangeKind::NewCertificate, &ov, &[], t0(), &mut rng);
    assert_eq!(plan.steps[1], Step::PreVerificationWarnings);
    assert!(plan.steps.contains(&Step::ChangeManagement {
        acknowledged_after: None
    }));
    let third = read(body("third-party", "third-party", "third-party", &[])).unwrap();
    let plan = change(3, ChangeKind::NewCertificate, &third, &[], t0(), &mut rng);
    assert_eq!(
        snapshot(&plan, t0() + Duration::minutes(5)).waits_for,
        Some(InputKind::ThirdPartyCertificate)
    );
}

#[test]
fn an_update_that_adds_a_name_waits_only_for_the_new_one() {
    let mut rng = StdRng::seed_from_u64(2);
    let first = read(body("lets-encrypt", "dv", "san", &[])).unwrap();
    let plan = change(
        1,
        ChangeKind::NewCertificate,
        &first,
        &first.names,
        t0(),
        &mut rng,
    );
    let mut enrollment = new_enrollment(10, "C-1", first, plan);
    enrollment.changes[0].domains[0].fixed_at = Some(t0() + Duration::minutes(4));
    let now = t0() + Duration::minutes(10);
    let wider = read(body("lets-encrypt", "dv", "san", &["shop.example.com"])).unwrap();
    let refused = update(
        &mut enrollment,
        wider.clone(),
        &UpdateFlags::default(),
        VALIDITY,
        2,
        now,
        &mut rng,
    );
    assert!(matches!(refused, Err(Refused::Pending(ref ids)) if ids == &[1]));
    let flags = UpdateFlags {
        allow_cancel_pending_changes: true,
        ..UpdateFlags::default()
    };
    let started = update(&mut enrollment, wider, &flags, VALIDITY, 2, now, &mut rng);
    assert_eq!(started.unwrap(), Some(2));
    assert_eq!(enrollment.pending(now).len(), 1);
    let newest = enrollment.changes.last().unwrap();
    assert_eq!(
        newest.kind,
        ChangeKind::NewCertificate,
        "nothing issued yet"
    );
    let domains: Vec<&str> = newest.domains.iter().map(|d| d.domain.as_str()).collect();
    assert_eq!(domains, ["shop.example.com"], "www was validated already");
    assert_eq!(snapshot(&enrollment.changes[0], now).state, "cancelled");
}

#[test]
fn an_update_may_not_change_who_issues_the_certificate() {
    let mut rng = StdRng::seed_from_u64(3);
    let first = read(body("lets-encrypt", "dv", "san", &[])).unwrap();
    let plan = change(
        1,
        ChangeKind::NewCertificate,
        &first,
        &first.names,
        t0(),
        &mut rng,
    );
    let mut enrollment = new_enrollment(10, "C-1", first, plan);
    let other = read(body("symantec", "ov", "san", &[])).unwrap();
    let refused = update(
        &mut enrollment,
        other,
        &UpdateFlags::default(),
        VALIDITY,
        2,
        t0(),
        &mut rng,
    );
    match refused {
        Err(Refused::Body(violations)) => {
            assert_eq!(fields(violations), ["ra", "validationType"]);
        }
        other => panic!("{other:?}"),
    }
    // Same names, same authority: stored, no change.
    let same = read(body("lets-encrypt", "dv", "san", &["www.example.com"])).unwrap();
    let kept = update(
        &mut enrollment,
        same,
        &UpdateFlags::default(),
        VALIDITY,
        2,
        t0(),
        &mut rng,
    );
    assert_eq!(kept.unwrap(), None);
    assert_eq!(enrollment.changes.len(), 1);
}
