//! Adding names to a CPS certificate: the enrollment read whole, sent back with the names
//! (`PUT /cps/v2/enrollments/{id}`), journaled. A pending change is never cancelled unless the
//! operator said so (`allow-cancel-pending-changes`).

use crate::cps::name_update::with_added_names;
use crate::cps::writes::{EnrollmentStatus, PlannedWrite, UpdateFlags};
use crate::model::Scope;
use crate::model::submission::CPS_UPDATE;
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

use super::journaled::{Entry, WriteFailure, send_journaled};

/// The update, planned: what `--dry-run` prints and the review shows.
#[derive(Debug, Clone)]
pub struct PlannedNames {
    pub enrollment_id: u64,
    pub common_name: String,
    pub write: PlannedWrite,
}

/// Reads enrollment `enrollment_id` and plans the update that adds `names` (ASCII, checked);
/// why not, in words, otherwise.
pub async fn plan_names(
    backend: &Backend,
    enrollment_id: u64,
    names: &[String],
    cancel_pending: bool,
) -> Result<PlannedNames, String> {
    let cps = backend.cps();
    let enrollment = cps
        .enrollment_json(enrollment_id)
        .await
        .map_err(|error| error.to_string())?;
    let pending = enrollment
        .get("pendingChanges")
        .and_then(|changes| changes.as_array())
        .is_some_and(|changes| !changes.is_empty());
    if pending && !cancel_pending {
        return Err(format!(
            "enrollment {enrollment_id} has a pending change; new names now would cancel it. \
             Wait for it (`spsdash wait {enrollment_id} --until complete`), or pass \
             --cancel-pending to replace it"
        ));
    }
    let body = with_added_names(&enrollment, names)
        .map_err(|reason| format!("enrollment {enrollment_id}: {reason}"))?;
    let flags = UpdateFlags {
        allow_cancel_pending_changes: pending && cancel_pending,
    };
    let write = cps
        .plan_update(enrollment_id, &body, flags)
        .map_err(|error| error.to_string())?;
    let common_name = enrollment
        .pointer("/csr/cn")
        .and_then(|cn| cn.as_str())
        .unwrap_or_default()
        .to_string();
    Ok(PlannedNames {
        enrollment_id,
        common_name,
        write,
    })
}

/// Sends the planned update, journaled; the new change(s) CPS made.
pub async fn add_names(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    planned: &PlannedNames,
) -> Result<EnrollmentStatus, String> {
    let cps = backend.cps();
    let body = planned.write.body();
    let entry = Entry {
        scope,
        endpoint: CPS_UPDATE,
        name: &planned.common_name,
        body: &body,
    };
    match send_journaled(
        journal,
        entry,
        || cps.send_enrollment(&planned.write),
        |status: &EnrollmentStatus| status.changes.first().cloned().unwrap_or_default(),
    )
    .await
    {
        Ok((status, _)) => Ok(status),
        Err((WriteFailure::Lost(error), _)) => Err(format!(
            "no answer came ({error}): the names may have been added. Check with `spsdash show \
             {}` before sending them again",
            planned.enrollment_id
        )),
        Err((failure, _)) => Err(failure.message()),
    }
}
