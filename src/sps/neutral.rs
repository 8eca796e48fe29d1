//! An SPS request as the neutral model shows it: `spsId`, its status and the state that
//! status means, the names and kind from its parameters, each `dvStatus` entry as a domain
//! with its HTTP-01 challenge. Texts move over without a copy (the usual ones are borrowed
//! constants already, `known.rs`).

use super::model::{DvStatus, Parameter, SpsRequest};
use crate::model::{
    Api, Awaiting, CertRequest, Detail, DomainStatus, DomainValidation, RequestState,
    RequestStatus, Text, ValidationType, domain_state,
};

/// The parameters the model names.
const HOSTNAME: &str = "cnameHostname";
const COMMON_NAME: &str = "csr.cn";
const KIND: &str = "createType";
const ISSUER: &str = "issuer";
const SANS: &str = "csr.sans";
const ADDED_SANS: &str = "add.sans";

/// A request as a list keeps it: no details (`CertRequest::compact_for_list`).
pub fn list_item(request: SpsRequest) -> CertRequest {
    convert(request, false)
}

/// A request read whole (the detail, `show`): every parameter and every member the model
/// does not name kept as details.
pub fn whole(request: SpsRequest) -> CertRequest {
    convert(request, true)
}

/// One request as SPS writes it (JSON), read whole into the model.
pub fn from_json(value: serde_json::Value) -> Result<CertRequest, serde_json::Error> {
    Ok(whole(serde_json::from_value(value)?))
}

fn convert(request: SpsRequest, keep_details: bool) -> CertRequest {
    let state = request.state();
    let validation = validation(&request);
    let SpsRequest {
        sps_id,
        resource_url,
        job_id,
        enrollment_id,
        status,
        workflow_progress,
        last_status_change,
        parameters,
        dv_status,
        extra,
    } = request;
    let mut neutral = CertRequest {
        id: sps_id,
        api: Api::Sps,
        status: RequestStatus(status.0),
        state,
        // SPS waits for the operator only to validate domains.
        awaiting: (state == RequestState::AwaitingUser && !dv_status.is_empty())
            .then_some(Awaiting::Challenges),
        progress: workflow_progress,
        last_change: last_status_change,
        enrollment_id,
        validation,
        job_id,
        domains: dv_status.into_iter().map(domain).collect(),
        ..CertRequest::default()
    };
    let mut details = Vec::new();
    for Parameter { name, value } in parameters {
        if keep_details {
            details.push(Detail {
                name: name.clone(),
                value: value.clone(),
            });
        }
        let Some(value) = value else { continue };
        match &*name {
            HOSTNAME => neutral.hostname = Some(value),
            COMMON_NAME => neutral.common_name = Some(value),
            KIND => neutral.kind = Some(value),
            ISSUER => neutral.authority = Some(value),
            SANS => neutral.sans.push(value),
            ADDED_SANS => neutral.added_sans.push(value),
            _ => {}
        }
    }
    // The resource URL only repeats the id: no screen needs it.
    drop(resource_url);
    if keep_details {
        for (name, value) in extra {
            details.push(detail(name, value.to_string()));
        }
        neutral.details = details;
    }
    neutral.sans.shrink_to_fit();
    neutral
}

/// Gives a request an SPS status, with the state that status means (what a later read of it
/// would say).
pub fn set_status(request: &mut CertRequest, status: &str) {
    let wire = SpsRequest {
        sps_id: request.id,
        resource_url: None,
        job_id: None,
        enrollment_id: None,
        status: super::model::RequestStatus(super::known::share(
            status.to_string(),
            super::known::STATUSES,
        )),
        workflow_progress: request.progress.clone(),
        last_status_change: None,
        parameters: Vec::new(),
        dv_status: Vec::new(),
        extra: Default::default(),
    };
    request.state = wire.state();
    request.status = RequestStatus(wire.status.0);
}

fn detail(name: impl Into<String>, value: String) -> Detail {
    Detail {
        name: Text::Owned(name.into()),
        value: Some(Text::Owned(value)),
    }
}

/// DV when the issuer is Let's Encrypt or domains carry validation records; OV for any
/// other issuer (older requests name CAs the request model no longer offers).
fn validation(request: &SpsRequest) -> Option<ValidationType> {
    match request.parameter(ISSUER) {
        Some(issuer) if issuer.trim().eq_ignore_ascii_case("lets-encrypt") => {
            Some(ValidationType::Dv)
        }
        Some(_) => Some(ValidationType::Ov),
        None if !request.dv_status.is_empty() => Some(ValidationType::Dv),
        None => None,
    }
}

fn domain(entry: DvStatus) -> DomainValidation {
    let DvStatus {
        domain,
        status,
        full_path,
        redirect_path,
        token,
        response_body,
        expires,
        validated_timestamp,
        error,
        extra: _,
    } = entry;
    DomainValidation {
        state: domain_state(status.as_str()),
        domain,
        status: DomainStatus(status.0),
        full_path,
        redirect_path,
        token,
        response_body,
        dns: None,
        expires,
        validated_timestamp,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: serde_json::Value) -> SpsRequest {
        serde_json::from_value(value).expect("an SPS request")
    }

    #[test]
    fn an_sps_request_keeps_its_words_and_says_its_state() {
        let request = read(serde_json::json!({
            "spsId": 1856, "jobId": 44434, "enrollmentId": 10002,
            "status": "Awaiting User", "workflowProgress": "waiting for DV",
            "lastStatusChange": "2016-12-12T10:15:00Z",
            "resourceUrl": "/config-secure-provisioning-service/v1/sps-requests/1856",
            "parameters": [
                {"name": "cnameHostname", "value": "www.example.com"},
                {"name": "csr.cn", "value": "www.example.com"},
                {"name": "createType", "value": "san"},
                {"name": "issuer", "value": "lets-encrypt"},
                {"name": "csr.sans", "value": "a.example.com"},
                {"name": "csr.sans", "value": "b.example.com"},
                {"name": "csr.o", "value": "Example Inc."}
            ],
            "dvStatus": [{"domain": "a.example.com", "status": "Awaiting User",
                "fullPath": "http://a.example.com/.well-known/acme-challenge/t",
                "redirectFullPath": "http://dcv.akamai.com/.well-known/acme-challenge/t",
                "token": "t", "responseBody": "t.k"},
                {"domain": "b.example.com", "status": "Valid"}],
            "novel": true
        }));
        let listed = list_item(request.clone());
        assert_eq!(listed.id, 1856);
        assert_eq!(listed.api, Api::Sps);
        assert_eq!(listed.status.as_str(), "Awaiting User");
        assert_eq!(listed.state, RequestState::AwaitingUser);
        assert_eq!(listed.awaiting, Some(Awaiting::Challenges));
        assert_eq!(listed.progress.as_deref(), Some("waiting for DV"));
        assert_eq!(listed.hostname.as_deref(), Some("www.example.com"));
        assert_eq!(listed.kind.as_deref(), Some("san"));
        assert!(listed.is_san());
        assert_eq!(listed.validation, Some(ValidationType::Dv));
        assert_eq!(listed.authority.as_deref(), Some("lets-encrypt"));
        assert_eq!(listed.sans, ["a.example.com", "b.example.com"]);
        assert_eq!(
            (listed.job_id, listed.enrollment_id),
            (Some(44434), Some(10002))
        );
        assert_eq!(listed.domains_valid(), (1, 2));
        assert_eq!(
            listed.domains[0].redirect_path.as_deref(),
            Some("http://dcv.akamai.com/.well-known/acme-challenge/t")
        );
        assert!(listed.details.is_empty(), "a list keeps no details");
        let whole = whole(request);
        assert_eq!(whole.detail("csr.o"), Some("Example Inc."));
        assert_eq!(whole.detail("novel"), Some("true"));
    }

    #[test]
    fn the_state_follows_the_sps_status() {
        for (status, progress, state) in [
            ("SPS Request Complete", None, RequestState::Complete),
            ("CPS cancelled", None, RequestState::Failed),
            ("CPS running", None, RequestState::InProgress),
            (
                "edge host already created or pending",
                Some("Edge host error: exists"),
                RequestState::Failed,
            ),
            ("Brand New State", None, RequestState::InProgress),
        ] {
            let request = read(serde_json::json!({
                "spsId": 1, "status": status, "workflowProgress": progress
            }));
            let neutral = list_item(request);
            assert_eq!(neutral.state, state, "{status}");
            assert_eq!(neutral.status.as_str(), status);
            assert_eq!(neutral.awaiting, None);
        }
    }

    #[test]
    fn an_issuer_other_than_lets_encrypt_validates_the_organization() {
        let with = |issuer: &str| {
            list_item(read(serde_json::json!({"spsId": 1, "status": "Pending",
                "parameters": [{"name": "issuer", "value": issuer}]})))
            .validation
        };
        assert_eq!(with("symantec"), Some(ValidationType::Ov));
        assert_eq!(with("geotrust"), Some(ValidationType::Ov));
        assert_eq!(with("lets-encrypt"), Some(ValidationType::Dv));
    }
}
