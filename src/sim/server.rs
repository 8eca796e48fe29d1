//! The HTTP face of the simulator: axum routes for every SPS endpoint, CPS v2 (reads in
//! `cps.rs`, enrollment writes in `cps_writes.rs`, change input in `cps_input.rs`) and PAPI
//! (groups here, the rest in `papi.rs`), behind four layers (outermost first): call statistics, injected faults,
//! EdgeGrid verification and, with `--sps-gone`, the 410 Akamai answers SPS calls with today.
//! The `/_sim/` test hooks sit outside all of them.

use std::net::SocketAddr;
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;

use super::answers::{self, problem, sps_error};
use super::auth::{self, Arrived, AuthFailure};
use super::connection::ConnectionSwitch;
use super::faults::Fault;
use super::shared::Shared;
use super::stats;
use super::validate::InvalidItem;
use super::wire::BASE_PATH;
use super::{handlers, hooks};

/// The largest body the simulator reads (the real gateway's limit is larger than any SPS form).
const MAX_BODY_BYTES: usize = 1 << 20;

type AppState = State<Arc<Shared>>;

pub fn router(shared: Arc<Shared>) -> Router {
    let requests = format!("{BASE_PATH}/sps-requests");
    let edge_hosts = format!("{BASE_PATH}/secure-edge-hosts");
    let api = Router::new()
        .route(&requests, get(handlers::list).post(handlers::create))
        .route(
            &format!("{requests}/"),
            get(handlers::list).post(handlers::create),
        )
        .route(&format!("{requests}/{{spsId}}"), get(handlers::read_one))
        .route(&format!("{requests}/{{spsId}}/"), get(handlers::read_one))
        .route(
            &format!("{BASE_PATH}/sps-request/{{spsId}}"),
            get(handlers::read_one),
        )
        .route(&edge_hosts, post(handlers::create_edge_host))
        .route(&format!("{edge_hosts}/"), post(handlers::create_edge_host))
        .route("/papi/v1/groups", get(handlers::groups))
        .route("/papi/v1/groups/", get(handlers::groups))
        .merge(super::cps::routes())
        .merge(super::cps_writes::routes())
        .merge(super::cps_input::routes())
        .merge(super::papi::routes())
        // Unknown paths are signed and counted too, like any call to the gateway.
        .fallback(answers::not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), answer_gone))
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
        .route("/_sim/stats", get(hooks::sim_stats))
        .route("/_sim/advance", post(hooks::sim_advance))
        .route("/_sim/validate", post(hooks::sim_validate))
        .route("/_sim/clock", get(hooks::sim_clock))
        .route(
            "/_sim/deployed-certificate",
            post(hooks::sim_deployed_certificate),
        );
    api.merge(hooks).with_state(shared)
}

// ---- layers -------------------------------------------------------------------------------

/// Marks a response whose connection was dropped instead.
#[derive(Debug, Clone, Copy)]
struct ConnectionDropped;

async fn count_calls(State(shared): AppState, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let route = stats::route_template(request.uri().path());
    if request.uri().path().starts_with("/_sim/") {
        return next.run(request).await;
    }
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

/// `--sps-gone`: Akamai turned SPS off on 2023-01-03, and its gateway has answered every SPS
/// call with 410 Gone since (after checking the signature, like any call).
async fn answer_gone(State(shared): AppState, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let sps = path == BASE_PATH || path.starts_with(&format!("{BASE_PATH}/"));
    if !(shared.sps_gone && sps) {
        return next.run(request).await;
    }
    problem(
        StatusCode::GONE,
        "Gone",
        "Akamai decommissioned the Secure Provisioning Service (SPS) API on 2023-01-03. Use \
         the Certificate Provisioning System API instead (CPS v2: GET \
         /cps/v2/enrollments?contractId=C) and PAPI for edge hostnames.",
        request.method().as_str(),
        path,
    )
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
