//! `spsdash proceed ENROLLMENT [--deny] [--yes]`: answer what a CPS change waits for. What
//! CPS says comes first (the warnings, the pending certificate, the challenges' readiness,
//! the CSR); then the answer goes to the change's own `update` link, journaled. A change that
//! moved meanwhile (409) is read again and shown again; nothing old is sent on.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::json;

use crate::cps::input::{Answer, Decision, InputKind};
use crate::cps::upload_check::check_upload;
use crate::dvcheck::{self, CheckOptions, ResolveMap};
use crate::export::DomainScope;
use crate::model::Scope;
use crate::orders::cps_answer::{
    AnswerError, InputInfo, WaitingInput, plan_answer, read_waiting, send_answer,
};
use crate::text;

use super::cps_submit::{Shown, print_requests, writable};
use super::dv_report::check_report;
use super::scope_args::request_id;
use super::{CommandError, CommandResult, Context, Exit};

/// Reads again and asks again this often when the change keeps moving under the answer.
const ROUNDS: usize = 3;

/// The command's flags.
pub struct ProceedArgs {
    pub enrollment: String,
    pub deny: bool,
    pub yes: bool,
    pub certificate: Option<std::path::PathBuf>,
    pub trust_chain: Option<std::path::PathBuf>,
    pub skip_check: bool,
    pub resolve: Vec<String>,
    pub dry_run: bool,
}

pub async fn run(context: &Context, args: ProceedArgs) -> CommandResult {
    if context.api() != crate::model::Api::Cps {
        return Err(CommandError::usage(
            "proceed answers CPS changes: run it with --backend cps (SPS asks nothing of the \
             operator but the challenges)",
        ));
    }
    let id = request_id(context.api(), &args.enrollment)?;
    let resolve = ResolveMap::parse(&args.resolve).map_err(CommandError::usage)?;
    for round in 0..ROUNDS {
        let waiting = read_waiting(&context.client, id)
            .await
            .map_err(|error| match error {
                AnswerError::Nothing(message) => CommandError::api(message),
                other => CommandError::api(other.message().to_string()),
            })?;
        describe(&waiting);
        let answer = answer_for(context, &waiting, &args, &resolve).await?;
        let write = plan_answer(&context.client, &waiting, &answer).map_err(CommandError::api)?;
        if args.dry_run {
            return print_requests(&[Shown::of_write(&write)], &[], context.global.json);
        }
        let journal = writable(context)?;
        if !args.yes && !auto_acknowledged(context, &waiting, &args) && !confirm(&waiting, &answer)?
        {
            return Err(CommandError::usage("not answered: nothing was sent"));
        }
        match send_answer(
            &context.client,
            &journal,
            &Scope::contract(""),
            &waiting,
            &write,
        )
        .await
        {
            Ok(change) => {
                let change = change.change.unwrap_or_else(|| waiting.change.clone());
                if context.global.json {
                    let document = json!({
                        "enrollmentId": id, "input": waiting.kind.input_type(),
                        "answer": answer.body, "change": change,
                    });
                    println!("{}", text::json_inert(&document.to_string()));
                } else {
                    println!(
                        "answered: {} of enrollment {id} ({}); follow it with `spsdash show {id}`",
                        waiting.kind.awaiting().label(),
                        text::inert(&change)
                    );
                }
                return Ok(Exit::Success);
            }
            Err(AnswerError::Moved(message)) if round + 1 < ROUNDS => {
                super::output::warn(&message);
            }
            Err(error) => return Err(CommandError::api(error.message().to_string())),
        }
    }
    Err(CommandError::api(
        "the change kept moving while it was answered; nothing was sent for its last state",
    ))
}

/// What CPS says of the input, on stderr (stdout keeps the outcome).
fn describe(waiting: &WaitingInput) {
    for line in crate::orders::cps_answer_text::describe(waiting) {
        super::output::eprint_line(&line);
    }
}

/// The answer to send, after the checks its kind needs.
async fn answer_for(
    context: &Context,
    waiting: &WaitingInput,
    args: &ProceedArgs,
    resolve: &ResolveMap,
) -> Result<Answer, CommandError> {
    let decision = if args.deny {
        Decision::Deny
    } else {
        Decision::Acknowledge
    };
    match waiting.kind {
        InputKind::ThirdPartyCertificate => {
            if args.deny {
                return Err(CommandError::usage(
                    "a third-party change waits for a certificate, not a decision: upload one \
                     with --certificate FILE, or cancel the change in CPS",
                ));
            }
            let Some(path) = &args.certificate else {
                return Err(CommandError::usage(
                    "upload the certificate your CA issued for the CSR above: --certificate \
                     FILE [--trust-chain FILE]",
                ));
            };
            let read = |path: &std::path::Path| {
                crate::private_fs::read_text(path, crate::private_fs::MAX_INPUT_BYTES).map_err(
                    |error| CommandError::usage(format!("cannot read {}: {error}", path.display())),
                )
            };
            let certificate = read(path)?;
            let chain = args.trust_chain.as_deref().map(read).transpose()?;
            let csrs: Vec<String> = match &waiting.info {
                InputInfo::ThirdPartyCsr(csrs) => {
                    csrs.csrs.iter().filter_map(|csr| csr.csr.clone()).collect()
                }
                _ => Vec::new(),
            };
            let checked = check_upload(&certificate, chain.as_deref(), &csrs, chrono::Utc::now())
                .map_err(|problems| {
                CommandError::usage(format!(
                    "the certificate was not uploaded:\n{}",
                    problems.join("\n")
                ))
            })?;
            Ok(Answer::upload(
                &certificate,
                chain.as_deref(),
                checked.key_algorithm,
            ))
        }
        InputKind::Challenges if decision == Decision::Acknowledge && !args.skip_check => {
            let request = context.client.get(None, waiting.enrollment_id).await?;
            let targets = dvcheck::targets(&request, &DomainScope::Pending)
                .map_err(|error| CommandError::usage(error.to_string()))?;
            let options = CheckOptions::from_config(resolve, None, &context.config.check);
            let results = dvcheck::check_all(targets, &options).await;
            if !dvcheck::all_ready(&results) {
                print!("{}", check_report(waiting.enrollment_id, &results, false));
                return Err(CommandError::api(
                    "not every domain is ready, so CPS was not told the challenges are complete; \
                     serve them (`spsdash redirects`, `spsdash webroot`) and run proceed again, \
                     or pass --skip-check",
                ));
            }
            Ok(Answer::decision(decision, None))
        }
        InputKind::ChangeManagement => Ok(Answer::decision(decision, waiting.hash())),
        _ => Ok(Answer::decision(decision, None)),
    }
}

/// Warnings the config acknowledges without asking (every one matches a pattern).
fn auto_acknowledged(context: &Context, waiting: &WaitingInput, args: &ProceedArgs) -> bool {
    let InputInfo::Warnings(warnings) = &waiting.info else {
        return false;
    };
    let lines = warnings.lines();
    if args.deny || !context.config.cps.acknowledges_all(&lines) {
        return false;
    }
    tracing::info!(
        enrollment = waiting.enrollment_id,
        warnings = ?lines,
        "warnings acknowledged without asking: each matches [cps] auto_acknowledge_warnings"
    );
    eprintln!(
        "spsdash: every warning matches [cps] auto_acknowledge_warnings: acknowledged without asking"
    );
    true
}

/// Asks on the terminal; refuses (without asking) when there is none.
fn confirm(waiting: &WaitingInput, answer: &Answer) -> Result<bool, CommandError> {
    if !std::io::stdin().is_terminal() {
        return Err(CommandError::usage(
            "no terminal to ask on: pass --yes to answer without being asked (--dry-run shows \
             the request)",
        ));
    }
    let verb = answer
        .body
        .get("acknowledgement")
        .and_then(|word| word.as_str())
        .unwrap_or("upload");
    eprint!(
        "{verb} {} of enrollment {}? [y/N] ",
        waiting.kind.awaiting().label(),
        waiting.enrollment_id
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| CommandError::usage(format!("cannot read the answer: {error}")))?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}
