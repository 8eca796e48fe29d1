//! `watch` and certificate expiry: every few hours the certificates behind the watched pairs'
//! requests are read from CPS (`cert_survey`), and each certificate in the warning or critical
//! band (or expired) is offered as an event. The announced record makes each band of each
//! certificate a single notification, across runs and restarts.
//!
//! The reads keep the dashboard's budget: one call a second (`source::Pacer`), after the
//! lists, and only for certificates the cache the dashboard also keeps did not read within
//! `[expiry] refresh_hours`; so a `watch --once` from cron reads what is due, not everything.
//! A stop (SIGTERM) ends the reads at once; what they read is still cached.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::commands::cert_survey::{CertificateRow, ReadPlan, survey_with};
use crate::config::Config;
use crate::model::{CertificateRecord, ExpiryBand, Scope};
use crate::notify::NotifyEvent;
use crate::source::{Backend, Pacer};
use crate::store::{CacheAccount, Store};

/// How often the loop reads the certificates again: an expiry moves in days, and a read costs
/// two CPS calls per certificate.
pub(super) const READ_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Where the bands start, in days before the expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bands {
    pub warn_days: i64,
    pub critical_days: i64,
}

impl Bands {
    /// The expiry column's bands: `[expiry] warn_days / critical_days`.
    pub(super) fn from_config(config: &Config) -> Bands {
        Bands {
            warn_days: i64::from(config.expiry.warn_days),
            critical_days: i64::from(config.expiry.critical_days),
        }
    }
}

/// The events the certificates of `rows` stand for at `now` (pure; the production
/// certificate, which is the one served).
pub(super) fn events(
    rows: &[CertificateRow],
    bands: Bands,
    now: DateTime<Utc>,
) -> Vec<NotifyEvent> {
    rows.iter()
        .filter_map(|row| {
            let expiry = row.production.as_ref()?.expiry;
            let band = ExpiryBand::classify(expiry, now, bands.warn_days, bands.critical_days);
            let pair = match row.group_id.as_deref() {
                Some(group) => Scope::pair(row.contract_id.as_str(), group),
                None => Scope::contract(row.contract_id.as_str()),
            };
            let name = row
                .common_name
                .clone()
                .or_else(|| row.cname_hostname.clone())
                .unwrap_or_else(|| format!("enrollment {}", row.enrollment_id));
            NotifyEvent::certificate_band(now, Some(&pair), row.enrollment_id, &name, expiry, band)
        })
        .collect()
}

/// Where the reads' records are kept between runs, and how long one holds.
pub(super) struct CertificateCache<'a> {
    pub store: &'a Store,
    pub account: CacheAccount,
    pub refresh: chrono::Duration,
}

/// What one round of reads found.
pub(super) struct Found {
    pub events: Vec<NotifyEvent>,
    pub problems: Vec<String>,
    /// The stop came before every certificate was read.
    pub stopped: bool,
}

/// Everything a round of certificate reads needs but the stop: the same for every round of
/// one run.
pub(super) struct CertificateReads<'a> {
    pub client: &'a Backend,
    pub cache: CertificateCache<'a>,
    pub pacer: &'a Pacer,
    pub pairs: &'a [Scope],
    pub bands: Bands,
}

impl CertificateReads<'_> {
    /// One round: see [`read`].
    pub(super) async fn round(&self, stop: &mut tokio::sync::watch::Receiver<bool>) -> Found {
        read(
            self.client,
            (&self.cache, self.pacer),
            self.pairs,
            self.bands,
            stop,
        )
        .await
    }
}

/// Reads each pair's certificates within `pacer`'s budget, until done or `stop` turns true;
/// the events, one line per thing that could not be read, and the records read for the cache.
async fn read(
    client: &Backend,
    (cache, pacer): (&CertificateCache<'_>, &Pacer),
    pairs: &[Scope],
    bands: Bands,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Found {
    let now = Utc::now();
    let mut problems = Vec::new();
    let cached = cache
        .store
        .load_certificates(&cache.account)
        .unwrap_or_else(|warning| {
            problems.push(warning);
            Vec::new()
        });
    let plan = ReadPlan::paced(pacer, cached, cache.refresh, now);
    let mut events = Vec::new();
    let stopped = {
        let reads = async {
            for pair in pairs {
                match survey_with(client, Some(pair), now, &plan).await {
                    Ok(survey) => {
                        events.extend(self::events(&survey.rows, bands, now));
                        problems.extend(survey.failures);
                        problems.extend(unknown_expiries(pair, &survey.rows));
                    }
                    Err(error) => {
                        problems.push(format!("{pair}: certificates not read: {}", error.message))
                    }
                }
            }
        };
        tokio::select! {
            () = reads => false,
            _ = stop.wait_for(|stopping| *stopping) => true,
        }
    };
    let read = plan.take_read();
    if stopped {
        problems.push(format!(
            "stopped before every certificate was read; the {} read are cached, the rest \
             are read next time",
            read.len()
        ));
    }
    problems.extend(save(cache, read).err());
    Found {
        events,
        problems,
        stopped,
    }
}

/// One line for the certificates of `pair` whose expiry is unknown, with the first reason.
fn unknown_expiries(pair: &Scope, rows: &[CertificateRow]) -> Option<String> {
    let unknown = rows.iter().filter(|row| row.unknown).count();
    let note = rows
        .iter()
        .find_map(|row| row.unknown.then_some(row.note.as_deref()).flatten())?;
    Some(format!(
        "{pair}: the expiry of {unknown} certificate(s) is unknown: {note}"
    ))
}

/// Adds `read` to the cache as it is on disk now (a dashboard may have written it since):
/// a record replaces an older one of its enrollment, never a newer one. What the dashboard
/// alone reads (the pending change's status, its DNS-01 records) is kept while the change
/// is the same kind.
fn save(cache: &CertificateCache<'_>, read: Vec<CertificateRecord>) -> Result<(), String> {
    if read.is_empty() {
        return Ok(());
    }
    // A file that did not read was set aside when loading: start afresh then.
    let mut records = cache
        .store
        .load_certificates(&cache.account)
        .unwrap_or_default();
    for mut record in read {
        match records
            .iter_mut()
            .find(|known| known.enrollment_id == record.enrollment_id)
        {
            Some(known) if known.read_at >= record.read_at => {}
            Some(known) => {
                keep_change_details(&mut record, known);
                *known = record;
            }
            None => records.push(record),
        }
    }
    cache.store.save_certificates(&cache.account, &records)
}

fn keep_change_details(record: &mut CertificateRecord, older: &CertificateRecord) {
    let (Some(facts), Some(older)) = (record.facts.as_mut(), older.facts.as_ref()) else {
        return;
    };
    if let (Some(pending), Some(known)) = (facts.pending.as_mut(), older.pending.as_ref())
        && pending.change_type == known.change_type
    {
        *pending = known.clone();
        facts.dns_records = older.dns_records.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::cert_survey::NetworkState;
    use crate::notify::EventKind;

    fn row(enrollment_id: u64, expiry: DateTime<Utc>) -> CertificateRow {
        CertificateRow {
            enrollment_id,
            contract_id: "C-1".into(),
            group_id: Some("10".into()),
            cname_hostname: Some(format!("e{enrollment_id}.example.com")),
            ids: vec![1],
            common_name: None,
            validation_type: None,
            sans_requested: Vec::new(),
            production: Some(NetworkState {
                expiry,
                days_left: 0,
                dns_names: Vec::new(),
            }),
            staging: None,
            pending_changes: 0,
            unreadable_expiry: Vec::new(),
            note: None,
            unknown: false,
            network: false,
        }
    }

    /// The clock driven forward day by day over 40 days: each certificate is told once per
    /// band it enters (warning, critical, expired), never while it is fine.
    #[test]
    fn each_band_is_entered_once_as_the_days_pass() {
        let start: DateTime<Utc> = "2026-11-28T12:00:00Z".parse().expect("time");
        let rows = vec![
            row(1, start + chrono::Duration::days(35)),
            row(2, start + chrono::Duration::days(200)),
        ];
        let bands = Bands::from_config(&Config::default());
        let mut told: Vec<(i64, EventKind, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for day in 0..40 {
            let now = start + chrono::Duration::days(day);
            for event in events(&rows, bands, now) {
                // What the announced record does: one identity, one notification.
                if seen.insert(event.id().to_string()) {
                    told.push((day, event.kind, event.message.clone()));
                }
            }
        }
        let kinds: Vec<(i64, EventKind)> =
            told.iter().map(|(day, kind, _)| (*day, *kind)).collect();
        assert_eq!(
            kinds,
            [
                (5, EventKind::CertificateExpiring),
                (28, EventKind::CertificateCritical),
                (35, EventKind::CertificateCritical),
            ],
            "{told:?}"
        );
        assert!(
            told[0].2.contains("e1.example.com: 30 days left"),
            "{told:?}"
        );
        assert!(told[2].2.contains("expire"), "{told:?}");
    }
}
