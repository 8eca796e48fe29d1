//! `watch` and certificate expiry: every few hours the certificates behind the watched pairs'
//! requests are read from CPS, within the dashboard's budget (`background::certificates`),
//! and each certificate in the warning or critical band (or expired) is offered as an event.
//! The announced record makes each band of each certificate a single notification, across
//! runs and restarts.

use chrono::{DateTime, Utc};

use crate::commands::background::certificates::CertificateReads;
use crate::commands::cert_survey::CertificateRow;
use crate::config::Config;
use crate::model::{ExpiryBand, Scope};
use crate::notify::NotifyEvent;

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

/// What one round of reads found.
pub(super) struct Found {
    pub events: Vec<NotifyEvent>,
    pub problems: Vec<String>,
    /// The stop came before every certificate was read.
    pub stopped: bool,
}

/// One round of the shared reads (`background::certificates`), each pair's rows made events.
pub(super) async fn round(
    reads: &CertificateReads<'_>,
    bands: Bands,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Found {
    let now = Utc::now();
    let mut events = Vec::new();
    let round = reads
        .round(stop, &mut |_, rows| {
            events.extend(self::events(rows, bands, now));
        })
        .await;
    Found {
        events,
        problems: round.problems,
        stopped: round.stopped,
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
