//! One write, the safe way: journaled before it is sent, sent once, completed with how it
//! ended. A write whose answer never came is *lost*, not failed: it may have been done, so
//! nothing sends it again blindly (issue 5's rule, now for CPS and PAPI too).

use std::future::Future;

use chrono::Utc;

use crate::edgegrid::ApiError;
use crate::model::Scope;
use crate::model::submission::SubmissionOutcome;
use crate::store::submissions::SubmissionJournal;

/// How a write did not succeed.
#[derive(Debug)]
pub enum WriteFailure {
    /// The journal could not be written: nothing was sent.
    Journal(String),
    /// The API answered no: nothing was made or changed.
    Refused(ApiError),
    /// No usable answer: it may have been done. The journal keeps it as lost.
    Lost(ApiError),
}

impl WriteFailure {
    pub fn message(&self) -> String {
        match self {
            WriteFailure::Journal(detail) => {
                format!("the submissions journal could not be written ({detail}); nothing was sent")
            }
            WriteFailure::Refused(error) => error.to_string(),
            WriteFailure::Lost(error) => format!("no answer came ({error})"),
        }
    }

    /// The HTTP status of a refusal (409: the change moved meanwhile).
    pub fn status(&self) -> Option<u16> {
        match self {
            WriteFailure::Refused(error) => error.http_status(),
            _ => None,
        }
    }
}

/// What to write in the journal of one write.
pub struct Entry<'a> {
    pub scope: &'a Scope,
    /// `model::submission`'s name of the write.
    pub endpoint: &'a str,
    /// What it is listed under (common name, edge hostname).
    pub name: &'a str,
    pub body: &'a str,
}

/// Journals `entry`, runs `send` once, records the outcome (`location_of` the answer when it
/// came). Returns the answer and the journal id (to record a reconciliation later).
pub async fn send_journaled<T, Send, Sent>(
    journal: &SubmissionJournal,
    entry: Entry<'_>,
    send: Send,
    location_of: impl Fn(&T) -> String,
) -> Result<(T, String), (WriteFailure, Option<String>)>
where
    Send: FnOnce() -> Sent,
    Sent: Future<Output = Result<T, ApiError>>,
{
    let begun = {
        let journal = journal.clone();
        let (scope, endpoint, name, body) = (
            entry.scope.clone(),
            entry.endpoint.to_string(),
            entry.name.to_string(),
            entry.body.to_string(),
        );
        tokio::task::spawn_blocking(move || {
            journal
                .begin_write(&scope, &endpoint, &body, &name, Utc::now())
                .map_err(|error| format!("{}: {error}", journal.path().display()))
        })
        .await
        .unwrap_or_else(|error| Err(format!("the journal task failed: {error}")))
    };
    let id = begun.map_err(|detail| (WriteFailure::Journal(detail), None))?;
    let result = send().await;
    let (outcome, answer) = match result {
        Ok(answer) => (
            SubmissionOutcome::Answered {
                location: location_of(&answer),
            },
            Ok(answer),
        ),
        Err(error) if is_lost(&error) => (
            SubmissionOutcome::Lost {
                message: error.to_string(),
            },
            Err(WriteFailure::Lost(error)),
        ),
        Err(error) => (
            SubmissionOutcome::Refused {
                message: error.to_string(),
            },
            Err(WriteFailure::Refused(error)),
        ),
    };
    complete(journal, &id, outcome).await;
    match answer {
        Ok(answer) => Ok((answer, id)),
        Err(failure) => Err((failure, Some(id))),
    }
}

/// Records a later outcome of the journal entry `id` (a lost create found in the list).
pub async fn complete(journal: &SubmissionJournal, id: &str, outcome: SubmissionOutcome) {
    let (journal, id) = (journal.clone(), id.to_string());
    let done =
        tokio::task::spawn_blocking(move || journal.complete(&id, outcome, Utc::now())).await;
    match done {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not complete the submissions journal entry")
        }
        Err(error) => tracing::warn!(%error, "the journal task failed"),
    }
}

/// No usable answer: the write may have been done (a timeout, a broken connection, an answer
/// that did not read).
pub fn is_lost(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Timeout { .. } | ApiError::Connection { .. } | ApiError::Decode { .. }
    )
}
