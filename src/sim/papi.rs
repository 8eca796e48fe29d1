//! PAPI beyond the groups: the products of a contract (`GET /papi/v1/products`) and edge
//! hostnames (`GET /papi/v1/edgehostnames`, `GET …/edgehostnames/{id}`; created in
//! `papi_create.rs`), in `application/json` as Akamai's published definitions
//! (`apis/papi/v1/`) give them.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::papi_book::{EdgeHostname, PRODUCTS};
use super::papi_create::create_edge_hostname;
use super::papi_http::{accepts_json, answer, papi_problem, scope};
use super::shared::Shared;
use super::world::World;

type AppState = State<Arc<Shared>>;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/papi/v1/products", get(products))
        .route(
            "/papi/v1/edgehostnames",
            get(list_edge_hostnames).post(create_edge_hostname),
        )
        .route(
            "/papi/v1/edgehostnames/{edgeHostnameId}",
            get(read_edge_hostname),
        )
}

async fn products(State(shared): AppState, headers: HeaderMap, uri: Uri) -> Response {
    let world = shared.world();
    let contract = match accepts_json(&headers, &uri).and_then(|()| scope(&world, &uri, false)) {
        Ok((contract, _)) => contract,
        Err(refusal) => return *refusal,
    };
    let items: Vec<Value> = PRODUCTS
        .iter()
        .map(|(id, name)| json!({ "productId": id, "productName": name }))
        .collect();
    answer(
        StatusCode::OK,
        &json!({
            "accountId": world.account_id,
            "contractId": format!("ctr_{contract}"),
            "products": { "items": items },
        }),
    )
}

fn edge_json(edge: &EdgeHostname, now: chrono::DateTime<chrono::Utc>) -> Value {
    let mut item = json!({
        "edgeHostnameId": format!("ehn_{}", edge.id),
        "edgeHostnameDomain": edge.domain(),
        "productId": edge.product_id,
        "domainPrefix": edge.domain_prefix,
        "domainSuffix": edge.domain_suffix,
        "secure": edge.domain_suffix != "edgesuite.net",
        "ipVersionBehavior": edge.ip_version_behavior,
    });
    if let Some(object) = item.as_object_mut() {
        // [ours] A new edge hostname is PENDING for its first ten minutes.
        if now < edge.created + chrono::Duration::minutes(10) {
            object.insert("status".into(), json!("PENDING"));
        }
        if let Some(use_cases) = &edge.use_cases {
            object.insert("useCases".into(), use_cases.clone());
        }
    }
    item
}

fn envelope(world: &World, contract: &str, group: &str, items: Vec<Value>) -> Value {
    json!({
        "accountId": world.account_id,
        "contractId": format!("ctr_{contract}"),
        "groupId": format!("grp_{group}"),
        "edgeHostnames": { "items": items },
    })
}

async fn list_edge_hostnames(State(shared): AppState, headers: HeaderMap, uri: Uri) -> Response {
    let now = shared.clock.now();
    let world = shared.world();
    let (contract, group) =
        match accepts_json(&headers, &uri).and_then(|()| scope(&world, &uri, true)) {
            Ok(pair) => pair,
            Err(refusal) => return *refusal,
        };
    let items = world
        .papi
        .of(&contract, &group)
        .into_iter()
        .map(|edge| edge_json(edge, now))
        .collect();
    answer(StatusCode::OK, &envelope(&world, &contract, &group, items))
}

async fn read_edge_hostname(
    State(shared): AppState,
    Path(edge_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let now = shared.clock.now();
    let world = shared.world();
    let (contract, group) =
        match accepts_json(&headers, &uri).and_then(|()| scope(&world, &uri, true)) {
            Ok(pair) => pair,
            Err(refusal) => return *refusal,
        };
    let found = edge_id
        .strip_prefix("ehn_")
        .unwrap_or(&edge_id)
        .parse::<u64>()
        .ok()
        .and_then(|id| world.papi.get(id))
        .filter(|edge| edge.contract_id == contract && edge.group_id == group);
    match found {
        Some(edge) => answer(
            StatusCode::OK,
            &envelope(&world, &contract, &group, vec![edge_json(edge, now)]),
        ),
        None => papi_problem(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not Found",
            &format!("No edge hostname {edge_id} in contract {contract} / group {group}."),
            &uri,
            Vec::new(),
        ),
    }
}
