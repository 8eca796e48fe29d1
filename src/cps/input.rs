//! What a CPS change waits for (`allowedInput[].type`), what CPS says of it (the `info` link)
//! and the answer spsdash sends (the `update` link), each with the media types of Akamai's
//! published CPS v2 definitions: the info's Accept, the answer's Content-Type, and Accept
//! `change-id.v1` for every answer.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::model::Awaiting;
use crate::tolerant as lenient;

pub const CHANGE_ID_MEDIA_TYPE: &str = "application/vnd.akamai.cps.change-id.v1+json";
pub const ACKNOWLEDGEMENT_MEDIA_TYPE: &str = "application/vnd.akamai.cps.acknowledgement.v1+json";
pub const ACKNOWLEDGEMENT_WITH_HASH_MEDIA_TYPE: &str =
    "application/vnd.akamai.cps.acknowledgement-with-hash.v1+json";
pub const CERTIFICATE_AND_TRUST_CHAIN_MEDIA_TYPE: &str =
    "application/vnd.akamai.cps.certificate-and-trust-chain.v2+json";
pub const CHANGE_MANAGEMENT_INFO_MEDIA_TYPE: &str =
    "application/vnd.akamai.cps.change-management-info.v5+json";
pub const CSR_MEDIA_TYPE: &str = "application/vnd.akamai.cps.csr.v2+json";

/// One kind of input a change can wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Challenges,
    PreVerificationWarnings,
    PostVerificationWarnings,
    ChangeManagement,
    ThirdPartyCertificate,
}

impl InputKind {
    pub const ALL: [InputKind; 5] = [
        InputKind::Challenges,
        InputKind::PreVerificationWarnings,
        InputKind::PostVerificationWarnings,
        InputKind::ChangeManagement,
        InputKind::ThirdPartyCertificate,
    ];

    /// `allowedInput[].type` as CPS writes it.
    pub fn input_type(self) -> &'static str {
        match self {
            InputKind::Challenges => "lets-encrypt-challenges",
            InputKind::PreVerificationWarnings => "pre-verification-warnings-acknowledgement",
            InputKind::PostVerificationWarnings => "post-verification-warnings-acknowledgement",
            InputKind::ChangeManagement => "change-management",
            InputKind::ThirdPartyCertificate => "third-party-certificate",
        }
    }

    pub fn from_type(input_type: &str) -> Option<InputKind> {
        InputKind::ALL
            .into_iter()
            .find(|kind| kind.input_type().eq_ignore_ascii_case(input_type.trim()))
    }

    pub fn awaiting(self) -> Awaiting {
        match self {
            InputKind::Challenges => Awaiting::Challenges,
            InputKind::PreVerificationWarnings => Awaiting::PreVerificationWarnings,
            InputKind::PostVerificationWarnings => Awaiting::PostVerificationWarnings,
            InputKind::ChangeManagement => Awaiting::ChangeManagement,
            InputKind::ThirdPartyCertificate => Awaiting::ThirdPartyCertificate,
        }
    }

    /// The Accept of the `info` link.
    pub fn info_media_type(self) -> &'static str {
        match self {
            InputKind::Challenges => super::DV_CHALLENGES_MEDIA_TYPE,
            InputKind::PreVerificationWarnings | InputKind::PostVerificationWarnings => {
                super::WARNINGS_MEDIA_TYPE
            }
            InputKind::ChangeManagement => CHANGE_MANAGEMENT_INFO_MEDIA_TYPE,
            InputKind::ThirdPartyCertificate => CSR_MEDIA_TYPE,
        }
    }

    /// True when the answer is a decision (acknowledge or deny); a third-party certificate
    /// is uploaded instead.
    pub fn is_acknowledged(self) -> bool {
        self != InputKind::ThirdPartyCertificate
    }
}

/// Acknowledge (go on) or deny (cancel the change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Acknowledge,
    Deny,
}

impl Decision {
    pub fn word(self) -> &'static str {
        match self {
            Decision::Acknowledge => "acknowledge",
            Decision::Deny => "deny",
        }
    }
}

/// An answer ready to send: its Content-Type and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub content_type: &'static str,
    pub body: Value,
}

impl Answer {
    /// `acknowledgement.v1`, or with the info's hash `acknowledgement-with-hash.v1` (change
    /// management: CPS then knows the operator saw the validation result it hashed).
    pub fn decision(decision: Decision, hash: Option<&str>) -> Answer {
        match hash {
            Some(hash) => Answer {
                content_type: ACKNOWLEDGEMENT_WITH_HASH_MEDIA_TYPE,
                body: json!({"acknowledgement": decision.word(), "hash": hash}),
            },
            None => Answer {
                content_type: ACKNOWLEDGEMENT_MEDIA_TYPE,
                body: json!({"acknowledgement": decision.word()}),
            },
        }
    }

    /// `certificate-and-trust-chain.v2`: the certificate the customer's CA issued.
    pub fn upload(certificate: &str, trust_chain: Option<&str>, key_algorithm: &str) -> Answer {
        let mut entry = json!({"certificate": certificate, "keyAlgorithm": key_algorithm});
        if let Some(chain) = trust_chain.filter(|chain| !chain.trim().is_empty()) {
            entry["trustChain"] = Value::from(chain);
        }
        Answer {
            content_type: CERTIFICATE_AND_TRUST_CHAIN_MEDIA_TYPE,
            body: json!({"certificatesAndTrustChains": [entry]}),
        }
    }
}

/// `warnings.v1`: one text of warnings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Warnings {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub warnings: Option<String>,
}

impl Warnings {
    /// Each warning on its own (CPS separates them with newlines, or with commas between
    /// bracketed lists).
    pub fn lines(&self) -> Vec<String> {
        self.warnings
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// `change-management-info.v5`: the pending certificate, what CPS found checking it, and the
/// hash to acknowledge it with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeManagementInfo {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub acknowledgement_deadline: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub validation_result_hash: Option<String>,
    #[serde(default)]
    pub pending_state: Option<Value>,
    #[serde(default)]
    pub validation_result: Option<Value>,
}

impl ChangeManagementInfo {
    /// The PEM text of each pending certificate.
    pub fn pending_certificates(&self) -> Vec<String> {
        self.pending_state
            .as_ref()
            .and_then(|state| state.get("pendingCertificates"))
            .and_then(Value::as_array)
            .map(|certificates| {
                certificates
                    .iter()
                    .filter_map(|certificate| certificate.get("fullCertificate")?.as_str())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// "warning: …" and "error: …" lines of the validation result.
    pub fn findings(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let Some(result) = &self.validation_result else {
            return lines;
        };
        for (kind, key) in [("error", "errors"), ("warning", "warnings")] {
            for item in result
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let message = item.get("message").and_then(Value::as_str).unwrap_or("");
                lines.push(format!("{kind}: {message}"));
            }
        }
        lines
    }
}

/// `csr.v2`: the CSRs of a third-party enrollment, for the customer's CA.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThirdPartyCsrs {
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub csrs: Vec<ThirdPartyCsr>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThirdPartyCsr {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub csr: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub key_algorithm: Option<String>,
}

/// `change-id.v1`: the change an answer went to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeId {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub change: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_type() {
        for kind in InputKind::ALL {
            assert_eq!(InputKind::from_type(kind.input_type()), Some(kind));
        }
        assert_eq!(InputKind::from_type("something-new"), None);
    }

    #[test]
    fn answers_are_the_published_bodies() {
        let ack = Answer::decision(Decision::Acknowledge, None);
        assert_eq!(ack.content_type, ACKNOWLEDGEMENT_MEDIA_TYPE);
        assert_eq!(ack.body, json!({"acknowledgement": "acknowledge"}));
        let deny = Answer::decision(Decision::Deny, Some("abc"));
        assert_eq!(deny.content_type, ACKNOWLEDGEMENT_WITH_HASH_MEDIA_TYPE);
        assert_eq!(deny.body, json!({"acknowledgement": "deny", "hash": "abc"}));
        let upload = Answer::upload("PEM", Some(""), "RSA");
        assert_eq!(
            upload.body,
            json!({"certificatesAndTrustChains": [{"certificate": "PEM", "keyAlgorithm": "RSA"}]})
        );
    }

    #[test]
    fn change_management_info_tells_its_findings_and_certificates() {
        let info: ChangeManagementInfo = serde_json::from_value(json!({
            "acknowledgementDeadline": null, "validationResultHash": "da39",
            "pendingState": {"pendingCertificates": [{"fullCertificate": "-----BEGIN…"}]},
            "validationResult": {"errors": null,
                                 "warnings": [{"message": "name still live", "messageCode": "x"}]}
        }))
        .unwrap();
        assert_eq!(info.validation_result_hash.as_deref(), Some("da39"));
        assert_eq!(info.pending_certificates(), ["-----BEGIN…"]);
        assert_eq!(info.findings(), ["warning: name still live"]);
    }
}
