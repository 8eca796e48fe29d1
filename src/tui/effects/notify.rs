//! The dashboard's notifications: one task owns the `Notifier` (the `[notify]` sinks), takes the
//! events the reducer finds, sends each group when its window has passed, and on quit sends
//! what is still waiting. Every failed delivery comes back as an `Event::NotifyFailed` line.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::Event;
use crate::config::notify::NotifyConfig;
use crate::notify::{Notifier, NotifyEvent, Outcome, TerminalCaps, TerminalWriter};

/// The queue of events to tell and the task that tells them.
pub(crate) struct NotifyWorker {
    events: Option<mpsc::UnboundedSender<Vec<NotifyEvent>>>,
    task: JoinHandle<()>,
}

impl NotifyWorker {
    /// `None` when `[notify]` has no sink; `announced` is the record of what was told.
    pub(crate) fn start(
        config: &NotifyConfig,
        announced: Option<PathBuf>,
        results: mpsc::UnboundedSender<Event>,
    ) -> Option<NotifyWorker> {
        if !config.any_sink() {
            return None;
        }
        // The bell and OSC sequences go to the dashboard's own terminal.
        let terminal: TerminalWriter = Box::new(std::io::stdout());
        let (mut notifier, warnings) = Notifier::new(
            config,
            Some(terminal),
            TerminalCaps::detect(),
            announced.as_deref(),
        );
        for warning in warnings {
            let _ = results.send(Event::NotifyFailed(warning));
        }
        let (events, mut queue) = mpsc::unbounded_channel::<Vec<NotifyEvent>>();
        let task = tokio::spawn(async move {
            loop {
                // A group already due (its window over, or none) waits zero, not the hour
                // meant for "nothing queued": a negative span does not convert.
                let wait = notifier
                    .next_due()
                    .map(|due| (due - Utc::now()).to_std().unwrap_or(Duration::ZERO))
                    .unwrap_or(Duration::from_secs(3600));
                tokio::select! {
                    received = queue.recv() => match received {
                        Some(batch) => {
                            notifier.offer(batch, Utc::now());
                        }
                        None => {
                            report(notifier.send_all().await, &results);
                            return;
                        }
                    },
                    _ = tokio::time::sleep(wait) => {
                        report(notifier.send_ready(Utc::now()).await, &results);
                    }
                }
            }
        });
        Some(NotifyWorker {
            events: Some(events),
            task,
        })
    }

    pub(crate) fn tell(&self, batch: Vec<NotifyEvent>) {
        if let Some(events) = &self.events {
            let _ = events.send(batch);
        }
    }

    /// Sends what is still waiting (bounded: a hung webhook cannot keep the terminal raw).
    pub(crate) async fn finish(mut self, limit: Duration) -> Result<(), String> {
        self.events = None;
        match tokio::time::timeout(limit, &mut self.task).await {
            Ok(_) => Ok(()),
            Err(_) => {
                self.task.abort();
                Err(format!(
                    "notifications were still being sent after {} s; some were not",
                    limit.as_secs()
                ))
            }
        }
    }
}

fn report(outcome: Outcome, results: &mpsc::UnboundedSender<Event>) {
    for problem in outcome.problems() {
        let _ = results.send(Event::NotifyFailed(problem));
    }
}
