//! The SPS endpoints and PAPI groups, behind the layers of `server.rs`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::answers::{Refusal, bad_request, json, sps_error};
use super::form::ReceivedForm;
use super::shared::Shared;
use super::validate::{self, InvalidItem, NewRequest};
use super::wire;
use super::wire::parse_time;
use super::world::World;

type AppState = State<Arc<Shared>>;

pub(super) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(super) fn of(uri: &Uri) -> Query {
        let pairs = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        Query { pairs }
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    fn information(&self) -> bool {
        self.get("information")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }
}

/// An SPS error answer not yet rendered.
/// The group/contract pair of a call: 400 when missing or prefixed, 403 when not granted.
fn scope(world: &World, query: &Query) -> Result<(String, String), Refusal> {
    let mut ids = Vec::new();
    for (field, prefix, example) in [
        ("contractId", "ctr_", "contractId=C-1EXMPL"),
        ("groupId", "grp_", "groupId=10010"),
    ] {
        let Some(id) = query.get(field) else {
            return Err(Refusal {
                status: StatusCode::BAD_REQUEST,
                items: vec![InvalidItem::invalid(
                    field,
                    format!("{field} is required, like {example}."),
                )],
            });
        };
        if let Some(bare) = id.strip_prefix(prefix) {
            return Err(Refusal {
                status: StatusCode::BAD_REQUEST,
                items: vec![InvalidItem::invalid(
                    field,
                    format!("Give {field} without PAPI's '{prefix}' prefix: {bare}."),
                )],
            });
        }
        ids.push(id.to_string());
    }
    let (contract_id, group_id) = (ids.remove(0), ids.remove(0));
    if !world.is_granted(&contract_id, &group_id) {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            items: vec![InvalidItem {
                validation: "Forbidden".to_string(),
                ..InvalidItem::invalid(
                    "groupId",
                    format!(
                        "These credentials are not granted group {group_id} on contract \
                         {contract_id}; GET /papi/v1/groups lists the pairs they may use."
                    ),
                )
            }],
        });
    }
    Ok((contract_id, group_id))
}

pub(super) async fn list(State(shared): AppState, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let after = match query.get("after") {
        None => None,
        Some(text) => match parse_time(text) {
            Some(instant) => Some(instant),
            None => {
                return bad_request(
                    "after",
                    format!(
                        "after must be an ISO 8601 UTC instant like 2016-12-12T10:15:00Z, not '{text}'."
                    ),
                );
            }
        },
    };
    let now = shared.clock.now();
    let world = shared.world_at(now);
    let (contract_id, group_id) = match scope(&world, &query) {
        Ok(pair) => pair,
        Err(refusal) => return refusal.into_response(),
    };
    let request_list = world
        .list(&contract_id, &group_id, after, now)
        .into_iter()
        .map(|request| wire::request(request, &world, now, query.information()))
        .collect();
    json(StatusCode::OK, &wire::RequestList { request_list })
}

pub(super) async fn read_one(
    State(shared): AppState,
    Path(sps_id): Path<String>,
    uri: Uri,
) -> Response {
    let query = Query::of(&uri);
    let now = shared.clock.now();
    let world = shared.world_at(now);
    let (contract_id, group_id) = match scope(&world, &query) {
        Ok(pair) => pair,
        Err(refusal) => return refusal.into_response(),
    };
    let found = sps_id
        .parse::<u64>()
        .ok()
        .and_then(|id| world.get(&contract_id, &group_id, id, now));
    match found {
        Some(request) => json(
            StatusCode::OK,
            &wire::RequestList {
                request_list: vec![wire::request(request, &world, now, query.information())],
            },
        ),
        None => sps_error(
            StatusCode::NOT_FOUND,
            vec![InvalidItem {
                sps_id: sps_id.parse().ok(),
                validation: "Not Found".to_string(),
                ..InvalidItem::invalid(
                    "spsId",
                    format!(
                        "No request with spsId {sps_id} in contract {contract_id} / group {group_id}."
                    ),
                )
            }],
        ),
    }
}

pub(super) async fn create(
    State(shared): AppState,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    submit(&shared, &uri, &headers, &body, validate::sps_request)
}

pub(super) async fn create_edge_host(
    State(shared): AppState,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    submit(&shared, &uri, &headers, &body, validate::edge_host)
}

fn submit(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    check: fn(&ReceivedForm) -> Result<NewRequest, Vec<InvalidItem>>,
) -> Response {
    let query = Query::of(uri);
    let now = shared.clock.now();
    let mut world = shared.world_at(now);
    let (contract_id, group_id) = match scope(&world, &query) {
        Ok(pair) => pair,
        Err(refusal) => return refusal.into_response(),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return bad_request(
            "Content-Type",
            format!("The body must be application/x-www-form-urlencoded, not '{content_type}'."),
        );
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return bad_request("body", "The body is not UTF-8 text.");
    };
    let form = ReceivedForm::parse(text);
    let new = match check(&form) {
        Ok(new) => new,
        Err(items) => return sps_error(StatusCode::BAD_REQUEST, items),
    };
    match world.submit(&contract_id, &group_id, new, now) {
        Ok(sps_id) => {
            let job_id = world.request(sps_id).map_or(0, |request| request.job_id);
            json(StatusCode::ACCEPTED, &wire::accepted(sps_id, job_id))
        }
        Err(items) => sps_error(StatusCode::BAD_REQUEST, items),
    }
}

pub(super) async fn groups(State(shared): AppState) -> Response {
    json(StatusCode::OK, &wire::groups(&shared.world()))
}
