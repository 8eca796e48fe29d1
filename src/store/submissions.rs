//! Every submission, journaled before it is sent and completed after (issue 5).
//!
//! An append-only JSON-lines file in the data dir. A POST is never retried blindly (a create
//! must not be sent twice), so when its answer never arrives the journal keeps it as *lost*;
//! the next list of its pair reconciles it by cnameHostname and time instead of inviting the
//! operator to submit again. A submission still *in flight* when the journal is read again
//! (the process died mid-request) counts as lost too.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::sps::model::Accepted;
use crate::sps::{ApiError, FormBody, GroupContract, PostEndpoint, SpsRequest};

const JOURNAL_FILE: &str = "submissions.jsonl";

/// A request created this long before the submission was sent cannot be it (clock skew between
/// this machine and SPS is allowed for).
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Where drafts and the journal live: `$SPSDASH_DATA_DIR` when set (tests, portable setups),
/// else the platform data dir (`~/.local/share/spsdash` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SPSDASH_DATA_DIR").filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "spsdash").map(|dirs| dirs.data_dir().to_path_buf())
}

/// How a submission ended, as far as this machine knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Sent, no answer yet.
    InFlight,
    Accepted {
        sps_id: u64,
    },
    /// The API answered with an error: nothing was created.
    Refused {
        message: String,
    },
    /// No usable answer (timeout, dropped connection, unreadable body): it may have been created.
    Lost {
        message: String,
    },
    /// A lost submission later found in the list.
    Reconciled {
        sps_id: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    pub sent_at: DateTime<Utc>,
    pub pair: GroupContract,
    /// `sps-requests` or `secure-edge-hosts`.
    pub endpoint: String,
    pub cname_hostname: String,
    /// The form body exactly as sent.
    pub form: String,
    pub outcome: Outcome,
}

impl Submission {
    /// Lost, or left in flight by a process that is gone: may exist on the server.
    pub fn is_unresolved(&self) -> bool {
        matches!(self.outcome, Outcome::Lost { .. } | Outcome::InFlight)
    }
}

/// One line of the journal file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Sent(Submission),
    Outcome {
        id: String,
        at: DateTime<Utc>,
        #[serde(flatten)]
        outcome: Outcome,
    },
}

/// How the journal names an endpoint.
pub fn endpoint_name(endpoint: PostEndpoint) -> &'static str {
    match endpoint {
        PostEndpoint::SpsRequests => "sps-requests",
        PostEndpoint::SecureEdgeHosts => "secure-edge-hosts",
    }
}

/// Sorts an answer into accepted, refused (nothing created) or lost (maybe created).
pub fn outcome_of(result: &Result<Accepted, ApiError>) -> Outcome {
    match result {
        Ok(accepted) => Outcome::Accepted {
            sps_id: accepted.sps_id,
        },
        Err(
            error @ (ApiError::Timeout { .. }
            | ApiError::Connection { .. }
            | ApiError::Decode { .. }),
        ) => Outcome::Lost {
            message: error.to_string(),
        },
        Err(error) => Outcome::Refused {
            message: error.to_string(),
        },
    }
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

    pub fn default_location() -> Option<Self> {
        data_dir().map(|dir| SubmissionJournal::in_dir(&dir))
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
        pair: &GroupContract,
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
            outcome: Outcome::InFlight,
        }))?;
        Ok(id)
    }

    pub fn complete(&self, id: &str, outcome: Outcome, now: DateTime<Utc>) -> io::Result<()> {
        self.append(&Line::Outcome {
            id: id.to_string(),
            at: now,
            outcome,
        })
    }

    /// Every submission with its latest outcome, oldest first. Lines that do not read (a torn
    /// last line after a crash) are skipped.
    pub fn entries(&self) -> io::Result<Vec<Submission>> {
        let file = match std::fs::File::open(&self.path) {
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
    pub fn unresolved(&self, pair: &GroupContract) -> io::Result<Vec<Submission>> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|submission| submission.pair == *pair && submission.is_unresolved())
            .collect())
    }

    /// Matches the unresolved submissions of `pair` against a fresh list (read with
    /// `information=true`), records each match, and returns `(submission, spsId)` pairs.
    pub fn reconcile(
        &self,
        pair: &GroupContract,
        requests: &[SpsRequest],
        now: DateTime<Utc>,
    ) -> io::Result<Vec<(Submission, u64)>> {
        let entries = self.entries()?;
        let known: Vec<u64> = entries
            .iter()
            .filter_map(|submission| match submission.outcome {
                Outcome::Accepted { sps_id } | Outcome::Reconciled { sps_id } => Some(sps_id),
                _ => None,
            })
            .collect();
        let lost: Vec<Submission> = entries
            .into_iter()
            .filter(|submission| submission.pair == *pair && submission.is_unresolved())
            .collect();
        let matches = match_lost(&lost, requests, &known);
        for (submission, sps_id) in &matches {
            self.complete(&submission.id, Outcome::Reconciled { sps_id: *sps_id }, now)?;
        }
        Ok(matches)
    }
}

/// Pure matching: a lost submission is the request with its cnameHostname (and createType, when
/// both are known) whose last status change is not before it was sent (less clock skew), and
/// whose spsId no other submission claimed. spsIds grow, so the newest submission takes the
/// newest such request, the next newest the one before, and so on.
pub fn match_lost(
    lost: &[Submission],
    requests: &[SpsRequest],
    known_ids: &[u64],
) -> Vec<(Submission, u64)> {
    let mut claimed: Vec<u64> = known_ids.to_vec();
    let mut matches = Vec::new();
    let mut lost: Vec<&Submission> = lost.iter().collect();
    lost.sort_by_key(|submission| std::cmp::Reverse(submission.sent_at));
    for submission in lost {
        let create_type = FormBody::decode(&submission.form)
            .get("createType")
            .map(str::to_string);
        let candidate = requests
            .iter()
            .filter(|request| !claimed.contains(&request.sps_id))
            .filter(|request| {
                request
                    .parameter("cnameHostname")
                    .is_some_and(|cname| cname.eq_ignore_ascii_case(&submission.cname_hostname))
            })
            .filter(
                |request| match (request.parameter("createType"), create_type.as_deref()) {
                    (Some(listed), Some(sent)) => listed.eq_ignore_ascii_case(sent),
                    _ => true,
                },
            )
            .filter(|request| {
                request
                    .last_status_change
                    .as_deref()
                    .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
                    .is_none_or(|changed| {
                        changed.with_timezone(&Utc) >= submission.sent_at - CLOCK_SKEW
                    })
            })
            .max_by_key(|request| request.sps_id);
        if let Some(request) = candidate {
            claimed.push(request.sps_id);
            matches.push((submission.clone(), request.sps_id));
        }
    }
    matches
}

#[cfg(test)]
mod tests;
