//! The JSON bodies of the simulated CPS endpoints, shaped as Akamai's CPS reference shows them
//! (Enrollment v11, Deployment v8, Change v2, DvChallenges v2).
//!
//! Status words of a change (`statusInfo.status`/`state`) are [ours]: CPS documents the
//! fields, not every value.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cps_world::{Issued, SimEnrollment};
use super::lifecycle::{self, CertKind, Issuer};
use super::wire::iso;
use super::world::SimRequest;
use crate::cps::{LETS_ENCRYPT_CHALLENGES, enrollment_path};

fn change_location(enrollment_id: u64, request: &SimRequest) -> String {
    format!(
        "{}/changes/{}",
        enrollment_path(enrollment_id),
        request.job_id
    )
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
                "changeType": "new-certificate",
            })
        })
        .collect();
    let certificate_type = match base.kind {
        CertKind::Single => "single",
        CertKind::Wildcard => "wildcard",
        _ => "san",
    };
    let parameter = |name: &str| enrollment.parameter(name).unwrap_or_default();
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
        "csr": {
            "cn": names.first().cloned().unwrap_or_else(|| base.cname_hostname.clone()),
            "sans": names,
            "c": parameter("csr.c"), "st": parameter("csr.st"), "l": parameter("csr.l"),
            "o": parameter("csr.o"), "ou": parameter("csr.ou"),
        },
        "networkConfiguration": network_json(enrollment, None),
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

/// The enrollment's network settings; a deployment lists the names it serves as `dnsNames`.
fn network_json(enrollment: &SimEnrollment<'_>, deployed_names: Option<&[String]>) -> Value {
    let sni_only = enrollment.parameter("sni-only") != Some("false");
    let mut network = json!({
        "geography": "core",
        "secureNetwork": "enhanced-tls",
        "sniOnly": sni_only,
        "quicEnabled": false,
        "disallowedTlsVersions": ["TLSv1", "TLSv1_1"],
        "mustHaveCiphers": "ak-akamai-2020q1",
        "preferredCiphers": "ak-akamai-2020q1",
        "ocspStapling": "on",
    });
    if let Some(object) = network.as_object_mut() {
        match deployed_names {
            Some(names) => object.insert("dnsNames".into(), json!(names)),
            None => object.insert(
                "dnsNameSettings".into(),
                json!({ "cloneDnsNames": true, "dnsNames": enrollment.requested_names() }),
            ),
        };
    }
    network
}

pub(super) fn deployment_json(enrollment: &SimEnrollment<'_>, issued: &Issued<'_>) -> Value {
    let pem = |what: &str| {
        format!(
            "-----BEGIN CERTIFICATE-----\nU0lNVUxBVEVE {what} for {} issued {}\n-----END CERTIFICATE-----",
            issued.request.cname_hostname,
            iso(issued.issued)
        )
    };
    json!({
        "ocspStapled": true,
        "ocspUris": [],
        "networkConfiguration": network_json(enrollment, Some(&issued.names)),
        "primaryCertificate": {
            "certificate": pem("certificate"),
            "expiry": iso(issued.expires),
            "keyAlgorithm": "RSA",
            "signatureAlgorithm": enrollment.parameter("signature-algorithm").unwrap_or("SHA-256"),
            "trustChain": pem("trust chain"),
        },
        "multiStackedCertificates": [],
    })
}

pub(super) fn change_json(enrollment: &SimEnrollment<'_>, request: &SimRequest) -> Value {
    let snapshot = request.snapshot(enrollment.now);
    let (status, state) = match snapshot.status {
        lifecycle::PENDING => ("pre-verification-safety-checks", "running"),
        lifecycle::AWAITING_USER => ("coordinate-domain-validation", "awaiting-input"),
        lifecycle::CPS_RUNNING if request.issuer == Issuer::Symantec => {
            ("wait-ca-validation", "running")
        }
        lifecycle::CPS_RUNNING => ("deploy-cert", "running"),
        lifecycle::COMPLETE => ("complete", "completed"),
        lifecycle::CANCELLED => ("cancelled", "cancelled"),
        _ => ("running", "running"),
    };
    let error = (snapshot.status == lifecycle::CANCELLED).then(|| {
        json!({
            "code": "change-cancelled",
            "description": snapshot.progress,
            "timestamp": iso(snapshot.last_change),
        })
    });
    let location = change_location(enrollment.id, request);
    let challenges_open = request.issuer == Issuer::LetsEncrypt
        && !snapshot.domains.is_empty()
        && !super::world::is_terminal(&snapshot);
    let allowed: Vec<Value> = challenges_open
        .then(|| {
            json!({
                "type": LETS_ENCRYPT_CHALLENGES,
                "requiredToProceed": false,
                "info": format!("{location}/input/info/{LETS_ENCRYPT_CHALLENGES}"),
                "update": format!("{location}/input/update/lets-encrypt-challenges-completed"),
            })
        })
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

/// Every domain's http-01 and dns-01 challenge; `None` for a change without challenges.
pub(super) fn challenges_json(
    request: &SimRequest,
    now: DateTime<Utc>,
    thumbprint: &str,
) -> Option<Value> {
    let snapshot = request.snapshot(now);
    if request.issuer != Issuer::LetsEncrypt || snapshot.domains.is_empty() {
        return None;
    }
    let dv: Vec<Value> = snapshot
        .domains
        .iter()
        .map(|domain| {
            let key_authorization = format!("{}.{thumbprint}", domain.token);
            let (challenge_status, validation_status) = match domain.status {
                lifecycle::DOMAIN_VALID => ("valid", "VALIDATED"),
                lifecycle::DOMAIN_INVALID => ("invalid", "RESPONSE_ERROR"),
                lifecycle::DOMAIN_EXPIRED => ("invalid", "EXPIRED"),
                _ => ("pending", "PENDING"),
            };
            json!({
                "domain": domain.domain,
                "status": domain.status,
                "error": domain.error,
                "expires": iso(domain.expires),
                "requestTimestamp": iso(domain.expires - lifecycle::challenge_lifetime()),
                "validatedTimestamp": domain.validated.map(iso),
                "validationStatus": validation_status,
                "challenges": [
                    {
                        "type": "http-01",
                        "status": challenge_status,
                        "error": domain.error,
                        "token": domain.token,
                        "responseBody": key_authorization,
                        "fullPath": format!("http://{}/.well-known/acme-challenge/{}", domain.domain, domain.token),
                        "redirectFullPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{}", domain.token),
                        "validationRecords": [],
                    },
                    {
                        "type": "dns-01",
                        "status": challenge_status,
                        "error": domain.error,
                        "token": domain.token,
                        // RFC 8555 §8.4: the TXT value is the digest of the key authorization.
                        "responseBody": URL_SAFE_NO_PAD.encode(Sha256::digest(key_authorization.as_bytes())),
                        "fullPath": format!("_acme-challenge.{}.", domain.domain.trim_start_matches("*.")),
                        "redirectFullPath": "",
                        "validationRecords": [],
                    },
                ],
            })
        })
        .collect();
    Some(json!({ "dv": dv }))
}

/// The route template of a CPS path, for `/_sim/stats` (`…/enrollments/{enrollmentId}/…`).
pub(super) fn route_template(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/cps/v2/enrollments/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    let numeric =
        |segment: &str| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let template = match segments.as_slice() {
        [id] if numeric(id) => "{enrollmentId}".to_string(),
        [id, "deployments"] if numeric(id) => "{enrollmentId}/deployments".to_string(),
        [id, "deployments", network @ ("production" | "staging")] if numeric(id) => {
            format!("{{enrollmentId}}/deployments/{network}")
        }
        [id, "changes", change] if numeric(id) && numeric(change) => {
            "{enrollmentId}/changes/{changeId}".to_string()
        }
        [id, "changes", change, "input", "info", kind] if numeric(id) && numeric(change) => {
            format!("{{enrollmentId}}/changes/{{changeId}}/input/info/{kind}")
        }
        _ => return None,
    };
    Some(format!("/cps/v2/enrollments/{template}"))
}
