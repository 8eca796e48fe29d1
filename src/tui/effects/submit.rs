//! Sending a wizard submission the safe way: journaled before it is sent, completed after, so
//! an answer that never comes is reconciled later instead of inviting a second certificate
//! (issue 5). The journal writes run on the blocking pool; the send is async.

use chrono::Utc;

use crate::app::wizard::WizardSubmission;
use crate::edgegrid::ApiError;
use crate::source::Backend;
use crate::sps::model::Accepted;
use crate::sps::submission::{Submission, SubmissionOutcome, endpoint_name, outcome_of};
use crate::store::submissions::SubmissionJournal;

/// Journals the submission, sends it once, completes the journal with the outcome. Returns
/// the answer and, when it never came, the journal entry to reconcile later. Without a
/// journal nothing is sent: a lost answer could not be reconciled.
pub(super) async fn submit_journaled(
    client: &Backend,
    journal: Option<SubmissionJournal>,
    submission: &WizardSubmission,
) -> (Result<Accepted, ApiError>, Option<Submission>) {
    let Some(journal) = journal else {
        return (
            Err(refused("no data directory; set SPSDASH_DATA_DIR")),
            None,
        );
    };
    let sent_at = Utc::now();
    let begun = {
        let journal = journal.clone();
        let submission = submission.clone();
        tokio::task::spawn_blocking(move || {
            journal
                .begin(
                    &submission.pair,
                    submission.endpoint,
                    &submission.form,
                    &submission.cname_hostname,
                    sent_at,
                )
                .map_err(|error| format!("{}: {error}", journal.path().display()))
        })
        .await
        .unwrap_or_else(|error| Err(format!("the journal task failed: {error}")))
    };
    let id = match begun {
        Ok(id) => id,
        Err(detail) => return (Err(refused(&detail)), None),
    };
    let result = client
        .sps()
        .submit(&submission.pair, submission.endpoint, &submission.form)
        .await;
    let outcome = outcome_of(&result);
    let completed = {
        let (journal, id, outcome) = (journal.clone(), id.clone(), outcome.clone());
        tokio::task::spawn_blocking(move || journal.complete(&id, outcome, Utc::now())).await
    };
    match completed {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not complete the submissions journal entry")
        }
        Err(error) => tracing::warn!(%error, "the journal task failed"),
    }
    let unresolved = matches!(outcome, SubmissionOutcome::Lost { .. }).then(|| Submission {
        id,
        sent_at,
        pair: submission.pair.clone(),
        endpoint: endpoint_name(submission.endpoint).to_string(),
        cname_hostname: submission.cname_hostname.clone(),
        form: submission.form.encode(),
        outcome,
    });
    (result, unresolved)
}

fn refused(detail: &str) -> ApiError {
    ApiError::Request {
        detail: format!(
            "the submissions journal could not be written ({detail}); nothing was sent"
        ),
    }
}
