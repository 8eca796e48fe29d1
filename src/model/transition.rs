//! Status changes seen between two reads of the API, of a request or of one of its domains: found by
//! comparing the previous data with the new, journaled to disk, shown as History and flashes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::domain::DomainStatus;
use super::request::CertRequest;
use super::scope::Scope;
use super::state::RequestState;

/// A status as a transition keeps it: the known statuses are shared texts, not copies (a
/// list of a 100,000-request account can bring thousands of changes, and the history keeps
/// each; issue 12).
pub type StatusText = Cow<'static, str>;

/// SPS's request statuses that meant the operator's attention before transitions kept the
/// state they moved to (journals written then have no `to_state`).
const NOTABLE_BEFORE_STATES: &[&str] = &["Awaiting User", "SPS Request Complete", "CPS cancelled"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub at: DateTime<Utc>,
    /// Shared by every change found in one read of the pair.
    pub pair: Arc<Scope>,
    /// The request's id (an SPS request's spsId, a CPS enrollment's id).
    #[serde(alias = "sps_id")]
    pub id: u64,
    /// The domain whose validation changed; `None` for the request's own status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `None` when the request (or domain) was first seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<StatusText>,
    pub to: StatusText,
    /// The state the request moved to (`None` for a domain's change, and in older journals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_state: Option<RequestState>,
}

impl Transition {
    /// One line for the flash bar and the history.
    pub fn describe(&self, name: &str) -> String {
        let subject = match &self.domain {
            Some(domain) => format!("#{} {domain}", self.id),
            None if name.is_empty() => format!("#{}", self.id),
            None => format!("#{} {name}", self.id),
        };
        match &self.from {
            Some(from) => format!("{subject}: {from} → {}", self.to),
            None => format!("{subject}: new, {}", self.to),
        }
    }

    /// Worth the operator's attention (bell): waiting for them, done, or failed.
    pub fn is_notable(&self) -> bool {
        if self.domain.is_some() {
            return false;
        }
        match self.to_state {
            Some(state) => state != RequestState::InProgress,
            None => NOTABLE_BEFORE_STATES.contains(&self.to.as_ref()),
        }
    }
}

/// Every change between `old` (the data shown so far) and `new` for one pair. Requests absent
/// before are reported as new only when there was data before (a first load is not news).
pub fn diff(
    pair: &Arc<Scope>,
    old: &[CertRequest],
    new: &[CertRequest],
    at: DateTime<Utc>,
) -> Vec<Transition> {
    let before: HashMap<u64, &CertRequest> = old.iter().map(|r| (r.id, r)).collect();
    let matched = new
        .iter()
        .map(|request| (before.get(&request.id).copied(), request));
    diff_matched(pair, matched, !old.is_empty(), at)
}

/// Every change of requests already matched with what was shown of each (`None`: not shown
/// before), for a caller that knows which requests may have changed (the dashboard, which
/// leaves out those whose fingerprint is the same). New requests are news only when
/// `had_data`.
pub fn diff_matched<'a>(
    pair: &Arc<Scope>,
    matched: impl IntoIterator<Item = (Option<&'a CertRequest>, &'a CertRequest)>,
    had_data: bool,
    at: DateTime<Utc>,
) -> Vec<Transition> {
    let mut changes = Vec::new();
    for (previous, request) in matched {
        match previous {
            Some(previous) => changes.extend(diff_one(pair, previous, request, at)),
            None if had_data => changes.push(Transition {
                at,
                pair: Arc::clone(pair),
                id: request.id,
                domain: None,
                from: None,
                to: request.status.0.clone(),
                to_state: Some(request.state),
            }),
            None => {}
        }
    }
    changes
}

/// Changes of one request: its status, then each domain's status.
pub fn diff_one(
    pair: &Arc<Scope>,
    previous: &CertRequest,
    current: &CertRequest,
    at: DateTime<Utc>,
) -> Vec<Transition> {
    let mut changes = Vec::new();
    if first_read_of_its_change(previous, current) {
        // Where the change stood when first read, not a move: the status before was only the
        // kind of change the enrollment's list named.
        return changes;
    }
    if previous.status != current.status {
        changes.push(Transition {
            at,
            pair: Arc::clone(pair),
            id: current.id,
            domain: None,
            from: Some(previous.status.0.clone()),
            to: current.status.0.clone(),
            to_state: Some(current.state),
        });
    }
    let domains_before = DomainsBefore::of(previous);
    for domain in &current.domains {
        let from = domains_before.status_of(&domain.domain);
        if from.map(|status| status.as_str()) != Some(domain.status.as_str()) {
            changes.push(Transition {
                at,
                pair: Arc::clone(pair),
                id: current.id,
                domain: Some(domain.domain.clone()),
                from: from.map(|status| status.0.clone()),
                to: domain.status.0.clone(),
                to_state: None,
            });
        }
    }
    changes
}

/// `current` is the first read of the change `previous` only named (CPS).
fn first_read_of_its_change(previous: &CertRequest, current: &CertRequest) -> bool {
    match (&previous.change, &current.change) {
        (Some(before), Some(now)) => !before.read && now.read && before.location == now.location,
        _ => false,
    }
}

/// Each domain's status in the previous read; when a domain is listed twice, the later entry.
/// Most requests have a few domains, and a map for each was most of the time spent finding
/// the changes of a list (issue 12: 12,500 maps a poll for one pair of a 100,000-request
/// account): those few are searched in place, and only a large SAN gets a map.
enum DomainsBefore<'a> {
    Few(&'a CertRequest),
    Many(HashMap<&'a str, &'a DomainStatus>),
}

impl<'a> DomainsBefore<'a> {
    const FEW: usize = 16;

    fn of(previous: &'a CertRequest) -> Self {
        if previous.domains.len() <= Self::FEW {
            return DomainsBefore::Few(previous);
        }
        DomainsBefore::Many(
            previous
                .domains
                .iter()
                .map(|domain| (domain.domain.as_str(), &domain.status))
                .collect(),
        )
    }

    fn status_of(&self, domain: &str) -> Option<&'a DomainStatus> {
        match self {
            DomainsBefore::Few(previous) => previous
                .domains
                .iter()
                .rev()
                .find(|before| before.domain == domain)
                .map(|before| &before.status),
            DomainsBefore::Many(statuses) => statuses.get(domain).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid")
    }

    fn state_of(status: &str) -> RequestState {
        match status {
            "Awaiting User" => RequestState::AwaitingUser,
            "SPS Request Complete" => RequestState::Complete,
            "CPS cancelled" => RequestState::Failed,
            _ => RequestState::InProgress,
        }
    }

    fn domain(name: &str, status: &str) -> crate::model::DomainValidation {
        crate::model::DomainValidation {
            domain: name.to_string(),
            status: DomainStatus(status.to_string().into()),
            state: crate::model::domain_state(status),
            ..Default::default()
        }
    }

    fn request(id: u64, status: &str, domain_status: &str) -> CertRequest {
        CertRequest {
            id,
            status: crate::model::RequestStatus(status.to_string().into()),
            state: state_of(status),
            domains: vec![domain("www.example.com", domain_status)],
            ..CertRequest::default()
        }
    }

    #[test]
    fn finds_request_and_domain_changes_and_new_requests() {
        let (pair, at) = (Arc::new(Scope::pair("C-1", "1")), noon());
        let old = vec![
            request(1, "Pending", "Pending"),
            request(2, "CPS running", "Valid"),
        ];
        let new = vec![
            request(1, "Awaiting User", "Awaiting User"),
            request(2, "CPS running", "Valid"),
            request(3, "Pending", "Pending"),
        ];
        let changes = diff(&pair, &old, &new, at);
        let lines: Vec<String> = changes.iter().map(|t| t.describe("")).collect();
        assert_eq!(
            lines,
            vec![
                "#1: Pending → Awaiting User",
                "#1 www.example.com: Pending → Awaiting User",
                "#3: new, Pending",
            ]
        );
        assert!(changes[0].is_notable());
        assert!(!changes[1].is_notable());
        assert!(!changes[2].is_notable());
        assert!(
            diff(&pair, &[], &new, at).is_empty(),
            "first load is not news"
        );
    }

    fn with_domains(domains: &[(String, &str)]) -> CertRequest {
        CertRequest {
            id: 1,
            status: crate::model::RequestStatus("Pending".into()),
            domains: domains
                .iter()
                .map(|(name, status)| domain(name, status))
                .collect(),
            ..CertRequest::default()
        }
    }

    #[test]
    fn domain_changes_are_found_alike_for_a_few_domains_and_for_many() {
        let (pair, at) = (Arc::new(Scope::pair("C-1", "1")), noon());
        for count in [3, DomainsBefore::FEW, DomainsBefore::FEW + 1, 40] {
            let name = |i: usize| format!("d{i}.example.com");
            // Before: every domain pending, the first listed twice (the later entry counts).
            let mut before: Vec<(String, &str)> =
                (0..count).map(|i| (name(i), "Pending")).collect();
            before.push((name(0), "Valid"));
            // After: reversed, every third valid, and one domain never seen before.
            let mut after: Vec<(String, &str)> = (0..count)
                .rev()
                .map(|i| (name(i), if i % 3 == 0 { "Valid" } else { "Pending" }))
                .collect();
            after.push(("new.example.com".to_string(), "Pending"));
            let changes = diff_one(&pair, &with_domains(&before), &with_domains(&after), at);
            let mut expected: Vec<(String, Option<String>, String)> = (1..count)
                .rev()
                .filter(|i| i % 3 == 0)
                .map(|i| (name(i), Some("Pending".to_string()), "Valid".to_string()))
                .collect();
            expected.push(("new.example.com".to_string(), None, "Pending".to_string()));
            let found: Vec<(String, Option<String>, String)> = changes
                .into_iter()
                .map(|change| {
                    let from = change.from.map(String::from);
                    (
                        change.domain.expect("a domain"),
                        from,
                        String::from(change.to),
                    )
                })
                .collect();
            assert_eq!(found, expected, "{count} domains");
        }
    }

    #[test]
    fn the_first_read_of_a_change_is_not_a_move_but_the_next_ones_are() {
        let (pair, at) = (Arc::new(Scope::contract("C-1")), noon());
        let pending = |read: bool, status: &str, state: RequestState| CertRequest {
            id: 10018,
            api: crate::model::Api::Cps,
            status: crate::model::RequestStatus(status.to_string().into()),
            state,
            change: Some(Box::new(crate::model::PendingChange {
                location: "/cps/v2/enrollments/10018/changes/7".into(),
                change_type: Some("new-certificate".into()),
                read,
            })),
            ..CertRequest::default()
        };
        let listed = pending(false, "new-certificate", RequestState::InProgress);
        let first = pending(
            true,
            "coodinate-domain-validation",
            RequestState::AwaitingUser,
        );
        assert!(diff_one(&pair, &listed, &first, at).is_empty());
        let later = pending(
            true,
            "wait-ack-change-management",
            RequestState::AwaitingUser,
        );
        let moved = diff_one(&pair, &first, &later, at);
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].to, "wait-ack-change-management");
        assert_eq!(moved[0].to_state, Some(RequestState::AwaitingUser));
        assert!(moved[0].is_notable());
    }

    #[test]
    fn completion_and_failure_are_notable() {
        let (pair, at) = (Arc::new(Scope::pair("C-1", "1")), noon());
        let done = diff_one(
            &pair,
            &request(1, "CPS running", "Valid"),
            &request(1, "SPS Request Complete", "Valid"),
            at,
        );
        assert!(done[0].is_notable());
        let cancelled = diff_one(
            &pair,
            &request(1, "CPS running", "Valid"),
            &request(1, "CPS cancelled", "Valid"),
            at,
        );
        assert!(cancelled[0].is_notable());
        let mut older = cancelled[0].clone();
        older.to_state = None;
        assert!(older.is_notable(), "a journal entry from before states");
        older.to = "CPS running".into();
        assert!(!older.is_notable());
    }
}
