//! The reducer: every event changes `App` here and says which effects the loop must run.

use chrono::{DateTime, Utc};

use super::dataset::Dataset;
use super::{App, Effect, Event, Level, Screen};
use crate::edgegrid::ApiError;
use crate::model::transition::diff_one;
use crate::model::{CertRequest, NamedScope, Scope};

pub fn update(app: &mut App, event: Event) -> Vec<Effect> {
    let is_tick = matches!(event, Event::Tick(_));
    let mut effects = match event {
        Event::Key(key) => app.on_key(key),
        Event::Mouse(mouse) => app.on_mouse(mouse),
        Event::Paste(text) => app.on_paste(&text),
        Event::Resize { width, height } => {
            app.size = (width, height);
            app.clamp_offset();
            Vec::new()
        }
        Event::Tick(now) => {
            app.now = now;
            let mut effects = app.certificate_reads(true);
            effects.extend(app.save_certificates_if_due());
            effects.extend(app.expiry_notifications_if_due());
            if app
                .notices
                .flash
                .as_ref()
                .is_some_and(|flash| flash.until <= now)
            {
                app.notices.flash = None;
            }
            effects.extend(app.save_typed_draft());
            effects.extend(app.background_checks_due(now));
            effects.extend(app.background_probes_due(now));
            effects
        }
        Event::ApiClock(api_now) => {
            app.api_now = Some(api_now);
            Vec::new()
        }
        Event::PairsDiscovered(pairs) => {
            let answered = app.api_answered_alert(app.now);
            app.on_pairs(pairs).into_iter().chain(answered).collect()
        }
        Event::PairsCached { pairs, fetched_at } => app.on_cached_pairs(pairs, fetched_at),
        Event::PairsFailed { error, failures } => {
            let message = format!("{error} (attempt {failures}; retrying)");
            app.record_error("group discovery".to_string(), error.to_string());
            app.discovery_error = Some(message);
            app.api_failed_alert(app.now, &error.to_string())
                .into_iter()
                .collect()
        }
        Event::ListLoaded {
            pair,
            at,
            outcome,
            failures,
            skipped,
        } => {
            // A failed call says nothing about items: what was left out before still is.
            let read = outcome.is_ok();
            let effects = app.on_list(pair.clone(), at, outcome, failures);
            if read {
                app.on_skipped(&pair, at, skipped);
                app.note_clock_ahead(&pair, at);
            }
            effects
        }
        Event::DetailLoaded {
            pair,
            id,
            at,
            outcome,
        } => app.on_detail(pair, id, at, outcome),
        Event::RequestRead {
            pair,
            id,
            at,
            outcome,
        } => app.on_request_read(pair, id, at, outcome),
        Event::CacheLoaded {
            pair,
            fetched_at,
            list,
        } => {
            if let Some(index) = app.dataset_index(&pair)
                && !app.datasets[index].is_loaded()
            {
                let dataset = &mut app.datasets[index];
                let replaced = dataset.replace_keeping(list, None);
                dataset.freshness.fetched_at = Some(fetched_at);
                dataset.freshness.from_cache = true;
                app.bump_data();
                Effect::free(replaced.discarded).into_iter().collect()
            } else {
                Vec::new()
            }
        }
        Event::HistoryLoaded(transitions) => {
            app.history.record_earlier(transitions);
            Vec::new()
        }
        Event::LocalStateLoaded(local) => {
            app.submissions.stored_draft = local.draft;
            app.submissions.unresolved = local.unresolved;
            for warning in local.warnings {
                app.record_error("start".to_string(), warning);
            }
            Vec::new()
        }
        Event::NotifyFailed(message) => {
            app.record_error("notify".to_string(), message.clone());
            app.flash(message, Level::Warning);
            Vec::new()
        }
        Event::CredentialsReread(message) => {
            // Kept in the error history too: the flash fades, a swap of keys is worth finding.
            app.record_error("credentials".to_string(), message.clone());
            app.flash(message, Level::Info);
            Vec::new()
        }
        Event::StoreWarning(message) => {
            app.record_error("local cache".to_string(), message.clone());
            app.flash(message, Level::Warning);
            Vec::new()
        }
        Event::Exported(delivered) => app.on_exported(delivered),
        Event::ChecksDone {
            id,
            origin,
            outcome,
        } => app.on_checks_done(id, origin, outcome),
        Event::BackgroundChecksDone => app.on_background_round_done(),
        Event::ServedProbed {
            enrollment_id,
            origin,
            outcome,
        } => app.on_served_probed(enrollment_id, origin, outcome),
        Event::BackgroundProbesDone => app.on_background_probes_done(),
        Event::Submitted { pair, outcome } => app.on_submitted(pair, outcome),
        Event::CpsCreatePlanned { create, result } => app.on_cps_create_planned(create, result),
        Event::CpsCreated { scope, result } => app.on_cps_created(scope, result),
        Event::CpsPlanned {
            enrollment_id,
            result,
        } => app.on_cps_planned(enrollment_id, result),
        Event::CpsSent {
            enrollment_id,
            sent,
        } => app.on_cps_sent(enrollment_id, sent),
        Event::DemoServed(outcome) => app.on_demo_served(outcome),
        Event::SubmissionUnresolved(submission) => {
            app.submissions.unresolved.push(submission);
            Vec::new()
        }
        Event::CertificateRead {
            enrollment_id,
            at,
            calls,
            outcome,
        } => app.on_certificate_read(enrollment_id, at, calls, outcome),
        Event::CertificatesLoaded(records) => {
            app.on_certificates_loaded(records);
            Vec::new()
        }
        Event::Account(outcome) => app.on_account(outcome),
    };
    // The open detail's certificate is read as soon as it is due (Tick asked already).
    if !is_tick {
        effects.extend(app.certificate_reads(false));
    }
    app.refresh_view();
    effects
}

impl App {
    /// An earlier run's pairs, while PAPI has not answered yet: shown with their cached lists
    /// and polled at once. PAPI's answer replaces them (an answer that came first wins).
    fn on_cached_pairs(
        &mut self,
        pairs: Vec<NamedScope>,
        fetched_at: DateTime<Utc>,
    ) -> Vec<Effect> {
        if !self.discovering || !self.datasets.is_empty() || pairs.is_empty() {
            return Vec::new();
        }
        for named in &pairs {
            if self.dataset_index(&named.scope).is_none() {
                self.datasets.push(Dataset::new(named));
            }
        }
        self.pairs_cached_at = Some(fetched_at);
        self.bump_data();
        let pairs = self.pairs();
        vec![Effect::LoadCache(pairs.clone()), Effect::Watch(pairs)]
    }

    fn on_pairs(&mut self, pairs: Vec<NamedScope>) -> Vec<Effect> {
        self.discovering = false;
        self.discovery_error = None;
        self.pairs_cached_at = None;
        let mut datasets: Vec<Dataset> = Vec::with_capacity(pairs.len());
        for named in &pairs {
            if datasets.iter().any(|d| d.pair == named.scope) {
                continue;
            }
            match self.datasets.iter().position(|d| d.pair == named.scope) {
                Some(existing) => {
                    let mut dataset = self.datasets.swap_remove(existing);
                    dataset.name.clone_from(&named.name);
                    datasets.push(dataset);
                }
                None => datasets.push(Dataset::new(named)),
            }
        }
        self.datasets = datasets;
        self.requests.scope = self
            .requests
            .scope
            .filter(|index| *index < self.datasets.len());
        self.bump_data();
        if self.datasets.is_empty() {
            self.flash(
                "these credentials see no group/contract: list pairs in the config file".into(),
                Level::Warning,
            );
        }
        // Lists already on screen (cached or polled) are not read again.
        let unloaded = self
            .datasets
            .iter()
            .filter(|dataset| !dataset.is_loaded())
            .map(|dataset| dataset.pair.clone())
            .collect();
        vec![
            Effect::SavePairs {
                pairs,
                fetched_at: self.now,
            },
            Effect::LoadCache(unloaded),
            Effect::Watch(self.pairs()),
        ]
    }

    /// Items a list left out are told once (an error line and a flash naming how many and
    /// why), not at every poll; a list that reads whole again clears them.
    fn on_skipped(&mut self, pair: &Scope, at: DateTime<Utc>, skipped: Vec<String>) {
        let Some(index) = self.dataset_index(pair) else {
            return;
        };
        let dataset = &mut self.datasets[index];
        if dataset.skipped == skipped {
            return;
        }
        let label = dataset.label();
        dataset.skipped = skipped;
        let skipped = &self.datasets[index].skipped;
        if skipped.is_empty() {
            return;
        }
        let count = skipped.len();
        let message = format!(
            "{count} item(s) of the list could not be read and are left out; the others are shown: {}",
            skipped.join("; ")
        );
        self.record_error_at(at, label.clone(), message);
        self.flash(
            format!("{label}: {count} item(s) of the list left out (unreadable): E shows why"),
            Level::Warning,
        );
    }

    /// A request read apart from its list (a CPS change): its changes told, the request
    /// shown as read (the open detail keeps its whole read's details).
    fn on_request_read(
        &mut self,
        pair: Scope,
        id: u64,
        at: DateTime<Utc>,
        outcome: Result<CertRequest, ApiError>,
    ) -> Vec<Effect> {
        let Some(index) = self.dataset_index(&pair) else {
            return Vec::new();
        };
        match outcome {
            Ok(request) => {
                let dataset = &mut self.datasets[index];
                let Some(previous) = dataset.get(id) else {
                    // Not in the list any more (or not yet): the next list says.
                    return Vec::new();
                };
                let changes = diff_one(dataset.shared_pair(), previous, &request, at);
                if dataset.get(id) != Some(&request) {
                    dataset.upsert(request);
                    self.bump_data();
                }
                self.announce(changes)
            }
            Err(error) => {
                self.record_error_at(at, format!("request #{id}"), error.to_string());
                Vec::new()
            }
        }
    }

    fn on_detail(
        &mut self,
        pair: Scope,
        id: u64,
        at: DateTime<Utc>,
        outcome: Result<CertRequest, ApiError>,
    ) -> Vec<Effect> {
        let Some(index) = self.dataset_index(&pair) else {
            return Vec::new();
        };
        match outcome {
            Ok(request) => {
                let dataset = &mut self.datasets[index];
                let changes = match dataset.get(id) {
                    Some(previous) => diff_one(dataset.shared_pair(), previous, &request, at),
                    None => Vec::new(),
                };
                if dataset.get(id) != Some(&request) {
                    dataset.upsert(request);
                    self.bump_data();
                }
                if let Some(detail) = self.detail_mut().filter(|detail| detail.id == id) {
                    detail.freshness.fetched_at = Some(at);
                    detail.freshness.failures = 0;
                    detail.freshness.last_error = None;
                }
                self.announce(changes)
            }
            Err(error) => {
                if let Some(detail) = self.detail_mut().filter(|detail| detail.id == id) {
                    detail.freshness.failures += 1;
                    detail.freshness.last_error = Some(error.to_string());
                }
                self.record_error_at(at, format!("request #{id}"), error.to_string());
                Vec::new()
            }
        }
    }

    /// A submission whose answer was lost, found in its pair's fresh list: say so, select it,
    /// and record it, instead of letting the operator submit it again.
    pub(super) fn reconcile_lost(&mut self, pair: &Scope, requests: &[CertRequest]) -> Vec<Effect> {
        let found = super::wizard::reconcile::reconcile_list(
            &mut self.submissions.unresolved,
            pair,
            requests,
        );
        let Some((submission, id)) = found.first() else {
            return Vec::new();
        };
        self.flash(
            format!(
                "the submission for {} that got no answer was created after all: request #{id}",
                submission.cname_hostname
            ),
            Level::Info,
        );
        self.submissions.pending_select = Some((pair.clone(), *id));
        let accepted = self.reconciled_alert(pair, &found);
        let mut effects = vec![Effect::RecordReconciled(
            found
                .iter()
                .map(|(submission, id)| (submission.id.clone(), *id))
                .collect(),
        )];
        effects.extend(accepted);
        effects
    }

    fn on_submitted(
        &mut self,
        pair: Scope,
        outcome: Result<crate::sps::model::Accepted, ApiError>,
    ) -> Vec<Effect> {
        match outcome {
            Ok(accepted) => {
                let told = self.accepted_alert(&pair, accepted.sps_id);
                self.wizard = None;
                self.submissions.stored_draft = None;
                self.flash(
                    format!(
                        "request #{} submitted; it shows up with the next refresh",
                        accepted.sps_id
                    ),
                    Level::Info,
                );
                self.submissions.pending_select = Some((pair.clone(), accepted.sps_id));
                if let Some(index) = self.dataset_index(&pair) {
                    self.requests.scope = Some(index);
                }
                self.screen = Screen::Requests;
                let mut effects = vec![Effect::RefreshNow, Effect::DiscardDraft];
                effects.extend(told);
                effects
            }
            Err(error) => {
                self.record_error("submit".to_string(), error.to_string());
                self.flash(format!("not submitted: {error}"), Level::Error);
                if let Some(wizard) = self.wizard.as_mut() {
                    wizard.submit_failed(&error);
                }
                Vec::new()
            }
        }
    }
}
