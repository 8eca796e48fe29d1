//! The notifications a batch of transitions stands for (used by `watch` and the dashboard).

use super::NotifyEvent;
use crate::sps::SpsRequest;
use crate::sps::history::Transition;

/// The notifications the transitions stand for, with each request's name and the text that
/// explains a failure (a domain's error, the request's workflow progress).
pub fn events_for(transitions: &[Transition], requests: &[SpsRequest]) -> Vec<NotifyEvent> {
    transitions
        .iter()
        .filter_map(|transition| {
            let request = requests
                .iter()
                .find(|request| request.sps_id == transition.sps_id);
            let detail = match (&transition.domain, request) {
                (Some(domain), Some(request)) => request
                    .dv_status
                    .iter()
                    .find(|entry| &entry.domain == domain)
                    .and_then(|entry| entry.error.as_deref()),
                (None, Some(request)) => request.workflow_progress.as_deref(),
                (_, None) => None,
            };
            let event = NotifyEvent::status_change(
                transition.at,
                &transition.pair,
                transition.sps_id,
                transition.domain.as_deref(),
                transition.from.as_deref(),
                &transition.to,
                detail,
            )?;
            match request.and_then(SpsRequest::cname_hostname) {
                Some(name) => Some(event.with_name(name)),
                None => Some(event),
            }
        })
        .collect()
}
