//! The notifier: takes events, drops those already announced, groups bursts, and sends each
//! (grouped) event to the sinks its level is routed to. Every sink failure comes back as a
//! value in the outcome; nothing here panics or gives up on the next event.
//!
//! An event is recorded as announced once every sink it is routed to delivered it (or said
//! no for good, a webhook's 4xx): recording it per sink would let a receiver that is down
//! miss it for ever, and recording it once *any* sink took it would do the same to the
//! others. A sink that failed keeps it owed (`pending`) and only that sink is tried again,
//! so the sinks that delivered are not told twice.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

use tokio::sync::watch;

use super::announced::Announced;
use super::command::{render_argv, run_command};
use super::event::{Level, NotifyEvent};
use super::group::Grouper;
use super::pending::{Owed, Pending};
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

    fn warn(&mut self, warning: Option<String>) {
        if let Some(warning) = warning
            && !self.warnings.contains(&warning)
        {
            self.warnings.push(warning);
        }
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
    /// Events a sink failed to take, waiting for a retry.
    pending: Pending,
    stop: Option<watch::Receiver<bool>>,
    last_call: Option<tokio::time::Instant>,
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
            pending: Pending::default(),
            stop: None,
            last_call: None,
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

    /// Queues `events` seen at `now`, except those already announced, already waiting (for
    /// their group or a retry) and those no sink takes. Returns how many were queued.
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
            if known
                || self.grouper.holds(&id)
                || self.pending.holds(&id)
                || self.sinks_for(event.level()).is_empty()
            {
                continue;
            }
            self.grouper.push(event, now);
            queued += 1;
        }
        queued
    }

    /// When the next queued group or retry is due (for a loop's timer).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        match (self.grouper.next_due(), self.pending.next_due()) {
            (Some(group), Some(retry)) => Some(group.min(retry)),
            (group, retry) => group.or(retry),
        }
    }

    /// Stops retrying when `stop` turns true (SIGTERM): a send under way is cut short and its
    /// event kept as not sent.
    pub fn stop_on(&mut self, stop: watch::Receiver<bool>) {
        self.stop = Some(stop);
    }

    /// From now on each sink gets one attempt, all of them together within `grace`; what is
    /// not delivered by then stays unsent (see [`Notifier::unsent`]). For the last flush
    /// before exit.
    pub fn last_call(&mut self, grace: Duration) {
        self.last_call = Some(tokio::time::Instant::now() + grace);
    }

    /// One line per event still owed to a sink, naming the sinks (for stderr at exit).
    pub fn unsent(&self) -> Vec<String> {
        self.pending
            .iter()
            .map(|owed| {
                let sinks: Vec<&str> = owed.sinks.iter().map(|sink| sink.label()).collect();
                format!(
                    "not sent by {}: {}",
                    sinks.join(", "),
                    crate::text::brief(&owed.event.message)
                )
            })
            .collect()
    }

    /// Sends the groups whose window has passed at `now`, and the retries due.
    pub async fn send_ready(&mut self, now: DateTime<Utc>) -> Outcome {
        let retries = self.pending.take_due(now);
        let due = self.grouper.ready(now);
        self.send(retries, due, now).await
    }

    /// Sends everything queued and every retry, due or not (after `--once`, at exit).
    pub async fn send_all(&mut self) -> Outcome {
        let retries = self.pending.take_all();
        let all = self.grouper.flush();
        self.send(retries, all, Utc::now()).await
    }

    async fn send(
        &mut self,
        retries: Vec<Owed>,
        fresh: Vec<NotifyEvent>,
        now: DateTime<Utc>,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let mut work: Vec<Owed> = retries;
        work.extend(fresh.into_iter().map(|event| Owed {
            sinks: self.sinks_for(event.level()),
            event,
            rounds: 0,
            due: now,
        }));
        // Claimed first, all together: another notifier on this account telling (or having
        // told) one of them keeps it; a retry renews its claim.
        if let Some(record) = self.announced.as_mut() {
            let ids: Vec<&[String]> = work.iter().map(|owed| owed.event.ids()).collect();
            let (mine, warning) = record.claim(&ids);
            outcome.warn(warning);
            let mut answers = mine.into_iter();
            work.retain(|_| answers.next().unwrap_or(true));
        }
        for owed in work {
            let owing = self.deliver(&owed, &mut outcome).await;
            if owing.is_empty() {
                if let Some(record) = self.announced.as_mut() {
                    let recorded = record.record(owed.event.ids().iter().map(String::as_str));
                    outcome.warn(recorded.err());
                }
            } else {
                let given_up = self
                    .pending
                    .keep(owed.event.clone(), owing, owed.rounds + 1, now);
                outcome.warn(given_up);
            }
            outcome.events.push(owed.event);
        }
        outcome
    }

    /// Tells `owed.event` through the sinks that owe it; returns those that failed and may
    /// take it later.
    async fn deliver(&mut self, owed: &Owed, outcome: &mut Outcome) -> Vec<SinkName> {
        let event = &owed.event;
        let sinks = &owed.sinks;
        let mut owing = Vec::new();
        if sinks.contains(&SinkName::Terminal) {
            let result = match self.terminal.as_mut() {
                Some(writer) => notify_terminal(writer.as_mut(), &event.message, self.caps),
                None => Err("no terminal".to_string()),
            };
            // A terminal that cannot be written now will not be later: not retried.
            outcome
                .deliveries
                .push(delivery(SinkName::Terminal, event, result));
        }
        let last_call = self.last_call;
        let retries = if last_call.is_some() {
            0
        } else {
            self.config.retries
        };
        let command = async {
            if !sinks.contains(&SinkName::Command) {
                return None;
            }
            let argv = render_argv(&self.config.command, event);
            Some(run_command(&argv, Duration::from_secs(self.config.timeout_secs)).await)
        };
        let hook = async {
            let client = self
                .http
                .as_ref()
                .filter(|_| sinks.contains(&SinkName::Webhook))?;
            let document = webhook::payload(event, self.config.format);
            Some(webhook::post(client, &self.config.webhook_url, &document, retries).await)
        };
        let stop = self.stop.clone();
        let sending = async { tokio::join!(command, hook) };
        let (command, hook) = tokio::select! {
            biased;
            () = cut_short(stop, last_call) => {
                let stopped = || "not sent: spsdash is stopping".to_string();
                (
                    sinks.contains(&SinkName::Command).then(|| Err(stopped())),
                    (sinks.contains(&SinkName::Webhook) && self.http.is_some()).then(|| {
                        Err(webhook::PostFailed { why: stopped(), lasting: false })
                    }),
                )
            }
            sent = sending => sent,
        };
        if let Some(result) = command {
            if result.is_err() {
                owing.push(SinkName::Command);
            }
            outcome
                .deliveries
                .push(delivery(SinkName::Command, event, result));
        }
        if let Some(result) = hook {
            if result.as_ref().is_err_and(|failed| !failed.lasting) {
                owing.push(SinkName::Webhook);
            }
            let result = result.map_err(|failed| failed.why);
            outcome
                .deliveries
                .push(delivery(SinkName::Webhook, event, result));
        }
        owing
    }
}

/// Ends when sending must stop: the stop signal turned true, or the last call's time is up.
/// Never, when neither is set.
async fn cut_short(stop: Option<watch::Receiver<bool>>, last_call: Option<tokio::time::Instant>) {
    match (stop, last_call) {
        (_, Some(deadline)) => tokio::time::sleep_until(deadline).await,
        (Some(mut stop), None) => {
            if stop.wait_for(|stopping| *stopping).await.is_err() {
                // The signal's sender is gone: nothing will stop this send.
                std::future::pending::<()>().await;
            }
        }
        (None, None) => std::future::pending::<()>().await,
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
