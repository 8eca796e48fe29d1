//! The CPS endpoints spsdash reads, served from the SPS world (see `cps_world.rs`), behind the
//! same layers as the SPS routes (signature check, faults, statistics). Each answers only
//! the versioned media type CPS documents for it: any other `Accept` is a 406.
//! The bodies are built in `cps_wire.rs`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::answers::problem;
use super::cps_wire::{challenges_json, change_json, deployment_json, enrollment_json};
use super::cps_world::{self, SimEnrollment};
use super::shared::Shared;
use crate::cps::{
    CHANGE_MEDIA_TYPE, DEPLOYMENT_MEDIA_TYPE, DEPLOYMENTS_MEDIA_TYPE, DV_CHALLENGES_MEDIA_TYPE,
    ENROLLMENT_MEDIA_TYPE, LETS_ENCRYPT_CHALLENGES,
};
use crate::model::Network;

type AppState = State<Arc<Shared>>;

/// The CPS routes, to merge into the signed API router.
pub(super) fn routes() -> Router<Arc<Shared>> {
    let enrollment = "/cps/v2/enrollments/{enrollmentId}";
    Router::new()
        .route(enrollment, get(read_enrollment))
        .route(&format!("{enrollment}/deployments"), get(read_deployments))
        .route(
            &format!("{enrollment}/deployments/{{network}}"),
            get(read_deployment),
        )
        .route(
            &format!("{enrollment}/changes/{{changeId}}"),
            get(read_change),
        )
        .route(
            &format!("{enrollment}/changes/{{changeId}}/input/info/{LETS_ENCRYPT_CHALLENGES}"),
            get(read_challenges),
        )
}

/// A CPS answer in its media type.
fn cps_json(media_type: &str, value: &Value) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (StatusCode::OK, [(header::CONTENT_TYPE, media_type)], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn not_found(uri: &Uri, what: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        &format!("{what} does not exist."),
        "GET",
        uri.path(),
    )
}

/// 406 unless `Accept` names `media_type` (parameters and case aside).
fn refuse_unless_accepts(headers: &HeaderMap, uri: &Uri, media_type: &str) -> Option<Response> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let accepted = accept.split(',').any(|item| {
        item.split(';')
            .next()
            .is_some_and(|kind| kind.trim().eq_ignore_ascii_case(media_type))
    });
    (!accepted).then(|| {
        problem(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable",
            &format!("This resource is served as {media_type}; send `Accept: {media_type}` (got `{accept}`)."),
            "GET",
            uri.path(),
        )
    })
}

/// Runs `answer` on the enrollment named in the path, after the `Accept` check.
fn with_enrollment(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    enrollment_id: &str,
    media_type: &str,
    answer: impl FnOnce(&SimEnrollment<'_>) -> Option<Value>,
) -> Response {
    if let Some(refusal) = refuse_unless_accepts(headers, uri, media_type) {
        return refusal;
    }
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let world = shared.world_at(now);
    let found = enrollment_id
        .parse::<u64>()
        .ok()
        .and_then(|id| cps_world::find(&world, id, now, origin));
    let Some(enrollment) = found else {
        return not_found(uri, &format!("Enrollment {enrollment_id}"));
    };
    match answer(&enrollment) {
        Some(value) => cps_json(media_type, &value),
        None => not_found(uri, &format!("This resource of enrollment {enrollment_id}")),
    }
}

async fn read_enrollment(
    State(shared): AppState,
    Path(enrollment_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        ENROLLMENT_MEDIA_TYPE,
        |enrollment| Some(enrollment_json(enrollment)),
    )
}

async fn read_deployments(
    State(shared): AppState,
    Path(enrollment_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        DEPLOYMENTS_MEDIA_TYPE,
        |enrollment| {
            let on = |network| {
                enrollment
                    .deployed(network)
                    .map_or(Value::Null, |issued| deployment_json(enrollment, &issued))
            };
            Some(json!({ "production": on(Network::Production), "staging": on(Network::Staging) }))
        },
    )
}

async fn read_deployment(
    State(shared): AppState,
    Path((enrollment_id, network)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let network = match network.as_str() {
        "production" => Network::Production,
        "staging" => Network::Staging,
        _ => return not_found(&uri, &format!("Network {network}")),
    };
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        DEPLOYMENT_MEDIA_TYPE,
        |enrollment| {
            let issued = enrollment.deployed(network)?;
            Some(deployment_json(enrollment, &issued))
        },
    )
}

async fn read_change(
    State(shared): AppState,
    Path((enrollment_id, change_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        CHANGE_MEDIA_TYPE,
        |enrollment| {
            let request = enrollment.change(change_id.parse().ok()?)?;
            Some(change_json(enrollment, request))
        },
    )
}

async fn read_challenges(
    State(shared): AppState,
    Path((enrollment_id, change_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let thumbprint = shared.world().thumbprint.clone();
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        DV_CHALLENGES_MEDIA_TYPE,
        |enrollment| {
            let request = enrollment.change(change_id.parse().ok()?)?;
            challenges_json(request, enrollment.now, &thumbprint)
        },
    )
}

#[cfg(test)]
mod tests {
    use crate::sim::cps_wire::route_template;

    #[test]
    fn cps_paths_are_counted_by_route() {
        let template = |path: &str| route_template(path).unwrap_or_default();
        assert_eq!(
            template("/cps/v2/enrollments/10002"),
            "/cps/v2/enrollments/{enrollmentId}"
        );
        assert_eq!(
            template("/cps/v2/enrollments/10002/deployments/staging"),
            "/cps/v2/enrollments/{enrollmentId}/deployments/staging"
        );
        assert_eq!(
            template("/cps/v2/enrollments/1/changes/44434/input/info/lets-encrypt-challenges"),
            "/cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/info/lets-encrypt-challenges"
        );
        assert_eq!(route_template("/cps/v2/enrollments/x"), None);
        assert_eq!(route_template("/cps/v2/enrollments/1/elsewhere"), None);
    }
}
