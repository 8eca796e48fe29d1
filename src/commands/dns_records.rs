//! `dns-records SPS_ID`: the DNS-01 alternative to the HTTP challenge files, for operators who
//! can edit a DNS zone but not a web server. SPS shows only the HTTP challenges; CPS (through
//! the request's `enrollmentId`) has the `_acme-challenge` TXT record of each domain.
//!
//! Exit codes: 0 printed (or nothing left to publish), 1 nothing to read (no enrollment or no
//! open challenge) or an API error, 2 usage, 3 network.

use serde::Serialize;

use crate::cli::{GlobalArgs, PairArgs};
use crate::sps::SpsClient;
use crate::sps::cps::{CpsError, DnsTxtRecord};

use super::output::{print, print_json};
use super::query::{group_contract, parse_sps_id};
use super::{CommandError, CommandResult, Context, Exit};

/// Let's Encrypt looks the record up once or twice; a short TTL lets a fix show quickly.
pub const TTL_SECONDS: u32 = 300;

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
    sps_id: &str,
    pair: &PairArgs,
    format: &str,
) -> CommandResult {
    let pair = group_contract(pair)?;
    let sps_id = parse_sps_id(sps_id)?;
    let format = if global.json {
        RecordFormat::Json
    } else {
        format.parse()?
    };
    let context = Context::open(global).await?;
    let request = context.client.get(&pair, sps_id).await?;
    let Some(enrollment_id) = request.enrollment_id else {
        return Err(CommandError::api(format!(
            "request {sps_id} has no enrollmentId yet (status: {}); CPS has its challenges \
             once SPS reports one",
            request.status
        )));
    };
    let records = open_records(&context.client, enrollment_id)
        .await
        .map_err(cps_failure)?;
    let Some(records) = records else {
        return Err(CommandError::api(format!(
            "enrollment {enrollment_id} (request {sps_id}, status: {}) has no pending change \
             with Let's Encrypt challenges: there is nothing to publish",
            request.status
        )));
    };
    let waiting: Vec<&DnsTxtRecord> = records.iter().filter(|record| !is_valid(record)).collect();
    if waiting.is_empty() {
        eprintln!(
            "spsdash: every domain of request {sps_id} is already validated; no DNS record is needed"
        );
    }
    match format {
        RecordFormat::Json => print_json(
            &waiting
                .iter()
                .map(|record| JsonRecord::of(record))
                .collect::<Vec<_>>(),
        )?,
        RecordFormat::Zone if waiting.is_empty() => {}
        RecordFormat::Zone => print(&zone_snippet(sps_id, enrollment_id, &waiting))?,
    }
    Ok(Exit::Success)
}

/// The TXT records of the first pending change that has Let's Encrypt challenges.
async fn open_records(
    client: &SpsClient,
    enrollment_id: u64,
) -> Result<Option<Vec<DnsTxtRecord>>, CpsError> {
    let enrollment = client.enrollment(enrollment_id).await?;
    for location in enrollment.change_locations() {
        let change = client.change_status(location).await?;
        if let Some(info) = change.lets_encrypt_challenges_info() {
            let challenges = client.lets_encrypt_challenges(info).await?;
            return Ok(Some(challenges.dns_records()));
        }
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

/// A zone-file snippet: `$ORIGIN` the domains' common parent, then one relative TXT line per
/// domain (`_acme-challenge.www 300 IN TXT "…"`); absolute names when they share no zone.
pub fn zone_snippet(sps_id: u64, enrollment_id: u64, records: &[&DnsTxtRecord]) -> String {
    let mut out = format!(
        "; DNS-01 challenges of SPS request {sps_id} (CPS enrollment {enrollment_id}).\n\
         ; Publish these TXT records instead of serving the HTTP challenge files.\n"
    );
    if let Some(expires) = records
        .iter()
        .filter_map(|record| record.expires.as_deref())
        .min()
    {
        out.push_str(&format!("; The challenges expire at {expires}.\n"));
    }
    let origin = common_parent(records.iter().map(|record| record.name.as_str()));
    if let Some(origin) = &origin {
        out.push_str(&format!("$ORIGIN {origin}.\n"));
    }
    for record in records {
        let name = match &origin {
            Some(origin) => record
                .name
                .strip_suffix(&format!(".{origin}"))
                .map_or_else(|| format!("{}.", record.name), str::to_string),
            None => format!("{}.", record.name),
        };
        out.push_str(&format!(
            "{name} {TTL_SECONDS} IN TXT \"{}\"\n",
            quote(&record.value)
        ));
    }
    out
}

/// The longest common suffix (of two labels at least) of the names' parent domains: the
/// parent of `_acme-challenge.www.example.com` is `www.example.com`'s parent, `example.com`.
fn common_parent<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for name in names {
        let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
        // Drop `_acme-challenge` and the domain's own first label.
        let parent: Vec<&str> = labels.iter().skip(2).rev().copied().collect();
        common = Some(match common {
            None => parent,
            Some(so_far) => so_far
                .iter()
                .zip(&parent)
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let common = common?;
    (common.len() >= 2).then(|| common.iter().rev().copied().collect::<Vec<_>>().join("."))
}

/// TXT character-strings escape `"` and `\`.
fn quote(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, value: &str) -> DnsTxtRecord {
        DnsTxtRecord {
            domain: name.trim_start_matches("_acme-challenge.").to_string(),
            name: name.to_string(),
            value: value.to_string(),
            status: Some("Awaiting User".to_string()),
            expires: Some("2026-12-07T10:15:00Z".to_string()),
        }
    }

    #[test]
    fn a_zone_snippet_is_relative_to_the_common_parent() {
        let www = record("_acme-challenge.www.shop.example.com", "v1");
        let apex = record("_acme-challenge.shop.example.com", "v\"2");
        let snippet = zone_snippet(1856, 10002, &[&www, &apex]);
        assert!(snippet.contains("$ORIGIN example.com.\n"), "{snippet}");
        assert!(
            snippet.contains("\n_acme-challenge.www.shop 300 IN TXT \"v1\"\n"),
            "{snippet}"
        );
        assert!(
            snippet.contains("\n_acme-challenge.shop 300 IN TXT \"v\\\"2\"\n"),
            "{snippet}"
        );
        assert!(snippet.contains("expire at 2026-12-07T10:15:00Z"));

        let single = zone_snippet(1, 2, &[&record("_acme-challenge.www.example.com", "x")]);
        assert!(
            single.contains("$ORIGIN example.com.\n_acme-challenge.www 300 IN TXT \"x\"\n"),
            "{single}"
        );

        let apart = zone_snippet(
            1,
            2,
            &[
                &record("_acme-challenge.a.example.com", "x"),
                &record("_acme-challenge.b.example.net", "y"),
            ],
        );
        assert!(!apart.contains("$ORIGIN"), "{apart}");
        assert!(
            apart.contains("_acme-challenge.a.example.com. 300 IN TXT \"x\""),
            "{apart}"
        );
    }

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
