//! The CPS writes on enrollments: `POST /cps/v2/enrollments?contractId=C` creates one,
//! `PUT /cps/v2/enrollments/{id}` replaces one. Both take `enrollment.v11` and answer
//! `enrollment-status.v1` (`{"enrollment": …, "changes": [...]}`): 202 when a change starts,
//! 200 when the update needs none (the published description of the update). What the body
//! does to the world is `cps_submit.rs`; this file is the HTTP around it.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{post, put};
use serde_json::json;

use super::answers::problem;
use super::cps_change::ChangeKind;
use super::cps_http::{
    body_type, conflict, cps_json, negotiate, not_found, parse_json, refused_body, refused_query,
};
use super::cps_names::{CPS_BASE, ENROLLMENT_STATUS_V1, ENROLLMENT_V11, enrollment_path};
use super::cps_submit::{self, Refused, UpdateFlags};
use super::cps_world;
use super::handlers::Query;
use super::shared::Shared;

type AppState = State<Arc<Shared>>;

const WHAT: &str = "enrollment (application/vnd.akamai.cps.enrollment.v11+json)";

pub(super) fn routes() -> Router<Arc<Shared>> {
    let enrollments = format!("{CPS_BASE}/enrollments");
    Router::new()
        .route(&enrollments, post(create))
        .route(&format!("{enrollments}/{{enrollmentId}}"), put(replace))
}

fn change_path(enrollment_id: u64, change_id: u64) -> String {
    format!("{}/changes/{change_id}", enrollment_path(enrollment_id))
}

/// `enrollment-status.v1`.
fn status(code: StatusCode, enrollment_id: u64, changes: &[u64]) -> Response {
    let changes: Vec<String> = changes
        .iter()
        .map(|change| change_path(enrollment_id, *change))
        .collect();
    cps_json(
        code,
        ENROLLMENT_STATUS_V1,
        &json!({ "enrollment": enrollment_path(enrollment_id), "changes": changes }),
    )
}

/// The media types and the body, in that order: 406, 415, then 400.
fn take_body(
    headers: &HeaderMap,
    method: &str,
    uri: &Uri,
    body: &[u8],
) -> Result<cps_submit::Requested, Box<Response>> {
    negotiate(headers, method, uri, &[ENROLLMENT_STATUS_V1])?;
    body_type(headers, method, uri, &[ENROLLMENT_V11])?;
    let value = parse_json(body, WHAT)?;
    cps_submit::read(value).map_err(|violations| Box::new(refused_body(WHAT, &violations)))
}

/// A `YYYY-MM-DD` query flag, or the 400 naming it.
fn date_flag(query: &Query, name: &str) -> Result<Option<String>, Box<Response>> {
    let Some(text) = query.get(name) else {
        return Ok(None);
    };
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(_) => Ok(Some(text.to_string())),
        Err(_) => Err(Box::new(refused_query(
            name,
            &format!("must be a date like 2026-01-31, not '{text}'."),
        ))),
    }
}

/// A boolean query flag (`true`/`false`), or the 400 naming it.
fn bool_flag(query: &Query, name: &str) -> Result<bool, Box<Response>> {
    match query.get(name) {
        None => Ok(false),
        Some(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Some(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        Some(text) => Err(Box::new(refused_query(
            name,
            &format!("must be true or false, not '{text}'."),
        ))),
    }
}

/// `POST /cps/v2/enrollments?contractId=C`.
async fn create(State(shared): AppState, headers: HeaderMap, uri: Uri, body: Bytes) -> Response {
    let requested = match take_body(&headers, "POST", &uri, &body) {
        Ok(requested) => requested,
        Err(refusal) => return *refusal,
    };
    let query = Query::of(&uri);
    let Some(asked) = query.get("contractId") else {
        return refused_query(
            "contractId",
            "required; an enrollment is created in a contract, like ?contractId=C-1EXMPL \
             (GET /papi/v1/groups names the contracts).",
        );
    };
    let schedule = match (
        date_flag(&query, "deploy-not-before"),
        date_flag(&query, "deploy-not-after"),
    ) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(refusal), _) | (_, Err(refusal)) => return *refusal,
    };
    let contract = asked.strip_prefix("ctr_").unwrap_or(asked).to_string();
    let now = shared.clock.now();
    let mut world = shared.world_at(now);
    if !world.contract_ids().contains(&contract) {
        return problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!(
                "These credentials are not granted contract {contract}; GET /papi/v1/groups \
                 lists the contracts they may use."
            ),
            "POST",
            uri.path(),
        );
    }
    let enrollment_id = world.reserve_enrollment_ids(1);
    let book = &mut world.cps;
    let change_id = book.next_change_id();
    let names = requested.names.clone();
    let mut plan = cps_submit::change(
        change_id,
        ChangeKind::NewCertificate,
        &requested,
        &names,
        now,
        &mut book.rng,
    );
    (plan.answers.not_before, plan.answers.not_after) = schedule;
    book.insert(cps_submit::new_enrollment(
        enrollment_id,
        &contract,
        requested,
        plan,
    ));
    status(StatusCode::ACCEPTED, enrollment_id, &[change_id])
}

/// `PUT /cps/v2/enrollments/{id}`.
async fn replace(
    State(shared): AppState,
    Path(enrollment_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let requested = match take_body(&headers, "PUT", &uri, &body) {
        Ok(requested) => requested,
        Err(refusal) => return *refusal,
    };
    let query = Query::of(&uri);
    let flags = match read_flags(&query) {
        Ok(flags) => flags,
        Err(refusal) => return *refusal,
    };
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let mut world = shared.world_at(now);
    let Some(id) = enrollment_id.parse::<u64>().ok() else {
        return not_found("PUT", &uri, &format!("Enrollment {enrollment_id}"));
    };
    if world.cps.get(id).is_none() {
        if cps_world::find(&world, id, now, origin).is_some() {
            return conflict(&format!(
                "Enrollment {id} belongs to the simulator's SPS world, which changes it \
                 through SPS requests; the simulator updates only CPS's own enrollments."
            ));
        }
        return not_found("PUT", &uri, &format!("Enrollment {id}"));
    }
    let book = &mut world.cps;
    let change_id = book.next_change_id();
    let validity = book.validity;
    let Some((enrollment, rng)) = book.get_mut_with_rng(id) else {
        return not_found("PUT", &uri, &format!("Enrollment {id}"));
    };
    let outcome = cps_submit::update(enrollment, requested, &flags, validity, change_id, now, rng);
    match outcome {
        Ok(Some(change)) => status(StatusCode::ACCEPTED, id, &[change]),
        Ok(None) => status(StatusCode::OK, id, &[]),
        Err(Refused::Body(violations)) => refused_body(WHAT, &violations),
        Err(Refused::Pending(pending)) => {
            let pending: Vec<String> = pending
                .iter()
                .map(|change| change_path(id, *change))
                .collect();
            conflict(&format!(
                "Enrollment {id} has a pending change ({}); this update starts a new one. \
                 Send it again with ?allow-cancel-pending-changes=true to cancel the pending \
                 change, or wait until it completes.",
                pending.join(", ")
            ))
        }
    }
}

/// The published update flags the simulator acts on, each checked; the others it takes and
/// ignores (`allow-staging-bypass`, `renewal-date-check-override`,
/// `allow-missing-certificate-addition`) once they are booleans.
fn read_flags(query: &Query) -> Result<UpdateFlags, Box<Response>> {
    for ignored in [
        "allow-staging-bypass",
        "renewal-date-check-override",
        "allow-missing-certificate-addition",
    ] {
        bool_flag(query, ignored)?;
    }
    Ok(UpdateFlags {
        allow_cancel_pending_changes: bool_flag(query, "allow-cancel-pending-changes")?,
        force_renewal: bool_flag(query, "force-renewal")?,
        not_before: date_flag(query, "deploy-not-before")?,
        not_after: date_flag(query, "deploy-not-after")?,
    })
}
