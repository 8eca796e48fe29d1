//! An event's message: one line that names the request as its API does ("SPS #1856", "enrollment
//! 10041") and says what happened.

use super::{EventKind, NotifyEvent, list_some};
use crate::model::Api;

/// The request as its API calls it: SPS numbers its requests, CPS names enrollments.
fn request_noun(api: Api, id: u64) -> String {
    match api {
        Api::Sps => format!("SPS #{id}"),
        Api::Cps => format!("enrollment {id}"),
    }
}

impl NotifyEvent {
    pub(super) fn render_message(&self) -> String {
        let request = match (self.id, self.name.as_deref()) {
            (Some(id), Some(name)) => format!("{} ({name})", request_noun(self.api, id)),
            (Some(id), None) => request_noun(self.api, id),
            (None, Some(name)) => name.to_string(),
            (None, None) => "a submission".to_string(),
        };
        let to = self.to.as_deref().unwrap_or_default();
        let detail = self.detail.as_deref().unwrap_or_default();
        let text = match self.kind {
            EventKind::AwaitingUser => match self.detail.as_deref() {
                Some(awaited) => format!("{request} waits for you: {awaited}"),
                None => format!("{request} awaits you ({to})"),
            },
            EventKind::DomainValid if self.domains.len() > 1 => format!(
                "{request}: {} domains are Valid ({})",
                self.domains.len(),
                list_some(&self.domains)
            ),
            EventKind::DomainValid => format!("{request}: {} is Valid", list_some(&self.domains)),
            EventKind::DomainError => {
                let which = if self.domains.len() > 1 {
                    format!("{} domains failed validation", self.domains.len())
                } else {
                    format!("{} failed validation", list_some(&self.domains))
                };
                let list = if self.domains.len() > 1 {
                    format!(" ({})", list_some(&self.domains))
                } else {
                    String::new()
                };
                let why = if detail.is_empty() { to } else { detail };
                format!("{request}: {which}{list}: {why}")
            }
            EventKind::RequestComplete => format!("{request} is complete"),
            EventKind::RequestCancelled => format!("{request} was cancelled ({to})"),
            EventKind::RequestFailed => format!("{request} failed: {detail}"),
            EventKind::SubmissionAccepted => format!("Submission accepted: {request}"),
            EventKind::SubmissionLost => format!("Submission lost: {request}: {detail}"),
            EventKind::CertificateExpiring | EventKind::CertificateCritical => {
                format!("Certificate {request}: {detail} (expires {to})")
            }
            EventKind::ServedNewCertificate => {
                format!("{request}: production serves a new certificate ({detail})")
            }
            EventKind::ServedMismatch => {
                format!("{request}: production does not serve what CPS deployed: {detail}")
            }
            EventKind::ApiFailing => format!(
                "The {} API has failed since {}: {detail}",
                self.api.name(),
                self.from.as_deref().unwrap_or_default()
            ),
            EventKind::ApiRecovered => format!(
                "The {} API is answering again (it failed from {})",
                self.api.name(),
                self.from.as_deref().unwrap_or_default()
            ),
        };
        match &self.pair {
            Some(pair) => format!("{text} [{}]", pair.short()),
            None => text,
        }
    }
}
