#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The outside judge for writes, checked with no spsdash code: the reference server takes the
//! bodies Akamai's published request schemas allow and refuses (400, naming the member) the
//! ones they do not, records each body's violations for a test to assert on, and moves its
//! world as CPS and PAPI say. Controls: a missing required member, a wrong enum value, an
//! unknown member where none is allowed, a wrong Content-Type, a body that is not JSON.
//! Change inputs and the failure modes (lost answer, 409, 429): tests/cps_reference_inputs.rs.

mod cps_reference_support;
mod cps_reference_writes_support;

use cps_reference_support::{
    NO_SCHEMA, NOT_JSON, ReferenceServer, body_problems, conformance_problems, writes_available,
};
use cps_reference_writes_support::{
    ENROLLMENT, ENROLLMENT_STATUS, assert_problem, change_state, enrollment_body, enrollments, get,
    remove, write,
};
use serde_json::{Value, json};

fn create(
    server: &ReferenceServer,
    contract: &str,
    body: &Value,
) -> cps_reference_support::Response {
    write(
        server,
        "POST",
        &format!("/cps/v2/enrollments?contractId={contract}"),
        Some(ENROLLMENT),
        Some(ENROLLMENT_STATUS),
        Some(&body.to_string()),
    )
}

fn put(server: &ReferenceServer, target: &str, body: &Value) -> cps_reference_support::Response {
    write(
        server,
        "PUT",
        target,
        Some(ENROLLMENT),
        Some(ENROLLMENT_STATUS),
        Some(&body.to_string()),
    )
}

#[test]
fn valid_enrollment_writes_are_taken_and_every_body_fits_its_schema() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let dv = enrollment_body("lets-encrypt", "dv", &["new.judge-one.example"]);
    let created = create(&server, "ctr_C-0REF01", &dv);
    assert_eq!(created.status, 202, "{created:?}");
    assert_eq!(created.header("content-type"), Some(ENROLLMENT_STATUS));
    assert_eq!(
        created.json(),
        json!({"enrollment": "/cps/v2/enrollments/72201",
               "changes": ["/cps/v2/enrollments/72201/changes/88201"]})
    );
    let listed = enrollments(&server, "C-0REF01");
    let new = listed
        .iter()
        .find(|doc| doc["id"] == 72201)
        .expect("listed");
    assert_eq!(new["pendingChanges"][0]["changeType"], "new-certificate");
    let (state, waits) = change_state(&server, "/cps/v2/enrollments/72201/changes/88201");
    assert_eq!(
        (state.as_str(), waits.as_deref()),
        ("awaiting-input", Some("lets-encrypt-challenges"))
    );

    // OV waits for the pre-verification warnings first; published nullable members may be null.
    let mut ov = enrollment_body("symantec", "ov", &["new.judge-two.example"]);
    ov["signatureAlgorithm"] = Value::Null;
    ov["org"] = Value::Null;
    ov["networkConfiguration"]["ocspStapling"] = Value::Null;
    assert_eq!(create(&server, "C-0REF02", &ov).status, 202);
    let (_, waits) = change_state(&server, "/cps/v2/enrollments/72202/changes/88202");
    assert_eq!(
        waits.as_deref(),
        Some("pre-verification-warnings-acknowledgement")
    );

    // PUT with new SANs: refused while a change is pending, unless told to cancel it.
    let mut more = dv.clone();
    more["csr"]["sans"] = json!(["new.judge-one.example", "www.new.judge-one.example"]);
    assert_problem(&put(&server, "/cps/v2/enrollments/72201", &more), 409);
    let replaced = put(
        &server,
        "/cps/v2/enrollments/72201?allow-cancel-pending-changes=true",
        &more,
    );
    assert_eq!(replaced.status, 202, "{replaced:?}");
    assert_eq!(
        replaced.json()["changes"][0],
        "/cps/v2/enrollments/72201/changes/88203"
    );
    let (old, _) = change_state(&server, "/cps/v2/enrollments/72201/changes/88201");
    assert_eq!(old, "cancelled");
    let (_, waits) = change_state(&server, "/cps/v2/enrollments/72201/changes/88203");
    assert_eq!(waits.as_deref(), Some("lets-encrypt-challenges"));
    let challenges = get(
        &server,
        "/cps/v2/enrollments/72201/changes/88203/input/info/lets-encrypt-challenges",
        Some("application/vnd.akamai.cps.dv-challenges.v2+json"),
    );
    assert_eq!(challenges.json()["dv"].as_array().map(Vec::len), Some(2));

    // A contact alone needs no new certificate: 200, and the pending change stays.
    let mut contact = more.clone();
    contact["techContact"] = json!({"firstName": "Tess", "email": "tess@judge-one.example"});
    let kept = put(&server, "/cps/v2/enrollments/72201", &contact);
    assert_eq!(kept.status, 200, "{kept:?}");
    assert_eq!(
        kept.json()["changes"][0],
        "/cps/v2/enrollments/72201/changes/88203"
    );

    // Within the renewal window (72101 expires in 12 days) a change needs the override.
    let media = enrollment_body(
        "symantec",
        "ov",
        &["media.judge-two.example", "img.judge-two.example"],
    );
    assert_problem(&put(&server, "/cps/v2/enrollments/72101", &media), 409);
    let overridden = put(
        &server,
        "/cps/v2/enrollments/72101?renewal-date-check-override=true",
        &media,
    );
    assert_eq!(overridden.status, 202, "{overridden:?}");
    assert_problem(
        &put(
            &server,
            "/cps/v2/enrollments/72101?force-renewal=yes",
            &media,
        ),
        400,
    );

    let requests = server.requests();
    let problems = body_problems(&requests);
    assert!(problems.is_empty(), "{problems:#?}");
    for request in requests.iter().filter(|r| (200..300).contains(&r.status)) {
        assert!(conformance_problems(request).is_empty(), "{request:?}");
        if request.method != "GET" {
            assert_eq!(
                request.schema.as_deref(),
                Some("schemas/enrollment.v11.json")
            );
        }
    }
}

/// Each control breaks a valid body one way; the server refuses it naming the member, records
/// the violation, and creates nothing.
#[test]
fn enrollment_bodies_that_do_not_fit_are_refused_naming_the_member() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let good = enrollment_body("lets-encrypt", "dv", &["bad.judge-one.example"]);
    let mut controls: Vec<(Value, &str)> = Vec::new();
    let mut add = |change: &dyn Fn(&mut Value), expected: &'static str| {
        let mut body = good.clone();
        change(&mut body);
        controls.push((body, expected));
    };
    add(
        &|b| remove(&mut b["csr"], "cn"),
        "csr.cn: required member missing",
    );
    add(
        &|b| remove(b, "changeManagement"),
        "changeManagement: required member missing",
    );
    add(
        &|b| remove(&mut b["networkConfiguration"], "sniOnly"),
        "networkConfiguration.sniOnly: required member missing",
    );
    add(
        &|b| b["ra"] = json!("letsencrypt"),
        "ra: \"letsencrypt\" is not one of",
    );
    add(
        &|b| b["validationType"] = json!("DV"),
        "validationType: \"DV\" is not one of",
    );
    add(
        &|b| b["networkConfiguration"]["geography"] = json!("mars"),
        "networkConfiguration.geography:",
    );
    add(
        &|b| b["networkConfiguration"]["secureNetwork"] = json!("ENHANCED_TLS"),
        "networkConfiguration.secureNetwork:",
    );
    add(
        &|b| b["signatureAlgorithm"] = json!("SHA-512"),
        "signatureAlgorithm:",
    );
    add(
        &|b| b["certificateType"] = json!("multi"),
        "certificateType:",
    );
    add(
        &|b| b["sans"] = json!(["x.example"]),
        "sans: not a member of the published schema",
    );
    add(&|b| b["csr"]["bogus"] = json!(1), "csr.bogus: not a member");
    add(
        &|b| b["adminContact"] = json!({"nickname": "Ada"}),
        "adminContact.nickname: not a member",
    );
    add(
        &|b| b["networkConfiguration"]["dnsNameSettings"] = json!({"dnsNames": []}),
        "networkConfiguration.dnsNameSettings.cloneDnsNames: required",
    );
    add(
        &|b| b["thirdParty"] = json!({}),
        "thirdParty.excludeSans: required member missing",
    );
    add(
        &|b| b["changeManagement"] = json!("no"),
        "changeManagement: 'no' is not of type 'boolean'",
    );
    add(
        &|b| b["csr"]["sans"] = json!(["ok.example", 7]),
        "csr.sans[1]:",
    );
    for (body, expected) in &controls {
        let refused = create(&server, "C-0REF01", body);
        let problem = assert_problem(&refused, 400);
        let field = expected.split(':').next().unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains(field),
            "{expected}: {problem}"
        );
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{expected}: {problem}");
        let recorded = server.requests().pop().unwrap();
        assert!(
            recorded
                .violations
                .iter()
                .any(|line| line.starts_with(expected)),
            "{expected}: {:?}",
            recorded.violations
        );
    }

    let not_json = write(
        &server,
        "POST",
        "/cps/v2/enrollments?contractId=C-0REF01",
        Some(ENROLLMENT),
        Some(ENROLLMENT_STATUS),
        Some("{\"ra\": "),
    );
    assert_problem(&not_json, 400);
    let recorded = server.requests().pop().unwrap();
    assert!(recorded.violations[0].starts_with(NOT_JSON), "{recorded:?}");

    // The right body under the wrong Content-Type: 415, no schema to hold it to, and the
    // checker flags the Content-Type.
    let wrong_type = write(
        &server,
        "POST",
        "/cps/v2/enrollments?contractId=C-0REF01",
        Some("application/json"),
        Some(ENROLLMENT_STATUS),
        Some(&good.to_string()),
    );
    assert_problem(&wrong_type, 415);
    let recorded = server.requests().pop().unwrap();
    assert!(
        recorded.violations[0].starts_with(NO_SCHEMA),
        "{recorded:?}"
    );
    assert!(!conformance_problems(&recorded).is_empty());

    assert_eq!(
        enrollments(&server, "C-0REF01").len(),
        3,
        "nothing was created"
    );
    assert_eq!(body_problems(&server.requests()).len(), controls.len() + 2);
}

#[test]
fn edge_hostnames_are_created_as_papi_publishes() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let target = "/papi/v1/edgehostnames?contractId=ctr_C-0REF01&groupId=grp_30101";
    let post = |body: Value| {
        write(
            &server,
            "POST",
            target,
            Some("application/json"),
            None,
            Some(&body.to_string()),
        )
    };
    let secure = json!({"productId": "prd_SPM", "domainPrefix": "new.judge-one.example",
        "domainSuffix": "edgekey.net", "ipVersionBehavior": "IPV6_COMPLIANCE",
        "secureNetwork": "ENHANCED_TLS", "certEnrollmentId": 72001});
    let created = post(secure.clone());
    assert_eq!(created.status, 201, "{created:?}");
    let link = created.json()["edgeHostnameLink"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        link,
        "/papi/v1/edgehostnames/ehn_5100002?contractId=ctr_C-0REF01&groupId=grp_30101"
    );
    assert_eq!(created.header("location"), Some(link.as_str()));
    let listed = get(&server, target, Some("application/json")).json();
    let domains: Vec<&str> = listed["edgeHostnames"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["edgeHostnameDomain"].as_str())
        .collect();
    assert!(
        domains.contains(&"new.judge-one.example.edgekey.net"),
        "{listed}"
    );

    // The published schema does not forbid other members: the judge must not either.
    let mut extra = secure.clone();
    extra["comments"] = json!("a member the schema does not name");
    extra["domainPrefix"] = json!("extra.judge-one.example");
    assert_eq!(post(extra).status, 201);

    // World rules from the descriptions: the enrollment must be the contract's own.
    let mut elsewhere = secure.clone();
    elsewhere["certEnrollmentId"] = json!(72101);
    let problem = assert_problem(&post(elsewhere), 400);
    assert_eq!(
        problem["errors"][0]["field"], "certEnrollmentId",
        "{problem}"
    );
    let mut without = secure.clone();
    remove(&mut without, "certEnrollmentId");
    assert_problem(&post(without), 400);
    let mut suffix = secure.clone();
    suffix["domainSuffix"] = json!("edgesuite.net");
    assert_eq!(
        assert_problem(&post(suffix), 400)["errors"][0]["field"],
        "domainSuffix"
    );

    // Schema controls: a required member missing, an enum value wrong, a bad type.
    let mut missing = secure.clone();
    remove(&mut missing, "ipVersionBehavior");
    let mut wrong = secure.clone();
    wrong["secureNetwork"] = json!("enhanced-tls");
    let mut zero = secure.clone();
    zero["certEnrollmentId"] = json!(0);
    for (body, field) in [
        (missing, "ipVersionBehavior"),
        (wrong, "secureNetwork"),
        (zero, "certEnrollmentId"),
    ] {
        let problem = assert_problem(&post(body), 400);
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let violations = body_problems(&server.requests());
    assert_eq!(violations.len(), 3, "{violations:#?}");
}

#[test]
fn the_table_names_a_schema_for_every_body_it_takes() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cps_reference/");
    let mut seen = 0;
    for op in cps_reference_support::operations() {
        let schemas = &op["body_schemas"];
        for content_type in op["content_type"].as_array().unwrap() {
            let name = schemas[content_type.as_str().unwrap()]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no schema for {content_type}", op["operation_id"]));
            let text = std::fs::read_to_string(format!("{root}{name}")).unwrap();
            let schema: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{name}"
            );
            let comment = schema["$comment"].as_str().unwrap();
            assert!(comment.contains("akamai/akamai-apis"), "{name}: {comment}");
            seen += 1;
        }
        if op["content_type"].as_array().unwrap().is_empty() {
            assert!(schemas.is_null(), "{}", op["operation_id"]);
        }
    }
    assert_eq!(seen, 8);
}
