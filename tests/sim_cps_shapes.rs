//! Every CPS answer of the simulator's demo world, held to the shapes of Akamai's published
//! CPS v2 definitions (`akamai/akamai-apis`, `apis/cps/v2/openapi.json`): required members,
//! no member the definition does not name (its objects are closed), and the values of its
//! enums. The shapes are written out here in our own terms, not read from the simulator.
//!
//! Deliberate departures, each what Akamai's own examples show CPS sending: enrollment ids as
//! numbers (the schema says string; one enrollment is written with a string), a challenge
//! `status` in lower case where the schema lists `Pending`, `validatedTimestamp` null before a
//! domain is validated, and a network with nothing deployed on it as `null` in `deployments`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sim_support;

use serde_json::{Value, json};
use sim_support::*;
use spsdash::sim::RunningSim;

#[derive(Debug, Clone)]
enum Shape {
    Text,
    OneOf(&'static [&'static str]),
    /// An enum whose values CPS also sends in lower case.
    AnyCaseOf(&'static [&'static str]),
    Flag,
    Whole,
    /// A number, or a string of digits.
    Id,
    Anything,
    Nullable(Box<Shape>),
    List(Box<Shape>),
    /// A closed object: `required` must be there, nothing outside `members` may be.
    Object {
        required: Vec<&'static str>,
        members: Vec<(&'static str, Shape)>,
    },
}

use Shape::*;

fn null(shape: Shape) -> Shape {
    Nullable(Box::new(shape))
}

fn list(shape: Shape) -> Shape {
    List(Box::new(shape))
}

fn object(required: &[&'static str], members: Vec<(&'static str, Shape)>) -> Shape {
    Object {
        required: required.to_vec(),
        members,
    }
}

fn check(shape: &Shape, value: &Value, at: &str, problems: &mut Vec<String>) {
    let mut wrong = |what: &str| problems.push(format!("{at}: {what}, got {value}"));
    match shape {
        Text => {
            if !value.is_string() {
                wrong("a string");
            }
        }
        OneOf(values) => {
            if !value.as_str().is_some_and(|text| values.contains(&text)) {
                wrong(&format!("one of {values:?}"));
            }
        }
        AnyCaseOf(values) => {
            let known = value
                .as_str()
                .is_some_and(|text| values.iter().any(|v| v.eq_ignore_ascii_case(text)));
            if !known {
                wrong(&format!("one of {values:?} in any case"));
            }
        }
        Flag => {
            if !value.is_boolean() {
                wrong("true or false");
            }
        }
        Whole => {
            if !value.is_u64() {
                wrong("a whole number");
            }
        }
        Id => {
            let digits = value
                .as_str()
                .is_some_and(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()));
            if !(value.is_u64() || digits) {
                wrong("an id");
            }
        }
        Anything => {}
        Nullable(inner) => {
            if !value.is_null() {
                check(inner, value, at, problems);
            }
        }
        List(inner) => match value.as_array() {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    check(inner, item, &format!("{at}[{index}]"), problems);
                }
            }
            None => wrong("an array"),
        },
        Object { required, members } => {
            let Some(map) = value.as_object() else {
                wrong("an object");
                return;
            };
            for name in required {
                if !map.contains_key(*name) {
                    problems.push(format!("{at}: `{name}` is required"));
                }
            }
            for (name, member) in map {
                match members.iter().find(|(known, _)| known == name) {
                    Some((_, shape)) => check(shape, member, &format!("{at}.{name}"), problems),
                    None => problems.push(format!("{at}: `{name}` is not in the definition")),
                }
            }
        }
    }
}

fn text_or_null() -> Shape {
    null(Text)
}

fn contact() -> Shape {
    let members = [
        "addressLineOne",
        "addressLineTwo",
        "city",
        "country",
        "email",
        "firstName",
        "lastName",
        "organizationName",
        "phone",
        "postalCode",
        "region",
        "title",
    ];
    null(object(
        &[],
        members.iter().map(|m| (*m, text_or_null())).collect(),
    ))
}

const GEOGRAPHY: &[&str] = &["core", "china+core", "russia+core"];
const SECURE_NETWORK: &[&str] = &["enhanced-tls", "standard-tls"];
const OCSP_STAPLING: &[&str] = &["on", "off", "not-set"];
const CERTIFICATE_TYPE: &[&str] = &["san", "single", "wildcard", "wildcard-san", "third-party"];
const KEY_ALGORITHM: &[&str] = &["ECDSA", "RSA"];
const SIGNATURE_ALGORITHM: &[&str] = &["SHA-1", "SHA-256"];

fn enrollment() -> Shape {
    let network = object(
        &["geography", "quicEnabled", "secureNetwork", "sniOnly"],
        vec![
            ("clientMutualAuthentication", null(Anything)),
            ("disallowedTlsVersions", null(list(Text))),
            (
                "dnsNameSettings",
                null(object(
                    &["cloneDnsNames"],
                    vec![("cloneDnsNames", Flag), ("dnsNames", null(list(Text)))],
                )),
            ),
            ("geography", OneOf(GEOGRAPHY)),
            ("mustHaveCiphers", text_or_null()),
            ("ocspStapling", null(OneOf(OCSP_STAPLING))),
            ("preferredCiphers", text_or_null()),
            ("quicEnabled", Flag),
            ("secureNetwork", OneOf(SECURE_NETWORK)),
            ("sniOnly", Flag),
        ],
    );
    let csr = object(
        &["cn"],
        ["c", "l", "o", "ou", "preferredTrustChain", "st"]
            .iter()
            .map(|m| (*m, text_or_null()))
            .chain([("cn", Text), ("sans", null(list(Text)))])
            .collect(),
    );
    let org = null(object(
        &[],
        [
            "addressLineOne",
            "addressLineTwo",
            "city",
            "country",
            "name",
            "phone",
            "postalCode",
            "region",
        ]
        .iter()
        .map(|m| (*m, text_or_null()))
        .collect(),
    ));
    let pending = object(
        &["location"],
        vec![
            ("location", Text),
            (
                "changeType",
                null(OneOf(&[
                    "new-certificate",
                    "modify-certificate",
                    "modify-san",
                    "renewal",
                ])),
            ),
        ],
    );
    object(
        &[
            "certificateType",
            "changeManagement",
            "csr",
            "enableMultiStackedCertificates",
            "networkConfiguration",
            "ra",
            "validationType",
        ],
        vec![
            ("adminContact", contact()),
            ("assignedSlots", null(list(Whole))),
            ("autoRenewalStartTime", text_or_null()),
            (
                "certificateChainType",
                null(OneOf(&["default", "symantec1kroot"])),
            ),
            ("certificateType", OneOf(CERTIFICATE_TYPE)),
            ("changeManagement", Flag),
            ("csr", csr),
            ("enableMultiStackedCertificates", Flag),
            ("id", null(Id)),
            ("location", text_or_null()),
            ("maxAllowedSanNames", null(Whole)),
            ("maxAllowedWildcardSanNames", null(Whole)),
            ("networkConfiguration", network),
            ("org", org),
            ("orgId", null(Whole)),
            ("pendingChanges", null(list(pending))),
            ("productionSlots", null(list(Whole))),
            ("ra", OneOf(&["symantec", "lets-encrypt", "third-party"])),
            ("signatureAlgorithm", null(OneOf(SIGNATURE_ALGORITHM))),
            ("stagingSlots", null(list(Whole))),
            ("techContact", contact()),
            (
                "thirdParty",
                null(object(&["excludeSans"], vec![("excludeSans", Flag)])),
            ),
            ("validationType", OneOf(&["dv", "ev", "ov", "third-party"])),
        ],
    )
}

fn change() -> Shape {
    let input = object(
        &["info", "requiredToProceed", "type", "update"],
        vec![
            ("info", Text),
            ("requiredToProceed", Flag),
            ("type", Text),
            ("update", Text),
        ],
    );
    let error = null(object(
        &["code", "description", "timestamp"],
        vec![("code", Text), ("description", Text), ("timestamp", Text)],
    ));
    let schedule = object(
        &[],
        vec![("notAfter", text_or_null()), ("notBefore", text_or_null())],
    );
    let status = object(
        &["deploymentSchedule", "description", "state", "status"],
        vec![
            ("deploymentSchedule", schedule),
            ("description", Text),
            ("error", error),
            (
                "state",
                OneOf(&[
                    "new",
                    "running",
                    "awaiting-input",
                    "suspended",
                    "cancelled",
                    "completed",
                    "error",
                ]),
            ),
            ("status", Text),
        ],
    );
    object(
        &["allowedInput", "statusInfo"],
        vec![("allowedInput", list(input)), ("statusInfo", status)],
    )
}

fn dv_challenges() -> Shape {
    let challenge = object(
        &["validationRecords"],
        vec![
            ("error", text_or_null()),
            ("fullPath", Text),
            ("redirectFullPath", Text),
            ("responseBody", Text),
            (
                "status",
                AnyCaseOf(&[
                    "Preparing",
                    "Pending",
                    "Awaiting user",
                    "Valid",
                    "Invalid",
                    "Error",
                    "Ready for Validation",
                ]),
            ),
            ("token", Text),
            ("type", OneOf(&["dns-01", "http-01"])),
            ("validationRecords", list(Anything)),
        ],
    );
    let domain = object(
        &["challenges"],
        vec![
            ("challenges", list(challenge)),
            ("domain", Text),
            ("error", text_or_null()),
            ("expires", Text),
            ("requestTimestamp", Text),
            ("status", Text),
            ("validatedTimestamp", text_or_null()),
            ("validationStatus", Text),
        ],
    );
    object(&["dv"], vec![("dv", list(domain))])
}

fn warnings() -> Shape {
    object(&[], vec![("warnings", Text)])
}

fn change_management_info() -> Shape {
    let certificate = object(
        &["certificateType", "fullCertificate", "signatureAlgorithm"],
        vec![
            ("certificateType", OneOf(CERTIFICATE_TYPE)),
            ("fullCertificate", Text),
            ("keyAlgorithm", OneOf(KEY_ALGORITHM)),
            ("ocspStapled", Flag),
            ("ocspUris", null(list(Text))),
            ("signatureAlgorithm", text_or_null()),
        ],
    );
    let network = object(
        &[
            "mustHaveCiphers",
            "preferredCiphers",
            "quicEnabled",
            "sniOnly",
        ],
        vec![
            ("disallowedTlsVersions", list(Text)),
            (
                "dnsNameSettings",
                null(object(
                    &["cloneDnsNames"],
                    vec![("cloneDnsNames", Flag), ("dnsNames", list(Text))],
                )),
            ),
            ("mustHaveCiphers", Text),
            ("networkType", text_or_null()),
            ("ocspStapling", OneOf(OCSP_STAPLING)),
            ("preferredCiphers", Text),
            ("quicEnabled", Flag),
            ("sniOnly", Flag),
        ],
    );
    let message = object(
        &["message", "messageCode"],
        vec![("message", Text), ("messageCode", Text)],
    );
    object(
        &["pendingState", "validationResultHash"],
        vec![
            ("acknowledgementDeadline", text_or_null()),
            (
                "pendingState",
                object(
                    &["pendingCertificates", "pendingNetworkConfiguration"],
                    vec![
                        ("pendingCertificates", list(certificate)),
                        ("pendingNetworkConfiguration", network),
                    ],
                ),
            ),
            (
                "validationResult",
                object(
                    &[],
                    vec![
                        ("errors", null(list(message.clone()))),
                        ("warnings", list(message)),
                    ],
                ),
            ),
            ("validationResultHash", Text),
        ],
    )
}

fn csr() -> Shape {
    let one = object(
        &["csr"],
        vec![("csr", Text), ("keyAlgorithm", OneOf(KEY_ALGORITHM))],
    );
    object(&["csrs"], vec![("csrs", list(one))])
}

fn deployment() -> Shape {
    let certificate = object(
        &["certificate", "trustChain"],
        vec![
            ("certificate", text_or_null()),
            ("expiry", Text),
            ("keyAlgorithm", OneOf(KEY_ALGORITHM)),
            ("signatureAlgorithm", null(OneOf(SIGNATURE_ALGORITHM))),
            ("trustChain", text_or_null()),
        ],
    );
    let network = object(
        &["quicEnabled", "sniOnly"],
        vec![
            ("disallowedTlsVersions", list(Text)),
            ("dnsNames", list(Text)),
            ("geography", OneOf(GEOGRAPHY)),
            ("mustHaveCiphers", Text),
            ("ocspStapling", OneOf(OCSP_STAPLING)),
            ("preferredCiphers", Text),
            ("quicEnabled", Flag),
            ("secureNetwork", OneOf(SECURE_NETWORK)),
            ("sniOnly", Flag),
        ],
    );
    object(
        &[
            "multiStackedCertificates",
            "networkConfiguration",
            "primaryCertificate",
        ],
        vec![
            ("multiStackedCertificates", list(certificate.clone())),
            ("networkConfiguration", network),
            ("ocspStapled", Flag),
            ("ocspUris", null(list(Text))),
            ("primaryCertificate", null(certificate)),
        ],
    )
}

fn deployments() -> Shape {
    object(
        &["production", "staging"],
        vec![
            ("production", null(deployment())),
            ("staging", null(deployment())),
        ],
    )
}

fn change_history() -> Shape {
    let certificate = null(object(
        &[],
        vec![
            ("certificate", text_or_null()),
            ("csr", Text),
            ("keyAlgorithm", Text),
            ("trustChain", text_or_null()),
        ],
    ));
    let change = object(
        &[
            "action",
            "actionDescription",
            "createdBy",
            "createdOn",
            "multiStackedCertificates",
            "ra",
            "status",
        ],
        vec![
            (
                "action",
                OneOf(&[
                    "import-certificate",
                    "renew",
                    "new-certificate",
                    "modify-san",
                    "update-network-configuration",
                ]),
            ),
            ("actionDescription", Text),
            ("businessCaseId", text_or_null()),
            ("createdBy", Text),
            ("createdOn", Text),
            ("lastUpdated", text_or_null()),
            ("multiStackedCertificates", list(Anything)),
            ("primaryCertificate", certificate),
            (
                "primaryCertificateOrderDetails",
                null(object(&[], vec![("orderId", Text)])),
            ),
            ("ra", Text),
            ("status", OneOf(&["incomplete", "cancelled", "completed"])),
        ],
    );
    object(&["changes"], vec![("changes", list(change))])
}

/// The media type and shape of each `input/info/{name}`.
fn info_shape(name: &str) -> (&'static str, Shape) {
    match name {
        "lets-encrypt-challenges" => (
            "application/vnd.akamai.cps.dv-challenges.v2+json",
            dv_challenges(),
        ),
        "pre-verification-warnings" | "post-verification-warnings" => {
            ("application/vnd.akamai.cps.warnings.v1+json", warnings())
        }
        "change-management-info" => (
            "application/vnd.akamai.cps.change-management-info.v5+json",
            change_management_info(),
        ),
        "third-party-csr" => ("application/vnd.akamai.cps.csr.v2+json", csr()),
        other => panic!("an info the definitions do not name: {other}"),
    }
}

/// GETs `path` as `media_type` and holds the answer to `shape`.
async fn held(
    sim: &RunningSim,
    path: &str,
    media_type: &str,
    shape: &Shape,
    problems: &mut Vec<String>,
) -> Option<Value> {
    let answer = Call::get_as(path, media_type).send(sim).await;
    if answer.status == 404 {
        return None;
    }
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(answer.content_type, media_type, "{path}");
    let value = answer.json();
    check(shape, &value, path, problems);
    Some(value)
}

/// Reads everything CPS shows of the demo world and holds each answer to its shape.
async fn hold_the_world(sim: &RunningSim, problems: &mut Vec<String>) -> usize {
    let list_shape = object(&[], vec![("enrollments", list(enrollment()))]);
    let mut infos = 0;
    for contract in sim.contracts() {
        let listed = held(
            sim,
            &format!("/cps/v2/enrollments?contractId={contract}"),
            "application/vnd.akamai.cps.enrollments.v11+json",
            &list_shape,
            problems,
        )
        .await
        .unwrap();
        for item in listed["enrollments"].as_array().unwrap() {
            let id = match &item["id"] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let base = format!("/cps/v2/enrollments/{id}");
            let one = held(
                sim,
                &base,
                "application/vnd.akamai.cps.enrollment.v11+json",
                &enrollment(),
                problems,
            )
            .await
            .unwrap();
            for media_type in [
                "application/vnd.akamai.cps.deployments.v7+json",
                "application/vnd.akamai.cps.deployments.v8+json",
            ] {
                held(
                    sim,
                    &format!("{base}/deployments"),
                    media_type,
                    &deployments(),
                    problems,
                )
                .await;
            }
            for network in ["production", "staging"] {
                held(
                    sim,
                    &format!("{base}/deployments/{network}"),
                    "application/vnd.akamai.cps.deployment.v7+json",
                    &deployment(),
                    problems,
                )
                .await;
            }
            held(
                sim,
                &format!("{base}/history/changes"),
                "application/vnd.akamai.cps.change-history.v5+json",
                &change_history(),
                problems,
            )
            .await
            .unwrap();
            for pending in one["pendingChanges"].as_array().unwrap() {
                let location =
                    pending["location"]
                        .as_str()
                        .unwrap()
                        .replacen("/cps-api/", "/cps/v2/", 1);
                let change = held(
                    sim,
                    &location,
                    "application/vnd.akamai.cps.change.v2+json",
                    &change(),
                    problems,
                )
                .await
                .unwrap();
                for input in change["allowedInput"].as_array().unwrap() {
                    let info = input["info"].as_str().unwrap();
                    let name = info.rsplit('/').next().unwrap();
                    let (media_type, shape) = info_shape(name);
                    held(sim, info, media_type, &shape, problems).await.unwrap();
                    infos += 1;
                }
            }
        }
    }
    infos
}

#[tokio::test]
async fn every_cps_answer_of_the_demo_holds_to_the_published_shapes() {
    let sim = stopped_sim().await;
    let mut problems = Vec::new();
    let mut infos = hold_the_world(&sim, &mut problems).await;
    // Later the moving changes stand elsewhere (change management, deployed, renewals).
    for _ in 0..3 {
        sim.advance(15 * 60);
        infos += hold_the_world(&sim, &mut problems).await;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(infos >= 20, "{infos} infos read");
}

#[tokio::test]
async fn enrollments_clients_write_hold_to_the_published_shapes_too() {
    let sim = stopped_sim().await;
    for (ra, validation, certificate_type, name) in [
        ("lets-encrypt", "dv", "san", "written-dv.example.com"),
        ("symantec", "ov", "san", "written-ov.example.com"),
        (
            "third-party",
            "third-party",
            "third-party",
            "written-3p.example.com",
        ),
    ] {
        let body = json!({
            "ra": ra, "validationType": validation, "certificateType": certificate_type,
            "changeManagement": true, "enableMultiStackedCertificates": false,
            "csr": { "cn": name, "sans": [name] },
            "networkConfiguration": { "geography": "core", "secureNetwork": "enhanced-tls",
                                      "sniOnly": true, "quicEnabled": false },
        });
        let answer = Call::write(
            "POST",
            "/cps/v2/enrollments?contractId=C-2EXSHP",
            body.to_string(),
            "application/vnd.akamai.cps.enrollment.v11+json",
            "application/vnd.akamai.cps.enrollment-status.v1+json",
        )
        .send(&sim)
        .await;
        assert_eq!(answer.status, 202, "{}", answer.body);
    }
    let mut problems = Vec::new();
    sim.advance(5 * 60);
    let mut infos = hold_the_world(&sim, &mut problems).await;
    sim.validate_domain("written-dv.example.com");
    // Staged, waiting for change management.
    sim.advance(25 * 60);
    infos += hold_the_world(&sim, &mut problems).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(infos >= 20, "{infos} infos read");
}

#[test]
fn the_shapes_refuse_what_the_definitions_do_not_allow() {
    let good = json!({
        "statusInfo": {
            "state": "awaiting-input",
            "status": "coodinate-domain-validation",
            "description": "Waiting.",
            "error": null,
            "deploymentSchedule": { "notBefore": null, "notAfter": null },
        },
        "allowedInput": [],
    });
    let mut problems = Vec::new();
    check(&change(), &good, "change", &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    for bad in [
        json!({ "statusInfo": good["statusInfo"].clone() }),
        json!({ "statusInfo": { "state": "in-progress", "status": "x", "description": "",
                "deploymentSchedule": {} }, "allowedInput": [] }),
        json!({ "statusInfo": good["statusInfo"].clone(), "allowedInput": [], "extra": 1 }),
        json!({ "statusInfo": good["statusInfo"].clone(),
                "allowedInput": [{ "type": "x", "info": "i", "update": "u" }] }),
    ] {
        let mut problems = Vec::new();
        check(&change(), &bad, "change", &mut problems);
        assert!(!problems.is_empty(), "accepted: {bad}");
    }
    let mut problems = Vec::new();
    check(
        &deployments(),
        &json!({ "production": null }),
        "d",
        &mut problems,
    );
    assert_eq!(problems, ["d: `staging` is required"]);
}
