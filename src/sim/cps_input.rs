//! What a client gives a change: `POST …/changes/{c}/input/update/{name}` (the `update` link
//! of an `allowedInput` entry) and `DELETE …/changes/{c}` (cancel). Both answer
//! `change-id.v1` (`{"change": …}`) with 200, as published.
//!
//! An acknowledgement (or an upload) ends the step waiting for it at that moment; `deny`
//! cancels the change (state `cancelled`, gone from the enrollment's `pendingChanges`). A
//! change that does not wait for that input now answers 409, as does a `change-management-ack`
//! whose `hash` is not the `validationResultHash` its info gives (the state it acknowledged
//! is not the one there is).
//!
//! `lets-encrypt-challenges-completed` only tells CPS the tokens are in place; CPS checks
//! them on its own (`requiredToProceed` is false), so acknowledging moves nothing: each
//! domain validates once its challenge is served (`/_sim/validate`).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{delete, post};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::cps_change::snapshot;
use super::cps_http::{
    body_type, conflict, cps_json, negotiate, not_found, parse_json, refused_body,
};
use super::cps_info::validation_result;
use super::cps_names::{
    ACKNOWLEDGEMENT_V1, ACKNOWLEDGEMENT_WITH_HASH_V1, CERTIFICATE_AND_TRUST_CHAIN_V1, CHANGE_ID_V1,
    CPS_BASE, InputKind, enrollment_path,
};
use super::cps_shapes;
use super::cps_world;
use super::json_shape::{self, Shape, Violation};
use super::shared::Shared;
use super::world::World;

type AppState = State<Arc<Shared>>;

pub(super) fn routes() -> Router<Arc<Shared>> {
    let change = format!("{CPS_BASE}/enrollments/{{enrollmentId}}/changes/{{changeId}}");
    Router::new().route(&change, delete(cancel)).route(
        &format!("{change}/input/update/{{updateType}}"),
        post(give_input),
    )
}

/// What the body says.
#[derive(Debug, PartialEq)]
enum Given {
    Acknowledge { hash: Option<String> },
    Deny,
    Upload,
}

fn change_path(enrollment_id: u64, change_id: u64) -> String {
    format!("{}/changes/{change_id}", enrollment_path(enrollment_id))
}

fn answered(enrollment_id: u64, change_id: u64) -> Response {
    cps_json(
        StatusCode::OK,
        CHANGE_ID_V1,
        &json!({ "change": change_path(enrollment_id, change_id) }),
    )
}

/// The body, checked against the published schema of its media type, and for meaning.
fn read_body(content_type: &str, body: &[u8]) -> Result<Given, Box<Response>> {
    let what = format!("input ({content_type})");
    let value = parse_json(body, &what)?;
    let shape: &Shape = match content_type {
        ACKNOWLEDGEMENT_V1 => &cps_shapes::ACKNOWLEDGEMENT_V1,
        ACKNOWLEDGEMENT_WITH_HASH_V1 => &cps_shapes::ACKNOWLEDGEMENT_WITH_HASH_V1,
        CERTIFICATE_AND_TRUST_CHAIN_V1 => &cps_shapes::CERTIFICATE_AND_TRUST_CHAIN_V1,
        _ => &cps_shapes::CERTIFICATE_AND_TRUST_CHAIN_V2,
    };
    let mut violations = json_shape::check(&value, shape);
    if violations.is_empty() && value.get("acknowledgement").is_none() {
        violations.extend(certificate_problems(&value));
    }
    if !violations.is_empty() {
        return Err(Box::new(refused_body(&what, &violations)));
    }
    Ok(match value.get("acknowledgement").and_then(Value::as_str) {
        Some("deny") => Given::Deny,
        Some(_) => Given::Acknowledge {
            hash: value
                .get("hash")
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        None => Given::Upload,
    })
}

/// An upload must carry a certificate in PEM (the schema lets it be null).
fn certificate_problems(value: &Value) -> Vec<Violation> {
    let entries: Vec<(String, &Value)> = match value.get("certificatesAndTrustChains") {
        Some(Value::Array(list)) if list.is_empty() => {
            return vec![Violation::refused(
                "certificatesAndTrustChains",
                "give at least one certificate with its trust chain.",
            )];
        }
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                (
                    format!("certificatesAndTrustChains[{index}].certificate"),
                    entry.get("certificate").unwrap_or(&Value::Null),
                )
            })
            .collect(),
        _ => vec![(
            "certificate".to_string(),
            value.get("certificate").unwrap_or(&Value::Null),
        )],
    };
    entries
        .into_iter()
        .filter(|(_, certificate)| {
            !certificate
                .as_str()
                .is_some_and(|pem| pem.trim_start().starts_with("-----BEGIN CERTIFICATE-----"))
        })
        .map(|(field, _)| {
            Violation::refused(
                &field,
                "give the certificate your CA signed for the change's CSR, in PEM \
                 (-----BEGIN CERTIFICATE-----…).",
            )
        })
        .collect()
}

async fn give_input(
    State(shared): AppState,
    Path((enrollment_id, change_id, update)): Path<(String, String, String)>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some(kind) = InputKind::from_update_name(&update) else {
        return not_found("POST", &uri, &format!("Input '{update}'"));
    };
    let given = match negotiate(&headers, "POST", &uri, &[CHANGE_ID_V1])
        .and_then(|_| body_type(&headers, "POST", &uri, kind.update_media_types()))
        .and_then(|content_type| read_body(content_type, &body))
    {
        Ok(given) => given,
        Err(refusal) => return *refusal,
    };
    let (Ok(enrollment_id), Ok(change_id)) = (enrollment_id.parse::<u64>(), change_id.parse())
    else {
        return not_found(
            "POST",
            &uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let mut world = shared.world_at(now);
    if world.cps.get(enrollment_id).is_none() {
        return made_by_sps(
            &world,
            &uri,
            (enrollment_id, change_id),
            kind,
            &given,
            now,
            origin,
        );
    }
    let Some(enrollment) = world.cps.get(enrollment_id) else {
        return not_found("POST", &uri, &format!("Enrollment {enrollment_id}"));
    };
    let Some(plan) = enrollment.change(change_id, now) else {
        return not_found(
            "POST",
            &uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    let shown = snapshot(plan, now);
    if shown.waits_for != Some(kind) {
        return conflict(&format!(
            "Change {change_id} of enrollment {enrollment_id} does not wait for {} now (it is \
             {}: {}); read the change again for what it allows.",
            kind.input_type(),
            shown.state,
            shown.status
        ));
    }
    if let Given::Acknowledge { hash: Some(hash) } = &given {
        let (_, expected) = validation_result(enrollment, plan);
        if *hash != expected {
            return conflict(&format!(
                "The hash {hash} is not the validationResultHash of change {change_id}'s \
                 change-management info: read the info again and acknowledge what it says now."
            ));
        }
    }
    let Some(plan) = world.cps.get_mut(enrollment_id).and_then(|enrollment| {
        enrollment
            .changes
            .iter_mut()
            .find(|plan| plan.id == change_id)
    }) else {
        return not_found(
            "POST",
            &uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    match given {
        Given::Deny => plan.answers.cancelled = Some(now),
        Given::Acknowledge { .. } | Given::Upload => plan.answers.given.push((kind, now)),
    }
    answered(enrollment_id, change_id)
}

/// Input to a change of an enrollment the SPS world made: its challenges are served through
/// SPS's world, so acknowledging them is taken and moves nothing; nothing else is open to it.
fn made_by_sps(
    world: &World,
    uri: &Uri,
    (enrollment_id, change_id): (u64, u64),
    kind: InputKind,
    given: &Given,
    now: DateTime<Utc>,
    origin: DateTime<Utc>,
) -> Response {
    let Some(enrollment) = cps_world::find(world, enrollment_id, now, origin) else {
        return not_found("POST", uri, &format!("Enrollment {enrollment_id}"));
    };
    let Some(request) = enrollment.change(change_id) else {
        return not_found(
            "POST",
            uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    let waits = super::cps_wire::challenges_json(request, now, &world.thumbprint).is_some();
    match (kind, given) {
        (InputKind::LetsEncryptChallenges, Given::Acknowledge { .. }) if waits => {
            answered(enrollment_id, change_id)
        }
        _ => conflict(&format!(
            "Change {change_id} of enrollment {enrollment_id} does not take {} now (the \
             simulator's SPS world drives it; only acknowledging open Let's Encrypt challenges \
             is taken).",
            kind.update_name()
        )),
    }
}

/// `DELETE …/changes/{c}`: cancels a pending change.
async fn cancel(
    State(shared): AppState,
    Path((enrollment_id, change_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(refusal) = negotiate(&headers, "DELETE", &uri, &[CHANGE_ID_V1]) {
        return *refusal;
    }
    let (Ok(enrollment_id), Ok(change_id)) =
        (enrollment_id.parse::<u64>(), change_id.parse::<u64>())
    else {
        return not_found(
            "DELETE",
            &uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    let now = shared.clock.now();
    let mut world = shared.world_at(now);
    let Some(plan) = world.cps.get_mut(enrollment_id).and_then(|enrollment| {
        enrollment
            .changes
            .iter_mut()
            .find(|plan| plan.id == change_id && plan.created <= now)
    }) else {
        return not_found(
            "DELETE",
            &uri,
            &format!("Change {change_id} of enrollment {enrollment_id}"),
        );
    };
    let shown = snapshot(plan, now);
    if !shown.is_pending() {
        return conflict(&format!(
            "Change {change_id} of enrollment {enrollment_id} is {} and can no longer be \
             cancelled.",
            shown.state
        ));
    }
    plan.answers.cancelled = Some(now);
    answered(enrollment_id, change_id)
}
