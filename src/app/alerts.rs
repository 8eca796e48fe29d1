//! What the dashboard tells through `[notify]` besides status changes: a submission accepted
//! (its answer came, or a lost one turned up in a list), a submission lost (no list shows it
//! long after it was sent), the API failing for `api_failing_minutes` and answering again.
//! Pure like the rest of the reducer: time comes from the events.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{App, Effect};
use crate::model::Scope;
use crate::notify::{NotifyEvent, OutageWatch};
use crate::sps::submission::Submission;

#[derive(Debug, Clone, Default)]
pub struct Alerts {
    /// Made on first use, from `[notify] api_failing_minutes` (the config may change before).
    outage: Option<OutageWatch>,
    /// Journal ids of submissions told lost in this run (the announced record covers restarts).
    told_lost: HashSet<String>,
}

impl App {
    /// `Effect::Notify` with `events`, when there are some and `[notify]` has a sink.
    pub(super) fn notify_effect(&self, events: Vec<NotifyEvent>) -> Option<Effect> {
        (!events.is_empty() && self.config.notify.any_sink()).then_some(Effect::Notify(events))
    }

    /// The open wizard's submission was accepted as `id` (told before the wizard closes:
    /// it knows the name).
    pub(super) fn accepted_alert(&self, pair: &Scope, id: u64) -> Option<Effect> {
        let name = self
            .wizard
            .as_ref()
            .and_then(|wizard| wizard.checked_name());
        let event = NotifyEvent::submission_accepted(self.now, pair, id, name).with_api(self.api());
        self.notify_effect(vec![event])
    }

    /// Lost submissions that turned up in `pair`'s list: accepted after all.
    pub(super) fn reconciled_alert(
        &self,
        pair: &Scope,
        found: &[(Submission, u64)],
    ) -> Option<Effect> {
        let events = found
            .iter()
            .map(|(submission, id)| {
                NotifyEvent::submission_accepted(
                    self.now,
                    pair,
                    *id,
                    Some(&submission.cname_hostname),
                )
                .with_api(self.api())
            })
            .collect();
        self.notify_effect(events)
    }

    fn outage(&mut self) -> &mut OutageWatch {
        let minutes = self.config.notify.api_failing_minutes;
        self.alerts.outage.get_or_insert_with(|| {
            OutageWatch::new(Duration::from_secs(minutes.saturating_mul(60)), None)
        })
    }

    /// A call to the API failed at `at` (a list, or the discovery of pairs): the outage is
    /// told once it has lasted long enough. One watch for the whole dashboard: the API is
    /// failing when nothing it is asked works (a refusal of one pair is that pair's error).
    pub(super) fn api_failed_alert(&mut self, at: DateTime<Utc>, error: &str) -> Option<Effect> {
        let api = self.api();
        let event = self.outage().failed(at, error);
        self.notify_effect(event.map(|event| event.with_api(api)).into_iter().collect())
    }

    /// A call worked at `at`: "answering again" when it ends an outage that was told.
    pub(super) fn api_answered_alert(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        let event = self
            .alerts
            .outage
            .as_mut()
            .and_then(|watch| watch.succeeded(at))
            .map(|event| event.with_api(self.api()));
        self.notify_effect(event.into_iter().collect())
    }

    /// After `pair`'s list read at `at` was reconciled: its submissions still unresolved and
    /// given up (see `Submission::given_up`) are told lost, each once.
    pub(super) fn lost_alert(&mut self, pair: &Scope, at: DateTime<Utc>) -> Option<Effect> {
        let lost: Vec<(String, NotifyEvent)> = self
            .submissions
            .unresolved
            .iter()
            .filter(|submission| submission.pair == *pair && submission.given_up(at))
            .filter(|submission| !self.alerts.told_lost.contains(&submission.id))
            .map(|submission| {
                let why = format!(
                    "no answer came, and no list since shows it (sent {})",
                    submission.sent_at.format("%Y-%m-%d %H:%M UTC")
                );
                let event = NotifyEvent::submission_lost(
                    at,
                    pair,
                    &submission.id,
                    Some(&submission.cname_hostname),
                    &why,
                )
                .with_api(self.api());
                (submission.id.clone(), event)
            })
            .collect();
        let mut events = Vec::with_capacity(lost.len());
        for (id, event) in lost {
            self.alerts.told_lost.insert(id);
            events.push(event);
        }
        self.notify_effect(events)
    }
}
