//! `wait E --until served`: until the production edge hostname serves the certificate CPS
//! deployed, for every name of the enrollment (SNI = the name, at the edge hostname's
//! addresses: the names themselves may not point at Akamai yet; a script switches their
//! CNAME once this returns). Each round reads the enrollment and its deployments (two to four
//! calls) and probes the edge, every `poll.active_secs`.
//!
//! Exit codes as `wait`'s: 0 served; 2 usage; 1 the API refused a call; 3 the API could not
//! be reached up to the timeout; 124 the timeout passed while the edge served something else.

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use tokio::time::Instant;

use crate::model::served::{NetworkServed, Outcome};
use crate::model::{Api, Network};
use crate::served::target::read_target;
use crate::served::{production_edge, through_edge};

use super::super::output::{one_line, print_json, warn};
use super::super::served::probe_options;
use super::super::{CommandError, CommandResult, Context, Exit};
use super::{Progress, humanize, is_transient, sleep_before_next_round};

pub async fn wait_served(
    context: &Context,
    id: u64,
    timeout: Option<Duration>,
    interval: Duration,
) -> CommandResult {
    if context.api() != Api::Cps {
        return Err(CommandError::usage(
            "--until served compares what the edge serves with CPS's deployments: run it \
             with --backend cps",
        ));
    }
    let options = probe_options(&context.config, None, None, vec![Network::Production])?;
    let cps = context.client.cps();
    let started = Instant::now();
    let deadline = timeout.map(|timeout| started + timeout);
    let mut progress = Progress::new(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let mut last: Option<NetworkServed> = None;
    let mut failing: Option<String> = None;
    let (exit, outcome, message) = loop {
        let round = async {
            let (target, _) = read_target(&cps, id).await?;
            let edge = production_edge(&target, &options).await;
            Ok::<_, crate::cps::CpsError>(
                through_edge(Network::Production, &target, &options, &edge).await,
            )
        };
        let result = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, round).await.ok(),
            None => Some(round.await),
        };
        match result {
            None => break timed_out(id, timeout, &failing, last.as_ref()),
            Some(Ok(served)) => {
                failing = None;
                let line = first_problem(&served);
                if served.outcome() == Outcome::Matches {
                    let edge = served.edge_hostname.clone().unwrap_or_default();
                    last = Some(served);
                    break (
                        Exit::Success,
                        "reached",
                        format!(
                            "enrollment {id} is served: {edge} serves the deployed certificate for every name"
                        ),
                    );
                }
                progress.show(&format!("enrollment {id}: {line}"), started.elapsed());
                last = Some(served);
            }
            Some(Err(error)) => {
                let error = crate::edgegrid::ApiError::from(error);
                if !is_transient(&error) {
                    progress.end();
                    return Err(error.into());
                }
                let message = one_line(&error.to_string());
                progress.show(
                    &format!("enrollment {id}: {message} (trying again)"),
                    started.elapsed(),
                );
                failing = Some(message);
            }
        }
        if !sleep_before_next_round(interval, deadline).await {
            break timed_out(id, timeout, &failing, last.as_ref());
        }
    };
    progress.end();
    warn(&message);
    if context.global.json {
        print_json(&json!({
            "id": id,
            "until": "served",
            "outcome": outcome,
            "exitCode": exit as u8,
            "message": message,
            "elapsedSecs": started.elapsed().as_secs(),
            "served": last,
        }))?;
    }
    Ok(exit)
}

/// The first name that is not served right, in words.
fn first_problem(served: &NetworkServed) -> String {
    served
        .first_problem(Utc::now(), |outcome| {
            matches!(outcome, Outcome::Mismatch | Outcome::CouldNotFindOut)
        })
        .unwrap_or_else(|| "nothing to probe".to_string())
}

fn timed_out(
    id: u64,
    timeout: Option<Duration>,
    failing: &Option<String>,
    last: Option<&NetworkServed>,
) -> (Exit, &'static str, String) {
    let waited = timeout.map(humanize).unwrap_or_default();
    match (failing, last) {
        (Some(error), _) => (
            Exit::Network,
            "network",
            format!("the API could not be reached up to the end of the {waited} timeout: {error}"),
        ),
        (None, None) => (
            Exit::Network,
            "network",
            format!("no answer from the API within {waited}"),
        ),
        (None, Some(served)) => (
            Exit::Timeout,
            "timeout",
            format!(
                "enrollment {id} was not served within {waited}: {}",
                first_problem(served)
            ),
        ),
    }
}
