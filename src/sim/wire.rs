//! The JSON the simulator answers with, shaped exactly as `sps-api.md` shows: the GET list,
//! the 202 body, the SPS error envelope, problem+json and PAPI groups.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::lifecycle::{DOMAIN_VALID, Snapshot};
use super::validate::InvalidItem;
use super::world::{SimRequest, World};

pub const BASE_PATH: &str = "/config-secure-provisioning-service/v1";

pub fn iso(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An instant as SPS's `after` parameter gives it: RFC 3339, or without a zone (read as UTC).
/// The simulator's own reading, independent of the client's.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|naive| naive.and_utc())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestList<'a> {
    pub request_list: Vec<WireRequest<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireRequest<'a> {
    pub sps_id: u64,
    pub resource_url: String,
    pub job_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrollment_id: Option<u64>,
    pub status: &'static str,
    pub workflow_progress: String,
    pub last_status_change: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<WireParameter<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dv_status: Vec<WireDvStatus>,
}

#[derive(Debug, Serialize)]
pub struct WireParameter<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDvStatus {
    pub domain: String,
    pub status: &'static str,
    pub full_path: String,
    pub redirect_path: String,
    pub token: String,
    pub response_body: String,
    pub expires: String,
    pub validated_timestamp: Option<String>,
    pub error: Option<String>,
}

pub fn request<'a>(
    request: &'a SimRequest,
    world: &World,
    now: DateTime<Utc>,
    information: bool,
) -> WireRequest<'a> {
    let snapshot: Snapshot = request.snapshot(now);
    let dv_status = snapshot
        .domains
        .iter()
        .map(|domain| WireDvStatus {
            domain: domain.domain.clone(),
            status: domain.status,
            full_path: format!(
                "http://{}/.well-known/acme-challenge/{}",
                domain.domain, domain.token
            ),
            redirect_path: format!(
                "http://dcv.akamai.com/.well-known/acme-challenge/{}",
                domain.token
            ),
            token: domain.token.clone(),
            response_body: format!("{}.{}", domain.token, world.thumbprint),
            expires: iso(domain.expires),
            validated_timestamp: domain
                .validated
                .filter(|_| domain.status == DOMAIN_VALID)
                .map(iso),
            error: domain.error.clone(),
        })
        .collect();
    WireRequest {
        sps_id: request.sps_id,
        resource_url: format!("{BASE_PATH}/sps-requests/{}", request.sps_id),
        job_id: request.job_id,
        enrollment_id: snapshot.enrolled.then_some(request.enrollment_id),
        status: snapshot.status,
        workflow_progress: snapshot.progress,
        last_status_change: iso(snapshot.last_change),
        parameters: information.then(|| {
            request
                .parameters
                .iter()
                .map(|(name, value)| WireParameter { name, value })
                .collect()
        }),
        dv_status,
    }
}

/// The 202 answer to every POST.
pub fn accepted(sps_id: u64, job_id: u64) -> serde_json::Value {
    serde_json::json!({
        "spsId": sps_id,
        "resourceLocation": format!("{BASE_PATH}/sps-requests/{sps_id}"),
        "Results": {
            "size": 1,
            "data": [ { "text": null, "results": { "type": "SUCCESS", "jobID": job_id } } ]
        }
    })
}

pub fn envelope(items: &[InvalidItem]) -> serde_json::Value {
    serde_json::json!({
        "Errors": { "invalidItems": items },
        "Results": "Errors"
    })
}

pub fn groups(world: &World) -> serde_json::Value {
    let items: Vec<serde_json::Value> = world
        .groups
        .iter()
        .map(|group| {
            let mut item = serde_json::json!({
                "groupId": format!("grp_{}", group.group_id),
                "groupName": group.group_name,
                "contractIds": group
                    .contract_ids
                    .iter()
                    .map(|id| format!("ctr_{id}"))
                    .collect::<Vec<_>>(),
            });
            if let (Some(parent), Some(object)) = (&group.parent_group_id, item.as_object_mut()) {
                object.insert(
                    "parentGroupId".to_string(),
                    serde_json::Value::String(format!("grp_{parent}")),
                );
            }
            item
        })
        .collect();
    serde_json::json!({
        "accountId": world.account_id,
        "accountName": world.account_name,
        "groups": { "items": items }
    })
}
