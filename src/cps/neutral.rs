//! A CPS enrollment, with what its pending change says when it was read, as the neutral model
//! shows it: the enrollment's id, names, kind and CA; the change's own status and the state
//! its `statusInfo.state` means; what it waits for (its allowed input); each domain of its Let's
//! Encrypt challenges with the HTTP-01 and DNS-01 challenge. An enrollment with no pending
//! change is done.

use serde_json::Value;

use super::change::{AllowedInput, Challenge, ChangeStatus, DomainChallenges, DvChallenges};
use super::model::Enrollment;
use crate::model::known::{self, KINDS_AND_AUTHORITIES, STATUSES, Text};
use crate::model::{
    Api, Awaiting, CertRequest, Detail, DnsChallenge, DomainStatus, DomainValidation,
    PendingChange, RequestState, RequestStatus, ValidationType, domain_state,
};

/// The status shown for an enrollment no change is pending for.
pub const NO_PENDING_CHANGE: &str = "no pending change";

/// What was read of an enrollment's pending change: its status and, when it offers them, its
/// Let's Encrypt challenges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeRead {
    /// The change's path, as the enrollment's `pendingChanges` gave it (normalised).
    pub location: String,
    pub status: ChangeStatus,
    pub challenges: Option<DvChallenges>,
}

/// The enrollment as a list shows it; `change` when its first pending change was read (and
/// is the one the enrollment names now).
pub fn list_item(enrollment: &Enrollment, change: Option<&ChangeRead>) -> CertRequest {
    convert(enrollment, change, false)
}

/// The enrollment read whole: every member of it kept as details (CSR, network
/// configuration, organization, contacts, change management…).
pub fn whole(enrollment: &Enrollment, change: Option<&ChangeRead>) -> CertRequest {
    convert(enrollment, change, true)
}

fn convert(enrollment: &Enrollment, change: Option<&ChangeRead>, whole: bool) -> CertRequest {
    let id = enrollment.enrollment_id().unwrap_or_default();
    let pending = enrollment.pending_changes.first();
    let change = change.filter(|read| {
        pending
            .and_then(|pending| pending.location.as_deref())
            .is_some_and(|location| same_change(location, &read.location))
    });
    let mut request = CertRequest {
        id,
        api: Api::Cps,
        enrollment_id: Some(id),
        common_name: enrollment.common_name().map(text),
        sans: enrollment.sans().iter().map(|san| text(san)).collect(),
        kind: enrollment.certificate_type.as_deref().map(shared),
        validation: enrollment
            .validation_type
            .as_deref()
            .and_then(ValidationType::from_name),
        authority: enrollment.ra.as_deref().map(shared),
        change: pending.and_then(|pending| {
            Some(Box::new(PendingChange {
                location: pending.location.as_deref()?.into(),
                change_type: pending.change_type.as_deref().map(shared),
                read: change.is_some(),
            }))
        }),
        ..CertRequest::default()
    };
    match (pending, change) {
        (None, _) => {
            request.status = RequestStatus(Text::Borrowed(NO_PENDING_CHANGE));
            request.state = RequestState::Complete;
        }
        (Some(pending), None) => {
            // Until the change is read, the enrollment says only what kind of change it is.
            let kind = pending.change_type.as_deref().unwrap_or("change");
            request.status = RequestStatus(known::share(kind.to_string(), STATUSES));
            request.state = RequestState::InProgress;
            request.progress = Some("pending change, its status not read yet".to_string());
        }
        (Some(_), Some(read)) => describe_change(&mut request, read),
    }
    if whole {
        request.details = details(enrollment);
    }
    request
}

/// The change's status, state in words, what it waits for, and its challenges.
fn describe_change(request: &mut CertRequest, read: &ChangeRead) {
    let info = read.status.status_info.as_ref();
    let status = info
        .and_then(|info| info.status.as_deref())
        .or_else(|| info.and_then(|info| info.state.as_deref()))
        .unwrap_or("change");
    request.status = RequestStatus(known::share(status.to_string(), STATUSES));
    let state_word = info.and_then(|info| info.state.as_deref()).unwrap_or("");
    request.awaiting = awaited(&read.status.allowed_input);
    request.state = match state_word.trim().to_ascii_lowercase().as_str() {
        "awaiting-input" => RequestState::AwaitingUser,
        "error" | "cancelled" => RequestState::Failed,
        "completed" => RequestState::Complete,
        // An input required to proceed means the operator, whatever the state says.
        _ if request.awaiting.is_some() => RequestState::AwaitingUser,
        _ => RequestState::InProgress,
    };
    request.progress = info.and_then(|info| {
        let error = info.error.as_ref().and_then(|error| {
            let text = error.description.as_deref().or(error.code.as_deref())?;
            Some(match &error.code {
                Some(code) if error.description.is_some() => format!("{text} ({code})"),
                _ => text.to_string(),
            })
        });
        error.or_else(|| info.description.clone())
    });
    if let Some(challenges) = &read.challenges {
        request.domains = challenges.dv.iter().map(domain).collect();
    }
}

/// The first input required to proceed, in words (else the first offered).
fn awaited(inputs: &[AllowedInput]) -> Option<Awaiting> {
    let input = inputs
        .iter()
        .find(|input| input.required_to_proceed == Some(true))
        .or_else(|| inputs.first())?;
    let kind = input.kind.as_deref()?;
    Some(match kind {
        "lets-encrypt-challenges" => Awaiting::Challenges,
        "pre-verification-warnings-acknowledgement" => Awaiting::PreVerificationWarnings,
        "post-verification-warnings-acknowledgement" => Awaiting::PostVerificationWarnings,
        "change-management" => Awaiting::ChangeManagement,
        "third-party-certificate" => Awaiting::ThirdPartyCertificate,
        other => Awaiting::Other(other.to_string()),
    })
}

fn domain(entry: &DomainChallenges) -> DomainValidation {
    let status = entry.status.as_deref().unwrap_or("");
    let http = entry.http01();
    let dns = entry.dns01();
    let from_http = |pick: fn(&Challenge) -> &Option<String>| http.and_then(|c| pick(c).clone());
    DomainValidation {
        domain: entry.domain.clone(),
        status: DomainStatus(known::share(status.to_string(), known::DOMAIN_STATUSES)),
        state: domain_state(status),
        full_path: from_http(|c| &c.full_path),
        redirect_path: from_http(|c| &c.redirect_full_path),
        token: from_http(|c| &c.token),
        response_body: from_http(|c| &c.response_body),
        dns: dns.and_then(|challenge| {
            Some(Box::new(DnsChallenge {
                name: challenge.full_path.clone()?,
                value: challenge.response_body.clone()?,
            }))
        }),
        expires: entry.expires.clone(),
        validated_timestamp: entry.validated_timestamp.clone(),
        error: entry
            .error
            .clone()
            .or_else(|| http.and_then(|c| c.error.clone())),
    }
}

/// Two spellings of one change path (`/cps-api/…` and `/cps/v2/…`, a full URL or not).
fn same_change(a: &str, b: &str) -> bool {
    let tail = |path: &str| {
        path.rsplit("/enrollments/")
            .next()
            .unwrap_or(path)
            .trim_end_matches('/')
            .to_string()
    };
    tail(a) == tail(b)
}

/// Every member of the enrollment as `name value` lines: objects flattened with dotted names
/// (`csr.o`, `networkConfiguration.geography`), lists joined by commas.
fn details(enrollment: &Enrollment) -> Vec<Detail> {
    let mut details = Vec::new();
    if let Ok(value) = serde_json::to_value(enrollment) {
        flatten("", &value, &mut details);
    }
    details
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<Detail>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let name = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&name, member, out);
            }
        }
        Value::Null => {}
        Value::Array(items) if items.iter().all(|item| !item.is_object()) => {
            if !items.is_empty() {
                let joined: Vec<String> = items.iter().map(scalar).collect();
                out.push(detail(prefix, joined.join(", ")));
            }
        }
        Value::Array(items) => {
            for (at, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{at}]"), item, out);
            }
        }
        scalar_value => out.push(detail(prefix, scalar(scalar_value))),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn detail(name: &str, value: String) -> Detail {
    Detail {
        name: Text::Owned(name.to_string()),
        value: Some(Text::Owned(value)),
    }
}

fn text(value: &str) -> Text {
    Text::Owned(value.to_string())
}

fn shared(value: &str) -> Text {
    known::share(value.to_string(), KINDS_AND_AUTHORITIES)
}

#[cfg(test)]
#[path = "neutral_tests.rs"]
mod tests;
