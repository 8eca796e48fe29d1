//! What each network serves and when it expires, from CPS's deployments.

use chrono::{DateTime, Utc};

use super::model::{Deployment, Deployments};
use crate::model::{CertificateExpiry, Network};

impl Deployments {
    pub fn network(&self, network: Network) -> Option<&Deployment> {
        match network {
            Network::Production => self.production.as_ref(),
            Network::Staging => self.staging.as_ref(),
        }
    }

    /// Each network that serves a certificate with a readable expiry, production first.
    pub fn expiries(&self) -> Vec<CertificateExpiry> {
        Network::ALL
            .into_iter()
            .filter_map(|network| {
                let expiry = self.network(network)?.expiry()?;
                Some(CertificateExpiry { network, expiry })
            })
            .collect()
    }

    /// What the world sees: the production certificate's expiry.
    pub fn production_expiry(&self) -> Option<DateTime<Utc>> {
        self.network(Network::Production)?.expiry()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cps::model::DeployedCertificate;

    fn at(text: &str) -> DateTime<Utc> {
        crate::model::parse_time(text).expect("time")
    }

    fn certificate(expiry: &str) -> DeployedCertificate {
        DeployedCertificate {
            expiry: Some(expiry.to_string()),
            ..DeployedCertificate::default()
        }
    }

    #[test]
    fn production_expiry_is_the_soonest_certificate_served_there() {
        let deployments = Deployments {
            production: Some(Deployment {
                primary_certificate: Some(certificate("2027-03-01T00:00:00Z")),
                multi_stacked_certificates: vec![certificate("2027-02-01T00:00:00.000+0000")],
                ..Deployment::default()
            }),
            staging: Some(Deployment {
                primary_certificate: Some(certificate("2027-01-01T00:00:00Z")),
                ..Deployment::default()
            }),
            ..Deployments::default()
        };
        assert_eq!(
            deployments.production_expiry(),
            Some(at("2027-02-01T00:00:00Z"))
        );
        let expiries = deployments.expiries();
        assert_eq!(expiries.len(), 2);
        assert_eq!(expiries[0].network, Network::Production);
        assert_eq!(expiries[1].expiry, at("2027-01-01T00:00:00Z"));
        assert_eq!(Deployments::default().production_expiry(), None);
    }

    #[test]
    fn an_unreadable_expiry_beside_readable_ones_makes_the_soonest_unknown() {
        let production = Deployment {
            primary_certificate: Some(certificate("2027-03-01T00:00:00Z")),
            multi_stacked_certificates: vec![certificate("not a date")],
            ..Deployment::default()
        };
        assert_eq!(
            production.expiry(),
            None,
            "the unreadable one may be sooner"
        );
        let why = production.unreadable_expiry().expect("unknown");
        assert!(why.contains("not a date"), "{why}");
        let without = Deployment {
            primary_certificate: Some(DeployedCertificate::default()),
            ..Deployment::default()
        };
        assert!(without.unreadable_expiry().is_some());
        assert_eq!(
            Deployment::default().unreadable_expiry(),
            None,
            "nothing served"
        );
    }
}
