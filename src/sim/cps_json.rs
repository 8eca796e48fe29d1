//! JSON pieces both kinds of CPS enrollment answer with (those SPS made, `cps_wire.rs`, and the
//! CPS world's own, `cps_native_wire.rs`): network settings, placeholder PEM blocks, a change's
//! allowed input and one domain's DV challenges.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cps_names::InputKind;
use super::lifecycle::{self, DomainSnapshot};
use super::wire::iso;
use super::world_file::ContractFile;

/// A PEM-looking block that says what it stands for (no real key material in a simulator).
pub(super) fn pem(label: &str, what: &str, common_name: &str, issued: DateTime<Utc>) -> String {
    format!(
        "-----BEGIN {label}-----\nU0lNVUxBVEVE {what} for {common_name} issued {}\n-----END {label}-----",
        iso(issued)
    )
}

/// `networkConfiguration`: an enrollment lists the names it will serve in `dnsNameSettings`,
/// a deployment the names it serves in `dnsNames`.
pub(super) fn network(
    sni_only: bool,
    enrollment_names: Option<&[String]>,
    deployed: Option<&[String]>,
) -> Value {
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
        if let Some(names) = deployed {
            object.insert("dnsNames".into(), json!(names));
        }
        if let Some(names) = enrollment_names {
            object.insert(
                "dnsNameSettings".into(),
                json!({ "cloneDnsNames": true, "dnsNames": names }),
            );
        }
    }
    network
}

/// One `allowedInput[]` entry of the change at `change_location`.
pub(super) fn allowed_input(change_location: &str, kind: InputKind) -> Value {
    json!({
        "type": kind.input_type(),
        "requiredToProceed": kind.required_to_proceed(),
        "info": format!("{change_location}/input/info/{}", kind.info_name()),
        "update": format!("{change_location}/input/update/{}", kind.update_name()),
    })
}

/// How a DV answer writes statuses: as the published schema lists them (`Pending`, `Valid`,
/// `Awaiting user`…), or as Akamai's own example and clients show CPS sending them for a
/// challenge (lower case: `pending`, `valid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Casing {
    Schema,
    Example,
}

/// One `dv[]` entry: the domain's http-01 and dns-01 challenges.
pub(super) fn dv_entry(
    domain: &DomainSnapshot,
    opened: DateTime<Utc>,
    thumbprint: &str,
    casing: Casing,
) -> Value {
    let key_authorization = format!("{}.{thumbprint}", domain.token);
    let (domain_status, challenge_status, validation_status) = match domain.status {
        lifecycle::DOMAIN_VALID => ("Valid", "Valid", "VALIDATED"),
        lifecycle::DOMAIN_INVALID => ("Invalid", "Invalid", "RESPONSE_ERROR"),
        lifecycle::DOMAIN_EXPIRED => ("Invalid", "Invalid", "EXPIRED"),
        lifecycle::AWAITING_USER => ("Awaiting user", "Pending", "PENDING"),
        _ => ("Pending", "Pending", "PENDING"),
    };
    let challenge_status = match casing {
        Casing::Schema => challenge_status.to_string(),
        Casing::Example => challenge_status.to_ascii_lowercase(),
    };
    let error = match domain.status {
        lifecycle::DOMAIN_EXPIRED => {
            Some("The challenge expired before it was validated.".to_string())
        }
        _ => domain.error.clone(),
    };
    // A wildcard's DNS challenge sits on its base name (RFC 8555 §8.4).
    let base = domain.domain.trim_start_matches("*.");
    json!({
        "domain": domain.domain,
        "status": domain_status,
        "error": error,
        "expires": iso(domain.expires),
        "requestTimestamp": iso(opened),
        "validatedTimestamp": domain.validated.map(iso),
        "validationStatus": validation_status,
        "challenges": [
            {
                "type": "http-01",
                "status": challenge_status,
                "error": error,
                "token": domain.token,
                "responseBody": key_authorization,
                "fullPath": format!("http://{}/.well-known/acme-challenge/{}", domain.domain, domain.token),
                "redirectFullPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{}", domain.token),
                "validationRecords": [],
            },
            {
                "type": "dns-01",
                "status": challenge_status,
                "error": error,
                "token": domain.token,
                // RFC 8555 §8.4: the TXT value is the digest of the key authorization.
                "responseBody": URL_SAFE_NO_PAD.encode(Sha256::digest(key_authorization.as_bytes())),
                "fullPath": format!("_acme-challenge.{base}."),
                "redirectFullPath": "",
                "validationRecords": [],
            },
        ],
    })
}

/// The enrollment's `org`.
pub(super) fn organization(contract: &ContractFile) -> Value {
    json!({
        "name": contract.organization,
        "addressLineOne": contract.address,
        "addressLineTwo": null,
        "city": contract.city,
        "region": contract.region,
        "postalCode": contract.postal_code,
        "country": contract.country,
        "phone": contract.phone,
    })
}

/// `adminContact` / `techContact` from a contract's `[first, last, phone, email]`.
pub(super) fn contact(contract: &ContractFile, person: &[String; 4], title: &str) -> Value {
    json!({
        "firstName": person[0],
        "lastName": person[1],
        "phone": person[2],
        "email": person[3],
        "title": title,
        "organizationName": contract.organization,
        "addressLineOne": contract.address,
        "addressLineTwo": null,
        "city": contract.city,
        "region": contract.region,
        "postalCode": contract.postal_code,
        "country": contract.country,
    })
}
