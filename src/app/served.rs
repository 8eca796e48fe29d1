//! The served-certificate probe in the dashboard (issue 29), as reducer steps: `P` in a CPS
//! detail probes the open enrollment now; `[served] auto` probes every enrollment whose
//! certificate was read, each at most every `[served] interval` seconds, one at a time. A
//! probe compares with what the certificate reads already know (the deployed certificate's
//! digest), so it costs no CPS call. Results land in the Certificate tab and the `served`
//! column; production serving a new certificate, or no longer what CPS deployed, is told.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::id_map::IdSet;
use super::{App, Effect, Level};
use crate::model::served::{Outcome, ServedReport};
use crate::model::{Api, Awaiting, CertRequest, Network};
use crate::served::ProbeTarget;
use crate::served::target::target_from_facts;

/// Where a probe came from: the operator's `P` (which says how it went) or the background
/// round (which speaks only through notifications and the marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeOrigin {
    Operator,
    Background,
}

/// Every probe's last report, and the bookkeeping of probing.
#[derive(Debug, Clone, Default)]
pub struct ServedProbes {
    pub reports: HashMap<u64, ServedReport>,
    pub(crate) in_flight: HashSet<u64>,
    pub(crate) round_running: bool,
    pub(crate) next_round: Option<DateTime<Utc>>,
    pub(crate) changed: IdSet,
}

impl ServedProbes {
    /// The production outcome of an enrollment's last probe.
    pub fn production(&self, enrollment_id: u64) -> Option<Outcome> {
        let report = self.reports.get(&enrollment_id)?;
        report.network(Network::Production)?;
        Some(report.outcome(Some(Network::Production)))
    }
}

impl App {
    /// `P` in a detail: probe the open enrollment's edge now.
    pub(crate) fn probe_served_now(&mut self) -> Vec<Effect> {
        if self.api() != Api::Cps {
            self.flash(
                "P probes what the edge serves for a CPS enrollment (run with --backend cps)"
                    .to_string(),
                Level::Info,
            );
            return Vec::new();
        }
        let Some((_, request)) = self.detail_request() else {
            return Vec::new();
        };
        let Some(id) = request.enrollment_id else {
            return Vec::new();
        };
        if self.served.in_flight.contains(&id) {
            self.flash(
                format!("enrollment {id}: a probe is under way"),
                Level::Info,
            );
            return Vec::new();
        }
        let target = match self.certificates.facts(id) {
            None => Err(format!(
                "enrollment {id}: its certificate is not read yet (the probe compares with what \
                 CPS deployed); try again once the Certificate tab shows it"
            )),
            Some(facts) => {
                target_from_facts(facts, awaits_acknowledgement(request)).ok_or_else(|| {
                    format!("enrollment {id}: CPS has no deployed certificate to compare with")
                })
            }
        };
        match target {
            Ok(target) => {
                self.served.in_flight.insert(id);
                self.flash(
                    format!("enrollment {id}: probing what the edge serves…"),
                    Level::Info,
                );
                vec![self.probe_effect(vec![target], ProbeOrigin::Operator)]
            }
            Err(message) => {
                self.flash(message, Level::Warning);
                Vec::new()
            }
        }
    }

    /// On every tick: start a background round when `[served] auto` is on, none is running,
    /// it is due, and certificates were read. Enrollments probed within the interval wait.
    pub(crate) fn background_probes_due(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let served = &self.config.served;
        if !served.auto || self.served.round_running || self.api() != Api::Cps {
            return Vec::new();
        }
        if self.served.next_round.is_some_and(|due| now < due) {
            return Vec::new();
        }
        if self.certificates.entries.is_empty() {
            return Vec::new();
        }
        // Rounds are looked for every minute; each enrollment waits its own interval.
        self.served.next_round = Some(now + Duration::seconds(60));
        let interval = i64::try_from(served.interval)
            .ok()
            .and_then(Duration::try_seconds)
            .unwrap_or(Duration::MAX);
        let targets: Vec<ProbeTarget> =
            self.datasets
                .iter()
                .flat_map(|dataset| dataset.requests.iter())
                .filter_map(|request| {
                    let id = request.enrollment_id?;
                    let fresh = self.served.reports.get(&id).is_some_and(|report| {
                        now.signed_duration_since(report.probed_at) < interval
                    });
                    if fresh || self.served.in_flight.contains(&id) {
                        return None;
                    }
                    target_from_facts(
                        self.certificates.facts(id)?,
                        awaits_acknowledgement(request),
                    )
                })
                .collect();
        if targets.is_empty() {
            return Vec::new();
        }
        self.served.round_running = true;
        self.served
            .in_flight
            .extend(targets.iter().map(|target| target.enrollment_id));
        vec![self.probe_effect(targets, ProbeOrigin::Background)]
    }

    fn probe_effect(&self, targets: Vec<ProbeTarget>, origin: ProbeOrigin) -> Effect {
        Effect::ProbeServed {
            targets,
            served: self.config.served.clone(),
            check_nameserver: self.config.check.nameserver.clone(),
            origin,
        }
    }

    /// One enrollment's probe finished (or could not start).
    pub(crate) fn on_served_probed(
        &mut self,
        enrollment_id: u64,
        origin: ProbeOrigin,
        outcome: Result<ServedReport, String>,
    ) -> Vec<Effect> {
        self.served.in_flight.remove(&enrollment_id);
        let report = match outcome {
            Ok(report) => report,
            Err(message) => {
                let text = format!("enrollment {enrollment_id}: cannot probe: {message}");
                if origin == ProbeOrigin::Background {
                    self.record_error("served probe".to_string(), text.clone());
                }
                self.flash(text, Level::Warning);
                return Vec::new();
            }
        };
        let pair = self
            .datasets
            .iter()
            .find(|dataset| dataset.get(enrollment_id).is_some())
            .map(|dataset| dataset.pair.clone());
        let before = self.served.reports.get(&enrollment_id);
        let events = crate::notify::served::served_events(before, &report, pair.as_ref());
        if origin == ProbeOrigin::Operator {
            let (words, level) = summary(&report);
            self.flash(format!("enrollment {enrollment_id}: {words}"), level);
        }
        self.served.reports.insert(enrollment_id, report);
        self.served.changed.insert(enrollment_id);
        self.notify_effect(events).into_iter().collect()
    }

    /// The background round is over: the next may start when due.
    pub(crate) fn on_background_probes_done(&mut self) -> Vec<Effect> {
        self.served.round_running = false;
        Vec::new()
    }

    /// Puts each row's production outcome in the table: the rows of enrollments probed
    /// since, and rows built since (a list arrived; the same flags as the expiries, read here
    /// before `stamp_expiries` takes them).
    pub(crate) fn stamp_served(&mut self) {
        if self.served.reports.is_empty() {
            return;
        }
        let changed = std::mem::take(&mut self.served.changed);
        let served = &self.served;
        let stamp = |row: &mut super::Row| {
            row.served = row.enrollment_id.and_then(|id| served.production(id));
        };
        for dataset in &mut self.datasets {
            if dataset.expiries_due {
                dataset.rows.iter_mut().for_each(stamp);
                continue;
            }
            for &at in &dataset.expiries_due_rows {
                if let Some(row) = dataset.rows.get_mut(at) {
                    stamp(row);
                }
            }
            if !changed.is_empty() {
                dataset
                    .rows
                    .iter_mut()
                    .filter(|row| row.enrollment_id.is_some_and(|id| changed.contains(&id)))
                    .for_each(stamp);
            }
        }
    }
}

/// Change management waits: staging serves the new certificate.
fn awaits_acknowledgement(request: &CertRequest) -> bool {
    request.awaiting == Some(Awaiting::ChangeManagement)
}

/// How the probe came out, in a few words, for the flash line.
fn summary(report: &ServedReport) -> (String, Level) {
    match report.outcome(None) {
        Outcome::Matches | Outcome::NotProbed => (
            "the edge serves what CPS deployed (Certificate tab)".to_string(),
            Level::Info,
        ),
        Outcome::Mismatch => (
            "the edge does NOT serve what CPS deployed: see the Certificate tab".to_string(),
            Level::Error,
        ),
        Outcome::CouldNotFindOut => (
            "could not find out what the edge serves: see the Certificate tab".to_string(),
            Level::Warning,
        ),
    }
}
