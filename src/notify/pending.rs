//! Events owed to sinks that failed: an event is announced only once every sink it is routed
//! to delivered it, so one a sink could not take waits here, with the sinks that still owe
//! it (those that delivered are not told again), and is tried again later, each time after a
//! longer pause. The queue is bounded: past `MAX_OWED` the oldest is given up, by name.

use chrono::{DateTime, Duration, Utc};

use super::event::NotifyEvent;
use crate::config::notify::SinkName;

/// Events kept for a retry; a receiver down for days must not grow memory without end.
const MAX_OWED: usize = 500;

/// First pause before an event is tried again; doubles each time, capped.
const FIRST_RETRY_SECS: i64 = 30;
const MAX_RETRY_SECS: i64 = 600;

/// One event still owed to `sinks`.
#[derive(Debug, Clone)]
pub struct Owed {
    pub event: NotifyEvent,
    pub sinks: Vec<SinkName>,
    /// Rounds tried so far.
    pub rounds: u32,
    pub due: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct Pending {
    owed: Vec<Owed>,
}

impl Pending {
    /// Keeps `event` for `sinks` after its `rounds`-th failed round at `now`. Returns a
    /// warning when the oldest owed event had to be given up to make room.
    pub fn keep(
        &mut self,
        event: NotifyEvent,
        sinks: Vec<SinkName>,
        rounds: u32,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let shift = rounds.saturating_sub(1).min(10);
        let pause = (FIRST_RETRY_SECS << shift).min(MAX_RETRY_SECS);
        self.owed.push(Owed {
            event,
            sinks,
            rounds,
            due: now + Duration::seconds(pause),
        });
        if self.owed.len() <= MAX_OWED {
            return None;
        }
        let oldest = self.owed.remove(0);
        Some(format!(
            "gave up a notification after {} failed rounds ({} waiting): {}",
            oldest.rounds,
            MAX_OWED,
            crate::text::brief(&oldest.event.message)
        ))
    }

    /// The owed events due at `now`, taken out of the queue.
    pub fn take_due(&mut self, now: DateTime<Utc>) -> Vec<Owed> {
        let (due, waiting): (Vec<Owed>, Vec<Owed>) = std::mem::take(&mut self.owed)
            .into_iter()
            .partition(|owed| owed.due <= now);
        self.owed = waiting;
        due
    }

    /// Every owed event, due or not.
    pub fn take_all(&mut self) -> Vec<Owed> {
        std::mem::take(&mut self.owed)
    }

    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.owed.iter().map(|owed| owed.due).min()
    }

    /// Whether an event with this identity is waiting for a retry.
    pub fn holds(&self, id: &str) -> bool {
        self.owed
            .iter()
            .any(|owed| owed.event.ids().iter().any(|held| held == id))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Owed> {
        self.owed.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;
    use chrono::TimeZone;

    fn event(id: u64) -> NotifyEvent {
        NotifyEvent::status_change(
            Utc::now(),
            &Scope::pair("C-1", "1"),
            id,
            None,
            None,
            "Awaiting User",
            None,
        )
        .expect("an event")
    }

    #[test]
    fn pauses_grow_and_the_queue_is_bounded() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let mut pending = Pending::default();
        assert!(
            pending
                .keep(event(1), vec![SinkName::Webhook], 1, now)
                .is_none()
        );
        assert_eq!(pending.next_due(), Some(now + Duration::seconds(30)));
        assert!(pending.take_due(now).is_empty());
        let again = pending.take_due(now + Duration::seconds(30));
        assert_eq!(again.len(), 1);
        pending.keep(event(1), vec![SinkName::Webhook], 9, now);
        assert_eq!(pending.next_due(), Some(now + Duration::seconds(600)));
        for id in 2..=(MAX_OWED as u64) {
            assert!(
                pending
                    .keep(event(id), vec![SinkName::Webhook], 1, now)
                    .is_none()
            );
        }
        let warning = pending
            .keep(event(9999), vec![SinkName::Webhook], 1, now)
            .expect("the oldest is given up");
        assert!(warning.contains("gave up"), "{warning}");
        assert_eq!(pending.iter().count(), MAX_OWED);
        assert!(!pending.holds(event(1).id()) && pending.holds(event(9999).id()));
    }
}
