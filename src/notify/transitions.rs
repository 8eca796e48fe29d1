//! The notifications a batch of transitions stands for (used by `watch` and the dashboard),
//! each in the words of its request's API ("SPS #7", "enrollment 10041").

use super::{Moved, NotifyEvent};
use crate::model::{CertRequest, RequestState, Transition};

/// The notifications the transitions stand for, with each request's name and the text that
/// explains it (a domain's error, the request's progress, or what it waits for).
pub fn events_for(transitions: &[Transition], requests: &[CertRequest]) -> Vec<NotifyEvent> {
    transitions
        .iter()
        .filter_map(|transition| {
            let request = requests.iter().find(|request| request.id == transition.id);
            let awaited = request
                .filter(|_| transition.to_state == Some(RequestState::AwaitingUser))
                .and_then(|request| request.awaiting.as_ref())
                .map(|awaiting| awaiting.label());
            let detail = match (&transition.domain, request) {
                (Some(domain), Some(request)) => request
                    .domains
                    .iter()
                    .find(|entry| &entry.domain == domain)
                    .and_then(|entry| entry.error.as_deref()),
                (None, Some(request)) => awaited.or(request.progress.as_deref()),
                (_, None) => None,
            };
            let moved = Moved {
                domain: transition.domain.as_deref(),
                from: transition.from.as_deref(),
                to: &transition.to,
                to_state: transition.to_state,
                detail,
            };
            let mut event =
                NotifyEvent::moved(transition.at, &transition.pair, transition.id, &moved)?;
            if let Some(request) = request {
                event = event.with_api(request.api);
            }
            match request
                .map(CertRequest::name)
                .filter(|name| !name.is_empty())
            {
                Some(name) => Some(event.with_name(name)),
                None => Some(event),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::config::notify::WebhookFormat;
    use crate::model::{Api, Awaiting, RequestStatus, Scope};
    use crate::notify::webhook::payload;

    fn transition(id: u64, to: &str) -> Transition {
        Transition {
            at: Utc
                .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
                .single()
                .expect("valid"),
            pair: Arc::new(Scope::contract("C-1EXMPL")),
            id,
            domain: None,
            from: Some("verify-pre-verification-safety-checks".into()),
            to: to.to_string().into(),
            to_state: Some(RequestState::AwaitingUser),
        }
    }

    #[test]
    fn a_cps_change_waiting_for_warnings_is_told_as_its_enrollment_with_what_it_waits_for() {
        let status = "wait-review-pre-verification-safety-checks";
        let request = CertRequest {
            id: 10041,
            api: Api::Cps,
            status: RequestStatus(status.to_string().into()),
            state: RequestState::AwaitingUser,
            awaiting: Some(Awaiting::PreVerificationWarnings),
            common_name: Some("members.example.com".into()),
            ..CertRequest::default()
        };
        let events = events_for(&[transition(10041, status)], &[request]);
        assert_eq!(events.len(), 1, "{events:?}");
        let event = &events[0];
        let told = format!(
            "enrollment 10041 (members.example.com) waits for you: {} [C-1EXMPL]",
            Awaiting::PreVerificationWarnings.label()
        );
        assert_eq!(event.message, told);
        assert!(!event.message.contains("SPS"), "{}", event.message);

        let document = payload(event, WebhookFormat::Json);
        assert_eq!(document["message"], told.as_str());
        assert_eq!(document["event"], "awaiting_user");
        assert_eq!(document["api"], "cps");
        assert_eq!(document["enrollmentId"], 10041);
        assert!(document.get("spsId").is_none(), "{document}");
        assert_eq!(payload(event, WebhookFormat::Slack)["text"], told.as_str());
        let written = serde_json::to_value(event).expect("serializes");
        assert_eq!(written["api"], "cps");
        assert_eq!(written["message"], told.as_str());
    }

    #[test]
    fn an_sps_request_keeps_its_words_and_document() {
        let request = CertRequest {
            id: 1856,
            api: Api::Sps,
            status: RequestStatus("Awaiting User".into()),
            state: RequestState::AwaitingUser,
            hostname: Some("shop.example.com".into()),
            ..CertRequest::default()
        };
        let mut moved = transition(1856, "Awaiting User");
        moved.pair = Arc::new(Scope::pair("C-1", "12345"));
        let events = events_for(&[moved], &[request]);
        assert_eq!(
            events[0].message,
            "SPS #1856 (shop.example.com) awaits you (Awaiting User) [C-1/12345]"
        );
        let document = payload(&events[0], WebhookFormat::Json);
        assert_eq!(document["spsId"], 1856);
        assert!(document.get("api").is_none() && document.get("enrollmentId").is_none());
        assert!(
            serde_json::to_value(&events[0])
                .expect("serializes")
                .get("api")
                .is_none()
        );
    }
}
