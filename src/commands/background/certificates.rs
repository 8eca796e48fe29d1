//! Rounds of certificate reads within the dashboard's budget, for `watch` and `exporter`:
//! every few hours the certificates behind the pairs' requests are read from CPS
//! (`cert_survey`), one call a slot of the account's pacer (`[cps] reads_per_minute`), after
//! the lists, and only for certificates the cache the dashboard also keeps did not read within
//! `[expiry] refresh_hours`; so a `watch --once` from cron reads what is due, not everything.
//! A stop (SIGTERM) ends the reads at once; what they read is still cached. Each pair's rows
//! are handed to the caller as soon as they are read (notifications, metrics).

use std::time::Duration;

use chrono::Utc;

use crate::commands::cert_survey::{CertificateRow, ReadPlan, survey_with};
use crate::model::{CertificateRecord, Scope};
use crate::source::{Backend, Pacer};
use crate::store::{CacheAccount, Store};

/// How often the loops read the certificates again: an expiry moves in days, and a read
/// costs two CPS calls per certificate.
pub const READ_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Where the reads' records are kept between runs, and how long one holds.
pub struct CertificateCache<'a> {
    pub store: &'a Store,
    pub account: CacheAccount,
    pub refresh: chrono::Duration,
}

/// What one round of reads did.
#[derive(Debug, Default)]
pub struct Round {
    /// One line per thing that could not be read.
    pub problems: Vec<String>,
    /// The stop came before every certificate was read.
    pub stopped: bool,
    /// Certificates read from CPS in this round (not those the cache stood for).
    pub read: usize,
    /// Pairs whose certificates could not be listed, and certificates whose read failed.
    pub failures: usize,
}

/// Everything a round of certificate reads needs but the stop: the same for every round of
/// one run.
pub struct CertificateReads<'a> {
    pub client: &'a Backend,
    pub cache: CertificateCache<'a>,
    /// The account's budget of reads per enrollment (`[cps] reads_per_minute`).
    pub pacer: &'a Pacer,
    pub pairs: &'a [Scope],
    /// Told each certificate's row as soon as it is read (`None`: only each pair's rows, once
    /// the pair's reads are done).
    pub each_row: Option<&'a (dyn Fn(&CertificateRow) + Send + Sync)>,
}

impl CertificateReads<'_> {
    /// Reads each pair's certificates within the pacer's budget, until done or `stop` turns
    /// true, handing each pair's rows to `each` as they come; the records read go to the
    /// cache.
    pub async fn round(
        &self,
        stop: &mut tokio::sync::watch::Receiver<bool>,
        each: &mut (dyn FnMut(&Scope, &[CertificateRow]) + Send),
    ) -> Round {
        let now = Utc::now();
        let mut round = Round::default();
        let cached = self
            .cache
            .store
            .load_certificates(&self.cache.account)
            .unwrap_or_else(|warning| {
                round.problems.push(warning);
                Vec::new()
            });
        let mut plan = ReadPlan::paced(self.pacer, cached, self.cache.refresh, now);
        plan.each_row = self.each_row;
        let stopped = {
            let problems = &mut round.problems;
            let failures = &mut round.failures;
            let reads = async {
                for pair in self.pairs {
                    match survey_with(self.client, Some(pair), now, &plan).await {
                        Ok(survey) => {
                            each(pair, &survey.rows);
                            *failures += survey.failures.len()
                                + survey.rows.iter().filter(|row| row.unknown).count();
                            problems.extend(survey.failures);
                            problems.extend(unknown_expiries(pair, &survey.rows));
                        }
                        Err(error) => {
                            *failures += 1;
                            problems
                                .push(format!("{pair}: certificates not read: {}", error.message))
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
        round.read = read.len();
        round.stopped = stopped;
        if stopped {
            round.problems.push(format!(
                "stopped before every certificate was read; the {} read are cached, the rest \
                 are read next time",
                read.len()
            ));
        }
        round.problems.extend(save(&self.cache, read).err());
        round
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
