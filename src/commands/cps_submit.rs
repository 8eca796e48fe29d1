//! `create`, `add-sans` and `edge-host` on CPS and PAPI: checked first (one line per field,
//! exit 2, nothing sent), printed with `--dry-run`, refused when read-only, otherwise sent
//! through `orders` (journaled, never twice).

use std::io::Write;

use serde_json::{Value, json};

use crate::cli::PairArgs;
use crate::model::submission::PAPI_EDGE_HOSTNAME;
use crate::model::{FieldProblem, Scope};
use crate::orders::cps_create::{self, CreateError};
use crate::orders::cps_names;
use crate::orders::cps_order::cps_order_of;
use crate::orders::journaled::{Entry, send_journaled};
use crate::papi::{EdgeHostnameCreated, EdgeHostnameOrder};
use crate::sps::hostname::{Wildcard, parse_hostname};
use crate::sps::request::{IpVersion, NewCertificate};
use crate::store::submissions::SubmissionJournal;
use crate::text;

use super::{CommandError, CommandResult, Context, Exit};

pub use crate::orders::shown::Shown;

/// Prints requests exactly as they would be sent: method and URL, the media types, the body
/// (JSON, pretty); `--json`: one document listing them.
pub fn print_requests(requests: &[Shown], notes: &[String], json: bool) -> CommandResult {
    let mut out = std::io::stdout().lock();
    let printed = |error: std::io::Error| CommandError::usage(format!("cannot print: {error}"));
    if json {
        let documents: Vec<Value> = requests
            .iter()
            .map(|shown| {
                json!({
                    "method": shown.method, "url": shown.url,
                    "contentType": shown.content_type, "accept": shown.accept,
                    "body": serde_json::from_str::<Value>(&shown.body)
                        .unwrap_or_else(|_| Value::from(shown.body.clone())),
                })
            })
            .collect();
        let document = json!({"requests": documents, "notes": notes});
        writeln!(out, "{}", text::json_inert(&document.to_string())).map_err(printed)?;
        return Ok(Exit::Success);
    }
    for (at, shown) in requests.iter().enumerate() {
        if at > 0 {
            writeln!(out).map_err(printed)?;
        }
        let body = serde_json::from_str::<Value>(&shown.body)
            .ok()
            .and_then(|value| serde_json::to_string_pretty(&value).ok())
            .unwrap_or_else(|| shown.body.clone());
        writeln!(out, "{} {}", shown.method, shown.url).map_err(printed)?;
        writeln!(out, "Content-Type: {}", shown.content_type).map_err(printed)?;
        writeln!(out, "Accept: {}", shown.accept).map_err(printed)?;
        writeln!(out, "\n{}", text::inert(&body)).map_err(printed)?;
    }
    for note in notes {
        writeln!(out, "\n# {}", text::inert(note)).map_err(printed)?;
    }
    Ok(Exit::Success)
}

/// Exit 2 with one line per problem, each starting with its field.
pub fn refused(source: &str, problems: &[FieldProblem]) -> CommandError {
    let count = problems.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    let mut message = format!("{source}: {count} {noun}, nothing was sent:");
    for problem in problems {
        message.push('\n');
        message.push_str(&text::brief(&problem.to_string()));
    }
    CommandError::usage(message)
}

/// The journal every write goes through, or why nothing can be sent (read-only, no data
/// directory).
pub fn writable(context: &Context) -> Result<SubmissionJournal, CommandError> {
    if context.global.read_only || context.config.read_only {
        return Err(CommandError::usage(format!(
            "{} (--read-only, read_only in the config, or [accounts.<section>] read_only); add \
             --dry-run to see the request",
            crate::config::READ_ONLY_REFUSAL
        )));
    }
    context.stores().submissions.ok_or_else(|| {
        CommandError::usage(
            "no data directory for the submissions journal; set SPSDASH_DATA_DIR to a writable \
             directory",
        )
    })
}

/// `--contract C --group G`: the edge hostname's group is needed, the enrollment's contract.
fn contract_and_group(pair: &PairArgs) -> Result<Scope, CommandError> {
    match (pair.contract.as_deref(), pair.group.as_deref()) {
        (Some(contract), Some(group)) => Ok(Scope::pair(
            contract.trim().trim_start_matches("ctr_"),
            group.trim().trim_start_matches("grp_"),
        )),
        _ => Err(CommandError::usage(
            "pass --contract C (the enrollment's contract) and --group G (the edge hostname's \
             group); `spsdash groups` lists both",
        )),
    }
}

/// How `create` runs: the request file's name (for messages), `--dry-run`,
/// `--resend-unresolved`.
pub struct CreateRun<'a> {
    pub source: &'a str,
    pub dry_run: bool,
    pub resend_unresolved: bool,
}

pub async fn create(
    context: &Context,
    pair: &PairArgs,
    request: &NewCertificate,
    run: CreateRun<'_>,
) -> CommandResult {
    let CreateRun {
        source,
        dry_run,
        resend_unresolved,
    } = run;
    let order = cps_order_of(request, request.change_management)
        .map_err(|problems| refused(source, &problems))?;
    let scope = contract_and_group(pair)?;
    let client = &context.client;
    if dry_run {
        let planned = cps_create::plan_create(client, &scope, &order).map_err(CommandError::api)?;
        return print_requests(
            &[
                Shown::of_write(&planned.enrollment),
                Shown::of(&planned.edge_hostname),
            ],
            &[
                "the edge hostname is sent once CPS has made the enrollment, with its id as \
               certEnrollmentId (0 above)"
                    .to_string(),
            ],
            context.global.json,
        );
    }
    let journal = writable(context)?;
    let created = cps_create::create(client, &journal, &scope, &order, resend_unresolved)
        .await
        .map_err(|error| create_failure(&error, &scope, order.common_name()))?;
    let id = created.enrollment_id;
    if context.global.json {
        let document = json!({
            "enrollmentId": id,
            "changes": created.changes,
            "foundAfterLostAnswer": created.found_after_loss,
            "edgeHostname": created.edge_hostname.as_ref().ok(),
            "edgeHostnameError": created.edge_hostname.as_ref().err(),
        });
        println!("{}", text::json_inert(&document.to_string()));
    } else {
        let found = if created.found_after_loss {
            " (its answer was lost; found in the contract's list, not created twice)"
        } else {
            ""
        };
        println!(
            "created: enrollment {id} for {}{found}; follow it with `spsdash show {id}`",
            text::inert(order.common_name())
        );
        if let Ok(link) = &created.edge_hostname {
            println!("edge hostname: {}", text::inert(link));
        }
    }
    match created.edge_hostname {
        Ok(_) => Ok(Exit::Success),
        Err(message) => Err(CommandError::api(message)),
    }
}

fn create_failure(error: &CreateError, scope: &Scope, common_name: &str) -> CommandError {
    let message = error.message(scope, common_name);
    match error {
        CreateError::Exists { .. } | CreateError::EarlierFound { .. } => {
            CommandError::usage(message)
        }
        CreateError::Failed(crate::orders::journaled::WriteFailure::Lost(_)) => CommandError {
            exit: Exit::Network,
            message,
        },
        _ => CommandError::api(message),
    }
}

pub async fn add_sans(
    context: &Context,
    pair: &PairArgs,
    enrollment: &str,
    domains: &[String],
    cancel_pending: bool,
    dry_run: bool,
) -> CommandResult {
    let enrollment_id = super::scope_args::request_id(context.api(), enrollment)?;
    // Read-only says so before anything is read.
    let journal = if dry_run {
        None
    } else {
        Some(writable(context)?)
    };
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for (at, domain) in domains.iter().enumerate() {
        match parse_hostname(domain, Wildcard::Allowed) {
            Ok(name) => names.push(name.ascii),
            Err(message) => problems.push(FieldProblem::new(format!("domains[{at}]"), message)),
        }
    }
    if !problems.is_empty() {
        return Err(refused("add-sans", &problems));
    }
    let planned = cps_names::plan_names(&context.client, enrollment_id, &names, cancel_pending)
        .await
        .map_err(CommandError::usage)?;
    let Some(journal) = journal else {
        return print_requests(&[Shown::of_write(&planned.write)], &[], context.global.json);
    };
    // The journal keeps the contract when it was given (CPS's enrollment does not name it).
    let scope = Scope::contract(pair.contract.as_deref().unwrap_or_default());
    let status = cps_names::add_names(&context.client, &journal, &scope, &planned)
        .await
        .map_err(CommandError::api)?;
    if context.global.json {
        println!(
            "{}",
            text::json_inert(
                &json!({"enrollmentId": enrollment_id, "changes": status.changes}).to_string()
            )
        );
    } else {
        println!(
            "sent: {} name(s) added to enrollment {enrollment_id}; CPS's new change: {}; follow \
             it with `spsdash show {enrollment_id}`",
            names.len(),
            text::inert(&status.changes.join(", "))
        );
    }
    Ok(Exit::Success)
}

pub async fn edge_host(
    context: &Context,
    pair: &PairArgs,
    cname_hostname: &str,
    enrollment_id: &str,
    ip_version: Option<&str>,
    product: Option<&str>,
    dry_run: bool,
) -> CommandResult {
    let mut problems = Vec::new();
    let prefix = parse_hostname(cname_hostname, Wildcard::Refused)
        .map_err(|message| problems.push(FieldProblem::new("cname_hostname", message)))
        .ok();
    let id = enrollment_id
        .trim()
        .parse::<u64>()
        .map_err(|_| {
            problems.push(FieldProblem::new(
                "enrollment_id",
                format!("`{enrollment_id}` is not an enrollment id (a number, e.g. 10041)"),
            ))
        })
        .ok();
    let ipv6 = match ip_version.map(|version| IpVersion::try_from(version.to_string())) {
        Some(Ok(version)) => version == IpVersion::Ipv6,
        Some(Err(message)) => {
            problems.push(FieldProblem::new("ip_version", message));
            false
        }
        None => false,
    };
    let product = product.map(str::trim).filter(|product| !product.is_empty());
    if product.is_none() {
        problems.push(FieldProblem::new(
            "product",
            "required: the PAPI product the edge hostname is for, e.g. prd_SPM",
        ));
    }
    let (Some(prefix), Some(id), Some(product), true) = (prefix, id, product, problems.is_empty())
    else {
        return Err(refused("edge-host", &problems));
    };
    let scope = contract_and_group(pair)?;
    let order = EdgeHostnameOrder::enhanced_tls(product, &prefix.ascii, ipv6, id);
    let planned = context.client.papi().plan_edge_hostname(
        &scope.contract_id,
        scope.group().unwrap_or_default(),
        &order,
    )?;
    if dry_run {
        return print_requests(&[Shown::of(&planned)], &[], context.global.json);
    }
    let journal = writable(context)?;
    let body = String::from_utf8_lossy(&planned.body).into_owned();
    let papi = context.client.papi();
    let name = order.hostname();
    let entry = Entry {
        scope: &scope,
        endpoint: PAPI_EDGE_HOSTNAME,
        name: &name,
        body: &body,
    };
    let sent = send_journaled(
        &journal,
        entry,
        || papi.create_edge_hostname(&planned),
        |created: &EdgeHostnameCreated| created.edge_hostname_link.clone().unwrap_or_default(),
    )
    .await;
    match sent {
        Ok((created, _)) => {
            let link = created.edge_hostname_link.unwrap_or_default();
            if context.global.json {
                println!(
                    "{}",
                    text::json_inert(&json!({"edgeHostname": name, "link": link}).to_string())
                );
            } else {
                println!(
                    "created: edge hostname {} ({})",
                    text::inert(&name),
                    text::inert(&link)
                );
            }
            Ok(Exit::Success)
        }
        Err((failure, _)) => Err(CommandError::api(format!(
            "the edge hostname {name} was not made: {}",
            failure.message()
        ))),
    }
}
