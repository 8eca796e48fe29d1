//! The CPS world's own enrollments: certificates an account has in CPS that no SPS request
//! made (the demo's hand-picked ones from `assets/cps-demo-world.toml`, `--enrollments N`
//! generated ones, and those clients create with `POST /cps/v2/enrollments`). Like the rest of
//! the simulator nothing here ticks: each enrollment keeps its changes' plans and every read
//! computes where they stand (see `cps_change.rs`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;

use super::cps_change::{self, ChangePlan, ChangeSnapshot};
use super::cps_names::Network;
use super::world_file::ContractFile;

/// Who issues the certificate (`ra`), which fixes `validationType` too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ra {
    LetsEncrypt,
    Symantec,
    ThirdParty,
}

impl Ra {
    pub fn parse(text: &str) -> Option<Ra> {
        match text {
            "lets-encrypt" => Some(Ra::LetsEncrypt),
            "symantec" => Some(Ra::Symantec),
            "third-party" => Some(Ra::ThirdParty),
            _ => None,
        }
    }

    pub fn token(self) -> &'static str {
        match self {
            Ra::LetsEncrypt => "lets-encrypt",
            Ra::Symantec => "symantec",
            Ra::ThirdParty => "third-party",
        }
    }

    pub fn validation_type(self) -> &'static str {
        match self {
            Ra::LetsEncrypt => "dv",
            Ra::Symantec => "ov",
            Ra::ThirdParty => "third-party",
        }
    }
}

/// A certificate as a network serves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    pub issued: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NativeEnrollment {
    pub id: u64,
    pub contract_id: String,
    pub ra: Ra,
    /// `certificateType`: `san`, `single`, `wildcard`, `wildcard-san` or `third-party`.
    pub certificate_type: &'static str,
    /// The common name first, then the other names.
    pub names: Vec<String>,
    pub change_management: bool,
    pub sni_only: bool,
    /// Written as Akamai's published example writes enrollments: `id` as a string and
    /// `location` under `/cps-api/` (clients must read both).
    pub legacy_shape: bool,
    /// What the pre- or post-verification checks found (warnings.v1's one string).
    pub warnings: Option<String>,
    /// The certificate deployed before the world began, if any.
    pub initial: Option<Certificate>,
    /// Oldest first.
    pub changes: Vec<ChangePlan>,
    pub auto_renewal_start: Option<DateTime<Utc>>,
    /// The body a client created or last updated it with (`enrollment.v11`), which its reads
    /// then echo; `None` for the enrollments the world began with.
    pub written: Option<Value>,
}

/// How long certificates last once a change issues them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validity {
    pub lets_encrypt_days: i64,
    pub ov_days: i64,
    pub third_party_days: i64,
}

impl NativeEnrollment {
    pub fn common_name(&self) -> &str {
        self.names.first().map_or("", String::as_str)
    }

    /// The changes that exist at `now`, with where each stands.
    pub fn changes_at(
        &self,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = (&ChangePlan, ChangeSnapshot)> {
        self.changes
            .iter()
            .filter(move |plan| plan.created <= now)
            .map(move |plan| (plan, cps_change::snapshot(plan, now)))
    }

    /// `pendingChanges`: the changes CPS is still working on (the newest last).
    pub fn pending(&self, now: DateTime<Utc>) -> Vec<(&ChangePlan, ChangeSnapshot)> {
        self.changes_at(now)
            .filter(|(_, shown)| shown.is_pending())
            .collect()
    }

    /// A change by id, if it exists at `now`.
    pub fn change(&self, change_id: u64, now: DateTime<Utc>) -> Option<&ChangePlan> {
        self.changes
            .iter()
            .find(|plan| plan.id == change_id && plan.created <= now)
    }

    /// What `network` serves at `now`: the newest change's certificate once it reached that
    /// network, else the certificate deployed before the world began.
    pub fn deployed(
        &self,
        network: Network,
        now: DateTime<Utc>,
        validity: Validity,
    ) -> Option<Certificate> {
        let newest = self.changes_at(now).filter_map(|(plan, shown)| {
            let reached = match network {
                Network::Production => shown.completed,
                Network::Staging => shown.staged,
            }?;
            // One certificate on both networks: issued when staging got it.
            let issued = shown.staged.unwrap_or(reached);
            (reached <= now).then(|| self.issued_by(plan, issued, validity))
        });
        newest.last().or_else(|| self.initial.clone())
    }

    /// The certificate a change issues, deployed from `issued`.
    pub fn issued_by(
        &self,
        plan: &ChangePlan,
        issued: DateTime<Utc>,
        validity: Validity,
    ) -> Certificate {
        let days = match self.ra {
            Ra::LetsEncrypt => validity.lets_encrypt_days,
            Ra::Symantec => validity.ov_days,
            Ra::ThirdParty => validity.third_party_days,
        };
        Certificate {
            issued,
            expires: issued + Duration::days(days),
            names: plan.names.clone(),
        }
    }
}

/// Change ids of the CPS world's own enrollments start here (SPS-made ones use job ids).
pub const FIRST_CHANGE_ID: u64 = 70_001;

/// Every enrollment of the CPS world's own, by id and by contract.
#[derive(Debug, Clone)]
pub struct CpsBook {
    enrollments: BTreeMap<u64, NativeEnrollment>,
    by_contract: HashMap<String, Vec<u64>>,
    /// Organization and contacts per contract (the enrollments' `org`, `adminContact`, …).
    pub(super) contracts: HashMap<String, ContractFile>,
    pub validity: Validity,
    /// Draws the plans of the changes clients cause: an RNG of its own, so writes never
    /// disturb what the SPS world or the CPS world's start draw.
    pub(super) rng: StdRng,
}

impl Default for CpsBook {
    fn default() -> Self {
        CpsBook {
            enrollments: BTreeMap::new(),
            by_contract: HashMap::new(),
            contracts: HashMap::new(),
            validity: Validity {
                lets_encrypt_days: 90,
                ov_days: 365,
                third_party_days: 365,
            },
            rng: StdRng::seed_from_u64(0),
        }
    }
}

impl CpsBook {
    pub(super) fn new(
        contracts: HashMap<String, ContractFile>,
        validity: Validity,
        seed: u64,
    ) -> Self {
        CpsBook {
            contracts,
            validity,
            rng: StdRng::seed_from_u64(seed),
            ..CpsBook::default()
        }
    }

    pub fn insert(&mut self, enrollment: NativeEnrollment) {
        let ids = self
            .by_contract
            .entry(enrollment.contract_id.clone())
            .or_default();
        ids.push(enrollment.id);
        ids.sort_unstable();
        self.enrollments.insert(enrollment.id, enrollment);
    }

    pub fn get(&self, enrollment_id: u64) -> Option<&NativeEnrollment> {
        self.enrollments.get(&enrollment_id)
    }

    pub fn get_mut(&mut self, enrollment_id: u64) -> Option<&mut NativeEnrollment> {
        self.enrollments.get_mut(&enrollment_id)
    }

    /// An enrollment to change, with the RNG its new change draws from.
    pub fn get_mut_with_rng(
        &mut self,
        enrollment_id: u64,
    ) -> Option<(&mut NativeEnrollment, &mut StdRng)> {
        let enrollment = self.enrollments.get_mut(&enrollment_id)?;
        Some((enrollment, &mut self.rng))
    }

    /// The id the next change gets: after every change id handed out so far.
    pub fn next_change_id(&self) -> u64 {
        self.enrollments
            .values()
            .flat_map(|enrollment| enrollment.changes.iter().map(|plan| plan.id + 1))
            .max()
            .unwrap_or(FIRST_CHANGE_ID)
            .max(FIRST_CHANGE_ID)
    }

    pub fn len(&self) -> usize {
        self.enrollments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.enrollments.is_empty()
    }

    /// The enrollments of one contract (without `ctr_`), by id.
    pub fn of_contract(&self, contract_id: &str) -> Vec<&NativeEnrollment> {
        self.by_contract
            .get(contract_id)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| self.enrollments.get(id))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn all(&self) -> impl Iterator<Item = &NativeEnrollment> {
        self.enrollments.values()
    }

    /// The operator served `domain`'s challenge: every change waiting for it checks again.
    /// Returns the enrollments concerned.
    pub fn fix_domain(&mut self, domain: &str, now: DateTime<Utc>) -> Vec<u64> {
        let domain = domain.trim().to_ascii_lowercase();
        let mut touched = Vec::new();
        for enrollment in self.enrollments.values_mut() {
            let mut changed = false;
            for plan in enrollment.changes.iter_mut() {
                changed |= cps_change::fix_domain(plan, &domain, now);
            }
            if changed {
                touched.push(enrollment.id);
            }
        }
        touched
    }
}
