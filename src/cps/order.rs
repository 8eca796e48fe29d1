//! What spsdash sends CPS to order a certificate (`POST /cps/v2/enrollments`, body
//! `enrollment.v11`): the body exactly as Akamai's published enrollment schema names its
//! members, and the rules CPS would refuse, checked before anything is sent.

use serde::Serialize;

use crate::model::FieldProblem;

/// How many names one CPS certificate holds, the common name included (the enrollment's
/// `maxAllowedSanNames` when CPS does not say otherwise).
pub const MAX_NAMES: usize = 100;

/// The enrollment request body. Members the schema marks required are always written; the
/// others only when there is something to say (`skip_serializing_if`), never as `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentOrder {
    /// `lets-encrypt` (DV) or `symantec` (OV).
    pub ra: &'static str,
    /// `dv` or `ov`.
    pub validation_type: &'static str,
    /// `single`, `wildcard`, `san` or `wildcard-san`.
    pub certificate_type: &'static str,
    /// `SHA-256` or `SHA-1`.
    pub signature_algorithm: &'static str,
    pub csr: CsrOrder,
    pub network_configuration: NetworkOrder,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_contact: Option<ContactOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tech_contact: Option<ContactOrder>,
    /// Stop after staging until the operator acknowledges (the detail's `A`, `proceed`).
    pub change_management: bool,
    pub enable_multi_stacked_certificates: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsrOrder {
    pub cn: String,
    /// Every name of the certificate, the common name first (CPS wants it listed too).
    pub sans: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub st: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub o: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkOrder {
    /// `core`: the world but China and Russia, which need contracts of their own.
    pub geography: &'static str,
    /// `enhanced-tls`: what a secure edge hostname (`edgekey.net`) serves.
    pub secure_network: &'static str,
    pub sni_only: bool,
    pub quic_enabled: bool,
    pub dns_name_settings: DnsNameSettingsOrder,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsNameSettingsOrder {
    /// The edge serves the certificate for every name on it.
    pub clone_dns_names: bool,
    pub dns_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgOrder {
    pub name: String,
    pub address_line_one: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line_two: Option<String>,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactOrder {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
}

/// Who validates, as CPS names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    LetsEncrypt,
    Symantec,
}

impl Authority {
    pub fn ra(self) -> &'static str {
        match self {
            Authority::LetsEncrypt => "lets-encrypt",
            Authority::Symantec => "symantec",
        }
    }

    pub fn validation_type(self) -> &'static str {
        match self {
            Authority::LetsEncrypt => "dv",
            Authority::Symantec => "ov",
        }
    }
}

/// CPS's `certificateType` for a kind and its names: a SAN certificate with a wildcard name
/// is `wildcard-san`.
pub fn certificate_type(kind: &str, names: &[String]) -> &'static str {
    let has_wildcard = names.iter().any(|name| name.starts_with("*."));
    match kind {
        "single" => "single",
        "wildcard" => "wildcard",
        _ if has_wildcard => "wildcard-san",
        _ => "san",
    }
}

impl EnrollmentOrder {
    /// What CPS would refuse, one problem per field (REQ.toml paths: `sans[2]`, `kind`).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let names = &self.csr.sans;
        if names.len() > MAX_NAMES {
            problems.push(FieldProblem::new(
                "sans",
                format!(
                    "{} names; a CPS certificate holds at most {MAX_NAMES}, the common name included",
                    names.len()
                ),
            ));
        }
        if self.ra == Authority::LetsEncrypt.ra() {
            if !matches!(self.certificate_type, "san") {
                problems.push(FieldProblem::new(
                    "kind",
                    "CPS orders Let's Encrypt (DV) certificates as SAN certificates; choose kind \
                     san, or OV for a single or wildcard certificate",
                ));
            }
            for (at, name) in names.iter().enumerate() {
                if name.starts_with("*.") {
                    // The common name is the first name; the rest were listed as SANs.
                    let field = if at == 0 { "common_name" } else { "sans" };
                    problems.push(FieldProblem::new(
                        field,
                        format!(
                            "`{name}`: CPS does not order Let's Encrypt (DV) certificates for \
                             wildcard names (Let's Encrypt proves a wildcard only through \
                             DNS-01); order it OV (Symantec), or list the names it stands for"
                        ),
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
