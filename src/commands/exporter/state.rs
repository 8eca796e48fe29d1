//! What the exporter knows: filled by its loop (the poller's lists and change reads, the
//! certificate rounds) and by the metered source (calls and their outcomes); only read by the
//! scrape handler, which renders it (`metrics.rs`). Nothing here calls the API.
//!
//! Kept small: per enrollment a few numbers and two short strings, whatever the lists held.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::commands::cert_survey::CertificateRow;
use crate::model::{Api, Awaiting, CertRequest, Network, RequestState, Scope};

/// Label values from the API are cut to this many characters (after being made inert).
const LABEL_CHARS: usize = 200;

/// What the metrics say of one request (a CPS enrollment, or an SPS request).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFacts {
    pub contract: Arc<str>,
    pub common_name: Box<str>,
    /// What its change waits for, when it waits for the operator (`None` otherwise).
    pub awaiting: Option<Box<str>>,
    /// Since when it has been waiting: the API's time of the status change when it gives one,
    /// else when this exporter first saw it waiting.
    pub awaiting_since: Option<DateTime<Utc>>,
    pub domains_ready: u32,
    pub domains_pending: u32,
}

/// The certificate each network serves, as the last certificate round read it.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateFacts {
    pub contract: Arc<str>,
    pub common_name: Box<str>,
    pub production: Option<DateTime<Utc>>,
    pub staging: Option<DateTime<Utc>>,
}

/// The API as the exporter's calls found it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiHealth {
    /// The last call was answered (`None` before the first call).
    pub up: Option<bool>,
    pub last_success: Option<DateTime<Utc>>,
    /// Failed calls by HTTP status (`"403"`), or `"network"` / `"other"` without one.
    pub errors: BTreeMap<String, u64>,
}

/// The poller's own counters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollerCounters {
    /// Lists that came back (read or failed).
    pub polls: u64,
    pub list_calls: u64,
    pub list_failures: u64,
    pub change_reads: u64,
    pub change_failures: u64,
    pub certificate_rounds: u64,
    pub certificate_reads: u64,
    pub certificate_failures: u64,
    pub last_poll: Option<Duration>,
    pub last_poll_at: Option<DateTime<Utc>>,
}

/// One probe's finding as the hook takes it: (enrollment, network, served = deployed (`None`:
/// the probe could not find out), probed at).
pub type ServedTuple = (u64, Network, Option<bool>, DateTime<Utc>);

/// Whether the edge serves the certificate CPS deployed, per enrollment and network, as the
/// served-certificate probe last found it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedCheck {
    pub enrollment: u64,
    pub network: Network,
    /// `Some(true)`: every name serves the deployed certificate; `Some(false)`: one does not;
    /// `None`: the probe could not find out (no address, no answer).
    pub matches: Option<bool>,
    pub probed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct MetricsState {
    /// The `.edgerc` section in use (never a token or a secret).
    pub account: String,
    pub api: Api,
    /// By enrollment id (spsId on SPS).
    pub requests: BTreeMap<u64, RequestFacts>,
    /// Which pair each request was listed under, so a pair's new list replaces its own.
    pair_of: BTreeMap<u64, Arc<str>>,
    pub certificates: BTreeMap<u64, CertificateFacts>,
    pub health: ApiHealth,
    pub poller: PollerCounters,
    /// `None` until the served-certificate probe feeds it (see [`MetricsState::set_served`]).
    pub served: Option<Vec<ServedCheck>>,
}

/// An API string made fit for a label value: inert (controls shown as escapes) and cut.
pub fn label_text(text: &str) -> Box<str> {
    crate::text::cut(&crate::text::inert(text), LABEL_CHARS).into()
}

/// CPS's name for what a change waits for (`allowedInput[].type`, shortened).
pub fn input_name(awaiting: Option<&Awaiting>) -> Box<str> {
    match awaiting {
        Some(Awaiting::Challenges) => "lets-encrypt-challenges".into(),
        Some(Awaiting::PreVerificationWarnings) => "pre-verification-warnings".into(),
        Some(Awaiting::PostVerificationWarnings) => "post-verification-warnings".into(),
        Some(Awaiting::ChangeManagement) => "change-management".into(),
        Some(Awaiting::ThirdPartyCertificate) => "third-party-certificate".into(),
        Some(Awaiting::Other(name)) => label_text(name),
        None => "unknown".into(),
    }
}

impl MetricsState {
    pub fn new(account: &str, api: Api) -> MetricsState {
        MetricsState {
            account: label_text(account).into(),
            api,
            ..MetricsState::default()
        }
    }

    /// A pair's new list: its requests replace what the last one said; an item the poller
    /// did not read again (`unread`, its text unchanged) keeps what was known of it.
    pub fn list_arrived(
        &mut self,
        pair: &Scope,
        requests: &[CertRequest],
        unread: impl Fn(usize) -> bool,
        now: DateTime<Utc>,
    ) {
        let contract: Arc<str> = label_text(&pair.contract_id).into();
        let key: Arc<str> = pair.to_string().into();
        let listed: HashSet<u64> = requests.iter().map(|request| request.id).collect();
        let gone: Vec<u64> = self
            .pair_of
            .iter()
            .filter(|(id, of)| **of == key && !listed.contains(id))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            self.pair_of.remove(&id);
            self.requests.remove(&id);
        }
        for (at, request) in requests.iter().enumerate() {
            self.pair_of.insert(request.id, Arc::clone(&key));
            if unread(at) && self.requests.contains_key(&request.id) {
                continue;
            }
            self.request_read(&contract, request, now);
        }
    }

    /// One request read (in its list, or its change read apart from it).
    pub fn request_read(&mut self, contract: &Arc<str>, request: &CertRequest, now: DateTime<Utc>) {
        let waiting = request.state == RequestState::AwaitingUser;
        let input = waiting.then(|| input_name(request.awaiting.as_ref()));
        let earlier = self.requests.get(&request.id);
        let awaiting_since = match (&input, earlier) {
            (None, _) => None,
            _ if request.last_change_at().is_some() => request.last_change_at(),
            (Some(input), Some(known)) if known.awaiting.as_ref() == Some(input) => {
                known.awaiting_since.or(Some(now))
            }
            (Some(_), _) => Some(now),
        };
        let (valid, total) = request.domains_valid();
        let facts = RequestFacts {
            contract: Arc::clone(contract),
            common_name: label_text(request.common_name.as_deref().unwrap_or(request.name())),
            awaiting: input,
            awaiting_since,
            domains_ready: u32::try_from(valid).unwrap_or(u32::MAX),
            domains_pending: u32::try_from(total.saturating_sub(valid)).unwrap_or(u32::MAX),
        };
        self.requests.insert(request.id, facts);
    }

    /// A pair's request read again apart from its list (a CPS change read when due).
    pub fn change_read(&mut self, pair: &Scope, request: &CertRequest, now: DateTime<Utc>) {
        let contract: Arc<str> = label_text(&pair.contract_id).into();
        self.pair_of
            .entry(request.id)
            .or_insert_with(|| pair.to_string().into());
        self.request_read(&contract, request, now);
    }

    /// The rows of one pair's certificate survey.
    pub fn certificates_read(&mut self, rows: &[CertificateRow]) {
        for row in rows {
            // An expiry that could not be read this time is unknown, not the old one.
            if row.unknown {
                self.certificates.remove(&row.enrollment_id);
                continue;
            }
            let name = row
                .common_name
                .as_deref()
                .or(row.cname_hostname.as_deref())
                .unwrap_or_default();
            self.certificates.insert(
                row.enrollment_id,
                CertificateFacts {
                    contract: label_text(&row.contract_id).into(),
                    common_name: label_text(name),
                    production: row.production.as_ref().map(|state| state.expiry),
                    staging: row.staging.as_ref().map(|state| state.expiry),
                },
            );
        }
    }

    /// A call answered (`Ok`) or failed with this HTTP status (`None`: no answer).
    pub fn call_outcome(&mut self, outcome: Result<(), CallFailure>, now: DateTime<Utc>) {
        match outcome {
            Ok(()) => {
                self.health.up = Some(true);
                self.health.last_success = Some(now);
            }
            Err(failure) => {
                self.health.up = Some(false);
                *self.health.errors.entry(failure.label()).or_default() += 1;
            }
        }
    }

    /// What the probe last found, per enrollment and network, as (enrollment, network,
    /// served = deployed, probed at); `None` leaves the served metrics out (`[served] auto`
    /// off). The exporter's probe rounds feed it one enrollment at a time
    /// ([`MetricsState::served_probed`]).
    pub fn set_served(&mut self, checks: Option<&[ServedTuple]>) {
        self.served = checks.map(|checks| {
            checks
                .iter()
                .map(|&(enrollment, network, matches, probed_at)| ServedCheck {
                    enrollment,
                    network,
                    matches,
                    probed_at,
                })
                .collect()
        });
    }

    /// One enrollment probed: its findings replace what the last probe of it said.
    pub fn served_probed(
        &mut self,
        enrollment: u64,
        found: &[(Network, Option<bool>)],
        probed_at: DateTime<Utc>,
    ) {
        let checks = self.served.get_or_insert_with(Vec::new);
        checks.retain(|check| check.enrollment != enrollment);
        checks.extend(found.iter().map(|&(network, matches)| ServedCheck {
            enrollment,
            network,
            matches,
            probed_at,
        }));
    }

    /// A probe round begins with `enrollments`: the findings of any other are dropped (its
    /// certificate is no longer known, or no longer deployed). Turns the served metrics on.
    pub fn served_round(&mut self, enrollments: &HashSet<u64>) {
        self.served
            .get_or_insert_with(Vec::new)
            .retain(|check| enrollments.contains(&check.enrollment));
    }

    /// Whether enrollment `id`'s pending change waits for change management (staging then
    /// serves the new certificate before production does).
    pub fn awaits_change_management(&self, id: u64) -> bool {
        let wanted = input_name(Some(&Awaiting::ChangeManagement));
        self.requests
            .get(&id)
            .is_some_and(|request| request.awaiting.as_ref() == Some(&wanted))
    }
}

/// Why a call failed, for the errors' `status` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFailure {
    Status(u16),
    Network,
    Other,
}

impl CallFailure {
    pub fn of(error: &crate::edgegrid::ApiError) -> CallFailure {
        match error.http_status() {
            Some(status) => CallFailure::Status(status),
            None if error.is_network() => CallFailure::Network,
            None => CallFailure::Other,
        }
    }

    fn label(self) -> String {
        match self {
            CallFailure::Status(status) => status.to_string(),
            CallFailure::Network => "network".to_string(),
            CallFailure::Other => "other".to_string(),
        }
    }
}
