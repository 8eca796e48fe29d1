//! A submission as this machine remembers it: what was sent, how it ended, and how a lost one
//! (no answer came) is recognised later in a list (issue 5). Pure data and matching; the
//! journal file that keeps these records is `store::submissions`.

use chrono::Duration;

use crate::edgegrid::ApiError;
use crate::model::CertRequest;
use crate::sps::model::Accepted;
use crate::sps::{FormBody, PostEndpoint};

/// A request created this long before the submission was sent cannot be it (clock skew between
/// this machine and SPS is allowed for).
const CLOCK_SKEW: Duration = Duration::minutes(5);

pub use crate::model::submission::{GIVE_UP_AFTER, Submission, SubmissionOutcome};

/// How the journal names an endpoint.
pub fn endpoint_name(endpoint: PostEndpoint) -> &'static str {
    match endpoint {
        PostEndpoint::SpsRequests => "sps-requests",
        PostEndpoint::SecureEdgeHosts => "secure-edge-hosts",
    }
}

/// Sorts an answer into accepted, refused (nothing created) or lost (maybe created).
pub fn outcome_of(result: &Result<Accepted, ApiError>) -> SubmissionOutcome {
    match result {
        Ok(accepted) => SubmissionOutcome::Accepted {
            sps_id: accepted.sps_id,
        },
        Err(
            error @ (ApiError::Timeout { .. }
            | ApiError::Connection { .. }
            | ApiError::Decode { .. }),
        ) => SubmissionOutcome::Lost {
            message: error.to_string(),
        },
        Err(error) => SubmissionOutcome::Refused {
            message: error.to_string(),
        },
    }
}

/// Pure matching: a lost submission is the request with its cnameHostname (and createType, when
/// both are known) whose last status change is not before it was sent (less clock skew), and
/// whose spsId no other submission claimed. spsIds grow, so the newest submission takes the
/// newest such request, the next newest the one before, and so on.
pub fn match_lost(
    lost: &[Submission],
    requests: &[CertRequest],
    known_ids: &[u64],
) -> Vec<(Submission, u64)> {
    let mut claimed: Vec<u64> = known_ids.to_vec();
    let mut matches = Vec::new();
    let mut lost: Vec<&Submission> = lost.iter().filter(|lost| lost.is_create()).collect();
    lost.sort_by_key(|submission| std::cmp::Reverse(submission.sent_at));
    for submission in lost {
        let create_type = FormBody::decode(&submission.form)
            .get("createType")
            .map(str::to_string);
        let candidate = requests
            .iter()
            .filter(|request| !claimed.contains(&request.id))
            .filter(|request| {
                // SPS lists a request by its cnameHostname, CPS an enrollment by its CN.
                request
                    .hostname
                    .as_deref()
                    .or(request.common_name.as_deref())
                    .is_some_and(|cname| cname.eq_ignore_ascii_case(&submission.cname_hostname))
            })
            .filter(
                |request| match (request.kind.as_deref(), create_type.as_deref()) {
                    (Some(listed), Some(sent)) => listed.eq_ignore_ascii_case(sent),
                    _ => true,
                },
            )
            .filter(|request| {
                request
                    .last_change_at()
                    .is_none_or(|changed| changed >= submission.sent_at - CLOCK_SKEW)
            })
            .max_by_key(|request| request.id);
        if let Some(request) = candidate {
            claimed.push(request.id);
            matches.push((submission.clone(), request.id));
        }
    }
    matches
}
