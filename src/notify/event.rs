//! What is worth telling the operator: the kinds of event, their level, and one event as
//! plain data (built from plain values, so any layer above can make one from what it saw).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::ExpiryBand;
use crate::model::{Api, RequestState, Scope, domain_state};

mod message;

/// How loud an event is; each level goes to the sinks `[notify.route]` names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The request waits for the operator (`Awaiting User`).
    AwaitingUser,
    DomainValid,
    /// A domain's check failed (`Invalid`, `Expired`, or an error text).
    DomainError,
    RequestComplete,
    RequestCancelled,
    /// Ended without a certificate for another reason (e.g. the edge host already existed).
    RequestFailed,
    SubmissionAccepted,
    /// A submission whose answer never came and that no list shows.
    SubmissionLost,
    /// A certificate entered the warning band (`[expiry] warn_days`).
    CertificateExpiring,
    /// A certificate entered the critical band (`[expiry] critical_days`) or expired.
    CertificateCritical,
    /// The API has failed for longer than `api_failing_minutes`.
    ApiFailing,
    /// The API answers again after an outage that was told.
    ApiRecovered,
    /// Production started serving another certificate (the served-certificate probe).
    ServedNewCertificate,
    /// Production stopped serving what CPS deployed (an old certificate, a missing name…).
    ServedMismatch,
}

impl EventKind {
    pub fn level(self) -> Level {
        match self {
            EventKind::DomainValid
            | EventKind::RequestComplete
            | EventKind::SubmissionAccepted
            | EventKind::ApiRecovered
            | EventKind::ServedNewCertificate => Level::Info,
            EventKind::AwaitingUser | EventKind::CertificateExpiring => Level::Warn,
            EventKind::DomainError
            | EventKind::RequestCancelled
            | EventKind::RequestFailed
            | EventKind::SubmissionLost
            | EventKind::CertificateCritical
            | EventKind::ApiFailing
            | EventKind::ServedMismatch => Level::Error,
        }
    }

    /// The name in webhook documents and `{event}`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::AwaitingUser => "awaiting_user",
            EventKind::DomainValid => "domain_valid",
            EventKind::DomainError => "domain_error",
            EventKind::RequestComplete => "request_complete",
            EventKind::RequestCancelled => "request_cancelled",
            EventKind::RequestFailed => "request_failed",
            EventKind::SubmissionAccepted => "submission_accepted",
            EventKind::SubmissionLost => "submission_lost",
            EventKind::CertificateExpiring => "certificate_expiring",
            EventKind::CertificateCritical => "certificate_critical",
            EventKind::ApiFailing => "api_failing",
            EventKind::ApiRecovered => "api_recovered",
            EventKind::ServedNewCertificate => "served_new_certificate",
            EventKind::ServedMismatch => "served_mismatch",
        }
    }

    /// Domain events of one request arrive in bursts and are told as one message.
    pub fn groups(self) -> bool {
        matches!(self, EventKind::DomainValid | EventKind::DomainError)
    }
}

/// One thing to tell. `domains` holds one domain for a domain event, several once grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyEvent {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<Scope>,
    /// The request's id (its spsId for SPS, the enrollment's id for CPS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The API the request (or the failing API) belongs to: it names the request in the
    /// message ("SPS #7", "enrollment 10041"). Written out for CPS only, so SPS documents keep
    /// the shape they always had.
    #[serde(skip_serializing_if = "is_sps")]
    pub api: Api,
    /// The request's cname hostname or the certificate's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// An error text, a workflow progress, a reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub message: String,
    /// Stable identities of what this event tells (several once grouped): what the announced
    /// record keeps, so a restart does not tell it again.
    #[serde(skip)]
    pub(crate) ids: Vec<String>,
    /// A level other than the kind's own (a certificate in its critical band is an error).
    #[serde(skip)]
    level_override: Option<Level>,
}

impl NotifyEvent {
    /// A status change worth telling, from the API's own words alone (an SPS status says
    /// what it means); `None` for changes that are not (e.g. `Pending` → `CPS running`).
    /// `detail` is the domain's error text, or the request's workflow progress (which is how
    /// a failed edge host shows itself).
    pub fn status_change(
        at: DateTime<Utc>,
        pair: &Scope,
        id: u64,
        domain: Option<&str>,
        from: Option<&str>,
        to: &str,
        detail: Option<&str>,
    ) -> Option<NotifyEvent> {
        let moved = Moved {
            domain,
            from,
            to,
            to_state: None,
            detail,
        };
        NotifyEvent::moved(at, pair, id, &moved)
    }

    /// A change worth telling, `None` for one that is not. A request's change is told by the
    /// state it moved to when the transition knows it (a CPS status such as
    /// `wait-review-pre-verification-safety-checks` says nothing by its text alone), else by
    /// SPS's words.
    pub fn moved(
        at: DateTime<Utc>,
        pair: &Scope,
        id: u64,
        moved: &Moved<'_>,
    ) -> Option<NotifyEvent> {
        let Moved {
            domain,
            from,
            to,
            to_state,
            detail,
        } = *moved;
        let detail = detail.map(str::trim).filter(|text| !text.is_empty());
        let kind = match domain {
            Some(_) => domain_event(to, detail)?,
            None => request_event(to, to_state.unwrap_or_else(|| sps_state(to, detail)))?,
        };
        let mut event = NotifyEvent::bare(kind, at);
        event.pair = Some(pair.clone());
        event.id = Some(id);
        event.domains = domain.map(str::to_string).into_iter().collect();
        event.from = from.map(str::to_string);
        event.to = Some(to.to_string());
        event.detail = detail.map(str::to_string);
        event.ids = vec![format!(
            "{}|{}|{id}|{}|{to}",
            kind.name(),
            pair_key(pair),
            domain.unwrap_or("-")
        )];
        Some(event.rendered())
    }

    /// A submission the API accepted (it has an `spsId` now).
    pub fn submission_accepted(
        at: DateTime<Utc>,
        pair: &Scope,
        id: u64,
        name: Option<&str>,
    ) -> NotifyEvent {
        let mut event = NotifyEvent::bare(EventKind::SubmissionAccepted, at);
        event.pair = Some(pair.clone());
        event.id = Some(id);
        event.name = name.map(str::to_string);
        event.ids = vec![format!("submission_accepted|{}|{id}", pair_key(pair))];
        event.rendered()
    }

    /// A submission that was sent but never confirmed; `local_id` names it in the submission
    /// journal, `why` says what is known.
    pub fn submission_lost(
        at: DateTime<Utc>,
        pair: &Scope,
        local_id: &str,
        name: Option<&str>,
        why: &str,
    ) -> NotifyEvent {
        let mut event = NotifyEvent::bare(EventKind::SubmissionLost, at);
        event.pair = Some(pair.clone());
        event.name = name.map(str::to_string);
        event.detail = Some(why.to_string());
        event.ids = vec![format!("submission_lost|{}|{local_id}", pair_key(pair))];
        event.rendered()
    }

    /// A certificate in the warning or critical band (or expired) on `at`; `None` while it
    /// is fine. `certificate` names it (its common name, else its enrollment), `enrollment`
    /// identifies it; the identity holds the band and the expiry date, so each band is told
    /// once per certificate, and a renewed certificate is told again when its turn comes.
    pub fn certificate_band(
        at: DateTime<Utc>,
        pair: Option<&Scope>,
        enrollment: u64,
        certificate: &str,
        expires: DateTime<Utc>,
        band: ExpiryBand,
    ) -> Option<NotifyEvent> {
        let kind = match band {
            ExpiryBand::Fine => return None,
            ExpiryBand::Warning => EventKind::CertificateExpiring,
            ExpiryBand::Critical | ExpiryBand::Expired => EventKind::CertificateCritical,
        };
        let mut event = NotifyEvent::bare(kind, at);
        event.pair = pair.cloned();
        event.name = Some(certificate.to_string());
        event.to = Some(expires.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        event.detail = Some(crate::model::describe_days_left(expires, at));
        // Expired is its own step after critical: told once more when it happens.
        event.ids = vec![format!(
            "certificate_{}|{enrollment}|{}",
            band.label().to_ascii_lowercase(),
            expires.format("%Y-%m-%d")
        )];
        Some(event.rendered())
    }

    /// The API has failed since `since`; `error` is the last failure's message.
    pub fn api_failing(
        at: DateTime<Utc>,
        pair: Option<&Scope>,
        since: DateTime<Utc>,
        error: &str,
    ) -> NotifyEvent {
        let mut event = NotifyEvent::bare(EventKind::ApiFailing, at);
        event.pair = pair.cloned();
        event.from = Some(since.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        event.detail = Some(error.to_string());
        event.ids = vec![format!(
            "api_failing|{}|{}",
            pair.map(pair_key).unwrap_or_else(|| "-".into()),
            since.timestamp()
        )];
        event.rendered()
    }

    /// The API answers again after the outage that began at `since` (and was told).
    pub fn api_recovered(
        at: DateTime<Utc>,
        pair: Option<&Scope>,
        since: DateTime<Utc>,
    ) -> NotifyEvent {
        let mut event = NotifyEvent::bare(EventKind::ApiRecovered, at);
        event.pair = pair.cloned();
        event.from = Some(since.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        event.ids = vec![format!(
            "api_recovered|{}|{}",
            pair.map(pair_key).unwrap_or_else(|| "-".into()),
            since.timestamp()
        )];
        event.rendered()
    }

    /// What production serves for enrollment `enrollment` changed: `kind` says how,
    /// `detail` in words; `fingerprint` (the served certificate's SHA-256) makes each
    /// change told once.
    pub fn served(
        kind: EventKind,
        at: DateTime<Utc>,
        pair: Option<&Scope>,
        enrollment: u64,
        certificate: &str,
        detail: String,
        fingerprint: &str,
    ) -> NotifyEvent {
        let mut event = NotifyEvent::bare(kind, at);
        event.pair = pair.cloned();
        event.id = Some(enrollment);
        event.api = Api::Cps;
        event.name = Some(certificate.to_string());
        event.detail = Some(detail);
        event.ids = vec![format!("{}|{enrollment}|{fingerprint}", kind.name())];
        event.rendered()
    }

    /// The same event, told in the words of `api` (the request's own API).
    pub fn with_api(mut self, api: Api) -> NotifyEvent {
        self.api = api;
        self.rendered()
    }

    /// The same event, naming its request (e.g. its cname hostname).
    pub fn with_name(mut self, name: &str) -> NotifyEvent {
        self.name = Some(name.to_string()).filter(|name| !name.is_empty());
        self.rendered()
    }

    pub fn level(&self) -> Level {
        self.level_override.unwrap_or(self.kind.level())
    }

    /// The same event at another level (routing follows it).
    pub fn with_level(mut self, level: Level) -> NotifyEvent {
        self.level_override = Some(level);
        self
    }

    /// The first (or only) domain.
    pub fn domain(&self) -> Option<&str> {
        self.domains.first().map(String::as_str)
    }

    /// The stable identity of this event (of its first part, once grouped).
    pub fn id(&self) -> &str {
        self.ids.first().map(String::as_str).unwrap_or_default()
    }

    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Whether `other` belongs in the same message: same request, same kind, a kind that groups.
    pub fn groups_with(&self, other: &NotifyEvent) -> bool {
        self.kind.groups()
            && self.kind == other.kind
            && self.pair == other.pair
            && self.id == other.id
    }

    /// Takes `other`'s domains and identities into this event (see `groups_with`).
    pub fn absorb(&mut self, other: NotifyEvent) {
        for domain in other.domains {
            if !self.domains.contains(&domain) {
                self.domains.push(domain);
            }
        }
        self.ids.extend(other.ids);
        if self.detail.is_none() {
            self.detail = other.detail;
        }
        self.at = self.at.max(other.at);
        self.message = self.render_message();
    }

    fn bare(kind: EventKind, at: DateTime<Utc>) -> NotifyEvent {
        NotifyEvent {
            kind,
            at,
            pair: None,
            id: None,
            api: Api::Sps,
            name: None,
            domains: Vec::new(),
            from: None,
            to: None,
            detail: None,
            message: String::new(),
            ids: Vec::new(),
            level_override: None,
        }
    }

    fn rendered(mut self) -> NotifyEvent {
        self.message = self.render_message();
        self
    }
}

/// What changed, as a transition says it.
#[derive(Debug, Clone, Copy)]
pub struct Moved<'a> {
    /// The domain whose validation changed; `None` for the request's own status.
    pub domain: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: &'a str,
    /// The state the request moved to, when known.
    pub to_state: Option<RequestState>,
    /// The domain's error text, the request's progress, or what it waits for.
    pub detail: Option<&'a str>,
}

/// A domain's change: valid, failed (its status or an error text says so), or nothing to tell.
fn domain_event(to: &str, detail: Option<&str>) -> Option<EventKind> {
    match domain_state(to) {
        RequestState::Complete => Some(EventKind::DomainValid),
        RequestState::Failed => Some(EventKind::DomainError),
        // An unknown status that carries an error text is an error too.
        _ if detail.is_some() && !is_waiting(to) => Some(EventKind::DomainError),
        _ => None,
    }
}

/// Statuses of a domain that is still on its way (an error text there is old news).
fn is_waiting(status: &str) -> bool {
    [
        "pending",
        "awaiting user",
        "preparing",
        "ready for validation",
    ]
    .iter()
    .any(|waiting| status.trim().eq_ignore_ascii_case(waiting))
}

/// A request's change, by the state it moved to.
fn request_event(to: &str, state: RequestState) -> Option<EventKind> {
    match state {
        RequestState::AwaitingUser => Some(EventKind::AwaitingUser),
        RequestState::Complete => Some(EventKind::RequestComplete),
        RequestState::Failed if to.to_ascii_lowercase().contains("cancel") => {
            Some(EventKind::RequestCancelled)
        }
        RequestState::Failed => Some(EventKind::RequestFailed),
        RequestState::InProgress => None,
    }
}

/// What an SPS status means, for changes journaled before transitions kept their state.
fn sps_state(to: &str, detail: Option<&str>) -> RequestState {
    match to {
        "Awaiting User" => RequestState::AwaitingUser,
        "SPS Request Complete" => RequestState::Complete,
        "CPS cancelled" => RequestState::Failed,
        "edge host already created or pending"
            if detail.is_some_and(|text| text.to_ascii_lowercase().contains("error")) =>
        {
            RequestState::Failed
        }
        _ => RequestState::InProgress,
    }
}

fn is_sps(api: &Api) -> bool {
    *api == Api::Sps
}

fn pair_key(pair: &Scope) -> String {
    pair.short()
}

/// Up to three names, then how many more: a 40-domain burst stays one readable line.
fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 3;
    if names.len() <= SHOWN {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..SHOWN].join(", "),
        names.len() - SHOWN
    )
}

#[cfg(test)]
mod tests;
