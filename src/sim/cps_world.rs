//! CPS as the simulated SPS world implies it, computed when read like everything else in the
//! simulator: an enrollment exists once SPS reports its `enrollmentId`; the certificate of a
//! request that completes is deployed to staging shortly before production (where SPS then
//! says complete); DV certificates expire a year after issue, OV ones per
//! `assets/cps-world.toml`, which also holds the demo's hand-picked expiries and the one
//! enrollment that was deleted since.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Months, Timelike, Utc};
use serde::Deserialize;

use super::cps_names::Network;
use super::lifecycle::{self, CertKind, Issuer};
use super::world::{self, SimRequest, World};

const CPS_WORLD: &str = include_str!("../../assets/cps-world.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    ov_validity_days: i64,
    staging_lead_minutes: i64,
    #[serde(default)]
    certificates: Vec<CertificateFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificateFile {
    cname: String,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(default)]
    deleted: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ov_validity_days: 365,
            staging_lead_minutes: 5,
            certificates: Vec::new(),
        }
    }
}

pub(super) fn parse_settings(text: &str) -> Result<Settings, String> {
    toml::from_str(text).map_err(|error| format!("assets/cps-world.toml: {error}"))
}

/// The shipped settings; a broken file (caught by a unit test) falls back to the defaults.
fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        parse_settings(CPS_WORLD).unwrap_or_else(|error| {
            tracing::warn!("{error}; CPS uses its defaults");
            Settings::default()
        })
    })
}

/// One enrollment: the certificate requests that share its id, oldest first.
pub(super) struct SimEnrollment<'a> {
    pub id: u64,
    /// The request that created the certificate (single, wildcard or san).
    pub base: &'a SimRequest,
    pub requests: Vec<&'a SimRequest>,
    pub now: DateTime<Utc>,
    /// The world's start, which the demo's hand-picked expiries count from.
    pub origin: DateTime<Utc>,
    settings: &'static Settings,
}

/// A certificate as deployed on one network.
pub(super) struct Issued<'a> {
    pub request: &'a SimRequest,
    pub issued: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    /// The names on it: the base request's plus those of every modSan completed by then.
    pub names: Vec<String>,
}

/// The enrollment as CPS would show it at `now`; `None` when CPS does not know it (yet, or
/// any more).
pub(super) fn find(
    world: &World,
    enrollment_id: u64,
    now: DateTime<Utc>,
    origin: DateTime<Utc>,
) -> Option<SimEnrollment<'_>> {
    let requests: Vec<&SimRequest> = world
        .pairs()
        .iter()
        .flat_map(|(contract, group)| world.list(contract, group, None, now))
        .filter(|request| request.enrollment_id == enrollment_id)
        .collect();
    assemble(enrollment_id, requests, now, origin)
}

/// Every enrollment SPS made in `contract_id` that CPS knows at `now`, by id: one pass over
/// the contract's requests.
pub(super) fn of_contract<'a>(
    world: &'a World,
    contract_id: &str,
    now: DateTime<Utc>,
    origin: DateTime<Utc>,
) -> Vec<SimEnrollment<'a>> {
    let mut by_enrollment: BTreeMap<u64, Vec<&SimRequest>> = BTreeMap::new();
    for (contract, group) in world.pairs() {
        if contract != contract_id {
            continue;
        }
        for request in world.list(&contract, &group, None, now) {
            by_enrollment
                .entry(request.enrollment_id)
                .or_default()
                .push(request);
        }
    }
    by_enrollment
        .into_iter()
        .filter_map(|(id, requests)| assemble(id, requests, now, origin))
        .filter(|enrollment| enrollment.base.contract_id == contract_id)
        .collect()
}

fn assemble<'a>(
    enrollment_id: u64,
    mut requests: Vec<&'a SimRequest>,
    now: DateTime<Utc>,
    origin: DateTime<Utc>,
) -> Option<SimEnrollment<'a>> {
    requests.retain(|request| request.kind != CertKind::EdgeHost);
    requests.sort_by_key(|request| request.sps_id);
    let base = requests
        .iter()
        .copied()
        .find(|request| request.kind != CertKind::ModSan)
        .or_else(|| requests.first().copied())?;
    let settings = settings();
    let deleted = settings
        .certificates
        .iter()
        .any(|file| file.deleted && file.cname == base.cname_hostname);
    let enrolled = requests
        .iter()
        .any(|request| request.snapshot(now).enrolled);
    if deleted || !enrolled {
        return None;
    }
    Some(SimEnrollment {
        id: enrollment_id,
        base,
        requests,
        now,
        origin,
        settings,
    })
}

impl<'a> SimEnrollment<'a> {
    pub fn is_dv(&self) -> bool {
        self.base.issuer == Issuer::LetsEncrypt
    }

    /// The names asked for: the base request's and those of every modSan not cancelled.
    pub fn requested_names(&self) -> Vec<String> {
        self.names_of(|request| request.snapshot(self.now).status != lifecycle::CANCELLED)
    }

    /// Changes CPS is still working on: the requests SPS shows in progress.
    pub fn pending(&self) -> Vec<&'a SimRequest> {
        self.requests
            .iter()
            .copied()
            .filter(|request| !world::is_terminal(&request.snapshot(self.now)))
            .collect()
    }

    /// A change by its id (the job id of the request behind it), finished or not.
    pub fn change(&self, change_id: u64) -> Option<&'a SimRequest> {
        self.requests
            .iter()
            .copied()
            .find(|request| request.job_id == change_id)
    }

    /// Whether staging already serves what `request` issues (it gets it
    /// `staging_lead_minutes` before production, where SPS then says complete).
    pub fn on_staging(&self, request: &SimRequest) -> bool {
        let lead = Duration::minutes(self.settings.staging_lead_minutes);
        request.snapshot(self.now + lead).status == lifecycle::COMPLETE
    }

    /// What `network` serves at `now`: the newest certificate completed (production), or
    /// about to complete (staging gets it `staging_lead_minutes` early).
    pub fn deployed(&self, network: Network) -> Option<Issued<'a>> {
        let lead = Duration::minutes(self.settings.staging_lead_minutes);
        let look_ahead = match network {
            Network::Production => Duration::zero(),
            Network::Staging => lead,
        };
        let (request, completed) = self.requests.iter().rev().find_map(|request| {
            let snapshot = request.snapshot(self.now + look_ahead);
            (snapshot.status == lifecycle::COMPLETE).then_some((*request, snapshot.last_change))
        })?;
        let issued = completed - lead;
        let names = self.names_of(|other| {
            other.sps_id <= request.sps_id
                && other.snapshot(self.now + look_ahead).status == lifecycle::COMPLETE
        });
        Some(Issued {
            request,
            issued,
            expires: self.expiry(request, issued),
            names,
        })
    }

    fn expiry(&self, request: &SimRequest, issued: DateTime<Utc>) -> DateTime<Utc> {
        let picked = self
            .settings
            .certificates
            .iter()
            .find(|file| file.cname == request.cname_hostname)
            .and_then(|file| file.expires_in_days);
        if let Some(days) = picked.filter(|_| request.sps_id == self.base.sps_id) {
            // Whole seconds on the wire: round up so the demo starts at exactly N days left.
            let exact = self.origin + Duration::days(days);
            return exact
                .with_nanosecond(0)
                .map_or(exact, |whole| whole + Duration::seconds(1));
        }
        match request.issuer {
            Issuer::LetsEncrypt => issued
                .checked_add_months(Months::new(12))
                .unwrap_or(issued + Duration::days(365)),
            Issuer::Symantec => issued + Duration::days(self.settings.ov_validity_days),
        }
    }

    /// The base request's names, then those of each modSan `counts` keeps, without repeats.
    fn names_of(&self, counts: impl Fn(&SimRequest) -> bool) -> Vec<String> {
        let mut names: Vec<String> = self.base.names.clone();
        for request in &self.requests {
            if request.kind == CertKind::ModSan && counts(request) {
                for name in &request.names {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
        }
        names
    }

    /// A parameter the base request was submitted with.
    pub fn parameter(&self, name: &str) -> Option<&'a str> {
        self.base
            .parameters
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_settings_parse_and_name_the_demo_certificates() {
        let settings = parse_settings(CPS_WORLD).expect("assets/cps-world.toml parses");
        let days: Vec<i64> = settings
            .certificates
            .iter()
            .filter_map(|file| file.expires_in_days)
            .collect();
        assert_eq!(days, [3, 20, 200]);
        assert_eq!(
            settings
                .certificates
                .iter()
                .filter(|file| file.deleted)
                .count(),
            1
        );
        assert!(
            parse_settings("ov_validity_days = 1\nstaging_lead_minutes = 1\nbogus = 2").is_err()
        );
    }
}
