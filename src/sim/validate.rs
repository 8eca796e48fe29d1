//! Server-side checks of a submitted form, as the real service makes them: every rule of the
//! API contract, each failure named by its field in the SPS error envelope. Checks that need
//! the world (the certificate a `modSan` names, an enrollment id) live in `world.rs`.
//!
//! Written from `sps-api.md` alone, independently of the client's own checks.

use serde::Serialize;

use super::form::ReceivedForm;
use super::lifecycle::{CertKind, Issuer};

/// The most names one certificate may carry.
pub const MAX_SANS: usize = 100;

const INVALID: &str = "Invalid parameter input";
const MISSING: &str = "Missing required parameter";

/// One entry of `{"Errors":{"invalidItems":[…]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidItem {
    pub field: String,
    pub sps_id: Option<u64>,
    pub validation: String,
    pub validation_description: String,
}

impl InvalidItem {
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        InvalidItem {
            field: field.to_string(),
            sps_id: None,
            validation: INVALID.to_string(),
            validation_description: description.into(),
        }
    }

    fn missing(field: &str) -> Self {
        InvalidItem {
            field: field.to_string(),
            sps_id: None,
            validation: MISSING.to_string(),
            validation_description: format!("{field} is required."),
        }
    }
}

/// A submission that passed every stateless check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub kind: CertKind,
    pub issuer: Issuer,
    pub cname_hostname: String,
    /// The certificate's names, common name first (modSan: the names to add).
    pub names: Vec<String>,
    /// modSan: the `jobId` of the certificate's previous request.
    pub previous_job_id: Option<u64>,
    /// Edge host: the certificate it goes on.
    pub enrollment_id: Option<u64>,
    /// The form as submitted, echoed by `information=true`.
    pub parameters: Vec<(String, String)>,
}

/// Fields every new certificate needs (single, wildcard, san).
const CREATE_REQUIRED: &[&str] = &[
    "csr.cn",
    "csr.c",
    "csr.st",
    "csr.l",
    "csr.o",
    "csr.ou",
    "organization-information.organization-name",
    "organization-information.address-line-one",
    "organization-information.city",
    "organization-information.region",
    "organization-information.postal-code",
    "organization-information.country",
    "organization-information.phone",
    "admin-contact.first-name",
    "admin-contact.last-name",
    "admin-contact.phone",
    "admin-contact.email",
    "technical-contact.first-name",
    "technical-contact.last-name",
    "technical-contact.phone",
    "technical-contact.email",
    "ipVersion",
];

/// `POST /sps-requests`: create (single, wildcard, san) or modSan.
pub fn sps_request(form: &ReceivedForm) -> Result<NewRequest, Vec<InvalidItem>> {
    let mut items = Vec::new();
    let kind = match value(form, "createType") {
        None => {
            items.push(InvalidItem::missing("createType"));
            None
        }
        Some("single") => Some(CertKind::Single),
        Some("wildcard") => Some(CertKind::Wildcard),
        Some("san") => Some(CertKind::San),
        Some("modSan") => Some(CertKind::ModSan),
        Some(other) => {
            items.push(InvalidItem::invalid(
                "createType",
                format!("Unknown createType '{other}': use single, wildcard, san or modSan."),
            ));
            None
        }
    };
    let issuer = check_issuer(form, &mut items);
    let cname_hostname = check_cname_hostname(form, &mut items);
    check_common_options(form, &mut items);
    let Some(kind) = kind else {
        return Err(items);
    };
    if issuer == Some(Issuer::LetsEncrypt) && !matches!(kind, CertKind::San | CertKind::ModSan) {
        // The field follows the documented example of this very error.
        items.push(InvalidItem::invalid(
            "csr.cn",
            "DV validation (issuer lets-encrypt) is only available for SAN certificates.",
        ));
    }
    let (names, previous_job_id) = if kind == CertKind::ModSan {
        (
            check_mod_san(form, &mut items),
            check_job_id(form, &mut items),
        )
    } else {
        (check_create(form, kind, issuer, &mut items), None)
    };
    match (issuer, cname_hostname) {
        (Some(issuer), Some(cname_hostname)) if items.is_empty() => Ok(NewRequest {
            kind,
            issuer,
            cname_hostname,
            names,
            previous_job_id,
            enrollment_id: None,
            parameters: form.fields().to_vec(),
        }),
        _ => Err(items),
    }
}

/// `POST /secure-edge-hosts`.
pub fn edge_host(form: &ReceivedForm) -> Result<NewRequest, Vec<InvalidItem>> {
    let mut items = Vec::new();
    let cname_hostname = check_cname_hostname(form, &mut items);
    let enrollment_id = match value(form, "enrollmentId") {
        None => {
            items.push(InvalidItem::missing("enrollmentId"));
            None
        }
        Some(text) => match text.parse::<u64>() {
            Ok(id) => Some(id),
            Err(_) => {
                items.push(InvalidItem::invalid(
                    "enrollmentId",
                    format!("enrollmentId must be a number, not '{text}'."),
                ));
                None
            }
        },
    };
    check_ip_version(form, &mut items);
    match (cname_hostname, enrollment_id) {
        (Some(cname_hostname), Some(enrollment_id)) if items.is_empty() => Ok(NewRequest {
            kind: CertKind::EdgeHost,
            issuer: Issuer::Symantec,
            cname_hostname,
            names: Vec::new(),
            previous_job_id: None,
            enrollment_id: Some(enrollment_id),
            parameters: form.fields().to_vec(),
        }),
        _ => Err(items),
    }
}

/// The first non-blank value of a field, trimmed.
fn value<'a>(form: &'a ReceivedForm, name: &str) -> Option<&'a str> {
    form.get(name)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn values<'a>(form: &'a ReceivedForm, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    form.fields()
        .iter()
        .filter(move |(field, _)| field == name)
        .map(|(_, value)| value.trim())
}

fn check_issuer(form: &ReceivedForm, items: &mut Vec<InvalidItem>) -> Option<Issuer> {
    match value(form, "issuer")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => {
            items.push(InvalidItem::missing("issuer"));
            None
        }
        Some("symantec") => Some(Issuer::Symantec),
        Some("lets-encrypt") => Some(Issuer::LetsEncrypt),
        Some(retired @ ("geotrust" | "cybertrust")) => {
            items.push(InvalidItem::invalid(
                "issuer",
                format!(
                    "The issuer '{retired}' is no longer supported: use symantec (OV) or \
                     lets-encrypt (DV, SAN certificates only)."
                ),
            ));
            None
        }
        Some(other) => {
            items.push(InvalidItem::invalid(
                "issuer",
                format!("Unknown issuer '{other}': use symantec (OV) or lets-encrypt (DV)."),
            ));
            None
        }
    }
}

fn check_cname_hostname(form: &ReceivedForm, items: &mut Vec<InvalidItem>) -> Option<String> {
    let Some(name) = value(form, "cnameHostname") else {
        items.push(InvalidItem::missing("cnameHostname"));
        return None;
    };
    let name = name.to_ascii_lowercase();
    if let Some(problem) = hostname_problem(&name) {
        items.push(InvalidItem::invalid("cnameHostname", problem));
        return None;
    }
    Some(name)
}

fn check_ip_version(form: &ReceivedForm, items: &mut Vec<InvalidItem>) {
    if let Some(version) = value(form, "ipVersion")
        && !matches!(version, "ipv4" | "ipv6")
    {
        items.push(InvalidItem::invalid(
            "ipVersion",
            format!("ipVersion must be ipv4 or ipv6, not '{version}'."),
        ));
    }
}

/// Options any POST to `/sps-requests` may carry.
fn check_common_options(form: &ReceivedForm, items: &mut Vec<InvalidItem>) {
    check_ip_version(form, items);
    let slot = value(form, "slot-deployment.klass").or(value(form, "slot-deployment.class"));
    if let Some(slot) = slot
        && slot != "esslType"
    {
        items.push(InvalidItem::invalid(
            "slot-deployment.klass",
            format!("slot-deployment.klass must be esslType, not '{slot}'."),
        ));
    }
}

fn check_job_id(form: &ReceivedForm, items: &mut Vec<InvalidItem>) -> Option<u64> {
    let Some(text) = value(form, "jobId") else {
        items.push(InvalidItem::missing("jobId"));
        return None;
    };
    let parsed = text.parse::<u64>().ok();
    if parsed.is_none() {
        items.push(InvalidItem::invalid(
            "jobId",
            format!("jobId must be a number, not '{text}'."),
        ));
    }
    parsed
}

fn check_mod_san(form: &ReceivedForm, items: &mut Vec<InvalidItem>) -> Vec<String> {
    let added: Vec<String> = values(form, "add.sans")
        .filter(|name| !name.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if added.is_empty() {
        items.push(InvalidItem::missing("add.sans"));
    }
    check_names("add.sans", &added, false, items);
    added
}

fn check_create(
    form: &ReceivedForm,
    kind: CertKind,
    issuer: Option<Issuer>,
    items: &mut Vec<InvalidItem>,
) -> Vec<String> {
    for field in CREATE_REQUIRED {
        if value(form, field).is_none() {
            items.push(InvalidItem::missing(field));
        }
    }
    if value(form, "slot-deployment.klass")
        .or(value(form, "slot-deployment.class"))
        .is_none()
    {
        items.push(InvalidItem::missing("slot-deployment.klass"));
    }
    for field in ["csr.c", "organization-information.country"] {
        if let Some(country) = value(form, field)
            && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
        {
            items.push(InvalidItem::invalid(
                field,
                format!("{field} must be a 2-letter country code (ISO 3166), not '{country}'."),
            ));
        }
    }
    for field in ["admin-contact.email", "technical-contact.email"] {
        if let Some(email) = value(form, field)
            && !is_email(email)
        {
            items.push(InvalidItem::invalid(
                field,
                format!("{field} is not an email address: '{email}'."),
            ));
        }
    }
    for field in [
        "organization-information.phone",
        "admin-contact.phone",
        "technical-contact.phone",
    ] {
        if let Some(phone) = value(form, field)
            && !is_phone(phone)
        {
            items.push(InvalidItem::invalid(
                field,
                format!("{field} is not a phone number: '{phone}'."),
            ));
        }
    }
    if let Some(algorithm) = value(form, "signature-algorithm")
        && !matches!(algorithm, "SHA-256" | "SHA-1")
    {
        items.push(InvalidItem::invalid(
            "signature-algorithm",
            format!("signature-algorithm must be SHA-256 or SHA-1, not '{algorithm}'."),
        ));
    }
    if let Some(sni) = value(form, "sni-only")
        && !matches!(sni, "true" | "false")
    {
        items.push(InvalidItem::invalid(
            "sni-only",
            format!("sni-only must be true or false, not '{sni}'."),
        ));
    }
    let common_name = value(form, "csr.cn").map(str::to_ascii_lowercase);
    let sans: Vec<String> = values(form, "csr.sans")
        .filter(|name| !name.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let Some(common_name) = common_name else {
        return Vec::new();
    };
    check_common_name(kind, &common_name, items);
    match kind {
        CertKind::Single if !sans.is_empty() => {
            items.push(InvalidItem::invalid(
                "csr.sans",
                "A single certificate has no SANs: use createType=san for several names.",
            ));
        }
        CertKind::San if sans.is_empty() => {
            items.push(InvalidItem::invalid(
                "csr.sans",
                "A SAN certificate needs at least one csr.sans name.",
            ));
        }
        _ => {}
    }
    let dv = issuer == Some(Issuer::LetsEncrypt);
    check_names("csr.sans", &sans, !dv, items);
    let mut names = vec![common_name];
    for name in sans {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() > MAX_SANS {
        items.push(InvalidItem::invalid(
            "csr.sans",
            format!(
                "A certificate carries at most {MAX_SANS} names; this one has {}.",
                names.len()
            ),
        ));
    }
    names
}

fn check_common_name(kind: CertKind, common_name: &str, items: &mut Vec<InvalidItem>) {
    let problem = if kind == CertKind::Wildcard {
        match common_name.strip_prefix("*.") {
            None => Some(format!(
                "A wildcard certificate's csr.cn must start with '*.', like *.example.com (got '{common_name}')."
            )),
            Some(rest) if rest.contains('*') => Some(format!(
                "A wildcard covers one subdomain level: '{common_name}' has more than one '*'."
            )),
            Some(rest) => hostname_problem(rest),
        }
    } else if common_name.contains('*') {
        Some(format!(
            "'{common_name}' is a wildcard: use createType=wildcard for a wildcard certificate."
        ))
    } else {
        hostname_problem(common_name)
    };
    if let Some(problem) = problem {
        items.push(InvalidItem::invalid("csr.cn", problem));
    }
}

/// Each name is a hostname (a leading `*.` only where wildcards are allowed), none twice.
fn check_names(field: &str, names: &[String], wildcards: bool, items: &mut Vec<InvalidItem>) {
    for (index, name) in names.iter().enumerate() {
        let problem = match name.strip_prefix("*.") {
            Some(_) if !wildcards => Some(format!(
                "'{name}' is a wildcard, which Let's Encrypt cannot validate over HTTP."
            )),
            Some(rest) if rest.contains('*') => Some(format!("'{name}' has more than one '*'.")),
            Some(rest) => hostname_problem(rest),
            None => hostname_problem(name),
        };
        if let Some(problem) = problem {
            items.push(InvalidItem::invalid(field, problem));
        } else if names[..index].contains(name) {
            items.push(InvalidItem::invalid(
                field,
                format!("'{name}' is listed twice."),
            ));
        }
    }
}

/// Why `name` is not a fully qualified ASCII hostname, if it is not.
pub fn hostname_problem(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!("'{name}' is longer than 253 characters."));
    }
    if !name.is_ascii() {
        return Some(format!(
            "'{name}' is not ASCII: give the punycode form (xn--…)."
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Some(format!(
            "'{name}' is not a fully qualified hostname (like www.example.com)."
        ));
    }
    for label in labels {
        let fine = !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !fine {
            return Some(format!(
                "'{name}' is not a valid hostname: each label is 1 to 63 letters, digits or \
                 inner hyphens."
            ));
        }
    }
    None
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && domain.contains('.')
        && hostname_problem(&domain.to_ascii_lowercase()).is_none()
}

fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 5
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().x".contains(c))
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
