//! The JSON bodies of the CPS enrollments SPS made (see `cps_world.rs`), in the shapes of
//! Akamai's published CPS v2 definitions: enrollment v11, deployment v7, change v2,
//! dv-challenges v2, change-history v5. A request of the SPS world is a change of its
//! enrollment; its SPS status says which CPS status the change shows.

use serde_json::{Value, json};

use super::cps_json::{self, Casing};
use super::cps_names::{InputKind, change_type, enrollment_path, state, status};
use super::cps_world::{Issued, SimEnrollment};
use super::lifecycle::{self, CertKind, Issuer};
use super::wire::iso;
use super::world::SimRequest;

fn change_location(enrollment_id: u64, request: &SimRequest) -> String {
    format!(
        "{}/changes/{}",
        enrollment_path(enrollment_id),
        request.job_id
    )
}

fn change_type_of(request: &SimRequest) -> &'static str {
    match request.kind {
        CertKind::ModSan => change_type::MODIFY_SAN,
        _ => change_type::NEW_CERTIFICATE,
    }
}

pub(super) fn enrollment_json(enrollment: &SimEnrollment<'_>) -> Value {
    let base = enrollment.base;
    let names = enrollment.requested_names();
    let pending: Vec<Value> = enrollment
        .pending()
        .into_iter()
        .map(|request| {
            json!({
                "location": change_location(enrollment.id, request),
                "changeType": change_type_of(request),
            })
        })
        .collect();
    let certificate_type = match base.kind {
        CertKind::Single => "single",
        CertKind::Wildcard => "wildcard",
        _ => "san",
    };
    let parameter = |name: &str| enrollment.parameter(name).unwrap_or_default();
    let sni_only = enrollment.parameter("sni-only") != Some("false");
    json!({
        "id": enrollment.id,
        "location": enrollment_path(enrollment.id),
        "ra": base.issuer.token(),
        "validationType": if enrollment.is_dv() { "dv" } else { "ov" },
        "certificateType": certificate_type,
        "certificateChainType": "default",
        "changeManagement": false,
        "signatureAlgorithm": enrollment.parameter("signature-algorithm").unwrap_or("SHA-256"),
        "enableMultiStackedCertificates": false,
        "autoRenewalStartTime": null,
        "csr": {
            "cn": names.first().cloned().unwrap_or_else(|| base.cname_hostname.clone()),
            "sans": names,
            "c": parameter("csr.c"), "st": parameter("csr.st"), "l": parameter("csr.l"),
            "o": parameter("csr.o"), "ou": parameter("csr.ou"),
        },
        "networkConfiguration": cps_json::network(sni_only, Some(&names), None),
        "org": {
            "name": parameter("organization-information.organization-name"),
            "city": parameter("organization-information.city"),
            "country": parameter("organization-information.country"),
        },
        "pendingChanges": pending,
        "productionSlots": [],
        "stagingSlots": [],
        "assignedSlots": [],
    })
}

pub(super) fn deployment_json(enrollment: &SimEnrollment<'_>, issued: &Issued<'_>) -> Value {
    let cn = &issued.request.cname_hostname;
    let sni_only = enrollment.parameter("sni-only") != Some("false");
    json!({
        "ocspStapled": true,
        "ocspUris": [],
        "networkConfiguration": cps_json::network(sni_only, None, Some(&issued.names)),
        "primaryCertificate": {
            "certificate": cps_json::pem("CERTIFICATE", "certificate", cn, issued.issued),
            "expiry": iso(issued.expires),
            "keyAlgorithm": "RSA",
            "signatureAlgorithm": enrollment.parameter("signature-algorithm").unwrap_or("SHA-256"),
            "trustChain": cps_json::pem("CERTIFICATE", "trust chain", cn, issued.issued),
        },
        "multiStackedCertificates": [],
    })
}

/// The CPS side of an SPS request's status.
fn status_of(enrollment: &SimEnrollment<'_>, request: &SimRequest) -> (&'static str, &'static str) {
    let snapshot = request.snapshot(enrollment.now);
    match snapshot.status {
        lifecycle::PENDING => (status::PRE_VERIFICATION, state::RUNNING),
        lifecycle::AWAITING_USER => (status::DOMAIN_VALIDATION, state::AWAITING_INPUT),
        lifecycle::CPS_RUNNING if enrollment.on_staging(request) => {
            (status::DEPLOY_PRODUCTION, state::RUNNING)
        }
        lifecycle::CPS_RUNNING if request.issuer == Issuer::Symantec => {
            (status::CA_VALIDATION, state::RUNNING)
        }
        lifecycle::CPS_RUNNING => (status::DEPLOY_STAGING, state::RUNNING),
        lifecycle::COMPLETE => (status::COMPLETE, state::COMPLETED),
        lifecycle::CANCELLED => (status::CANCELLED, state::CANCELLED),
        _ => (status::PRE_VERIFICATION, state::RUNNING),
    }
}

pub(super) fn change_json(enrollment: &SimEnrollment<'_>, request: &SimRequest) -> Value {
    let snapshot = request.snapshot(enrollment.now);
    let (status, state) = status_of(enrollment, request);
    let error = (snapshot.status == lifecycle::CANCELLED).then(|| {
        json!({
            "code": "change-cancelled",
            "description": snapshot.progress,
            "timestamp": iso(snapshot.last_change),
        })
    });
    let location = change_location(enrollment.id, request);
    // CPS offers the challenges while it coordinates domain validation, not after.
    let challenges_open = request.issuer == Issuer::LetsEncrypt
        && !snapshot.domains.is_empty()
        && snapshot.status == lifecycle::AWAITING_USER;
    let allowed: Vec<Value> = challenges_open
        .then(|| cps_json::allowed_input(&location, InputKind::LetsEncryptChallenges))
        .into_iter()
        .collect();
    json!({
        "statusInfo": {
            "status": status,
            "state": state,
            "description": snapshot.progress,
            "error": error,
            "deploymentSchedule": { "notBefore": null, "notAfter": null },
        },
        "allowedInput": allowed,
    })
}

/// Every domain's http-01 and dns-01 challenge while the change waits for them; `None`
/// otherwise.
/// Written the way Akamai's own example writes them (challenge statuses in lower case).
pub(super) fn challenges_json(
    request: &SimRequest,
    now: chrono::DateTime<chrono::Utc>,
    thumbprint: &str,
) -> Option<Value> {
    let snapshot = request.snapshot(now);
    if request.issuer != Issuer::LetsEncrypt
        || snapshot.domains.is_empty()
        || snapshot.status != lifecycle::AWAITING_USER
    {
        return None;
    }
    let dv: Vec<Value> = snapshot
        .domains
        .iter()
        .map(|domain| {
            let opened = domain.expires - lifecycle::challenge_lifetime();
            cps_json::dv_entry(domain, opened, thumbprint, Casing::Example)
        })
        .collect();
    Some(json!({ "dv": dv }))
}

/// `history/changes`: one change per SPS request of the enrollment, newest first.
pub(super) fn history_json(enrollment: &SimEnrollment<'_>) -> Value {
    let changes: Vec<Value> = enrollment
        .requests
        .iter()
        .rev()
        .map(|request| {
            let snapshot = request.snapshot(enrollment.now);
            let (status, action, description) = (
                match snapshot.status {
                    lifecycle::COMPLETE => "completed",
                    lifecycle::CANCELLED => "cancelled",
                    _ => "incomplete",
                },
                match request.kind {
                    CertKind::ModSan => "modify-san",
                    _ => "new-certificate",
                },
                match request.kind {
                    CertKind::ModSan => "Modify SAN names",
                    _ => "Create New Certificate",
                },
            );
            let certificate = (snapshot.status == lifecycle::COMPLETE).then(|| {
                let cn = &request.cname_hostname;
                json!({
                    "certificate": cps_json::pem("CERTIFICATE", "certificate", cn, snapshot.last_change),
                    "csr": cps_json::pem("CERTIFICATE REQUEST", "CSR", cn, request.plan.created),
                    "keyAlgorithm": "RSA",
                    "trustChain": cps_json::pem("CERTIFICATE", "trust chain", cn, snapshot.last_change),
                })
            });
            json!({
                "action": action,
                "actionDescription": description,
                "businessCaseId": null,
                "createdBy": "sps",
                "createdOn": iso(request.plan.created),
                "lastUpdated": iso(snapshot.last_change),
                "ra": request.issuer.token(),
                "status": status,
                "primaryCertificate": certificate,
                "primaryCertificateOrderDetails": null,
                "multiStackedCertificates": [],
            })
        })
        .collect();
    json!({ "changes": changes })
}
