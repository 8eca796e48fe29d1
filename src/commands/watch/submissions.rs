//! `watch` and the submissions journal: after each fresh list, the submissions whose answer
//! was lost are matched against it (as the dashboard does). One found is told accepted (and
//! recorded as reconciled); one that lists keep missing long after it was sent is told lost.
//! The announced record, shared with the dashboard, makes each a single notification.
//! Submissions whose answer came are not told here: whoever sent them saw the answer.

use chrono::{DateTime, Utc};

use crate::model::{CertRequest, Scope};
use crate::notify::NotifyEvent;
use crate::store::submissions::SubmissionJournal;

/// The events of `pair`'s submissions after its list `requests`, read at `now`; a journal
/// that cannot be read or written is a warning line.
pub(super) fn events(
    journal: &SubmissionJournal,
    pair: &Scope,
    requests: &[CertRequest],
    now: DateTime<Utc>,
) -> (Vec<NotifyEvent>, Option<String>) {
    let problem = |error: std::io::Error| format!("{}: {error}", journal.path().display());
    let found = match journal.reconcile(pair, requests, now) {
        Ok(found) => found,
        Err(error) => return (Vec::new(), Some(problem(error))),
    };
    let mut told: Vec<NotifyEvent> = found
        .iter()
        .map(|(submission, id)| {
            let event =
                NotifyEvent::submission_accepted(now, pair, *id, Some(&submission.cname_hostname));
            // Named as its API names it: a CPS create is an enrollment, not "SPS #".
            match requests.iter().find(|request| request.id == *id) {
                Some(request) => event.with_api(request.api),
                None => event,
            }
        })
        .collect();
    let unresolved = match journal.unresolved(pair) {
        Ok(unresolved) => unresolved,
        Err(error) => return (told, Some(problem(error))),
    };
    told.extend(
        unresolved
            .iter()
            .filter(|submission| submission.given_up(now))
            .map(|submission| {
                let why = format!(
                    "no answer came, and no list since shows it (sent {})",
                    submission.sent_at.format("%Y-%m-%d %H:%M UTC")
                );
                NotifyEvent::submission_lost(
                    now,
                    pair,
                    &submission.id,
                    Some(&submission.cname_hostname),
                    &why,
                )
            }),
    );
    (told, None)
}
