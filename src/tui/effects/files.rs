//! The runner's file work, done in order on one task (so journal lines never interleave and a
//! save is never overtaken by an older one), each job on the blocking pool. Every result or
//! problem comes back as an event; on quit the queue is drained before the terminal is
//! restored.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::wizard::WizardDraft;
use crate::app::{ArrivedList, Event, ExportJob, LocalState};
use crate::export::{Delivered, remember_format, write_challenges, write_rules};
use crate::model::transition::Transition;
use crate::model::{CertRequest, NamedScope, Scope};
use crate::sps::submission::{Submission, SubmissionOutcome};
use crate::store::cache::CacheRead;
use crate::store::{CacheAccount, Stores};

/// One piece of file work.
#[derive(Debug)]
pub(crate) enum FileJob {
    LoadHistory,
    LoadLocalState,
    LoadCache(Vec<Scope>),
    /// The pairs an earlier run of this account discovered.
    LoadPairs(CacheAccount),
    SavePairs {
        account: CacheAccount,
        pairs: Vec<NamedScope>,
        fetched_at: DateTime<Utc>,
    },
    SaveCache {
        pair: Scope,
        fetched_at: DateTime<Utc>,
        requests: std::sync::Arc<Vec<CertRequest>>,
    },
    AppendJournal(Vec<Transition>),
    SaveDraft(WizardDraft),
    DiscardDraft,
    /// Lost submissions found in a list: `(journal id, spsId)`.
    RecordReconciled(Vec<(String, u64)>),
    /// The CPS facts an earlier run of this account read.
    LoadCertificates(CacheAccount),
    SaveCertificates {
        account: CacheAccount,
        records: Vec<crate::model::CertificateRecord>,
    },
    /// The file exports (rules to a file, challenge files, the remembered format), as the
    /// reducer asked for them; `config_path` is where the format is remembered.
    Export {
        job: ExportJob,
        config_path: Option<PathBuf>,
    },
}

/// The queue of file work and the task that empties it.
pub(crate) struct FileWorker {
    jobs: Option<mpsc::UnboundedSender<FileJob>>,
    task: JoinHandle<()>,
}

impl FileWorker {
    pub(crate) fn start(stores: Stores, results: mpsc::UnboundedSender<Event>) -> FileWorker {
        let (jobs, mut queue) = mpsc::unbounded_channel::<FileJob>();
        let task = tokio::spawn(async move {
            while let Some(job) = queue.recv().await {
                let stores = stores.clone();
                let events = tokio::task::spawn_blocking(move || job.run(&stores))
                    .await
                    .unwrap_or_else(|error| {
                        vec![Event::StoreWarning(format!("a file job failed: {error}"))]
                    });
                for event in events {
                    // The loop may be gone at quit; the work itself is what must finish.
                    let _ = results.send(event);
                }
            }
        });
        FileWorker {
            jobs: Some(jobs),
            task,
        }
    }

    pub(crate) fn queue(&self, job: FileJob) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Finishes every queued job (bounded, so a hung disk cannot keep the terminal raw).
    pub(crate) async fn finish(mut self, limit: std::time::Duration) -> Result<(), String> {
        self.jobs = None;
        match tokio::time::timeout(limit, &mut self.task).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(format!("the file task failed: {error}")),
            Err(_) => {
                self.task.abort();
                Err(format!(
                    "local files were still being written after {} s; some may be incomplete",
                    limit.as_secs()
                ))
            }
        }
    }
}

impl FileJob {
    /// Does the work (blocking); the events say what came of it.
    pub(crate) fn run(self, stores: &Stores) -> Vec<Event> {
        match self {
            FileJob::LoadHistory => match &stores.cache {
                Some(store) => {
                    let (transitions, warning) = store.load_journal();
                    let mut events = vec![Event::HistoryLoaded(transitions)];
                    events.extend(warning.map(Event::StoreWarning));
                    events
                }
                None => vec![Event::StoreWarning(Stores::missing_cache_warning())],
            },
            FileJob::LoadLocalState => vec![Event::LocalStateLoaded(load_local_state(stores))],
            FileJob::LoadCache(pairs) => {
                let Some(store) = &stores.cache else {
                    return Vec::new();
                };
                pairs
                    .into_iter()
                    .filter_map(|pair| match store.load_list(&pair) {
                        CacheRead::Missing => None,
                        CacheRead::Loaded(list) => {
                            // The open detail's request was saved whole; the list keeps its few.
                            Some(Event::CacheLoaded {
                                list: ArrivedList::read(&pair, list.requests),
                                pair,
                                fetched_at: list.fetched_at,
                            })
                        }
                        CacheRead::SetAside(message) => Some(Event::StoreWarning(message)),
                    })
                    .collect()
            }
            FileJob::LoadPairs(account) => match &stores.cache {
                Some(store) => match store.load_pairs(&account) {
                    Ok(Some(cached)) => vec![Event::PairsCached {
                        pairs: cached.pairs,
                        fetched_at: cached.fetched_at,
                    }],
                    Ok(None) => Vec::new(),
                    Err(message) => vec![Event::StoreWarning(message)],
                },
                None => Vec::new(),
            },
            FileJob::SavePairs {
                account,
                pairs,
                fetched_at,
            } => warning(stores.cache.as_ref().map_or(Ok(()), |store| {
                store.save_pairs(&account, fetched_at, &pairs)
            })),
            FileJob::SaveCache {
                pair,
                fetched_at,
                requests,
            } => warning(stores.cache.as_ref().map_or(Ok(()), |store| {
                store.save_list(&pair, fetched_at, &requests)
            })),
            FileJob::AppendJournal(transitions) => warning(
                stores
                    .cache
                    .as_ref()
                    .map_or(Ok(()), |store| store.append_journal(&transitions)),
            ),
            FileJob::SaveDraft(draft) => warning(save_draft(stores, &draft)),
            FileJob::DiscardDraft => warning(discard_draft(stores)),
            FileJob::RecordReconciled(matches) => warning(record_reconciled(stores, &matches)),
            FileJob::Export { job, config_path } => run_export(job, config_path),
            FileJob::LoadCertificates(account) => match &stores.cache {
                Some(store) => match store.load_certificates(&account) {
                    Ok(records) if records.is_empty() => Vec::new(),
                    Ok(records) => vec![Event::CertificatesLoaded(records)],
                    Err(message) => vec![Event::StoreWarning(message)],
                },
                None => Vec::new(),
            },
            FileJob::SaveCertificates { account, records } => warning(
                stores
                    .cache
                    .as_ref()
                    .map_or(Ok(()), |store| store.save_certificates(&account, &records)),
            ),
        }
    }
}

fn run_export(job: ExportJob, config_path: Option<PathBuf>) -> Vec<Event> {
    let delivered = match job {
        ExportJob::WriteRules {
            request,
            scope,
            format,
            path,
        } => write_rules(&request, &scope, format, &path, Utc::now()),
        ExportJob::WriteWebroot {
            request,
            scope,
            dir,
        } => write_challenges(&request, &scope, &dir),
        ExportJob::RememberFormat(format) => match config_path {
            // Silent on success: the copy's own flash line is what the operator reads.
            Some(path) => match remember_format(&path, format) {
                Ok(()) => return Vec::new(),
                Err(message) => Delivered::Failed(message),
            },
            None => Delivered::Failed(
                "no config directory is known; set export.format by hand".to_string(),
            ),
        },
        // Not file work: the runner sends these elsewhere.
        ExportJob::Copy { .. } | ExportJob::Check { .. } | ExportJob::CopyText { .. } => {
            return Vec::new();
        }
    };
    vec![Event::Exported(delivered)]
}

fn warning(outcome: Result<(), String>) -> Vec<Event> {
    outcome.err().map(Event::StoreWarning).into_iter().collect()
}

/// The draft to offer and the submissions that got no answer, read once at start.
fn load_local_state(stores: &Stores) -> LocalState {
    let mut state = LocalState::default();
    match stores
        .drafts
        .as_ref()
        .map(|store| store.load::<WizardDraft>())
    {
        Some(Ok(draft)) => state.draft = draft.filter(WizardDraft::is_current),
        Some(Err(message)) => state.warnings.push(message),
        None => state.warnings.push(Stores::missing_data_warning()),
    }
    match stores.submissions.as_ref().map(|journal| journal.entries()) {
        Some(Ok(entries)) => {
            state.unresolved = entries
                .into_iter()
                .filter(Submission::is_unresolved)
                .collect();
        }
        Some(Err(error)) => state.warnings.push(format!(
            "the submissions journal could not be read: {error}"
        )),
        None => {}
    }
    state
}

fn save_draft(stores: &Stores, draft: &WizardDraft) -> Result<(), String> {
    let store = stores
        .drafts
        .as_ref()
        .ok_or_else(Stores::missing_data_warning)?;
    store.save(draft).map_err(|error| {
        format!(
            "the draft could not be saved to {}: {error}",
            store.path().display()
        )
    })
}

fn discard_draft(stores: &Stores) -> Result<(), String> {
    match &stores.drafts {
        Some(store) => store.discard().map_err(|error| {
            format!(
                "the draft {} could not be removed: {error}",
                store.path().display()
            )
        }),
        None => Ok(()),
    }
}

fn record_reconciled(stores: &Stores, matches: &[(String, u64)]) -> Result<(), String> {
    let journal = stores
        .submissions
        .as_ref()
        .ok_or_else(Stores::missing_data_warning)?;
    for (journal_id, id) in matches {
        journal
            .complete(
                journal_id,
                SubmissionOutcome::Reconciled { sps_id: *id },
                Utc::now(),
            )
            .map_err(|error| format!("the submissions journal could not be written: {error}"))?;
    }
    Ok(())
}
