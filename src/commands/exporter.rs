//! `spsdash exporter [--listen ADDR]`: the dashboard's polling without the dashboard, as
//! Prometheus metrics on `GET /metrics` (issue 29, part 3).
//!
//! The calls are the dashboard's and `watch`'s, no more: the dashboard's poller lists each pair
//! on `[poll]`'s cadence and reads the pending changes at the account's pace (`metered.rs`
//! counts them on the way); after the first lists, every few hours, the certificates are read
//! as `watch` reads them (`background::certificates`: paced by `[cps] reads_per_minute`, and
//! not what the certificate cache read within `[expiry] refresh_hours`). Everything read fills
//! one state (`state.rs`); a scrape only renders it (`metrics.rs`, `serve.rs`), so scraping
//! never makes a call.
//!
//! SIGTERM or Ctrl-C ends it cleanly (exit 0). Exit 2: an address that does not parse or
//! cannot be listened on, or no cache directory.

pub mod metered;
pub mod metrics;
mod serve;
pub mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::Event;
use crate::cli::{ExporterArgs, PairFilter};
use crate::model::Scope;
use crate::poll::Poller;
use crate::store::{Store, Stores};

use super::background::certificates::{CertificateCache, CertificateReads, READ_EVERY};
use super::background::{pairs, stop_signal};
use super::output::warn;
use super::{CommandError, CommandResult, Context, Exit};
use metered::{Metered, Shared, lock};
use state::MetricsState;

pub async fn run(context: &Context, args: ExporterArgs) -> CommandResult {
    let listen = match &args.listen {
        Some(text) => parse_listen("--listen", text)?,
        None => parse_listen("[exporter] listen", &context.config.exporter.listen)?,
    };
    let filter = PairFilter {
        contract: args.contract.clone(),
        group: args.group.clone(),
    };
    let store = context
        .stores()
        .cache
        .ok_or_else(|| CommandError::usage(Stores::missing_cache_warning()))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|error| {
            CommandError::usage(format!(
                "cannot listen on {listen}: {error} (another exporter on that port? choose \
                 another with --listen)"
            ))
        })?;
    let pairs = pairs(context, &filter).await?;
    let account = super::context::section_in_use(&context.global);
    let shared: Shared = Arc::new(Mutex::new(MetricsState::new(account, context.api())));
    let mut stop = stop_signal();
    let server = {
        let mut stop = stop.clone();
        let app = serve::router(Arc::clone(&shared));
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stopping| *stopping).await;
                })
                .await
        })
    };
    let bound = listener_note(listen);
    tracing::info!("{bound}");
    warn(&bound);

    let (events, mut received) = mpsc::unbounded_channel();
    let source = Metered {
        backend: context.client.clone(),
        state: Arc::clone(&shared),
    };
    let mut poller = Poller::new(source, context.config.poll.clone(), events);
    poller.watch(&pairs);
    let (lists_in, mut first_lists) = tokio::sync::watch::channel(false);
    let apply = async {
        let mut listed: std::collections::HashSet<Scope> = std::collections::HashSet::new();
        while let Some(event) = received.recv().await {
            if let Some(pair) = apply(&shared, event) {
                listed.insert(pair);
                if listed.len() >= pairs.len() {
                    lists_in.send_replace(true);
                }
            }
        }
    };
    let mut rounds_stop = stop.clone();
    let rounds = certificate_rounds(
        context,
        (&store, &pairs, &shared),
        &mut first_lists,
        &mut rounds_stop,
    );
    tokio::select! {
        () = apply => {}
        () = rounds => {}
        _ = stop.wait_for(|stopping| *stopping) => {}
    }
    drop(poller);
    // The server saw the same stop; a scrape in flight gets its answer first.
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    Ok(Exit::Success)
}

/// `text` as an address to listen on, or a usage error naming where it came from.
pub fn parse_listen(source: &str, text: &str) -> Result<SocketAddr, CommandError> {
    text.trim().parse().map_err(|_| {
        CommandError::usage(format!(
            "{source} = \"{}\": not an address and port to listen on, such as 127.0.0.1:9464 \
             or [::1]:9464",
            crate::text::brief(text)
        ))
    })
}

fn listener_note(listen: SocketAddr) -> String {
    let open = if listen.ip().is_loopback() {
        ""
    } else {
        " (not loopback: /metrics has no authentication, anyone who reaches the port reads it)"
    };
    format!("serving the metrics on http://{listen}/metrics{open}")
}

/// One poller event into the state; the pair whose list came back, if one did.
fn apply(shared: &Shared, event: Event) -> Option<Scope> {
    match event {
        Event::ListLoaded {
            pair, at, outcome, ..
        } => {
            let mut state = lock(shared);
            state.poller.polls += 1;
            if let Ok(list) = outcome {
                state.list_arrived(&pair, list.requests(), |at| list.is_unread(at), at);
            }
            Some(pair)
        }
        Event::RequestRead {
            pair,
            at,
            outcome: Ok(request),
            ..
        } => {
            lock(shared).change_read(&pair, &request, at);
            None
        }
        _ => None,
    }
}

/// After the first lists, a round of certificate reads every [`READ_EVERY`], as `watch` does.
async fn certificate_rounds(
    context: &Context,
    (store, pairs, shared): (&Store, &[Scope], &Shared),
    first_lists: &mut tokio::sync::watch::Receiver<bool>,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) {
    {
        let _ = first_lists.wait_for(|listed| *listed).await;
        let reads = CertificateReads {
            client: &context.client,
            cache: CertificateCache {
                store,
                account: context.cache_account(),
                refresh: chrono::Duration::seconds(context.config.expiry.refresh_secs()),
            },
            pacer: context.client.cps_reads().pacer(),
            pairs,
        };
        loop {
            lock(shared).poller.certificate_rounds += 1;
            let round = reads
                .round(stop, &mut |_, rows| lock(shared).certificates_read(rows))
                .await;
            {
                let mut state = lock(shared);
                state.poller.certificate_reads += round.read as u64;
                state.poller.certificate_failures += round.failures as u64;
            }
            for problem in &round.problems {
                tracing::warn!("{problem}");
                warn(problem);
            }
            if round.stopped {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(READ_EVERY) => {}
                _ = stop.wait_for(|stopping| *stopping) => return,
            }
        }
    }
}
