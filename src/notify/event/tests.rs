//! Event kinds, levels, grouping and expiry thresholds.

use super::*;
use chrono::TimeZone;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid")
}

fn pair() -> Scope {
    Scope::pair("C-1", "12345")
}

#[test]
fn status_changes_become_the_right_kind_and_level_or_nothing() {
    let change = |domain: Option<&str>, to: &str, detail: Option<&str>| {
        NotifyEvent::status_change(at(), &pair(), 7, domain, Some("Pending"), to, detail)
            .map(|event| (event.kind, event.level()))
    };
    assert_eq!(
        change(None, "Awaiting User", None),
        Some((EventKind::AwaitingUser, Level::Warn))
    );
    assert_eq!(
        change(None, "SPS Request Complete", None),
        Some((EventKind::RequestComplete, Level::Info))
    );
    assert_eq!(
        change(None, "CPS cancelled", None),
        Some((EventKind::RequestCancelled, Level::Error))
    );
    assert_eq!(
        change(
            None,
            "edge host already created or pending",
            Some("Error: hostname exists")
        ),
        Some((EventKind::RequestFailed, Level::Error))
    );
    assert_eq!(
        change(None, "edge host already created or pending", None),
        None
    );
    assert_eq!(change(None, "CPS running", None), None);
    assert_eq!(
        change(Some("a.example.com"), "Valid", None),
        Some((EventKind::DomainValid, Level::Info))
    );
    assert_eq!(
        change(Some("a.example.com"), "Invalid", Some("404")),
        Some((EventKind::DomainError, Level::Error))
    );
    assert_eq!(change(Some("a.example.com"), "Awaiting User", None), None);
}

#[test]
fn grouped_domains_make_one_short_message_and_keep_every_identity() {
    let domain = |name: &str| {
        NotifyEvent::status_change(at(), &pair(), 7, Some(name), None, "Valid", None)
            .expect("an event")
            .with_name("shop.example.com")
    };
    let mut first = domain("a.example.com");
    assert_eq!(
        first.message,
        "SPS #7 (shop.example.com): a.example.com is Valid [C-1/12345]"
    );
    for name in ["b.example.com", "c.example.com", "d.example.com"] {
        let next = domain(name);
        assert!(first.groups_with(&next));
        first.absorb(next);
    }
    assert_eq!(
        first.message,
        "SPS #7 (shop.example.com): 4 domains are Valid (a.example.com, b.example.com, \
         c.example.com and 1 more) [C-1/12345]"
    );
    assert_eq!(first.ids().len(), 4);
    assert_eq!(first.id(), "domain_valid|C-1/12345|7|a.example.com|Valid");
    let other_request =
        NotifyEvent::status_change(at(), &pair(), 8, Some("x.example.com"), None, "Valid", None)
            .expect("an event");
    assert!(!first.groups_with(&other_request));
}

#[test]
fn certificate_bands_become_one_event_each_and_fine_is_none() {
    use crate::model::ExpiryBand;
    let now = at();
    let in_days = |n: i64| now + chrono::Duration::days(n);
    let band = |days: i64| ExpiryBand::classify(in_days(days), now, 30, 7);
    let event = |days: i64| {
        NotifyEvent::certificate_band(
            now,
            Some(&pair()),
            42,
            "shop.example.com",
            in_days(days),
            band(days),
        )
    };
    assert_eq!(event(40), None);
    let warning = event(20).expect("warning band");
    assert_eq!(
        (warning.kind, warning.level()),
        (EventKind::CertificateExpiring, Level::Warn)
    );
    assert!(
        warning.message.contains("shop.example.com: 20 days left"),
        "{}",
        warning.message
    );
    let critical = event(6).expect("critical band");
    assert_eq!(
        (critical.kind, critical.level()),
        (EventKind::CertificateCritical, Level::Error)
    );
    let expired = event(-2).expect("expired");
    assert_eq!(expired.kind, EventKind::CertificateCritical);
    assert!(
        expired.message.contains("expired 2 days ago"),
        "{}",
        expired.message
    );
    // Each band is its own identity; the same band later the same day is the same one.
    assert_ne!(warning.id(), critical.id());
    assert_ne!(critical.id(), expired.id());
    let later = NotifyEvent::certificate_band(
        now + chrono::Duration::hours(6),
        None,
        42,
        "x",
        in_days(20),
        ExpiryBand::Warning,
    )
    .expect("warning");
    assert_eq!(later.id(), warning.id());
}
