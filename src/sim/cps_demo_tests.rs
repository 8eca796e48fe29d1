//! The CPS world's own enrollments at start: the shipped file tells every story, the demo moves
//! within its first hour, and a seed always gives the same world without disturbing SPS's.

use super::*;

#[test]
fn the_shipped_cps_demo_world_parses_and_tells_every_story() {
    let file = parse(CPS_DEMO_WORLD).expect("assets/cps-demo-world.toml parses");
    let stories: Vec<CpsStory> = file
        .enrollments
        .iter()
        .map(|picked| CpsStory::from_name(&picked.story).expect("known story"))
        .collect();
    for story in [
        CpsStory::Deployed,
        CpsStory::New,
        CpsStory::AwaitingChallenges,
        CpsStory::Staging,
        CpsStory::ChangeManagement,
        CpsStory::Renewal,
        CpsStory::Renewing,
        CpsStory::ThirdParty,
        CpsStory::PreVerificationWarnings,
        CpsStory::PostVerificationWarnings,
        CpsStory::Error,
        CpsStory::OvValidating,
    ] {
        assert!(stories.contains(&story), "{story:?} missing");
    }
    let unknown = CPS_DEMO_WORLD.replace(
        "renewal_lead_days = 30",
        "renewal_lead_days = 30\nrenewal_bogus = 1",
    );
    assert!(parse(&unknown).is_err(), "unknown fields are refused");
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Each enrollment's pending changes as (changeType, state, status).
fn pending_at(
    world: &World,
    at: DateTime<Utc>,
) -> Vec<Vec<(&'static str, &'static str, &'static str)>> {
    world
        .cps
        .all()
        .map(|enrollment| {
            enrollment
                .pending(at)
                .into_iter()
                .map(|(plan, shown)| (plan.kind.change_type(), shown.state, shown.status))
                .collect()
        })
        .collect()
}

#[test]
fn the_demo_cps_world_moves_within_its_first_hour() {
    // At the default speed (60) an hour of world time is a minute on the screen.
    let world = crate::sim::demo::demo_world(7, t0()).unwrap();
    assert_eq!(world.cps.len(), 18);
    let start = pending_at(&world, t0());
    let minutes: Vec<_> = (0..=60)
        .map(|minute| pending_at(&world, t0() + Duration::minutes(minute)))
        .collect();
    let transitions = minutes
        .windows(2)
        .map(|pair| pair[0].iter().zip(&pair[1]).filter(|(a, b)| a != b).count())
        .sum::<usize>();
    assert!(
        transitions >= 20,
        "{transitions} steps taken within the hour"
    );
    let moving = (0..start.len())
        .filter(|index| minutes.iter().any(|at| at[*index] != start[*index]))
        .count();
    assert!(moving >= 6, "{moving} enrollments moved");
    let later = &minutes[60];
    let finished = start
        .iter()
        .zip(later)
        .filter(|(a, b)| !a.is_empty() && b.is_empty())
        .count();
    assert!(
        finished >= 3,
        "{finished} changes completed within the hour"
    );
    let renewals = start
        .iter()
        .zip(&minutes[16])
        .filter(|(a, b)| a.is_empty() && b.first().is_some_and(|(kind, _, _)| *kind == "renewal"))
        .count();
    assert_eq!(renewals, 2, "renewals appear in the first minutes");
    let awaiting = start
        .iter()
        .flatten()
        .filter(|(_, state, _)| *state == "awaiting-input")
        .count();
    assert!(awaiting >= 6, "{awaiting} wait for the customer at start");
    assert!(
        start
            .iter()
            .flatten()
            .any(|(_, state, _)| *state == "error")
    );
}

#[test]
fn the_cps_world_is_deterministic_and_leaves_the_sps_world_as_it_was() {
    let first = crate::sim::demo::demo_world(7, t0()).unwrap();
    let second = crate::sim::demo::demo_world(7, t0()).unwrap();
    let own = |world: &World| world.cps.all().cloned().collect::<Vec<_>>();
    // What the draws decide (ids follow the SPS world's, which has its own seed).
    let drawn = |world: &World| {
        world
            .cps
            .all()
            .map(|enrollment| (enrollment.changes.clone(), enrollment.initial.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(own(&first), own(&second));
    let other = crate::sim::demo::demo_world(8, t0()).unwrap();
    assert_ne!(drawn(&first), drawn(&other));
    // SPS requests made before the world began keep their enrollment ids; the CPS
    // world's own come next, then the requests that arrive while it runs.
    let native: Vec<u64> = first.cps.all().map(|enrollment| enrollment.id).collect();
    let sps_max = first
        .pairs()
        .iter()
        .flat_map(|(contract, group)| first.list(contract, group, None, t0()))
        .map(|request| request.enrollment_id)
        .max()
        .unwrap();
    assert!(
        native.iter().all(|id| *id > sps_max),
        "{native:?} after {sps_max}"
    );
    let mut arriving = crate::sim::demo::demo_world(7, t0()).unwrap();
    arriving.catch_up(t0() + Duration::hours(3));
    let newest = arriving
        .pairs()
        .iter()
        .flat_map(|(contract, group)| {
            arriving.list(contract, group, None, t0() + Duration::hours(3))
        })
        .map(|request| request.enrollment_id)
        .max()
        .unwrap();
    assert!(newest > native[native.len() - 1]);
}
