//! Runs the reducer's effects: polling control, PAPI discovery, submissions, the bell, and the
//! file work (cache, journal) on one thread in order. Every result comes back as an `Event`.

use std::io::Write;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::app::{Effect, Event};
use crate::poll::Poller;
use crate::sps::SpsClient;
use crate::sps::model::{GroupContract, SpsRequest};
use crate::store::cache::CacheRead;
use crate::store::{Store, default_cache_dir};

/// File work, done in order on one thread so journal lines never interleave.
enum StoreJob {
    LoadHistory,
    LoadCache(Vec<GroupContract>),
    SaveCache {
        pair: GroupContract,
        fetched_at: chrono::DateTime<Utc>,
        requests: std::sync::Arc<Vec<SpsRequest>>,
    },
    AppendJournal(Vec<crate::app::Transition>),
}

/// Runs the reducer's effects; every result comes back through `results` as an event.
pub(super) struct Runner {
    client: SpsClient,
    poller: Poller<SpsClient>,
    results: mpsc::UnboundedSender<Event>,
    store: Option<std_mpsc::Sender<StoreJob>>,
    /// Where `export.format` is remembered (`--config`, else the platform file).
    pub(super) config_path: Option<std::path::PathBuf>,
}

impl Runner {
    pub(super) fn new(
        client: SpsClient,
        poll: crate::config::PollConfig,
        results: mpsc::UnboundedSender<Event>,
    ) -> Runner {
        let poller = Poller::new(client.clone(), poll, results.clone());
        let store = match default_cache_dir() {
            Some(dir) => Some(spawn_store_worker(Store::new(dir), results.clone())),
            None => {
                let _ = results.send(Event::StoreWarning(format!(
                    "no cache directory could be found; set {} to keep lists between runs",
                    crate::store::CACHE_DIR_ENV
                )));
                None
            }
        };
        Runner {
            client,
            poller,
            results,
            store,
            config_path: None,
        }
    }

    pub(super) fn load_history(&self) {
        self.to_store(StoreJob::LoadHistory);
    }

    fn to_store(&self, job: StoreJob) {
        if let Some(store) = &self.store {
            let _ = store.send(job);
        }
    }

    /// Small local writes (drafts, the submissions journal) off the event loop; a failure
    /// comes back as a store warning.
    fn local_file_job(&self, job: impl FnOnce() -> Result<(), String> + Send + 'static) {
        let results = self.results.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(message) = job() {
                let _ = results.send(Event::StoreWarning(message));
            }
        });
    }

    pub(super) fn run(&mut self, effect: Effect) {
        match effect {
            Effect::DiscoverPairs => {
                tokio::spawn(discover_pairs(self.client.clone(), self.results.clone()));
            }
            Effect::LoadCache(pairs) => self.to_store(StoreJob::LoadCache(pairs)),
            Effect::Watch(pairs) => self.poller.watch(&pairs),
            Effect::WatchDetail(target) => self.poller.watch_detail(target),
            Effect::RefreshNow => self.poller.refresh_now(),
            Effect::SetPaused(paused) => self.poller.set_paused(paused),
            Effect::SaveCache {
                pair,
                fetched_at,
                requests,
            } => self.to_store(StoreJob::SaveCache {
                pair,
                fetched_at,
                requests,
            }),
            Effect::AppendJournal(transitions) => {
                self.to_store(StoreJob::AppendJournal(transitions))
            }
            Effect::Submit(submission) => {
                let client = self.client.clone();
                let results = self.results.clone();
                tokio::spawn(async move {
                    // Journaled before it is sent, completed after (issue 5).
                    let (outcome, unresolved) =
                        crate::app::wizard::host::submit_journaled(&client, &submission).await;
                    if let Some(unresolved) = unresolved {
                        let _ = results.send(Event::SubmissionUnresolved(unresolved));
                    }
                    let _ = results.send(Event::Submitted {
                        pair: submission.pair,
                        outcome,
                    });
                });
            }
            Effect::SaveDraft(draft) => {
                self.local_file_job(move || crate::app::wizard::host::save_draft(&draft))
            }
            Effect::DiscardDraft => self.local_file_job(crate::app::wizard::host::discard_draft),
            Effect::RecordReconciled(matches) => {
                self.local_file_job(move || crate::app::wizard::host::record_reconciled(&matches))
            }
            Effect::Export(job) => {
                crate::export::job::run(job, self.config_path.clone(), &self.results)
            }
            Effect::Bell => {
                let mut stdout = std::io::stdout();
                let _ = stdout.write_all(b"\x07");
                let _ = stdout.flush();
            }
            Effect::Quit => {}
        }
    }
}

/// PAPI groups, retried with backoff until it answers (the dashboard shows each failure).
async fn discover_pairs(client: SpsClient, results: mpsc::UnboundedSender<Event>) {
    let cadence = crate::poll::Cadence {
        active: Duration::from_secs(15),
        idle: Duration::from_secs(120),
        error_base: Duration::from_secs(2),
        error_cap: Duration::from_secs(120),
    };
    let mut failures = 0u32;
    loop {
        match client.groups().await {
            Ok(groups) => {
                let _ = results.send(Event::PairsDiscovered(groups.pairs()));
                return;
            }
            Err(error) => {
                failures += 1;
                if results
                    .send(Event::PairsFailed { error, failures })
                    .is_err()
                {
                    return;
                }
                tokio::time::sleep(cadence.backoff(failures, rand::random::<f64>())).await;
            }
        }
    }
}

fn spawn_store_worker(
    store: Store,
    results: mpsc::UnboundedSender<Event>,
) -> std_mpsc::Sender<StoreJob> {
    let (jobs, queue) = std_mpsc::channel::<StoreJob>();
    let warnings = results.clone();
    let spawned = std::thread::Builder::new()
        .name("spsdash-store".into())
        .spawn(move || {
            for job in queue {
                for event in do_store_job(&store, job) {
                    if results.send(event).is_err() {
                        return;
                    }
                }
            }
        });
    if let Err(error) = spawned {
        let _ = warnings.send(Event::StoreWarning(format!(
            "the cache is off: could not start its thread ({error})"
        )));
    }
    jobs
}

fn do_store_job(store: &Store, job: StoreJob) -> Vec<Event> {
    match job {
        StoreJob::LoadHistory => {
            let (transitions, warning) = store.load_journal();
            let mut events = vec![Event::HistoryLoaded(transitions)];
            events.extend(warning.map(Event::StoreWarning));
            events
        }
        StoreJob::LoadCache(pairs) => pairs
            .into_iter()
            .filter_map(|pair| match store.load_list(&pair) {
                CacheRead::Missing => None,
                CacheRead::Loaded(list) => Some(Event::CacheLoaded {
                    pair,
                    fetched_at: list.fetched_at,
                    requests: list.requests,
                }),
                CacheRead::SetAside(message) => Some(Event::StoreWarning(message)),
            })
            .collect(),
        StoreJob::SaveCache {
            pair,
            fetched_at,
            requests,
        } => store
            .save_list(&pair, fetched_at, &requests)
            .err()
            .map(Event::StoreWarning)
            .into_iter()
            .collect(),
        StoreJob::AppendJournal(transitions) => store
            .append_journal(&transitions)
            .err()
            .map(Event::StoreWarning)
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_jobs_turn_files_into_events_and_bad_files_into_warnings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let pair = GroupContract::new("C-1", "1");
        let at = Utc::now();
        let saved = do_store_job(
            &store,
            StoreJob::SaveCache {
                pair: pair.clone(),
                fetched_at: at,
                requests: Default::default(),
            },
        );
        assert!(saved.is_empty(), "a successful save says nothing");
        match do_store_job(&store, StoreJob::LoadCache(vec![pair.clone()])).as_slice() {
            [Event::CacheLoaded { fetched_at, .. }] => assert_eq!(*fetched_at, at),
            other => panic!("expected the cached list, got {other:?}"),
        }
        std::fs::write(store.list_path(&pair), b"\x00garbage").expect("writes");
        match do_store_job(&store, StoreJob::LoadCache(vec![pair])).as_slice() {
            [Event::StoreWarning(message)] => assert!(message.contains("moved to"), "{message}"),
            other => panic!("expected a warning, got {other:?}"),
        }
        match do_store_job(&store, StoreJob::LoadHistory).as_slice() {
            [Event::HistoryLoaded(history)] => assert!(history.is_empty()),
            other => panic!("expected an empty history, got {other:?}"),
        }
    }
}
