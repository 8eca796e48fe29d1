//! `spsdash watch [--once]`: the dashboard's polling without the dashboard, for systemd, cron
//! and pipelines. Each status change (of a request, or of one of its domains) becomes one JSON
//! line on stdout (NDJSON: time, pair, spsId, from, to, and domain for a domain's change), goes
//! to the same journal the dashboard keeps, and is offered to the configured notifications.
//!
//! The journal, the cached lists and the submissions journal are the account's (the section and
//! account switch key in use, `Context::stores`), the same files the dashboard keeps for it.
//!
//! Changes are found against the cached list the dashboard also keeps, so `--once` prints what
//! changed since the last run (a pair seen for the first time has no "before": nothing is
//! news yet). SIGTERM or Ctrl-C ends the loop cleanly, after sending what is queued; during
//! the certificate reads (of the loop or of `--once`), it ends them at once.
//! The submissions journal is reconciled against each fresh list like the dashboard does (a
//! lost submission found is told accepted; one lists keep missing is told lost), and every few
//! hours the certificates behind the requests are read from CPS, each told once per expiry
//! band it enters (`watch/certs.rs`).
//! Exit codes: 0; 1 the API refused a call (403…); 2 usage or config; 3 the network failed
//! (with `--once`; the loop itself never exits for that).

use std::io::IsTerminal;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use std::time::Instant;

use crate::cli::WatchArgs;
use crate::model::transition::{Transition, diff};
use crate::model::{CertRequest, Scope};
use crate::notify::{
    ANNOUNCED_FILE, Notifier, OutageWatch, Outcome, TerminalCaps, TerminalWriter, events_for,
};
use crate::poll::{Cadence, Finished, PollState};
use crate::store::cache::CacheRead;
use crate::store::{Store, Stores};

use crate::store::submissions::SubmissionJournal;

mod certs;
mod submissions;

use super::background::certificates::{CertificateCache, CertificateReads, READ_EVERY};
use super::background::{pairs, stop_signal};
use super::output::{print_json_lines, warn};
use super::{CommandError, CommandResult, Context, Exit};

/// One pair being watched: its schedule, what was seen last, and whether its calls fail.
struct Watched {
    pair: Scope,
    schedule: PollState,
    outage: OutageWatch,
    /// The last list (after the first poll); before it, the cached list is the baseline.
    last: Option<Vec<CertRequest>>,
}

pub async fn run(context: &Context, args: WatchArgs) -> CommandResult {
    let filter = crate::cli::PairFilter {
        contract: args.contract.clone(),
        group: args.group.clone(),
    };
    let pairs = pairs(context, &filter).await?;
    let stores = context.stores();
    let journal = stores.submissions;
    let store = stores
        .cache
        .ok_or_else(|| CommandError::usage(Stores::missing_cache_warning()))?;
    let config = &context.config;
    // Terminal notifications go to stderr, and only when it is a terminal: under systemd or
    // cron they would be escape sequences in a log.
    let terminal: Option<TerminalWriter> = if std::io::stderr().is_terminal() {
        Some(Box::new(std::io::stderr()))
    } else {
        if config.notify.terminal {
            warn_all(&[
                "[notify] terminal is on, but stderr is not a terminal: no terminal \
                        notifications from this run"
                    .to_string(),
            ]);
        }
        None
    };
    let (mut notifier, warnings) = Notifier::new(
        &config.notify,
        terminal,
        TerminalCaps::detect(),
        Some(&store.dir().join(ANNOUNCED_FILE)),
    );
    warn_all(&warnings);
    let cadence = Cadence::for_lists(&config.poll);
    let bands = certs::Bands::from_config(config);
    let outage_after = Duration::from_secs(config.notify.api_failing_minutes.saturating_mul(60));
    let mut watched: Vec<Watched> = pairs
        .iter()
        .cloned()
        .map(|pair| Watched {
            schedule: PollState::new(cadence, Instant::now(), false),
            outage: OutageWatch::new(outage_after, Some(pair.clone())),
            pair,
            last: None,
        })
        .collect();

    let certificates = CertificateReads {
        client: &context.client,
        cache: CertificateCache {
            store: &store,
            account: context.cache_account(),
            refresh: chrono::Duration::seconds(config.expiry.refresh_secs()),
        },
        // The account's budget of reads per enrollment (`[cps] reads_per_minute`).
        pacer: context.client.cps_reads().pacer(),
        pairs: &pairs,
        each_row: None,
    };
    let mut stop = stop_signal();

    if args.once {
        let mut exit = Exit::Success;
        for pair in &mut watched {
            if let Err(error) = poll(context, (&store, journal.as_ref()), pair, &mut notifier).await
            {
                warn(&format!("{}: {}", pair.pair, error.message));
                exit = worse(exit, error.exit);
            }
        }
        let found = certs::round(&certificates, bands, &mut stop).await;
        notifier.offer(found.events, Utc::now());
        warn_all(&found.problems);
        if found.stopped {
            notifier.last_call(LAST_CALL);
        }
        report(&notifier.send_all().await);
        // This run ends here: what a sink did not take is not tried again.
        warn_all(&notifier.unsent());
        return Ok(exit);
    }

    notifier.stop_on(stop.clone());
    // After the first lists: the requests' changes are news first, certificates after.
    let mut certificates_due = Instant::now();
    loop {
        for pair in &mut watched {
            if !pair.schedule.should_start(Instant::now()) {
                continue;
            }
            pair.schedule.start();
            let finished =
                match poll(context, (&store, journal.as_ref()), pair, &mut notifier).await {
                    Ok(all_terminal) => Finished::Ok { all_terminal },
                    Err(error) => {
                        warn(&format!("{}: {}", pair.pair, error.message));
                        Finished::Failed
                    }
                };
            pair.schedule
                .finish(Instant::now(), finished, rand::random::<f64>());
        }
        if Instant::now() >= certificates_due {
            let found = certs::round(&certificates, bands, &mut stop).await;
            notifier.offer(found.events, Utc::now());
            warn_all(&found.problems);
            if found.stopped {
                break;
            }
            certificates_due = Instant::now() + READ_EVERY;
        }
        report(&notifier.send_ready(Utc::now()).await);
        let mut wake = watched
            .iter()
            .filter_map(|pair| pair.schedule.next_wake())
            .min()
            .unwrap_or_else(|| Instant::now() + cadence.idle)
            .min(certificates_due);
        if let Some(due) = notifier.next_due() {
            let until_due = (due - Utc::now()).to_std().unwrap_or_default();
            wake = wake.min(Instant::now() + until_due);
        }
        tokio::select! {
            () = tokio::time::sleep_until(wake.into()) => {}
            _ = stop.wait_for(|stopping| *stopping) => break,
        }
    }
    // One last attempt for what is queued, briefly: systemd's stop must not wait for every
    // retry of every event. What did not go is named on stderr.
    notifier.last_call(LAST_CALL);
    report(&notifier.send_all().await);
    let unsent = notifier.unsent();
    if !unsent.is_empty() {
        warn_all(&[format!(
            "stopping with {} notification{} not sent:",
            unsent.len(),
            if unsent.len() == 1 { "" } else { "s" }
        )]);
        warn_all(&unsent);
    }
    Ok(Exit::Success)
}

/// One poll of one pair: list, diff against what was seen, journal, print, notify. Returns
/// whether every request of the pair is terminal (which slows its schedule down).
async fn poll(
    context: &Context,
    (store, journal): (&Store, Option<&SubmissionJournal>),
    watched: &mut Watched,
    notifier: &mut Notifier,
) -> Result<bool, CommandError> {
    // Shared by the changes found in this poll.
    let pair = std::sync::Arc::new(watched.pair.clone());
    let previous = match watched.last.take() {
        Some(last) => last,
        None => match store.load_list(&pair) {
            CacheRead::Loaded(list) => list.requests,
            CacheRead::Missing => Vec::new(),
            CacheRead::SetAside(warning) => {
                warn_all(&[warning]);
                Vec::new()
            }
        },
    };
    let now = Utc::now();
    let requests = match context.client.list(&pair, None).await {
        Ok(listed) => {
            // Already inert and cut ("item 2 of the list (spsId -5) left out: …").
            warn_all(&listed.skipped);
            if listed.requests.is_empty() && !listed.skipped.is_empty() {
                // Nothing to compare: an empty list saved as "seen" would make every
                // request a first sight, never news, once it reads again.
                watched.last = Some(previous);
                return Err(CommandError::api(format!(
                    "all {} items of the list were left out (they did not read); nothing was \
                     compared or saved",
                    listed.skipped.len()
                )));
            }
            listed.requests
        }
        Err(error) => {
            watched.last = Some(previous);
            // "The CPS API has failed…" on a CPS account.
            if let Some(event) = watched.outage.failed(now, &error.to_string()) {
                notifier.offer([event.with_api(context.api())], now);
            }
            return Err(error.into());
        }
    };
    let recovered = watched.outage.succeeded(now);
    notifier.offer(recovered.map(|event| event.with_api(context.api())), now);
    let transitions = diff(&pair, &previous, &requests, now);
    let mut problems: Vec<String> = Vec::new();
    problems.extend(store.append_journal(&transitions).err());
    problems.extend(store.save_list(&pair, now, &requests).err());
    warn_all(&problems);
    let lines: Vec<String> = transitions.iter().map(ndjson_line).collect();
    print_json_lines(&lines)?;
    notifier.offer(events_for(&transitions, &requests), now);
    if let Some(journal) = journal {
        let (events, problem) = submissions::events(journal, &pair, &requests, now);
        notifier.offer(events, now);
        warn_all(&problem.into_iter().collect::<Vec<_>>());
    }
    let all_terminal = requests.iter().all(CertRequest::is_terminal);
    watched.last = Some(requests);
    Ok(all_terminal)
}

/// One transition as one JSON line (no newline).
pub fn ndjson_line(transition: &Transition) -> String {
    let mut line = json!({
        "time": transition.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "pair": {"contractId": transition.pair.contract_id},
        "id": transition.id,
        "from": transition.from,
        "to": transition.to,
    });
    // SPS's pairs have a group, CPS's contracts none: an SPS change keeps the `groupId` and
    // `spsId` lines always had.
    if let Some(group) = transition.pair.group() {
        line["pair"]["groupId"] = json!(group);
        line["spsId"] = json!(transition.id);
    }
    if let (Some(domain), Some(object)) = (&transition.domain, line.as_object_mut()) {
        object.insert("domain".to_string(), json!(domain));
    }
    line.to_string()
}

fn worse(a: Exit, b: Exit) -> Exit {
    let rank = |exit: Exit| match exit {
        Exit::Success => 0,
        Exit::Api => 1,
        Exit::Network => 2,
        Exit::Timeout => 3,
        Exit::Usage => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

fn report(outcome: &Outcome) {
    warn_all(&outcome.problems());
}

fn warn_all(lines: &[String]) {
    for line in lines {
        tracing::warn!("{line}");
        warn(line);
    }
}

/// How long the last flush after SIGTERM may take, all sinks and events together.
const LAST_CALL: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn transitions_become_json_lines_and_notable_ones_events() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let pair = std::sync::Arc::new(Scope::pair("C-1", "12345"));
        let old: Vec<CertRequest> = vec![
            crate::sps::neutral::from_json(
                json!({"spsId": 7, "status": "Pending", "dvStatus": [{"domain": "a.example.com", "status": "Pending"}]}),
            )
            .expect("fixture"),
        ];
        let new: Vec<CertRequest> = vec![crate::sps::neutral::from_json(
            json!({"spsId": 7, "status": "Awaiting User",
             "parameters": [{"name": "cnameHostname", "value": "shop.example.com"}],
             "dvStatus": [{"domain": "a.example.com", "status": "Invalid", "error": "DNS problem"}]}),
        )
        .expect("fixture")];
        let transitions = diff(&pair, &old, &new, at);
        let lines: Vec<String> = transitions.iter().map(ndjson_line).collect();
        assert_eq!(
            lines,
            vec![
                r#"{"from":"Pending","id":7,"pair":{"contractId":"C-1","groupId":"12345"},"spsId":7,"time":"2026-11-28T12:00:00Z","to":"Awaiting User"}"#,
                r#"{"domain":"a.example.com","from":"Pending","id":7,"pair":{"contractId":"C-1","groupId":"12345"},"spsId":7,"time":"2026-11-28T12:00:00Z","to":"Invalid"}"#,
            ]
        );
        let events = events_for(&transitions, &new);
        assert_eq!(events.len(), 2);
        assert!(
            events[0]
                .message
                .contains("(shop.example.com) waits for you: the Let's Encrypt challenges"),
            "{}",
            events[0].message
        );
        assert!(
            events[1].message.contains("DNS problem"),
            "{}",
            events[1].message
        );
    }
}
