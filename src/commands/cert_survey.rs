//! Every certificate of the account and what each network serves. With CPS, the contracts'
//! enrollments are listed (one call each) and each enrollment's deployments read once; with
//! SPS, the certificates are found behind the requests (their `enrollmentId`) and each
//! enrollment read once (enrollment and deployments). A few reads at a time; `watch` reads
//! through a `ReadPlan`: one call a second, and not what the certificate cache holds from
//! within `[expiry] refresh_hours` (`cert_survey/records.rs`).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::cps::{CpsError, Enrollment};
use crate::model::{Api, Network, Scope};
use crate::source::{Backend, Pacer};

use super::CommandError;

mod records;

pub use records::{ReadPlan, recalled_row};

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
/// expiry first, each enrollment read now.
pub async fn survey(
    client: &Backend,
    only: Option<&Scope>,
    now: DateTime<Utc>,
) -> Result<Survey, CommandError> {
    survey_with(client, only, now, &ReadPlan::default()).await
}

/// Like [`survey`], reading as `plan` says.
pub async fn survey_with(
    client: &Backend,
    only: Option<&Scope>,
    now: DateTime<Utc>,
    plan: &ReadPlan<'_>,
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
        Api::Cps => enrollments_of(client, &scopes, plan.pacer).await,
        Api::Sps => enrollments_behind_requests(client, &scopes, plan.pacer).await,
    };
    // Once CPS says these credentials are not granted, it says so for every enrollment: the
    // rest are not asked (their rows repeat the refusal).
    let refused: Mutex<Option<String>> = Mutex::new(None);
    let reads = futures::stream::iter(found)
        .map(|(row, enrollment)| read_certificate(client, row, enrollment, now, plan, &refused))
        .buffered(CONCURRENT_READS)
        .inspect(|row| {
            if let Some(each) = plan.each_row {
                each(row);
            }
        });
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
async fn enrollments_of(client: &Backend, scopes: &[Scope], pacer: Option<&Pacer>) -> Found {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    let mut network_trouble = false;
    let mut contracts: Vec<&str> = scopes
        .iter()
        .map(|scope| scope.contract_id.as_str())
        .collect();
    contracts.dedup();
    for contract in contracts {
        paced(pacer).await;
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
async fn enrollments_behind_requests(
    client: &Backend,
    pairs: &[Scope],
    pacer: Option<&Pacer>,
) -> Found {
    let mut failures = Vec::new();
    let mut network_trouble = false;
    let mut found: BTreeMap<u64, CertificateRow> = BTreeMap::new();
    for pair in pairs {
        paced(pacer).await;
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

/// The row's deployments, and its enrollment unless the list gave it; or what `plan`'s
/// cache holds of it, when that is recent.
async fn read_certificate(
    client: &Backend,
    mut row: CertificateRow,
    listed: Option<Enrollment>,
    now: DateTime<Utc>,
    plan: &ReadPlan<'_>,
    refused: &Mutex<Option<String>>,
) -> CertificateRow {
    if let Some(record) = plan.fresh.get(&row.enrollment_id) {
        if let Some(enrollment) = &listed {
            row.describe(enrollment);
        }
        row.recall(record, listed.is_none(), now);
        return row;
    }
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
            None => {
                paced(plan.pacer).await;
                client.cps().enrollment(row.enrollment_id).await?
            }
        };
        paced(plan.pacer).await;
        let deployments = client.cps().deployments(row.enrollment_id).await?;
        Ok::<_, CpsError>((enrollment, deployments))
    }
    .await;
    match outcome {
        Ok((enrollment, deployments)) => {
            row.describe(&enrollment);
            let facts = crate::cps::certificate_facts(row.enrollment_id, &enrollment, &deployments);
            row.show_networks(&facts.networks, now);
            plan.keep(records::read(row.enrollment_id, Utc::now(), facts));
        }
        Err(error @ CpsError::NotFound { .. }) => {
            plan.keep(records::gone(
                row.enrollment_id,
                Utc::now(),
                error.to_string(),
            ));
            row.note = Some(error.to_string());
        }
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

/// Waits for the plan's call slot, when it has a budget.
async fn paced(pacer: Option<&Pacer>) {
    if let Some(pacer) = pacer {
        pacer.slot().await;
    }
}
