//! What every CPS route answers with besides its body: its versioned media types (`Accept`
//! refused with 406, `Content-Type` with 415, each naming the type to send) and CPS's own
//! errors in `application/problem+json`.
//!
//! CPS publishes no error bodies in its definitions. What clients show of real ones (Akamai's
//! Terraform provider's issues) is a problem whose `type` is
//! `…/cps/v2/error-types/{name}` and whose `instance` is that type with `?id=…`; the names the
//! simulator uses are `bad-request` [ours], `not-found`, `invalid-enrollment-state` (what CPS
//! answered an acknowledgement of a change not waiting for it, 409) and `forbidden` [ours].
//! Each body violation is one entry of `errors[]` (RFC 7807 nested problems) that names the
//! member in `field` [ours] as well as in its `detail`.

use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::{Value, json};

use super::answers::problem;
use super::json_shape::Violation;

const ERROR_TYPES: &str = "https://problems.luna.akamaiapis.net/cps/v2/error-types";

/// A CPS answer in its media type.
pub(super) fn cps_json(status: StatusCode, media_type: &str, value: &Value) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, media_type)], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub(super) fn not_found(method: &str, uri: &Uri, what: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        &format!("{what} does not exist."),
        method,
        uri.path(),
    )
}

/// The media types a header names, without parameters.
fn named(headers: &HeaderMap, name: header::HeaderName) -> (String, Vec<String>) {
    let raw = headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let kinds = raw
        .split(',')
        .filter_map(|item| item.split(';').next())
        .map(|kind| kind.trim().to_ascii_lowercase())
        .filter(|kind| !kind.is_empty())
        .collect();
    (raw, kinds)
}

/// The first of `offered` that `Accept` names (parameters and case aside), or a 406.
pub(super) fn negotiate(
    headers: &HeaderMap,
    method: &str,
    uri: &Uri,
    offered: &[&'static str],
) -> Result<&'static str, Box<Response>> {
    let (accept, named) = named(headers, header::ACCEPT);
    offered
        .iter()
        .copied()
        .find(|offer| named.iter().any(|kind| kind.eq_ignore_ascii_case(offer)))
        .ok_or_else(|| {
            let first = offered.first().copied().unwrap_or_default();
            Box::new(problem(
                StatusCode::NOT_ACCEPTABLE,
                "Not Acceptable",
                &format!(
                    "This resource is served as {}; send `Accept: {first}` (got `{accept}`).",
                    offered.join(" or ")
                ),
                method,
                uri.path(),
            ))
        })
}

/// Which of `taken` the body is written in (`Content-Type`), or a 415.
pub(super) fn body_type(
    headers: &HeaderMap,
    method: &str,
    uri: &Uri,
    taken: &[&'static str],
) -> Result<&'static str, Box<Response>> {
    let (content_type, named) = named(headers, header::CONTENT_TYPE);
    taken
        .iter()
        .copied()
        .find(|kind| {
            named
                .first()
                .is_some_and(|sent| sent.eq_ignore_ascii_case(kind))
        })
        .ok_or_else(|| {
            let first = taken.first().copied().unwrap_or_default();
            Box::new(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type",
                &format!(
                    "This operation takes a body in {}; send `Content-Type: {first}` (got \
                     `{content_type}`).",
                    taken.join(" or ")
                ),
                method,
                uri.path(),
            ))
        })
}

/// One of CPS's own errors (`type` `…/cps/v2/error-types/{name}`).
pub(super) fn cps_problem(
    status: StatusCode,
    name: &str,
    title: &str,
    detail: &str,
    errors: Vec<Value>,
) -> Response {
    let kind = format!("{ERROR_TYPES}/{name}");
    let mut body = json!({
        "type": kind,
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": format!("{kind}?id={:032x}", rand::rng().random::<u128>()),
    });
    if !errors.is_empty()
        && let Some(object) = body.as_object_mut()
    {
        object.insert("errors".into(), Value::Array(errors));
    }
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        bytes,
    )
        .into_response()
}

/// 400 for a body that breaks its schema (or the simulator's checks of its meaning): the first
/// violation in `detail`, every one in `errors[]`.
pub(super) fn refused_body(what: &str, violations: &[Violation]) -> Response {
    refused(&format!("The body is not a valid {what}: "), violations)
}

/// 400 for a query parameter: `why` says what it must be.
pub(super) fn refused_query(name: &str, why: &str) -> Response {
    refused("", &[Violation::refused(name, why)])
}

fn refused(lead: &str, violations: &[Violation]) -> Response {
    let errors = violations
        .iter()
        .map(|violation| {
            json!({
                "type": format!("{ERROR_TYPES}/bad-request"),
                "title": violation.title(),
                "detail": violation.detail(),
                "field": violation.field,
            })
        })
        .collect();
    let first = violations
        .first()
        .map(Violation::detail)
        .unwrap_or_default();
    cps_problem(
        StatusCode::BAD_REQUEST,
        "bad-request",
        "Bad Request",
        &format!("{lead}{first}"),
        errors,
    )
}

/// 409: the change or enrollment is not in a state that allows this now.
pub(super) fn conflict(detail: &str) -> Response {
    cps_problem(
        StatusCode::CONFLICT,
        "invalid-enrollment-state",
        "Conflict",
        detail,
        Vec::new(),
    )
}

/// A body read as JSON, or the 400 saying it is not.
pub(super) fn parse_json(body: &[u8], what: &str) -> Result<Value, Box<Response>> {
    serde_json::from_slice(body).map_err(|error| {
        Box::new(cps_problem(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad Request",
            &format!("The body is not a valid {what}: it is not JSON ({error})."),
            Vec::new(),
        ))
    })
}
