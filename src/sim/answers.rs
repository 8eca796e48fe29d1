//! The answers every route shares: JSON, the SPS error envelope and the gateway's
//! `application/problem+json`.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use rand::Rng;

use super::validate::InvalidItem;
use super::wire;

pub(super) fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub(super) fn sps_error(status: StatusCode, items: Vec<InvalidItem>) -> Response {
    json(status, &wire::envelope(&items))
}

pub(super) fn bad_request(field: &str, description: impl Into<String>) -> Response {
    sps_error(
        StatusCode::BAD_REQUEST,
        vec![InvalidItem::invalid(field, description)],
    )
}

/// The gateway's `application/problem+json`.
pub(super) fn problem(
    status: StatusCode,
    title: &str,
    detail: &str,
    method: &str,
    path: &str,
) -> Response {
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

pub(super) async fn not_found(uri: Uri) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        &format!("No API at {}.", uri.path()),
        "",
        uri.path(),
    )
}

pub(super) struct Refusal {
    pub status: StatusCode,
    pub items: Vec<InvalidItem>,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        sps_error(self.status, self.items)
    }
}
