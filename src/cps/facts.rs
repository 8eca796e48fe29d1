//! CPS's enrollment, deployments and pending change, converted into the facts the dashboard
//! keeps of a certificate (`model::CertificateFacts`).

use super::change::{ChangeStatus, DvChallenges};
use super::model::{Deployments, Enrollment};
use crate::model::{CertificateFacts, Network, NetworkFacts, PendingFacts};

/// The facts of one enrollment as read: its names, CA, SNI, the networks serving a
/// certificate, and the first pending change (what it is; its status comes with the change).
pub fn certificate_facts(
    enrollment_id: u64,
    enrollment: &Enrollment,
    deployments: &Deployments,
) -> CertificateFacts {
    let networks = Network::ALL
        .into_iter()
        .filter_map(|network| {
            let deployment = deployments.network(network)?;
            deployment.primary_certificate.as_ref()?;
            Some(NetworkFacts {
                network,
                expiry: deployment.expiry(),
                expiry_unreadable: deployment.unreadable_expiry(),
                dns_names: deployment.dns_names().to_vec(),
                sha256: deployment
                    .primary_certificate
                    .as_ref()
                    .and_then(|certificate| certificate.certificate.as_deref())
                    .and_then(super::certificate_digest::sha256_of_pem),
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
pub fn with_change(mut facts: CertificateFacts, change: &ChangeStatus) -> CertificateFacts {
    let pending = facts.pending.get_or_insert_with(PendingFacts::default);
    if let Some(info) = &change.status_info {
        pending.status = info.status.clone();
        pending.description = info
            .description
            .clone()
            .or_else(|| info.error.as_ref().and_then(|e| e.description.clone()));
    }
    facts
}

/// Adds the DNS-01 records of the change's Let's Encrypt challenges.
pub fn with_challenges(mut facts: CertificateFacts, challenges: &DvChallenges) -> CertificateFacts {
    facts.dns_records = challenges.dns_records();
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cps::model::{DeployedCertificate, Deployment, NetworkConfiguration};

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
        let facts = certificate_facts(5, &enrollment, &deployments);
        assert_eq!(facts.common_name.as_deref(), Some("www.example.com"));
        assert_eq!(facts.issuer.as_deref(), Some("lets-encrypt"));
        assert_eq!(facts.sni_only, Some(true));
        assert_eq!(facts.networks.len(), 1, "staging serves nothing");
        assert_eq!(
            facts.production_expiry(),
            crate::model::parse_time("2027-01-01T00:00:00Z")
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
