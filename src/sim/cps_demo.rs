//! The CPS world's own enrollments for a start: the demo's hand-picked ones
//! (`assets/cps-demo-world.toml`) or `--enrollments N` generated ones spread evenly over four
//! contracts. Both are deterministic for a seed and draw from an RNG of their own, so the SPS
//! world of a seed stays what it was.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Deserialize;

use super::SimError;
use super::cps_book::{CpsBook, FIRST_CHANGE_ID, NativeEnrollment, Ra, Validity};
use super::cps_stories::{self, CpsStory, Setting, Wanted};
use super::world::{Group, World};
use super::world_file::ContractFile;

const CPS_DEMO_WORLD: &str = include_str!("../../assets/cps-demo-world.toml");

/// Mixed into the seed so CPS draws never disturb the SPS world's.
const CPS_SEED: u64 = 0x4350_5357_4f52_4c44;
/// Mixed in once more for the plans of the changes clients cause.
const WRITES_SEED: u64 = 0x5752_4954_4553;
/// How many contracts `--enrollments N` spreads over.
pub const SCALE_CONTRACTS: usize = 4;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CpsWorldFile {
    lets_encrypt_validity_days: i64,
    ov_validity_days: i64,
    third_party_validity_days: i64,
    renewal_lead_days: i64,
    #[serde(default)]
    enrollments: Vec<EnrollmentFile>,
    scale: ScaleFile,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrollmentFile {
    contract: String,
    ra: String,
    cn: String,
    #[serde(default)]
    sans: Vec<String>,
    #[serde(default, rename = "type")]
    certificate_type: Option<String>,
    story: String,
    #[serde(default)]
    change_management: bool,
    #[serde(default)]
    acknowledge_after_minutes: Option<i64>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(default)]
    warnings: Option<String>,
    /// `[code, description]`.
    #[serde(default)]
    error: Option<[String; 2]>,
    #[serde(default)]
    shape: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFile {
    group_id: String,
    group_name: String,
    contract: ContractFile,
}

pub(super) fn parse(text: &str) -> Result<CpsWorldFile, String> {
    toml::from_str(text).map_err(|error| format!("assets/cps-demo-world.toml: {error}"))
}

fn shipped() -> Result<CpsWorldFile, SimError> {
    parse(CPS_DEMO_WORLD).map_err(SimError::World)
}

/// Everything an enrollment needs from the world and the file, once.
struct Builder<'a> {
    file: &'a CpsWorldFile,
    rng: StdRng,
    next_change_id: u64,
    now: DateTime<Utc>,
}

impl Builder<'_> {
    fn validity(&self) -> Validity {
        Validity {
            lets_encrypt_days: self.file.lets_encrypt_validity_days,
            ov_days: self.file.ov_validity_days,
            third_party_days: self.file.third_party_validity_days,
        }
    }

    fn enrollment(
        &mut self,
        id: u64,
        contract: &ContractFile,
        wanted: Wanted,
        picked: Option<&EnrollmentFile>,
    ) -> NativeEnrollment {
        let Wanted {
            ra,
            certificate_type,
            names,
            story,
        } = wanted;
        let created_by = format!(
            "{}{}",
            contract.admin[0].chars().next().unwrap_or('x'),
            contract.admin[1]
        )
        .to_ascii_lowercase();
        let change_management = picked.is_some_and(|file| file.change_management)
            || story == CpsStory::ChangeManagement;
        let setting = Setting {
            ra,
            names: &names,
            change_management,
            acknowledge_after: picked
                .and_then(|file| file.acknowledge_after_minutes)
                .map(Duration::minutes),
            expires_in_days: picked.and_then(|file| file.expires_in_days),
            error: picked
                .and_then(|file| file.error.clone())
                .map(|[code, description]| (code, description)),
            created_by: &created_by,
            validity: self.validity(),
            renewal_lead: Duration::days(self.file.renewal_lead_days),
        };
        let planned = cps_stories::plan(
            story,
            &setting,
            self.now,
            &mut self.rng,
            &mut self.next_change_id,
        );
        let warnings = picked.and_then(|file| file.warnings.clone()).or_else(|| {
            matches!(
                story,
                CpsStory::PreVerificationWarnings | CpsStory::PostVerificationWarnings
            )
            .then(|| default_warnings(&names))
        });
        NativeEnrollment {
            id,
            contract_id: contract.id.clone(),
            ra,
            certificate_type,
            names,
            change_management,
            sni_only: true,
            legacy_shape: picked.is_some_and(|file| file.shape.as_deref() == Some("cps-api")),
            warnings,
            initial: planned.initial,
            changes: planned.changes,
            auto_renewal_start: planned.auto_renewal_start,
            written: None,
        }
    }
}

pub(super) fn default_warnings(names: &[String]) -> String {
    format!(
        "Some of the names being provisioned ({}) are already on another certificate of this \
         account.",
        names.join(", ")
    )
}

fn new_book(file: &CpsWorldFile, contracts: HashMap<String, ContractFile>, seed: u64) -> CpsBook {
    CpsBook::new(
        contracts,
        Validity {
            lets_encrypt_days: file.lets_encrypt_validity_days,
            ov_days: file.ov_validity_days,
            third_party_days: file.third_party_validity_days,
        },
        // Its own stream again: the writes' draws must not follow the start's.
        seed ^ CPS_SEED ^ WRITES_SEED,
    )
}

/// Adds the demo's hand-picked enrollments to `world` (ids after its SPS requests').
pub(super) fn add_demo(
    world: &mut World,
    contracts: HashMap<String, ContractFile>,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<(), SimError> {
    let file = shipped()?;
    let mut book = new_book(&file, contracts, seed);
    let mut builder = Builder {
        file: &file,
        rng: StdRng::seed_from_u64(seed ^ CPS_SEED),
        next_change_id: FIRST_CHANGE_ID,
        now,
    };
    let first = world.reserve_enrollment_ids(file.enrollments.len());
    for (index, picked) in file.enrollments.iter().enumerate() {
        let fail =
            |why: String| SimError::World(format!("CPS demo enrollment #{}: {why}", index + 1));
        let contract = book
            .contracts
            .get(&picked.contract)
            .cloned()
            .ok_or_else(|| fail(format!("no contract {} in the account", picked.contract)))?;
        let ra =
            Ra::parse(&picked.ra).ok_or_else(|| fail(format!("unknown ra '{}'", picked.ra)))?;
        let story = CpsStory::from_name(&picked.story)
            .ok_or_else(|| fail(format!("unknown story '{}'", picked.story)))?;
        if !story.fits(ra) {
            return Err(fail(format!(
                "story '{}' cannot happen to a {} certificate",
                picked.story, picked.ra
            )));
        }
        let certificate_type = certificate_type(ra, picked.certificate_type.as_deref())
            .ok_or_else(|| fail("unknown type".to_string()))?;
        let mut names = vec![picked.cn.clone()];
        names.extend(
            picked
                .sans
                .iter()
                .filter(|name| **name != picked.cn)
                .cloned(),
        );
        let wanted = Wanted {
            ra,
            certificate_type,
            names,
            story,
        };
        let enrollment = builder.enrollment(first + index as u64, &contract, wanted, Some(picked));
        book.insert(enrollment);
    }
    world.cps = book;
    Ok(())
}

fn certificate_type(ra: Ra, named: Option<&str>) -> Option<&'static str> {
    if ra == Ra::ThirdParty {
        return Some("third-party");
    }
    Some(match named.unwrap_or("san") {
        "san" => "san",
        "single" => "single",
        "wildcard" => "wildcard",
        "wildcard-san" => "wildcard-san",
        _ => return None,
    })
}

/// `--enrollments N`: N generated enrollments, evenly over four contracts (the account gets
/// the file's fourth contract, in a group of its own, when it has fewer), a fifth of them
/// with a change under way.
pub(super) fn add_generated(
    world: &mut World,
    mut contracts: HashMap<String, ContractFile>,
    seed: u64,
    count: usize,
    now: DateTime<Utc>,
) -> Result<(), SimError> {
    let file = shipped()?;
    let mut contract_ids = world.contract_ids();
    if contract_ids.len() < SCALE_CONTRACTS && !contract_ids.contains(&file.scale.contract.id) {
        world.groups.push(Group {
            group_id: file.scale.group_id.clone(),
            group_name: file.scale.group_name.clone(),
            parent_group_id: None,
            contract_ids: vec![file.scale.contract.id.clone()],
        });
        contract_ids.push(file.scale.contract.id.clone());
    }
    contracts
        .entry(file.scale.contract.id.clone())
        .or_insert_with(|| file.scale.contract.clone());
    contract_ids.truncate(SCALE_CONTRACTS);
    let chosen: Vec<ContractFile> = contract_ids
        .iter()
        .map(|id| {
            contracts.get(id).cloned().ok_or_else(|| {
                SimError::World(format!("no organization details for contract {id}"))
            })
        })
        .collect::<Result<_, _>>()?;
    let mut book = new_book(&file, contracts, seed);
    let mut builder = Builder {
        file: &file,
        rng: StdRng::seed_from_u64(seed ^ CPS_SEED),
        next_change_id: FIRST_CHANGE_ID,
        now,
    };
    let first = world.reserve_enrollment_ids(count);
    for index in 0..count {
        let contract = &chosen[index % chosen.len()];
        let wanted = super::cps_scale::draw(&mut builder.rng, index);
        let enrollment = builder.enrollment(first + index as u64, contract, wanted, None);
        book.insert(enrollment);
    }
    world.cps = book;
    Ok(())
}

#[cfg(test)]
#[path = "cps_demo_tests.rs"]
mod tests;
