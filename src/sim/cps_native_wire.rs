//! The JSON bodies of the CPS world's own enrollments (`cps_book.rs`), in the shapes of
//! Akamai's published CPS v2 definitions: enrollment v11, change v2, deployment v7 and
//! change-history v5 (what a waiting change offers is `cps_info.rs`).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::cps_book::{Certificate, CpsBook, NativeEnrollment, Ra};
use super::cps_change::ChangePlan;
use super::cps_json;
use super::cps_names::{Network, enrollment_path, legacy_enrollment_path};
use super::wire::iso;

fn location(enrollment: &NativeEnrollment) -> String {
    if enrollment.legacy_shape {
        legacy_enrollment_path(enrollment.id)
    } else {
        enrollment_path(enrollment.id)
    }
}

/// Where a change is read: always the `/cps/v2/` path (the links a change gives are the
/// ones a client follows).
fn change_location(enrollment: &NativeEnrollment, plan: &ChangePlan) -> String {
    format!("{}/changes/{}", enrollment_path(enrollment.id), plan.id)
}

pub(super) fn enrollment_json(
    enrollment: &NativeEnrollment,
    book: &CpsBook,
    now: DateTime<Utc>,
) -> Value {
    let pending: Vec<Value> = enrollment
        .pending(now)
        .into_iter()
        .map(|(plan, _)| {
            json!({
                "location": format!("{}/changes/{}", location(enrollment), plan.id),
                "changeType": plan.kind.change_type(),
            })
        })
        .collect();
    if let Some(written) = &enrollment.written {
        return written_json(enrollment, written, pending);
    }
    let contract = book.contracts.get(&enrollment.contract_id);
    let field = |pick: fn(&super::world_file::ContractFile) -> &str| {
        contract.map_or_else(String::new, |contract| pick(contract).to_string())
    };
    let third_party = enrollment.ra == Ra::ThirdParty;
    let id = if enrollment.legacy_shape {
        json!(enrollment.id.to_string())
    } else {
        json!(enrollment.id)
    };
    let mut body = json!({
        "id": id,
        "location": location(enrollment),
        "ra": enrollment.ra.token(),
        "validationType": enrollment.ra.validation_type(),
        "certificateType": enrollment.certificate_type,
        "certificateChainType": "default",
        "signatureAlgorithm": if third_party { Value::Null } else { json!("SHA-256") },
        "changeManagement": enrollment.change_management,
        "enableMultiStackedCertificates": false,
        "autoRenewalStartTime": enrollment.auto_renewal_start.map(iso),
        "maxAllowedSanNames": 100,
        "maxAllowedWildcardSanNames": 100,
        "csr": {
            "cn": enrollment.common_name(),
            "sans": enrollment.names,
            "c": field(|c| c.country.as_str()),
            "st": field(|c| c.region.as_str()),
            "l": field(|c| c.city.as_str()),
            "o": field(|c| c.organization.as_str()),
            "ou": field(|c| c.unit.as_str()),
        },
        "networkConfiguration": cps_json::network(enrollment.sni_only, Some(&enrollment.names), None),
        "org": contract.map(cps_json::organization),
        "adminContact": contract.map(|c| cps_json::contact(c, &c.admin, "Administrator")),
        "techContact": contract.map(|c| cps_json::contact(c, &c.tech, "Technical Engineer")),
        "pendingChanges": pending,
        "productionSlots": [],
        "stagingSlots": [],
        "assignedSlots": [],
    });
    if third_party && let Some(object) = body.as_object_mut() {
        object.insert("thirdParty".into(), json!({ "excludeSans": false }));
    }
    body
}

/// An enrollment a client wrote: what it sent, with what CPS keeps itself (id, location,
/// pending changes, slots, limits) and the names as CPS read them.
fn written_json(enrollment: &NativeEnrollment, written: &Value, pending: Vec<Value>) -> Value {
    let mut body = written.clone();
    let Some(object) = body.as_object_mut() else {
        return body;
    };
    for (name, value) in [
        ("id", json!(enrollment.id)),
        ("location", json!(location(enrollment))),
        ("pendingChanges", json!(pending)),
        ("maxAllowedSanNames", json!(super::cps_submit::MAX_NAMES)),
        (
            "maxAllowedWildcardSanNames",
            json!(super::cps_submit::MAX_NAMES),
        ),
        ("productionSlots", json!([])),
        ("stagingSlots", json!([])),
        ("assignedSlots", json!([])),
        (
            "autoRenewalStartTime",
            json!(enrollment.auto_renewal_start.map(iso)),
        ),
    ] {
        object.insert(name.to_string(), value);
    }
    for (name, value) in [
        ("certificateChainType", json!("default")),
        ("signatureAlgorithm", Value::Null),
        ("org", Value::Null),
        ("adminContact", Value::Null),
        ("techContact", Value::Null),
    ] {
        object.entry(name).or_insert(value);
    }
    if let Some(csr) = object.get_mut("csr").and_then(Value::as_object_mut) {
        csr.insert("cn".into(), json!(enrollment.common_name()));
        csr.insert("sans".into(), json!(enrollment.names));
    }
    body
}

pub(super) fn change_json(
    enrollment: &NativeEnrollment,
    plan: &ChangePlan,
    now: DateTime<Utc>,
) -> Value {
    let shown = super::cps_change::snapshot(plan, now);
    let location = change_location(enrollment, plan);
    let allowed: Vec<Value> = shown
        .waits_for
        .map(|kind| cps_json::allowed_input(&location, kind))
        .into_iter()
        .collect();
    let error = shown.error.as_ref().map(|error| {
        json!({
            "code": error.code,
            "description": error.description,
            "timestamp": iso(error.timestamp),
        })
    });
    json!({
        "statusInfo": {
            "state": shown.state,
            "status": shown.status,
            "description": shown.description,
            "error": error,
            "deploymentSchedule": {
                "notBefore": plan.answers.not_before,
                "notAfter": plan.answers.not_after,
            },
        },
        "allowedInput": allowed,
    })
}

pub(super) fn deployment_json(enrollment: &NativeEnrollment, certificate: &Certificate) -> Value {
    let cn = enrollment.common_name();
    json!({
        "ocspStapled": true,
        "ocspUris": [],
        "networkConfiguration": cps_json::network(enrollment.sni_only, None, Some(&certificate.names)),
        "primaryCertificate": {
            "certificate": cps_json::pem("CERTIFICATE", "certificate", cn, certificate.issued),
            "expiry": iso(certificate.expires),
            "keyAlgorithm": "RSA",
            "signatureAlgorithm": "SHA-256",
            "trustChain": cps_json::pem("CERTIFICATE", "trust chain", cn, certificate.issued),
        },
        "multiStackedCertificates": [],
    })
}

pub(super) fn deployed_json(
    enrollment: &NativeEnrollment,
    book: &CpsBook,
    network: Network,
    now: DateTime<Utc>,
) -> Option<Value> {
    let certificate = enrollment.deployed(network, now, book.validity)?;
    Some(deployment_json(enrollment, &certificate))
}

/// `history/changes`: every change so far, newest first, after the certificate the
/// enrollment started with.
pub(super) fn history_json(
    enrollment: &NativeEnrollment,
    book: &CpsBook,
    now: DateTime<Utc>,
) -> Value {
    let cn = enrollment.common_name();
    let certificate_json = |certificate: &Certificate, ordered: DateTime<Utc>| {
        json!({
            "certificate": cps_json::pem("CERTIFICATE", "certificate", cn, certificate.issued),
            "csr": cps_json::pem("CERTIFICATE REQUEST", "CSR", cn, ordered),
            "keyAlgorithm": "RSA",
            "trustChain": cps_json::pem("CERTIFICATE", "trust chain", cn, certificate.issued),
        })
    };
    let mut changes: Vec<Value> = enrollment
        .changes_at(now)
        .map(|(plan, shown)| {
            let status = match (shown.completed, shown.state) {
                (Some(_), _) => "completed",
                (None, super::cps_names::state::CANCELLED) => "cancelled",
                _ => "incomplete",
            };
            let issued = shown
                .completed
                .and(shown.staged)
                .map(|staged| enrollment.issued_by(plan, staged, book.validity));
            json!({
                "action": plan.kind.history_action(),
                "actionDescription": plan.kind.history_description(),
                "businessCaseId": null,
                "createdBy": plan.created_by,
                "createdOn": iso(plan.created),
                "lastUpdated": iso(shown.since),
                "ra": enrollment.ra.token(),
                "status": status,
                "primaryCertificate": issued.map(|certificate| certificate_json(&certificate, plan.created)),
                "primaryCertificateOrderDetails": null,
                "multiStackedCertificates": [],
            })
        })
        .collect();
    if let Some(initial) = &enrollment.initial {
        // The change that issued the certificate the world began with, an hour's work.
        let ordered = initial.issued - Duration::hours(1);
        changes.insert(
            0,
            json!({
                "action": "new-certificate",
                "actionDescription": "Create New Certificate",
                "businessCaseId": null,
                "createdBy": "cps",
                "createdOn": iso(ordered),
                "lastUpdated": iso(initial.issued),
                "ra": enrollment.ra.token(),
                "status": "completed",
                "primaryCertificate": certificate_json(initial, ordered),
                "primaryCertificateOrderDetails": null,
                "multiStackedCertificates": [],
            }),
        );
    }
    changes.reverse();
    json!({ "changes": changes })
}
