//! A new certificate on CPS: the enrollment (`POST /cps/v2/enrollments`), then its secure edge
//! hostname (`POST /papi/v1/edgehostnames`). Never two enrollments for one order: the
//! contract is listed first (an enrollment with the same common name and names is refused,
//! not made twice), and when the create's answer is lost the contract is listed again and the new
//! enrollment taken from there, never created again. An edge hostname that fails leaves the
//! enrollment as it is and says how to make only the edge hostname.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::cps::Enrollment;
use crate::cps::writes::{EnrollmentStatus, PlannedWrite};
use crate::edgegrid::{ApiError, Planned};
use crate::model::Scope;
use crate::model::submission::{CPS_CREATE, SubmissionOutcome};
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

use super::cps_order::CpsOrder;
use super::journaled::{Entry, WriteFailure, complete, send_journaled};
use super::papi_edge::{plan_edge_hostname, send_edge_hostname};

/// How often, and how far apart, the contract is listed again to find an enrollment whose
/// create answer was lost (CPS may finish the create a moment after the connection broke).
const FIND_ATTEMPTS: u32 = 3;
const FIND_SPACING: Duration = Duration::from_secs(2);

/// The two writes of a create, planned (what `--dry-run` prints and the review shows). The
/// edge hostname is planned for enrollment 0 until CPS names the new one.
pub struct PlannedCreate {
    pub enrollment: PlannedWrite,
    pub edge_hostname: Planned,
}

/// What a create did.
#[derive(Debug)]
pub struct Created {
    pub enrollment_id: u64,
    /// The enrollment's new change(s), as CPS named them.
    pub changes: Vec<String>,
    /// The create's answer was lost and the enrollment found in the contract's list.
    pub found_after_loss: bool,
    /// The edge hostname's link, or why it was not made (the enrollment stands).
    pub edge_hostname: Result<String, String>,
}

#[derive(Debug)]
pub enum CreateError {
    /// Reading or planning failed before anything was sent.
    Before(String),
    /// An enrollment of this contract already has this common name: not made again.
    Exists { enrollment_id: u64 },
    /// An earlier create of this order got no answer (its run killed, say) and made this
    /// enrollment, found in the contract's list: recorded, nothing sent.
    EarlierFound {
        enrollment_id: u64,
        sent_at: DateTime<Utc>,
    },
    /// An earlier create of this order got no answer and the contract does not list what it
    /// made: nothing sent, unless the operator says so (`--resend-unresolved`).
    EarlierUnresolved { sent_at: DateTime<Utc> },
    /// The create did not succeed (refused, journal unwritable, or lost and not found).
    Failed(WriteFailure),
}

impl CreateError {
    pub fn message(&self, scope: &Scope, common_name: &str) -> String {
        match self {
            CreateError::Before(message) => message.clone(),
            CreateError::Exists { enrollment_id } => format!(
                "contract {} already has enrollment {enrollment_id} for {common_name} with these \
                 names; nothing was sent (`spsdash show {enrollment_id}`; add names to it with \
                 `spsdash add-sans {enrollment_id} --domain …`)",
                scope.contract_id
            ),
            CreateError::EarlierFound {
                enrollment_id,
                sent_at,
            } => format!(
                "an earlier create of {common_name} on contract {} (sent {}, its answer lost) \
                 made enrollment {enrollment_id}; it is recorded now and nothing was sent \
                 (`spsdash show {enrollment_id}`; if it has no edge hostname, make one with \
                 `spsdash edge-host --enrollment-id {enrollment_id} …`)",
                scope.contract_id,
                sent_at.format("%Y-%m-%d %H:%M:%SZ")
            ),
            CreateError::EarlierUnresolved { sent_at } => format!(
                "an earlier create of {common_name} on contract {} (sent {}) got no answer, and \
                 the contract does not list an enrollment for it; nothing was sent. Check \
                 `spsdash list --contract {}` in a few minutes; if it never appears, run the \
                 create again with --resend-unresolved",
                scope.contract_id,
                sent_at.format("%Y-%m-%d %H:%M:%SZ"),
                scope.contract_id
            ),
            CreateError::Failed(WriteFailure::Lost(error)) => format!(
                "no answer came to the create ({error}), and contract {} does not list an \
                 enrollment for {common_name} yet; nothing was sent again. Run `spsdash list \
                 --contract {}` in a few minutes before ordering it again",
                scope.contract_id, scope.contract_id
            ),
            CreateError::Failed(failure) => failure.message(),
        }
    }
}

pub fn plan_create(
    backend: &Backend,
    scope: &Scope,
    order: &CpsOrder,
) -> Result<PlannedCreate, String> {
    let body = serde_json::to_value(&order.enrollment).map_err(|error| error.to_string())?;
    let enrollment = backend
        .cps()
        .plan_create(&scope.contract_id, &body)
        .map_err(|error| error.to_string())?;
    let edge_hostname = plan_edge_hostname(backend, scope, &order.edge_hostname(0))?.planned;
    Ok(PlannedCreate {
        enrollment,
        edge_hostname,
    })
}

/// Orders the certificate and its edge hostname (`scope`: the contract, and the group the
/// edge hostname goes to). An earlier create of the same order that got no answer is
/// reconciled against the contract's list first; `resend_unresolved` sends anyway when the
/// list does not show it.
pub async fn create(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    order: &CpsOrder,
    resend_unresolved: bool,
) -> Result<Created, CreateError> {
    let cps = backend.cps();
    let planned = plan_create(backend, scope, order).map_err(CreateError::Before)?;
    let before = cps
        .enrollments(&scope.contract_id)
        .await
        .map_err(|error| CreateError::Before(error.to_string()))?;
    reconcile_earlier(
        journal,
        scope,
        order,
        &before.enrollments,
        resend_unresolved,
    )
    .await?;
    if let Some(existing) = same_order(&before.enrollments, order, &[]) {
        return Err(CreateError::Exists {
            enrollment_id: existing,
        });
    }
    let known: Vec<u64> = before
        .enrollments
        .iter()
        .filter_map(Enrollment::enrollment_id)
        .collect();
    let contract = Scope::contract(&scope.contract_id);
    let body = planned.enrollment.body();
    let entry = Entry {
        scope: &contract,
        endpoint: CPS_CREATE,
        name: order.common_name(),
        body: &body,
    };
    let sent = send_journaled(
        journal,
        entry,
        || cps.send_enrollment(&planned.enrollment),
        |status: &EnrollmentStatus| status.enrollment.clone().unwrap_or_default(),
    )
    .await;
    let (enrollment_id, changes, found_after_loss) = match sent {
        Ok((status, _)) => {
            let id = status.enrollment_id().ok_or_else(|| {
                CreateError::Before(format!(
                    "CPS made the enrollment but named no id ({:?}); `spsdash list --contract {}` \
                     shows it",
                    status.enrollment, scope.contract_id
                ))
            })?;
            (id, status.changes, false)
        }
        Err((WriteFailure::Lost(error), Some(journal_id))) => {
            let Some(found) = find_after_loss(backend, scope, order, &known).await else {
                return Err(CreateError::Failed(WriteFailure::Lost(error)));
            };
            complete(
                journal,
                &journal_id,
                SubmissionOutcome::Reconciled { sps_id: found },
            )
            .await;
            (found, Vec::new(), true)
        }
        Err((failure, _)) => return Err(CreateError::Failed(failure)),
    };
    let edge_hostname = make_edge_hostname(backend, journal, scope, order, enrollment_id).await;
    Ok(Created {
        enrollment_id,
        changes,
        found_after_loss,
        edge_hostname,
    })
}

/// The edge hostname for `enrollment_id`, journaled; its link, or why not and what to do.
pub async fn make_edge_hostname(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    order: &CpsOrder,
    enrollment_id: u64,
) -> Result<String, String> {
    let retry = format!(
        "make only the edge hostname with `spsdash edge-host --enrollment-id {enrollment_id} \
         --cname-hostname {} --product {} --contract {} --group {}`",
        order.edge_prefix,
        order.product,
        scope.contract_id,
        scope.group().unwrap_or("G")
    );
    let edge = plan_edge_hostname(backend, scope, &order.edge_hostname(enrollment_id))
        .map_err(|error| format!("{error}; then {retry}"))?;
    send_edge_hostname(backend, journal, scope, &edge)
        .await
        .map_err(|failure| {
            format!(
                "the edge hostname {} was not made: {}; the enrollment stands: {retry}",
                edge.name,
                failure.message()
            )
        })
}

/// An earlier create of this order (same contract, same common name) still unresolved in the
/// journal (no answer came; its run may have been killed): found in the contract's list, it
/// is recorded as that enrollment and nothing is sent; not found, nothing is sent unless
/// `resend` (then the earlier entry is settled as not made, on the operator's word).
async fn reconcile_earlier(
    journal: &SubmissionJournal,
    scope: &Scope,
    order: &CpsOrder,
    listed: &[Enrollment],
    resend: bool,
) -> Result<(), CreateError> {
    let contract = Scope::contract(&scope.contract_id);
    let lookup = journal.clone();
    let name = order.common_name().to_string();
    let earlier = tokio::task::spawn_blocking(move || {
        lookup.unresolved_writes(&contract, CPS_CREATE, &name)
    })
    .await
    .map_err(|error| CreateError::Before(format!("the journal task failed: {error}")))?
    .map_err(|error| {
        CreateError::Before(format!(
            "cannot read the submissions journal {} to check for an earlier create: {error}",
            journal.path().display()
        ))
    })?;
    let Some(latest) = earlier.last() else {
        return Ok(());
    };
    let sent_at = latest.sent_at;
    if let Some(found) = same_order(listed, order, &[]) {
        for entry in &earlier {
            complete(
                journal,
                &entry.id,
                SubmissionOutcome::Reconciled { sps_id: found },
            )
            .await;
        }
        return Err(CreateError::EarlierFound {
            enrollment_id: found,
            sent_at,
        });
    }
    if !resend {
        return Err(CreateError::EarlierUnresolved { sent_at });
    }
    for entry in &earlier {
        let message = "not in the contract's list; sent again with --resend-unresolved";
        complete(
            journal,
            &entry.id,
            SubmissionOutcome::Refused {
                message: message.to_string(),
            },
        )
        .await;
    }
    Ok(())
}

/// Lists the contract again (a few times) for the enrollment a lost create made.
async fn find_after_loss(
    backend: &Backend,
    scope: &Scope,
    order: &CpsOrder,
    known: &[u64],
) -> Option<u64> {
    for attempt in 0..FIND_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(FIND_SPACING).await;
        }
        match backend.cps().enrollments(&scope.contract_id).await {
            Ok(list) => {
                if let Some(found) = same_order(&list.enrollments, order, known) {
                    return Some(found);
                }
            }
            Err(error) => tracing::warn!(%error, "listing the contract after a lost create"),
        }
    }
    None
}

/// An enrollment not in `known` with the order's common name (and, when it lists them, the
/// same names).
fn same_order(enrollments: &[Enrollment], order: &CpsOrder, known: &[u64]) -> Option<u64> {
    let wanted: Vec<String> = sorted_lower(&order.enrollment.csr.sans);
    enrollments
        .iter()
        .filter(|enrollment| {
            enrollment
                .enrollment_id()
                .is_some_and(|id| !known.contains(&id))
        })
        .filter(|enrollment| {
            enrollment
                .common_name()
                .is_some_and(|cn| cn.eq_ignore_ascii_case(order.common_name()))
        })
        .filter(|enrollment| {
            enrollment.sans().is_empty() || sorted_lower(enrollment.sans()) == wanted
        })
        .filter_map(Enrollment::enrollment_id)
        .max()
}

fn sorted_lower(names: &[String]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|name| name.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    names
}

impl From<ApiError> for CreateError {
    fn from(error: ApiError) -> Self {
        CreateError::Before(error.to_string())
    }
}
