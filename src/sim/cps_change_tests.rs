//! A CPS change driven by an explicit clock: every assertion names a moment.

use super::*;
use crate::sim::lifecycle::DomainFate;

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

fn dv_change(domains: Vec<DomainPlan>, steps: Vec<Step>) -> ChangePlan {
    ChangePlan {
        id: 70001,
        kind: ChangeKind::NewCertificate,
        created: t0(),
        created_by: "tester".to_string(),
        steps,
        names: domains.iter().map(|d| d.domain.clone()).collect(),
        domains,
        answers: Answers::default(),
    }
}

fn at(plan: &ChangePlan, minutes: i64) -> ChangeSnapshot {
    snapshot(plan, t0() + Duration::minutes(minutes))
}

fn automatic(minutes: i64) -> DomainFate {
    DomainFate::Automatic {
        after: Duration::minutes(minutes),
    }
}

#[test]
fn a_new_certificate_runs_through_every_step_as_the_clock_moves() {
    let plan = dv_change(
        vec![
            domain("a.example.com", automatic(4)),
            domain("b.example.com", automatic(6)),
        ],
        vec![
            Step::Checks(Duration::minutes(2)),
            Step::DomainValidation,
            Step::Staging(Duration::minutes(5)),
            Step::ChangeManagement {
                acknowledged_after: Some(Duration::minutes(10)),
            },
            Step::Production(Duration::minutes(5)),
        ],
    );
    let seen: Vec<(&str, &str)> = [0, 3, 9, 14, 24, 29]
        .iter()
        .map(|minute| {
            let shown = at(&plan, *minute);
            (shown.state, shown.status)
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("running", "pre-verification-safety-checks"),
            ("awaiting-input", "coodinate-domain-validation"),
            ("running", "deploy-to-staging"),
            ("awaiting-input", "wait-ack-change-management"),
            ("running", "deploy-to-production"),
            ("completed", "complete"),
        ]
    );
    assert_eq!(
        at(&plan, 3).waits_for,
        Some(InputKind::LetsEncryptChallenges)
    );
    assert_eq!(at(&plan, 14).waits_for, Some(InputKind::ChangeManagement));
    // Validated at 2 + 6 = 8; staged at 13; acknowledged at 23; complete at 28.
    assert_eq!(at(&plan, 14).staged, Some(t0() + Duration::minutes(13)));
    assert_eq!(at(&plan, 12).staged, None);
    let done = at(&plan, 29);
    assert_eq!(done.completed, Some(t0() + Duration::minutes(28)));
    assert!(!done.is_pending());
    assert!(at(&plan, 27).is_pending());
}

#[test]
fn a_domain_waiting_for_the_operator_moves_on_once_its_challenge_is_served() {
    let mut plan = dv_change(
        vec![
            domain("a.example.com", automatic(1)),
            domain("b.example.com", DomainFate::NeedsUser),
        ],
        vec![
            Step::Checks(Duration::minutes(1)),
            Step::DomainValidation,
            Step::Staging(Duration::minutes(5)),
            Step::Production(Duration::minutes(5)),
        ],
    );
    let waiting = at(&plan, 60 * 24);
    assert_eq!(waiting.status, "coodinate-domain-validation");
    let statuses: Vec<&str> = waiting.domains.iter().map(|d| d.status).collect();
    assert_eq!(statuses, ["Valid", "Awaiting User"]);
    let now = t0() + Duration::minutes(60 * 24);
    assert!(
        !fix_domain(&mut plan, "c.example.com", now),
        "not its domain"
    );
    assert!(
        !fix_domain(&mut plan, "a.example.com", now),
        "already valid"
    );
    assert!(fix_domain(&mut plan, "b.example.com", now));
    assert!(!fix_domain(&mut plan, "b.example.com", now), "once");
    // Let's Encrypt checks again 90 seconds later.
    assert_eq!(at(&plan, 60 * 24 + 1).status, "coodinate-domain-validation");
    assert_eq!(at(&plan, 60 * 24 + 2).status, "deploy-to-staging");
    assert_eq!(at(&plan, 60 * 24 + 13).state, "completed");
}

#[test]
fn a_failed_change_stays_in_error_in_the_step_it_failed_in() {
    let plan = dv_change(
        vec![domain("a.example.com", automatic(1))],
        vec![
            Step::Checks(Duration::minutes(1)),
            Step::DomainValidation,
            Step::Fail {
                code: "some-code".to_string(),
                description: "It broke.".to_string(),
            },
        ],
    );
    assert_eq!(at(&plan, 1).state, "awaiting-input");
    let failed = at(&plan, 600);
    assert_eq!(failed.state, "error");
    assert_eq!(failed.status, "coodinate-domain-validation");
    assert_eq!(failed.waits_for, None);
    let error = failed.error.clone().expect("an error");
    assert_eq!(error.code, "some-code");
    assert_eq!(error.timestamp, t0() + Duration::minutes(2));
    assert!(failed.is_pending(), "an errored change stays pending");
}

#[test]
fn challenges_that_lapse_put_the_change_in_error() {
    let plan = dv_change(
        vec![domain("a.example.com", DomainFate::NeedsUser)],
        vec![Step::Checks(Duration::minutes(1)), Step::DomainValidation],
    );
    assert_eq!(at(&plan, 60 * 24 * 6).state, "awaiting-input");
    let lapsed = at(&plan, 60 * 24 * 8);
    assert_eq!(lapsed.state, "error");
    assert_eq!(
        lapsed.error.map(|error| error.code),
        Some(CHALLENGES_EXPIRED.to_string())
    );
}

#[test]
fn inputs_without_an_end_wait_for_ever() {
    for (step, status, kind) in [
        (
            Step::ThirdPartyUpload,
            "wait-upload-third-party",
            InputKind::ThirdPartyCertificate,
        ),
        (
            Step::PreVerificationWarnings,
            "wait-review-pre-verification-safety-checks",
            InputKind::PreVerificationWarnings,
        ),
        (
            Step::ChangeManagement {
                acknowledged_after: None,
            },
            "wait-ack-change-management",
            InputKind::ChangeManagement,
        ),
    ] {
        let plan = dv_change(Vec::new(), vec![Step::Checks(Duration::minutes(1)), step]);
        let shown = at(&plan, 60 * 24 * 365);
        assert_eq!((shown.state, shown.status), ("awaiting-input", status));
        assert_eq!(shown.waits_for, Some(kind));
    }
}

#[test]
fn an_input_given_ends_the_step_waiting_for_it_then_and_not_before() {
    let mut plan = dv_change(
        Vec::new(),
        vec![
            Step::Checks(Duration::minutes(1)),
            Step::PreVerificationWarnings,
            Step::Staging(Duration::minutes(5)),
            Step::ChangeManagement {
                acknowledged_after: None,
            },
            Step::Production(Duration::minutes(5)),
        ],
    );
    // An acknowledgement of another kind, or one given before the step began, moves nothing.
    plan.answers
        .given
        .push((InputKind::ChangeManagement, t0() + Duration::seconds(30)));
    assert_eq!(
        at(&plan, 30).status,
        "wait-review-pre-verification-safety-checks"
    );
    plan.answers.given.push((
        InputKind::PreVerificationWarnings,
        t0() + Duration::minutes(10),
    ));
    assert_eq!(
        at(&plan, 9).status,
        "wait-review-pre-verification-safety-checks"
    );
    assert_eq!(at(&plan, 12).status, "deploy-to-staging");
    assert_eq!(at(&plan, 16).waits_for, Some(InputKind::ChangeManagement));
    plan.answers
        .given
        .push((InputKind::ChangeManagement, t0() + Duration::minutes(20)));
    assert_eq!(at(&plan, 21).status, "deploy-to-production");
    assert_eq!(at(&plan, 26).state, "completed");
}

#[test]
fn a_cancelled_change_stops_where_it_stood_and_is_no_longer_pending() {
    let mut plan = dv_change(
        vec![domain("a.example.com", DomainFate::NeedsUser)],
        vec![
            Step::Checks(Duration::minutes(1)),
            Step::DomainValidation,
            Step::Staging(Duration::minutes(5)),
        ],
    );
    plan.answers.cancelled = Some(t0() + Duration::minutes(5));
    assert!(at(&plan, 4).is_pending());
    let cancelled = at(&plan, 6);
    assert_eq!(
        (cancelled.state, cancelled.status),
        ("cancelled", "cancelled")
    );
    assert_eq!(cancelled.waits_for, None);
    assert!(!cancelled.is_pending());
    assert_eq!(cancelled.domains.len(), 1, "its challenges are still shown");
    assert!(!fix_domain(
        &mut plan,
        "a.example.com",
        t0() + Duration::minutes(7)
    ));
}
