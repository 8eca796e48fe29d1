//! One served certificate against what CPS says the network should serve: the verdict.

use chrono::{DateTime, Utc};

use crate::model::Network;
use crate::model::served::{Expected, Known, LeafFacts, Verdict};

/// What `leaf`, served on `network` for `name`, means. The name's absence and expiry come
/// first: they break the site whatever CPS deployed.
pub fn verdict(
    network: Network,
    name: &str,
    leaf: &LeafFacts,
    expected: &Expected,
    now: DateTime<Utc>,
) -> Verdict {
    if !leaf.covers(name) {
        return Verdict::NameMissing;
    }
    if leaf.not_after <= now {
        return Verdict::Expired {
            not_after: leaf.not_after,
        };
    }
    let same = |other: &Option<Known>| {
        other
            .as_ref()
            .is_some_and(|other| other.sha256 == leaf.sha256)
    };
    // During change management the new certificate is on staging (CPS's staging deployment
    // and the change's pending certificate are the same one).
    let new_on_staging = network == Network::Staging
        && expected.awaiting_acknowledgement
        && same(&expected.deployed);
    if same(&expected.pending) || new_on_staging {
        return Verdict::NewCertificate;
    }
    if same(&expected.deployed) {
        return Verdict::Deployed;
    }
    let Some(deployed) = &expected.deployed else {
        return Verdict::NothingDeployed;
    };
    if deployed
        .not_after
        .is_some_and(|deployed_until| leaf.not_after < deployed_until)
    {
        return Verdict::Previous {
            not_after: leaf.not_after,
        };
    }
    Verdict::Different {
        serial: leaf.serial.clone(),
        issuer: leaf.issuer.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn leaf(sha: &str, days_left: i64, names: &[&str]) -> LeafFacts {
        let now = Utc::now();
        LeafFacts {
            sha256: sha.into(),
            serial: sha.to_ascii_uppercase(),
            not_before: now - Duration::days(10),
            not_after: now + Duration::days(days_left),
            dns_names: names.iter().map(|name| name.to_string()).collect(),
            issuer: "CN=Test CA".into(),
        }
    }

    #[test]
    fn each_case_has_its_verdict() {
        let now = Utc::now();
        let deployed = leaf("new", 90, &["a.example"]);
        let expected = Expected {
            deployed: Some(Known::from(&deployed)),
            ..Expected::default()
        };
        let production = Network::Production;
        let check =
            |served: &LeafFacts, name: &str| verdict(production, name, served, &expected, now);
        assert_eq!(check(&deployed, "a.example"), Verdict::Deployed);
        assert!(matches!(
            check(&leaf("old", 3, &["a.example"]), "a.example"),
            Verdict::Previous { .. }
        ));
        assert!(matches!(
            check(&leaf("other", 400, &["a.example"]), "a.example"),
            Verdict::Different { .. }
        ));
        assert_eq!(
            check(&leaf("new", 90, &["b.example"]), "a.example"),
            Verdict::NameMissing
        );
        assert!(matches!(
            check(&leaf("gone", -1, &["a.example"]), "a.example"),
            Verdict::Expired { .. }
        ));
        let nothing = Expected::default();
        assert_eq!(
            verdict(production, "a.example", &deployed, &nothing, now),
            Verdict::NothingDeployed
        );
    }

    #[test]
    fn staging_during_change_management_serves_the_new_certificate() {
        let now = Utc::now();
        let new = leaf("new", 90, &["a.example"]);
        let waiting = Expected {
            deployed: Some(Known::from(&new)),
            pending: None,
            awaiting_acknowledgement: true,
        };
        assert_eq!(
            verdict(Network::Staging, "a.example", &new, &waiting, now),
            Verdict::NewCertificate
        );
        let pending = Expected {
            deployed: Some(Known::from(&leaf("old", 20, &["a.example"]))),
            pending: Some(Known::from(&new)),
            awaiting_acknowledgement: true,
        };
        assert_eq!(
            verdict(Network::Staging, "a.example", &new, &pending, now),
            Verdict::NewCertificate
        );
        // Without change management waiting, staging's deployed certificate is just that.
        let settled = Expected {
            awaiting_acknowledgement: false,
            ..waiting
        };
        assert_eq!(
            verdict(Network::Staging, "a.example", &new, &settled, now),
            Verdict::Deployed
        );
    }
}
