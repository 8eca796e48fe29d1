//! `spsdash exporter [--listen ADDR]`: the dashboard's polling without the dashboard, as
//! Prometheus metrics on `GET /metrics` (issue 29, part 3).
//!
//! The calls are the dashboard's and `watch`'s, no more: the dashboard's poller lists each pair
//! on `[poll]`'s cadence and reads the pending changes at the account's pace (`metered.rs`
//! counts them on the way); after the first lists, every few hours, the certificates are read
//! as `watch` reads them (`background::certificates`: paced by `[cps] reads_per_minute`, and
//! not what the certificate cache read within `[expiry] refresh_hours`), each row published as
//! soon as it is read. Everything read fills one state (`state.rs`); a scrape only renders it
//! (`metrics.rs`, `serve.rs`), so scraping never makes a call.
//!
//! Warm start: as each pair's first list comes back, its enrollments' expiries are taken from
//! the certificate cache the dashboard and `watch` keep, so `/metrics` has them at once rather
//! than after the first round of reads (10,000 paced reads at 10,000 enrollments).
//!
//! With `[served] auto = true` (CPS), the served-certificate probe runs from the certificate
//! facts already read (the cache's digests of the deployed certificates: no API call): a
//! first round as soon as facts are known (the warm start, else the first round of reads),
//! then one every `[served] interval`, one enrollment at a time (`[served] concurrency`
//! handshakes at once), each network with a deployed certificate.
//!
//! SIGTERM or Ctrl-C ends it cleanly (exit 0). Exit 2: an address that does not parse or
//! cannot be listened on, or no cache directory.

pub mod metered;
pub mod metrics;
mod serve;
pub mod state;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::Event;
use crate::cli::{ExporterArgs, PairFilter};
use crate::model::served::Outcome;
use crate::model::{Api, CertificateRecord, Network, Scope};
use crate::poll::Poller;
use crate::store::{Store, Stores};

use super::background::certificates::{CertificateCache, CertificateReads, READ_EVERY};
use super::background::{pairs, stop_signal};
use super::cert_survey::{CertificateRow, recalled_row};
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
    // Certificate facts are known (the warm start's, or the first round of reads'): the
    // served probe may begin.
    let (facts_in, mut facts_known) = tokio::sync::watch::channel(false);
    let mut warm = Some(warm_records(&store, context));
    let apply = async {
        let mut listed: std::collections::HashSet<Scope> = std::collections::HashSet::new();
        while let Some(event) = received.recv().await {
            if let Some(pair) = apply(&shared, event, warm.as_ref(), context.api()) {
                listed.insert(pair);
                if listed.len() >= pairs.len() && warm.take().is_some() {
                    if !lock(&shared).certificates.is_empty() {
                        facts_in.send_replace(true);
                    }
                    lists_in.send_replace(true);
                }
            }
        }
    };
    let mut rounds_stop = stop.clone();
    let rounds = certificate_rounds(
        context,
        (&store, &pairs, &shared),
        (&mut first_lists, &facts_in),
        &mut rounds_stop,
    );
    let mut served_stop = stop.clone();
    let served = served_rounds(
        context,
        (&store, &shared),
        &mut facts_known,
        &mut served_stop,
    );
    tokio::pin!(rounds);
    let rounds_ended = tokio::select! {
        () = &mut rounds => true,
        () = served => false,
        () = apply => false,
        _ = stop.wait_for(|stopping| *stopping) => false,
    };
    // On a stop, a round of reads under way caches what it read before it ends: it is let
    // end rather than dropped (it sees the same stop; the limit is only a guard).
    if !rounds_ended {
        let _ = tokio::time::timeout(Duration::from_secs(10), rounds).await;
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

/// The certificate cache's records, by enrollment, for the warm start (empty when there is
/// none, or it does not read: the rounds of reads say why).
fn warm_records(store: &Store, context: &Context) -> HashMap<u64, CertificateRecord> {
    store
        .load_certificates(&context.cache_account())
        .unwrap_or_default()
        .into_iter()
        .filter(|record| record.facts.is_some())
        .map(|record| (record.enrollment_id, record))
        .collect()
}

/// One poller event into the state; the pair whose list came back, if one did. Until every
/// pair has been listed once, `warm` (the certificate cache) tells the listed enrollments'
/// expiries that no read has told yet.
fn apply(
    shared: &Shared,
    event: Event,
    warm: Option<&HashMap<u64, CertificateRecord>>,
    api: Api,
) -> Option<Scope> {
    match event {
        Event::ListLoaded {
            pair, at, outcome, ..
        } => {
            let mut state = lock(shared);
            state.poller.polls += 1;
            if let Ok(list) = outcome {
                state.list_arrived(&pair, list.requests(), |at| list.is_unread(at), at);
                if let Some(warm) = warm.filter(|warm| !warm.is_empty()) {
                    let rows: Vec<CertificateRow> = list
                        .requests()
                        .iter()
                        .filter_map(|request| match api {
                            Api::Cps => Some(request.id),
                            Api::Sps => request.enrollment_id,
                        })
                        .filter(|id| !state.certificates.contains_key(id))
                        .filter_map(|id| warm.get(&id))
                        .map(|record| recalled_row(record, &pair.contract_id, at))
                        .collect();
                    state.certificates_read(&rows);
                }
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

/// After the first lists, a round of certificate reads every [`READ_EVERY`], as `watch` does;
/// `facts_in` turns true when the first round ends.
async fn certificate_rounds(
    context: &Context,
    (store, pairs, shared): (&Store, &[Scope], &Shared),
    (first_lists, facts_in): (
        &mut tokio::sync::watch::Receiver<bool>,
        &tokio::sync::watch::Sender<bool>,
    ),
    stop: &mut tokio::sync::watch::Receiver<bool>,
) {
    {
        tokio::select! {
            _ = first_lists.wait_for(|listed| *listed) => {}
            _ = stop.wait_for(|stopping| *stopping) => return,
        }
        let each_row =
            |row: &CertificateRow| lock(shared).certificates_read(std::slice::from_ref(row));
        let reads = CertificateReads {
            client: &context.client,
            cache: CertificateCache {
                store,
                account: context.cache_account(),
                refresh: chrono::Duration::seconds(context.config.expiry.refresh_secs()),
            },
            pacer: context.client.cps_reads().pacer(),
            pairs,
            each_row: Some(&each_row),
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
            facts_in.send_replace(true);
            tokio::select! {
                () = tokio::time::sleep(READ_EVERY) => {}
                _ = stop.wait_for(|stopping| *stopping) => return,
            }
        }
    }
}

/// With `[served] auto` on CPS: once certificate facts are known, a round of probes, then one
/// every `[served] interval`; never ends by itself (a stop ends it).
async fn served_rounds(
    context: &Context,
    (store, shared): (&Store, &Shared),
    facts_known: &mut tokio::sync::watch::Receiver<bool>,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) {
    let config = &context.config.served;
    if !config.auto || context.api() != Api::Cps {
        return std::future::pending().await;
    }
    let options =
        match super::served::probe_options(&context.config, None, None, Network::ALL.to_vec()) {
            Ok(options) => options,
            Err(error) => {
                let line = format!("the served certificates are not probed: {}", error.message);
                tracing::warn!("{line}");
                warn(&line);
                return std::future::pending().await;
            }
        };
    let _ = facts_known.wait_for(|known| *known).await;
    let interval = Duration::from_secs(config.interval);
    let account = context.cache_account();
    loop {
        let targets = served_targets(store, &account, shared);
        let probed: std::collections::HashSet<u64> =
            targets.iter().map(|target| target.enrollment_id).collect();
        lock(shared).served_round(&probed);
        for target in &targets {
            let mut options = options.clone();
            options.networks = Network::ALL
                .into_iter()
                .filter(|network| match network {
                    Network::Production => target.production.deployed.is_some(),
                    Network::Staging => target.staging.deployed.is_some(),
                })
                .collect();
            let report = tokio::select! {
                report = crate::served::probe(target, &options) => report,
                _ = stop.wait_for(|stopping| *stopping) => return,
            };
            let found: Vec<(Network, Option<bool>)> = options
                .networks
                .iter()
                .filter_map(|&network| match report.outcome(Some(network)) {
                    Outcome::Matches => Some((network, Some(true))),
                    Outcome::Mismatch => Some((network, Some(false))),
                    Outcome::CouldNotFindOut => Some((network, None)),
                    Outcome::NotProbed => None,
                })
                .collect();
            lock(shared).served_probed(target.enrollment_id, &found, report.probed_at);
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// What to probe: the enrollments the exporter has certificates of, from the certificate
/// cache's facts (read from disk each round rather than kept in memory between rounds).
fn served_targets(
    store: &Store,
    account: &crate::store::CacheAccount,
    shared: &Shared,
) -> Vec<crate::served::ProbeTarget> {
    let records = store.load_certificates(account).unwrap_or_else(|problem| {
        tracing::warn!("{problem}");
        warn(&problem);
        Vec::new()
    });
    let state = lock(shared);
    records
        .iter()
        .filter(|record| state.certificates.contains_key(&record.enrollment_id))
        .filter_map(|record| {
            let facts = record.facts.as_ref()?;
            let awaiting = state.awaits_change_management(record.enrollment_id);
            crate::served::target::target_from_facts(facts, awaiting)
        })
        .collect()
}
