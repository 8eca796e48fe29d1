//! What kind of validation a certificate has, and what an operator is awaited for.

use serde::{Deserialize, Serialize};

/// Who vouches for the certificate's names: CPS's `validationType`; SPS's issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationType {
    /// Domain validation (Let's Encrypt).
    Dv,
    /// Organization validation.
    Ov,
    /// Extended validation.
    Ev,
    /// A certificate the customer's own CA issued and uploads.
    ThirdParty,
}

impl ValidationType {
    /// `DV`, `OV`, `EV`, `3P`, for tables.
    pub fn short(self) -> &'static str {
        match self {
            ValidationType::Dv => "DV",
            ValidationType::Ov => "OV",
            ValidationType::Ev => "EV",
            ValidationType::ThirdParty => "3P",
        }
    }

    /// CPS's `validationType` (`dv`, `ov`, `ev`, `third-party`), any case.
    pub fn from_name(name: &str) -> Option<ValidationType> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dv" => Some(ValidationType::Dv),
            "ov" => Some(ValidationType::Ov),
            "ev" => Some(ValidationType::Ev),
            "third-party" | "thirdparty" => Some(ValidationType::ThirdParty),
            _ => None,
        }
    }
}

/// What a change waits for from the operator (CPS's `allowedInput[].type`, in words).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Awaiting {
    /// The Let's Encrypt challenges: serve them (HTTP-01) or publish them (DNS-01).
    Challenges,
    PreVerificationWarnings,
    PostVerificationWarnings,
    /// Review the certificate on staging, then acknowledge it for production.
    ChangeManagement,
    /// Upload the certificate the customer's CA issued for the CSR.
    ThirdPartyCertificate,
    /// An input this spsdash does not know, by the API's name.
    Other(String),
}

impl Awaiting {
    /// "awaiting you: pre-verification warnings".
    pub fn label(&self) -> &str {
        match self {
            Awaiting::Challenges => "the Let's Encrypt challenges",
            Awaiting::PreVerificationWarnings => "pre-verification warnings",
            Awaiting::PostVerificationWarnings => "post-verification warnings",
            Awaiting::ChangeManagement => "change management",
            Awaiting::ThirdPartyCertificate => "the third-party certificate upload",
            Awaiting::Other(name) => name,
        }
    }
}

impl std::fmt::Display for Awaiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
