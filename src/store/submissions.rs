//! Every submission, journaled before it is sent and completed after (issue 5).
//!
//! An append-only JSON-lines file in the data dir. A POST is never retried blindly (a create
//! must not be sent twice), so when its answer never arrives the journal keeps it as *lost*;
//! the next list of its pair reconciles it by cnameHostname and time instead of inviting the
//! operator to submit again. A submission still *in flight* when the journal is read again
//! (the process died mid-request) counts as lost too.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::CertRequest;
use crate::model::Scope;
use crate::sps::submission::{Submission, SubmissionOutcome, endpoint_name, match_lost};
use crate::sps::{FormBody, PostEndpoint};

const JOURNAL_FILE: &str = "submissions.jsonl";

/// One line of the journal file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Sent(Submission),
    Outcome {
        id: String,
        at: DateTime<Utc>,
        #[serde(flatten)]
        outcome: SubmissionOutcome,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionJournal {
    path: PathBuf,
}

impl SubmissionJournal {
    pub fn in_dir(dir: &Path) -> Self {
        SubmissionJournal {
            path: dir.join(JOURNAL_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, line: &Line) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            crate::private_fs::create_dir_all(dir)?;
        }
        let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
        text.push('\n');
        let mut file = crate::private_fs::append(&self.path)?;
        file.write_all(text.as_bytes())?;
        // The point of the journal is to survive what comes next.
        file.sync_data()
    }

    /// Records a submission about to be sent; returns its id for [`Self::complete`].
    pub fn begin(
        &self,
        pair: &Scope,
        endpoint: PostEndpoint,
        form: &FormBody,
        cname_hostname: &str,
        now: DateTime<Utc>,
    ) -> io::Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.append(&Line::Sent(Submission {
            id: id.clone(),
            sent_at: now,
            pair: pair.clone(),
            endpoint: endpoint_name(endpoint).to_string(),
            cname_hostname: cname_hostname.to_string(),
            form: form.encode(),
            outcome: SubmissionOutcome::InFlight,
        }))?;
        Ok(id)
    }

    /// Records a CPS or PAPI write about to be sent (`endpoint`: `model::submission`'s
    /// names), its JSON body as sent; returns its id for [`Self::complete`].
    pub fn begin_write(
        &self,
        scope: &Scope,
        endpoint: &str,
        body: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> io::Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.append(&Line::Sent(Submission {
            id: id.clone(),
            sent_at: now,
            pair: scope.clone(),
            endpoint: endpoint.to_string(),
            cname_hostname: name.to_string(),
            form: body.to_string(),
            outcome: SubmissionOutcome::InFlight,
        }))?;
        Ok(id)
    }

    pub fn complete(
        &self,
        id: &str,
        outcome: SubmissionOutcome,
        now: DateTime<Utc>,
    ) -> io::Result<()> {
        self.append(&Line::Outcome {
            id: id.to_string(),
            at: now,
            outcome,
        })
    }

    /// Every submission with its latest outcome, oldest first. Lines that do not read (a torn
    /// last line after a crash) are skipped.
    pub fn entries(&self) -> io::Result<Vec<Submission>> {
        let file = match crate::private_fs::open_regular(
            &self.path,
            crate::private_fs::cap::SUBMISSIONS_JOURNAL,
        ) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let mut submissions: Vec<Submission> = Vec::new();
        for line in io::BufReader::new(file).lines() {
            match serde_json::from_str::<Line>(&line?) {
                Ok(Line::Sent(submission)) => submissions.push(submission),
                Ok(Line::Outcome { id, outcome, .. }) => {
                    if let Some(submission) = submissions.iter_mut().find(|s| s.id == id) {
                        submission.outcome = outcome;
                    }
                }
                Err(_) => continue,
            }
        }
        Ok(submissions)
    }

    /// Submissions of `pair` that may exist on the server without this machine knowing their
    /// spsId.
    pub fn unresolved(&self, pair: &Scope) -> io::Result<Vec<Submission>> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|submission| submission.pair == *pair && submission.is_unresolved())
            .collect())
    }

    /// The unresolved writes to `endpoint` on `scope` under `name` (case does not matter),
    /// oldest first: what a write of the same thing must reconcile before it is sent again.
    pub fn unresolved_writes(
        &self,
        scope: &Scope,
        endpoint: &str,
        name: &str,
    ) -> io::Result<Vec<Submission>> {
        Ok(self
            .unresolved(scope)?
            .into_iter()
            .filter(|submission| {
                submission.endpoint == endpoint
                    && submission.cname_hostname.eq_ignore_ascii_case(name)
            })
            .collect())
    }

    /// Matches the unresolved submissions of `pair` against a fresh list (read with
    /// `information=true`), records each match, and returns `(submission, spsId)` pairs.
    pub fn reconcile(
        &self,
        pair: &Scope,
        requests: &[CertRequest],
        now: DateTime<Utc>,
    ) -> io::Result<Vec<(Submission, u64)>> {
        let entries = self.entries()?;
        let known: Vec<u64> = entries
            .iter()
            .filter_map(|submission| match submission.outcome {
                SubmissionOutcome::Accepted { sps_id: id }
                | SubmissionOutcome::Reconciled { sps_id: id } => Some(id),
                _ => None,
            })
            .collect();
        let lost: Vec<Submission> = entries
            .into_iter()
            .filter(|submission| submission.pair == *pair && submission.is_unresolved())
            .collect();
        let matches = match_lost(&lost, requests, &known);
        for (submission, id) in &matches {
            self.complete(
                &submission.id,
                SubmissionOutcome::Reconciled { sps_id: *id },
                now,
            )?;
        }
        Ok(matches)
    }
}

#[cfg(test)]
mod tests;
