//! The certificates behind the SPS requests: every pair's requests listed once, then each
//! enrollment read once from CPS (enrollment and deployments), a few at a time.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::cps::{CpsError, Deployment};
use crate::model::Network;
use crate::model::Scope;
use crate::source::Backend;

use super::CommandError;

/// CPS reads in flight at once: gentle on the API, quick enough for a few hundred enrollments.
const CONCURRENT_READS: usize = 4;

/// One certificate (enrollment) and the SPS requests that lead to it.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateRow {
    pub enrollment_id: u64,
    pub contract_id: String,
    pub group_id: String,
    pub cname_hostname: Option<String>,
    pub ids: Vec<u64>,
    pub common_name: Option<String>,
    pub validation_type: Option<String>,
    pub sans_requested: Vec<String>,
    pub production: Option<NetworkState>,
    pub staging: Option<NetworkState>,
    pub pending_changes: usize,
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

/// Lists the requests of each pair, then reads each enrollment once (enrollment and
/// deployments: two calls per certificate, whatever the number of requests sharing it).
pub async fn survey(
    client: &Backend,
    only: Option<&Scope>,
    now: DateTime<Utc>,
) -> Result<Survey, CommandError> {
    let pairs = match only {
        Some(pair) => vec![pair.clone()],
        None => client
            .scopes()
            .await?
            .into_iter()
            .map(|named| named.scope)
            .collect(),
    };
    let mut failures = Vec::new();
    let mut network_trouble = false;
    let mut found: BTreeMap<u64, CertificateRow> = BTreeMap::new();
    for pair in &pairs {
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
            let row = found
                .entry(enrollment_id)
                .or_insert_with(|| CertificateRow {
                    enrollment_id,
                    contract_id: pair.contract_id.clone(),
                    group_id: pair.group_id.clone().unwrap_or_default(),
                    cname_hostname: None,
                    ids: Vec::new(),
                    common_name: None,
                    validation_type: None,
                    sans_requested: Vec::new(),
                    production: None,
                    staging: None,
                    pending_changes: 0,
                    note: None,
                    unknown: false,
                    network: false,
                });
            row.ids.push(request.id);
            if row.cname_hostname.is_none() {
                row.cname_hostname = request.hostname.as_deref().map(str::to_string);
            }
        }
    }
    // Once CPS says these credentials are not granted, it says so for every enrollment: the
    // rest are not asked (their rows repeat the refusal).
    let refused: Mutex<Option<String>> = Mutex::new(None);
    let reads = futures::stream::iter(found.into_values())
        .map(|row| read_certificate(client, row, now, &refused))
        .buffered(CONCURRENT_READS);
    let mut rows: Vec<CertificateRow> = reads.collect().await;
    network_trouble |= rows.iter().any(|row| row.network);
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

async fn read_certificate(
    client: &Backend,
    mut row: CertificateRow,
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
        let enrollment = client.cps().enrollment(row.enrollment_id).await?;
        let deployments = client.cps().deployments(row.enrollment_id).await?;
        Ok::<_, CpsError>((enrollment, deployments))
    }
    .await;
    match outcome {
        Ok((enrollment, deployments)) => {
            row.common_name = enrollment.common_name().map(str::to_string);
            row.validation_type = enrollment.validation_type.clone();
            row.sans_requested = enrollment.sans().to_vec();
            row.pending_changes = enrollment.pending_changes.len();
            row.production = NetworkState::of(deployments.network(Network::Production), now);
            row.staging = NetworkState::of(deployments.network(Network::Staging), now);
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
