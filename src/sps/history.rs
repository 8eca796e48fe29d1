//! Status changes seen between two reads of the API, of a request or of one of its domains: found by
//! comparing the previous data with the new, journaled to disk, shown as History and flashes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sps::model::{DomainStatus, GroupContract, RequestStatus, SpsRequest};

/// A status as a transition keeps it: the known statuses are shared texts, not copies (a
/// list of a 100,000-request account can bring thousands of changes, and the history keeps
/// each; issue 12).
pub type StatusText = Cow<'static, str>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub at: DateTime<Utc>,
    /// Shared by every change found in one read of the pair.
    pub pair: Arc<GroupContract>,
    pub sps_id: u64,
    /// The domain whose validation changed; `None` for the request's own status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `None` when the request (or domain) was first seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<StatusText>,
    pub to: StatusText,
}

impl Transition {
    /// One line for the flash bar and the history.
    pub fn describe(&self, name: &str) -> String {
        let subject = match &self.domain {
            Some(domain) => format!("#{} {domain}", self.sps_id),
            None if name.is_empty() => format!("#{}", self.sps_id),
            None => format!("#{} {name}", self.sps_id),
        };
        match &self.from {
            Some(from) => format!("{subject}: {from} → {}", self.to),
            None => format!("{subject}: new, {}", self.to),
        }
    }

    /// Worth the operator's attention (bell): waiting for them, done, or cancelled.
    pub fn is_notable(&self) -> bool {
        self.domain.is_none()
            && matches!(
                self.to.as_ref(),
                RequestStatus::AWAITING_USER | RequestStatus::COMPLETE | RequestStatus::CANCELLED
            )
    }
}

/// Every change between `old` (the data shown so far) and `new` for one pair. Requests absent
/// before are reported as new only when there was data before (a first load is not news).
pub fn diff(
    pair: &Arc<GroupContract>,
    old: &[SpsRequest],
    new: &[SpsRequest],
    at: DateTime<Utc>,
) -> Vec<Transition> {
    let before: HashMap<u64, &SpsRequest> = old.iter().map(|r| (r.sps_id, r)).collect();
    let matched = new
        .iter()
        .map(|request| (before.get(&request.sps_id).copied(), request));
    diff_matched(pair, matched, !old.is_empty(), at)
}

/// Every change of requests already matched with what was shown of each (`None`: not shown
/// before), for a caller that knows which requests may have changed (the dashboard, which
/// leaves out those whose fingerprint is the same). New requests are news only when
/// `had_data`.
pub fn diff_matched<'a>(
    pair: &Arc<GroupContract>,
    matched: impl IntoIterator<Item = (Option<&'a SpsRequest>, &'a SpsRequest)>,
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
                sps_id: request.sps_id,
                domain: None,
                from: None,
                to: request.status.0.clone(),
            }),
            None => {}
        }
    }
    changes
}

/// Changes of one request: its status, then each domain's status.
pub fn diff_one(
    pair: &Arc<GroupContract>,
    previous: &SpsRequest,
    current: &SpsRequest,
    at: DateTime<Utc>,
) -> Vec<Transition> {
    let mut changes = Vec::new();
    if previous.status != current.status {
        changes.push(Transition {
            at,
            pair: Arc::clone(pair),
            sps_id: current.sps_id,
            domain: None,
            from: Some(previous.status.0.clone()),
            to: current.status.0.clone(),
        });
    }
    let domains_before = DomainsBefore::of(previous);
    for domain in &current.dv_status {
        let from = domains_before.status_of(&domain.domain);
        if from.map(|status| status.as_str()) != Some(domain.status.as_str()) {
            changes.push(Transition {
                at,
                pair: Arc::clone(pair),
                sps_id: current.sps_id,
                domain: Some(domain.domain.clone()),
                from: from.map(|status| status.0.clone()),
                to: domain.status.0.clone(),
            });
        }
    }
    changes
}

/// Each domain's status in the previous read; when a domain is listed twice, the later entry.
/// Most requests have a few domains, and a map for each was most of the time spent finding
/// the changes of a list (issue 12: 12,500 maps a poll for one pair of a 100,000-request
/// account): those few are searched in place, and only a large SAN gets a map.
enum DomainsBefore<'a> {
    Few(&'a SpsRequest),
    Many(HashMap<&'a str, &'a DomainStatus>),
}

impl<'a> DomainsBefore<'a> {
    const FEW: usize = 16;

    fn of(previous: &'a SpsRequest) -> Self {
        if previous.dv_status.len() <= Self::FEW {
            return DomainsBefore::Few(previous);
        }
        DomainsBefore::Many(
            previous
                .dv_status
                .iter()
                .map(|domain| (domain.domain.as_str(), &domain.status))
                .collect(),
        )
    }

    fn status_of(&self, domain: &str) -> Option<&'a DomainStatus> {
        match self {
            DomainsBefore::Few(previous) => previous
                .dv_status
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

    fn request(id: u64, status: &str, domain_status: &str) -> SpsRequest {
        serde_json::from_value(serde_json::json!({
            "spsId": id, "status": status,
            "dvStatus": [{"domain": "www.example.com", "status": domain_status}]
        }))
        .expect("fixture parses")
    }

    #[test]
    fn finds_request_and_domain_changes_and_new_requests() {
        let (pair, at) = (Arc::new(GroupContract::new("C-1", "1")), noon());
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

    fn with_domains(domains: &[(String, &str)]) -> SpsRequest {
        let dv: Vec<_> = domains
            .iter()
            .map(|(domain, status)| serde_json::json!({"domain": domain, "status": status}))
            .collect();
        serde_json::from_value(serde_json::json!({"spsId": 1, "status": "Pending", "dvStatus": dv}))
            .expect("fixture parses")
    }

    #[test]
    fn domain_changes_are_found_alike_for_a_few_domains_and_for_many() {
        let (pair, at) = (Arc::new(GroupContract::new("C-1", "1")), noon());
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
    fn completion_and_failure_are_notable() {
        let (pair, at) = (Arc::new(GroupContract::new("C-1", "1")), noon());
        let done = diff_one(
            &pair,
            &request(1, "CPS running", "Valid"),
            &request(1, RequestStatus::COMPLETE, "Valid"),
            at,
        );
        assert!(done[0].is_notable());
        let cancelled = diff_one(
            &pair,
            &request(1, "CPS running", "Valid"),
            &request(1, RequestStatus::CANCELLED, "Valid"),
            at,
        );
        assert!(cancelled[0].is_notable());
    }
}
