//! "A certificate request with domains to prove": what every screen and command shows of a
//! request, whichever API it came from. An SPS request and a CPS enrollment with its pending
//! change both convert into it (`sps::neutral`, `cps::neutral`); the state in words is decided
//! there, where the API's own status is understood, and kept here beside that status.
//!
//! Kept compact (issue 12): a list keeps only what list screens use (`compact_for_list`), and
//! usual texts are borrowed (`known.rs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::certificate::DnsTxtRecord;
use super::domain::DomainValidation;
use super::kind::{Awaiting, ValidationType};
use super::known::{self, Text};
use super::state::RequestState;
use super::time::StatusChange;

/// Which API a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    #[default]
    Sps,
    Cps,
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::Sps => "SPS",
            Api::Cps => "CPS",
        }
    }

    /// What the API calls a request's id, for headers and messages.
    pub fn id_name(self) -> &'static str {
        match self {
            Api::Sps => "spsId",
            Api::Cps => "enrollment",
        }
    }
}

/// The request's status as its API wrote it (a usual one borrowed, see `known.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestStatus(#[serde(deserialize_with = "known::status")] pub Text);

impl RequestStatus {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One more thing the API said of a request, for the Parameters tab and `show`: a submitted
/// parameter (SPS), a member of the enrollment (CPS, `csr.o`, `networkConfiguration.geography`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Detail {
    pub name: Text,
    #[serde(default)]
    pub value: Option<Text>,
}

/// A CPS change not yet complete: where it is read, and what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingChange {
    /// The change's path as CPS gave it (`/cps/v2/enrollments/E/changes/C`).
    pub location: Box<str>,
    /// `new-certificate`, `renewal`, `edit`… as CPS wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_type: Option<Text>,
    /// CPS was asked what the change waits for, and this request holds the answer (status,
    /// state, domains); otherwise only the enrollment was read.
    #[serde(default)]
    pub read: bool,
}

/// Read back (the list cache) with `id`, `api`, `status` and `state` required, so a document
/// of another shape (an SPS answer) is refused instead of read as an empty request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertRequest {
    /// The SPS request's `spsId`, or the CPS enrollment's id.
    pub id: u64,
    pub api: Api,
    /// The API's own status text.
    pub status: RequestStatus,
    pub state: RequestState,
    /// What the operator is awaited for, when the API says (CPS's allowed input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<Awaiting>,
    /// More words on the status: SPS's `workflowProgress`, CPS's status description or error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_change: Option<StatusChange>,
    /// The CPS enrollment holding the certificate (a CPS request's own id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_id: Option<u64>,
    /// The edge hostname the request is for (SPS `cnameHostname`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<Text>,
    /// The names the certificate is to carry besides (or including) the common name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sans: Vec<Text>,
    /// Names a change adds (SPS modSan's `add.sans`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_sans: Vec<Text>,
    /// `single`, `wildcard`, `san`, `wildcard-san`, `third-party`, `modSan` as the API said.
    #[serde(
        default,
        deserialize_with = "known::opt_kind",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationType>,
    /// The certificate authority as the API names it (`lets-encrypt`, `symantec`…).
    #[serde(
        default,
        deserialize_with = "known::opt_kind",
        skip_serializing_if = "Option::is_none"
    )]
    pub authority: Option<Text>,
    /// Each domain's validation, with its challenges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<DomainValidation>,
    /// Everything else the API said, for the detail (a list keeps none, `compact_for_list`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
    /// SPS: the job a later change of the certificate (modSan) names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
    /// CPS: the first pending change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Box<PendingChange>>,
    /// CPS: every change the enrollment went through as its change history tells it, newest
    /// first, one line each (the detail and `show` only; a list keeps none, and a request
    /// without one pays a pointer for it, not a vector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_history: Option<Box<Vec<String>>>,
}

/// Kinds that carry several names and can take more.
const SAN_KINDS: &[&str] = &["san", "modSan", "wildcard-san"];

impl CertRequest {
    pub fn is_terminal(&self) -> bool {
        self.state.is_terminal()
    }

    /// A SAN certificate, or a change of one: the kinds that can take more names.
    pub fn is_san(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|kind| SAN_KINDS.iter().any(|san| kind.eq_ignore_ascii_case(san)))
    }

    pub fn last_change_at(&self) -> Option<DateTime<Utc>> {
        self.last_change.as_ref()?.time()
    }

    /// (valid, total) over the domains.
    pub fn domains_valid(&self) -> (usize, usize) {
        let valid = self
            .domains
            .iter()
            .filter(|domain| domain.is_valid())
            .count();
        (valid, self.domains.len())
    }

    /// The name the request goes by: its hostname, else its common name, else its first
    /// domain.
    pub fn name(&self) -> &str {
        self.hostname
            .as_deref()
            .or(self.common_name.as_deref())
            .or_else(|| self.domains.first().map(|domain| domain.domain.as_str()))
            .unwrap_or("")
    }

    /// Every name of the certificate: the common name, then the SANs not equal to it.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.common_name.as_deref().into_iter().collect();
        for san in &self.sans {
            if !names.iter().any(|name| name.eq_ignore_ascii_case(san)) {
                names.push(san);
            }
        }
        names
    }

    /// `SPS request 1856 (CPS enrollment 10002)`, `CPS enrollment 10002`: the request as its
    /// API names it, for headers and messages.
    pub fn title(&self) -> String {
        match (self.api, self.enrollment_id) {
            (Api::Cps, _) => format!("CPS enrollment {}", self.id),
            (Api::Sps, Some(enrollment)) => {
                format!("SPS request {} (CPS enrollment {enrollment})", self.id)
            }
            (Api::Sps, None) => format!("SPS request {}", self.id),
        }
    }

    /// The DNS-01 TXT record of every domain that has one (absolute names, no trailing dot).
    pub fn dns_records(&self) -> Vec<DnsTxtRecord> {
        self.domains
            .iter()
            .filter_map(|domain| {
                let dns = domain.dns.as_deref()?;
                Some(DnsTxtRecord {
                    domain: domain.domain.clone(),
                    name: dns.name.trim_end_matches('.').to_string(),
                    value: dns.value.clone(),
                    status: Some(domain.status.as_str().to_string()),
                    expires: domain.expires.clone(),
                })
            })
            .collect()
    }

    /// The enrollment's change history, one line a change, newest first (CPS, read whole).
    pub fn change_history(&self) -> &[String] {
        self.change_history.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The value of a detail (what the API said beyond the model's own members).
    pub fn detail(&self, name: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|detail| detail.name == name)
            .and_then(|detail| detail.value.as_deref())
    }

    /// True when nothing names the request: an SPS list read without its parameters.
    pub fn is_unnamed(&self) -> bool {
        self.hostname.is_none()
            && self.common_name.is_none()
            && self.kind.is_none()
            && self.authority.is_none()
            && self.validation.is_none()
            && self.sans.is_empty()
            && self.added_sans.is_empty()
    }

    /// Takes what names `other` (its names, kind, validation and authority).
    pub fn take_names_of(&mut self, other: &CertRequest) {
        self.hostname.clone_from(&other.hostname);
        self.common_name.clone_from(&other.common_name);
        self.kind.clone_from(&other.kind);
        self.authority.clone_from(&other.authority);
        self.validation = other.validation;
        self.sans.clone_from(&other.sans);
        self.added_sans.clone_from(&other.added_sans);
    }

    /// Drops what no list screen shows, and the spare capacity reading left.
    pub fn compact_for_list(&mut self) {
        self.details = Vec::new();
        self.change_history = None;
        self.sans.shrink_to_fit();
        self.added_sans.shrink_to_fit();
        self.domains.shrink_to_fit();
    }

    /// True when the request holds only what a list keeps (the detail reads the rest).
    pub fn has_only_list_details(&self) -> bool {
        self.details.is_empty() && self.change_history.is_none()
    }

    /// What an item the poller did not read stands in for: its id, nothing allocated (the
    /// dashboard keeps the request it shows for such an item).
    pub fn stand_in(id: u64) -> CertRequest {
        CertRequest {
            id,
            ..CertRequest::default()
        }
    }
}

/// A list made ready for the dashboard, before it is handed to the loop: every request
/// compacted and no spare capacity. The poller and the cache reader call this on their own
/// threads, while the list is still in cache; the reducer takes lists as they come (at
/// 10,000 requests, walking each request once more on the loop thread was a fifth of
/// applying a list, nearly all of it cache misses).
pub fn compact_list(requests: &mut Vec<CertRequest>) {
    for request in requests.iter_mut() {
        request.compact_for_list();
    }
    requests.shrink_to_fit();
}
