//! Every certificate of the account and what each network serves. With CPS, the contracts'
//! enrollments are listed (one call each) and each enrollment's deployments read once; with
//! SPS, the certificates are found behind the requests (their `enrollmentId`) and each
//! enrollment read once (enrollment and deployments). A few reads at a time.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::cps::{CpsError, Deployment, Deployments, Enrollment};
use crate::model::{Api, Network, Scope};
use crate::source::Backend;

use super::CommandError;

/// CPS reads in flight at once: gentle on the API, quick enough for a few hundred enrollments.
const CONCURRENT_READS: usize = 4;

/// One certificate (enrollment) and, with SPS, the requests that lead to it.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateRow {
    pub enrollment_id: u64,
    pub contract_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    pub cname_hostname: Option<String>,
    /// The SPS requests that name the enrollment (none with CPS: the enrollment is the
    /// request).
    #[serde(rename = "spsIds", skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<u64>,
    pub common_name: Option<String>,
    pub validation_type: Option<String>,
    pub sans_requested: Vec<String>,
    pub production: Option<NetworkState>,
    pub staging: Option<NetworkState>,
    pub pending_changes: usize,
    /// The networks serving a certificate whose expiry could not be read (shown as unknown).
    #[serde(skip)]
    pub unreadable_expiry: Vec<Network>,
    /// Why CPS could not tell (or that the enrollment is gone).
    pub note: Option<String>,
    #[serde(skip)]
    pub unknown: bool,
    /// The read failed for want of a network, not for an answer.
    #[serde(skip)]
    pub network: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkState {
    pub expiry: DateTime<Utc>,
    pub days_left: i64,
    pub dns_names: Vec<String>,
}

impl NetworkState {
    fn of(deployment: Option<&Deployment>, now: DateTime<Utc>) -> Option<NetworkState> {
        let deployment = deployment?;
        let expiry = deployment.expiry()?;
        Some(NetworkState {
            expiry,
            days_left: crate::model::days_left(expiry, now),
            dns_names: deployment.dns_names().to_vec(),
        })
    }
}

/// Every certificate found, and what could not be read at all.
pub struct Survey {
    pub rows: Vec<CertificateRow>,
    pub failures: Vec<String>,
    /// The failures include network trouble (exit 3 rather than 1 for `certs`).
    pub network_trouble: bool,
}

impl Survey {
    pub fn has_unknowns(&self) -> bool {
        !self.failures.is_empty() || self.rows.iter().any(|row| row.unknown)
    }
}

/// Every certificate of the scopes (`only`, else every one PAPI lists), soonest production
/// expiry first.
pub async fn survey(
    client: &Backend,
    only: Option<&Scope>,
    now: DateTime<Utc>,
) -> Result<Survey, CommandError> {
    let scopes = match only {
        Some(scope) => vec![scope.clone()],
        None => client
            .scopes()
            .await?
            .into_iter()
            .map(|named| named.scope)
            .collect(),
    };
    let (found, mut failures, mut network_trouble) = match client.api() {
        Api::Cps => enrollments_of(client, &scopes).await,
        Api::Sps => enrollments_behind_requests(client, &scopes).await,
    };
    // Once CPS says these credentials are not granted, it says so for every enrollment: the
    // rest are not asked (their rows repeat the refusal).
    let refused: Mutex<Option<String>> = Mutex::new(None);
    let reads = futures::stream::iter(found)
        .map(|(row, enrollment)| read_certificate(client, row, enrollment, now, &refused))
        .buffered(CONCURRENT_READS);
    let mut rows: Vec<CertificateRow> = reads.collect().await;
    network_trouble |= rows.iter().any(|row| row.network);
    failures.dedup();
    rows.sort_by_key(|row| {
        (
            row.production.as_ref().map(|state| state.expiry),
            row.enrollment_id,
        )
    });
    // Certificates with an expiry first, soonest first; the rest after, by enrollment.
    rows.sort_by_key(|row| row.production.is_none());
    Ok(Survey {
        rows,
        failures,
        network_trouble,
    })
}

/// What is found before any enrollment is read: its row, and the enrollment when the list
/// gave it whole (CPS).
type Found = (Vec<(CertificateRow, Option<Enrollment>)>, Vec<String>, bool);

/// Each contract's enrollments (one call per contract).
async fn enrollments_of(client: &Backend, scopes: &[Scope]) -> Found {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    let mut network_trouble = false;
    let mut contracts: Vec<&str> = scopes
        .iter()
        .map(|scope| scope.contract_id.as_str())
        .collect();
    contracts.dedup();
    for contract in contracts {
        match client.cps().enrollments(contract).await {
            Ok(list) => {
                failures.extend(
                    list.skipped
                        .iter()
                        .map(|why| format!("contract {contract}: {why}")),
                );
                for enrollment in list.enrollments {
                    let Some(enrollment_id) = enrollment.enrollment_id() else {
                        continue;
                    };
                    let mut row = CertificateRow::new(enrollment_id, contract, None);
                    row.describe(&enrollment);
                    found.push((row, Some(enrollment)));
                }
            }
            Err(error) => {
                network_trouble |= error.is_network();
                failures.push(format!("contract {contract}: {error}"));
            }
        }
    }
    (found, failures, network_trouble)
}

/// Lists the requests of each pair, the enrollment each names (once, whatever the number of
/// requests sharing it).
async fn enrollments_behind_requests(client: &Backend, pairs: &[Scope]) -> Found {
    let mut failures = Vec::new();
    let mut network_trouble = false;
    let mut found: BTreeMap<u64, CertificateRow> = BTreeMap::new();
    for pair in pairs {
        let requests = match client.list(pair, None).await {
            Ok(listed) => listed.requests,
            Err(error) => {
                network_trouble |= error.is_network();
                failures.push(format!("{pair}: {error}"));
                continue;
            }
        };
        for request in requests {
            let Some(enrollment_id) = request.enrollment_id else {
                continue;
            };
            let row = found.entry(enrollment_id).or_insert_with(|| {
                CertificateRow::new(enrollment_id, &pair.contract_id, pair.group())
            });
            row.ids.push(request.id);
            if row.cname_hostname.is_none() {
                row.cname_hostname = request.hostname.as_deref().map(str::to_string);
            }
        }
    }
    let found = found.into_values().map(|row| (row, None)).collect();
    (found, failures, network_trouble)
}

impl CertificateRow {
    fn new(enrollment_id: u64, contract_id: &str, group_id: Option<&str>) -> CertificateRow {
        CertificateRow {
            enrollment_id,
            contract_id: contract_id.to_string(),
            group_id: group_id.map(str::to_string),
            cname_hostname: None,
            ids: Vec::new(),
            common_name: None,
            validation_type: None,
            sans_requested: Vec::new(),
            production: None,
            staging: None,
            pending_changes: 0,
            unreadable_expiry: Vec::new(),
            note: None,
            unknown: false,
            network: false,
        }
    }

    /// What the enrollment says of the certificate: its names, validation, pending changes.
    fn describe(&mut self, enrollment: &Enrollment) {
        self.common_name = enrollment.common_name().map(str::to_string);
        self.validation_type = enrollment.validation_type.clone();
        self.sans_requested = enrollment.sans().to_vec();
        self.pending_changes = enrollment.pending_changes.len();
    }
}

impl CertificateRow {
    /// A served certificate whose expiry cannot be read is never "not expiring": on production
    /// it makes the row unknown (`expiring` exits 3); on staging it is only shown.
    fn note_unreadable_expiries(&mut self, deployments: &Deployments) {
        for network in Network::ALL {
            let Some(why) = deployments
                .network(network)
                .and_then(Deployment::unreadable_expiry)
            else {
                continue;
            };
            self.unreadable_expiry.push(network);
            if network == Network::Production {
                self.unknown = true;
                self.production = None;
                self.note = Some(format!(
                    "production certificate: {why}; its expiry is unknown"
                ));
            }
        }
    }
}

/// The row's deployments, and its enrollment unless the list gave it.
async fn read_certificate(
    client: &Backend,
    mut row: CertificateRow,
    listed: Option<Enrollment>,
    now: DateTime<Utc>,
    refused: &Mutex<Option<String>>,
) -> CertificateRow {
    let earlier = refused
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    if let Some(refusal) = earlier {
        row.unknown = true;
        row.note = Some(refusal);
        return row;
    }
    let outcome = async {
        let enrollment = match listed {
            Some(enrollment) => enrollment,
            None => client.cps().enrollment(row.enrollment_id).await?,
        };
        let deployments = client.cps().deployments(row.enrollment_id).await?;
        Ok::<_, CpsError>((enrollment, deployments))
    }
    .await;
    match outcome {
        Ok((enrollment, deployments)) => {
            row.describe(&enrollment);
            row.production = NetworkState::of(deployments.network(Network::Production), now);
            row.staging = NetworkState::of(deployments.network(Network::Staging), now);
            row.note_unreadable_expiries(&deployments);
        }
        Err(error @ CpsError::NotFound { .. }) => row.note = Some(error.to_string()),
        Err(error) => {
            if matches!(error, CpsError::NotGranted { .. }) {
                *refused.lock().unwrap_or_else(PoisonError::into_inner) = Some(error.to_string());
            }
            row.unknown = true;
            row.network = error.is_network();
            row.note = Some(error.to_string());
        }
    }
    row
}
