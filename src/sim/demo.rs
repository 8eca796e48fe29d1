//! The demo world (`assets/demo-world.toml`: an account, its contracts, groups and a hand-picked
//! set of requests covering every status and kind) and the generator of large worlds
//! (`--requests N`). Both are deterministic for a seed; only the anchor time is "now".

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use super::SimError;
use super::cps_demo;
use super::generator::{Generator, parameters};
use super::lifecycle::{CertKind, Issuer};
use super::stories::{self, Story};
use super::world::{Draft, Group, World};
use super::world_file::{ContractFile, RequestFile, WorldFile};

const DEMO_WORLD: &str = include_str!("../../assets/demo-world.toml");

/// How many requests arrive after the start of a demo (one every few world minutes).
const DEMO_ARRIVALS: usize = 200;

/// The demo world, anchored at `now`: the SPS requests and the CPS world's own enrollments.
pub fn demo_world(seed: u64, now: DateTime<Utc>) -> Result<World, SimError> {
    let file: WorldFile = toml::from_str(DEMO_WORLD)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    let mut world = build(file, seed, now, true)?;
    cps_demo::add_demo(&mut world, demo_contracts()?, seed, now)?;
    Ok(world)
}

/// `count` generated CPS enrollments over four contracts, added to `world`.
pub fn add_generated_enrollments(
    world: &mut World,
    seed: u64,
    count: usize,
    now: DateTime<Utc>,
) -> Result<(), SimError> {
    cps_demo::add_generated(world, demo_contracts()?, seed, count, now)
}

/// The organization and contacts of every contract of the demo account.
fn demo_contracts() -> Result<HashMap<String, ContractFile>, SimError> {
    contracts_of(DEMO_WORLD)
}

/// A world of `count` generated requests over the demo account's groups.
pub fn generated_world(seed: u64, count: usize, now: DateTime<Utc>) -> Result<World, SimError> {
    let mut file: WorldFile = toml::from_str(DEMO_WORLD)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    file.requests.clear();
    let mut world = build(file, seed, now, false)?;
    let contracts = contracts_of(DEMO_WORLD)?;
    let mut generator = Generator::new(&world, contracts)?;
    let mut drafts: Vec<(Draft, Option<String>)> = (0..count)
        .map(|index| generator.draft(world.rng(), index, now, None))
        .collect();
    insert_in_creation_order(&mut world, &mut drafts);
    Ok(world)
}

fn contracts_of(text: &str) -> Result<HashMap<String, ContractFile>, SimError> {
    let file: WorldFile = toml::from_str(text)
        .map_err(|error| SimError::World(format!("assets/demo-world.toml: {error}")))?;
    Ok(file
        .contracts
        .into_iter()
        .map(|contract| (contract.id.clone(), contract))
        .collect())
}

fn build(
    file: WorldFile,
    seed: u64,
    now: DateTime<Utc>,
    arrivals: bool,
) -> Result<World, SimError> {
    let groups = file
        .groups
        .iter()
        .map(|group| Group {
            group_id: group.id.clone(),
            group_name: group.name.clone(),
            parent_group_id: group.parent.clone(),
            contract_ids: group.contracts.clone(),
        })
        .collect();
    let mut world = World::new(&file.account_id, &file.account_name, groups, seed);
    let contracts: HashMap<String, ContractFile> = file
        .contracts
        .iter()
        .map(|contract| (contract.id.clone(), contract.clone()))
        .collect();
    let mut drafts = Vec::new();
    for (index, request) in file.requests.iter().enumerate() {
        let draft = demo_draft(&world, &contracts, request)
            .map_err(|error| SimError::World(format!("demo request #{}: {error}", index + 1)))?;
        drafts.push(draft);
    }
    // Draws happen in file order so a seed always gives the same world.
    let mut planned = Vec::new();
    for picked in drafts {
        let plan = stories::plan(
            picked.story,
            picked.kind,
            picked.issuer,
            &picked.names,
            now,
            world.rng(),
        );
        // `demo_draft` checked that the contract exists.
        let parameters = contracts
            .get(&picked.contract_id)
            .map(|contract| {
                parameters(
                    contract,
                    picked.kind,
                    picked.issuer,
                    &picked.cname_hostname,
                    &picked.names,
                )
            })
            .unwrap_or_default();
        planned.push((
            Draft {
                contract_id: picked.contract_id,
                group_id: picked.group_id,
                kind: picked.kind,
                issuer: picked.issuer,
                cname_hostname: picked.cname_hostname,
                names: picked.names,
                parameters,
                plan,
                enrollment_of: None,
            },
            picked.on,
        ));
    }
    if arrivals {
        let mut generator = Generator::new(&world, contracts)?;
        let mut at = now;
        let mut arrivals = Vec::with_capacity(DEMO_ARRIVALS);
        for index in 0..DEMO_ARRIVALS {
            at += Duration::seconds(world.rng().random_range(2 * 60..=8 * 60));
            arrivals.push(generator.draft(world.rng(), index, at, Some(Story::Submitted)));
        }
        insert_in_creation_order(&mut world, &mut planned);
        world.schedule(arrivals);
        return Ok(world);
    }
    insert_in_creation_order(&mut world, &mut planned);
    Ok(world)
}

/// One request of the demo file, checked, before its plan is drawn.
struct Picked {
    contract_id: String,
    group_id: String,
    kind: CertKind,
    issuer: Issuer,
    cname_hostname: String,
    names: Vec<String>,
    story: Story,
    on: Option<String>,
}

fn demo_draft(
    world: &World,
    contracts: &HashMap<String, ContractFile>,
    request: &RequestFile,
) -> Result<Picked, String> {
    if !world.is_granted(&request.contract, &request.group) {
        return Err(format!(
            "contract {} / group {} is not a pair of the account",
            request.contract, request.group
        ));
    }
    if !contracts.contains_key(&request.contract) {
        return Err(format!("no [[contracts]] entry for {}", request.contract));
    }
    let kind = match request.kind.as_str() {
        "single" => CertKind::Single,
        "wildcard" => CertKind::Wildcard,
        "san" => CertKind::San,
        "modSan" => CertKind::ModSan,
        "edgeHost" => CertKind::EdgeHost,
        other => return Err(format!("unknown type '{other}'")),
    };
    let issuer = match request.issuer.as_deref() {
        Some("lets-encrypt") => Issuer::LetsEncrypt,
        Some("symantec") | None => Issuer::Symantec,
        Some(other) => return Err(format!("unknown issuer '{other}'")),
    };
    let story = Story::from_name(&request.story)
        .ok_or_else(|| format!("unknown story '{}'", request.story))?;
    if !story.fits(kind, issuer) {
        return Err(format!(
            "story '{}' cannot happen to a {} request by {}",
            request.story,
            request.kind,
            issuer.token()
        ));
    }
    if matches!(kind, CertKind::ModSan | CertKind::EdgeHost) && request.on.is_none() {
        return Err("modSan and edgeHost need `on`".to_string());
    }
    let mut names: Vec<String> = request.cn.iter().cloned().collect();
    for name in &request.sans {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let cname_hostname = request
        .cname
        .clone()
        .or_else(|| {
            request
                .cn
                .as_ref()
                .map(|cn| cn.trim_start_matches("*.").to_string())
        })
        .or_else(|| request.on.clone().filter(|_| kind == CertKind::ModSan))
        .ok_or("needs cn or cname")?;
    Ok(Picked {
        contract_id: request.contract.clone(),
        group_id: request.group.clone(),
        kind,
        issuer,
        cname_hostname,
        names,
        story,
        on: request.on.clone(),
    })
}

/// Ids follow creation time, as they would on a real account. `on` names the cnameHostname
/// whose enrollment a modSan or edge host changes (the latest one created before it).
fn insert_in_creation_order(world: &mut World, drafts: &mut [(Draft, Option<String>)]) {
    drafts.sort_by_key(|(draft, _)| draft.plan.created);
    for (draft, on) in drafts.iter() {
        world.insert_naming(draft.clone(), on.as_deref());
    }
}

#[cfg(test)]
#[path = "demo_tests.rs"]
mod tests;
