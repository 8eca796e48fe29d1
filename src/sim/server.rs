//! The HTTP face of the simulator: axum routes for every SPS endpoint and PAPI groups, behind
//! three layers (outermost first): call statistics, injected faults, EdgeGrid verification.
//! The `/_sim/` test hooks sit outside all three.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rand::Rng;

use super::auth::{self, Arrived, AuthFailure, NonceBook};
use super::clock::WorldClock;
use super::connection::ConnectionSwitch;
use super::faults::{Fault, FaultDice};
use super::stats::{self, Stats};
use super::validate::{self, InvalidItem, NewRequest};
use super::wire::{self, BASE_PATH};
use super::world::World;
use crate::edgegrid::Credentials;
use crate::sps::form::FormBody;

/// The largest body the simulator reads (the real gateway's limit is larger than any SPS form).
const MAX_BODY_BYTES: usize = 1 << 20;

pub struct Shared {
    pub world: Mutex<World>,
    pub clock: WorldClock,
    pub credentials: Credentials,
    pub nonces: Mutex<NonceBook>,
    pub stats: Stats,
    pub dice: FaultDice,
    pub addr: SocketAddr,
}

impl Shared {
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

type AppState = State<Arc<Shared>>;

pub fn router(shared: Arc<Shared>) -> Router {
    let requests = format!("{BASE_PATH}/sps-requests");
    let edge_hosts = format!("{BASE_PATH}/secure-edge-hosts");
    let api = Router::new()
        .route(&requests, get(list).post(create))
        .route(&format!("{requests}/"), get(list).post(create))
        .route(&format!("{requests}/{{spsId}}"), get(read_one))
        .route(&format!("{requests}/{{spsId}}/"), get(read_one))
        .route(&format!("{BASE_PATH}/sps-request/{{spsId}}"), get(read_one))
        .route(&edge_hosts, post(create_edge_host))
        .route(&format!("{edge_hosts}/"), post(create_edge_host))
        .route("/papi/v1/groups", get(groups))
        .route("/papi/v1/groups/", get(groups))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            verify_signature,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            inject_faults,
        ))
        .layer(middleware::from_fn_with_state(shared.clone(), count_calls));
    let hooks = Router::new()
        .route("/_sim/stats", get(sim_stats))
        .route("/_sim/advance", post(sim_advance))
        .route("/_sim/validate", post(sim_validate))
        .route("/_sim/clock", get(sim_clock));
    api.merge(hooks).fallback(not_found).with_state(shared)
}

// ---- layers -------------------------------------------------------------------------------

/// Marks a response whose connection was dropped instead.
#[derive(Debug, Clone, Copy)]
struct ConnectionDropped;

async fn count_calls(State(shared): AppState, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let route = stats::route_template(request.uri().path());
    let response = next.run(request).await;
    let status = if response.extensions().get::<ConnectionDropped>().is_some() {
        0
    } else {
        response.status().as_u16()
    };
    shared.stats.record(&method, &route, status);
    response
}

async fn inject_faults(State(shared): AppState, request: Request, next: Next) -> Response {
    let latency = shared.dice.faults.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let path = request.uri().path().to_string();
    let method = request.method().to_string();
    match shared.dice.roll() {
        None => next.run(request).await,
        Some(Fault::Reset) => {
            if let Some(switch) = request
                .extensions()
                .get::<axum::extract::ConnectInfo<ConnectionSwitch>>()
            {
                switch.0.kill();
            }
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(ConnectionDropped);
            response
        }
        Some(Fault::Error500) => sps_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            vec![InvalidItem {
                validation: "Internal Server Error".to_string(),
                ..InvalidItem::invalid(
                    "",
                    "An internal error occurred (injected by the simulator); try again.",
                )
            }],
        ),
        Some(Fault::RateLimit) => {
            // One second: long enough to be honoured visibly, short enough for test suites.
            let retry_after = 1;
            let mut response = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                &format!(
                    "Rate limit exceeded (injected by the simulator): retry after {retry_after} seconds."
                ),
                &method,
                &path,
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Some(Fault::Malformed) => {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            let cut = bytes.slice(..bytes.len() / 2);
            Response::from_parts(parts, Body::from(cut))
        }
    }
}

async fn verify_signature(State(shared): AppState, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload Too Large",
            "The request body is larger than 1 MiB.",
            &method,
            &path,
        );
    };
    let host = host_of(&parts.headers, &parts.uri, shared.addr);
    let relative_url = parts
        .uri
        .path_and_query()
        .map_or_else(|| "/".to_string(), |raw| raw.as_str().to_string());
    let header_pairs: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let arrived = Arrived {
        method: &method,
        host: &host,
        relative_url: &relative_url,
        headers: &header_pairs,
        body: &body,
        authorization: parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok()),
    };
    let outcome = auth::verify(&shared.credentials, &arrived, Utc::now()).and_then(|nonce| {
        let fresh = shared
            .nonces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(nonce, Instant::now());
        if fresh {
            Ok(())
        } else {
            Err(AuthFailure::NonceReused)
        }
    });
    if let Err(failure) = outcome {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Not authorized",
            &failure.detail(),
            &method,
            &path,
        );
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// The host the client addressed, as it signed it: the `Host` header, else the URI's authority.
fn host_of(headers: &HeaderMap, uri: &Uri, addr: SocketAddr) -> String {
    headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|authority| authority.to_string()))
        .unwrap_or_else(|| addr.to_string())
}

// ---- answers --------------------------------------------------------------------------------

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn sps_error(status: StatusCode, items: Vec<InvalidItem>) -> Response {
    json(status, &wire::envelope(&items))
}

fn bad_request(field: &str, description: impl Into<String>) -> Response {
    sps_error(
        StatusCode::BAD_REQUEST,
        vec![InvalidItem::invalid(field, description)],
    )
}

/// The gateway's `application/problem+json`.
fn problem(status: StatusCode, title: &str, detail: &str, method: &str, path: &str) -> Response {
    let request_id = format!("{:08x}", rand::rng().random::<u32>());
    let body = serde_json::json!({
        "type": format!("https://problems.luna.akamaiapis.net/-/pep-authn/{}", status.as_u16()),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": path,
        "requestId": request_id,
        "method": method,
        "serverIp": "127.0.0.1",
        "clientIp": "127.0.0.1",
        "requestTime": wire::iso(Utc::now()),
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        bytes,
    )
        .into_response()
}

async fn not_found(uri: Uri) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        &format!("No API at {}.", uri.path()),
        "",
        uri.path(),
    )
}

// ---- query ----------------------------------------------------------------------------------

struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    fn of(uri: &Uri) -> Query {
        let pairs = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        Query { pairs }
    }

    fn get(&self, name: &str) -> Option<&str> {
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
struct Refusal {
    status: StatusCode,
    items: Vec<InvalidItem>,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        sps_error(self.status, self.items)
    }
}

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

// ---- SPS handlers ---------------------------------------------------------------------------

async fn list(State(shared): AppState, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let after = match query.get("after") {
        None => None,
        Some(text) => match parse_instant(text) {
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
    let world = shared.world();
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

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|naive| naive.and_utc())
        })
}

async fn read_one(State(shared): AppState, Path(sps_id): Path<String>, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let now = shared.clock.now();
    let world = shared.world();
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

async fn create(State(shared): AppState, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    submit(&shared, &uri, &headers, &body, validate::sps_request)
}

async fn create_edge_host(
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
    check: fn(&FormBody) -> Result<NewRequest, Vec<InvalidItem>>,
) -> Response {
    let query = Query::of(uri);
    let mut world = shared.world();
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
    let form = FormBody::decode(text);
    let new = match check(&form) {
        Ok(new) => new,
        Err(items) => return sps_error(StatusCode::BAD_REQUEST, items),
    };
    let now = shared.clock.now();
    match world.submit(&contract_id, &group_id, new, now) {
        Ok(sps_id) => {
            let job_id = world.request(sps_id).map_or(0, |request| request.job_id);
            json(StatusCode::ACCEPTED, &wire::accepted(sps_id, job_id))
        }
        Err(items) => sps_error(StatusCode::BAD_REQUEST, items),
    }
}

async fn groups(State(shared): AppState) -> Response {
    json(StatusCode::OK, &wire::groups(&shared.world()))
}

// ---- test hooks -----------------------------------------------------------------------------

async fn sim_stats(State(shared): AppState) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "calls": shared.stats.calls() }),
    )
}

async fn sim_clock(State(shared): AppState) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "now": wire::iso(shared.clock.now()), "speed": shared.clock.speed() }),
    )
}

async fn sim_advance(State(shared): AppState, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let seconds = query
        .get("seconds")
        .and_then(|text| text.parse::<f64>().ok());
    match seconds {
        Some(seconds) if (0.0..1e10).contains(&seconds) => {
            shared
                .clock
                .advance(chrono::Duration::milliseconds((seconds * 1000.0) as i64));
            json(
                StatusCode::OK,
                &serde_json::json!({ "now": wire::iso(shared.clock.now()) }),
            )
        }
        _ => bad_request(
            "seconds",
            "seconds must be a number of seconds, 0 or more, like /_sim/advance?seconds=600.",
        ),
    }
}

async fn sim_validate(State(shared): AppState, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let Some(domain) = query.get("domain").map(str::to_string) else {
        return bad_request(
            "domain",
            "domain is required, like /_sim/validate?domain=www.example.com.",
        );
    };
    let now = shared.clock.now();
    let touched = shared.world().fix_domain(&domain, now);
    if touched.is_empty() {
        return sps_error(
            StatusCode::NOT_FOUND,
            vec![InvalidItem::invalid(
                "domain",
                format!("No open domain validation for {domain}."),
            )],
        );
    }
    json(
        StatusCode::OK,
        &serde_json::json!({ "domain": domain, "spsIds": touched }),
    )
}
