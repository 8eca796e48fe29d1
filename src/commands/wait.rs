//! `spsdash wait SPS_ID --contract C --group G --until complete|awaiting-user|valid[:DOMAIN]
//! [--timeout 2h] [--json]`, for pipelines (like `kubectl wait`, `gh run watch`).
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
use crate::sps::ApiError;
use crate::sps::model::{RequestState, RequestStatus, SpsRequest};

use super::output::{one_line, print_json};
use super::query::{group_contract, parse_sps_id};
use super::{CommandError, CommandResult, Context, Exit};

/// What to wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    Complete,
    AwaitingUser,
    /// Every domain valid (`None`), or this one.
    Valid(Option<String>),
}

impl Until {
    pub fn parse(text: &str) -> Result<Until, CommandError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "complete" => return Ok(Until::Complete),
            "awaiting-user" => return Ok(Until::AwaitingUser),
            "valid" => return Ok(Until::Valid(None)),
            _ => {}
        }
        if let Some(domain) = lower.strip_prefix("valid:") {
            let domain = domain.trim().trim_end_matches('.');
            if !domain.is_empty() {
                return Ok(Until::Valid(Some(domain.to_string())));
            }
        }
        Err(CommandError::usage(format!(
            "--until `{text}` is not a condition; use complete, awaiting-user, valid \
             (every domain) or valid:DOMAIN"
        )))
    }

    pub fn label(&self) -> String {
        match self {
            Until::Complete => "complete".to_string(),
            Until::AwaitingUser => "awaiting-user".to_string(),
            Until::Valid(None) => "valid".to_string(),
            Until::Valid(Some(domain)) => format!("valid:{domain}"),
        }
    }
}

/// Where the request stands with respect to the condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Reached,
    /// It cannot get there any more; why.
    Ended(String),
    Waiting,
}

/// Judges one answer. An unknown domain is a usage error naming the request's domains.
pub fn judge(request: &SpsRequest, until: &Until) -> Result<Verdict, CommandError> {
    let state = request.state();
    let ended = |what: &str| {
        let progress = request
            .workflow_progress
            .as_deref()
            .map(|progress| format!(": {}", one_line(progress)))
            .unwrap_or_default();
        Verdict::Ended(format!(
            "request {} {what} ({}){progress}",
            request.sps_id,
            one_line(request.status.as_str())
        ))
    };
    Ok(match until {
        Until::Complete => match state {
            RequestState::Complete => Verdict::Reached,
            RequestState::Failed if request.status.as_str() == RequestStatus::CANCELLED => {
                ended("was cancelled")
            }
            RequestState::Failed => ended("failed"),
            _ => Verdict::Waiting,
        },
        Until::AwaitingUser => match state {
            RequestState::AwaitingUser => Verdict::Reached,
            RequestState::Complete => ended("completed without awaiting you"),
            RequestState::Failed => ended("ended without awaiting you"),
            RequestState::InProgress => Verdict::Waiting,
        },
        Until::Valid(domain) => {
            let (valid, total) = request.domains_valid();
            let reached = match domain {
                None => (total > 0 && valid == total) || state == RequestState::Complete,
                Some(domain) => {
                    let known = domain_names(request)
                        .iter()
                        .any(|name| name.eq_ignore_ascii_case(domain));
                    if !known && (total > 0 || state.is_terminal()) {
                        return Err(CommandError::usage(format!(
                            "request {} has no domain {domain}; its domains: {}",
                            request.sps_id,
                            one_line(&domain_names(request).join(", "))
                        )));
                    }
                    let shown_valid = request
                        .dv_status
                        .iter()
                        .any(|entry| entry.is_valid() && names_match(&entry.domain, domain));
                    shown_valid || state == RequestState::Complete
                }
            };
            match state {
                _ if reached => Verdict::Reached,
                RequestState::Failed => ended("ended before its domains were valid"),
                _ => Verdict::Waiting,
            }
        }
    })
}

fn names_match(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// The domains the request covers: its validation records, else its submitted names.
fn domain_names(request: &SpsRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .dv_status
        .iter()
        .map(|entry| entry.domain.trim_end_matches('.').to_string())
        .collect();
    let submitted = request
        .common_name()
        .into_iter()
        .chain(request.parameter_values("csr.sans"))
        .chain(request.parameter_values("add.sans"));
    for name in submitted {
        let name = name.trim_end_matches('.').to_string();
        if !names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    names
}

/// One line about where the request stands (API text made printable).
pub fn describe(request: &SpsRequest) -> String {
    let mut line = format!("#{} {}", request.sps_id, one_line(request.status.as_str()));
    let (valid, total) = request.domains_valid();
    if total > 0 {
        line.push_str(&format!(", {valid} of {total} domains valid"));
    }
    if let Some(progress) = request.workflow_progress.as_deref() {
        line.push_str(&format!(" — {}", one_line(progress)));
    }
    line
}

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

/// Transient: worth trying again until the timeout (the network, 429, 5xx).
fn is_transient(error: &ApiError) -> bool {
    error.is_network()
        || error
            .http_status()
            .is_some_and(|status| status == 429 || status >= 500)
}

/// How a wait ended: the exit code, a word for `--json`, the message for stderr.
struct Ending {
    exit: Exit,
    outcome: &'static str,
    message: String,
    request: Option<SpsRequest>,
}

pub async fn run(context: &Context, args: WaitArgs) -> CommandResult {
    let pair = group_contract(&args.pair)?;
    let sps_id = parse_sps_id(&args.sps_id)?;
    let until = Until::parse(&args.until)?;
    let timeout = args.timeout.as_deref().map(parse_duration).transpose()?;
    let interval = Duration::from_secs(context.config.poll.active_secs.max(1));
    let started = Instant::now();
    let deadline = timeout.map(|timeout| started + timeout);
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    // The network failure in progress, if the last call failed on it; and whether any call
    // has got an answer at all (a wait that never reached the API timed out on the network).
    let mut failing: Option<String> = None;
    let mut answered = false;
    let mut last_seen: Option<SpsRequest> = None;
    let ending = loop {
        let call = context.client.get(&pair, sps_id);
        let result = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, call).await.ok(),
            None => Some(call.await),
        };
        match result {
            None => break timed_out(sps_id, &until, timeout, failing, answered, last_seen),
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
                            message: format!("#{sps_id} is {}", until.label()),
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
                    &format!("#{sps_id}: {message} (trying again)"),
                    started.elapsed(),
                );
                failing = Some(message);
            }
            Some(Err(error)) => {
                progress.end();
                return Err(error.into());
            }
        }
        let wake = Instant::now() + interval;
        match deadline {
            Some(deadline) if wake >= deadline => {
                tokio::time::sleep_until(deadline).await;
                break timed_out(sps_id, &until, timeout, failing, answered, last_seen);
            }
            _ => tokio::time::sleep_until(wake).await,
        }
    };
    progress.end();
    eprintln!("spsdash: {}", ending.message);
    if context.global.json {
        let request = ending.request.as_ref();
        print_json(&json!({
            "spsId": sps_id,
            "until": until.label(),
            "outcome": ending.outcome,
            "exitCode": ending.exit as u8,
            "status": request.map(|request| request.status.as_str()),
            "message": ending.message,
            "elapsedSecs": started.elapsed().as_secs(),
            "request": request,
        }))?;
    }
    Ok(ending.exit)
}

/// The deadline passed: 3 when the network was failing (or never answered), else 124.
fn timed_out(
    sps_id: u64,
    until: &Until,
    timeout: Option<Duration>,
    failing: Option<String>,
    answered: bool,
    last_seen: Option<SpsRequest>,
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
            format!("#{sps_id} was not {} within {waited}", until.label()),
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

    fn request(status: &str, domains: &[(&str, &str)]) -> SpsRequest {
        let dv: Vec<serde_json::Value> = domains
            .iter()
            .map(|(domain, status)| json!({"domain": domain, "status": status}))
            .collect();
        serde_json::from_value(json!({"spsId": 7, "status": status, "dvStatus": dv}))
            .expect("fixture parses")
    }

    #[test]
    fn conditions_parse_and_bad_ones_say_what_is_allowed() {
        assert_eq!(Until::parse("complete").ok(), Some(Until::Complete));
        assert_eq!(
            Until::parse("Awaiting-User").ok(),
            Some(Until::AwaitingUser)
        );
        assert_eq!(Until::parse("valid").ok(), Some(Until::Valid(None)));
        assert_eq!(
            Until::parse("valid:WWW.Example.com.").ok(),
            Some(Until::Valid(Some("www.example.com".into())))
        );
        let error = Until::parse("done").expect_err("unknown");
        assert_eq!(error.exit, Exit::Usage);
        assert!(error.message.contains("valid:DOMAIN"));
        assert!(Until::parse("valid:").is_err());
    }

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

    #[test]
    fn verdicts_for_each_condition() {
        let awaiting = request(
            "Awaiting User",
            &[
                ("a.example.com", "Valid"),
                ("b.example.com", "Awaiting User"),
            ],
        );
        let complete = request(
            "SPS Request Complete",
            &[("a.example.com", "Valid"), ("b.example.com", "Valid")],
        );
        let cancelled = request("CPS cancelled", &[("a.example.com", "Expired")]);
        let judge = |request: &SpsRequest, until: &str| {
            judge(request, &Until::parse(until).expect("parses")).expect("judged")
        };
        assert_eq!(judge(&awaiting, "complete"), Verdict::Waiting);
        assert_eq!(judge(&complete, "complete"), Verdict::Reached);
        assert!(
            matches!(judge(&cancelled, "complete"), Verdict::Ended(why) if why.contains("cancelled"))
        );
        assert_eq!(judge(&awaiting, "awaiting-user"), Verdict::Reached);
        assert!(matches!(
            judge(&complete, "awaiting-user"),
            Verdict::Ended(_)
        ));
        assert_eq!(judge(&awaiting, "valid"), Verdict::Waiting);
        assert_eq!(judge(&awaiting, "valid:A.example.com"), Verdict::Reached);
        assert_eq!(judge(&awaiting, "valid:b.example.com"), Verdict::Waiting);
        assert_eq!(judge(&complete, "valid"), Verdict::Reached);
        assert!(matches!(judge(&cancelled, "valid"), Verdict::Ended(_)));
        let unknown = super::judge(&awaiting, &Until::Valid(Some("c.example.com".into())))
            .expect_err("unknown domain");
        assert_eq!(unknown.exit, Exit::Usage);
        assert!(
            unknown.message.contains("a.example.com, b.example.com"),
            "{}",
            unknown.message
        );
    }
}
