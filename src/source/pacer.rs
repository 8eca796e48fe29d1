//! At most one call a second over everything one account reads per enrollment (changes, their
//! challenges, the open detail): CPS rate-limits each API client, and those reads multiply
//! with the number of enrollments while a contract's list is one call whatever its size. The
//! open detail's reads go first: a slot that falls free goes to one of them if one waits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The spacing between two paced calls: a little over a second, so that any minute holds at
/// most 58 of them, a closed one too (a counter read twice 60 s apart saw 61 at exactly one
/// a second: both ends counted).
pub const CALL_SPACING: Duration = Duration::from_millis(1_050);

#[derive(Debug)]
pub struct Pacer {
    spacing: Duration,
    /// When the next slot is free (`None`: now).
    next: Mutex<Option<Instant>>,
    /// Callers that go first, waiting for a slot.
    first_waiting: AtomicUsize,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(CALL_SPACING)
    }
}

impl Pacer {
    pub fn new(spacing: Duration) -> Pacer {
        Pacer {
            spacing,
            next: Mutex::new(None),
            first_waiting: AtomicUsize::new(0),
        }
    }

    /// Waits for a free slot and takes it (after any caller that goes first).
    pub async fn slot(&self) {
        self.take(false).await;
    }

    /// Waits for a free slot and takes it before any `slot` caller.
    pub async fn slot_first(&self) {
        self.first_waiting.fetch_add(1, Ordering::SeqCst);
        self.take(true).await;
        self.first_waiting.fetch_sub(1, Ordering::SeqCst);
    }

    async fn take(&self, first: bool) {
        loop {
            let now = Instant::now();
            let free_at = self.next_free().unwrap_or(now);
            if free_at > now {
                tokio::time::sleep_until(free_at).await;
                continue;
            }
            if !first && self.first_waiting.load(Ordering::SeqCst) > 0 {
                // Someone goes first: look again once it has had its turn.
                tokio::time::sleep(self.spacing / 10).await;
                continue;
            }
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            if next.is_none_or(|at| at <= now) {
                *next = Some(now + self.spacing);
                return;
            }
        }
    }

    fn next_free(&self) -> Option<Instant> {
        *self.next.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `calls` more calls were made on the last slot: the slots after it move on as far.
    pub fn charge(&self, calls: u32) {
        if calls == 0 {
            return;
        }
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let from = next.unwrap_or_else(Instant::now);
        *next = Some(from + self.spacing * calls);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn slots_are_spaced_and_extra_calls_push_the_next_ones() {
        let spacing = Duration::from_millis(60);
        let pacer = Pacer::new(spacing);
        let start = Instant::now();
        pacer.slot().await;
        pacer.slot().await;
        pacer.slot().await;
        assert!(start.elapsed() >= spacing * 2, "{:?}", start.elapsed());
        // The last slot's read took two calls: the next slot is two spacings on.
        pacer.charge(1);
        pacer.slot().await;
        assert!(start.elapsed() >= spacing * 4, "{:?}", start.elapsed());
        // A slot asked for long after the last one is free at once.
        tokio::time::sleep(spacing * 3).await;
        let before = Instant::now();
        pacer.slot().await;
        assert!(before.elapsed() < spacing, "{:?}", before.elapsed());
    }

    #[tokio::test]
    async fn a_caller_that_goes_first_takes_the_next_slot() {
        let spacing = Duration::from_millis(80);
        let pacer = Arc::new(Pacer::new(spacing));
        pacer.slot().await;
        // A background reader asks again and again; the first caller asks once.
        let reader = {
            let pacer = Arc::clone(&pacer);
            tokio::spawn(async move {
                for _ in 0..5 {
                    pacer.slot().await;
                }
            })
        };
        tokio::time::sleep(spacing / 4).await;
        let asked = Instant::now();
        pacer.slot_first().await;
        let waited = asked.elapsed();
        assert!(
            waited < spacing * 2,
            "the detail waited {waited:?} behind the reader"
        );
        reader.await.expect("the reader ends");
    }
}
