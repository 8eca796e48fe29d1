//! `dns-records ID`: the DNS-01 alternative to the HTTP challenge files, for operators who
//! can edit a DNS zone but not a web server. A CPS enrollment's Let's Encrypt challenges carry
//! the `_acme-challenge` TXT record of each domain; SPS shows only the HTTP challenges, so an
//! SPS request's records are read from CPS through its `enrollmentId`.
//!
//! Exit codes: 0 printed (or nothing left to publish), 1 nothing to read (no enrollment or no
//! open challenge) or an API error, 2 usage, 3 network.

use serde::Serialize;

use crate::cli::{GlobalArgs, PairArgs};
use crate::cps::CpsError;
use crate::model::{Api, DnsTxtRecord};
use crate::source::Backend;

use super::output::{print, print_json, warn};
use super::scope_args::{Purpose, request_id, scope_of};
use super::{CommandError, CommandResult, Context, Exit};

pub use crate::export::zone::{TTL_SECONDS, domains_of, zone_snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    Zone,
    Json,
}

impl std::str::FromStr for RecordFormat {
    type Err = CommandError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zone" => Ok(RecordFormat::Zone),
            "json" => Ok(RecordFormat::Json),
            _ => Err(CommandError::usage(format!(
                "--format `{text}` is not known; use zone or json"
            ))),
        }
    }
}

pub async fn run(
    global: &GlobalArgs,
    id: &str,
    pair: &PairArgs,
    format: &str,
    max_changes: u32,
) -> CommandResult {
    let format = if global.json {
        RecordFormat::Json
    } else {
        format.parse()?
    };
    let context = Context::open(global).await?;
    let scope = scope_of(context.api(), pair, Purpose::Request)?;
    let id = request_id(context.api(), id)?;
    let request = context.client.get(scope.as_ref(), id).await?;
    let title = request.title();
    // A CPS enrollment read whole carries its challenges; an SPS request's are in CPS,
    // through its enrollment.
    let own = request.dns_records();
    let records = if !own.is_empty() {
        own
    } else if request.api == Api::Cps {
        return Err(CommandError::api(format!(
            "{title} (status: {}) has no pending change with Let's Encrypt challenges: there is \
             nothing to publish",
            request.status
        )));
    } else {
        let Some(enrollment_id) = request.enrollment_id else {
            return Err(CommandError::api(format!(
                "request {id} has no enrollmentId yet (status: {}); CPS has its challenges \
                 once SPS reports one",
                request.status
            )));
        };
        let records = open_records(&context.client, enrollment_id, max_changes)
            .await
            .map_err(cps_failure)?;
        let Some(records) = records else {
            return Err(CommandError::api(format!(
                "{title} (status: {}) has no pending change with Let's Encrypt challenges: \
                 there is nothing to publish",
                request.status
            )));
        };
        records
    };
    let waiting: Vec<&DnsTxtRecord> = records.iter().filter(|record| !is_valid(record)).collect();
    if waiting.is_empty() {
        warn(&format!(
            "every domain of {title} is already validated; no DNS record is needed"
        ));
    }
    match format {
        RecordFormat::Json => print_json(
            &waiting
                .iter()
                .map(|record| JsonRecord::of(record))
                .collect::<Vec<_>>(),
        )?,
        RecordFormat::Zone if waiting.is_empty() => {}
        RecordFormat::Zone => {
            // The one zone-file renderer: what it refuses is said on stderr, never printed
            // into the zone, and the exit code says that something was left out.
            let snippet = zone_snippet(&title, &domains_of(&request), &waiting);
            for problem in snippet.refused.iter().chain(&snippet.notes) {
                warn(problem);
            }
            print(&snippet.text)?;
            if !snippet.refused.is_empty() {
                return Err(CommandError::api(format!(
                    "{} of the {} DNS-01 records of {title} refused (named above); the zone \
                     snippet holds only the {} that DNS-01 allows",
                    snippet.refused.len(),
                    waiting.len(),
                    snippet.written
                )));
            }
        }
    }
    Ok(Exit::Success)
}

/// The TXT records of the first pending change that has Let's Encrypt challenges, among the
/// first `max_changes` (one call each: an enrollment listing thousands must not make
/// thousands of calls); the ones left unread are said on stderr.
async fn open_records(
    client: &Backend,
    enrollment_id: u64,
    max_changes: u32,
) -> Result<Option<Vec<DnsTxtRecord>>, CpsError> {
    let enrollment = client.cps().enrollment(enrollment_id).await?;
    let pending = enrollment.change_locations().count();
    let cap = usize::try_from(max_changes).unwrap_or(usize::MAX);
    for location in enrollment.change_locations().take(cap) {
        let (_, change) = client.cps().read_change(enrollment_id, location).await;
        if let Some(challenges) = change?.challenges {
            return Ok(Some(challenges.dns_records()));
        }
    }
    if pending > cap {
        warn(&format!(
            "read {cap} of enrollment {enrollment_id}'s pending changes; the other {} \
             of its {pending} pending changes were not read (pass --max-changes {pending} to \
             read them all)",
            pending - cap
        ));
    }
    Ok(None)
}

fn cps_failure(error: CpsError) -> CommandError {
    CommandError {
        exit: if error.is_network() {
            Exit::Network
        } else {
            Exit::Api
        },
        message: error.to_string(),
    }
}

fn is_valid(record: &DnsTxtRecord) -> bool {
    record
        .status
        .as_deref()
        .is_some_and(|status| status.eq_ignore_ascii_case("valid"))
}

#[derive(Debug, Serialize)]
struct JsonRecord<'a> {
    domain: &'a str,
    name: &'a str,
    ttl: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    status: Option<&'a str>,
    expires: Option<&'a str>,
}

impl<'a> JsonRecord<'a> {
    fn of(record: &'a DnsTxtRecord) -> Self {
        JsonRecord {
            domain: &record.domain,
            name: &record.name,
            ttl: TTL_SECONDS,
            kind: "TXT",
            value: &record.value,
            status: record.status.as_deref(),
            expires: record.expires.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_checked() {
        assert_eq!(
            "ZONE".parse::<RecordFormat>().ok(),
            Some(RecordFormat::Zone)
        );
        assert_eq!(
            "json".parse::<RecordFormat>().ok(),
            Some(RecordFormat::Json)
        );
        assert!("bind".parse::<RecordFormat>().is_err());
    }
}
