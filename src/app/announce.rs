//! Telling the operator what changed: the flash, the bell, the history, the journal, the
//! notifications, and which certificates to read again.

use std::sync::Arc;

use super::{App, Effect, Level};
use crate::model::transition::Transition;
use crate::model::{CertRequest, RequestState, Scope};

impl App {
    /// Records transitions, flashes the latest, rings the bell for the notable ones.
    pub(super) fn announce(&mut self, changes: Vec<Transition>) -> Vec<Effect> {
        let Some(last) = changes.len().checked_sub(1) else {
            return Vec::new();
        };
        // One pass over the request changes (a list of a 100,000-request account can bring
        // thousands, issue 12): the first notable one, and the certificates to read again.
        let mut requests = ChangedRequests::of(self);
        let mut headline_at = None;
        let mut stale = Vec::new();
        for (at, change) in changes.iter().enumerate() {
            if change.domain.is_some() {
                continue;
            }
            let request = requests.find(change);
            stale.extend(request.and_then(|request| request.enrollment_id));
            // Notable: waiting for the operator, complete, cancelled, or failed by any other
            // status (an edge hostname error is a failure only through its progress text).
            let notable = change.is_notable()
                || request.is_some_and(|request| request.state == RequestState::Failed);
            if notable && headline_at.is_none() {
                headline_at = Some(at);
            }
        }
        let headline = &changes[headline_at.unwrap_or(last)];
        let name = requests.find(headline).map(CertRequest::name).unwrap_or("");
        let mut flash = headline.describe(name);
        if changes.len() > 1 {
            flash.push_str(&format!(" (+{} more)", changes.len() - 1));
        }
        let notifications = self.notifications_for(&changes);
        self.flash(flash, Level::Info);
        self.history.record(changes.iter().cloned());
        self.certificates.stale.extend(stale);
        let mut effects = vec![Effect::AppendJournal(changes)];
        if headline_at.is_some() && self.config.ui.bell {
            effects.push(Effect::Bell);
        }
        if !notifications.is_empty() {
            effects.push(Effect::Notify(notifications));
        }
        effects
    }

    /// The notifications the changes stand for, when `[notify]` has any sink (the runner
    /// drops what was already announced and groups bursts).
    fn notifications_for(&self, changes: &[Transition]) -> Vec<crate::notify::NotifyEvent> {
        if !self.config.notify.any_sink() {
            return Vec::new();
        }
        let mut found = ChangedRequests::of(self);
        let requests: Vec<CertRequest> = changes
            .iter()
            .filter_map(|change| found.find(change).cloned())
            .collect();
        crate::notify::events_for(changes, &requests)
    }
}

/// The request each change is of, as shown now; the pair's dataset is looked up once for a
/// run of changes read together (they share one pair).
struct ChangedRequests<'a> {
    app: &'a App,
    last_pair: Option<(Arc<Scope>, Option<usize>)>,
}

impl<'a> ChangedRequests<'a> {
    fn of(app: &'a App) -> Self {
        ChangedRequests {
            app,
            last_pair: None,
        }
    }

    fn find(&mut self, change: &Transition) -> Option<&'a CertRequest> {
        let index = match &self.last_pair {
            Some((pair, index)) if Arc::ptr_eq(pair, &change.pair) => *index,
            _ => {
                let index = self.app.dataset_index(&change.pair);
                self.last_pair = Some((Arc::clone(&change.pair), index));
                index
            }
        };
        self.app.datasets.get(index?)?.get(change.id)
    }
}
