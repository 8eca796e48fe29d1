//! What the simulated account has in PAPI besides its groups: the products of its contracts
//! and the edge hostnames clients created (`POST /papi/v1/edgehostnames`).

use chrono::{DateTime, Utc};
use serde_json::Value;

/// [ours] The products every contract of the simulated account carries, as
/// `GET /papi/v1/products` lists them (`productId`, `productName`).
pub const PRODUCTS: &[(&str, &str)] = &[
    ("prd_SPM", "Ion Premier"),
    ("prd_Fresca", "Ion Standard"),
    ("prd_Site_Accel", "Dynamic Site Accelerator"),
    ("prd_Download_Delivery", "Download Delivery"),
    ("prd_Adaptive_Media_Delivery", "Adaptive Media Delivery"),
];

/// Edge hostname ids start here (`ehn_…`).
const FIRST_EDGE_HOSTNAME_ID: u64 = 5_100_001;

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeHostname {
    pub id: u64,
    /// Without `ctr_` / `grp_`.
    pub contract_id: String,
    pub group_id: String,
    /// With its `prd_` prefix.
    pub product_id: String,
    pub domain_prefix: String,
    pub domain_suffix: String,
    pub secure_network: Option<String>,
    pub ip_version_behavior: String,
    pub cert_enrollment_id: Option<u64>,
    pub use_cases: Option<Value>,
    pub created: DateTime<Utc>,
}

impl EdgeHostname {
    /// `edgeHostnameDomain`: the CNAME target, prefix and suffix together.
    pub fn domain(&self) -> String {
        format!("{}.{}", self.domain_prefix, self.domain_suffix)
    }
}

#[derive(Debug, Clone, Default)]
pub struct PapiBook {
    edge_hostnames: Vec<EdgeHostname>,
}

impl PapiBook {
    pub fn next_edge_hostname_id(&self) -> u64 {
        self.edge_hostnames
            .iter()
            .map(|edge| edge.id + 1)
            .max()
            .unwrap_or(FIRST_EDGE_HOSTNAME_ID)
    }

    pub fn add(&mut self, edge: EdgeHostname) {
        self.edge_hostnames.push(edge);
    }

    /// Whether any contract already has this edge hostname (they are global names).
    pub fn exists(&self, domain: &str) -> bool {
        self.edge_hostnames
            .iter()
            .any(|edge| edge.domain().eq_ignore_ascii_case(domain))
    }

    /// The edge hostnames of one contract and group, oldest first.
    pub fn of(&self, contract_id: &str, group_id: &str) -> Vec<&EdgeHostname> {
        self.edge_hostnames
            .iter()
            .filter(|edge| edge.contract_id == contract_id && edge.group_id == group_id)
            .collect()
    }

    /// Every edge hostname made so far, oldest first.
    pub fn all(&self) -> &[EdgeHostname] {
        &self.edge_hostnames
    }

    pub fn get(&self, id: u64) -> Option<&EdgeHostname> {
        self.edge_hostnames.iter().find(|edge| edge.id == id)
    }
}

/// The product `id` names (with or without `prd_`), if contracts carry it.
pub fn product(id: &str) -> Option<&'static str> {
    let bare = id.strip_prefix("prd_").unwrap_or(id);
    PRODUCTS
        .iter()
        .map(|(product, _)| *product)
        .find(|product| product.strip_prefix("prd_") == Some(bare))
}
