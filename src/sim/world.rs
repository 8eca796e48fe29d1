//! The simulated account: its groups, every request ever made and the ids to hand out next.
//! A request's state is never stored: it is computed from its plan and the clock when read
//! (see `lifecycle.rs`), so a world of 10,000 requests costs nothing until someone looks.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::cps_book::CpsBook;
use super::lifecycle::{self, CertKind, Issuer, Plan, PlannedEnd, Snapshot};
use super::papi_book::PapiBook;
use super::stories::{self, Story};
use super::validate::{InvalidItem, NewRequest};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Without the `grp_` prefix.
    pub group_id: String,
    pub group_name: String,
    pub parent_group_id: Option<String>,
    /// Without the `ctr_` prefix.
    pub contract_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimRequest {
    pub sps_id: u64,
    pub job_id: u64,
    /// The CPS enrollment this request creates or changes (shown once CPS has it).
    pub enrollment_id: u64,
    pub contract_id: String,
    pub group_id: String,
    pub kind: CertKind,
    pub issuer: Issuer,
    pub cname_hostname: String,
    /// The certificate's names (modSan: the names added).
    pub names: Vec<String>,
    pub parameters: Vec<(String, String)>,
    pub plan: Plan,
}

impl SimRequest {
    pub fn snapshot(&self, now: DateTime<Utc>) -> Snapshot {
        lifecycle::snapshot(
            self.kind,
            self.issuer,
            &self.cname_hostname,
            &self.plan,
            now,
        )
    }

    pub(super) fn is_certificate(&self) -> bool {
        matches!(
            self.kind,
            CertKind::Single | CertKind::Wildcard | CertKind::San | CertKind::ModSan
        )
    }
}

/// A request before it has ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub contract_id: String,
    pub group_id: String,
    pub kind: CertKind,
    pub issuer: Issuer,
    pub cname_hostname: String,
    pub names: Vec<String>,
    pub parameters: Vec<(String, String)>,
    pub plan: Plan,
    /// modSan and edge host: the spsId of the request whose enrollment they change.
    pub enrollment_of: Option<u64>,
}

#[derive(Debug)]
pub struct World {
    pub account_id: String,
    pub account_name: String,
    pub groups: Vec<Group>,
    pub(super) requests: BTreeMap<u64, SimRequest>,
    pub(super) by_pair: HashMap<(String, String), Vec<u64>>,
    /// The latest certificate (single, wildcard, san) per (contract, group, cnameHostname).
    pub(super) certificates: HashMap<(String, String, String), u64>,
    /// Requests still to come (demo arrivals), by creation time. They get their ids when
    /// the clock reaches them, so ids grow with creation time as on a real account.
    arrivals: VecDeque<(Draft, Option<String>)>,
    next_sps_id: u64,
    next_job_id: u64,
    next_enrollment_id: u64,
    rng: StdRng,
    /// The ACME account thumbprint every `responseBody` ends with.
    pub thumbprint: String,
    /// The CPS enrollments no SPS request made (those SPS made are computed from `requests`).
    pub cps: CpsBook,
    /// PAPI's edge hostnames clients created.
    pub papi: PapiBook,
}

impl World {
    pub fn new(account_id: &str, account_name: &str, groups: Vec<Group>, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let thumbprint = stories::token(&mut rng);
        World {
            account_id: account_id.to_string(),
            account_name: account_name.to_string(),
            groups,
            requests: BTreeMap::new(),
            by_pair: HashMap::new(),
            certificates: HashMap::new(),
            arrivals: VecDeque::new(),
            next_sps_id: 1801,
            next_job_id: 44101,
            next_enrollment_id: 10001,
            rng,
            thumbprint,
            cps: CpsBook::default(),
            papi: PapiBook::default(),
        }
    }

    /// Hands out `count` enrollment ids in a row (for the CPS world's own enrollments); later
    /// SPS requests get ids after them.
    pub fn reserve_enrollment_ids(&mut self, count: usize) -> u64 {
        let first = self.next_enrollment_id;
        self.next_enrollment_id += count as u64;
        first
    }

    /// Every contract of the account's groups (without `ctr_`), once each, in group order.
    pub fn contract_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for group in &self.groups {
            for contract in &group.contract_ids {
                if !ids.contains(contract) {
                    ids.push(contract.clone());
                }
            }
        }
        ids
    }

    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }

    pub fn is_granted(&self, contract_id: &str, group_id: &str) -> bool {
        self.groups.iter().any(|group| {
            group.group_id == group_id && group.contract_ids.iter().any(|id| id == contract_id)
        })
    }

    /// Every (contract, group) pair the credentials are granted, in a stable order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.groups
            .iter()
            .flat_map(|group| {
                group
                    .contract_ids
                    .iter()
                    .map(|contract| (contract.clone(), group.group_id.clone()))
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    pub fn request(&self, sps_id: u64) -> Option<&SimRequest> {
        self.requests.get(&sps_id)
    }

    /// Gives a draft its ids and adds it. A modSan or edge host shares the enrollment of the
    /// request it names.
    pub fn insert(&mut self, draft: Draft) -> u64 {
        let enrollment_id = match draft.enrollment_of.and_then(|id| self.requests.get(&id)) {
            Some(previous) => previous.enrollment_id,
            None => {
                self.next_enrollment_id += 1;
                self.next_enrollment_id - 1
            }
        };
        let sps_id = self.next_sps_id;
        self.next_sps_id += 1;
        let job_id = self.next_job_id;
        self.next_job_id += 1;
        self.by_pair
            .entry((draft.contract_id.clone(), draft.group_id.clone()))
            .or_default()
            .push(sps_id);
        if matches!(
            draft.kind,
            CertKind::Single | CertKind::Wildcard | CertKind::San
        ) {
            self.certificates.insert(
                (
                    draft.contract_id.clone(),
                    draft.group_id.clone(),
                    draft.cname_hostname.clone(),
                ),
                sps_id,
            );
        }
        self.requests.insert(
            sps_id,
            SimRequest {
                sps_id,
                job_id,
                enrollment_id,
                contract_id: draft.contract_id,
                group_id: draft.group_id,
                kind: draft.kind,
                issuer: draft.issuer,
                cname_hostname: draft.cname_hostname,
                names: draft.names,
                parameters: draft.parameters,
                plan: draft.plan,
            },
        );
        sps_id
    }

    /// Inserts a draft whose modSan or edge host names its certificate by cnameHostname
    /// (`on`): the latest certificate of that name in the pair, whose ids the form then carries.
    pub fn insert_naming(&mut self, mut draft: Draft, on: Option<&str>) -> u64 {
        if let Some(on) = on {
            let key = (
                draft.contract_id.clone(),
                draft.group_id.clone(),
                on.to_string(),
            );
            draft.enrollment_of = self.certificates.get(&key).copied();
        }
        if let Some(previous) = draft.enrollment_of.and_then(|id| self.requests.get(&id)) {
            let (position, field) = match draft.kind {
                CertKind::ModSan => (2, ("jobId", previous.job_id)),
                CertKind::EdgeHost => (1, ("enrollmentId", previous.enrollment_id)),
                _ => (0, ("", 0)),
            };
            if !field.0.is_empty() {
                let position = position.min(draft.parameters.len());
                draft
                    .parameters
                    .insert(position, (field.0.to_string(), field.1.to_string()));
            }
        }
        self.insert(draft)
    }

    /// Requests to add when the clock reaches their creation time (see `catch_up`).
    pub fn schedule(&mut self, mut arrivals: Vec<(Draft, Option<String>)>) {
        arrivals.sort_by_key(|(draft, _)| draft.plan.created);
        self.arrivals.extend(arrivals);
    }

    /// Adds every scheduled request created by `now`.
    pub fn catch_up(&mut self, now: DateTime<Utc>) {
        while self
            .arrivals
            .front()
            .is_some_and(|(draft, _)| draft.plan.created <= now)
        {
            if let Some((draft, on)) = self.arrivals.pop_front() {
                self.insert_naming(draft, on.as_deref());
            }
        }
    }

    /// The requests of one pair that exist at `now`, created after `after`, by spsId.
    pub fn list(
        &self,
        contract_id: &str,
        group_id: &str,
        after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Vec<&SimRequest> {
        let Some(ids) = self
            .by_pair
            .get(&(contract_id.to_string(), group_id.to_string()))
        else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| self.requests.get(id))
            .filter(|request| request.plan.created <= now)
            .filter(|request| after.is_none_or(|after| request.plan.created > after))
            .collect()
    }

    /// One request, only if it exists at `now` and belongs to this pair.
    pub fn get(
        &self,
        contract_id: &str,
        group_id: &str,
        sps_id: u64,
        now: DateTime<Utc>,
    ) -> Option<&SimRequest> {
        self.requests.get(&sps_id).filter(|request| {
            request.contract_id == contract_id
                && request.group_id == group_id
                && request.plan.created <= now
        })
    }

    /// Accepts a submission that passed the stateless checks, after the checks that need the
    /// world, and returns its spsId.
    pub fn submit(
        &mut self,
        contract_id: &str,
        group_id: &str,
        new: NewRequest,
        now: DateTime<Utc>,
    ) -> Result<u64, Vec<InvalidItem>> {
        let (enrollment_of, exists) = match new.kind {
            CertKind::ModSan => (
                Some(self.check_mod_san(contract_id, group_id, &new, now)?),
                false,
            ),
            CertKind::EdgeHost => {
                let (owner, exists) = self.check_edge_host(contract_id, group_id, &new, now)?;
                (Some(owner), exists)
            }
            _ => {
                self.check_cname_free(&new, now)?;
                (None, false)
            }
        };
        let mut plan = stories::plan(
            Story::Submitted,
            new.kind,
            new.issuer,
            &new.names,
            now,
            &mut self.rng,
        );
        if exists {
            plan.outcome = PlannedEnd::EdgeHostExists;
        }
        Ok(self.insert(Draft {
            contract_id: contract_id.to_string(),
            group_id: group_id.to_string(),
            kind: new.kind,
            issuer: new.issuer,
            cname_hostname: new.cname_hostname,
            names: new.names,
            parameters: new.parameters,
            plan,
            enrollment_of,
        }))
    }

    /// The operator fixed `domain`: every open challenge for it is checked again. Returns the
    /// spsIds of the requests concerned.
    pub fn fix_domain(&mut self, domain: &str, now: DateTime<Utc>) -> Vec<u64> {
        let domain = domain.trim().to_ascii_lowercase();
        let mut touched = Vec::new();
        for request in self.requests.values_mut() {
            if request.plan.created > now {
                continue;
            }
            let snapshot = lifecycle::snapshot(
                request.kind,
                request.issuer,
                &request.cname_hostname,
                &request.plan,
                now,
            );
            if is_terminal(&snapshot) {
                continue;
            }
            let mut changed = false;
            for plan in request.plan.domains.iter_mut() {
                let open = snapshot.domains.iter().any(|shown| {
                    shown.domain == plan.domain && shown.status != lifecycle::DOMAIN_VALID
                });
                if plan.domain == domain
                    && (open || snapshot.domains.is_empty())
                    && plan.fixed_at.is_none()
                {
                    plan.fixed_at = Some(now);
                    changed = true;
                }
            }
            if changed {
                touched.push(request.sps_id);
            }
        }
        touched
    }
}

pub fn is_terminal(snapshot: &Snapshot) -> bool {
    match snapshot.status {
        lifecycle::COMPLETE | lifecycle::CANCELLED => true,
        lifecycle::EDGE_HOST_EXISTS => snapshot.progress.contains("error"),
        _ => false,
    }
}
