//! Terminal lifecycle and the one event loop (issue 4).
//!
//! One `tokio::select!` over the terminal's `EventStream`, the channel that brings results of
//! effects (poller, cache, submissions) back as events, a one-second tick and SIGTERM/SIGHUP.
//! Each event goes through the pure reducer; its effects run here, never on the render path.

use std::io::Write;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as TerminalEvent, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
    MouseEventKind,
};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::{App, Effect, Event, update};
use crate::commands::Context;
use crate::poll::Poller;
use crate::sps::SpsClient;
use crate::sps::model::{GroupContract, SpsRequest};
use crate::store::cache::CacheRead;
use crate::store::{Store, default_cache_dir};
use crate::ui;

/// Opens the dashboard and runs until the operator quits; the terminal is restored on every
/// exit path (ratatui's panic hook restores it on panics; it wraps color-eyre's, installed
/// first in `main`).
pub async fn run(context: Context) -> color_eyre::Result<()> {
    let Context {
        mut config,
        client,
        demo,
        label,
        global,
        warnings,
    } = context;
    // Keep the simulator (demo mode) alive as long as the dashboard.
    let _demo = demo;
    config.read_only |= global.read_only;
    let mouse = config.ui.mouse;
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(config, label, Utc::now(), size);
    app.no_color = !ui::theme::Theme::from_env().color;
    // Already printed on stderr, which the alternate screen hides: keep them reachable (E).
    for warning in warnings {
        app.record_error("start".to_string(), warning.clone());
        app.flash(warning, crate::app::Level::Warning);
    }

    install_panic_cleanup(mouse);
    let mut terminal = ratatui::try_init().map_err(|error| {
        // Undo whatever part of the set-up succeeded.
        ratatui::restore();
        color_eyre::eyre::eyre!(
            "the dashboard needs an interactive terminal ({error}); in scripts use the \
             one-shot commands, e.g. `spsdash list --contract C --group G`"
        )
    })?;
    let mut stdout = std::io::stdout();
    let _ = crossterm::execute!(stdout, EnableBracketedPaste);
    if mouse {
        let _ = crossterm::execute!(stdout, EnableMouseCapture);
    }
    let result = event_loop(&mut terminal, &mut app, client).await;
    let _ = crossterm::execute!(stdout, DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
    result
}

/// Bracketed paste and mouse capture are ours to undo: ratatui's hook only knows raw mode
/// and the alternate screen.
fn install_panic_cleanup(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let mut stdout = std::io::stdout();
        let _ = crossterm::execute!(stdout, DisableBracketedPaste);
        if mouse {
            let _ = crossterm::execute!(stdout, DisableMouseCapture);
        }
        previous(info);
    }));
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    client: SpsClient,
) -> color_eyre::Result<()> {
    let (results, mut incoming) = mpsc::unbounded_channel::<Event>();
    let mut runner = Runner::new(client, app.config.poll.clone(), results.clone());
    runner.load_history();
    for effect in app.start() {
        runner.run(effect);
    }
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut stop = StopSignals::new();
    terminal.draw(|frame| ui::render(frame, app))?;
    loop {
        let event = tokio::select! {
            terminal_event = keys.next() => match terminal_event {
                Some(Ok(terminal_event)) => translate(terminal_event),
                Some(Err(error)) => return Err(error.into()),
                None => return Ok(()),
            },
            Some(result) = incoming.recv() => Some(result),
            _ = tick.tick() => Some(Event::Tick(Utc::now())),
            _ = stop.recv() => return Ok(()),
        };
        let Some(event) = event else {
            continue;
        };
        for effect in update(app, event) {
            runner.run(effect);
        }
        // A burst of results (many pairs answering at once) costs one frame.
        while let Ok(result) = incoming.try_recv() {
            for effect in update(app, result) {
                runner.run(effect);
            }
        }
        if app.should_quit {
            return Ok(());
        }
        terminal.draw(|frame| ui::render(frame, app))?;
    }
}

fn translate(event: TerminalEvent) -> Option<Event> {
    match event {
        TerminalEvent::Key(key) if key.kind != KeyEventKind::Release => Some(Event::Key(key)),
        TerminalEvent::Paste(text) => Some(Event::Paste(text)),
        TerminalEvent::Resize(width, height) => Some(Event::Resize { width, height }),
        // Only with `ui.mouse = true`: the wheel scrolls like the arrow keys.
        TerminalEvent::Mouse(mouse) => {
            let code = match mouse.kind {
                MouseEventKind::ScrollUp => KeyCode::Up,
                MouseEventKind::ScrollDown => KeyCode::Down,
                _ => return None,
            };
            Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        }
        _ => None,
    }
}

/// SIGTERM and SIGHUP (the SSH session went away) end the loop like `q`, so the terminal is
/// restored.
struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn new() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            StopSignals {
                term: signal(SignalKind::terminate()).ok(),
                hangup: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            async fn wait(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                _ = wait(&mut self.term) => {}
                _ = wait(&mut self.hangup) => {}
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// File work, done in order on one thread so journal lines never interleave.
enum StoreJob {
    LoadHistory,
    LoadCache(Vec<GroupContract>),
    SaveCache {
        pair: GroupContract,
        fetched_at: chrono::DateTime<Utc>,
        requests: Vec<SpsRequest>,
    },
    AppendJournal(Vec<crate::app::Transition>),
}

/// Runs the reducer's effects; every result comes back through `results` as an event.
struct Runner {
    client: SpsClient,
    poller: Poller<SpsClient>,
    results: mpsc::UnboundedSender<Event>,
    store: Option<std_mpsc::Sender<StoreJob>>,
}

impl Runner {
    fn new(
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
        }
    }

    fn load_history(&self) {
        self.to_store(StoreJob::LoadHistory);
    }

    fn to_store(&self, job: StoreJob) {
        if let Some(store) = &self.store {
            let _ = store.send(job);
        }
    }

    fn run(&mut self, effect: Effect) {
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
                    let outcome = client
                        .submit(&submission.pair, submission.endpoint, &submission.form)
                        .await;
                    let _ = results.send(Event::Submitted {
                        pair: submission.pair,
                        outcome,
                    });
                });
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
            .save_list(&pair, fetched_at, requests)
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
                requests: Vec::new(),
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
