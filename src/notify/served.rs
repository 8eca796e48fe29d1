//! What the served-certificate probe found that is worth telling: production started serving
//! another certificate, or stopped serving what CPS deployed (issue 29). Pure: two reports of
//! one enrollment in, events out.

use crate::model::Network;
use crate::model::Scope;
use crate::model::served::{Outcome, ServedReport, expires_in};

use super::event::{EventKind, NotifyEvent};

/// The events between `before` (the last probe, if any) and `after`. The first probe of an
/// enrollment tells nothing: there is no "before" to have changed from.
pub fn served_events(
    before: Option<&ServedReport>,
    after: &ServedReport,
    pair: Option<&Scope>,
) -> Vec<NotifyEvent> {
    let Some(before) = before else {
        return Vec::new();
    };
    let mut events = Vec::new();
    let at = after.probed_at;
    let name = after.common_name.as_str();
    let (old, new) = (
        before.production_fingerprint(),
        after.production_fingerprint(),
    );
    if let (Some(old), Some(new)) = (old, new)
        && old != new
    {
        events.push(NotifyEvent::served(
            EventKind::ServedNewCertificate,
            at,
            pair,
            after.enrollment_id,
            name,
            served_words(after),
            new,
        ));
    }
    let was = before.outcome(Some(Network::Production));
    let is = after.outcome(Some(Network::Production));
    if was == Outcome::Matches && is == Outcome::Mismatch {
        events.push(NotifyEvent::served(
            EventKind::ServedMismatch,
            at,
            pair,
            after.enrollment_id,
            name,
            first_mismatch(after),
            new.unwrap_or("-"),
        ));
    }
    events
}

/// "serial 0A1B…, expires in 89 days": the certificate production serves now.
fn served_words(report: &ServedReport) -> String {
    let leaf = report
        .network(Network::Production)
        .into_iter()
        .flat_map(|network| network.names.iter())
        .flat_map(|name| name.addresses.iter())
        .find_map(|address| address.leaf.as_ref());
    match leaf {
        Some(leaf) => format!(
            "serial {}, {}",
            leaf.serial,
            expires_in(leaf.not_after, report.probed_at)
        ),
        None => "not readable".to_string(),
    }
}

/// The first name production does not serve what CPS deployed, in words.
fn first_mismatch(report: &ServedReport) -> String {
    report
        .network(Network::Production)
        .and_then(|production| {
            production.first_problem(report.probed_at, |outcome| outcome == Outcome::Mismatch)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::served::{AddressServed, LeafFacts, NameServed, NetworkServed, Verdict};
    use chrono::{Duration, Utc};

    fn report(sha: &str, verdict: Verdict) -> ServedReport {
        let now = Utc::now();
        ServedReport {
            enrollment_id: 7,
            common_name: "www.example.com".into(),
            probed_at: now,
            networks: vec![NetworkServed {
                network: Network::Production,
                edge_hostname: None,
                names: vec![NameServed {
                    name: "www.example.com".into(),
                    via_host: "www.example.com".into(),
                    dns: String::new(),
                    addresses: vec![AddressServed {
                        address: "127.0.0.1".parse().unwrap(),
                        leaf: Some(LeafFacts {
                            sha256: sha.into(),
                            serial: sha.to_ascii_uppercase(),
                            not_before: now,
                            not_after: now + Duration::days(90),
                            dns_names: vec!["www.example.com".into()],
                            issuer: "CN=CA".into(),
                        }),
                        verdict,
                    }],
                    verdict: None,
                }],
            }],
        }
    }

    #[test]
    fn a_new_certificate_and_a_mismatch_are_told_once_each() {
        let first = report("aa", Verdict::Deployed);
        assert!(served_events(None, &first, None).is_empty());
        assert!(served_events(Some(&first), &first, None).is_empty());
        let renewed = report("bb", Verdict::Deployed);
        let events = served_events(Some(&first), &renewed, None);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::ServedNewCertificate);
        assert!(
            events[0].message.contains(
                "enrollment 7 (www.example.com): production serves a new certificate (serial BB"
            ),
            "{}",
            events[0].message
        );
        let rolled_back = report(
            "aa",
            Verdict::Previous {
                not_after: Utc::now() + Duration::days(3),
            },
        );
        let events = served_events(Some(&renewed), &rolled_back, None);
        let kinds: Vec<EventKind> = events.iter().map(|event| event.kind).collect();
        assert_eq!(
            kinds,
            [EventKind::ServedNewCertificate, EventKind::ServedMismatch]
        );
        assert!(
            events[1]
                .message
                .contains("production still serves the previous certificate"),
            "{}",
            events[1].message
        );
        // Still mismatching: nothing new to tell.
        assert!(served_events(Some(&rolled_back), &rolled_back, None).is_empty());
    }
}
