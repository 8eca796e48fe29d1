//! The certificate behind each SPS request (issue 11): what CPS said about every enrollment
//! the requests name, when it was read, and what could not be read. Which enrollment to read
//! next is decided in `certificate_reads.rs`; the runner reads and answers with
//! `Event::CertificateRead`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::id_map::IdSet;
use super::table::RowRef;
use super::{App, Effect, Level};
use crate::cps::CpsError;
use crate::model::{CertRequest, Scope};
use crate::model::{CertificateFacts, CertificateRecord, ExpiryBand};

/// The one sentence for credentials without a CPS grant (the error log has the details).
pub const NOT_GRANTED: &str = "CPS is not granted to these credentials";

/// What the dashboard knows of one enrollment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CertificateEntry {
    pub facts: Option<CertificateFacts>,
    /// When it was last read (successfully or not); from an earlier run when `from_cache`.
    pub read_at: Option<DateTime<Utc>>,
    pub from_cache: bool,
    /// A permanent answer, as a plain sentence: the enrollment no longer exists.
    pub gone: Option<String>,
    /// The last transient failure, retried later.
    pub error: Option<String>,
    /// Not read again before this, unless its SPS request changes state.
    pub due_at: Option<DateTime<Utc>>,
}

/// Every enrollment's certificate, and the bookkeeping of reading them.
#[derive(Debug, Clone, Default)]
pub struct Certificates {
    pub entries: HashMap<u64, CertificateEntry>,
    /// Reads asked of the runner and not answered yet, with when they were asked.
    pub(crate) in_flight: HashMap<u64, DateTime<Utc>>,
    /// Enrollments whose SPS request changed state: read again at the next chance.
    pub(crate) stale: HashSet<u64>,
    /// No background read before this (the ≤ 1 call/s budget).
    pub(crate) next_background_at: Option<DateTime<Utc>>,
    /// CPS refused these credentials (403): the sentence, and when to try again.
    pub not_granted: Option<(String, DateTime<Utc>)>,
    /// Bumped when any entry changes (the table re-stamps its `expires` column).
    pub generation: u64,
    /// The enrollments whose entry changed since the rows were stamped (only their rows
    /// are stamped again, unless the rows are new).
    pub(crate) changed: IdSet,
    /// The certificates' generation the table's rows were last stamped with.
    pub(crate) stamped: Option<u64>,
    /// Something was read since the cache was last written.
    pub(crate) unsaved: bool,
    pub(crate) saved_at: Option<DateTime<Utc>>,
    /// Expiry notifications already handed to the runner this run.
    pub(crate) announced: HashSet<String>,
    pub(crate) expiry_checked_at: Option<DateTime<Utc>>,
    /// Certificates within `warn_days`, counted when data or time moves (not every frame).
    pub(crate) soon: usize,
}

/// Retry a read that failed for a transient reason (network, 5xx) after this long.
const RETRY_AFTER_SECS: i64 = 600;
/// The cache is written at most this often (a read changes one entry of many).
const SAVE_EVERY_SECS: i64 = 30;
/// How often the expiry bands are looked at again (time moves certificates across them).
const EXPIRY_CHECK_SECS: i64 = 60;

impl Certificates {
    pub fn get(&self, enrollment_id: u64) -> Option<&CertificateEntry> {
        self.entries.get(&enrollment_id)
    }

    pub fn facts(&self, enrollment_id: u64) -> Option<&CertificateFacts> {
        self.get(enrollment_id)?.facts.as_ref()
    }

    /// What the dashboard keeps between runs.
    pub fn records(&self) -> Vec<CertificateRecord> {
        let mut records: Vec<CertificateRecord> = self
            .entries
            .iter()
            .filter(|(_, entry)| entry.facts.is_some() || entry.gone.is_some())
            .filter_map(|(id, entry)| {
                Some(CertificateRecord {
                    enrollment_id: *id,
                    read_at: entry.read_at?,
                    facts: entry.facts.clone(),
                    gone: entry.gone.clone(),
                })
            })
            .collect();
        records.sort_by_key(|record| record.enrollment_id);
        records
    }
}

/// One line of the expiring view: a certificate and a request that leads to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpiringRow<'a> {
    pub enrollment_id: u64,
    pub pair: &'a Scope,
    pub id: u64,
    /// The request's cname hostname, for certificates CPS could not describe.
    pub cname: Option<&'a str>,
    pub entry: &'a CertificateEntry,
    pub expiry: Option<DateTime<Utc>>,
    pub band: Option<ExpiryBand>,
}

impl App {
    /// The certificate band of an expiry, by `[expiry]`, on the API's clock.
    pub fn expiry_band(&self, expiry: DateTime<Utc>) -> ExpiryBand {
        ExpiryBand::classify(
            expiry,
            self.api_now(),
            i64::from(self.config.expiry.warn_days),
            i64::from(self.config.expiry.critical_days),
        )
    }

    /// The latest expiry in a band other than fine, now (see `ExpiryBand::last_not_fine`).
    pub fn last_not_fine(&self) -> DateTime<Utc> {
        ExpiryBand::last_not_fine(
            self.api_now(),
            i64::from(self.config.expiry.warn_days),
            i64::from(self.config.expiry.critical_days),
        )
    }

    /// Every enrollment the requests name, with the first request naming it.
    pub(crate) fn enrollments(&self) -> Vec<(u64, &Scope, &CertRequest)> {
        let mut seen = IdSet::default();
        let mut found = Vec::new();
        for dataset in &self.datasets {
            for request in dataset.requests.iter() {
                if let Some(id) = request.enrollment_id
                    && seen.insert(id)
                {
                    found.push((id, &dataset.pair, request));
                }
            }
        }
        found
    }

    /// Every certificate seen through SPS, soonest production expiry first (those without
    /// one after, by enrollment).
    pub fn expiring_rows(&self) -> Vec<ExpiringRow<'_>> {
        let mut rows: Vec<ExpiringRow> = self
            .enrollments()
            .into_iter()
            .filter_map(|(enrollment_id, pair, request)| {
                let entry = self.certificates.get(enrollment_id)?;
                let expiry = entry.facts.as_ref().and_then(|f| f.production_expiry());
                Some(ExpiringRow {
                    enrollment_id,
                    pair,
                    id: request.id,
                    cname: request.hostname.as_deref(),
                    entry,
                    expiry,
                    band: expiry.map(|expiry| self.expiry_band(expiry)),
                })
            })
            .collect();
        rows.sort_by_key(|row| (row.expiry.is_none(), row.expiry, row.enrollment_id));
        rows
    }

    /// How many certificates expire within `[expiry] warn_days` (expired ones included), as
    /// last counted (after a read, a list, and once a minute).
    pub fn expiring_count(&self) -> usize {
        self.certificates.soon
    }

    /// Certificates read by an earlier run: shown at once, with their age, and read again
    /// only when due.
    pub(crate) fn on_certificates_loaded(&mut self, records: Vec<CertificateRecord>) {
        let interval = Duration::seconds(self.config.expiry.refresh_secs());
        for record in records {
            // A read of this run is newer than any cache.
            if self
                .certificates
                .get(record.enrollment_id)
                .is_some_and(|entry| !entry.from_cache)
            {
                continue;
            }
            self.certificates.changed.insert(record.enrollment_id);
            self.certificates.entries.insert(
                record.enrollment_id,
                CertificateEntry {
                    facts: record.facts,
                    read_at: Some(record.read_at),
                    from_cache: true,
                    gone: record.gone,
                    error: None,
                    due_at: Some(record.read_at + interval),
                },
            );
        }
        self.certificates.generation += 1;
    }

    /// A read came back: keep it, say a permanent refusal once, and note what is due next.
    pub(crate) fn on_certificate_read(
        &mut self,
        enrollment_id: u64,
        at: DateTime<Utc>,
        calls: u32,
        outcome: Result<CertificateFacts, CpsError>,
    ) -> Vec<Effect> {
        self.certificates.in_flight.remove(&enrollment_id);
        self.certificates.stale.remove(&enrollment_id);
        // The budget: one call per second, counted from this answer.
        let pause = at + Duration::seconds(i64::from(calls.max(1)));
        self.certificates.next_background_at = Some(
            self.certificates
                .next_background_at
                .map_or(pause, |next| next.max(pause)),
        );
        let interval = Duration::seconds(self.config.expiry.refresh_secs());
        self.certificates.changed.insert(enrollment_id);
        let entry = self.certificates.entries.entry(enrollment_id).or_default();
        entry.read_at = Some(at);
        entry.from_cache = false;
        match outcome {
            Ok(facts) => {
                entry.facts = Some(facts);
                entry.gone = None;
                entry.error = None;
                entry.due_at = Some(at + interval);
                self.certificates.not_granted = None;
            }
            Err(CpsError::NotFound { .. }) => {
                let sentence = format!("enrollment {enrollment_id} no longer exists in CPS");
                let first = entry.gone.is_none();
                entry.facts = None;
                entry.gone = Some(sentence.clone());
                entry.due_at = Some(at + interval);
                if first {
                    self.record_error_at(at, "CPS".to_string(), sentence);
                }
            }
            Err(error @ (CpsError::NotGranted { .. } | CpsError::NotAcceptable { .. })) => {
                // Permanent for every enrollment: told once, asked again after the interval.
                entry.error = Some(error.to_string());
                entry.due_at = Some(at + interval);
                let sentence = match error {
                    CpsError::NotGranted { .. } => NOT_GRANTED.to_string(),
                    _ => error.to_string(),
                };
                if self.certificates.not_granted.is_none() {
                    self.record_error_at(at, "CPS".to_string(), error.to_string());
                    self.flash(sentence.clone(), Level::Warning);
                }
                self.certificates.not_granted = Some((sentence, at + interval));
            }
            Err(error) => {
                entry.error = Some(error.to_string());
                entry.due_at = Some(at + Duration::seconds(RETRY_AFTER_SECS));
                self.record_error_at(at, "CPS".to_string(), error.to_string());
            }
        }
        self.certificates.generation += 1;
        self.certificates.unsaved = true;
        self.expiry_notifications()
    }

    /// The cache write, when something was read and the last write is old enough.
    pub(crate) fn save_certificates_if_due(&mut self) -> Vec<Effect> {
        let due = self.certificates.saved_at.is_none_or(|saved| {
            self.now.signed_duration_since(saved).num_seconds() >= SAVE_EVERY_SECS
        });
        if !self.certificates.unsaved || !due {
            return Vec::new();
        }
        self.certificates.unsaved = false;
        self.certificates.saved_at = Some(self.now);
        vec![Effect::SaveCertificates(self.certificates.records())]
    }

    /// The cache write at quit, when anything was read since the last one.
    pub(crate) fn save_certificates_now(&mut self) -> Vec<Effect> {
        if !self.certificates.unsaved {
            return Vec::new();
        }
        self.certificates.unsaved = false;
        self.certificates.saved_at = Some(self.now);
        vec![Effect::SaveCertificates(self.certificates.records())]
    }

    /// Notifications for certificates in the warning or critical band (or expired), by
    /// `[expiry] warn_days / critical_days` — the same bands as the `expires` column and
    /// `watch`: each band once per certificate and expiry date (the runner's announced record
    /// keeps restarts from repeating them; `watch` shares that record).
    pub(crate) fn expiry_notifications(&mut self) -> Vec<Effect> {
        self.certificates.expiry_checked_at = Some(self.now);
        // The rows carry the expiries the bands are read from (and the count is made there).
        if !self.stamp_expiries() {
            self.recount_expiring();
        }
        if !self.config.notify.any_sink() {
            return Vec::new();
        }
        let mut soon: Vec<(u64, RowRef, DateTime<Utc>, &CertificateFacts)> = self
            .expiring_soon()
            .into_iter()
            .filter_map(|(id, at)| {
                let facts = self.certificates.facts(id)?;
                Some((id, at, facts.production_expiry()?, facts))
            })
            .collect();
        // Soonest first, as the expiring view lists them.
        soon.sort_by_key(|&(id, _, expiry, _)| (expiry, id));
        let mut events = Vec::new();
        for (enrollment_id, at, expiry, facts) in soon {
            let name = facts
                .common_name
                .clone()
                .unwrap_or_else(|| format!("enrollment {enrollment_id}"));
            let Some(event) = crate::notify::NotifyEvent::certificate_band(
                self.api_now(),
                Some(&self.datasets[at.dataset].pair),
                enrollment_id,
                &name,
                expiry,
                self.expiry_band(expiry),
            ) else {
                continue;
            };
            if !self.certificates.announced.contains(event.id()) {
                events.push(event);
            }
        }
        for event in &events {
            self.certificates.announced.insert(event.id().to_string());
        }
        if events.is_empty() {
            Vec::new()
        } else {
            vec![Effect::Notify(events)]
        }
    }

    /// Once a minute: certificates move into a band as time passes, without a new read.
    pub(crate) fn expiry_notifications_if_due(&mut self) -> Vec<Effect> {
        let due = self.certificates.expiry_checked_at.is_none_or(|checked| {
            self.now.signed_duration_since(checked).num_seconds() >= EXPIRY_CHECK_SECS
        });
        if due {
            self.expiry_notifications()
        } else {
            Vec::new()
        }
    }
}
