#![warn(missing_docs)]
//! Terminal lifecycle and the one event loop (issue 4).
//!
//! One `tokio::select!` over the terminal's `EventStream`, the channel that brings results of
//! effects (poller, cache, submissions) back as events, a one-second tick and SIGTERM/SIGHUP.
//! Each event goes through the pure reducer; its effects run here, never on the render path.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as TerminalEvent, EventStream, KeyEventKind,
};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::{App, Event, update};
use crate::config::Config;
use crate::sim::WorldClock;
use crate::source::Backend;
use crate::store::{CacheAccount, Stores};
use crate::ui;

mod effects;

use effects::Runner;

/// How long the loop waits, after the last list (or key while one is due), before it gives
/// the pages freed in the middle of the heap back (`memory::release_free_memory`). Every pair
/// is polled at once, so lists arrive in a burst; at 100,000 requests a trim after each of
/// them was 2 to 9 ms of the loop thread, a wait for a key pressed meanwhile (issue 12).
const TRIM_WHEN_QUIET: Duration = Duration::from_secs(2);

/// How long the loop goes on taking results that are already waiting before it draws (and
/// looks at the keyboard again): results that cost little (certificate reads, checks) share
/// a frame, and a key waits for at most this and one more result.
const BURST_BUDGET: Duration = Duration::from_millis(4);

pub use effects::{AccountOpener, OpenedAccount};

/// What the dashboard starts with, opened by `main` (credentials, config, the demo simulator).
pub struct Dashboard {
    /// The config, `read_only` already merged with `--read-only`.
    pub config: Config,
    /// Where `export.format` is remembered (`--config`, else the platform file).
    pub config_path: Option<std::path::PathBuf>,
    /// The signed client for the account (or the demo simulator).
    pub client: Backend,
    /// The API's own clock when it is not the wall's (the demo simulator's world).
    pub api_clock: Option<WorldClock>,
    /// Account/section, or DEMO.
    pub label: String,
    /// Problems already printed on stderr, which the alternate screen hides.
    pub warnings: Vec<String>,
    /// Where the dashboard's files live.
    pub stores: Stores,
    /// `--color always` (`Some(true)`) or `never` (`Some(false)`); `None` follows `NO_COLOR`.
    pub force_color: Option<bool>,
    /// Whose cached pairs and lists may be shown at start (section and account switch key).
    pub account: CacheAccount,
    /// Opens another `.edgerc` section for `:account` (`None` in the demo: nothing to open).
    pub opener: Option<AccountOpener>,
    /// The section names of the `.edgerc` in use, for `:account`'s Tab completion.
    pub sections: Vec<String>,
    /// Read-only from `--read-only` or the top-level `read_only`, before any
    /// `[accounts.<section>]`: every switch starts again from it.
    pub base_read_only: bool,
}

/// Opens the dashboard and runs until the operator quits; the terminal is restored on every
/// exit path (ratatui's panic hook restores it on panics; it wraps color-eyre's, installed
/// first in `main`).
pub async fn run(dashboard: Dashboard) -> color_eyre::Result<()> {
    let Dashboard {
        config,
        config_path,
        client,
        api_clock,
        label,
        warnings,
        stores,
        force_color,
        account,
        opener,
        sections,
        base_read_only,
    } = dashboard;
    let mouse = config.ui.mouse;
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let (palette, no_color, warnings) =
        ui::theme::choose(&config, config_path.as_deref(), force_color, warnings);
    let mut app = App::new(config, label, Utc::now(), size)
        .with_no_color(no_color)
        .with_palette(palette)
        .with_demo(api_clock.is_some())
        .with_start_warnings(warnings)
        .with_accounts(sections, base_read_only);
    app.api_target = Some(effects::api_target(&client));

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
    let (results, incoming) = mpsc::unbounded_channel::<Event>();
    let poll = app.config.poll.clone();
    let mut runner =
        Runner::new(client, poll, stores, config_path, account, results).with_opener(opener);
    runner.start_notifications(&app.config.notify);
    let result = event_loop(&mut terminal, &mut app, &mut runner, incoming, api_clock).await;
    // Queued writes (the draft, the journal) reach the disk before the terminal is given back.
    let finished = runner.finish().await;
    let _ = crossterm::execute!(stdout, DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
    if let Err(message) = finished {
        eprintln!("spsdash: {message}");
    }
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
    runner: &mut Runner,
    mut incoming: mpsc::UnboundedReceiver<Event>,
    api_clock: Option<WorldClock>,
) -> color_eyre::Result<()> {
    runner.read_local_state();
    for effect in app.start() {
        runner.run(effect);
    }
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut stop = StopSignals::new();
    let mut trim_due: Option<Instant> = None;
    terminal.draw(|frame| ui::render(frame, app))?;
    loop {
        let event = tokio::select! {
            // The operator first: a key pressed while results wait is answered before them.
            biased;
            terminal_event = keys.next() => match terminal_event {
                Some(Ok(terminal_event)) => translate(terminal_event),
                Some(Err(error)) => return Err(error.into()),
                None => return Ok(()),
            },
            Some(result) = incoming.recv() => Some(result),
            _ = tick.tick() => Some(Event::Tick(Utc::now())),
            _ = stop.recv() => return Ok(()),
            _ = tokio::time::sleep_until(trim_due.unwrap_or_else(Instant::now)), if trim_due.is_some() => {
                trim_due = None;
                crate::memory::release_free_memory();
                continue;
            }
        };
        let Some(event) = event else {
            continue;
        };
        let started = Instant::now();
        // A new list frees the previous one's pages in the middle of the heap; the operator's
        // input says they are there, and the trim waits for them too.
        let mut list_replaced = matches!(event, Event::ListLoaded { .. });
        let from_operator = matches!(
            event,
            Event::Key(_) | Event::Mouse(_) | Event::Paste(_) | Event::Resize { .. }
        );
        if let (Event::Tick(_), Some(clock)) = (&event, &api_clock) {
            for effect in update(app, Event::ApiClock(clock.now())) {
                runner.run(effect);
            }
        }
        for effect in update(app, event) {
            runner.run(effect);
        }
        // A burst of results (many pairs answering at once) costs one frame, up to a budget:
        // a key pressed meanwhile waits for the rest of the burst and the frame (at 100,000
        // requests a pair's list is 5 to 30 ms). The operator's own frame is drawn first.
        while !from_operator
            && started.elapsed() < BURST_BUDGET
            && let Ok(result) = incoming.try_recv()
        {
            list_replaced |= matches!(result, Event::ListLoaded { .. });
            for effect in update(app, result) {
                runner.run(effect);
            }
        }
        if app.should_quit {
            return Ok(());
        }
        terminal.draw(|frame| ui::render(frame, app))?;
        if list_replaced || (trim_due.is_some() && from_operator) {
            trim_due = Some(Instant::now() + TRIM_WHEN_QUIET);
        }
    }
}

fn translate(event: TerminalEvent) -> Option<Event> {
    match event {
        TerminalEvent::Key(key) if key.kind != KeyEventKind::Release => Some(Event::Key(key)),
        TerminalEvent::Paste(text) => Some(Event::Paste(text)),
        TerminalEvent::Resize(width, height) => Some(Event::Resize { width, height }),
        // Only with `ui.mouse = true` (capture is off otherwise): clicks and the wheel.
        TerminalEvent::Mouse(mouse) => Some(Event::Mouse(mouse)),
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
