//! `spsdash wait ID [--contract C --group G] --until CONDITION [--timeout 2h] [--json]`, for
//! pipelines (like `kubectl wait`, `gh run watch`). CONDITION: `complete`; `awaiting-user` or
//! its CPS spelling `awaiting-input` (the message and `--json` name what a CPS change waits
//! for); `deployed` (on production: on CPS no change pending, so a change waiting for change
//! management, on staging only, is not yet); `served` (the production edge hostname serves
//! CPS's deployed certificate for every name: for scripts that switch a CNAME afterwards;
//! `wait/until_served.rs`); `valid` (every domain) or `valid:DOMAIN`.
//!
//! Exit codes: 0 the condition holds; 1 the request ended otherwise (cancelled, failed, or it
//! can no longer get there) or the API refused the call (403, 404…); 2 usage; 3 the network
//! (or a 5xx/429 API) kept failing until the timeout; 124 the timeout passed (as `timeout(1)`).
//! Progress goes to stderr: one updating line on a terminal, a plain line per change
//! otherwise. `--json` prints one document on stdout at the end. Polls every
//! `poll.active_secs`, as the dashboard does for a pair with requests in progress.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use crate::cli::WaitArgs;
use crate::edgegrid::ApiError;
use crate::model::CertRequest;

mod condition;
mod until_served;

pub use condition::{Until, Verdict, describe, judge, reached};

use super::output::{one_line, print_json};
use super::scope_args::{Purpose, request_id, scope_of};
use super::{CommandError, CommandResult, Context, Exit};

/// `90`, `90s`, `30m`, `2h`, `1d`, `1h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, CommandError> {
    let bad = || {
        CommandError::usage(format!(
            "--timeout `{text}` is not a duration; use e.g. 90s, 30m, 2h, 1d or 1h30m"
        ))
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad());
    }
    if let Ok(seconds) = trimmed.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let number: u64 = digits.parse().map_err(|_| bad())?;
        total = number
            .checked_mul(unit)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// Transient: worth trying again until the timeout (the network, 429, 5xx, an answer that
/// arrived truncated or otherwise did not decode).
fn is_transient(error: &ApiError) -> bool {
    error.is_network()
        || matches!(error, ApiError::Decode { .. })
        || error
            .http_status()
            .is_some_and(|status| status == 429 || status >= 500)
}

/// How a wait ended: the exit code, a word for `--json`, the message for stderr.
struct Ending {
    exit: Exit,
    outcome: &'static str,
    message: String,
    request: Option<CertRequest>,
}

pub async fn run(context: &Context, args: WaitArgs) -> CommandResult {
    let scope = scope_of(context.api(), &args.pair, Purpose::Request)?;
    let id = request_id(context.api(), &args.id)?;
    let until = Until::parse(&args.until)?;
    let timeout = args.timeout.as_deref().map(parse_duration).transpose()?;
    let interval = Duration::from_secs(context.config.poll.active_secs.max(1));
    if until == Until::Served {
        return until_served::wait_served(context, id, timeout, interval).await;
    }
    let started = Instant::now();
    let deadline = timeout.map(|timeout| started + timeout);
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    // The network failure in progress, if the last call failed on it; and whether any call
    // has got an answer at all (a wait that never reached the API timed out on the network).
    let mut failing: Option<String> = None;
    let mut answered = false;
    let mut last_seen: Option<CertRequest> = None;
    let ending = loop {
        let call = context.client.get(scope.as_ref(), id);
        let result = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, call).await.ok(),
            None => Some(call.await),
        };
        match result {
            None => break timed_out(id, &until, timeout, failing, answered, last_seen),
            Some(Ok(request)) => {
                answered = true;
                failing = None;
                let verdict = judge(&request, &until).inspect_err(|_| progress.end())?;
                progress.show(&describe(&request), started.elapsed());
                match verdict {
                    Verdict::Reached => {
                        break Ending {
                            exit: Exit::Success,
                            outcome: "reached",
                            message: reached(&request, &until),
                            request: Some(request),
                        };
                    }
                    Verdict::Ended(why) => {
                        break Ending {
                            exit: Exit::Api,
                            outcome: "ended",
                            message: why,
                            request: Some(request),
                        };
                    }
                    Verdict::Waiting => last_seen = Some(request),
                }
            }
            Some(Err(error)) if is_transient(&error) => {
                let message = one_line(&error.to_string());
                progress.show(
                    &format!("#{id}: {message} (trying again)"),
                    started.elapsed(),
                );
                failing = Some(message);
            }
            Some(Err(error)) => {
                progress.end();
                return Err(error.into());
            }
        }
        if !sleep_before_next_round(interval, deadline).await {
            break timed_out(id, &until, timeout, failing, answered, last_seen);
        }
    };
    progress.end();
    super::output::warn(&ending.message);
    if context.global.json {
        let request = ending.request.as_ref();
        let mut document = json!({
            "id": id,
            "until": until.label(),
            "outcome": ending.outcome,
            "exitCode": ending.exit as u8,
            "status": request.map(|request| request.status.as_str()),
            // What a change waits for, in words ("pre-verification warnings"), when it does.
            "awaiting": request
                .filter(|request| request.state == crate::model::RequestState::AwaitingUser)
                .and_then(|request| request.awaiting.as_ref())
                .map(|awaiting| awaiting.label()),
            "message": ending.message,
            "elapsedSecs": started.elapsed().as_secs(),
            "request": request,
        });
        // An SPS request keeps the `spsId` its documents always had.
        if context.api() == crate::model::Api::Sps {
            document["spsId"] = json!(id);
        }
        print_json(&document)?;
    }
    Ok(ending.exit)
}

/// Sleeps until the next round; false when the deadline comes first (slept until it).
async fn sleep_before_next_round(interval: Duration, deadline: Option<Instant>) -> bool {
    let now = Instant::now();
    // Bounded at load; saturating all the same (the deadline, if any, wins below).
    let wake = now
        .checked_add(interval)
        .unwrap_or(now + Duration::from_secs(86_400));
    match deadline {
        Some(deadline) if wake >= deadline => {
            tokio::time::sleep_until(deadline).await;
            false
        }
        _ => {
            tokio::time::sleep_until(wake).await;
            true
        }
    }
}

/// The deadline passed: 3 when the network was failing (or never answered), else 124.
fn timed_out(
    id: u64,
    until: &Until,
    timeout: Option<Duration>,
    failing: Option<String>,
    answered: bool,
    last_seen: Option<CertRequest>,
) -> Ending {
    let waited = timeout.map(humanize).unwrap_or_default();
    let (exit, outcome, message) = match failing {
        Some(error) => (
            Exit::Network,
            "network",
            format!("the API could not be reached up to the end of the {waited} timeout: {error}"),
        ),
        None if !answered => (
            Exit::Network,
            "network",
            format!("no answer from the API within {waited}"),
        ),
        None => (
            Exit::Timeout,
            "timeout",
            format!("#{id} was not {} within {waited}", until.label()),
        ),
    };
    Ending {
        exit,
        outcome,
        message,
        request: last_seen,
    }
}

fn humanize(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        s if s % 3600 == 0 && s > 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 && s > 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// Progress on stderr: one line rewritten in place on a terminal; a plain line per change
/// otherwise (logs and CI stay readable).
struct Progress {
    terminal: bool,
    last: String,
    drawn: bool,
}

impl Progress {
    fn new(terminal: bool) -> Progress {
        Progress {
            terminal,
            last: String::new(),
            drawn: false,
        }
    }

    fn show(&mut self, line: &str, elapsed: Duration) {
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            let width = crossterm::terminal::size()
                .map(|(columns, _)| usize::from(columns))
                .unwrap_or(80);
            let text = format!("{line} · {}", humanize_elapsed(elapsed));
            let text: String = text.chars().take(width.saturating_sub(1)).collect();
            let _ = write!(stderr, "\r\u{1b}[2K{text}");
            let _ = stderr.flush();
            self.drawn = true;
        } else if line != self.last {
            let _ = writeln!(stderr, "spsdash: {line}");
        }
        self.last = line.to_string();
    }

    /// Leaves the updating line in place and moves below it.
    fn end(&mut self) {
        if self.terminal && self.drawn {
            eprintln!();
            self.drawn = false;
        }
    }
}

fn humanize_elapsed(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    if seconds >= 3600 {
        format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60)
    } else {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("90").ok(), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h").ok(), Some(Duration::from_secs(7200)));
        assert_eq!(
            parse_duration("1h30m").ok(),
            Some(Duration::from_secs(5400))
        );
        assert_eq!(parse_duration("1d").ok(), Some(Duration::from_secs(86_400)));
        for bad in ["", "2x", "h", "10m5", "-3s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
