//! What the tests of the reference server's writes share: media types, signed requests (an
//! EdgeGrid-shaped Authorization header: the reference server checks the scheme, not the
//! signature, as in tests/cps_reference_conformance.rs), a valid enrollment body to break
//! one way at a time, and reads of the world.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};

use crate::cps_reference_support::{ReferenceServer, Response};

pub const AUTH: &str =
    "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d;signature=e";
pub const ENROLLMENTS: &str = "application/vnd.akamai.cps.enrollments.v11+json";
pub const ENROLLMENT: &str = "application/vnd.akamai.cps.enrollment.v11+json";
pub const ENROLLMENT_STATUS: &str = "application/vnd.akamai.cps.enrollment-status.v1+json";
pub const CHANGE: &str = "application/vnd.akamai.cps.change.v2+json";
pub const CHANGE_ID: &str = "application/vnd.akamai.cps.change-id.v1+json";
pub const ACK: &str = "application/vnd.akamai.cps.acknowledgement.v1+json";
pub const ACK_HASH: &str = "application/vnd.akamai.cps.acknowledgement-with-hash.v1+json";
pub const CHAIN_V2: &str = "application/vnd.akamai.cps.certificate-and-trust-chain.v2+json";
pub const WARNINGS: &str = "application/vnd.akamai.cps.warnings.v1+json";
pub const CHANGE_MANAGEMENT_INFO: &str =
    "application/vnd.akamai.cps.change-management-info.v5+json";
pub const DEPLOYMENT: &str = "application/vnd.akamai.cps.deployment.v7+json";
pub const CSR: &str = "application/vnd.akamai.cps.csr.v2+json";

pub fn get(server: &ReferenceServer, target: &str, accept: Option<&str>) -> Response {
    let mut headers = vec![("Authorization", AUTH)];
    headers.extend(accept.map(|accept| ("Accept", accept)));
    server.send("GET", target, &headers, None)
}

pub fn headers<'a>(
    content_type: Option<&'a str>,
    accept: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut headers = vec![("Authorization", AUTH)];
    headers.extend(content_type.map(|value| ("Content-Type", value)));
    headers.extend(accept.map(|value| ("Accept", value)));
    headers
}

pub fn write(
    server: &ReferenceServer,
    method: &str,
    target: &str,
    content_type: Option<&str>,
    accept: Option<&str>,
    body: Option<&str>,
) -> Response {
    server.send(method, target, &headers(content_type, accept), body)
}

/// POSTs `body` (acknowledgement.v1 unless `content_type` says otherwise) to `update`.
pub fn answer(
    server: &ReferenceServer,
    update: &str,
    content_type: &str,
    body: &Value,
) -> Response {
    write(
        server,
        "POST",
        update,
        Some(content_type),
        Some(CHANGE_ID),
        Some(&body.to_string()),
    )
}

pub fn acknowledge(server: &ReferenceServer, update: &str) -> Response {
    answer(
        server,
        update,
        ACK,
        &json!({"acknowledgement": "acknowledge"}),
    )
}

pub fn assert_problem(response: &Response, status: u16) -> Value {
    assert_eq!(response.status, status, "{response:?}");
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json"),
        "{response:?}"
    );
    let problem = response.json();
    for member in ["type", "title", "status", "detail", "instance"] {
        assert!(problem.get(member).is_some(), "{member} missing: {problem}");
    }
    problem
}

pub fn remove(value: &mut Value, member: &str) {
    value.as_object_mut().unwrap().remove(member);
}

/// A valid enrollment.v11 request body: the required members and a few optional ones.
pub fn enrollment_body(ra: &str, validation: &str, names: &[&str]) -> Value {
    json!({
        "ra": ra,
        "validationType": validation,
        "certificateType": if names.len() > 1 { "san" } else { "single" },
        "signatureAlgorithm": "SHA-256",
        "changeManagement": false,
        "enableMultiStackedCertificates": false,
        "csr": {"cn": names[0], "sans": names, "c": "GB", "o": "Reference Widgets Ltd"},
        "networkConfiguration": {
            "geography": "core",
            "secureNetwork": "enhanced-tls",
            "sniOnly": true,
            "quicEnabled": false,
            "dnsNameSettings": {"cloneDnsNames": true, "dnsNames": null}
        },
        "org": {"name": "Reference Widgets Ltd", "country": "GB"},
        "adminContact": {"firstName": "Ada", "lastName": "Reviewer", "email": "ada@judge-one.example"},
        "techContact": {"firstName": "Tom", "lastName": "Operator", "email": "tom@judge-one.example"}
    })
}

/// The enrollments of `contract`, as listed.
pub fn enrollments(server: &ReferenceServer, contract: &str) -> Vec<Value> {
    let list = get(
        server,
        &format!("/cps/v2/enrollments?contractId={contract}"),
        Some(ENROLLMENTS),
    );
    assert_eq!(list.status, 200, "{list:?}");
    list.json()["enrollments"].as_array().unwrap().clone()
}

/// A change's statusInfo.state and the type of the first input it waits for, if any.
pub fn change_state(server: &ReferenceServer, change: &str) -> (String, Option<String>) {
    let read = get(server, change, Some(CHANGE));
    assert_eq!(read.status, 200, "{read:?}");
    let body = read.json();
    let state = body["statusInfo"]["state"].as_str().unwrap().to_string();
    let waits = body["allowedInput"][0]["type"].as_str().map(str::to_string);
    (state, waits)
}

/// The full change record (change.v2).
pub fn change(server: &ReferenceServer, change: &str) -> Value {
    let read = get(server, change, Some(CHANGE));
    assert_eq!(read.status, 200, "{read:?}");
    read.json()
}
