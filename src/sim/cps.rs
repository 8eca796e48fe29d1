//! The CPS v2 reads, behind the same layers as the SPS routes (signature check, faults,
//! statistics): the enrollments of a contract, one enrollment, its changes and what they wait
//! for, its deployments and its change history (the writes: `cps_writes.rs`, `cps_input.rs`).
//! Two kinds of enrollment answer: those the SPS world made (`cps_world.rs`, one world with
//! SPS) and the CPS world's own (`cps_book.rs`). Each route answers only the versioned media
//! types CPS documents for it: any other `Accept` is a 406 naming the type to send.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::answers::problem;
use super::cps_book::NativeEnrollment;
use super::cps_http::{cps_json, negotiate, not_found};
use super::cps_info;
use super::cps_names::{
    CHANGE_HISTORY_V5, CHANGE_V2, CPS_BASE, DEPLOYMENT, DEPLOYMENTS, ENROLLMENT_V11,
    ENROLLMENTS_V11, InputKind, Network,
};
use super::cps_world::{self, SimEnrollment};
use super::handlers::Query;
use super::shared::Shared;
use super::world::World;
use super::{cps_native_wire as own, cps_wire as made};

type AppState = State<Arc<Shared>>;

/// The CPS routes, to merge into the signed API router.
pub(super) fn routes() -> Router<Arc<Shared>> {
    let enrollments = format!("{CPS_BASE}/enrollments");
    let enrollment = format!("{enrollments}/{{enrollmentId}}");
    let change = format!("{enrollment}/changes/{{changeId}}");
    Router::new()
        .route(&enrollments, get(list))
        .route(&enrollment, get(read_enrollment))
        .route(&format!("{enrollment}/deployments"), get(read_deployments))
        .route(
            &format!("{enrollment}/deployments/{{network}}"),
            get(read_deployment),
        )
        .route(&format!("{enrollment}/history/changes"), get(read_history))
        .route(&change, get(read_change))
        .route(&format!("{change}/input/info/{{infoType}}"), get(read_info))
}

/// An enrollment as CPS knows it at one moment.
enum Found<'a> {
    Own(&'a NativeEnrollment),
    Made(SimEnrollment<'a>),
}

fn find(world: &World, id: u64, now: DateTime<Utc>, origin: DateTime<Utc>) -> Option<Found<'_>> {
    match world.cps.get(id) {
        Some(own) => Some(Found::Own(own)),
        None => cps_world::find(world, id, now, origin).map(Found::Made),
    }
}

/// Runs `answer` on the enrollment named in the path, after the `Accept` check.
fn with_enrollment(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    enrollment_id: &str,
    offered: &[&'static str],
    answer: impl FnOnce(&Found<'_>, &World, DateTime<Utc>, &'static str) -> Option<Value>,
) -> Response {
    let media_type = match negotiate(headers, "GET", uri, offered) {
        Ok(media_type) => media_type,
        Err(refusal) => return *refusal,
    };
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let world = shared.world_at(now);
    let found = enrollment_id
        .parse::<u64>()
        .ok()
        .and_then(|id| find(&world, id, now, origin));
    let Some(enrollment) = found else {
        return not_found("GET", uri, &format!("Enrollment {enrollment_id}"));
    };
    match answer(&enrollment, &world, now, media_type) {
        Some(value) => cps_json(StatusCode::OK, media_type, &value),
        None => not_found(
            "GET",
            uri,
            &format!("This resource of enrollment {enrollment_id}"),
        ),
    }
}

/// `GET /cps/v2/enrollments?contractId=C`: every enrollment of the contract (`ctr_` or not).
async fn list(State(shared): AppState, headers: HeaderMap, uri: Uri) -> Response {
    let media_type = match negotiate(&headers, "GET", &uri, &[ENROLLMENTS_V11]) {
        Ok(media_type) => media_type,
        Err(refusal) => return *refusal,
    };
    let query = Query::of(&uri);
    let Some(asked) = query.get("contractId") else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "contractId is required: the enrollments are listed per contract, like \
             ?contractId=C-1EXMPL (GET /papi/v1/groups names the contracts).",
            "GET",
            uri.path(),
        );
    };
    let contract = asked.strip_prefix("ctr_").unwrap_or(asked);
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let world = shared.world_at(now);
    if !world.contract_ids().iter().any(|id| id == contract) {
        return problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!(
                "These credentials are not granted contract {contract}; GET /papi/v1/groups \
                 lists the contracts they may use."
            ),
            "GET",
            uri.path(),
        );
    }
    let mut listed: Vec<(u64, Value)> = world
        .cps
        .of_contract(contract)
        .into_iter()
        .map(|enrollment| {
            (
                enrollment.id,
                own::enrollment_json(enrollment, &world.cps, now),
            )
        })
        .collect();
    listed.extend(
        cps_world::of_contract(&world, contract, now, origin)
            .iter()
            .map(|enrollment| (enrollment.id, made::enrollment_json(enrollment))),
    );
    listed.sort_by_key(|(id, _)| *id);
    let enrollments: Vec<Value> = listed.into_iter().map(|(_, value)| value).collect();
    cps_json(
        StatusCode::OK,
        media_type,
        &json!({ "enrollments": enrollments }),
    )
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
        &[ENROLLMENT_V11],
        |found, world, now, _| {
            Some(match found {
                Found::Own(enrollment) => own::enrollment_json(enrollment, &world.cps, now),
                Found::Made(enrollment) => made::enrollment_json(enrollment),
            })
        },
    )
}

/// One network's deployment, or `None` when nothing is deployed there.
fn deployed(
    found: &Found<'_>,
    world: &World,
    network: Network,
    now: DateTime<Utc>,
) -> Option<Value> {
    match found {
        Found::Own(enrollment) => own::deployed_json(enrollment, &world.cps, network, now),
        Found::Made(enrollment) => enrollment
            .deployed(network)
            .map(|issued| made::deployment_json(enrollment, &issued)),
    }
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
        &DEPLOYMENTS,
        |found, world, now, _| {
            let on = |network| {
                let mut deployment = deployed(found, world, network, now).unwrap_or(Value::Null);
                if let Ok(id) = enrollment_id.parse::<u64>() {
                    shared.deployed.apply(id, network, &mut deployment);
                }
                deployment
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
    let Some(network) = Network::parse(&network) else {
        return not_found("GET", &uri, &format!("Network {network}"));
    };
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        &DEPLOYMENT,
        |found, world, now, _| {
            let mut deployment = deployed(found, world, network, now)?;
            if let Ok(id) = enrollment_id.parse::<u64>() {
                shared.deployed.apply(id, network, &mut deployment);
            }
            Some(deployment)
        },
    )
}

async fn read_history(
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
        &[CHANGE_HISTORY_V5],
        |found, world, now, _| {
            Some(match found {
                Found::Own(enrollment) => own::history_json(enrollment, &world.cps, now),
                Found::Made(enrollment) => made::history_json(enrollment),
            })
        },
    )
}

async fn read_change(
    State(shared): AppState,
    Path((enrollment_id, change_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let change_id = change_id.parse::<u64>().ok();
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        &[CHANGE_V2],
        |found, _, now, _| match found {
            Found::Own(enrollment) => {
                let plan = enrollment.change(change_id?, now)?;
                Some(own::change_json(enrollment, plan, now))
            }
            Found::Made(enrollment) => {
                let request = enrollment.change(change_id?)?;
                Some(made::change_json(enrollment, request))
            }
        },
    )
}

/// `…/changes/{c}/input/info/{name}`: what the change waits for, while it waits for it.
async fn read_info(
    State(shared): AppState,
    Path((enrollment_id, change_id, info)): Path<(String, String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(kind) = InputKind::from_info_name(&info) else {
        return not_found("GET", &uri, &format!("Input information '{info}'"));
    };
    let change_id = change_id.parse::<u64>().ok();
    let thumbprint = shared.world().thumbprint.clone();
    with_enrollment(
        &shared,
        &headers,
        &uri,
        &enrollment_id,
        kind.info_media_types(),
        |found, world, now, media_type| match found {
            Found::Own(enrollment) => {
                let plan = enrollment.change(change_id?, now)?;
                let asked = cps_info::Asked {
                    kind,
                    media_type,
                    thumbprint: &thumbprint,
                };
                cps_info::info_json(enrollment, &world.cps, plan, &asked, now)
            }
            Found::Made(enrollment) => {
                let request = enrollment.change(change_id?)?;
                (kind == InputKind::LetsEncryptChallenges)
                    .then(|| made::challenges_json(request, now, &thumbprint))
                    .flatten()
            }
        },
    )
}
