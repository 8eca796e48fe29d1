//! `redirects`, `webroot` and `check`: domain validation from the command line (issue 6).
//!
//! Exit codes: 0 done (for `check`: every checked domain is ready), 1 API error or, for
//! `check`, at least one domain not ready, 2 usage, 3 network failure reaching SPS.

use std::path::{Path, PathBuf};

use chrono::Utc;
use serde_json::json;

use crate::cli::{Command, DomainSelection, GlobalArgs, PairArgs};
use crate::dvcheck::{self, CheckOptions, CheckResult, ResolveMap};
use crate::export::{self, Format, Scope};
use crate::sps::SpsClient;
use crate::sps::model::{GroupContract, SpsRequest};

use super::output::{eprint, one_line, print, print_json_text};
use super::{CommandError, CommandResult, Context, Exit};

/// A domain-validation command with its arguments checked, before any network call.
#[derive(Debug, Clone, PartialEq)]
pub struct DvJob {
    pub sps_id: u64,
    pub pair: GroupContract,
    pub action: DvAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DvAction {
    Redirects { format: Format, scope: Scope },
    Webroot { dir: PathBuf, scope: Scope },
    Check { scope: Scope, resolve: ResolveMap },
}

/// What a command prints and the code it exits with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DvOutput {
    pub exit: Exit,
    pub stdout: String,
    pub stderr: Option<String>,
}

pub async fn run(global: &GlobalArgs, command: Command) -> CommandResult {
    // Bad input is refused before the context (and maybe the demo simulator) starts.
    let job = prepare(command)?;
    let context = Context::open(global).await?;
    let output = execute(&context.client, &job, global.json).await?;
    if global.json {
        print_json_text(&output.stdout)?;
    } else {
        print(&output.stdout)?;
    }
    if let Some(note) = output.stderr {
        eprint(&format!("{note}\n"));
    }
    Ok(output.exit)
}

/// Checks the arguments of `redirects`, `webroot` or `check`.
pub fn prepare(command: Command) -> Result<DvJob, CommandError> {
    let (sps_id, pair, action) = match command {
        Command::Redirects {
            sps_id,
            pair,
            format,
            domains,
        } => {
            let format: Format = format
                .parse()
                .map_err(|error: export::ExportError| CommandError::usage(error.to_string()))?;
            let scope = scope(&domains);
            (sps_id, pair, DvAction::Redirects { format, scope })
        }
        Command::Webroot {
            sps_id,
            pair,
            dir,
            domains,
        } => (
            sps_id,
            pair,
            DvAction::Webroot {
                dir,
                scope: scope(&domains),
            },
        ),
        Command::Check {
            sps_id,
            pair,
            domains,
            resolve,
        } => {
            let resolve = ResolveMap::parse(&resolve).map_err(CommandError::usage)?;
            let scope = scope(&domains);
            (sps_id, pair, DvAction::Check { scope, resolve })
        }
        _ => return Err(CommandError::usage("not a domain-validation command")),
    };
    Ok(DvJob {
        sps_id: parse_sps_id(&sps_id)?,
        pair: pair_of(&pair),
        action,
    })
}

/// Reads the request and does the job: the rules, the files, or the check.
pub async fn execute(
    client: &SpsClient,
    job: &DvJob,
    json: bool,
) -> Result<DvOutput, CommandError> {
    let request = client.get(&job.pair, job.sps_id).await?;
    match &job.action {
        DvAction::Redirects { format, scope } => {
            let (stdout, stderr) = redirects(&request, *format, scope, json)?;
            Ok(DvOutput {
                exit: Exit::Success,
                stdout,
                stderr,
            })
        }
        DvAction::Webroot { dir, scope } => Ok(DvOutput {
            exit: Exit::Success,
            stdout: webroot(&request, dir, scope, json)?,
            stderr: None,
        }),
        DvAction::Check { scope, resolve } => {
            let targets = dvcheck::targets(&request, scope)
                .map_err(|error| CommandError::usage(error.to_string()))?;
            // A --resolve that matches nothing is most likely a typo: say so.
            let unused: Vec<&str> = resolve
                .hosts()
                .filter(|host| !targets.iter().any(|target| target.host == *host))
                .collect();
            let stderr = (!unused.is_empty()).then(|| {
                format!(
                    "spsdash: --resolve for {} matches no checked domain of request {}",
                    joined(unused),
                    job.sps_id
                )
            });
            let options = CheckOptions {
                resolve: resolve.clone(),
                ..CheckOptions::default()
            };
            let results = dvcheck::check_all(targets, &options).await;
            let exit = if dvcheck::all_ready(&results) {
                Exit::Success
            } else {
                Exit::Api
            };
            Ok(DvOutput {
                exit,
                stdout: check_report(job.sps_id, &results, json),
                stderr,
            })
        }
    }
}

fn pair_of(pair: &PairArgs) -> GroupContract {
    GroupContract::new(pair.contract.as_str(), pair.group.as_str())
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
            joined(&rendered.skipped)
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
                one_line(&file.path.display().to_string()),
                file.bytes,
                one_line(&file.domain)
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
        .map(|result| one_line(&result.domain).chars().count())
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
            one_line(&result.domain),
            one_line(&result.outcome.detail()),
            result.elapsed.as_millis(),
        ));
    }
    out.push_str(&format!(
        "{ready} of {} domains of request {sps_id} ready\n",
        results.len()
    ));
    out
}

/// Names from the API, each inert and cut, comma-separated.
fn joined<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names
        .into_iter()
        .map(|name| one_line(name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
