//! When a dataset's next call is due: a pure state machine, tested without clocks or sleeps.
//! One call in flight at most; refresh wishes made meanwhile collapse into one call after it;
//! pause stops the schedule (not an explicit refresh); failures back off exponentially with
//! jitter, successes pace by activity.

use std::time::{Duration, Instant};

use crate::config::PollConfig;

/// Stands for "never again in this run" when a wait is too long for the clock to add.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 86_400);

/// How often to call, and how to back off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cadence {
    /// While anything is in progress (or for the detail).
    pub active: Duration,
    /// When every request is terminal.
    pub idle: Duration,
    /// First wait after a failure; doubles per consecutive failure.
    pub error_base: Duration,
    /// Longest wait after failures.
    pub error_cap: Duration,
}

impl Cadence {
    pub fn for_lists(config: &PollConfig) -> Cadence {
        Cadence {
            active: Duration::from_secs(config.active_secs.max(1)),
            idle: Duration::from_secs(config.idle_secs.max(1)),
            error_base: Duration::from_secs(2),
            error_cap: Duration::from_secs(config.idle_secs.max(60)),
        }
    }

    pub fn for_detail(config: &PollConfig) -> Cadence {
        let every = Duration::from_secs(config.detail_secs.max(1));
        Cadence {
            active: every,
            idle: every,
            error_base: Duration::from_secs(2),
            error_cap: Duration::from_secs(config.idle_secs.max(60)),
        }
    }

    /// Wait after the `failures`-th consecutive failure: exponential, capped, with ±20%
    /// jitter (`jitter` in 0..1) so many clients do not retry in step.
    pub fn backoff(&self, failures: u32, jitter: f64) -> Duration {
        let exponent = failures.saturating_sub(1).min(16);
        let raw = self.error_base.saturating_mul(1u32 << exponent);
        let capped = raw.min(self.error_cap);
        capped.mul_f64(0.8 + 0.4 * jitter.clamp(0.0, 1.0))
    }
}

/// How a call ended, as far as scheduling cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// Success; `all_terminal` slows the pace down.
    Ok {
        all_terminal: bool,
    },
    Failed,
    /// The API said this will never work (SPS's 410 Gone): no call is made again.
    Gone,
}

/// The pure scheduling state of one dataset.
#[derive(Debug, Clone)]
pub struct PollState {
    cadence: Cadence,
    due: Instant,
    in_flight: bool,
    wanted: bool,
    paused: bool,
    failures: u32,
    /// The API answered for good: nothing is ever called again (not even on a refresh).
    gone: bool,
}

impl PollState {
    /// Due at once: the first call happens as soon as the task starts.
    pub fn new(cadence: Cadence, now: Instant, paused: bool) -> PollState {
        PollState {
            cadence,
            due: now,
            in_flight: false,
            wanted: false,
            paused,
            failures: 0,
            gone: false,
        }
    }

    /// Whether a call should start now. A refresh wish runs even while paused (the operator
    /// asked for it); the schedule does not.
    pub fn should_start(&self, now: Instant) -> bool {
        !self.gone && !self.in_flight && (self.wanted || (!self.paused && now >= self.due))
    }

    pub fn start(&mut self) {
        self.in_flight = true;
        self.wanted = false;
    }

    /// `r`: call as soon as no call is in flight. Several wishes make one call.
    pub fn request_refresh(&mut self) {
        self.wanted = true;
    }

    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// Records the end of the call and schedules the next one.
    pub fn finish(&mut self, now: Instant, finished: Finished, jitter: f64) -> Duration {
        self.in_flight = false;
        let wait = match finished {
            Finished::Ok { all_terminal } => {
                self.failures = 0;
                if all_terminal {
                    self.cadence.idle
                } else {
                    self.cadence.active
                }
            }
            Finished::Failed => {
                self.failures += 1;
                self.cadence.backoff(self.failures, jitter)
            }
            Finished::Gone => {
                self.failures += 1;
                self.gone = true;
                return Duration::MAX;
            }
        };
        // Saturating: a wait too long for the clock means "not again in this run".
        self.due = now.checked_add(wait).unwrap_or(now + FAR_FUTURE);
        wait
    }

    /// When the task must wake up by itself; `None` while a call runs or when paused (a
    /// refresh wish is served by `should_start` before the task sleeps).
    pub fn next_wake(&self) -> Option<Instant> {
        if self.in_flight || self.paused || self.gone {
            None
        } else {
            Some(self.due)
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn in_flight(&self) -> bool {
        self.in_flight
    }

    /// The API answered for good: the task has nothing more to do.
    pub fn is_gone(&self) -> bool {
        self.gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A successful call after which some request still moves.
    const NOT_ALL_TERMINAL: Finished = Finished::Ok {
        all_terminal: false,
    };

    fn cadence() -> Cadence {
        Cadence {
            active: Duration::from_secs(15),
            idle: Duration::from_secs(120),
            error_base: Duration::from_secs(2),
            error_cap: Duration::from_secs(120),
        }
    }

    #[test]
    fn a_wait_too_long_for_the_clock_saturates_instead_of_panicking() {
        let start = Instant::now();
        let endless = Cadence {
            active: Duration::MAX,
            ..cadence()
        };
        let mut state = PollState::new(endless, start, false);
        state.start();
        assert_eq!(state.finish(start, NOT_ALL_TERMINAL, 0.5), Duration::MAX);
        assert!(!state.should_start(start + Duration::from_secs(86_400 * 365)));
    }

    #[test]
    fn first_call_is_due_at_once_then_paced_by_activity() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, false);
        assert!(state.should_start(start));
        state.start();
        assert!(!state.should_start(start), "one call in flight at most");
        assert_eq!(state.next_wake(), None);
        let wait = state.finish(start, NOT_ALL_TERMINAL, 0.5);
        assert_eq!(wait, Duration::from_secs(15));
        assert!(!state.should_start(start + Duration::from_secs(14)));
        assert!(state.should_start(start + Duration::from_secs(15)));
        state.start();
        let wait = state.finish(start, Finished::Ok { all_terminal: true }, 0.5);
        assert_eq!(wait, Duration::from_secs(120));
    }

    #[test]
    fn refresh_wishes_during_a_call_make_one_call_after_it() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, false);
        state.start();
        state.request_refresh();
        state.request_refresh();
        state.request_refresh();
        assert!(!state.should_start(start), "never two calls in flight");
        state.finish(start, NOT_ALL_TERMINAL, 0.5);
        assert!(state.should_start(start), "the waiting wish runs now");
        state.start();
        state.finish(start, NOT_ALL_TERMINAL, 0.5);
        assert!(
            !state.should_start(start),
            "three wishes made a single call"
        );
    }

    #[test]
    fn pause_stops_the_schedule_but_not_an_explicit_refresh() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, true);
        assert!(!state.should_start(start + Duration::from_secs(3600)));
        assert_eq!(state.next_wake(), None);
        state.request_refresh();
        assert!(state.should_start(start));
        state.start();
        state.finish(start, NOT_ALL_TERMINAL, 0.5);
        state.set_paused(false);
        assert!(state.should_start(start + Duration::from_secs(15)));
    }

    #[test]
    fn an_api_that_is_gone_is_never_called_again() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, false);
        state.start();
        state.finish(start, Finished::Gone, 0.5);
        assert!(state.is_gone());
        assert_eq!(state.next_wake(), None);
        state.request_refresh();
        assert!(!state.should_start(start + Duration::from_secs(86_400)));
    }

    #[test]
    fn failures_back_off_exponentially_with_bounded_jitter_and_reset_on_success() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, false);
        let mut waits = Vec::new();
        for _ in 0..8 {
            state.start();
            waits.push(state.finish(start, Finished::Failed, 0.5).as_secs());
        }
        assert_eq!(waits, vec![2, 4, 8, 16, 32, 64, 120, 120]);
        assert_eq!(state.failures(), 8);
        let low = cadence().backoff(3, 0.0);
        let high = cadence().backoff(3, 1.0);
        assert_eq!(low, Duration::from_millis(6400));
        assert_eq!(high, Duration::from_millis(9600));
        state.start();
        state.finish(start, NOT_ALL_TERMINAL, 0.5);
        assert_eq!(state.failures(), 0);
    }
}
