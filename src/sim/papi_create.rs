//! `POST /papi/v1/edgehostnames?contractId=C&groupId=G`: a new edge hostname, answered 201
//! with its `edgeHostnameLink` (and `Location`). Its body is checked against the published
//! `edgehostname-create-request` schema (which allows members it does not name), then for
//! what the schema's descriptions say: `ENHANCED_TLS` takes `edgekey.net` and a
//! `certEnrollmentId`, `STANDARD_TLS` `edgesuite.net`, `SHARED_CERT` `akamaized.net`; the
//! enrollment must be one of the contract's, on the enhanced TLS network; the product one the
//! contract carries; the edge hostname not taken.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::cps_world;
use super::json_shape::{self, Member, Object, Shape, Violation};
use super::papi_book::{self, EdgeHostname};
use super::papi_http::{accepts_json, answer, bad_request, papi_problem, scope};
use super::shared::Shared;
use super::world::World;

type AppState = State<Arc<Shared>>;

/// `edgehostname-create-request` (not closed: it has no `additionalProperties: false`).
static CREATE_REQUEST: Shape = Shape::Object(&Object {
    members: &[
        Member::may_not_null("certEnrollmentId", Shape::Whole { minimum: Some(1) }),
        Member::must("domainPrefix", Shape::Text),
        Member::must("domainSuffix", Shape::Text),
        Member::must(
            "ipVersionBehavior",
            Shape::OneOf(&["IPV4", "IPV6_COMPLIANCE"]),
        ),
        Member::must("productId", Shape::Text),
        Member::may_not_null("secure", Shape::Flag),
        Member::may_not_null(
            "secureNetwork",
            Shape::OneOf(&["ENHANCED_TLS", "STANDARD_TLS", "SHARED_CERT"]),
        ),
        Member::may_not_null("slotNumber", Shape::Whole { minimum: Some(1) }),
        Member::may_not_null(
            "useCases",
            Shape::List {
                item: &Shape::Object(&Object {
                    members: &[
                        Member::must("type", Shape::OneOf(&["GLOBAL"])),
                        Member::must("option", Shape::Text),
                        Member::must("useCase", Shape::Text),
                    ],
                    closed: false,
                }),
                max_items: Some(2),
            },
        ),
    ],
    closed: false,
});

pub(super) async fn create_edge_hostname(
    State(shared): AppState,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Err(refusal) = accepts_json(&headers, &uri) {
        return *refusal;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let kind = content_type.split(';').next().unwrap_or("").trim();
    if !kind.eq_ignore_ascii_case("application/json") {
        return papi_problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported Media Type",
            &format!(
                "A new edge hostname is sent as application/json; send `Content-Type: \
                 application/json` (got `{content_type}`)."
            ),
            &uri,
            Vec::new(),
        );
    }
    let now = shared.clock.now();
    let origin = shared.clock.origin();
    let mut world = shared.world_at(now);
    let (contract, group) = match scope(&world, &uri, true) {
        Ok(pair) => pair,
        Err(refusal) => return *refusal,
    };
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return bad_request(&uri, &[Violation::refused("", "not JSON.")]);
    };
    let mut violations = json_shape::check(&value, &CREATE_REQUEST);
    if violations.is_empty() {
        violations = meaning(&world, &contract, &value, now, origin);
    }
    if !violations.is_empty() {
        return bad_request(&uri, &violations);
    }
    let text = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let id = world.papi.next_edge_hostname_id();
    let edge = EdgeHostname {
        id,
        contract_id: contract.clone(),
        group_id: group.clone(),
        product_id: papi_book::product(&text("productId"))
            .unwrap_or_default()
            .to_string(),
        domain_prefix: text("domainPrefix").to_ascii_lowercase(),
        domain_suffix: text("domainSuffix").to_ascii_lowercase(),
        secure_network: value
            .get("secureNetwork")
            .and_then(Value::as_str)
            .map(str::to_string),
        ip_version_behavior: text("ipVersionBehavior"),
        cert_enrollment_id: value.get("certEnrollmentId").and_then(Value::as_u64),
        use_cases: value.get("useCases").cloned(),
        created: now,
    };
    world.papi.add(edge);
    let link =
        format!("/papi/v1/edgehostnames/ehn_{id}?contractId=ctr_{contract}&groupId=grp_{group}");
    let mut response = answer(StatusCode::CREATED, &json!({ "edgeHostnameLink": link }));
    if let Ok(location) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// What the schema cannot say: the product, the suffix and network together, the enrollment.
fn meaning(
    world: &World,
    contract: &str,
    value: &Value,
    now: chrono::DateTime<chrono::Utc>,
    origin: chrono::DateTime<chrono::Utc>,
) -> Vec<Violation> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or("");
    let mut violations = Vec::new();
    if papi_book::product(text("productId")).is_none() {
        violations.push(Violation::refused(
            "productId",
            format!(
                "{} is not a product of contract {contract}; GET /papi/v1/products?contractId={contract} lists them.",
                text("productId")
            ),
        ));
    }
    if let Some(why) = super::validate::hostname_problem(&text("domainPrefix").to_ascii_lowercase())
    {
        violations.push(Violation::refused("domainPrefix", why));
    }
    let network = value.get("secureNetwork").and_then(Value::as_str);
    let suffix = text("domainSuffix").to_ascii_lowercase();
    let wanted = match network {
        Some("ENHANCED_TLS") => "edgekey.net",
        Some("SHARED_CERT") => "akamaized.net",
        _ => "edgesuite.net",
    };
    if suffix != wanted {
        violations.push(Violation::refused(
            "domainSuffix",
            format!(
                "must be {wanted} with secureNetwork {}.",
                network.unwrap_or("(none)")
            ),
        ));
    }
    let domain = format!("{}.{suffix}", text("domainPrefix").to_ascii_lowercase());
    if world.papi.exists(&domain) {
        violations.push(Violation::refused(
            "domainPrefix",
            format!("the edge hostname {domain} already exists."),
        ));
    }
    let enrollment = value.get("certEnrollmentId").and_then(Value::as_u64);
    match (network, enrollment) {
        (Some("ENHANCED_TLS"), None) => violations.push(Violation::refused(
            "certEnrollmentId",
            "an ENHANCED_TLS edge hostname names the CPS enrollment of its certificate.",
        )),
        (Some("ENHANCED_TLS"), Some(id)) => {
            if let Some(why) = enrollment_problem(world, contract, id, now, origin) {
                violations.push(Violation::refused("certEnrollmentId", why));
            }
        }
        (_, Some(_)) => violations.push(Violation::refused(
            "certEnrollmentId",
            "only an ENHANCED_TLS edge hostname takes a certificate enrollment.",
        )),
        (_, None) => {}
    }
    violations
}

/// Why enrollment `id` cannot carry an enhanced TLS edge hostname of `contract`, if it cannot.
fn enrollment_problem(
    world: &World,
    contract: &str,
    id: u64,
    now: chrono::DateTime<chrono::Utc>,
    origin: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    let (owner, network) = match world.cps.get(id) {
        Some(own) => {
            let network = own
                .written
                .as_ref()
                .and_then(|body| body.pointer("/networkConfiguration/secureNetwork"))
                .and_then(Value::as_str)
                .unwrap_or("enhanced-tls")
                .to_string();
            (own.contract_id.clone(), network)
        }
        None => match cps_world::find(world, id, now, origin) {
            Some(made) => (made.base.contract_id.clone(), "enhanced-tls".to_string()),
            None => return Some(format!("there is no CPS enrollment {id}.")),
        },
    };
    if owner != contract {
        return Some(format!(
            "enrollment {id} is not one of contract {contract}'s."
        ));
    }
    (network != "enhanced-tls").then(|| {
        format!("enrollment {id} is on the {network} network; ENHANCED_TLS needs an enhanced-tls enrollment.")
    })
}
