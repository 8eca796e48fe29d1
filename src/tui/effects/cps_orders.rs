//! The CPS orders' effects: plan the wizard's new certificate (the client builds the exact
//! requests the review shows) and send it, and for `a`/`e`/`A` read what is needed, plan the
//! request(s) and send the one the operator picked. Every send goes through `orders`, which
//! journals it first and never sends it twice; each result comes back as one event.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::cps_prompt::{CpsPlanJob, CpsReview, CpsSend, CpsSendJob, CpsSent, ReviewOption};
use crate::app::wizard::CpsCreate;
use crate::app::{CpsCreatedNote, Event};
use crate::config::CheckConfig;
use crate::cps::input::{Answer, Decision, InputKind};
use crate::dvcheck::{self, CheckOptions, ResolveMap};
use crate::export::DomainScope;
use crate::model::{CertRequest, Scope};
use crate::orders::cps_answer::{self, AnswerError, InputInfo, WaitingInput};
use crate::orders::cps_answer_text::describe;
use crate::orders::papi_edge::{plan_edge_hostname, send_edge_hostname};
use crate::orders::shown::Shown;
use crate::orders::{cps_create, cps_names};
use crate::papi::EdgeHostnameOrder;
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

/// Why nothing can be sent without a journal: a lost answer could not be reconciled.
const NO_JOURNAL: &str =
    "no data directory for the submissions journal (set SPSDASH_DATA_DIR); nothing was sent";

/// The wizard's review: the enrollment's request, then the edge hostname's.
pub(super) fn plan_create(
    backend: &Backend,
    create: Box<CpsCreate>,
    results: &UnboundedSender<Event>,
) {
    let result = cps_create::plan_create(backend, &create.scope, &create.order).map(|planned| {
        vec![
            Shown::of_write(&planned.enrollment),
            Shown::of(&planned.edge_hostname),
        ]
    });
    let _ = results.send(Event::CpsCreatePlanned { create, result });
}

pub(super) fn create(
    backend: Backend,
    journal: Option<SubmissionJournal>,
    create: Box<CpsCreate>,
    results: UnboundedSender<Event>,
) {
    tokio::spawn(async move {
        let scope = create.scope.clone();
        let result = match journal {
            None => Err(NO_JOURNAL.to_string()),
            Some(journal) => cps_create::create(&backend, &journal, &scope, &create.order, false)
                .await
                .map(|created| {
                    let found = if created.found_after_loss {
                        " (its answer was lost; found on the contract, not ordered again)"
                    } else {
                        ""
                    };
                    let name = create.order.edge_hostname(created.enrollment_id).hostname();
                    let (edge, failed) = match &created.edge_hostname {
                        Ok(_) => (format!("; edge hostname {name} made"), false),
                        Err(why) => (format!("; {why}"), true),
                    };
                    CpsCreatedNote {
                        enrollment_id: created.enrollment_id,
                        text: format!("enrollment {} ordered{found}{edge}", created.enrollment_id),
                        edge_hostname_failed: failed,
                    }
                })
                .map_err(|error| error.message(&scope, create.order.common_name())),
        };
        let _ = results.send(Event::CpsCreated { scope, result });
    });
}

pub(super) fn plan(backend: Backend, job: CpsPlanJob, results: UnboundedSender<Event>) {
    tokio::spawn(async move {
        let (enrollment_id, result) = match job {
            CpsPlanJob::AddNames {
                scope,
                enrollment_id,
                names,
            } => (
                enrollment_id,
                plan_names(&backend, scope, enrollment_id, &names).await,
            ),
            CpsPlanJob::EdgeHost {
                scope,
                enrollment_id,
                prefix,
                product,
            } => (
                enrollment_id,
                plan_edge(&backend, scope, enrollment_id, &prefix, &product),
            ),
            CpsPlanJob::Answer {
                scope,
                request,
                check,
            } => (
                request.id,
                plan_answer(&backend, scope, &request, &check).await,
            ),
        };
        let _ = results.send(Event::CpsPlanned {
            enrollment_id,
            result,
        });
    });
}

async fn plan_names(
    backend: &Backend,
    scope: Scope,
    enrollment_id: u64,
    names: &[String],
) -> Result<CpsReview, String> {
    let planned = cps_names::plan_names(backend, enrollment_id, names, false).await?;
    let request = Shown::of_write(&planned.write);
    Ok(CpsReview {
        lines: vec![
            format!("adding {}: {}", names.len(), names.join(", ")),
            "The enrollment goes back whole with the names added to csr.sans; CPS starts a \
             change whose challenges are for the new names."
                .to_string(),
        ],
        warnings: Vec::new(),
        options: vec![option(
            'y',
            "add the names",
            request,
            CpsSendJob::Names { scope, planned },
        )],
    })
}

fn plan_edge(
    backend: &Backend,
    scope: Scope,
    enrollment_id: u64,
    prefix: &str,
    product: &str,
) -> Result<CpsReview, String> {
    let order = EdgeHostnameOrder::enhanced_tls(product, prefix, false, enrollment_id);
    let edge = plan_edge_hostname(backend, &scope, &order)?;
    let request = Shown::of(&edge.planned);
    Ok(CpsReview {
        lines: vec![format!(
            "{} on Enhanced TLS for enrollment {enrollment_id}, in group {}",
            edge.name,
            scope.group().unwrap_or("?")
        )],
        warnings: Vec::new(),
        options: vec![option(
            'y',
            "make the edge hostname",
            request,
            CpsSendJob::EdgeHost { scope, edge },
        )],
    })
}

async fn plan_answer(
    backend: &Backend,
    scope: Scope,
    request: &CertRequest,
    check: &CheckConfig,
) -> Result<CpsReview, String> {
    let waiting = cps_answer::read_waiting(backend, request.id)
        .await
        .map_err(|error| error.message().to_string())?;
    let mut lines = describe(&waiting);
    let warnings = match &waiting.info {
        InputInfo::Warnings(warnings) => warnings.lines(),
        _ => Vec::new(),
    };
    let mut choices: Vec<(char, &str, Answer)> = Vec::new();
    match waiting.kind {
        InputKind::ThirdPartyCertificate => lines.push(format!(
            "Upload the certificate your CA issued for this CSR with `spsdash proceed {} \
             --certificate FILE [--trust-chain FILE]` (checked against the CSR first).",
            waiting.enrollment_id
        )),
        InputKind::Challenges => {
            let ready = readiness(request, check, &mut lines).await;
            let key = if ready { 'y' } else { 'S' };
            let label = if ready {
                "tell CPS the challenges are complete"
            } else {
                "tell CPS anyway"
            };
            choices.push((key, label, Answer::decision(Decision::Acknowledge, None)));
        }
        InputKind::ChangeManagement => {
            choices.push((
                'y',
                "acknowledge: deploy to production",
                Answer::decision(Decision::Acknowledge, waiting.hash()),
            ));
            choices.push((
                'd',
                "deny",
                Answer::decision(Decision::Deny, waiting.hash()),
            ));
        }
        InputKind::PreVerificationWarnings | InputKind::PostVerificationWarnings => {
            choices.push((
                'y',
                "acknowledge the warnings",
                Answer::decision(Decision::Acknowledge, None),
            ));
            choices.push((
                'd',
                "deny (the change is cancelled)",
                Answer::decision(Decision::Deny, None),
            ));
        }
    }
    let mut options = Vec::new();
    for (key, label, answer) in choices {
        let write = cps_answer::plan_answer(backend, &waiting, &answer)?;
        options.push(option(
            key,
            label,
            Shown::of_write(&write),
            CpsSendJob::Answer {
                scope: scope.clone(),
                waiting: waiting.clone(),
                write,
            },
        ));
    }
    Ok(CpsReview {
        lines,
        warnings,
        options,
    })
}

/// The readiness check of the domains still pending, as the CA would see them; true when
/// every one is ready. Its verdicts are added to `lines`.
async fn readiness(request: &CertRequest, check: &CheckConfig, lines: &mut Vec<String>) -> bool {
    let targets = match dvcheck::targets(request, &DomainScope::Pending) {
        Ok(targets) => targets,
        Err(error) => {
            lines.push(format!("readiness not checked: {error}"));
            return false;
        }
    };
    let options = CheckOptions::from_config(&ResolveMap::default(), None, check);
    let results = dvcheck::check_all(targets, &options).await;
    for result in &results {
        lines.push(format!("  readiness: {}", result.summary()));
    }
    let ready = dvcheck::all_ready(&results);
    if !ready {
        lines.push(
            "Not every domain is ready: serve them first (y/w/W in the detail copy or write \
             the rules and files), or S tells CPS anyway."
                .to_string(),
        );
    }
    ready
}

fn option(key: char, label: &str, request: Shown, job: CpsSendJob) -> ReviewOption {
    ReviewOption {
        key,
        label: label.to_string(),
        request,
        send: CpsSend(Arc::new(job)),
    }
}

pub(super) fn send(
    backend: Backend,
    journal: Option<SubmissionJournal>,
    send: CpsSend,
    results: UnboundedSender<Event>,
) {
    tokio::spawn(async move {
        let (enrollment_id, sent) = match journal {
            None => (
                enrollment_of(&send.0),
                CpsSent::Failed(NO_JOURNAL.to_string()),
            ),
            Some(journal) => sent(&backend, &journal, &send.0).await,
        };
        let _ = results.send(Event::CpsSent {
            enrollment_id,
            sent,
        });
    });
}

fn enrollment_of(job: &CpsSendJob) -> u64 {
    match job {
        CpsSendJob::Names { planned, .. } => planned.enrollment_id,
        CpsSendJob::EdgeHost { edge, .. } => edge_enrollment(edge),
        CpsSendJob::Answer { waiting, .. } => waiting.enrollment_id,
    }
}

/// The enrollment an edge hostname's body names (`certEnrollmentId`).
fn edge_enrollment(edge: &crate::orders::papi_edge::PlannedEdgeHostname) -> u64 {
    serde_json::from_slice::<serde_json::Value>(&edge.planned.body)
        .ok()
        .and_then(|body| body.get("certEnrollmentId").and_then(|id| id.as_u64()))
        .unwrap_or_default()
}

async fn sent(backend: &Backend, journal: &SubmissionJournal, job: &CpsSendJob) -> (u64, CpsSent) {
    let id = enrollment_of(job);
    let sent = match job {
        CpsSendJob::Names { scope, planned } => {
            match cps_names::add_names(backend, journal, scope, planned).await {
                Ok(status) => CpsSent::Done(format!(
                    "enrollment {id}: names sent; CPS started {}",
                    if status.changes.is_empty() {
                        "no new change".to_string()
                    } else {
                        format!("change {}", status.changes.join(", "))
                    }
                )),
                Err(why) => CpsSent::Failed(why),
            }
        }
        CpsSendJob::EdgeHost { scope, edge } => {
            match send_edge_hostname(backend, journal, scope, edge).await {
                Ok(link) => CpsSent::Done(format!(
                    "edge hostname {} made for enrollment {id} ({link})",
                    edge.name
                )),
                Err(failure) => CpsSent::Failed(format!(
                    "the edge hostname {} was not made: {}",
                    edge.name,
                    failure.message()
                )),
            }
        }
        CpsSendJob::Answer {
            scope,
            waiting,
            write,
        } => answered(backend, journal, scope, waiting, write).await,
    };
    (id, sent)
}

async fn answered(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    waiting: &WaitingInput,
    write: &crate::cps::writes::PlannedWrite,
) -> CpsSent {
    match cps_answer::send_answer(backend, journal, scope, waiting, write).await {
        Ok(_) => CpsSent::Done(format!(
            "enrollment {}: answered {} ({}); CPS goes on",
            waiting.enrollment_id,
            waiting.kind.awaiting().label(),
            write.what
        )),
        Err(AnswerError::Moved(why)) => CpsSent::Moved(why),
        Err(error) => CpsSent::Failed(error.message().to_string()),
    }
}
