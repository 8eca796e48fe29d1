//! Event kinds, levels, grouping and expiry thresholds.

use super::*;
use chrono::TimeZone;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid")
}

fn pair() -> GroupContract {
    GroupContract::new("C-1", "12345")
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
fn expiry_thresholds_pick_the_nearest_one_crossed() {
    let now = at();
    let days = |n: i64| now + chrono::Duration::days(n);
    assert_eq!(crossed_threshold(days(40), now, &[30, 7, 1]), None);
    assert_eq!(crossed_threshold(days(29), now, &[30, 7, 1]), Some(30));
    assert_eq!(crossed_threshold(days(6), now, &[30, 7, 1]), Some(7));
    assert_eq!(crossed_threshold(days(-1), now, &[30, 7, 1]), Some(1));
    let event =
        NotifyEvent::certificate_expiring(now, Some(&pair()), "shop.example.com", days(6), 7);
    assert_eq!(event.level(), Level::Warn);
    assert!(event.message.contains("within 7 days"), "{}", event.message);
    assert_ne!(
        event.id(),
        NotifyEvent::certificate_expiring(now, None, "shop.example.com", days(6), 30).id()
    );
}
