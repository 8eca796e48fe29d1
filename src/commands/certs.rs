//! `certs`, `expiring` (and, in `dns_records.rs`, `dns-records`): the certificates behind the
//! SPS requests, read from CPS through the shared `enrollmentId`.
//!
//! `expiring` is made for cron: exit 1 when any certificate expires within the window, 0 when
//! none does, 3 when it could not find out (CPS not granted, network down, a pair unreadable).
//! An enrollment CPS answers 404 for has no certificate to expire: it is noted, not unknown.

use chrono::{Duration, Utc};

use crate::cli::{Command, GlobalArgs};
use crate::model::{Api, Network, Scope, describe_days_left};

use super::cert_survey::{CertificateRow, NetworkState, Survey, survey};
use super::output::{Table, print, print_json, warn};
use super::scope_args::filter_of;
use super::{CommandError, CommandResult, Context, Exit};

pub async fn run(global: &GlobalArgs, command: Command) -> CommandResult {
    match command {
        Command::Certs { pair } => {
            let context = Context::open(global).await?;
            let pair = filter_of(context.api(), &pair)?;
            certs(&context, pair.as_ref()).await
        }
        Command::Expiring { within, pair } => {
            let window = parse_window(&within)?;
            let context = Context::open(global).await?;
            let pair = filter_of(context.api(), &pair)?;
            expiring(&context, pair.as_ref(), window).await
        }
        Command::DnsRecords {
            id,
            pair,
            format,
            max_changes,
        } => super::dns_records::run(global, &id, &pair, &format, max_changes).await,
        _ => Err(CommandError::usage("not a certificate command")),
    }
}

/// `30d`, `2w`, `12h`, or a bare number of days.
pub fn parse_window(text: &str) -> Result<Duration, CommandError> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => (&text[..at], unit),
        _ => (text, 'd'),
    };
    let count: i64 = number
        .trim()
        .parse()
        .ok()
        .filter(|count| *count >= 0)
        .ok_or_else(|| {
            CommandError::usage(format!(
                "--within `{text}` is not a window; use e.g. 30d, 2w or 12h"
            ))
        })?;
    let window = match unit.to_ascii_lowercase() {
        'd' => Duration::try_days(count),
        'w' => Duration::try_weeks(count),
        'h' => Duration::try_hours(count),
        _ => None,
    };
    window.ok_or_else(|| {
        CommandError::usage(format!(
            "--within `{text}`: the unit must be d (days), w (weeks) or h (hours)"
        ))
    })
}

async fn certs(context: &Context, only: Option<&Scope>) -> CommandResult {
    let now = Utc::now();
    let survey = survey(&context.client, only, now).await?;
    if context.global.json {
        print_json(&survey.rows)?;
    } else if survey.rows.is_empty() {
        print(match context.api() {
            Api::Cps => "These credentials see no CPS enrollment.\n",
            Api::Sps => "No SPS request of these credentials has a CPS enrollment yet.\n",
        })?;
    } else {
        let sps = context.api() == Api::Sps;
        let mut headers = vec![
            "ENROLLMENT",
            "CERTIFICATE",
            "TYPE",
            "PRODUCTION EXPIRES",
            "LEFT",
            "STAGING EXPIRES",
            "NAMES",
            "PENDING",
        ];
        if sps {
            headers.push("SPS IDS");
        }
        let mut table = Table::new(headers);
        for row in &survey.rows {
            let mut cells = vec![
                row.enrollment_id.to_string(),
                row.common_name
                    .clone()
                    .or_else(|| row.cname_hostname.clone())
                    .unwrap_or_else(|| "-".to_string()),
                row.validation_type
                    .as_deref()
                    .map_or("-".to_string(), str::to_ascii_uppercase),
                expiry_cell(row.production.as_ref(), row, Network::Production),
                match &row.production {
                    Some(state) => describe_days_left(state.expiry, now),
                    None if row.unreadable_expiry.contains(&Network::Production) => {
                        "unknown".to_string()
                    }
                    None => "-".to_string(),
                },
                expiry_cell(row.staging.as_ref(), row, Network::Staging),
                names_cell(row),
                match row.pending_changes {
                    0 => "-".to_string(),
                    count => count.to_string(),
                },
            ];
            if sps {
                cells.push(ids(&row.ids));
            }
            table.push(cells);
        }
        print(&table.render())?;
    }
    report_problems(&survey, false);
    if survey.has_unknowns() {
        return Ok(if survey.network_trouble {
            Exit::Network
        } else {
            Exit::Api
        });
    }
    Ok(Exit::Success)
}

async fn expiring(context: &Context, only: Option<&Scope>, window: Duration) -> CommandResult {
    let now = Utc::now();
    // Whatever stopped the survey, the answer is "could not find out", never "found some".
    let survey = survey(&context.client, only, now)
        .await
        .map_err(|error| CommandError {
            exit: Exit::Network,
            ..error
        })?;
    let until = now + window;
    let soon: Vec<&CertificateRow> = survey
        .rows
        .iter()
        .filter(|row| {
            row.production
                .as_ref()
                .is_some_and(|state| state.expiry <= until)
        })
        .collect();
    let window_words = describe_window(window);
    if context.global.json {
        print_json(&serde_json::json!({
            "now": now,
            "within": window_words,
            "expiring": soon,
            "unknown": survey.failures.iter().cloned().chain(
                survey.rows.iter().filter(|row| row.unknown).filter_map(|row| row.note.clone())
            ).collect::<Vec<_>>(),
        }))?;
    } else if soon.is_empty() {
        let checked = survey
            .rows
            .iter()
            .filter(|row| row.production.is_some())
            .count();
        // With an unknown, "none expires" would be a guess: say what was and was not found.
        let unknown = survey.rows.iter().filter(|row| row.unknown).count() + survey.failures.len();
        print(&if survey.has_unknowns() {
            format!(
                "No readable certificate expires within {window_words} ({checked} deployed \
                 certificates checked), but {unknown} could not be found out (see below).\n"
            )
        } else {
            format!(
                "No certificate expires within {window_words} ({checked} deployed certificates \
                 checked).\n"
            )
        })?;
    } else {
        let sps = context.api() == Api::Sps;
        let mut headers = vec!["EXPIRES", "LEFT", "CERTIFICATE", "ENROLLMENT"];
        if sps {
            headers.push("SPS IDS");
        }
        let mut table = Table::new(headers);
        for row in &soon {
            if let Some(state) = &row.production {
                let mut cells = vec![
                    state.expiry.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    describe_days_left(state.expiry, now),
                    row.common_name
                        .clone()
                        .or_else(|| row.cname_hostname.clone())
                        .unwrap_or_else(|| "-".to_string()),
                    row.enrollment_id.to_string(),
                ];
                if sps {
                    cells.push(ids(&row.ids));
                }
                table.push(cells);
            }
        }
        print(&table.render())?;
    }
    report_problems(&survey, true);
    if !soon.is_empty() {
        Ok(Exit::Api)
    } else if survey.has_unknowns() {
        Ok(Exit::Network)
    } else {
        Ok(Exit::Success)
    }
}

/// Each problem on stderr; a missing CPS grant fails every enrollment alike, so it is said once.
/// `only_unknowns` leaves out what is merely worth knowing (a deleted enrollment), so that a
/// cron job mails only when something is wrong.
fn report_problems(survey: &Survey, only_unknowns: bool) {
    for failure in &survey.failures {
        warn(&failure.to_string());
    }
    let mut refused = 0;
    for row in &survey.rows {
        let Some(note) = row.note.as_ref().filter(|_| row.unknown || !only_unknowns) else {
            continue;
        };
        if note.starts_with("CPS is not granted") {
            refused += 1;
            if refused > 1 {
                continue;
            }
        }
        warn(&format!("enrollment {}: {note}", row.enrollment_id));
    }
    if refused > 1 {
        warn(&format!(
            "({} more enrollments refused the same way)",
            refused - 1
        ));
    }
}

fn expiry_cell(state: Option<&NetworkState>, row: &CertificateRow, network: Network) -> String {
    match state {
        Some(state) => state.expiry.format("%Y-%m-%d").to_string(),
        None if row.unreadable_expiry.contains(&network) => "unknown".to_string(),
        None if row.unknown => "?".to_string(),
        None => "-".to_string(),
    }
}

/// `2/3`: names deployed on production of those requested.
fn names_cell(row: &CertificateRow) -> String {
    let deployed = row
        .production
        .as_ref()
        .map_or(0, |state| state.dns_names.len());
    match row.sans_requested.len() {
        0 => "-".to_string(),
        requested => format!("{deployed}/{requested}"),
    }
}

fn ids(ids: &[u64]) -> String {
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

fn describe_window(window: Duration) -> String {
    let hours = window.num_hours();
    if hours % 24 == 0 {
        match hours / 24 {
            1 => "1 day".to_string(),
            days => format!("{days} days"),
        }
    } else {
        format!("{hours} hours")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_in_days_weeks_and_hours() {
        assert_eq!(parse_window("30d").ok(), Some(Duration::days(30)));
        assert_eq!(parse_window("30").ok(), Some(Duration::days(30)));
        assert_eq!(parse_window(" 2w ").ok(), Some(Duration::weeks(2)));
        assert_eq!(parse_window("12H").ok(), Some(Duration::hours(12)));
        for bad in ["", "d", "-3d", "30y", "thirty"] {
            let error = parse_window(bad).expect_err(bad);
            assert_eq!(error.exit, Exit::Usage, "{bad}");
            assert!(error.message.contains("--within"), "{}", error.message);
        }
        assert_eq!(describe_window(Duration::days(30)), "30 days");
        assert_eq!(describe_window(Duration::hours(12)), "12 hours");
    }
}
