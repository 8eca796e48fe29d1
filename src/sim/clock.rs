//! The world's clock: real time scaled by `--speed`, plus whatever tests or `/_sim/advance`
//! added. Speed 0 gives a clock that only moves when told to, which the state-machine tests use.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub struct WorldClock {
    inner: Arc<Mutex<ClockState>>,
}

#[derive(Debug)]
struct ClockState {
    origin_world: DateTime<Utc>,
    origin_real: Instant,
    speed: f64,
    advanced: Duration,
}

impl WorldClock {
    /// A clock that reads `start` now and then runs `speed` times faster than real time.
    /// A negative or non-finite speed is treated as 0 (a stopped clock).
    pub fn new(start: DateTime<Utc>, speed: f64) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            0.0
        };
        WorldClock {
            inner: Arc::new(Mutex::new(ClockState {
                origin_world: start,
                origin_real: Instant::now(),
                speed,
                advanced: Duration::zero(),
            })),
        }
    }

    /// A stopped clock: time moves only through `advance`.
    pub fn manual(start: DateTime<Utc>) -> Self {
        WorldClock::new(start, 0.0)
    }

    pub fn now(&self) -> DateTime<Utc> {
        let state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let real_ms = state.origin_real.elapsed().as_secs_f64() * 1000.0 * state.speed;
        // Clamp so an absurd speed cannot overflow chrono (about 290 million years).
        let scaled = Duration::milliseconds(real_ms.min(9.0e15) as i64);
        state.origin_world + scaled + state.advanced
    }

    /// Moves the clock forward; a negative step is ignored (time never runs backwards).
    pub fn advance(&self, step: Duration) {
        if step <= Duration::zero() {
            return;
        }
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        state.advanced += step;
    }

    /// The world time the clock started from: the instant the world was built around.
    pub fn origin(&self) -> DateTime<Utc> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .origin_world
    }

    pub fn speed(&self) -> f64 {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .speed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = WorldClock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::seconds(90));
        assert_eq!(clock.now(), start + Duration::seconds(90));
        clock.advance(Duration::seconds(-30));
        assert_eq!(clock.now(), start + Duration::seconds(90));
    }

    #[test]
    fn clones_share_one_time() {
        let clock = WorldClock::manual(Utc::now());
        let other = clock.clone();
        other.advance(Duration::hours(1));
        assert_eq!(clock.now(), other.now());
    }
}
