//! The CPS wire model, read tolerantly: unknown members are kept in `extra` (so `--json` prints
//! every field), optional members may be missing or `null`, numbers may arrive as strings.
//! Field names follow Akamai's CPS reference: Enrollment v11, Deployment(s) v8, Change v2 and
//! DvChallenges v2.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::sps::lenient;
use crate::sps::model::parse_time;

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

    /// The soonest expiry of any certificate this network serves.
    pub fn expiry(&self) -> Option<DateTime<Utc>> {
        self.certificates()
            .filter_map(DeployedCertificate::expiry_at)
            .min()
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

/// `GET` of a change's location: where the change stands and what input it accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeStatus {
    #[serde(default)]
    pub status_info: Option<StatusInfo>,
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub allowed_input: Vec<AllowedInput>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ChangeStatus {
    pub fn input(&self, kind: &str) -> Option<&AllowedInput> {
        self.allowed_input
            .iter()
            .find(|input| input.kind.as_deref() == Some(kind))
    }

    /// Where the Let's Encrypt challenges of this change can be read, if it has any.
    pub fn lets_encrypt_challenges_info(&self) -> Option<&str> {
        self.input(super::LETS_ENCRYPT_CHALLENGES)?.info.as_deref()
    }

    /// The status description, or the status itself.
    pub fn description(&self) -> Option<&str> {
        let info = self.status_info.as_ref()?;
        info.description.as_deref().or(info.status.as_deref())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(default)]
    pub error: Option<StatusError>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusError {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowedInput {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub required_to_proceed: Option<bool>,
    /// Path to read this input's description (`GET`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub info: Option<String>,
    /// Path to send this input (`POST`); spsdash never does.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub update: Option<String>,
}

/// `lets-encrypt-challenges` info: per domain, every challenge Let's Encrypt accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DvChallenges {
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub dv: Vec<DomainChallenges>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl DvChallenges {
    /// The DNS-01 TXT record of every domain that has one.
    pub fn dns_records(&self) -> Vec<DnsTxtRecord> {
        self.dv
            .iter()
            .filter_map(|domain| {
                let challenge = domain.dns01()?;
                let value = challenge.response_body.clone()?;
                let name = challenge
                    .full_path
                    .as_deref()
                    .map(|path| path.trim_end_matches('.').to_string())
                    .filter(|path| !path.is_empty())
                    .unwrap_or_else(|| {
                        // A wildcard's challenge sits on its base name (RFC 8555 §8.4).
                        format!("_acme-challenge.{}", domain.domain.trim_start_matches("*."))
                    });
                Some(DnsTxtRecord {
                    domain: domain.domain.clone(),
                    name,
                    value,
                    status: domain.status.clone(),
                    expires: domain.expires.clone(),
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainChallenges {
    #[serde(default)]
    pub domain: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expires: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub request_timestamp: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub validated_timestamp: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub validation_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub challenges: Vec<Challenge>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl DomainChallenges {
    pub fn http01(&self) -> Option<&Challenge> {
        self.challenge("http-01")
    }

    pub fn dns01(&self) -> Option<&Challenge> {
        self.challenge("dns-01")
    }

    fn challenge(&self, kind: &str) -> Option<&Challenge> {
        self.challenges.iter().find(|challenge| {
            challenge
                .kind
                .as_deref()
                .is_some_and(|found| found.eq_ignore_ascii_case(kind))
        })
    }

    pub fn is_valid(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|status| status.eq_ignore_ascii_case("valid"))
    }
}

/// One challenge. For `http-01`, `fullPath` is the URL Let's Encrypt fetches; for `dns-01` it
/// is the TXT record's name (`_acme-challenge.www.example.com.`) and `responseBody` its value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub full_path: Option<String>,
    #[serde(
        default,
        alias = "redirectPath",
        deserialize_with = "lenient::opt_string"
    )]
    pub redirect_full_path: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub response_body: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub token: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub validation_records: Vec<Value>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
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

/// `null` (or absent) means the default.
fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `true`, `"true"`, `null`, absent; anything else reads as unknown.
fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Bool(flag)) => Some(flag),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
