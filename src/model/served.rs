//! What the edge really serves, as the served-certificate probe found it (`served/`): per
//! network, per name, per address, the leaf certificate read from the TLS handshake and the
//! verdict of comparing it with what CPS says it deployed. Plain data with its words, so the
//! command line, the dashboard, the notifications and the exporter all say the same thing.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::expiry::Network;

/// The facts of one certificate, read from its DER bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafFacts {
    /// SHA-256 of the DER bytes, lower-case hex: what "the same certificate" means.
    pub sha256: String,
    /// Hex, as `openssl x509 -serial` prints it (upper case, no separators).
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// DNS names of the subjectAltName extension, lower case.
    pub dns_names: Vec<String>,
    /// The issuer's distinguished name, as RFC 4514 text.
    pub issuer: String,
}

impl LeafFacts {
    /// True when `name` is one of the certificate's DNS names, or matches a wildcard of
    /// them (`*.example.com` covers `www.example.com`, not `example.com` nor `a.b.example.com`).
    pub fn covers(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.dns_names.iter().any(|san| {
            let san = san.trim_end_matches('.').to_ascii_lowercase();
            if san == name {
                return true;
            }
            match (san.strip_prefix("*."), name.split_once('.')) {
                (Some(parent), Some((label, rest))) => {
                    !label.is_empty() && !name.starts_with("*.") && rest == parent
                }
                _ => false,
            }
        })
    }
}

/// A certificate CPS knows, as much as the comparison needs: which one it is, and when it
/// ends (to tell an older certificate from another one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// SHA-256 of the DER bytes, lower-case hex.
    pub sha256: String,
    pub not_after: Option<DateTime<Utc>>,
}

impl From<&LeafFacts> for Known {
    fn from(leaf: &LeafFacts) -> Known {
        Known {
            sha256: leaf.sha256.clone(),
            not_after: Some(leaf.not_after),
        }
    }
}

/// What one network should serve, as CPS says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// The certificate CPS deployed there (`deployments/{network}`), if it could be read.
    pub deployed: Option<Known>,
    /// The certificate of a change waiting for change management: staging serves it first.
    pub pending: Option<Known>,
    /// A change waits for the operator to acknowledge change management.
    pub awaiting_acknowledgement: bool,
}

/// How one comparison came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// The edge serves what CPS deployed on this network.
    Deployed,
    /// Staging serves the certificate change management waits to have acknowledged.
    NewCertificate,
    /// Not what CPS deployed, but an older certificate for the same names.
    Previous { not_after: DateTime<Utc> },
    /// A certificate CPS did not deploy (another issuer, another key…).
    Different { serial: String, issuer: String },
    /// The name asked for is not among the served certificate's names.
    NameMissing,
    /// The served certificate has expired.
    Expired { not_after: DateTime<Utc> },
    /// The name does not lead to Akamai: `via` is the last CNAME target or the addresses.
    NotOnAkamai { via: String },
    /// DNS gave no address.
    NoAddress { why: String },
    /// No TLS answer (refused, timed out, handshake failed).
    NoAnswer { port: u16, why: String },
    /// A certificate was served but CPS has none deployed on this network to compare with.
    NothingDeployed,
    /// A wildcard name cannot be asked for itself; the edge hostname's line covers it.
    Wildcard,
}

/// Whether a verdict is good news, bad news or no news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Matches,
    /// Nothing was compared (a wildcard name): counts neither way.
    NotProbed,
    CouldNotFindOut,
    Mismatch,
}

impl Verdict {
    pub fn outcome(&self) -> Outcome {
        match self {
            Verdict::Deployed | Verdict::NewCertificate => Outcome::Matches,
            Verdict::Wildcard => Outcome::NotProbed,
            Verdict::NoAddress { .. } | Verdict::NoAnswer { .. } | Verdict::NothingDeployed => {
                Outcome::CouldNotFindOut
            }
            Verdict::Previous { .. }
            | Verdict::Different { .. }
            | Verdict::NameMissing
            | Verdict::Expired { .. }
            | Verdict::NotOnAkamai { .. } => Outcome::Mismatch,
        }
    }

    /// The verdict in words: `network` is where it was asked, `name` the name asked for.
    pub fn sentence(&self, network: Network, name: &str, now: DateTime<Utc>) -> String {
        match self {
            Verdict::Deployed => format!("{network} serves the deployed certificate"),
            Verdict::NewCertificate if network == Network::Staging => {
                "staging serves the new certificate: ready to acknowledge".to_string()
            }
            Verdict::NewCertificate => format!("{network} serves the new certificate"),
            Verdict::Previous { not_after } => format!(
                "{network} still serves the previous certificate ({})",
                expires_in(*not_after, now)
            ),
            Verdict::Different { serial, issuer } => format!(
                "{network} serves a certificate CPS did not deploy (serial {serial}, issuer {issuer})"
            ),
            Verdict::NameMissing => format!("{name} is not on the served certificate"),
            Verdict::Expired { not_after } => format!(
                "{network} serves an expired certificate ({})",
                expires_in(*not_after, now)
            ),
            Verdict::NotOnAkamai { via } => format!("not on Akamai: {via}"),
            Verdict::NoAddress { why } => format!("no address for {name}: {why}"),
            Verdict::NoAnswer { port, why } => format!("no answer on {port} ({why})"),
            Verdict::NothingDeployed => {
                format!("CPS has no certificate deployed on {network} to compare with")
            }
            Verdict::Wildcard => {
                "a wildcard: not asked for itself (the edge hostname's line covers it)".to_string()
            }
        }
    }
}

/// "expires in 3 days", "expires today", "expired 2 days ago".
pub fn expires_in(not_after: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if not_after <= now {
        return match (now - not_after).num_days() {
            0 => "expired today".to_string(),
            1 => "expired 1 day ago".to_string(),
            days => format!("expired {days} days ago"),
        };
    }
    match (not_after - now).num_days() {
        0 => "expires today".to_string(),
        1 => "expires in 1 day".to_string(),
        days => format!("expires in {days} days"),
    }
}

/// One address asked: what it served and what that means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressServed {
    pub address: IpAddr,
    /// The leaf it served, when the handshake got that far.
    pub leaf: Option<LeafFacts>,
    pub verdict: Verdict,
}

impl AddressServed {
    /// "IPv6 ::1", "IPv4 127.0.0.1".
    pub fn label(&self) -> String {
        let family = if self.address.is_ipv6() {
            "IPv6"
        } else {
            "IPv4"
        };
        format!("{family} {}", self.address)
    }
}

/// One name on one network: how it was reached and what each address served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameServed {
    /// The name sent as SNI.
    pub name: String,
    /// The host whose addresses were asked: the name itself on production, the staging edge
    /// hostname on staging, or the edge hostname's own line.
    pub via_host: String,
    /// `CNAME → a → b; AAAA …; A …`: what DNS answered for `via_host`.
    pub dns: String,
    /// Empty when there was no address to ask (the verdict is then in `verdict`).
    pub addresses: Vec<AddressServed>,
    /// The verdict when no address was asked (no address, not on Akamai, a wildcard).
    pub verdict: Option<Verdict>,
}

impl NameServed {
    /// Every verdict of this name: the one of the name, or each address's.
    pub fn verdicts(&self) -> impl Iterator<Item = &Verdict> {
        self.verdict
            .iter()
            .chain(self.addresses.iter().map(|address| &address.verdict))
    }

    /// The name's verdict in words: "www.example.com: production serves the deployed
    /// certificate (IPv6 ::1, IPv4 127.0.0.1)"; when its addresses disagree, that they do,
    /// then a line per address ("IPv6 ::1: …").
    pub fn verdict_lines(&self, network: Network, now: DateTime<Utc>) -> Vec<String> {
        let title = if self.via_host == self.name {
            self.name.clone()
        } else {
            format!("{} via {}", self.name, self.via_host)
        };
        if let Some(verdict) = &self.verdict {
            return vec![format!(
                "{title}: {}",
                verdict.sentence(network, &self.name, now)
            )];
        }
        let first = self.addresses.first().map(|address| &address.verdict);
        let agree = self
            .addresses
            .iter()
            .all(|address| Some(&address.verdict) == first);
        match first {
            Some(verdict) if agree => {
                let families: Vec<String> =
                    self.addresses.iter().map(AddressServed::label).collect();
                vec![format!(
                    "{title}: {} ({})",
                    verdict.sentence(network, &self.name, now),
                    families.join(", ")
                )]
            }
            _ => std::iter::once(format!("{title}: the addresses disagree"))
                .chain(self.addresses.iter().map(|address| {
                    format!(
                        "{}: {}",
                        address.label(),
                        address.verdict.sentence(network, &self.name, now)
                    )
                }))
                .collect(),
        }
    }

    /// The worst outcome among this name's verdicts.
    pub fn outcome(&self) -> Outcome {
        self.verdicts()
            .map(Verdict::outcome)
            .max()
            .unwrap_or(Outcome::CouldNotFindOut)
    }
}

/// One network of one enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkServed {
    pub network: Network,
    /// The edge hostname asked (`….edgekey.net` or `….edgekey-staging.net`).
    pub edge_hostname: Option<String>,
    pub names: Vec<NameServed>,
}

impl NetworkServed {
    /// The worst outcome over this network's names (a wildcard's counts neither way).
    pub fn outcome(&self) -> Outcome {
        worst(self.names.iter().map(NameServed::outcome))
    }

    /// "www.example.com: production still serves …": the first name with a verdict that
    /// `which` picks, in words.
    pub fn first_problem(
        &self,
        now: DateTime<Utc>,
        which: impl Fn(Outcome) -> bool,
    ) -> Option<String> {
        self.names
            .iter()
            .filter(|name| which(name.outcome()))
            .find_map(|name| {
                let verdict = name.verdicts().find(|verdict| which(verdict.outcome()))?;
                Some(format!(
                    "{}: {}",
                    name.name,
                    verdict.sentence(self.network, &name.name, now)
                ))
            })
    }
}

/// The worst of `outcomes`, not counting what was not probed; nothing is "could not find out".
fn worst(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    outcomes
        .filter(|outcome| *outcome != Outcome::NotProbed)
        .max()
        .unwrap_or(Outcome::CouldNotFindOut)
}

/// One probe of one enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedReport {
    pub enrollment_id: u64,
    pub common_name: String,
    pub probed_at: DateTime<Utc>,
    pub networks: Vec<NetworkServed>,
}

impl ServedReport {
    pub fn network(&self, network: Network) -> Option<&NetworkServed> {
        self.networks
            .iter()
            .find(|served| served.network == network)
    }

    /// The worst outcome over `network` (all networks when `None`).
    pub fn outcome(&self, network: Option<Network>) -> Outcome {
        worst(
            self.networks
                .iter()
                .filter(|served| network.is_none_or(|wanted| wanted == served.network))
                .flat_map(|served| served.names.iter())
                .map(NameServed::outcome),
        )
    }

    /// The SHA-256 production serves for the common name, when every address agreed on one:
    /// what the notifications follow ("production starts serving a new certificate").
    pub fn production_fingerprint(&self) -> Option<&str> {
        let production = self.network(Network::Production)?;
        let name = production
            .names
            .iter()
            .find(|name| name.name.eq_ignore_ascii_case(&self.common_name))
            .or_else(|| production.names.first())?;
        let mut leaves = name.addresses.iter().map(|address| address.leaf.as_ref());
        let first = leaves.next()??.sha256.as_str();
        leaves
            .all(|leaf| leaf.is_some_and(|leaf| leaf.sha256 == first))
            .then_some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(names: &[&str]) -> LeafFacts {
        LeafFacts {
            sha256: "ab".into(),
            serial: "01".into(),
            not_before: Utc::now(),
            not_after: Utc::now(),
            dns_names: names.iter().map(|name| name.to_string()).collect(),
            issuer: "CN=test".into(),
        }
    }

    #[test]
    fn wildcards_cover_one_label_only() {
        let served = leaf(&["*.example.com", "example.com"]);
        assert!(served.covers("www.example.com"));
        assert!(served.covers("WWW.example.com."));
        assert!(served.covers("example.com"));
        assert!(!served.covers("a.b.example.com"));
        assert!(!served.covers("www.example.org"));
        assert!(!leaf(&["www.example.com"]).covers("shop.example.com"));
    }

    #[test]
    fn mismatch_outranks_could_not_find_out() {
        let name = |verdict: Verdict| NameServed {
            name: "a.example".into(),
            via_host: "a.example".into(),
            dns: String::new(),
            addresses: Vec::new(),
            verdict: Some(verdict),
        };
        let report = ServedReport {
            enrollment_id: 1,
            common_name: "a.example".into(),
            probed_at: Utc::now(),
            networks: vec![NetworkServed {
                network: Network::Production,
                edge_hostname: None,
                names: vec![
                    name(Verdict::NoAnswer {
                        port: 443,
                        why: "refused".into(),
                    }),
                    name(Verdict::NameMissing),
                    name(Verdict::Wildcard),
                ],
            }],
        };
        assert_eq!(report.outcome(None), Outcome::Mismatch);
        assert_eq!(
            report.outcome(Some(Network::Staging)),
            Outcome::CouldNotFindOut
        );
    }

    #[test]
    fn the_sentences_say_what_to_expect() {
        let now = Utc::now();
        let previous = Verdict::Previous {
            not_after: now + chrono::Duration::hours(3 * 24 + 2),
        };
        assert_eq!(
            previous.sentence(Network::Production, "a", now),
            "production still serves the previous certificate (expires in 3 days)"
        );
        assert_eq!(
            Verdict::NewCertificate.sentence(Network::Staging, "a", now),
            "staging serves the new certificate: ready to acknowledge"
        );
        assert_eq!(
            Verdict::NameMissing.sentence(Network::Production, "www.shop.example.com", now),
            "www.shop.example.com is not on the served certificate"
        );
    }
}
