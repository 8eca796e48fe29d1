//! The notifications a batch of transitions stands for (used by `watch` and the dashboard).

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
            let event = NotifyEvent::moved(transition.at, &transition.pair, transition.id, &moved)?;
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
