//! The background poller: fetches, sends results as events, never touches UI state (issue 4).
//!
//! One task per dataset (each watched pair's list, plus the request open in the detail view).
//! A task never has more than one call in flight; a refresh wished for while a call runs is
//! served once right after it (newer wishes replace a waiting one, they do not queue). The
//! decisions live in `PollState`, a pure state machine tested without clocks or sleeps; the
//! task around it only waits and fetches. Calls per cycle are one per pair plus one for the
//! open detail, whatever the number of requests.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::Event;
use crate::config::PollConfig;
use crate::sps::model::{GroupContract, SpsRequest};
use crate::sps::{ApiError, SpsClient};

/// Where the poller gets its data: the SPS client, or a fake in tests.
pub trait Source: Clone + Send + Sync + 'static {
    fn list(
        &self,
        pair: &GroupContract,
    ) -> impl Future<Output = Result<Vec<SpsRequest>, ApiError>> + Send;
    fn get(
        &self,
        pair: &GroupContract,
        sps_id: u64,
    ) -> impl Future<Output = Result<SpsRequest, ApiError>> + Send;
}

impl Source for SpsClient {
    /// With `information=true`: names, kinds and issuers only come with the parameters.
    async fn list(&self, pair: &GroupContract) -> Result<Vec<SpsRequest>, ApiError> {
        SpsClient::list(self, pair, None, true).await
    }

    async fn get(&self, pair: &GroupContract, sps_id: u64) -> Result<SpsRequest, ApiError> {
        SpsClient::get(self, pair, sps_id).await
    }
}

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
        }
    }

    /// Whether a call should start now. A refresh wish runs even while paused (the operator
    /// asked for it); the schedule does not.
    pub fn should_start(&self, now: Instant) -> bool {
        !self.in_flight && (self.wanted || (!self.paused && now >= self.due))
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
        };
        self.due = now + wait;
        wait
    }

    /// When the task must wake up by itself; `None` while a call runs or when paused (a
    /// refresh wish is served by `should_start` before the task sleeps).
    pub fn next_wake(&self) -> Option<Instant> {
        if self.in_flight || self.paused {
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
}

/// What every task obeys, broadcast through a `watch` (newest value wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Control {
    paused: bool,
    /// Bumped by each refresh request.
    refresh: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Job {
    List(GroupContract),
    Detail(GroupContract, u64),
}

/// Owns the polling tasks; dropping it stops them.
pub struct Poller<S: Source> {
    source: S,
    config: PollConfig,
    events: mpsc::UnboundedSender<Event>,
    control: watch::Sender<Control>,
    lists: HashMap<GroupContract, JoinHandle<()>>,
    detail: Option<((GroupContract, u64), JoinHandle<()>)>,
}

impl<S: Source> Poller<S> {
    pub fn new(source: S, config: PollConfig, events: mpsc::UnboundedSender<Event>) -> Self {
        let (control, _) = watch::channel(Control::default());
        Poller {
            source,
            config,
            events,
            control,
            lists: HashMap::new(),
            detail: None,
        }
    }

    /// Polls exactly these pairs: starts tasks for new ones, stops the others.
    pub fn watch(&mut self, pairs: &[GroupContract]) {
        self.lists.retain(|pair, task| {
            let keep = pairs.contains(pair);
            if !keep {
                task.abort();
            }
            keep
        });
        for pair in pairs {
            if !self.lists.contains_key(pair) {
                let task = self.spawn(Job::List(pair.clone()), Cadence::for_lists(&self.config));
                self.lists.insert(pair.clone(), task);
            }
        }
    }

    /// Polls the request open in the detail view (or nothing).
    pub fn watch_detail(&mut self, target: Option<(GroupContract, u64)>) {
        if self.detail.as_ref().map(|(current, _)| current) == target.as_ref() {
            return;
        }
        if let Some((_, task)) = self.detail.take() {
            task.abort();
        }
        if let Some((pair, sps_id)) = target {
            let task = self.spawn(
                Job::Detail(pair.clone(), sps_id),
                Cadence::for_detail(&self.config),
            );
            self.detail = Some(((pair, sps_id), task));
        }
    }

    pub fn refresh_now(&self) {
        self.control.send_modify(|control| control.refresh += 1);
    }

    pub fn set_paused(&self, paused: bool) {
        self.control.send_modify(|control| control.paused = paused);
    }

    pub fn watched(&self) -> usize {
        self.lists.len() + usize::from(self.detail.is_some())
    }

    fn spawn(&self, job: Job, cadence: Cadence) -> JoinHandle<()> {
        let source = self.source.clone();
        let events = self.events.clone();
        let control = self.control.subscribe();
        tokio::spawn(run_job(job, source, cadence, control, events))
    }
}

impl<S: Source> Drop for Poller<S> {
    fn drop(&mut self) {
        for task in self.lists.values() {
            task.abort();
        }
        if let Some((_, task)) = &self.detail {
            task.abort();
        }
    }
}

async fn run_job<S: Source>(
    job: Job,
    source: S,
    cadence: Cadence,
    mut control: watch::Receiver<Control>,
    events: mpsc::UnboundedSender<Event>,
) {
    let initial = *control.borrow_and_update();
    let mut seen_refresh = initial.refresh;
    let mut state = PollState::new(cadence, Instant::now(), initial.paused);
    loop {
        if state.should_start(Instant::now()) {
            state.start();
            let (event, finished) = fetch(&job, &source, state.failures()).await;
            state.finish(Instant::now(), finished, rand::random::<f64>());
            if events.send(event).is_err() {
                return;
            }
            continue;
        }
        let wake = state.next_wake().map(tokio::time::Instant::from_std);
        tokio::select! {
            _ = sleep_until(wake) => {}
            changed = control.changed() => {
                if changed.is_err() {
                    return;
                }
                let now = *control.borrow_and_update();
                state.set_paused(now.paused);
                if now.refresh != seen_refresh {
                    seen_refresh = now.refresh;
                    state.request_refresh();
                }
            }
        }
    }
}

async fn sleep_until(wake: Option<tokio::time::Instant>) {
    match wake {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// One call and the event it becomes. `failures_before` counts the failures before it.
async fn fetch<S: Source>(job: &Job, source: &S, failures_before: u32) -> (Event, Finished) {
    match job {
        Job::List(pair) => {
            let outcome = source.list(pair).await;
            let finished = match &outcome {
                Ok(requests) => Finished::Ok {
                    all_terminal: requests.iter().all(SpsRequest::is_terminal),
                },
                Err(_) => Finished::Failed,
            };
            let failures = match finished {
                Finished::Failed => failures_before + 1,
                Finished::Ok { .. } => 0,
            };
            let event = Event::ListLoaded {
                pair: pair.clone(),
                at: Utc::now(),
                outcome,
                failures,
            };
            (event, finished)
        }
        Job::Detail(pair, sps_id) => {
            let outcome = source.get(pair, *sps_id).await;
            let finished = match &outcome {
                Ok(_) => Finished::Ok {
                    all_terminal: false,
                },
                Err(_) => Finished::Failed,
            };
            let event = Event::DetailLoaded {
                pair: pair.clone(),
                sps_id: *sps_id,
                at: Utc::now(),
                outcome,
            };
            (event, finished)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cadence() -> Cadence {
        Cadence {
            active: Duration::from_secs(15),
            idle: Duration::from_secs(120),
            error_base: Duration::from_secs(2),
            error_cap: Duration::from_secs(120),
        }
    }

    #[test]
    fn first_call_is_due_at_once_then_paced_by_activity() {
        let start = Instant::now();
        let mut state = PollState::new(cadence(), start, false);
        assert!(state.should_start(start));
        state.start();
        assert!(!state.should_start(start), "one call in flight at most");
        assert_eq!(state.next_wake(), None);
        let wait = state.finish(
            start,
            Finished::Ok {
                all_terminal: false,
            },
            0.5,
        );
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
        state.finish(
            start,
            Finished::Ok {
                all_terminal: false,
            },
            0.5,
        );
        assert!(state.should_start(start), "the waiting wish runs now");
        state.start();
        state.finish(
            start,
            Finished::Ok {
                all_terminal: false,
            },
            0.5,
        );
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
        state.finish(
            start,
            Finished::Ok {
                all_terminal: false,
            },
            0.5,
        );
        state.set_paused(false);
        assert!(state.should_start(start + Duration::from_secs(15)));
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
        state.finish(
            start,
            Finished::Ok {
                all_terminal: false,
            },
            0.5,
        );
        assert_eq!(state.failures(), 0);
    }

    /// A source whose list calls block until released, counting calls and concurrency.
    #[derive(Clone)]
    struct GatedSource {
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        running: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        max_running: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        gate: std::sync::Arc<tokio::sync::Semaphore>,
    }

    impl Source for GatedSource {
        async fn list(&self, _pair: &GroupContract) -> Result<Vec<SpsRequest>, ApiError> {
            use std::sync::atomic::Ordering::SeqCst;
            self.calls.fetch_add(1, SeqCst);
            let now = self.running.fetch_add(1, SeqCst) + 1;
            self.max_running.fetch_max(now, SeqCst);
            let permit = self.gate.acquire().await;
            drop(permit);
            self.running.fetch_sub(1, SeqCst);
            Err(ApiError::Connection {
                detail: "test".into(),
            })
        }

        async fn get(&self, _pair: &GroupContract, _id: u64) -> Result<SpsRequest, ApiError> {
            Err(ApiError::Connection {
                detail: "test".into(),
            })
        }
    }

    async fn next_event(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
        tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .expect("an event within 10 s")
            .expect("channel open")
    }

    #[tokio::test]
    async fn task_coalesces_refreshes_and_keeps_one_call_in_flight() {
        use std::sync::atomic::Ordering::SeqCst;
        let source = GatedSource {
            calls: Default::default(),
            running: Default::default(),
            max_running: Default::default(),
            gate: std::sync::Arc::new(tokio::sync::Semaphore::new(0)),
        };
        let (tx, mut rx) = mpsc::unbounded_channel();
        // Hour-long intervals: every call below is the first one or a refresh.
        let config = PollConfig {
            active_secs: 3600,
            idle_secs: 3600,
            detail_secs: 3600,
        };
        let mut poller = Poller::new(source.clone(), config, tx);
        let pair = GroupContract::new("C-1", "1");
        poller.watch(std::slice::from_ref(&pair));
        // Wait until the first call is running, then wish three refreshes while it blocks.
        while source.calls.load(SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        poller.refresh_now();
        poller.refresh_now();
        poller.refresh_now();
        source.gate.add_permits(1);
        let first = next_event(&mut rx).await;
        assert!(matches!(first, Event::ListLoaded { failures: 1, .. }));
        source.gate.add_permits(1);
        let second = next_event(&mut rx).await;
        assert!(
            matches!(second, Event::ListLoaded { failures: 2, .. }),
            "the failure count grows"
        );
        // No further call: the three wishes were served by one call.
        assert_eq!(source.calls.load(SeqCst), 2);
        assert_eq!(source.max_running.load(SeqCst), 1);
        assert_eq!(poller.watched(), 1);
        poller.watch(&[]);
        assert_eq!(poller.watched(), 0);
    }
}
