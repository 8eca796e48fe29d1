//! What the dashboard needs around the wizard that touches the disk or the network: the saved
//! draft and the unresolved submissions read at start, journaled sending, and matching a lost
//! submission against a fresh list. The reducer keeps only the pure parts
//! ([`reconcile_list`]); the effect runner calls the rest.

use chrono::Utc;

use super::{WizardDraft, WizardSubmission};
use crate::sps::model::Accepted;
use crate::sps::{ApiError, GroupContract, SpsClient, SpsRequest};
use crate::store::drafts::DraftStore;
use crate::store::submissions::{
    Outcome, Submission, SubmissionJournal, endpoint_name, match_lost, outcome_of,
};

/// Local state read once at start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalState {
    /// The draft to offer when the wizard opens.
    pub draft: Option<WizardDraft>,
    /// Submissions that may exist on the server without this machine knowing their spsId.
    pub unresolved: Vec<Submission>,
    /// Problems reading them, for the error log.
    pub warnings: Vec<String>,
}

pub fn load_local_state() -> LocalState {
    let mut state = LocalState::default();
    match DraftStore::default_location().map(|store| store.load::<WizardDraft>()) {
        Some(Ok(draft)) => state.draft = draft.filter(WizardDraft::is_current),
        Some(Err(message)) => state.warnings.push(message),
        None => {}
    }
    match SubmissionJournal::default_location().map(|journal| journal.entries()) {
        Some(Ok(entries)) => {
            state.unresolved = entries
                .into_iter()
                .filter(Submission::is_unresolved)
                .collect();
        }
        Some(Err(error)) => state.warnings.push(format!(
            "the submissions journal could not be read: {error}"
        )),
        None => {}
    }
    state
}

/// Saves the draft (blocking; small). The error is a line for the error log.
pub fn save_draft(draft: &WizardDraft) -> Result<(), String> {
    let store = DraftStore::default_location()
        .ok_or("no data directory for drafts; set SPSDASH_DATA_DIR")?;
    store.save(draft).map_err(|error| {
        format!(
            "the draft could not be saved to {}: {error}",
            store.path().display()
        )
    })
}

pub fn discard_draft() -> Result<(), String> {
    match DraftStore::default_location() {
        Some(store) => store.discard().map_err(|error| {
            format!(
                "the draft {} could not be removed: {error}",
                store.path().display()
            )
        }),
        None => Ok(()),
    }
}

/// Records that lost submissions were found in a list.
pub fn record_reconciled(matches: &[(String, u64)]) -> Result<(), String> {
    let journal = SubmissionJournal::default_location()
        .ok_or("no data directory for the submissions journal")?;
    for (id, sps_id) in matches {
        journal
            .complete(id, Outcome::Reconciled { sps_id: *sps_id }, Utc::now())
            .map_err(|error| format!("the submissions journal could not be written: {error}"))?;
    }
    Ok(())
}

/// Journals the submission, sends it once, completes the journal with the outcome. Returns
/// the answer and, when it never came, the journal entry to reconcile later.
pub async fn submit_journaled(
    client: &SpsClient,
    submission: &WizardSubmission,
) -> (Result<Accepted, ApiError>, Option<Submission>) {
    let journal = SubmissionJournal::default_location();
    let sent_at = Utc::now();
    let begun = match &journal {
        Some(journal) => journal
            .begin(
                &submission.pair,
                submission.endpoint,
                &submission.form,
                &submission.cname_hostname,
                sent_at,
            )
            .map_err(|error| format!("{}: {error}", journal.path().display())),
        None => Err("no data directory; set SPSDASH_DATA_DIR".to_string()),
    };
    let id = match begun {
        Ok(id) => id,
        // Without a journal a lost answer could not be reconciled: refuse rather than risk a
        // second certificate.
        Err(detail) => {
            return (
                Err(ApiError::Request {
                    detail: format!(
                        "the submissions journal could not be written ({detail}); nothing was sent"
                    ),
                }),
                None,
            );
        }
    };
    let result = client
        .submit(&submission.pair, submission.endpoint, &submission.form)
        .await;
    let outcome = outcome_of(&result);
    if let Some(journal) = &journal
        && let Err(error) = journal.complete(&id, outcome.clone(), Utc::now())
    {
        tracing::warn!(%error, "could not complete the submissions journal entry");
    }
    let unresolved = matches!(outcome, Outcome::Lost { .. }).then(|| Submission {
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

/// Pure: finds the unresolved submissions of `pair` in its fresh list, removes them from
/// `unresolved` and returns `(submission, spsId)` for each (to flash, select and journal).
pub fn reconcile_list(
    unresolved: &mut Vec<Submission>,
    pair: &GroupContract,
    requests: &[SpsRequest],
) -> Vec<(Submission, u64)> {
    let candidates: Vec<Submission> = unresolved
        .iter()
        .filter(|submission| submission.pair == *pair)
        .cloned()
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let matches = match_lost(&candidates, requests, &[]);
    unresolved.retain(|submission| !matches.iter().any(|(found, _)| found.id == submission.id));
    matches
}
