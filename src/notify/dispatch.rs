//! The notifier: takes events, drops those already announced, groups bursts, and sends each
//! (grouped) event to the sinks its level is routed to. Every sink failure comes back as a
//! value in the outcome; nothing here panics or gives up on the next event.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::announced::Announced;
use super::command::{render_argv, run_command};
use super::event::{Level, NotifyEvent};
use super::group::Grouper;
use super::terminal::{TerminalCaps, notify_terminal};
use super::webhook;
use crate::config::notify::{NotifyConfig, SinkName};

/// One attempt to tell one event through one sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sink: SinkName,
    pub event_id: String,
    pub message: String,
    pub result: Result<(), String>,
}

/// What a round of sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The (grouped) events told, in order.
    pub events: Vec<NotifyEvent>,
    pub deliveries: Vec<Delivery>,
    /// Trouble with the announced record (the events were still sent).
    pub warnings: Vec<String>,
}

impl Outcome {
    /// One line per failed delivery or warning, for an error line or stderr.
    pub fn problems(&self) -> Vec<String> {
        let failed = self.deliveries.iter().filter_map(|delivery| {
            delivery
                .result
                .as_ref()
                .err()
                .map(|why| format!("notification by {} failed: {why}", delivery.sink.label()))
        });
        failed.chain(self.warnings.iter().cloned()).collect()
    }
}

/// Where a terminal notification is written (the dashboard's terminal, stderr…).
pub type TerminalWriter = Box<dyn Write + Send>;

pub struct Notifier {
    config: NotifyConfig,
    terminal: Option<TerminalWriter>,
    caps: TerminalCaps,
    http: Option<reqwest::Client>,
    announced: Option<Announced>,
    grouper: Grouper,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("config", &self.config)
            .field("terminal", &self.terminal.is_some())
            .finish_non_exhaustive()
    }
}

impl Notifier {
    /// `terminal` is used only when `[notify] terminal = true`; `announced` is the record's
    /// path (`None`: remember in memory only). Returns warnings to show once.
    pub fn new(
        config: &NotifyConfig,
        terminal: Option<TerminalWriter>,
        caps: TerminalCaps,
        announced: Option<&Path>,
    ) -> (Notifier, Vec<String>) {
        let mut warnings = Vec::new();
        let http = if config.webhook_url.is_empty() {
            None
        } else {
            match webhook::client(
                &config.webhook_url,
                Duration::from_secs(config.timeout_secs),
            ) {
                Ok(client) => Some(client),
                Err(error) => {
                    warnings.push(error);
                    None
                }
            }
        };
        let announced = announced.map(|path| {
            let (record, warning) = Announced::open(path);
            warnings.extend(warning);
            record
        });
        let notifier = Notifier {
            config: config.clone(),
            terminal: terminal.filter(|_| config.terminal),
            caps,
            http,
            announced,
            grouper: Grouper::new(Duration::from_secs(config.group_secs)),
        };
        (notifier, warnings)
    }

    /// The sinks events of `level` go to: routed there and configured.
    pub fn sinks_for(&self, level: Level) -> Vec<SinkName> {
        let routed = match level {
            Level::Info => &self.config.route.info,
            Level::Warn => &self.config.route.warn,
            Level::Error => &self.config.route.error,
        };
        let mut sinks: Vec<SinkName> = Vec::new();
        for sink in routed {
            let configured = match sink {
                SinkName::Terminal => self.terminal.is_some(),
                SinkName::Command => !self.config.command.is_empty(),
                SinkName::Webhook => self.http.is_some(),
            };
            if configured && !sinks.contains(sink) {
                sinks.push(*sink);
            }
        }
        sinks
    }

    /// Queues `events` seen at `now`, except those already announced or already waiting and
    /// those no sink takes. Returns how many were queued.
    pub fn offer(
        &mut self,
        events: impl IntoIterator<Item = NotifyEvent>,
        now: DateTime<Utc>,
    ) -> usize {
        let mut queued = 0;
        for event in events {
            let id = event.id().to_string();
            let known = self
                .announced
                .as_ref()
                .is_some_and(|record| record.contains(&id));
            if known || self.grouper.holds(&id) || self.sinks_for(event.level()).is_empty() {
                continue;
            }
            self.grouper.push(event, now);
            queued += 1;
        }
        queued
    }

    /// When the next queued group is due (for a loop's timer).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.grouper.next_due()
    }

    /// Sends the groups whose window has passed at `now`.
    pub async fn send_ready(&mut self, now: DateTime<Utc>) -> Outcome {
        let due = self.grouper.ready(now);
        self.send(due).await
    }

    /// Sends everything queued, due or not (after `--once`, at exit).
    pub async fn send_all(&mut self) -> Outcome {
        let all = self.grouper.flush();
        self.send(all).await
    }

    async fn send(&mut self, events: Vec<NotifyEvent>) -> Outcome {
        let mut outcome = Outcome::default();
        for event in events {
            let sinks = self.sinks_for(event.level());
            if sinks.contains(&SinkName::Terminal) {
                let result = match self.terminal.as_mut() {
                    Some(writer) => notify_terminal(writer.as_mut(), &event.message, self.caps),
                    None => Err("no terminal".to_string()),
                };
                outcome
                    .deliveries
                    .push(delivery(SinkName::Terminal, &event, result));
            }
            let command = async {
                if !sinks.contains(&SinkName::Command) {
                    return None;
                }
                let argv = render_argv(&self.config.command, &event);
                Some(run_command(&argv, Duration::from_secs(self.config.timeout_secs)).await)
            };
            let hook = async {
                let client = self
                    .http
                    .as_ref()
                    .filter(|_| sinks.contains(&SinkName::Webhook))?;
                let document = webhook::payload(&event, self.config.format);
                Some(
                    webhook::post(
                        client,
                        &self.config.webhook_url,
                        &document,
                        self.config.retries,
                    )
                    .await,
                )
            };
            let (command, hook) = tokio::join!(command, hook);
            if let Some(result) = command {
                outcome
                    .deliveries
                    .push(delivery(SinkName::Command, &event, result));
            }
            if let Some(result) = hook {
                outcome
                    .deliveries
                    .push(delivery(SinkName::Webhook, &event, result));
            }
            // Recorded even when a sink failed: the failure is reported now, and a receiver
            // that is down must not cause a flood of old news when it comes back.
            if let Some(record) = self.announced.as_mut()
                && let Err(error) = record.record(event.ids().iter().map(String::as_str))
                && !outcome.warnings.contains(&error)
            {
                outcome.warnings.push(error);
            }
            outcome.events.push(event);
        }
        outcome
    }
}

fn delivery(sink: SinkName, event: &NotifyEvent, result: Result<(), String>) -> Delivery {
    Delivery {
        sink,
        event_id: event.id().to_string(),
        message: event.message.clone(),
        result,
    }
}
