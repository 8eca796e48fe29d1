//! Who validates a certificate: OV with Symantec, DV with Let's Encrypt (SAN only). One type
//! for the request model (REQ.toml, the wizard, the form's `issuer`) and for reading a listed
//! request back.

use serde::{Deserialize, Serialize};

/// Who validates: OV with Symantec, DV with Let's Encrypt (SAN only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Validation {
    #[default]
    Ov,
    Dv,
}

impl Validation {
    pub const ALL: [Validation; 2] = [Validation::Ov, Validation::Dv];

    /// The `issuer` on the wire.
    pub fn issuer(self) -> &'static str {
        match self {
            Validation::Ov => "symantec",
            Validation::Dv => "lets-encrypt",
        }
    }

    /// `OV` or `DV`, for tables.
    pub fn short(self) -> &'static str {
        match self {
            Validation::Ov => "OV",
            Validation::Dv => "DV",
        }
    }

    /// What the wizard's choice says.
    pub fn label(self) -> &'static str {
        match self {
            Validation::Ov => "OV: organization validation, Symantec (days or longer)",
            Validation::Dv => "DV: domain validation, Let's Encrypt (SAN only, valid one year)",
        }
    }

    /// From a request's `issuer` parameter (`symantec`, `lets-encrypt`).
    pub fn from_issuer(issuer: &str) -> Option<Validation> {
        match issuer.trim().to_ascii_lowercase().as_str() {
            "symantec" => Some(Validation::Ov),
            "lets-encrypt" => Some(Validation::Dv),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Validation::Ov => "ov",
            Validation::Dv => "dv",
        }
    }
}

impl TryFrom<String> for Validation {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ov" | "symantec" => Ok(Validation::Ov),
            "dv" | "lets-encrypt" | "letsencrypt" => Ok(Validation::Dv),
            "geotrust" | "cybertrust" => Err(format!(
                "{text} is no longer supported by SPS; use \"ov\" (Symantec) or \"dv\" (Let's Encrypt, SAN only)"
            )),
            _ => Err(format!(
                "unknown validation `{text}`; use \"ov\" (Symantec) or \"dv\" (Let's Encrypt, SAN only)"
            )),
        }
    }
}

impl From<Validation> for String {
    fn from(validation: Validation) -> String {
        validation.as_str().to_string()
    }
}
