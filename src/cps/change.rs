//! A pending change as CPS describes it (Change v2) and the Let's Encrypt challenges it waits
//! for (DvChallenges v2), read as tolerantly as the rest of the CPS model.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::DnsTxtRecord;
use crate::tolerant::{self as lenient, opt_bool};

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
