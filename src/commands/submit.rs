//! `create`, `add-sans` and `edge-host`: checked with the wizard's own validation, then sent
//! or (with `--dry-run`) printed (issue 5).
//!
//! Nothing is sent unless every check passes; each problem is one line naming its field
//! (exit 2). A sent request is journaled first and completed with its spsId after, so a lost
//! answer is never mistaken for "nothing happened".

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use crate::cli::{Command, GlobalArgs, PairArgs};
use crate::edgegrid::ApiError;
use crate::model::{Api, CertRequest, Scope};
use crate::source::Backend;
use crate::sps::request::{
    AddSans, CheckedRequest, EdgeHost, FieldProblem, IpVersion, NewCertificate, Validation,
};
use crate::sps::submission::outcome_of;
use crate::store::submissions::SubmissionJournal;
use crate::{private_fs, text};

use super::cps_submit::refused;
use super::scope_args::{Purpose, scope_of};
use super::{CommandError, CommandResult, Context, Exit};

pub async fn run(global: &GlobalArgs, command: Command) -> CommandResult {
    match command {
        Command::Create {
            file,
            pair,
            dry_run,
            resend_unresolved,
        } => {
            let request = read_request_file(&file)?;
            let source = file.display().to_string();
            let checked = request
                .check()
                .map_err(|problems| refused(&source, &problems))?;
            let context = Context::open(global).await?;
            if context.api() == Api::Cps {
                let run = super::cps_submit::CreateRun {
                    source: &source,
                    dry_run,
                    resend_unresolved,
                };
                return super::cps_submit::create(&context, &pair, &request, run).await;
            }
            let pair = sps_pair(&context, &pair)?;
            send_or_print(&context, &pair, &checked, dry_run).await
        }
        Command::AddSans {
            enrollment,
            cname_hostname,
            job_id,
            domains,
            cancel_pending,
            pair,
            dry_run,
        } => {
            let context = Context::open(global).await?;
            if context.api() == Api::Cps {
                let enrollment = enrollment.ok_or_else(|| {
                    CommandError::usage(
                        "name the enrollment: `spsdash add-sans ENROLLMENT --domain D` \
                         (`spsdash list --contract C` shows the ids)",
                    )
                })?;
                return super::cps_submit::add_sans(
                    &context,
                    &pair,
                    &enrollment,
                    &domains,
                    cancel_pending,
                    dry_run,
                )
                .await;
            }
            let (Some(cname_hostname), Some(job_id)) = (cname_hostname, job_id) else {
                return Err(CommandError::usage(
                    "SPS names the certificate by its request: pass --cname-hostname H and \
                     --job-id J (with --contract C --group G)",
                ));
            };
            let mut request = AddSans {
                cname_hostname,
                job_id,
                domains,
                validation: Validation::default(),
            };
            // What can be checked offline is checked before anything is read or sent.
            request
                .check(&[])
                .map_err(|problems| refused("add-sans", &problems))?;
            let pair = sps_pair(&context, &pair)?;
            let certificate = find_certificate(
                &context.client,
                &pair,
                &request.cname_hostname,
                &request.job_id,
            )
            .await?;
            request.validation = certificate.validation;
            let checked = request
                .check(&certificate.names)
                .map_err(|problems| refused("add-sans", &problems))?;
            send_or_print(&context, &pair, &checked, dry_run).await
        }
        Command::EdgeHost {
            cname_hostname,
            enrollment_id,
            ip_version,
            product,
            pair,
            dry_run,
        } => {
            let context = Context::open(global).await?;
            if context.api() == Api::Cps {
                return super::cps_submit::edge_host(
                    &context,
                    &pair,
                    &cname_hostname,
                    &enrollment_id,
                    ip_version.as_deref(),
                    product.as_deref(),
                    dry_run,
                )
                .await;
            }
            let mut problems = Vec::new();
            let ip_version = match ip_version.map(IpVersion::try_from).transpose() {
                Ok(version) => version,
                Err(message) => {
                    problems.push(FieldProblem::new("ip_version", message));
                    None
                }
            };
            let request = EdgeHost {
                cname_hostname,
                enrollment_id,
                ip_version,
                product,
            };
            let checked = match request.check() {
                Ok(checked) if problems.is_empty() => checked,
                Ok(_) => return Err(refused("edge-host", &problems)),
                Err(mut more) => {
                    more.append(&mut problems);
                    return Err(refused("edge-host", &more));
                }
            };
            let pair = sps_pair(&context, &pair)?;
            send_or_print(&context, &pair, &checked, dry_run).await
        }
        _ => Err(CommandError::usage("not a submitting command")),
    }
}

/// The pair an SPS submission goes to.
fn sps_pair(_context: &Context, pair: &PairArgs) -> Result<Scope, CommandError> {
    scope_of(Api::Sps, pair, Purpose::Request)?
        .ok_or_else(|| CommandError::usage("SPS needs --contract C and --group G"))
}

fn read_request_file(path: &Path) -> Result<NewCertificate, CommandError> {
    let text = private_fs::read_text(path, private_fs::MAX_INPUT_BYTES).map_err(|error| {
        CommandError::usage(format!(
            "cannot read {}: {error}; see assets/request.example.toml for the shape",
            path.display()
        ))
    })?;
    NewCertificate::from_toml(&text)
        .map_err(|message| CommandError::usage(format!("{}: {message}", path.display())))
}

/// What `add-sans` needs to know about the certificate it adds to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingCertificate {
    pub validation: Validation,
    pub names: Vec<String>,
}

/// Finds the certificate's previous request (by jobId and cnameHostname) to learn its issuer
/// and the names already on it. Reading is harmless, so `--dry-run` does it too.
pub async fn find_certificate(
    client: &Backend,
    pair: &Scope,
    cname_hostname: &str,
    job_id: &str,
) -> Result<ExistingCertificate, CommandError> {
    let wanted_job: Option<u64> = job_id.trim().parse().ok();
    let wanted_cname = cname_hostname.trim().to_ascii_lowercase();
    let requests = client.list(pair, None).await?.requests;
    let mine = |request: &&CertRequest| {
        request
            .hostname
            .as_deref()
            .is_some_and(|cname| cname.eq_ignore_ascii_case(&wanted_cname))
    };
    let Some(previous) = requests
        .iter()
        .filter(mine)
        .find(|request| wanted_job.is_some() && request.job_id == wanted_job)
    else {
        return Err(CommandError::usage(format!(
            "job_id: no request with jobId {job_id} for {cname_hostname} in {pair}; \
             check --job-id and --cname-hostname with `spsdash list`"
        )));
    };
    let validation = previous
        .authority
        .as_deref()
        .and_then(Validation::from_issuer)
        .unwrap_or_default();
    // Every name that request of this certificate ever put on it.
    let mut names: Vec<String> = Vec::new();
    for request in requests.iter().filter(mine) {
        for name in request
            .sans
            .iter()
            .chain(&request.added_sans)
            .chain(&request.common_name)
        {
            let name = name.to_ascii_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(ExistingCertificate { validation, names })
}

/// Where a checked request goes and how the outcome is printed.
pub struct Delivery<'a> {
    pub client: &'a Backend,
    /// Required to send (not for `--dry-run`): every submission is journaled first.
    pub journal: Option<&'a SubmissionJournal>,
    pub json: bool,
    pub read_only: bool,
}

async fn send_or_print(
    context: &Context,
    pair: &Scope,
    checked: &CheckedRequest,
    dry_run: bool,
) -> CommandResult {
    let journal = context.stores().submissions;
    let delivery = Delivery {
        client: &context.client,
        journal: journal.as_ref(),
        json: context.global.json,
        read_only: context.global.read_only || context.config.read_only,
    };
    let mut stdout = std::io::stdout().lock();
    deliver(&delivery, pair, checked, dry_run, &mut stdout).await
}

/// Prints the exact request (`--dry-run`), or journals it, sends it once, completes the
/// journal entry with the outcome and prints the spsId.
pub async fn deliver(
    delivery: &Delivery<'_>,
    pair: &Scope,
    checked: &CheckedRequest,
    dry_run: bool,
    out: &mut dyn Write,
) -> CommandResult {
    let printed = |error: std::io::Error| CommandError::usage(format!("cannot print: {error}"));
    if dry_run {
        let prepared =
            delivery
                .client
                .sps()
                .prepare_submit(pair, checked.endpoint, &checked.form)?;
        let body = String::from_utf8_lossy(&prepared.body).into_owned();
        if delivery.json {
            let value = serde_json::json!({
                "method": prepared.method,
                "url": prepared.url,
                "body": body,
            });
            writeln!(out, "{}", text::json_inert(&value.to_string())).map_err(printed)?;
        } else {
            writeln!(out, "{} {}", prepared.method, prepared.url).map_err(printed)?;
            writeln!(out, "{body}").map_err(printed)?;
        }
        return Ok(Exit::Success);
    }
    if delivery.read_only {
        return Err(CommandError::usage(format!(
            "{} (--read-only, read_only in the config, or [accounts.<section>] read_only); add --dry-run to see the request",
            crate::config::READ_ONLY_REFUSAL
        )));
    }
    let journal = delivery.journal.ok_or_else(|| {
        CommandError::usage(
            "no data directory for the submissions journal; set SPSDASH_DATA_DIR to a writable directory",
        )
    })?;
    let id = journal
        .begin(
            pair,
            checked.endpoint,
            &checked.form,
            &checked.cname_hostname,
            Utc::now(),
        )
        .map_err(|error| {
            CommandError::usage(format!(
                "cannot write the submissions journal {}: {error}; nothing was sent",
                journal.path().display()
            ))
        })?;
    let result = delivery
        .client
        .sps()
        .submit(pair, checked.endpoint, &checked.form)
        .await;
    if let Err(error) = journal.complete(&id, outcome_of(&result), Utc::now()) {
        tracing::warn!(%error, "could not complete the submissions journal entry");
    }
    let accepted = result.map_err(|error| {
        let lost = matches!(error, ApiError::Decode { .. }) || error.is_network();
        let mut failure = CommandError::from(error);
        if lost {
            failure.message.push_str(&format!(
                "; the request may still have been created: run `spsdash list --contract {} --group {}` \
                 and look for {} before submitting again",
                pair.contract_id, pair.group().unwrap_or_default(), checked.cname_hostname
            ));
        }
        failure
    })?;
    if delivery.json {
        let value = serde_json::to_string(&accepted)
            .map_err(|error| CommandError::api(format!("cannot print the answer: {error}")))?;
        writeln!(out, "{}", text::json_inert(&value)).map_err(printed)?;
    } else {
        let job = accepted
            .job_id()
            .map(|job| format!(" (jobId {job})"))
            .unwrap_or_default();
        writeln!(
            out,
            "submitted: spsId {}{job} for {}; follow it with `spsdash show {} --contract {} --group {}`",
            accepted.sps_id,
            checked.cname_hostname,
            accepted.sps_id,
            pair.contract_id,
            pair.group().unwrap_or_default()
        )
        .map_err(printed)?;
    }
    Ok(Exit::Success)
}
