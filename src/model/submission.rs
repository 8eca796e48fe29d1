//! A write as this machine remembers it (issue 5, issue 26): what was sent, how it ended, and
//! whether it may exist on the server without this machine knowing it. Pure data; the journal
//! file that keeps these records is `store::submissions`, the matching of a lost one against a
//! list `sps::submission`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;

/// How long a lost submission may take to show in its pair's list (the server may finish the
/// create after the answer was lost); a list read later that does not show it decides it was
/// not created.
pub const GIVE_UP_AFTER: Duration = Duration::minutes(5);

/// How a submission ended, as far as this machine knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmissionOutcome {
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
    /// A lost submission later found in the list (the spsId, or the CPS enrollment's id).
    Reconciled {
        sps_id: u64,
    },
    /// CPS or PAPI answered a write: where the thing it made or changed is (the enrollment,
    /// the change, the edge hostname).
    Answered {
        location: String,
    },
}

/// How the journal names CPS and PAPI writes.
pub const CPS_CREATE: &str = "cps-enrollments";
pub const CPS_UPDATE: &str = "cps-enrollment-update";
pub const CPS_ANSWER: &str = "cps-change-input";
pub const PAPI_EDGE_HOSTNAME: &str = "papi-edgehostnames";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    pub sent_at: DateTime<Utc>,
    pub pair: Scope,
    /// `sps-requests`, `secure-edge-hosts`, or one of the CPS and PAPI writes above.
    pub endpoint: String,
    /// The name it is listed under: the cnameHostname (SPS), the common name (CPS).
    pub cname_hostname: String,
    /// The body exactly as sent (an SPS form, or CPS/PAPI JSON).
    pub form: String,
    pub outcome: SubmissionOutcome,
}

impl Submission {
    /// A write that makes a new request or certificate (found later in a list by its name);
    /// an update, an answer or a PAPI edge hostname is not.
    pub fn is_create(&self) -> bool {
        !matches!(
            self.endpoint.as_str(),
            CPS_UPDATE | CPS_ANSWER | PAPI_EDGE_HOSTNAME
        )
    }

    /// Lost, or left in flight by a process that is gone: may exist on the server.
    pub fn is_unresolved(&self) -> bool {
        matches!(
            self.outcome,
            SubmissionOutcome::Lost { .. } | SubmissionOutcome::InFlight
        )
    }
}

impl Submission {
    /// Unresolved, and a list read at `listed_at` (not showing it) came long enough after it
    /// was sent: it was not created (a later list may still find it: then it is reconciled).
    pub fn given_up(&self, listed_at: DateTime<Utc>) -> bool {
        self.is_unresolved() && listed_at >= self.sent_at + GIVE_UP_AFTER
    }
}
