//! Answering what a CPS change waits for: read the enrollment's pending change, find the input
//! it waits for, read what CPS says of it (its `info` link), then send the operator's answer
//! to its `update` link, journaled. A 409 means the change moved while the operator read:
//! the caller reads it again and asks again, never sends the old answer on.

use crate::cps::input::{
    Answer, ChangeId, ChangeManagementInfo, InputKind, ThirdPartyCsrs, Warnings,
};
use crate::cps::location::change_path;
use crate::cps::writes::PlannedWrite;
use crate::cps::{AllowedInput, DvChallenges};
use crate::model::Scope;
use crate::model::submission::CPS_ANSWER;
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

use super::journaled::{Entry, WriteFailure, send_journaled};

/// What CPS says of the input a change waits for.
#[derive(Debug, Clone)]
pub enum InputInfo {
    Challenges(DvChallenges),
    Warnings(Warnings),
    ChangeManagement(ChangeManagementInfo),
    ThirdPartyCsr(ThirdPartyCsrs),
}

/// A change waiting for the operator, with what CPS says of it.
#[derive(Debug, Clone)]
pub struct WaitingInput {
    pub enrollment_id: u64,
    pub common_name: String,
    /// The change's location, as the enrollment names it.
    pub change: String,
    pub kind: InputKind,
    /// Where the answer goes.
    pub update: String,
    pub info: InputInfo,
    /// The change's status as CPS wrote it.
    pub status: String,
}

impl WaitingInput {
    /// The hash change management is acknowledged with, when CPS gave one.
    pub fn hash(&self) -> Option<&str> {
        match &self.info {
            InputInfo::ChangeManagement(info) => info.validation_result_hash.as_deref(),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub enum AnswerError {
    /// Nothing to answer now (no pending change, or it waits for nothing spsdash answers).
    Nothing(String),
    /// Reading failed.
    Read(String),
    /// The change moved since it was read (409): read it again, ask again.
    Moved(String),
    Failed(String),
}

impl AnswerError {
    pub fn message(&self) -> &str {
        match self {
            AnswerError::Nothing(message)
            | AnswerError::Read(message)
            | AnswerError::Moved(message)
            | AnswerError::Failed(message) => message,
        }
    }
}

/// Reads what enrollment `enrollment_id`'s pending change waits for.
pub async fn read_waiting(
    backend: &Backend,
    enrollment_id: u64,
) -> Result<WaitingInput, AnswerError> {
    let cps = backend.cps();
    let read = |error: crate::cps::CpsError| AnswerError::Read(error.to_string());
    let enrollment = cps.enrollment(enrollment_id).await.map_err(read)?;
    let Some(listed) = enrollment.change_locations().next() else {
        return Err(AnswerError::Nothing(format!(
            "enrollment {enrollment_id} has no pending change: nothing waits for you"
        )));
    };
    // The path as every link of the change is checked against (`/cps-api/…` written
    // `/cps/v2/…`).
    let change = change_path(&cps.origin(), listed, Some(enrollment_id))
        .map_err(|error| AnswerError::Read(error.to_string()))?;
    let status = cps
        .change_status(&change, enrollment_id)
        .await
        .map_err(read)?;
    let said = status
        .status_info
        .as_ref()
        .and_then(|info| info.status.clone())
        .unwrap_or_default();
    let Some((kind, input)) = answerable(&status.allowed_input) else {
        return Err(AnswerError::Nothing(format!(
            "enrollment {enrollment_id}'s change ({said}) waits for nothing spsdash can answer now"
        )));
    };
    let (Some(info_link), Some(update)) = (input.info.clone(), input.update.clone()) else {
        return Err(AnswerError::Read(format!(
            "CPS gave no info or update link for the change's {} input",
            kind.input_type()
        )));
    };
    let media = kind.info_media_type();
    let what = kind.awaiting().label().to_string();
    let info = match kind {
        InputKind::Challenges => InputInfo::Challenges(
            cps.input_info(&change, &info_link, media, &what)
                .await
                .map_err(read)?,
        ),
        InputKind::PreVerificationWarnings | InputKind::PostVerificationWarnings => {
            InputInfo::Warnings(
                cps.input_info(&change, &info_link, media, &what)
                    .await
                    .map_err(read)?,
            )
        }
        InputKind::ChangeManagement => InputInfo::ChangeManagement(
            cps.input_info(&change, &info_link, media, &what)
                .await
                .map_err(read)?,
        ),
        InputKind::ThirdPartyCertificate => InputInfo::ThirdPartyCsr(
            cps.input_info(&change, &info_link, media, &what)
                .await
                .map_err(read)?,
        ),
    };
    Ok(WaitingInput {
        enrollment_id,
        common_name: enrollment.common_name().unwrap_or_default().to_string(),
        change,
        kind,
        update,
        info,
        status: said,
    })
}

/// The input to answer: the one required to proceed first, of the kinds spsdash knows.
fn answerable(inputs: &[AllowedInput]) -> Option<(InputKind, &AllowedInput)> {
    let known = |input: &&AllowedInput| {
        input
            .kind
            .as_deref()
            .and_then(InputKind::from_type)
            .is_some()
    };
    let input = inputs
        .iter()
        .filter(known)
        .find(|input| input.required_to_proceed == Some(true))
        .or_else(|| inputs.iter().find(known))?;
    Some((InputKind::from_type(input.kind.as_deref()?)?, input))
}

pub fn plan_answer(
    backend: &Backend,
    waiting: &WaitingInput,
    answer: &Answer,
) -> Result<PlannedWrite, String> {
    backend
        .cps()
        .plan_answer(
            waiting.enrollment_id,
            &waiting.change,
            &waiting.update,
            answer,
        )
        .map_err(|error| error.to_string())
}

/// Sends the answer, journaled.
pub async fn send_answer(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    waiting: &WaitingInput,
    write: &PlannedWrite,
) -> Result<ChangeId, AnswerError> {
    let cps = backend.cps();
    let body = write.body();
    let entry = Entry {
        scope,
        endpoint: CPS_ANSWER,
        name: &waiting.common_name,
        body: &body,
    };
    match send_journaled(
        journal,
        entry,
        || cps.send_answer(write),
        |answer: &ChangeId| answer.change.clone().unwrap_or_default(),
    )
    .await
    {
        Ok((answer, _)) => Ok(answer),
        Err((failure, _)) if failure.status() == Some(409) => Err(AnswerError::Moved(format!(
            "the change moved since it was read ({}); read again, then answer again",
            failure.message()
        ))),
        Err((WriteFailure::Lost(error), _)) => Err(AnswerError::Failed(format!(
            "no answer came ({error}): CPS may have taken it. Check with `spsdash show {}` \
             before answering again",
            waiting.enrollment_id
        ))),
        Err((failure, _)) => Err(AnswerError::Failed(failure.message())),
    }
}
