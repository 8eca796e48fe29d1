//! What `POST /_sim/deployed-certificate?enrollment=ID&network=production|staging` with a PEM
//! certificate as the body keeps (the hook itself is in `hooks.rs`): from then on the enrollment's deployment on that network carries
//! that certificate (and its expiry), so a test can serve the same certificate from a local TLS
//! server and probe what "the edge" serves against what "CPS" deployed (issue 29). The
//! simulator's own certificates are placeholders that do not parse as X.509.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use x509_parser::pem::Pem;

use super::cps_names::Network;

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
    /// From now on `network` of `enrollment_id` carries `pem`; `None` when it is not one
    /// certificate that parses.
    pub fn put(&self, enrollment_id: u64, network: Network, pem: String) -> Option<DateTime<Utc>> {
        let expiry = not_after(&pem)?;
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key(enrollment_id, network), Deployed { pem, expiry });
        Some(expiry)
    }

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

fn not_after(pem_text: &str) -> Option<DateTime<Utc>> {
    let pem = Pem::iter_from_buffer(pem_text.as_bytes())
        .filter_map(Result::ok)
        .find(|pem| pem.label == "CERTIFICATE")?;
    let certificate = pem.parse_x509().ok()?;
    DateTime::<Utc>::from_timestamp(certificate.validity().not_after.timestamp(), 0)
}
