//! Burst grouping: when 40 domains of one request turn Valid within a few seconds, the
//! operator gets one message, not 40. Events of one request and one kind (of the kinds that
//! group) that arrive within `window` of the first are merged; the clock is passed in.

use chrono::{DateTime, Duration, Utc};

use super::event::NotifyEvent;

#[derive(Debug, Clone)]
pub struct Grouper {
    window: Duration,
    open: Vec<Open>,
}

#[derive(Debug, Clone)]
struct Open {
    opened: DateTime<Utc>,
    event: NotifyEvent,
}

impl Grouper {
    pub fn new(window: std::time::Duration) -> Grouper {
        Grouper {
            window: Duration::from_std(window).unwrap_or(Duration::zero()),
            open: Vec::new(),
        }
    }

    /// Adds `event`, seen at `now`, to the group it belongs to or opens one.
    pub fn push(&mut self, event: NotifyEvent, now: DateTime<Utc>) {
        match self
            .open
            .iter_mut()
            .find(|open| open.event.groups_with(&event))
        {
            Some(open) => open.event.absorb(event),
            None => self.open.push(Open { opened: now, event }),
        }
    }

    /// The groups whose window has passed at `now`, in the order they opened.
    pub fn ready(&mut self, now: DateTime<Utc>) -> Vec<NotifyEvent> {
        let (due, waiting): (Vec<Open>, Vec<Open>) = std::mem::take(&mut self.open)
            .into_iter()
            .partition(|open| open.opened + self.window <= now);
        self.open = waiting;
        due.into_iter().map(|open| open.event).collect()
    }

    /// Every group, due or not (at exit, or after a single poll).
    pub fn flush(&mut self) -> Vec<NotifyEvent> {
        std::mem::take(&mut self.open)
            .into_iter()
            .map(|open| open.event)
            .collect()
    }

    /// When the next group falls due.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.open.iter().map(|open| open.opened + self.window).min()
    }

    /// Whether an event with this identity is already waiting.
    pub fn holds(&self, id: &str) -> bool {
        self.open
            .iter()
            .any(|open| open.event.ids().iter().any(|held| held == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;
    use crate::notify::event::EventKind;
    use chrono::TimeZone;

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, second)
            .single()
            .expect("valid")
    }

    fn valid(id: u64, domain: &str, second: u32) -> NotifyEvent {
        NotifyEvent::status_change(
            at(second),
            &Scope::pair("C-1", "1"),
            id,
            Some(domain),
            Some("Pending"),
            "Valid",
            None,
        )
        .expect("an event")
    }

    #[test]
    fn forty_domains_at_once_make_one_message_per_request() {
        let mut grouper = Grouper::new(std::time::Duration::from_secs(5));
        for index in 0..40 {
            grouper.push(valid(1, &format!("d{index}.example.com"), 0), at(0));
        }
        grouper.push(valid(2, "other.example.com", 1), at(1));
        let completed = NotifyEvent::status_change(
            at(1),
            &Scope::pair("C-1", "1"),
            1,
            None,
            Some("CPS running"),
            "SPS Request Complete",
            None,
        )
        .expect("an event");
        grouper.push(completed, at(1));
        assert!(grouper.ready(at(4)).is_empty(), "the window is still open");
        assert_eq!(grouper.next_due(), Some(at(5)));
        let first = grouper.ready(at(5));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].domains.len(), 40);
        assert_eq!(first[0].ids().len(), 40);
        assert!(
            first[0].message.contains("40 domains are Valid"),
            "{}",
            first[0].message
        );
        let rest = grouper.ready(at(6));
        let kinds: Vec<EventKind> = rest.iter().map(|event| event.kind).collect();
        assert_eq!(
            kinds,
            vec![EventKind::DomainValid, EventKind::RequestComplete]
        );
        assert!(grouper.flush().is_empty());
    }

    #[test]
    fn a_zero_window_still_merges_one_batch() {
        let mut grouper = Grouper::new(std::time::Duration::ZERO);
        grouper.push(valid(1, "a.example.com", 0), at(0));
        grouper.push(valid(1, "b.example.com", 0), at(0));
        assert!(grouper.holds("domain_valid|C-1/1|1|b.example.com|Valid"));
        let ready = grouper.ready(at(0));
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].domains, vec!["a.example.com", "b.example.com"]);
    }
}
