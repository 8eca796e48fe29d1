//! What the dashboard keeps of one enrollment: the few CPS facts it shows (names, networks
//! with expiry, CA, SNI, the pending change and its DNS-01 records), small enough to cache on
//! disk per account. Built from the wire model here, so every layer above sees one shape.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::change::{ChangeStatus, DnsTxtRecord, DvChallenges};
use super::expiry::Network;
use super::model::{Deployments, Enrollment};

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
    /// The names as deployed.
    pub dns_names: Vec<String>,
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
    pub fn new(enrollment_id: u64, enrollment: &Enrollment, deployments: &Deployments) -> Self {
        let networks = Network::ALL
            .into_iter()
            .filter_map(|network| {
                let deployment = deployments.network(network)?;
                deployment.primary_certificate.as_ref()?;
                Some(NetworkFacts {
                    network,
                    expiry: deployment.expiry(),
                    dns_names: deployment.dns_names().to_vec(),
                })
            })
            .collect();
        CertificateFacts {
            enrollment_id,
            common_name: enrollment.common_name().map(str::to_string),
            sans_requested: enrollment.sans().to_vec(),
            validation_type: enrollment.validation_type.clone(),
            issuer: enrollment.ra.clone(),
            sni_only: enrollment.sni_only(),
            networks,
            pending: enrollment
                .pending_changes
                .first()
                .map(|change| PendingFacts {
                    change_type: change.change_type.clone(),
                    ..PendingFacts::default()
                }),
            dns_records: Vec::new(),
        }
    }

    /// Adds what the pending change's status said.
    pub fn with_change(mut self, change: &ChangeStatus) -> Self {
        let pending = self.pending.get_or_insert_with(PendingFacts::default);
        if let Some(info) = &change.status_info {
            pending.status = info.status.clone();
            pending.description = info
                .description
                .clone()
                .or_else(|| info.error.as_ref().and_then(|e| e.description.clone()));
        }
        self
    }

    /// Adds the DNS-01 records of the change's Let's Encrypt challenges.
    pub fn with_challenges(mut self, challenges: &DvChallenges) -> Self {
        self.dns_records = challenges.dns_records();
        self
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sps::cps::model::{DeployedCertificate, Deployment, NetworkConfiguration};

    #[test]
    fn facts_keep_what_the_dashboard_shows() {
        let enrollment: Enrollment = serde_json::from_value(serde_json::json!({
            "ra": "lets-encrypt", "validationType": "dv",
            "csr": {"cn": "www.example.com", "sans": ["www.example.com", "new.example.com"]},
            "networkConfiguration": {"sniOnly": true},
            "pendingChanges": [{"location": "/cps/v2/enrollments/5/changes/9", "changeType": "edit-san"}]
        }))
        .unwrap();
        let deployments = Deployments {
            production: Some(Deployment {
                primary_certificate: Some(DeployedCertificate {
                    expiry: Some("2027-01-01T00:00:00Z".into()),
                    ..DeployedCertificate::default()
                }),
                network_configuration: NetworkConfiguration {
                    dns_names: vec!["www.example.com".into()],
                    ..NetworkConfiguration::default()
                },
                ..Deployment::default()
            }),
            staging: Some(Deployment::default()),
            ..Deployments::default()
        };
        let facts = CertificateFacts::new(5, &enrollment, &deployments);
        assert_eq!(facts.common_name.as_deref(), Some("www.example.com"));
        assert_eq!(facts.issuer.as_deref(), Some("lets-encrypt"));
        assert_eq!(facts.sni_only, Some(true));
        assert_eq!(facts.networks.len(), 1, "staging serves nothing");
        assert_eq!(
            facts.production_expiry(),
            crate::sps::model::parse_time("2027-01-01T00:00:00Z")
        );
        assert_eq!(facts.sans_not_deployed(), vec!["new.example.com"]);
        assert_eq!(
            facts
                .pending
                .as_ref()
                .and_then(|p| p.change_type.as_deref()),
            Some("edit-san")
        );
        let back: CertificateFacts =
            serde_json::from_str(&serde_json::to_string(&facts).unwrap()).unwrap();
        assert_eq!(back, facts);
    }
}
