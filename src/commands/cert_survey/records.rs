//! A survey's reads against the certificate cache the dashboard keeps (`store/certificates`):
//! what is recent there stands for a read, and each read made becomes a record for it. Rows
//! are shown from the facts either way, so a certificate reads the same fresh or recalled.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::{CertificateRow, NetworkState};
use crate::model::{CertificateFacts, CertificateRecord, Network, NetworkFacts};
use crate::source::Pacer;

/// How a survey reads each enrollment. The default reads every one at once, a few at a time
/// (`certs`, `expiring`: someone waits for the answer); `watch` gives a budget and the
/// cache's recent records.
#[derive(Default)]
pub struct ReadPlan<'a> {
    /// One call a slot, when set.
    pub pacer: Option<&'a Pacer>,
    /// Records recent enough to stand for a read, by enrollment.
    pub fresh: HashMap<u64, CertificateRecord>,
    /// Told each row as soon as it is read or recalled (the exporter publishes it then, not
    /// after its whole contract).
    pub each_row: Option<&'a (dyn Fn(&CertificateRow) + Send + Sync)>,
    /// Each read's record as it completes: kept here, not in the survey's result, so that a
    /// survey stopped half-way (SIGTERM) still leaves what it read for the cache.
    read: Mutex<Vec<CertificateRecord>>,
}

impl<'a> ReadPlan<'a> {
    /// Paced by `pacer`; the records of `cached` read less than `refresh` before `now` are
    /// not read again.
    pub fn paced(
        pacer: &'a Pacer,
        cached: Vec<CertificateRecord>,
        refresh: chrono::Duration,
        now: DateTime<Utc>,
    ) -> ReadPlan<'a> {
        let fresh = cached
            .into_iter()
            .filter(|record| {
                // A record from the future (a clock set back) is not trusted to be recent.
                let age = now.signed_duration_since(record.read_at);
                age >= chrono::Duration::zero() && age < refresh
            })
            .map(|record| (record.enrollment_id, record))
            .collect();
        ReadPlan {
            pacer: Some(pacer),
            fresh,
            each_row: None,
            read: Mutex::new(Vec::new()),
        }
    }

    pub(super) fn keep(&self, record: CertificateRecord) {
        self.read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
    }

    /// The records read so far (and forgets them).
    pub fn take_read(&self) -> Vec<CertificateRecord> {
        std::mem::take(&mut *self.read.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

pub(super) fn read(
    enrollment_id: u64,
    read_at: DateTime<Utc>,
    facts: CertificateFacts,
) -> CertificateRecord {
    CertificateRecord {
        enrollment_id,
        read_at,
        facts: Some(facts),
        gone: None,
    }
}

/// The row `record` tells of an enrollment of `contract_id`, as a survey would recall it
/// (the exporter's start, before any read).
pub fn recalled_row(
    record: &CertificateRecord,
    contract_id: &str,
    now: DateTime<Utc>,
) -> CertificateRow {
    let mut row = CertificateRow::new(record.enrollment_id, contract_id, None);
    row.recall(record, true, now);
    row
}

/// An enrollment CPS no longer has.
pub(super) fn gone(enrollment_id: u64, read_at: DateTime<Utc>, why: String) -> CertificateRecord {
    CertificateRecord {
        enrollment_id,
        read_at,
        facts: None,
        gone: Some(why),
    }
}

impl CertificateRow {
    /// The row as `record` tells it; `describe` when no listed enrollment told the names.
    pub(super) fn recall(
        &mut self,
        record: &CertificateRecord,
        describe: bool,
        now: DateTime<Utc>,
    ) {
        let Some(facts) = &record.facts else {
            self.note = Some(
                record
                    .gone
                    .clone()
                    .unwrap_or_else(|| "CPS no longer has this enrollment".to_string()),
            );
            return;
        };
        if describe {
            self.common_name = facts.common_name.clone();
            self.validation_type = facts.validation_type.clone();
            self.sans_requested = facts.sans_requested.clone();
            self.pending_changes = usize::from(facts.pending.is_some());
        }
        self.show_networks(&facts.networks, now);
    }

    /// Each network's certificate. One served with an expiry that cannot be read is never
    /// "not expiring": on production it makes the row unknown (`expiring` exits 3); on
    /// staging it is only shown.
    pub(super) fn show_networks(&mut self, networks: &[NetworkFacts], now: DateTime<Utc>) {
        for facts in networks {
            let state = facts.expiry.map(|expiry| NetworkState {
                expiry,
                days_left: crate::model::days_left(expiry, now),
                dns_names: facts.dns_names.clone(),
            });
            match facts.network {
                Network::Production => self.production = state,
                Network::Staging => self.staging = state,
            }
            let Some(why) = &facts.expiry_unreadable else {
                continue;
            };
            self.unreadable_expiry.push(facts.network);
            if facts.network == Network::Production {
                self.unknown = true;
                self.production = None;
                self.note = Some(format!(
                    "production certificate: {why}; its expiry is unknown"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0)
            .single()
            .expect("time")
    }

    fn facts(expiry: Option<DateTime<Utc>>, unreadable: Option<&str>) -> CertificateFacts {
        CertificateFacts {
            enrollment_id: 5,
            common_name: Some("www.example.com".into()),
            networks: vec![NetworkFacts {
                network: Network::Production,
                expiry,
                expiry_unreadable: unreadable.map(str::to_string),
                dns_names: vec!["www.example.com".into()],
                sha256: None,
            }],
            ..CertificateFacts::default()
        }
    }

    #[test]
    fn only_records_within_the_refresh_stand_for_a_read() {
        let pacer = Pacer::default();
        let cached = vec![
            read(1, at(9), facts(None, None)),
            read(2, at(2), facts(None, None)),
            read(3, at(13), facts(None, None)),
        ];
        let plan = ReadPlan::paced(&pacer, cached, chrono::Duration::hours(6), at(10));
        let mut fresh: Vec<u64> = plan.fresh.keys().copied().collect();
        fresh.sort_unstable();
        // 2 is 8 hours old; 3 was read "in the future" (the clock went back).
        assert_eq!(fresh, [1]);
    }

    #[test]
    fn a_recalled_row_reads_as_a_fresh_one() {
        let mut row = CertificateRow::new(5, "C-1", None);
        row.recall(
            &read(
                5,
                at(9),
                facts(Some(at(9) + chrono::Duration::days(12)), None),
            ),
            true,
            at(9),
        );
        assert_eq!(row.common_name.as_deref(), Some("www.example.com"));
        let production = row.production.expect("production");
        assert_eq!(production.days_left, 12);
        assert!(!row.unknown);

        let mut unreadable = CertificateRow::new(5, "C-1", None);
        unreadable.recall(
            &read(5, at(9), facts(None, Some("expiry `soon` is not a time"))),
            true,
            at(9),
        );
        assert!(unreadable.unknown && unreadable.production.is_none());
        assert!(
            unreadable
                .note
                .as_deref()
                .is_some_and(|note| note.contains("unknown"))
        );

        let mut gone_row = CertificateRow::new(5, "C-1", None);
        gone_row.recall(&gone(5, at(9), "enrollment 5 is gone".into()), true, at(9));
        assert_eq!(gone_row.note.as_deref(), Some("enrollment 5 is gone"));
        assert!(!gone_row.unknown);
    }
}
