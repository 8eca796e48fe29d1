//! Certificate requests as the operator describes them (REQ.toml, the wizard): the model, its
//! checks and its form body (issue 5).
//!
//! There is exactly one validation, [`NewCertificate::check`] (and its siblings for
//! [`AddSans`] and [`EdgeHost`]): the `create`/`add-sans`/`edge-host` commands and the wizard
//! all call it, so what one refuses the other refuses with the same words. A successful check
//! yields the exact form body that goes on the wire.

mod contact_checks;
mod wire;

use serde::{Deserialize, Serialize};

pub use contact_checks::{check_email, check_phone, parse_country};
pub use wire::{field_for_wire_name, wire_name_for_field};

use super::client::PostEndpoint;
use super::form::FormBody;
use super::hostname::{Hostname, Wildcard, parse_hostname};
pub use super::validation::Validation;

/// How many names one SAN certificate holds, the common name included.
pub const MAX_SAN_NAMES: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CertificateKind {
    /// One hostname.
    Single,
    /// `*.example.com`: one subdomain level.
    Wildcard,
    /// Many hostnames on one certificate.
    #[default]
    San,
}

impl CertificateKind {
    pub const ALL: [CertificateKind; 3] = [
        CertificateKind::Single,
        CertificateKind::Wildcard,
        CertificateKind::San,
    ];

    /// The `createType` on the wire.
    pub fn create_type(self) -> &'static str {
        match self {
            CertificateKind::Single => "single",
            CertificateKind::Wildcard => "wildcard",
            CertificateKind::San => "san",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CertificateKind::Single => "Single: one hostname",
            CertificateKind::Wildcard => "Wildcard: *.example.com, one subdomain level",
            CertificateKind::San => "SAN: many hostnames on one certificate",
        }
    }
}

/// Why DV cannot be chosen for a kind, if it cannot.
pub fn dv_refusal(kind: CertificateKind) -> Option<&'static str> {
    (kind != CertificateKind::San)
        .then_some("DV (Let's Encrypt) is only available for SAN certificates; use OV (Symantec) or a SAN certificate")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SignatureAlgorithm {
    #[default]
    Sha256,
    /// Weaker; accepted for old clients (certificate only, not cipher suites).
    Sha1,
}

impl SignatureAlgorithm {
    pub const ALL: [SignatureAlgorithm; 2] = [SignatureAlgorithm::Sha256, SignatureAlgorithm::Sha1];

    pub fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::Sha256 => "SHA-256",
            SignatureAlgorithm::Sha1 => "SHA-1",
        }
    }
}

impl TryFrom<String> for SignatureAlgorithm {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA256" => Ok(SignatureAlgorithm::Sha256),
            "SHA1" => Ok(SignatureAlgorithm::Sha1),
            _ => Err(format!(
                "unknown signature algorithm `{text}`; use \"SHA-256\" (recommended) or \"SHA-1\""
            )),
        }
    }
}

impl From<SignatureAlgorithm> for String {
    fn from(algorithm: SignatureAlgorithm) -> String {
        algorithm.as_str().to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum IpVersion {
    #[default]
    Ipv4,
    Ipv6,
}

impl IpVersion {
    pub const ALL: [IpVersion; 2] = [IpVersion::Ipv4, IpVersion::Ipv6];

    pub fn as_str(self) -> &'static str {
        match self {
            IpVersion::Ipv4 => "ipv4",
            IpVersion::Ipv6 => "ipv6",
        }
    }
}

impl TryFrom<String> for IpVersion {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ipv4" => Ok(IpVersion::Ipv4),
            "ipv6" => Ok(IpVersion::Ipv6),
            _ => Err(format!(
                "unknown ip_version `{text}`; use \"ipv4\" or \"ipv6\""
            )),
        }
    }
}

impl From<IpVersion> for String {
    fn from(version: IpVersion) -> String {
        version.as_str().to_string()
    }
}

/// The certificate subject (`csr.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Subject {
    pub country: String,
    pub state: String,
    pub locality: String,
    pub organization: String,
    pub unit: String,
}

/// `organization-information.*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    pub address_line_one: String,
    /// Optional.
    pub address_line_two: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
}

/// `admin-contact.*` and `technical-contact.*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
}

/// A new certificate with its secure edge hostname: the REQ.toml of `create`, and what the
/// wizard's new-certificate flow fills in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCertificate {
    pub kind: CertificateKind,
    pub validation: Validation,
    #[serde(default)]
    pub common_name: String,
    /// SAN only; the common name is included once whether listed or not.
    #[serde(default)]
    pub sans: Vec<String>,
    /// Defaults to the common name (without `*.` for a wildcard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cname_hostname: Option<String>,
    #[serde(default)]
    pub signature_algorithm: SignatureAlgorithm,
    #[serde(default = "default_sni_only")]
    pub sni_only: bool,
    #[serde(default)]
    pub ip_version: IpVersion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default)]
    pub subject: Subject,
    #[serde(default)]
    pub organization: Organization,
    #[serde(default)]
    pub admin_contact: Contact,
    #[serde(default)]
    pub technical_contact: Contact,
    /// CPS: stop after staging until the operator acknowledges the certificate there (the
    /// detail's `A`, `spsdash proceed`). SPS has no such step and ignores it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub change_management: bool,
}

fn default_sni_only() -> bool {
    true
}

/// Domains to add to an existing SAN certificate (`createType=modSan`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddSans {
    /// Names the existing certificate.
    pub cname_hostname: String,
    /// The `jobId` of the certificate's previous request, as typed.
    pub job_id: String,
    pub domains: Vec<String>,
    /// The existing certificate's validation (its `issuer`).
    pub validation: Validation,
}

/// A secure edge hostname on an existing certificate (`POST /secure-edge-hosts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeHost {
    pub cname_hostname: String,
    /// As typed; must be a number.
    pub enrollment_id: String,
    pub ip_version: Option<IpVersion>,
    pub product: Option<String>,
}

pub use crate::model::FieldProblem;

/// A request that passed every check: where it goes and exactly what is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRequest {
    pub endpoint: PostEndpoint,
    pub form: FormBody,
    /// The name the request will be listed under.
    pub cname_hostname: String,
    /// Every hostname of the request, checked, in both spellings.
    pub names: Vec<Hostname>,
}

impl NewCertificate {
    /// Reads a REQ.toml. The error names the file, the field and what is allowed.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|error| {
            let message = error.message().trim().to_string();
            match error.span() {
                Some(span) => {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: {message}")
                }
                None => message,
            }
        })
    }

    /// The cnameHostname that will be used: as given, else the common name (without `*.`).
    pub fn effective_cname_hostname(&self) -> String {
        match self.cname_hostname.as_deref().map(str::trim) {
            Some(cname) if !cname.is_empty() => cname.to_string(),
            _ => {
                let cn = self.common_name.trim();
                cn.strip_prefix("*.").unwrap_or(cn).to_string()
            }
        }
    }

    /// Every check; on success the exact form body.
    pub fn check(&self) -> Result<CheckedRequest, Vec<FieldProblem>> {
        wire::check_new_certificate(self)
    }

    /// Every name on the certificate as the operator listed them (CN first, duplicates of it
    /// dropped), unchecked: for counting and display while typing.
    pub fn all_names(&self) -> Vec<String> {
        let mut names = vec![self.common_name.trim().to_ascii_lowercase()];
        for san in &self.sans {
            let san = san.trim().to_ascii_lowercase();
            if !names.contains(&san) {
                names.push(san);
            }
        }
        names
    }
}

impl AddSans {
    /// Every check. `names_on_certificate` (when known) catches names already there and the
    /// 100-name limit.
    pub fn check(
        &self,
        names_on_certificate: &[String],
    ) -> Result<CheckedRequest, Vec<FieldProblem>> {
        wire::check_add_sans(self, names_on_certificate)
    }
}

impl EdgeHost {
    pub fn check(&self) -> Result<CheckedRequest, Vec<FieldProblem>> {
        wire::check_edge_host(self)
    }
}

/// Checks one hostname field, turning the error into a problem for `field`.
fn hostname_field(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    input: &str,
    wildcard: Wildcard,
) -> Option<Hostname> {
    parse_hostname(input, wildcard)
        .map_err(|message| problems.push(FieldProblem::new(field, message)))
        .ok()
}

/// A required free-text field.
fn required(problems: &mut Vec<FieldProblem>, field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        problems.push(FieldProblem::new(field, "required"));
        None
    } else {
        free_text(problems, field, value)
    }
}

/// An optional free-text field: empty is fine, control characters are not.
fn optional(problems: &mut Vec<FieldProblem>, field: &str, value: &str) -> Option<String> {
    free_text(problems, field, value.trim())
}

/// Text that goes on a certificate or to a CA's records: a control character (a pasted
/// newline, an escape sequence, a bidi override) is refused, shown as its escape.
fn free_text(problems: &mut Vec<FieldProblem>, field: &str, value: &str) -> Option<String> {
    match value.chars().find(|c| crate::text::is_active(*c)) {
        Some(bad) => {
            problems.push(FieldProblem::new(
                field,
                format!(
                    "contains the control character {}; type the text on one line without it",
                    crate::text::inert(&bad.to_string())
                ),
            ));
            None
        }
        None => Some(value.to_string()),
    }
}

/// A field checked by one of the shape checks.
fn shaped(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    value: &str,
    check: fn(&str) -> Result<String, String>,
) -> Option<String> {
    check(value)
        .map_err(|message| problems.push(FieldProblem::new(field, message)))
        .ok()
}

#[cfg(test)]
mod tests;
