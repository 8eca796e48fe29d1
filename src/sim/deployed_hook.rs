//! `POST /_sim/deployed-certificate?enrollment=ID&network=production|staging` with a PEM
//! certificate as the body: from then on the enrollment's deployment on that network carries
//! that certificate (and its expiry), so a test can serve the same certificate from a local TLS
//! server and probe what "the edge" serves against what "CPS" deployed (issue 29). The
//! simulator's own certificates are placeholders that do not parse as X.509.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use x509_parser::pem::Pem;

use super::answers::{bad_request, json};
use super::cps_names::Network;
use super::handlers::Query;
use super::shared::Shared;

/// The certificates tests put in place, by enrollment and network.
#[derive(Debug, Default)]
pub struct DeployedCertificates(Mutex<BTreeMap<(u64, bool), Deployed>>);

#[derive(Debug, Clone)]
struct Deployed {
    pem: String,
    expiry: DateTime<Utc>,
}

fn key(enrollment_id: u64, network: Network) -> (u64, bool) {
    (enrollment_id, network == Network::Production)
}

impl DeployedCertificates {
    /// Puts the test's certificate into a deployment answer (`primaryCertificate`).
    pub fn apply(&self, enrollment_id: u64, network: Network, deployment: &mut Value) {
        let book = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(deployed) = book.get(&key(enrollment_id, network)) else {
            return;
        };
        if let Some(primary) = deployment
            .get_mut("primaryCertificate")
            .and_then(Value::as_object_mut)
        {
            primary.insert("certificate".into(), Value::String(deployed.pem.clone()));
            primary.insert(
                "expiry".into(),
                Value::String(deployed.expiry.to_rfc3339_opts(SecondsFormat::Secs, true)),
            );
        }
    }
}

pub(super) async fn put_certificate(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    body: String,
) -> Response {
    let query = Query::of(&uri);
    let enrollment = query
        .get("enrollment")
        .and_then(|id| id.parse::<u64>().ok());
    let network = query.get("network").and_then(Network::parse);
    let (Some(enrollment), Some(network)) = (enrollment, network) else {
        return bad_request(
            "enrollment",
            "enrollment and network are required, like \
             /_sim/deployed-certificate?enrollment=10001&network=production",
        );
    };
    let Some(expiry) = not_after(&body) else {
        return bad_request("body", "the body must be one PEM certificate that parses.");
    };
    shared
        .deployed
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key(enrollment, network), Deployed { pem: body, expiry });
    json(
        StatusCode::OK,
        &serde_json::json!({ "enrollment": enrollment, "expiry": expiry.to_rfc3339() }),
    )
}

fn not_after(pem_text: &str) -> Option<DateTime<Utc>> {
    let pem = Pem::iter_from_buffer(pem_text.as_bytes())
        .filter_map(Result::ok)
        .find(|pem| pem.label == "CERTIFICATE")?;
    let certificate = pem.parse_x509().ok()?;
    DateTime::<Utc>::from_timestamp(certificate.validity().not_after.timestamp(), 0)
}
