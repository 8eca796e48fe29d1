//! What the dashboard keeps of one certificate: the few facts it shows (names, networks with
//! expiry, CA, SNI, the pending change and its DNS-01 records), small enough to cache on disk
//! per account. The API that knows certificates (CPS) converts into it (`cps::facts`), so
//! every layer above sees one shape.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::expiry::Network;

/// One enrollment as the dashboard shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateFacts {
    pub enrollment_id: u64,
    pub common_name: Option<String>,
    /// The names requested (the CSR's SANs).
    pub sans_requested: Vec<String>,
    pub validation_type: Option<String>,
    /// The certificate authority CPS uses (`ra`: `lets-encrypt`, `symantec`…).
    pub issuer: Option<String>,
    pub sni_only: Option<bool>,
    /// Production first, then staging; only networks that serve a certificate.
    pub networks: Vec<NetworkFacts>,
    /// The first pending change, when there is one.
    pub pending: Option<PendingFacts>,
    /// The DNS-01 alternative of each DV domain still to validate.
    pub dns_records: Vec<DnsTxtRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkFacts {
    pub network: Network,
    /// The soonest expiry of the certificates served there.
    pub expiry: Option<DateTime<Utc>>,
    /// Why `expiry` is unknown although a certificate is served (its expiry unreadable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_unreadable: Option<String>,
    /// The names as deployed.
    pub dns_names: Vec<String>,
    /// SHA-256 of the deployed certificate (lower-case hex): what the served-certificate
    /// probe compares the edge's answer with, without reading CPS again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PendingFacts {
    /// `new-certificate`, `renewal`, `edit-san`…
    pub change_type: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    /// Why the change itself could not be read, if it could not.
    pub unread: Option<String>,
}

impl CertificateFacts {
    /// Notes that the pending change could not be read (the rest still shows).
    pub fn with_unread_change(mut self, why: String) -> Self {
        self.pending
            .get_or_insert_with(PendingFacts::default)
            .unread = Some(why);
        self
    }

    pub fn network(&self, network: Network) -> Option<&NetworkFacts> {
        self.networks.iter().find(|facts| facts.network == network)
    }

    /// What the `expires` column and the radar go by.
    pub fn production_expiry(&self) -> Option<DateTime<Utc>> {
        self.network(Network::Production)?.expiry
    }

    /// The names deployed on production, else staging.
    pub fn sans_deployed(&self) -> &[String] {
        self.network(Network::Production)
            .or_else(|| self.network(Network::Staging))
            .map_or(&[], |facts| facts.dns_names.as_slice())
    }

    /// Requested names not deployed yet (a modSAN in flight).
    pub fn sans_not_deployed(&self) -> Vec<&str> {
        let deployed = self.sans_deployed();
        self.sans_requested
            .iter()
            .filter(|name| !deployed.iter().any(|d| d.eq_ignore_ascii_case(name)))
            .map(String::as_str)
            .collect()
    }
}

/// One enrollment's last read, as the dashboard caches it between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub enrollment_id: u64,
    pub read_at: DateTime<Utc>,
    /// `None` when CPS said the enrollment does not exist (`gone`).
    pub facts: Option<CertificateFacts>,
    /// The sentence for an enrollment CPS no longer has.
    pub gone: Option<String>,
}

/// A DNS-01 TXT record to publish: `name` is absolute, without the trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsTxtRecord {
    pub domain: String,
    pub name: String,
    pub value: String,
    pub status: Option<String>,
    pub expires: Option<String>,
}
