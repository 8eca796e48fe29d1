//! "The API has been failing for N minutes": one event per outage, told once the failures
//! have lasted long enough, one "answering again" when an outage that was told ends, and a
//! new outage only after a success in between.

use chrono::{DateTime, Duration, Utc};

use super::event::NotifyEvent;
use crate::model::Scope;

#[derive(Debug, Clone)]
pub struct OutageWatch {
    after: Duration,
    pair: Option<Scope>,
    failing_since: Option<DateTime<Utc>>,
    told: bool,
}

impl OutageWatch {
    /// Tells about an outage of `pair`'s calls (or of every call, `None`) after `after`.
    pub fn new(after: std::time::Duration, pair: Option<Scope>) -> OutageWatch {
        OutageWatch {
            after: Duration::from_std(after).unwrap_or(Duration::MAX),
            pair,
            failing_since: None,
            told: false,
        }
    }

    /// A call that worked at `now`; the "answering again" event when it ends an outage that
    /// was told (one that was too short to tell ends silently).
    pub fn succeeded(&mut self, now: DateTime<Utc>) -> Option<NotifyEvent> {
        let since = self.failing_since.take();
        let told = std::mem::replace(&mut self.told, false);
        match since {
            Some(since) if told => Some(NotifyEvent::api_recovered(now, self.pair.as_ref(), since)),
            _ => None,
        }
    }

    /// A failed call at `now`; the event when the outage has just lasted long enough.
    pub fn failed(&mut self, now: DateTime<Utc>, error: &str) -> Option<NotifyEvent> {
        let since = *self.failing_since.get_or_insert(now);
        if self.told || now - since < self.after {
            return None;
        }
        self.told = true;
        Some(NotifyEvent::api_failing(
            now,
            self.pair.as_ref(),
            since,
            error,
        ))
    }

    /// Since when the calls have been failing, if they are.
    pub fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.failing_since
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_event_per_outage_once_it_lasts() {
        let start = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let minutes = |n: i64| start + Duration::minutes(n);
        let mut watch = OutageWatch::new(std::time::Duration::from_secs(600), None);
        assert!(watch.failed(minutes(0), "timeout").is_none());
        assert!(watch.failed(minutes(9), "timeout").is_none());
        let event = watch
            .failed(minutes(10), "503")
            .expect("told after 10 minutes");
        assert_eq!(event.level(), crate::notify::Level::Error);
        assert!(event.message.contains("503"), "{}", event.message);
        assert!(watch.failed(minutes(30), "503").is_none(), "told once");
        let recovered = watch.succeeded(minutes(31)).expect("answering again");
        assert_eq!(recovered.level(), crate::notify::Level::Info);
        assert!(watch.succeeded(minutes(32)).is_none(), "recovery told once");
        assert!(watch.failed(minutes(40), "x").is_none());
        let second = watch.failed(minutes(51), "x").expect("a new outage");
        assert_ne!(second.id(), event.id());
        // A short outage, never told, ends without a word.
        assert!(watch.succeeded(minutes(52)).is_some());
        assert!(watch.failed(minutes(60), "x").is_none());
        assert!(watch.succeeded(minutes(61)).is_none());
    }
}
