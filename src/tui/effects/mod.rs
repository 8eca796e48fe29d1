//! Runs the reducer's effects, the only place the dashboard does I/O: polling control and PAPI
//! discovery (`poll`), submissions (`submit`), the copy and the readiness check (`export`), and
//! every file (`files`: cache, journal, drafts, exported rules) in order on one task. Every
//! result comes back as an `Event`. Async work runs on tasks, blocking file work on the
//! blocking pool; on quit, [`Runner::finish`] drains the file queue before the terminal is
//! restored.

mod account;
mod cps;
mod cps_orders;
#[cfg(test)]
mod cps_orders_tests;
mod export;
mod files;
mod notify;
mod poll;
mod served;
mod submit;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::{Effect, Event, ExportJob};
use crate::config::PollConfig;
use crate::poll::Poller;
use crate::source::Backend;
use crate::store::{CacheAccount, Stores};

pub(crate) use account::api_target;
pub use account::{AccountOpener, OpenedAccount};
pub(crate) use files::{FileJob, FileWorker};

/// How long quitting waits for queued file work.
const FINISH_LIMIT: Duration = Duration::from_secs(5);

/// Runs the reducer's effects; every result comes back through `results` as an event.
pub(crate) struct Runner {
    client: Backend,
    poller: Poller<Backend>,
    poll: PollConfig,
    /// Where the shown account's tasks send their results (dropped once another is shown).
    results: mpsc::UnboundedSender<Event>,
    /// The loop's own channel: what outlives an account (notifications, switching).
    global: mpsc::UnboundedSender<Event>,
    /// Lets only the shown account's results through.
    gate: account::Gate,
    /// Opens another account for `:account` (`None`: switching is not offered).
    opener: Option<AccountOpener>,
    /// The stores before any account was chosen: each account gets its own part of them.
    base_stores: Stores,
    /// The file work of accounts switched away from, finishing their queues.
    retired_files: Vec<tokio::task::JoinHandle<Result<(), String>>>,
    stores: Stores,
    files: FileWorker,
    /// Where `export.format` is remembered (`--config`, else the platform file).
    config_path: Option<PathBuf>,
    /// Whose pairs and lists the cache holds.
    account: CacheAccount,
    /// The `[notify]` sinks, when any is configured.
    notifications: Option<notify::NotifyWorker>,
}

impl Runner {
    pub(crate) fn new(
        client: Backend,
        poll: PollConfig,
        stores: Stores,
        config_path: Option<PathBuf>,
        account: CacheAccount,
        results: mpsc::UnboundedSender<Event>,
    ) -> Runner {
        let global = results;
        let gate = account::Gate::default();
        let results = gate.account_sender(&global);
        let base_stores = stores.clone();
        let stores = stores.for_account(&account);
        if let Some(notes) = client.http().credential_notes() {
            tokio::spawn(poll::tell_credential_notes(notes, results.clone()));
        }
        let poller = Poller::new(client.clone(), poll.clone(), results.clone());
        let files = FileWorker::start(stores.clone(), results.clone());
        Runner {
            client,
            poller,
            poll,
            results,
            global,
            gate,
            opener: None,
            base_stores,
            retired_files: Vec::new(),
            stores,
            files,
            config_path,
            account,
            notifications: None,
        }
    }

    /// Starts telling the `[notify]` sinks about the changes the reducer finds (nothing when
    /// none is configured). What was told is recorded beside the cache, shared with `watch`.
    pub(crate) fn start_notifications(&mut self, config: &crate::config::notify::NotifyConfig) {
        let announced = self
            .stores
            .cache
            .as_ref()
            .map(|store| store.dir().join(crate::notify::ANNOUNCED_FILE));
        self.notifications = notify::NotifyWorker::start(config, announced, self.global.clone());
    }

    /// Lets `:account` open other accounts through `opener`.
    pub(crate) fn with_opener(mut self, opener: Option<AccountOpener>) -> Runner {
        self.opener = opener;
        self
    }

    /// The account just opened takes over: a new poller with its client, its own files, and
    /// what earlier runs of it left on disk. The old account's file work finishes its queue
    /// (a draft saved just before the switch lands in the old account's file).
    fn switch_account(&mut self) {
        let Some(opened) = self.gate.take_opened() else {
            return;
        };
        let results = self.gate.account_sender(&self.global);
        if let Some(notes) = opened.client.http().credential_notes() {
            tokio::spawn(poll::tell_credential_notes(notes, results.clone()));
        }
        let stores = self.base_stores.clone().for_account(&opened.account);
        self.poller = Poller::new(opened.client.clone(), self.poll.clone(), results.clone());
        let files = FileWorker::start(stores.clone(), results.clone());
        let old = std::mem::replace(&mut self.files, files);
        self.retired_files
            .push(tokio::spawn(old.finish(FINISH_LIMIT)));
        self.client = opened.client;
        self.account = opened.account;
        self.stores = stores;
        self.results = results;
        tracing::info!(label = %opened.label, "account switched");
        self.read_local_state();
    }

    /// What earlier runs left on disk: the transition history, the wizard's draft and the
    /// submissions that got no answer. They arrive as events.
    pub(crate) fn read_local_state(&self) {
        self.files.queue(FileJob::LoadHistory);
        self.files.queue(FileJob::LoadLocalState);
        self.files
            .queue(FileJob::LoadCertificates(self.account.clone()));
    }

    pub(crate) fn run(&mut self, effect: Effect) {
        match effect {
            Effect::DiscoverPairs => {
                tokio::spawn(poll::discover_pairs(
                    self.client.clone(),
                    self.results.clone(),
                ));
            }
            Effect::LoadCachedPairs => self.files.queue(FileJob::LoadPairs(self.account.clone())),
            Effect::SavePairs { pairs, fetched_at } => self.files.queue(FileJob::SavePairs {
                account: self.account.clone(),
                pairs,
                fetched_at,
            }),
            // One job per pair: the first list is on screen without waiting for the others.
            Effect::LoadCache(pairs) => {
                for pair in pairs {
                    self.files.queue(FileJob::LoadCache(vec![pair]));
                }
            }
            Effect::Watch(pairs) => self.poller.watch(&pairs),
            Effect::WatchDetail(target) => self.poller.watch_detail(target),
            Effect::RefreshNow => self.poller.refresh_now(),
            Effect::ReadListWhole(pair) => self.poller.read_list_whole(&pair),
            Effect::ForgetListItems { pair, ids } => self.poller.forget_list_items(&pair, &ids),
            Effect::SetPaused(paused) => self.poller.set_paused(paused),
            Effect::SaveCache {
                pair,
                fetched_at,
                requests,
            } => self.files.queue(FileJob::SaveCache {
                pair,
                fetched_at,
                requests,
            }),
            Effect::Free(requests) => {
                tokio::task::spawn_blocking(move || drop(requests));
            }
            Effect::AppendJournal(transitions) => {
                self.files.queue(FileJob::AppendJournal(transitions))
            }
            Effect::Submit(submission) => {
                let client = self.client.clone();
                let journal = self.stores.submissions.clone();
                let results = self.results.clone();
                tokio::spawn(async move {
                    let (outcome, unresolved) =
                        submit::submit_journaled(&client, journal, &submission).await;
                    if let Some(unresolved) = unresolved {
                        let _ = results.send(Event::SubmissionUnresolved(unresolved));
                    }
                    let _ = results.send(Event::Submitted {
                        pair: submission.pair,
                        outcome,
                    });
                });
            }
            Effect::SaveDraft(draft) => self.files.queue(FileJob::SaveDraft(draft)),
            Effect::DiscardDraft => self.files.queue(FileJob::DiscardDraft),
            Effect::RecordReconciled(matches) => {
                self.files.queue(FileJob::RecordReconciled(matches))
            }
            Effect::Export(job) => self.run_export(job),
            Effect::PlanCpsCreate(create) => {
                cps_orders::plan_create(&self.client, create, &self.results)
            }
            Effect::CreateCps(create) => cps_orders::create(
                self.client.clone(),
                self.stores.submissions.clone(),
                create,
                self.results.clone(),
            ),
            Effect::PlanCps(job) => {
                cps_orders::plan(self.client.clone(), job, self.results.clone())
            }
            Effect::SendCps(send) => cps_orders::send(
                self.client.clone(),
                self.stores.submissions.clone(),
                send,
                self.results.clone(),
            ),
            Effect::CheckInBackground { requests, check } => {
                export::check_in_background(requests, &check, &self.results)
            }
            Effect::ProbeServed {
                targets,
                served: config,
                check_nameserver,
                origin,
            } => served::probe_all(
                targets,
                &config,
                check_nameserver.as_deref(),
                origin,
                &self.results,
            ),
            Effect::ReadCertificate(enrollment_id) => {
                cps::read(self.client.clone(), enrollment_id, self.results.clone())
            }
            Effect::SaveCertificates(records) => self.files.queue(FileJob::SaveCertificates {
                account: self.account.clone(),
                records,
            }),
            Effect::Notify(events) => {
                if let Some(worker) = &self.notifications {
                    worker.tell(events);
                }
            }
            Effect::Bell => {
                let mut stdout = std::io::stdout();
                let _ = stdout.write_all(b"\x07");
                let _ = stdout.flush();
            }
            Effect::DemoServe { domain } => {
                let base_url = self.client.http().base_url();
                let results = self.results.clone();
                tokio::spawn(async move {
                    let outcome = crate::sim::control::mark_served(&base_url, &domain).await;
                    let _ = results.send(Event::DemoServed(outcome));
                });
            }
            Effect::OpenAccount(choice) => account::open(
                self.opener.clone(),
                choice,
                self.gate.clone(),
                self.global.clone(),
            ),
            Effect::SwitchAccount => self.switch_account(),
            Effect::Quit => {}
        }
    }

    fn run_export(&mut self, job: ExportJob) {
        match job {
            ExportJob::Copy {
                request,
                scope,
                format,
                clipboard,
            } => export::copy(&request, &scope, format, &clipboard, &self.results),
            ExportJob::Check {
                request,
                scope,
                check,
            } => export::check(*request, scope, &check, &self.results),
            ExportJob::CopyText {
                text,
                what,
                clipboard,
            } => export::copy_text(&text, &what, &clipboard, &self.results),
            file_work => self.files.queue(FileJob::Export {
                job: file_work,
                config_path: self.config_path.clone(),
            }),
        }
    }

    /// Stops polling and finishes the queued file work; an error says what may be lost.
    pub(crate) async fn finish(self) -> Result<(), String> {
        drop(self.poller);
        let told = match self.notifications {
            Some(worker) => worker.finish(FINISH_LIMIT).await,
            None => Ok(()),
        };
        let mut written = self.files.finish(FINISH_LIMIT).await;
        for retired in self.retired_files {
            let finished = retired
                .await
                .unwrap_or_else(|error| Err(format!("the file task failed: {error}")));
            written = written.and(finished);
        }
        written.and(told)
    }
}

#[cfg(test)]
mod account_tests;
#[cfg(test)]
mod cps_tests;
#[cfg(test)]
mod start_tests;
#[cfg(test)]
mod tests;
