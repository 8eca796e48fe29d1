//! The demo world covers what the issue asks at start, is deterministic for a seed, and large
//! generated worlds build and list quickly.

use std::collections::BTreeSet;

use super::*;
use crate::sim::lifecycle;

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn visible(world: &World, now: DateTime<Utc>) -> Vec<&crate::sim::world::SimRequest> {
    world
        .pairs()
        .iter()
        .flat_map(|(contract, group)| world.list(contract, group, None, now))
        .collect()
}

#[test]
fn the_demo_world_has_every_status_and_kind_at_start() {
    let world = demo_world(7, start()).unwrap();
    let contracts: BTreeSet<String> = world
        .groups
        .iter()
        .flat_map(|group| group.contract_ids.clone())
        .collect();
    assert!(contracts.len() >= 3);
    assert!(world.groups.len() >= 6);
    let requests = visible(&world, start());
    assert!(requests.len() >= 40, "{}", requests.len());
    let statuses: BTreeSet<&str> = requests
        .iter()
        .map(|request| request.snapshot(start()).status)
        .collect();
    for status in [
        lifecycle::PENDING,
        lifecycle::AWAITING_USER,
        lifecycle::CPS_RUNNING,
        lifecycle::EDGE_HOST_EXISTS,
        lifecycle::CANCELLED,
        lifecycle::COMPLETE,
    ] {
        assert!(
            statuses.contains(status),
            "{status} missing from {statuses:?}"
        );
    }
    let kinds: BTreeSet<&str> = requests
        .iter()
        .map(|request| request.kind.create_type())
        .collect();
    for kind in ["single", "wildcard", "san", "modSan", "secureEdgeHost"] {
        assert!(kinds.contains(kind), "{kind} missing");
    }
    let domain_statuses: BTreeSet<&str> = requests
        .iter()
        .flat_map(|request| request.snapshot(start()).domains)
        .map(|domain| domain.status)
        .collect();
    for status in ["Pending", "Awaiting User", "Valid", "Invalid", "Expired"] {
        assert!(domain_statuses.contains(status), "domain {status} missing");
    }
    let edge = requests
        .iter()
        .map(|request| request.snapshot(start()))
        .filter(|snapshot| snapshot.status == lifecycle::EDGE_HOST_EXISTS)
        .map(|snapshot| snapshot.progress.contains("error"))
        .collect::<BTreeSet<bool>>();
    assert_eq!(edge.len(), 2, "an edge host failing and one in progress");
}

#[test]
fn every_demo_hostname_is_on_a_reserved_example_domain() {
    let mut world = demo_world(7, start()).unwrap();
    world.catch_up(start() + Duration::days(2));
    for request in visible(&world, start() + Duration::days(2)) {
        for name in request.names.iter().chain([&request.cname_hostname]) {
            let name = name.trim_start_matches("*.");
            assert!(
                ["example.com", "example.net", "example.org", "example"]
                    .iter()
                    .any(|zone| name == *zone || name.ends_with(&format!(".{zone}"))),
                "{name}"
            );
        }
    }
}

#[test]
fn the_demo_keeps_changing_every_few_world_minutes() {
    let mut world = demo_world(7, start()).unwrap();
    let look = |world: &World, now: DateTime<Utc>| -> Vec<(u64, &'static str, usize)> {
        visible(world, now)
            .iter()
            .map(|request| {
                let snapshot = request.snapshot(now);
                let valid = snapshot
                    .domains
                    .iter()
                    .filter(|domain| domain.status == "Valid")
                    .count();
                (request.sps_id, snapshot.status, valid)
            })
            .collect()
    };
    // At the default speed (60x) five world minutes are five real seconds.
    for step in 0..24 {
        let before = start() + Duration::minutes(5 * step);
        let after = before + Duration::minutes(5);
        world.catch_up(before);
        let seen = look(&world, before);
        world.catch_up(after);
        assert_ne!(
            seen,
            look(&world, after),
            "nothing changed after minute {}",
            5 * step
        );
    }
}

#[test]
fn arrivals_get_ids_in_the_order_they_appear() {
    let mut world = demo_world(7, start()).unwrap();
    let initial = world.len();
    world.catch_up(start() + Duration::hours(2));
    assert!(
        world.len() > initial + 10,
        "{} then {}",
        initial,
        world.len()
    );
    let mut by_id: Vec<_> = visible(&world, start() + Duration::hours(2))
        .into_iter()
        .map(|request| (request.sps_id, request.plan.created))
        .collect();
    by_id.sort();
    assert!(by_id.windows(2).all(|pair| pair[0].1 <= pair[1].1));
}

#[test]
fn a_seed_gives_the_same_world_and_another_seed_another() {
    let render = |seed: u64| -> Vec<String> {
        let mut world = demo_world(seed, start()).unwrap();
        world.catch_up(start() + Duration::hours(1));
        visible(&world, start() + Duration::hours(1))
            .iter()
            .map(|request| format!("{:?}", request.snapshot(start() + Duration::hours(1))))
            .collect()
    };
    assert_eq!(render(11), render(11));
    assert_ne!(render(11), render(12));
}

#[test]
fn a_generated_world_has_exactly_the_requests_asked_for() {
    let world = generated_world(5, 10_000, start()).unwrap();
    assert_eq!(world.len(), 10_000);
    let listed: usize = world
        .pairs()
        .iter()
        .map(|(contract, group)| world.list(contract, group, None, start()).len())
        .sum();
    assert_eq!(listed, 10_000);
    let statuses: BTreeSet<&str> = visible(&world, start())
        .iter()
        .map(|request| request.snapshot(start()).status)
        .collect();
    assert!(statuses.len() >= 5, "{statuses:?}");
}

#[test]
fn changes_to_a_certificate_name_it_by_its_ids() {
    let world = demo_world(7, start()).unwrap();
    let requests = visible(&world, start());
    let parameter = |request: &crate::sim::world::SimRequest, name: &str| {
        request
            .parameters
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
    };
    let mod_san = requests
        .iter()
        .find(|request| {
            request.kind == CertKind::ModSan && request.cname_hostname == "www.example.com"
        })
        .unwrap();
    let original = requests
        .iter()
        .find(|request| {
            request.kind == CertKind::San && request.cname_hostname == "www.example.com"
        })
        .unwrap();
    assert_eq!(
        parameter(mod_san, "jobId"),
        Some(original.job_id.to_string())
    );
    assert_eq!(mod_san.enrollment_id, original.enrollment_id);
    let edge = requests
        .iter()
        .find(|request| {
            request.kind == CertKind::EdgeHost && request.cname_hostname == "www-v6.example.com"
        })
        .unwrap();
    assert_eq!(
        parameter(edge, "enrollmentId"),
        Some(original.enrollment_id.to_string())
    );
}
