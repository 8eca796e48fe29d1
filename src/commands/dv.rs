//! `redirects`, `webroot` and `check`: domain validation from the command line (issue 6).
//!
//! Exit codes: 0 done (for `check`: every checked domain is ready), 1 API error or, for
//! `check`, at least one domain not ready, 2 usage, 3 network failure reaching SPS.

use std::path::Path;

use chrono::Utc;
use serde_json::json;

use crate::cli::{Command, DomainSelection, GlobalArgs, PairArgs};
use crate::dvcheck::{self, CheckOptions, CheckResult, ResolveMap};
use crate::export::{self, Format, Scope};
use crate::sps::model::{GroupContract, SpsRequest};

use super::{CommandError, CommandResult, Context, Exit};

pub async fn run(global: &GlobalArgs, command: Command) -> CommandResult {
    match command {
        Command::Redirects {
            sps_id,
            pair,
            format,
            domains,
        } => {
            // Bad input is refused before any network call.
            let format: Format = format
                .parse()
                .map_err(|error: export::ExportError| CommandError::usage(error.to_string()))?;
            let sps_id = parse_sps_id(&sps_id)?;
            let request = fetch(global, &pair, sps_id).await?;
            let (stdout, stderr) = redirects(&request, format, &scope(&domains), global.json)?;
            print!("{stdout}");
            if let Some(note) = stderr {
                eprintln!("{note}");
            }
            Ok(Exit::Success)
        }
        Command::Webroot {
            sps_id,
            pair,
            dir,
            domains,
        } => {
            let sps_id = parse_sps_id(&sps_id)?;
            let request = fetch(global, &pair, sps_id).await?;
            print!(
                "{}",
                webroot(&request, &dir, &scope(&domains), global.json)?
            );
            Ok(Exit::Success)
        }
        Command::Check {
            sps_id,
            pair,
            domains,
            resolve,
        } => {
            let resolve = ResolveMap::parse(&resolve).map_err(CommandError::usage)?;
            let sps_id = parse_sps_id(&sps_id)?;
            let request = fetch(global, &pair, sps_id).await?;
            let targets = dvcheck::targets(&request, &scope(&domains))
                .map_err(|error| CommandError::usage(error.to_string()))?;
            let options = CheckOptions {
                resolve,
                ..CheckOptions::default()
            };
            let results = dvcheck::check_all(targets, &options).await;
            print!("{}", check_report(sps_id, &results, global.json));
            Ok(if dvcheck::all_ready(&results) {
                Exit::Success
            } else {
                Exit::Api
            })
        }
        _ => Err(CommandError::usage("not a domain-validation command")),
    }
}

async fn fetch(
    global: &GlobalArgs,
    pair: &PairArgs,
    sps_id: u64,
) -> Result<SpsRequest, CommandError> {
    let context = Context::open(global).await?;
    let pair = GroupContract::new(pair.contract.as_str(), pair.group.as_str());
    Ok(context.client.get(&pair, sps_id).await?)
}

pub fn parse_sps_id(text: &str) -> Result<u64, CommandError> {
    text.trim().parse().map_err(|_| {
        CommandError::usage(format!(
            "{text:?} is not an SPS request id: give the number `spsdash list` shows, e.g. 1856"
        ))
    })
}

fn scope(domains: &DomainSelection) -> Scope {
    Scope::from_selection(domains.all, &domains.domain)
}

/// What `redirects` prints: the rules (or, with `--json`, an object holding them) and a note
/// for stderr naming the domains left out.
pub fn redirects(
    request: &SpsRequest,
    format: Format,
    scope: &Scope,
    json: bool,
) -> Result<(String, Option<String>), CommandError> {
    let rendered = export::render(format, request, scope, Utc::now())
        .map_err(|error| CommandError::usage(error.to_string()))?;
    let note = (!rendered.skipped.is_empty()).then(|| {
        format!(
            "spsdash: not covered, SPS has no challenge for them yet: {}",
            rendered.skipped.join(", ")
        )
    });
    if json {
        let document = json!({
            "spsId": request.sps_id,
            "format": format.name(),
            "rules": rendered.rule_count,
            "notCovered": rendered.skipped,
            "text": rendered.text,
        });
        return Ok((format!("{document:#}\n"), None));
    }
    Ok((rendered.text, note))
}

/// Writes the challenge files and says what was written.
pub fn webroot(
    request: &SpsRequest,
    dir: &Path,
    scope: &Scope,
    json: bool,
) -> Result<String, CommandError> {
    let written = export::write_webroot(dir, request, scope)
        .map_err(|error| CommandError::usage(error.to_string()))?;
    if json {
        let files: Vec<_> = written
            .iter()
            .map(|file| json!({"domain": file.domain, "path": file.path, "bytes": file.bytes}))
            .collect();
        return Ok(format!(
            "{:#}\n",
            json!({"spsId": request.sps_id, "written": files})
        ));
    }
    Ok(written
        .iter()
        .map(|file| {
            format!(
                "wrote {} ({} bytes) for {}\n",
                file.path.display(),
                file.bytes,
                file.domain
            )
        })
        .collect())
}

/// One line per domain, then the count; or a JSON document.
pub fn check_report(sps_id: u64, results: &[CheckResult], json: bool) -> String {
    let ready = results.iter().filter(|result| result.is_ready()).count();
    if json {
        let rows: Vec<_> = results
            .iter()
            .map(|result| {
                json!({
                    "domain": result.domain,
                    "ready": result.is_ready(),
                    "outcome": result.outcome.to_string(),
                    "address": result.address.map(|address| address.to_string()),
                    "elapsedMs": result.elapsed.as_millis() as u64,
                })
            })
            .collect();
        let document = json!({
            "spsId": sps_id,
            "ready": ready,
            "checked": results.len(),
            "allReady": dvcheck::all_ready(results),
            "domains": rows,
        });
        return format!("{document:#}\n");
    }
    let width = results
        .iter()
        .map(|result| result.domain.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for result in results {
        let mark = if result.is_ready() {
            "READY    "
        } else {
            "NOT READY"
        };
        let address = result
            .address
            .map(|address| format!(" via {address}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{mark}  {:width$}  {} ({} ms{address})\n",
            result.domain,
            result.outcome.detail(),
            result.elapsed.as_millis(),
        ));
    }
    out.push_str(&format!(
        "{ready} of {} domains of request {sps_id} ready\n",
        results.len()
    ));
    out
}
