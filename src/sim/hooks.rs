//! The `/_sim/` test hooks: unsigned, uncounted, outside the API.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;

use super::answers::{bad_request, json, sps_error};
use super::cps_names::Network;
use super::handlers::Query;
use super::shared::Shared;
use super::validate::InvalidItem;
use super::wire;

type AppState = State<Arc<Shared>>;

pub(super) async fn sim_stats(State(shared): AppState) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "calls": shared.stats.calls() }),
    )
}

pub(super) async fn sim_clock(State(shared): AppState) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "now": wire::iso(shared.clock.now()), "speed": shared.clock.speed() }),
    )
}

pub(super) async fn sim_advance(State(shared): AppState, uri: Uri) -> Response {
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

pub(super) async fn sim_validate(State(shared): AppState, uri: Uri) -> Response {
    let query = Query::of(&uri);
    let Some(domain) = query.get("domain").map(str::to_string) else {
        return bad_request(
            "domain",
            "domain is required, like /_sim/validate?domain=www.example.com.",
        );
    };
    let served = shared.serve_domain(&domain);
    if served.is_empty() {
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
        &serde_json::json!({
            "domain": domain,
            "spsIds": served.sps_ids,
            "enrollmentIds": served.enrollment_ids,
        }),
    )
}

/// `POST /_sim/deployed-certificate?enrollment=ID&network=N`, a PEM body: see
/// `deployed_book.rs`.
pub(super) async fn sim_deployed_certificate(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    body: String,
) -> Response {
    let query = Query::of(&uri);
    let enrollment = query
        .get("enrollment")
        .and_then(|id| id.parse::<u64>().ok());
    let network = query.get("network").and_then(Network::parse);
    let (Some(enrollment), Some(network)) = (enrollment, network) else {
        return bad_request(
            "enrollment",
            "enrollment and network are required, like \
             /_sim/deployed-certificate?enrollment=10001&network=production",
        );
    };
    let Some(expiry) = shared.deployed.put(enrollment, network, body) else {
        return bad_request("body", "the body must be one PEM certificate that parses.");
    };
    json(
        StatusCode::OK,
        &serde_json::json!({ "enrollment": enrollment, "expiry": expiry.to_rfc3339() }),
    )
}
