//! `redirects`, `webroot` and `check`: domain validation from the command line (issue 6).
//!
//! Exit codes: 0 done (for `check`: every checked domain is ready), 1 API error or, for
//! `check`, at least one domain not ready, 2 usage, 3 network failure reaching SPS.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde_json::json;

use crate::cli::{AutomaticArgs, Command, DomainSelection, GlobalArgs, PairArgs};
use crate::config::{CheckConfig, parse_nameserver};
use crate::dvcheck::{self, CheckOptions, DnsMode, ResolveMap};
use crate::export::{self, DomainScope, ExportFormat};
use crate::model::CertRequest;
use crate::source::Backend;

use super::output::{eprint, one_line, print, print_json_text};
use super::scope_args::{Purpose, scope_of};
use super::{CommandError, CommandResult, Context, Exit};

/// A domain-validation command with its arguments checked, before any network call.
#[derive(Debug, Clone, PartialEq)]
pub struct DvJob {
    pub id: u64,
    /// As given: which of it the account's API needs is decided with the context.
    pub pair: PairArgs,
    pub action: DvAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DvAction {
    Redirects {
        format: ExportFormat,
        scope: DomainScope,
        /// `--skip-automatic`: the DNS to ask which domains Akamai completes itself.
        automatic: Option<DnsMode>,
    },
    Webroot {
        dir: PathBuf,
        scope: DomainScope,
        automatic: Option<DnsMode>,
    },
    Check {
        scope: DomainScope,
        resolve: ResolveMap,
        /// `--nameserver`; absent = `[check] nameserver`, else the system's.
        nameserver: Option<std::net::SocketAddr>,
        check: CheckConfig,
    },
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
    let mut job = prepare(command)?;
    let context = Context::open(global).await?;
    if let DvAction::Check { check, .. } = &mut job.action {
        *check = context.config.check.clone();
    }
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
    let (id, pair, action) = match command {
        Command::Redirects {
            id,
            pair,
            format,
            domains,
            automatic,
        } => {
            let format: ExportFormat =
                format
                    .parse()
                    .map_err(|error: crate::config::UnknownExportFormat| {
                        CommandError::usage(error.to_string())
                    })?;
            let scope = scope(&domains);
            let automatic = automatic_dns(&automatic)?;
            (
                id,
                pair,
                DvAction::Redirects {
                    format,
                    scope,
                    automatic,
                },
            )
        }
        Command::Webroot {
            id,
            pair,
            dir,
            domains,
            automatic,
        } => (
            id,
            pair,
            DvAction::Webroot {
                dir,
                scope: scope(&domains),
                automatic: automatic_dns(&automatic)?,
            },
        ),
        Command::Check {
            id,
            pair,
            domains,
            resolve,
            nameserver,
        } => {
            let resolve = ResolveMap::parse(&resolve).map_err(CommandError::usage)?;
            let nameserver = nameserver
                .as_deref()
                .map(parse_nameserver)
                .transpose()
                .map_err(|error| CommandError::usage(format!("--nameserver {error}")))?;
            let scope = scope(&domains);
            (
                id,
                pair,
                DvAction::Check {
                    scope,
                    resolve,
                    nameserver,
                    check: CheckConfig::default(),
                },
            )
        }
        _ => return Err(CommandError::usage("not a domain-validation command")),
    };
    Ok(DvJob {
        id: parse_request_id(&id)?,
        pair,
        action,
    })
}

/// Reads the request and does the job: the rules, the files, or the check.
pub async fn execute(client: &Backend, job: &DvJob, json: bool) -> Result<DvOutput, CommandError> {
    let scope = scope_of(client.api(), &job.pair, Purpose::Request)?;
    let request = client.get(scope.as_ref(), job.id).await?;
    match &job.action {
        DvAction::Redirects {
            format,
            scope,
            automatic,
        } => {
            let automatic = find_automatic(&request, scope, automatic).await;
            let (stdout, stderr) = redirects(&request, *format, scope, json, &automatic)?;
            Ok(DvOutput {
                exit: Exit::Success,
                stdout,
                stderr,
            })
        }
        DvAction::Webroot {
            dir,
            scope,
            automatic,
        } => {
            let automatic = find_automatic(&request, scope, automatic).await;
            Ok(DvOutput {
                exit: Exit::Success,
                stdout: webroot(&request, dir, scope, json, &automatic)?,
                stderr: None,
            })
        }
        DvAction::Check {
            scope,
            resolve,
            nameserver,
            check,
        } => {
            let targets = dvcheck::targets(&request, scope)
                .map_err(|error| CommandError::usage(error.to_string()))?;
            let checked: Vec<String> = targets.iter().map(|target| target.host.clone()).collect();
            let options = CheckOptions::from_config(resolve, *nameserver, check);
            let results = dvcheck::check_all(targets, &options).await;
            // A --resolve that no checked domain and no hop used is most likely a typo.
            let used = dvcheck::hosts_visited(&results);
            let unused: Vec<&str> = resolve
                .hosts()
                .filter(|host| !checked.iter().any(|checked| checked == host))
                .filter(|host| !used.contains(*host))
                .collect();
            let stderr = (!unused.is_empty()).then(|| {
                format!(
                    "spsdash: --resolve for {} matches no checked domain of request {}",
                    joined(unused),
                    job.id
                )
            });
            let exit = if dvcheck::all_ready(&results) {
                Exit::Success
            } else {
                Exit::Api
            };
            Ok(DvOutput {
                exit,
                stdout: super::dv_report::check_report(job.id, &results, json),
                stderr,
            })
        }
    }
}

/// A request id, before the account (and so its API) is known: a number either way.
pub fn parse_request_id(text: &str) -> Result<u64, CommandError> {
    text.trim().parse().map_err(|_| {
        CommandError::usage(format!(
            "{text:?} is not a request id: give the number `spsdash list` shows (a CPS \
             enrollment id such as 10018, or an SPS request id such as 1856)"
        ))
    })
}

fn scope(domains: &DomainSelection) -> DomainScope {
    DomainScope::from_selection(domains.all, &domains.domain)
}

/// The DNS `--skip-automatic` asks (None: the flag is off).
fn automatic_dns(args: &AutomaticArgs) -> Result<Option<DnsMode>, CommandError> {
    if !args.skip_automatic {
        return Ok(None);
    }
    match args.nameserver.as_deref() {
        Some(text) => parse_nameserver(text)
            .map(|server| Some(DnsMode::Nameserver(server)))
            .map_err(|error| CommandError::usage(format!("--nameserver {error}"))),
        None => Ok(Some(DnsMode::System)),
    }
}

/// The domains of `scope` Akamai completes itself (domain → edge hostname); empty when not
/// asked. Export does not ask DNS itself: the set is passed in.
async fn find_automatic(
    request: &CertRequest,
    scope: &DomainScope,
    dns: &Option<DnsMode>,
) -> BTreeMap<String, String> {
    let (Some(dns), Ok(targets)) = (dns, dvcheck::targets(request, scope)) else {
        return BTreeMap::new();
    };
    let options = CheckOptions {
        dns: dns.clone(),
        ..CheckOptions::default()
    };
    dvcheck::automatic_domains(&targets, &options).await
}

/// What `redirects` prints: the rules (or, with `--json`, an object holding them) and a note
/// for stderr naming the domains left out.
pub fn redirects(
    request: &CertRequest,
    format: ExportFormat,
    scope: &DomainScope,
    json: bool,
    automatic: &BTreeMap<String, String>,
) -> Result<(String, Option<String>), CommandError> {
    let rendered = export::render_excluding(format, request, scope, Utc::now(), automatic)
        .map_err(|error| CommandError::usage(error.to_string()))?;
    let (left_to_akamai, no_challenge): (Vec<&String>, Vec<&String>) = rendered
        .skipped
        .iter()
        .partition(|domain| automatic.contains_key(*domain));
    let mut notes = Vec::new();
    if !no_challenge.is_empty() {
        let names: Vec<&str> = no_challenge.iter().map(|d| d.as_str()).collect();
        notes.push(format!(
            "spsdash: not covered, SPS has no challenge for them yet: {}",
            joined(&names)
        ));
    }
    if !left_to_akamai.is_empty() {
        let names: Vec<String> = left_to_akamai
            .iter()
            .map(|domain| {
                format!(
                    "{} (CNAME → {})",
                    one_line(domain),
                    one_line(&automatic[*domain])
                )
            })
            .collect();
        notes.push(format!(
            "spsdash: left out, Akamai completes them itself: {}",
            names.join(", ")
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join("\n"));
    if json {
        let document = json!({
            "spsId": request.id,
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
    request: &CertRequest,
    dir: &Path,
    scope: &DomainScope,
    json: bool,
    automatic: &BTreeMap<String, String>,
) -> Result<String, CommandError> {
    let written = export::write_webroot_excluding(dir, request, scope, automatic)
        .map_err(|error| CommandError::usage(error.to_string()))?;
    if json {
        let files: Vec<_> = written
            .iter()
            .map(|file| json!({"domain": file.domain, "path": file.path, "bytes": file.bytes}))
            .collect();
        return Ok(format!(
            "{:#}\n",
            json!({"spsId": request.id, "written": files, "leftToAkamai": automatic})
        ));
    }
    let mut out: String = written
        .iter()
        .map(|file| {
            format!(
                "wrote {} ({} bytes) for {}\n",
                one_line(&file.path.display().to_string()),
                file.bytes,
                one_line(&file.domain)
            )
        })
        .collect();
    for (domain, edge) in automatic {
        out.push_str(&format!(
            "left out {}: CNAME → {}, Akamai answers its challenge itself\n",
            one_line(domain),
            one_line(edge)
        ));
    }
    Ok(out)
}

/// Names from the API, each inert and cut, comma-separated.
fn joined<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names
        .into_iter()
        .map(|name| one_line(name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
