//! What a change of the CPS world's own enrollments offers while it waits for input (the
//! `info` link of its `allowedInput`), in each published media type it is asked for:
//! dv-challenges v2, warnings v1, csr v2 and v1, change-management-info v5 and v4, and the
//! deployment staging has (v7, v8) for change management.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cps_book::{CpsBook, NativeEnrollment};
use super::cps_change::ChangePlan;
use super::cps_json::{self, Casing};
use super::cps_names::{CHANGE_MANAGEMENT_INFO_V4, CSR_V1, DEPLOYMENT, InputKind};
use super::cps_native_wire::deployment_json;
use super::wire::iso;

/// What a client asked for.
pub(super) struct Asked<'a> {
    pub kind: InputKind,
    /// One of `kind.info_media_types()`.
    pub media_type: &'a str,
    /// The ACME account thumbprint every key authorization ends with.
    pub thumbprint: &'a str,
}

/// The info `asked` names while the change waits for it; `None` otherwise (CPS answers 404).
pub(super) fn info_json(
    enrollment: &NativeEnrollment,
    book: &CpsBook,
    plan: &ChangePlan,
    asked: &Asked<'_>,
    now: DateTime<Utc>,
) -> Option<Value> {
    let shown = super::cps_change::snapshot(plan, now);
    if shown.waits_for != Some(asked.kind) {
        return None;
    }
    let cn = enrollment.common_name();
    Some(match asked.kind {
        InputKind::LetsEncryptChallenges => {
            let dv: Vec<Value> = shown
                .domains
                .iter()
                .map(|domain| {
                    cps_json::dv_entry(domain, shown.since, asked.thumbprint, Casing::Schema)
                })
                .collect();
            json!({ "dv": dv })
        }
        InputKind::PreVerificationWarnings | InputKind::PostVerificationWarnings => {
            json!({ "warnings": enrollment.warnings.clone().unwrap_or_default() })
        }
        InputKind::ThirdPartyCertificate => {
            let csr = cps_json::pem("CERTIFICATE REQUEST", "CSR", cn, plan.created);
            if asked.media_type == CSR_V1 {
                json!({ "csr": csr })
            } else {
                json!({ "csrs": [{ "csr": csr, "keyAlgorithm": "RSA" }] })
            }
        }
        InputKind::ChangeManagement => {
            let staged = shown.staged.unwrap_or(shown.since);
            let pending = enrollment.issued_by(plan, staged, book.validity);
            if DEPLOYMENT.contains(&asked.media_type) {
                return Some(deployment_json(enrollment, &pending));
            }
            let (result, hash) = validation_result(enrollment, plan);
            let certificate = json!({
                "certificateType": enrollment.certificate_type,
                "fullCertificate": cps_json::pem("CERTIFICATE", "certificate", cn, pending.issued),
                "keyAlgorithm": "RSA",
                "ocspStapled": false,
                "ocspUris": null,
                "signatureAlgorithm": "SHA-256",
            });
            let mut info = json!({
                // [ours] CPS gives a deadline; the simulator's is a week after staging.
                "acknowledgementDeadline": iso(staged + Duration::days(7)),
                "validationResultHash": hash,
                "validationResult": result,
                "pendingState": {
                    "pendingCertificates": [certificate.clone()],
                    "pendingNetworkConfiguration": {
                        "dnsNameSettings": { "cloneDnsNames": true, "dnsNames": pending.names },
                        "mustHaveCiphers": "ak-akamai-2020q1",
                        "preferredCiphers": "ak-akamai-2020q1",
                        "networkType": null,
                        "ocspStapling": "on",
                        "quicEnabled": false,
                        "sniOnly": enrollment.sni_only,
                        "disallowedTlsVersions": ["TLSv1", "TLSv1_1"],
                    },
                },
            });
            if asked.media_type == CHANGE_MANAGEMENT_INFO_V4
                && let Some(state) = info["pendingState"].as_object_mut()
            {
                // v4 has one pending certificate, without its key algorithm.
                state.remove("pendingCertificates");
                let mut single = certificate;
                if let Some(single) = single.as_object_mut() {
                    single.remove("keyAlgorithm");
                }
                state.insert("pendingCertificate".into(), single);
            }
            info
        }
    })
}

/// What change management's validation found for `plan`, and the hash an acknowledgement
/// with hash must name (`validationResultHash`): a digest of that result and the change, so a
/// hash read for one change never acknowledges another.
pub(super) fn validation_result(
    enrollment: &NativeEnrollment,
    plan: &ChangePlan,
) -> (Value, String) {
    let cn = enrollment.common_name();
    let warnings = [json!({
        "message": format!(
            "The certificate for {cn} is on the staging network; test it there before you acknowledge."
        ),
        "messageCode": "no-code",
    })];
    let result = json!({ "errors": null, "warnings": warnings });
    let digest = Sha256::digest(format!("{}/{}/{result}", enrollment.id, plan.id).as_bytes());
    let hash = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    (result, hash)
}
