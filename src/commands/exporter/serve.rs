//! The exporter's HTTP side: `GET /metrics` renders the state as it is (a scrape reads, it
//! never calls the API), anything else is a 404 naming `/metrics`. No authentication: on a
//! non-loopback address anyone who reaches the port reads the metrics.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use super::metered::{Shared, lock};
use super::metrics::{CONTENT_TYPE, render};

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(state)
}

async fn metrics(State(state): State<Shared>) -> impl IntoResponse {
    let text = render(&lock(&state));
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text)
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "spsdash exporter: the metrics are at /metrics\n",
    )
}
