//! The state machine driven by an explicit clock: every assertion names a moment.

use super::*;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn domain(name: &str, fate: DomainFate) -> DomainPlan {
    DomainPlan {
        domain: name.to_string(),
        token: format!("tok-{name}"),
        fate,
        fixed_at: None,
    }
}

fn dv_plan(domains: Vec<DomainPlan>, outcome: PlannedEnd) -> Plan {
    Plan {
        created: t0(),
        pending: Duration::minutes(3),
        domains,
        cps: Duration::minutes(10),
        outcome,
    }
}

fn at(plan: &Plan, minutes: i64) -> Snapshot {
    snapshot(
        CertKind::San,
        Issuer::LetsEncrypt,
        "shop.example.com",
        plan,
        t0() + Duration::minutes(minutes),
    )
}

#[test]
fn dv_request_walks_from_pending_to_complete() {
    let plan = dv_plan(
        vec![
            domain(
                "a.example.com",
                DomainFate::Automatic {
                    after: Duration::minutes(2),
                },
            ),
            domain(
                "b.example.com",
                DomainFate::Automatic {
                    after: Duration::minutes(5),
                },
            ),
        ],
        PlannedEnd::Complete,
    );
    let pending = at(&plan, 1);
    assert_eq!(pending.status, PENDING);
    assert!(pending.domains.is_empty());
    assert!(!pending.enrolled);

    let opened = at(&plan, 4);
    assert_eq!(opened.status, AWAITING_USER);
    assert_eq!(opened.last_change, t0() + Duration::minutes(3));
    assert_eq!(opened.domains.len(), 2);
    assert!(opened.enrolled);
    assert!(opened.progress.contains("2 of 2"), "{}", opened.progress);

    let half = at(&plan, 6);
    assert_eq!(half.domains[0].status, DOMAIN_VALID);
    assert_eq!(half.domains[1].status, PENDING);
    assert!(half.progress.contains("1 of 2"), "{}", half.progress);

    let running = at(&plan, 9);
    assert_eq!(running.status, CPS_RUNNING);
    assert_eq!(running.last_change, t0() + Duration::minutes(8));

    let done = at(&plan, 18);
    assert_eq!(done.status, COMPLETE);
    assert_eq!(done.last_change, t0() + Duration::minutes(18));
    assert!(
        done.domains
            .iter()
            .all(|domain| domain.status == DOMAIN_VALID)
    );
}

#[test]
fn a_domain_needing_the_user_waits_until_fixed() {
    let mut plan = dv_plan(
        vec![
            domain(
                "a.example.com",
                DomainFate::Automatic {
                    after: Duration::minutes(1),
                },
            ),
            domain("b.example.com", DomainFate::NeedsUser),
        ],
        PlannedEnd::Complete,
    );
    let waiting = at(&plan, 60 * 24);
    assert_eq!(waiting.status, AWAITING_USER);
    assert_eq!(waiting.domains[1].status, AWAITING_USER);

    plan.domains[1].fixed_at = Some(t0() + Duration::minutes(60 * 24));
    let rechecking = at(&plan, 60 * 24);
    assert_eq!(rechecking.domains[1].status, PENDING);
    let valid = at(&plan, 60 * 24 + 2);
    assert_eq!(valid.domains[1].status, DOMAIN_VALID);
    assert_eq!(valid.status, CPS_RUNNING);
    assert_eq!(at(&plan, 60 * 24 + 15).status, COMPLETE);
}

#[test]
fn an_invalid_domain_shows_its_error_and_recovers_when_fixed() {
    let mut plan = dv_plan(
        vec![domain(
            "c.example.com",
            DomainFate::Invalid {
                after: Duration::minutes(4),
                error: "404 from the challenge URL".to_string(),
            },
        )],
        PlannedEnd::Complete,
    );
    assert_eq!(at(&plan, 5).domains[0].status, AWAITING_USER);
    let failed = at(&plan, 8);
    assert_eq!(failed.domains[0].status, DOMAIN_INVALID);
    assert_eq!(
        failed.domains[0].error.as_deref(),
        Some("404 from the challenge URL")
    );
    assert!(failed.progress.contains("failed"), "{}", failed.progress);

    plan.domains[0].fixed_at = Some(t0() + Duration::minutes(30));
    assert_eq!(at(&plan, 31).domains[0].error, None);
    assert_eq!(at(&plan, 33).status, CPS_RUNNING);
}

#[test]
fn unvalidated_challenges_expire_and_cancel_the_request() {
    let plan = dv_plan(
        vec![domain("d.example.com", DomainFate::NeedsUser)],
        PlannedEnd::Complete,
    );
    let expired = at(&plan, 3 + 60 * 24 * 7);
    assert_eq!(expired.status, CANCELLED);
    assert_eq!(expired.domains[0].status, DOMAIN_EXPIRED);
    assert!(expired.progress.contains("d.example.com"));
    // A fix after expiry changes nothing.
    let mut late = plan.clone();
    late.domains[0].fixed_at = Some(t0() + Duration::days(8));
    assert_eq!(at(&late, 60 * 24 * 9).status, CANCELLED);
}

#[test]
fn ov_runs_for_days_and_may_be_cancelled() {
    let plan = Plan {
        created: t0(),
        pending: Duration::minutes(5),
        domains: Vec::new(),
        cps: Duration::days(3),
        outcome: PlannedEnd::Cancelled,
    };
    let ov = |minutes: i64| {
        snapshot(
            CertKind::Single,
            Issuer::Symantec,
            "www.example.org",
            &plan,
            t0() + Duration::minutes(minutes),
        )
    };
    assert_eq!(ov(1).status, PENDING);
    assert_eq!(ov(10).status, CPS_RUNNING);
    assert!(ov(10).domains.is_empty());
    assert_eq!(ov(60 * 24 * 2).status, CPS_RUNNING);
    let cancelled = ov(60 * 24 * 4);
    assert_eq!(cancelled.status, CANCELLED);
    assert_eq!(
        cancelled.last_change,
        t0() + Duration::minutes(5) + Duration::days(3)
    );
}

#[test]
fn edge_host_requests_create_or_fail_on_an_existing_hostname() {
    let mut plan = Plan {
        created: t0(),
        pending: Duration::minutes(1),
        domains: Vec::new(),
        cps: Duration::minutes(20),
        outcome: PlannedEnd::Complete,
    };
    let edge = |plan: &Plan, minutes: i64| {
        snapshot(
            CertKind::EdgeHost,
            Issuer::Symantec,
            "api.example.net",
            plan,
            t0() + Duration::minutes(minutes),
        )
    };
    assert_eq!(edge(&plan, 0).status, PENDING);
    let creating = edge(&plan, 5);
    assert_eq!(creating.status, EDGE_HOST_EXISTS);
    assert!(!creating.progress.contains("error"));
    assert_eq!(edge(&plan, 30).status, COMPLETE);

    plan.outcome = PlannedEnd::EdgeHostExists;
    let failed = edge(&plan, 30);
    assert_eq!(failed.status, EDGE_HOST_EXISTS);
    assert!(failed.progress.contains("error"));
}
