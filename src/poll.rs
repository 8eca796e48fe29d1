//! The background poller: fetches, sends results as events, never touches UI state (issue 4).
//!
//! One task per dataset (each watched pair's list, plus the request open in the detail view).
//! A task never has more than one call in flight; a refresh wished for while a call runs is
//! served once right after it (newer wishes replace a waiting one, they do not queue). The
//! decisions live in `PollState`, a pure state machine tested without clocks or sleeps; the
//! task around it only waits and fetches. Calls per cycle are one per pair plus one for the
//! open detail, whatever the number of requests.

mod changes;
mod memories;
mod schedule;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::{ArrivedList, Event, ListMemory};
use crate::config::PollConfig;
use crate::edgegrid::ApiError;
use crate::model::read_list::ReadList;
use crate::model::{Api, CertRequest, Scope};
use crate::source::Backend;
use memories::Memories;

pub use schedule::{Cadence, Finished, PollState};

/// Where the poller gets its data: the account's backend, or a fake in tests.
pub trait Source: Clone + Send + Sync + 'static {
    /// The list, with a line for each item that did not read and was left out. Items whose
    /// text `memory` knows (the pair's last list had them) may come unread.
    fn list(
        &self,
        pair: &Scope,
        memory: Arc<ListMemory>,
    ) -> impl Future<Output = Result<ReadList, ApiError>> + Send;
    fn get(
        &self,
        pair: &Scope,
        id: u64,
    ) -> impl Future<Output = Result<CertRequest, ApiError>> + Send;

    /// True when requests carry a part their list does not (a CPS change): the poller then
    /// keeps one more task reading those parts, as `read_next_change` paces them.
    fn reads_changes(&self) -> bool {
        false
    }

    /// Reads the change that is due next (paced by the source) and hands back its request
    /// as a list shows it; `None` when none is due.
    fn read_next_change(
        &self,
    ) -> impl Future<Output = Option<(Scope, u64, Result<CertRequest, ApiError>)>> + Send {
        async { None }
    }

    /// The open detail shows this request (its change goes first), or none.
    fn focus(&self, _id: Option<u64>) {}
}

impl Source for Backend {
    /// With `information=true`: names, kinds and issuers only come with the parameters;
    /// each request compacted as it is read (the open detail reads its own request whole).
    async fn list(&self, pair: &Scope, memory: Arc<ListMemory>) -> Result<ReadList, ApiError> {
        Backend::list_compacted(self, pair, move |text| memory.knows(text)).await
    }

    async fn get(&self, pair: &Scope, id: u64) -> Result<CertRequest, ApiError> {
        Backend::detail(self, Some(pair), id).await
    }

    fn reads_changes(&self) -> bool {
        self.api() == Api::Cps
    }

    async fn read_next_change(&self) -> Option<(Scope, u64, Result<CertRequest, ApiError>)> {
        self.cps_reads().read_next_change(&self.cps()).await
    }

    fn focus(&self, id: Option<u64>) {
        self.cps_reads().focus(id);
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
    List(Scope),
    Detail(Scope, u64),
}

/// Owns the polling tasks; dropping it stops them.
pub struct Poller<S: Source> {
    source: S,
    config: PollConfig,
    events: mpsc::UnboundedSender<Event>,
    control: watch::Sender<Control>,
    /// Each pair's task, and what wakes it for a list read again at once.
    lists: HashMap<Scope, (JoinHandle<()>, Arc<Notify>)>,
    detail: Option<((Scope, u64), JoinHandle<()>)>,
    /// Reads what lists do not say (CPS changes), at the source's pace; `None` when the
    /// source has no such part.
    changes: Option<JoinHandle<()>>,
    memories: Memories,
}

impl<S: Source> Poller<S> {
    pub fn new(source: S, config: PollConfig, events: mpsc::UnboundedSender<Event>) -> Self {
        let (control, _) = watch::channel(Control::default());
        let changes = source.reads_changes().then(|| {
            tokio::spawn(changes::read_changes(
                source.clone(),
                events.clone(),
                control.subscribe(),
            ))
        });
        Poller {
            source,
            config,
            events,
            control,
            lists: HashMap::new(),
            detail: None,
            changes,
            memories: Memories::default(),
        }
    }

    /// Polls exactly these pairs: starts tasks for new ones, stops the others.
    pub fn watch(&mut self, pairs: &[Scope]) {
        let memories = &self.memories;
        self.lists.retain(|pair, (task, _)| {
            let keep = pairs.contains(pair);
            if !keep {
                task.abort();
                memories.drop_pair(pair);
            }
            keep
        });
        for pair in pairs {
            if !self.lists.contains_key(pair) {
                let again = Arc::new(Notify::new());
                let task = self.spawn(
                    Job::List(pair.clone()),
                    Cadence::for_lists(&self.config),
                    Arc::clone(&again),
                );
                self.lists.insert(pair.clone(), (task, again));
            }
        }
    }

    /// Polls the request open in the detail view (or nothing).
    pub fn watch_detail(&mut self, target: Option<(Scope, u64)>) {
        if self.detail.as_ref().map(|(current, _)| current) == target.as_ref() {
            return;
        }
        if let Some((_, task)) = self.detail.take() {
            task.abort();
        }
        self.source.focus(target.as_ref().map(|(_, id)| *id));
        if let Some((pair, id)) = target {
            let task = self.spawn(
                Job::Detail(pair.clone(), id),
                Cadence::for_detail(&self.config),
                Arc::new(Notify::new()),
            );
            self.detail = Some(((pair, id), task));
        }
    }

    pub fn refresh_now(&self) {
        self.control.send_modify(|control| control.refresh += 1);
    }

    /// Forgets what was remembered of the pair's last list and reads it again now, whole.
    pub fn read_list_whole(&self, pair: &Scope) {
        self.memories.forget_all(pair);
        if let Some((_, again)) = self.lists.get(pair) {
            again.notify_one();
        }
    }

    /// These requests' next items in the pair's list are read whatever their text.
    pub fn forget_list_items(&self, pair: &Scope, ids: &[u64]) {
        self.memories.forget_items(pair, ids);
    }

    pub fn set_paused(&self, paused: bool) {
        self.control.send_modify(|control| control.paused = paused);
    }

    pub fn watched(&self) -> usize {
        self.lists.len() + usize::from(self.detail.is_some())
    }

    fn spawn(&self, job: Job, cadence: Cadence, again: Arc<Notify>) -> JoinHandle<()> {
        let task = Task {
            job,
            source: self.source.clone(),
            memories: self.memories.clone(),
            events: self.events.clone(),
        };
        tokio::spawn(run_job(task, cadence, self.control.subscribe(), again))
    }
}

impl<S: Source> Drop for Poller<S> {
    fn drop(&mut self) {
        for (task, _) in self.lists.values() {
            task.abort();
        }
        if let Some((_, task)) = &self.detail {
            task.abort();
        }
        if let Some(task) = &self.changes {
            task.abort();
        }
    }
}

/// What one task works with.
struct Task<S> {
    job: Job,
    source: S,
    memories: Memories,
    events: mpsc::UnboundedSender<Event>,
}

async fn run_job<S: Source>(
    task: Task<S>,
    cadence: Cadence,
    mut control: watch::Receiver<Control>,
    again: Arc<Notify>,
) {
    let initial = *control.borrow_and_update();
    let mut seen_refresh = initial.refresh;
    let mut state = PollState::new(cadence, Instant::now(), initial.paused);
    loop {
        if state.should_start(Instant::now()) {
            state.start();
            let (event, finished) = fetch(&task, state.failures()).await;
            state.finish(Instant::now(), finished, rand::random::<f64>());
            if task.events.send(event).is_err() || state.is_gone() {
                return;
            }
            continue;
        }
        let wake = state.next_wake().map(tokio::time::Instant::from_std);
        tokio::select! {
            _ = sleep_until(wake) => {}
            () = again.notified() => state.request_refresh(),
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

/// A pair's list, read against what is remembered of its last one (`app::list_memory`),
/// with its rows made here, off the loop thread; what to remember of it is kept for the
/// next. If the memory cannot make the list (an unread item stands for a request the list
/// names twice), it is read once more, every item.
async fn read_list<S: Source>(
    task: &Task<S>,
    pair: &Scope,
) -> Result<(ArrivedList, Vec<String>), ApiError> {
    let (memory, generation) = task.memories.current(pair);
    let mut read = task.source.list(pair, Arc::clone(&memory)).await?;
    let mut made = ArrivedList::read_against(pair, std::mem::take(&mut read.items), &memory);
    if made.is_none() && !memory.is_empty() {
        let nothing = Arc::new(ListMemory::default());
        read = task.source.list(pair, Arc::clone(&nothing)).await?;
        made = ArrivedList::read_against(pair, std::mem::take(&mut read.items), &nothing);
    }
    let (list, remembered) = made.ok_or_else(|| ApiError::Decode {
        detail: "the list could not be read against the last one".to_string(),
    })?;
    task.memories.remember(pair, generation, remembered);
    Ok((list, read.skipped))
}

/// A failure, or the API saying it is gone for good (410: SPS since 2023-01-03), after
/// which asking again only adds calls.
fn failed(error: &ApiError) -> Finished {
    if error.http_status() == Some(410) {
        Finished::Gone
    } else {
        Finished::Failed
    }
}

async fn sleep_until(wake: Option<tokio::time::Instant>) {
    match wake {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// One call and the event it becomes. `failures_before` counts the failures before it.
async fn fetch<S: Source>(task: &Task<S>, failures_before: u32) -> (Event, Finished) {
    let source = &task.source;
    match &task.job {
        Job::List(pair) => {
            let (outcome, skipped) = match read_list(task, pair).await {
                Ok((list, skipped)) => (Ok(list), skipped),
                Err(error) => (Err(error), Vec::new()),
            };
            let finished = match &outcome {
                Ok(list) => Finished::Ok {
                    all_terminal: list.all_terminal(),
                },
                Err(error) => failed(error),
            };
            let failures = match finished {
                Finished::Failed | Finished::Gone => failures_before + 1,
                Finished::Ok { .. } => 0,
            };
            let event = Event::ListLoaded {
                pair: pair.clone(),
                at: Utc::now(),
                outcome,
                failures,
                skipped,
            };
            (event, finished)
        }
        Job::Detail(pair, id) => {
            let outcome = source.get(pair, *id).await;
            let finished = match &outcome {
                Ok(_) => Finished::Ok {
                    all_terminal: false,
                },
                Err(error) => failed(error),
            };
            let event = Event::DetailLoaded {
                pair: pair.clone(),
                id: *id,
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
    use std::time::Duration;

    /// A source whose list calls block until released, counting calls and concurrency.
    #[derive(Clone)]
    struct GatedSource {
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        running: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        max_running: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        gate: std::sync::Arc<tokio::sync::Semaphore>,
    }

    impl Source for GatedSource {
        async fn list(
            &self,
            _pair: &Scope,
            _memory: Arc<ListMemory>,
        ) -> Result<ReadList, ApiError> {
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

        async fn get(&self, _pair: &Scope, _id: u64) -> Result<CertRequest, ApiError> {
            Err(ApiError::Connection {
                detail: "test".into(),
            })
        }
    }

    /// A source that answers with a request as `information=true` sends it: every
    /// parameter, with spare capacity.
    #[derive(Clone)]
    struct WholeSource;

    impl Source for WholeSource {
        async fn list(
            &self,
            _pair: &Scope,
            _memory: Arc<ListMemory>,
        ) -> Result<ReadList, ApiError> {
            let request: CertRequest = crate::sps::neutral::from_json(serde_json::json!({
                "spsId": 7, "status": "Pending",
                "parameters": [{"name": "cnameHostname", "value": "www.example.com"},
                               {"name": "admin-contact.email", "value": "ann@example.com"}]
            }))
            .expect("parses");
            let mut list = ReadList::of_requests(vec![request], |_| false);
            list.items.reserve(16);
            Ok(list)
        }

        async fn get(&self, _pair: &Scope, _id: u64) -> Result<CertRequest, ApiError> {
            Err(ApiError::Connection {
                detail: "test".into(),
            })
        }
    }

    #[tokio::test]
    async fn a_list_reaches_the_reducer_compacted() {
        let pair = Scope::pair("C-1", "1");
        let task = Task {
            job: Job::List(pair),
            source: WholeSource,
            memories: Memories::default(),
            events: mpsc::unbounded_channel().0,
        };
        let (event, _) = fetch(&task, 0).await;
        let Event::ListLoaded {
            outcome: Ok(list), ..
        } = event
        else {
            panic!("a list: {event:?}");
        };
        let requests = &list.requests;
        assert_eq!(list.rows.len(), 1, "its row made by the poller");
        assert_eq!(requests.capacity(), 1, "no spare capacity");
        assert_eq!(requests[0].hostname.as_deref(), Some("www.example.com"));
        assert_eq!(requests[0].detail("admin-contact.email"), None);
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
        let pair = Scope::pair("C-1", "1");
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
