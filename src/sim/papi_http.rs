//! What PAPI's routes share: answers in `application/json`, PAPI's published
//! `application/problem+json` errors (`type`, `title`, `detail`, `instance`, `status`,
//! `errors[]`, each body violation naming its member in `field` [ours]), the `Accept` check
//! and the contract/group a call is scoped to.

use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::{Value, json};

use super::handlers::Query;
use super::json_shape::Violation;
use super::world::World;

const PROBLEMS: &str = "https://problems.luna.akamaiapis.net/papi/v1";

/// PAPI's problem (`…/papi/v1/http/{name}`), `instance` the path with a request id.
pub(super) fn papi_problem(
    status: StatusCode,
    name: &str,
    title: &str,
    detail: &str,
    uri: &Uri,
    errors: Vec<Value>,
) -> Response {
    let mut body = json!({
        "type": format!("{PROBLEMS}/http/{name}"),
        "title": title,
        "detail": detail,
        "instance": format!("{}#{:016x}", uri, rand::rng().random::<u64>()),
        "status": status.as_u16(),
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

pub(super) fn bad_request(uri: &Uri, violations: &[Violation]) -> Response {
    let errors = violations
        .iter()
        .map(|violation| {
            json!({
                "type": format!("{PROBLEMS}/http/bad-request"),
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
    papi_problem(
        StatusCode::BAD_REQUEST,
        "bad-request",
        "Bad Request",
        &first,
        uri,
        errors,
    )
}

pub(super) fn answer(status: StatusCode, value: &Value) -> Response {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// PAPI answers JSON: an `Accept` that allows none is a 406 (no `Accept` allows anything).
pub(super) fn accepts_json(headers: &HeaderMap, uri: &Uri) -> Result<(), Box<Response>> {
    let Some(accept) = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
    else {
        return Ok(());
    };
    let fine = accept
        .split(',')
        .filter_map(|item| item.split(';').next())
        .any(|kind| {
            matches!(
                kind.trim().to_ascii_lowercase().as_str(),
                "application/json" | "application/*" | "*/*" | "application/problem+json"
            )
        });
    if fine {
        return Ok(());
    }
    Err(Box::new(papi_problem(
        StatusCode::NOT_ACCEPTABLE,
        "not-acceptable",
        "Not Acceptable",
        &format!(
            "PAPI answers application/json; send `Accept: application/json` (got `{accept}`)."
        ),
        uri,
        Vec::new(),
    )))
}

/// `contractId` (and `groupId` when `with_group`), with or without their prefixes: 400 when
/// missing, 403 when not granted.
pub(super) fn scope(
    world: &World,
    uri: &Uri,
    with_group: bool,
) -> Result<(String, String), Box<Response>> {
    let query = Query::of(uri);
    let missing = |name: &str| {
        Box::new(bad_request(
            uri,
            &[Violation::refused(name, "required as a query parameter.")],
        ))
    };
    let contract = query
        .get("contractId")
        .ok_or_else(|| missing("contractId"))?;
    let contract = contract
        .strip_prefix("ctr_")
        .unwrap_or(contract)
        .to_string();
    let group = match query.get("groupId") {
        Some(group) => group.strip_prefix("grp_").unwrap_or(group).to_string(),
        None if with_group => return Err(missing("groupId")),
        None => String::new(),
    };
    let granted = if with_group {
        world.is_granted(&contract, &group)
    } else {
        world.contract_ids().contains(&contract)
    };
    if !granted {
        let pair = if with_group {
            format!(" / group {group}")
        } else {
            String::new()
        };
        return Err(Box::new(papi_problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            &format!(
                "These credentials are not granted contract {contract}{pair}; GET \
                 /papi/v1/groups lists what they may use."
            ),
            uri,
            Vec::new(),
        )));
    }
    Ok((contract, group))
}
