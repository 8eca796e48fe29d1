//! The CPS wire model, read tolerantly: unknown members are kept in `extra` (so `--json` prints
//! every field), optional members may be missing or `null`, numbers may arrive as strings.
//! Field names follow Akamai's CPS reference: Enrollment v11 and Deployment(s) v8 here; the
//! Change v2 and DvChallenges v2 bodies are in `change.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::model::parse_time;
use crate::tolerant::{self as lenient, opt_bool, or_default};

/// `GET /cps/v2/enrollments/{id}`: the certificate as requested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub location: Option<String>,
    /// The certificate authority: `lets-encrypt`, `symantec`, `third-party`…
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ra: Option<String>,
    /// `dv`, `ov`, `ev` or `third-party`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub validation_type: Option<String>,
    /// `san`, `single`, `wildcard`, `wildcard-san` or `third-party`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub certificate_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub signature_algorithm: Option<String>,
    #[serde(default, deserialize_with = "or_default")]
    pub csr: Csr,
    #[serde(default, deserialize_with = "or_default")]
    pub network_configuration: NetworkConfiguration,
    /// v10+: `{location, changeType}` objects; older versions: bare location strings.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub pending_changes: Vec<PendingChange>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub change_management: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub auto_renewal_start_time: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Enrollment {
    /// Its `id`, else the last segment of its `location` (an id written as a string, or
    /// only in the location, as Akamai's examples do).
    pub fn enrollment_id(&self) -> Option<u64> {
        self.id.or_else(|| {
            self.location
                .as_deref()?
                .trim_end_matches('/')
                .rsplit('/')
                .next()?
                .parse()
                .ok()
        })
    }

    pub fn common_name(&self) -> Option<&str> {
        self.csr.cn.as_deref()
    }

    /// The names requested (the CSR's SANs), which may be ahead of those deployed.
    pub fn sans(&self) -> &[String] {
        &self.csr.sans
    }

    pub fn sni_only(&self) -> Option<bool> {
        self.network_configuration.sni_only
    }

    pub fn is_dv(&self) -> bool {
        self.validation_type
            .as_deref()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("dv"))
    }

    /// What the dashboard keeps of a listed enrollment between lists (its row, the change to
    /// read, the certificate's facts): the names, kind, validation, authority, SNI and pending
    /// changes. The rest (contacts, CSR subject, network settings, unknown members) is for the
    /// detail, which reads the enrollment whole; at 10,000 enrollments it was most of the
    /// dashboard's memory.
    pub fn listed(&self) -> Enrollment {
        let mut sans = self.csr.sans.clone();
        sans.shrink_to_fit();
        Enrollment {
            id: self.enrollment_id(),
            ra: self.ra.clone(),
            validation_type: self.validation_type.clone(),
            certificate_type: self.certificate_type.clone(),
            csr: Csr {
                cn: self.csr.cn.clone(),
                sans,
                extra: BTreeMap::new(),
            },
            network_configuration: NetworkConfiguration {
                sni_only: self.network_configuration.sni_only,
                ..NetworkConfiguration::default()
            },
            pending_changes: self.pending_changes.clone(),
            ..Enrollment::default()
        }
    }

    /// Where each pending change can be read (`GET` with the change media type).
    pub fn change_locations(&self) -> impl Iterator<Item = &str> {
        self.pending_changes
            .iter()
            .filter_map(|change| change.location.as_deref())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Csr {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub cn: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub sans: Vec<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Where and how a certificate is served. The enrollment names the DNS names under
/// `dnsNameSettings`; a deployment lists them as `dnsNames`, the names as deployed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// `core`, `china+core`, `russia+core`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub geography: Option<String>,
    /// `standard-tls` or `enhanced-tls`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub secure_network: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub sni_only: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dns_names: Vec<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One entry of `pendingChanges`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingChange {
    pub location: Option<String>,
    /// `new-certificate`, `renewal`, `edit-san`…: kept verbatim.
    pub change_type: Option<String>,
}

impl<'de> Deserialize<'de> for PendingChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = |value: Option<&Value>| {
            value
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
        };
        Ok(match Value::deserialize(deserializer)? {
            Value::String(location) => PendingChange {
                location: Some(location).filter(|location| !location.is_empty()),
                change_type: None,
            },
            Value::Object(map) => PendingChange {
                location: text(map.get("location")),
                change_type: text(map.get("changeType")),
            },
            _ => PendingChange::default(),
        })
    }
}

/// `GET /cps/v2/enrollments/{id}/deployments`: what each network serves now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Deployments {
    #[serde(default)]
    pub production: Option<Deployment>,
    #[serde(default)]
    pub staging: Option<Deployment>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One network's deployment (also the body of `deployments/production|staging`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(default)]
    pub primary_certificate: Option<DeployedCertificate>,
    /// Extra certificates served beside the primary (e.g. an ECDSA one next to RSA).
    #[serde(
        default,
        deserialize_with = "lenient::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub multi_stacked_certificates: Vec<DeployedCertificate>,
    #[serde(default, deserialize_with = "or_default")]
    pub network_configuration: NetworkConfiguration,
    #[serde(default, deserialize_with = "opt_bool")]
    pub ocsp_stapled: Option<bool>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Deployment {
    /// The primary certificate first, then the multi-stacked ones.
    pub fn certificates(&self) -> impl Iterator<Item = &DeployedCertificate> {
        self.primary_certificate
            .iter()
            .chain(&self.multi_stacked_certificates)
    }

    /// The soonest expiry of any certificate this network serves; `None` when one of them has
    /// an expiry that cannot be read (it may be the soonest: see `unreadable_expiry`).
    pub fn expiry(&self) -> Option<DateTime<Utc>> {
        if self.unreadable_expiry().is_some() {
            return None;
        }
        self.certificates()
            .filter_map(DeployedCertificate::expiry_at)
            .min()
    }

    /// Why the soonest expiry here cannot be known: a certificate served with an expiry that
    /// `parse_time` does not read (quoted as sent), or with none at all. A readable expiry of
    /// another certificate here is then no answer: the unreadable one may be sooner.
    pub fn unreadable_expiry(&self) -> Option<String> {
        self.certificates()
            .find(|certificate| certificate.expiry_at().is_none())
            .map(|certificate| match &certificate.expiry {
                Some(text) => format!(
                    "expiry `{}` is not a time spsdash can read",
                    crate::text::brief(text)
                ),
                None => "a certificate is served without an expiry".to_string(),
            })
    }

    /// The names as deployed.
    pub fn dns_names(&self) -> &[String] {
        &self.network_configuration.dns_names
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployedCertificate {
    /// PEM text.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub certificate: Option<String>,
    /// ISO 8601, e.g. `2022-02-05T13:21:21Z`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expiry: Option<String>,
    /// `RSA` or `ECDSA`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub key_algorithm: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub signature_algorithm: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub trust_chain: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl DeployedCertificate {
    pub fn expiry_at(&self) -> Option<DateTime<Utc>> {
        parse_time(self.expiry.as_deref()?)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
