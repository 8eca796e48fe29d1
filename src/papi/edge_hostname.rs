//! A secure edge hostname for a CPS certificate: `POST /papi/v1/edgehostnames?contractId=C&
//! groupId=G` (application/json), its body as Akamai's published edge hostname create request
//! names its members: Enhanced TLS on `edgekey.net`, with the certificate's enrollment.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::PapiClient;
use crate::edgegrid::{ApiError, Planned};
use crate::tolerant as lenient;

pub const EDGE_HOSTNAMES_PATH: &str = "/papi/v1/edgehostnames";
/// The suffix of an Enhanced TLS edge hostname.
pub const ENHANCED_TLS_SUFFIX: &str = "edgekey.net";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeHostnameOrder {
    /// `prd_…` (the prefix may be left out, as PAPI allows).
    pub product_id: String,
    /// The name before `.edgekey.net`: usually the site's own hostname.
    pub domain_prefix: String,
    pub domain_suffix: &'static str,
    /// `ENHANCED_TLS`: served with the CPS certificate `cert_enrollment_id`.
    pub secure_network: &'static str,
    /// `IPV4`, or `IPV6_COMPLIANCE` for both.
    pub ip_version_behavior: &'static str,
    pub cert_enrollment_id: u64,
}

impl EdgeHostnameOrder {
    pub fn enhanced_tls(
        product_id: &str,
        domain_prefix: &str,
        ipv6: bool,
        enrollment_id: u64,
    ) -> EdgeHostnameOrder {
        EdgeHostnameOrder {
            product_id: product_id.to_string(),
            domain_prefix: domain_prefix.to_string(),
            domain_suffix: ENHANCED_TLS_SUFFIX,
            secure_network: "ENHANCED_TLS",
            ip_version_behavior: if ipv6 { "IPV6_COMPLIANCE" } else { "IPV4" },
            cert_enrollment_id: enrollment_id,
        }
    }

    /// `www.example.com.edgekey.net`.
    pub fn hostname(&self) -> String {
        format!("{}.{}", self.domain_prefix, self.domain_suffix)
    }
}

/// The answer (201): where the new edge hostname is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeHostnameCreated {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub edge_hostname_link: Option<String>,
}

impl PapiClient {
    pub fn plan_edge_hostname(
        &self,
        contract_id: &str,
        group_id: &str,
        order: &EdgeHostnameOrder,
    ) -> Result<Planned, ApiError> {
        let body = serde_json::to_vec(order).map_err(|error| ApiError::Request {
            detail: format!("the edge hostname does not serialise: {error}"),
        })?;
        let query = [
            ("contractId", contract_id.to_string()),
            ("groupId", group_id.to_string()),
        ];
        let headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("Accept".to_string(), "application/json".to_string()),
        ];
        self.http()
            .plan(Method::POST, EDGE_HOSTNAMES_PATH, &query, headers, body)
    }

    pub async fn create_edge_hostname(
        &self,
        planned: &Planned,
    ) -> Result<EdgeHostnameCreated, ApiError> {
        self.http().call_json(planned.clone()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_published_create_request() {
        let order = EdgeHostnameOrder::enhanced_tls("prd_SPM", "www.example.com", false, 10041);
        assert_eq!(
            serde_json::to_value(&order).unwrap(),
            serde_json::json!({
                "productId": "prd_SPM", "domainPrefix": "www.example.com",
                "domainSuffix": "edgekey.net", "secureNetwork": "ENHANCED_TLS",
                "ipVersionBehavior": "IPV4", "certEnrollmentId": 10041
            })
        );
        assert_eq!(order.hostname(), "www.example.com.edgekey.net");
    }
}
