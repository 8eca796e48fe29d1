//! The wizard's flows, their steps and the text fields each step shows.

use serde::{Deserialize, Serialize};

/// What the operator chose on the first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// A new single, wildcard or SAN certificate with its secure edge hostname.
    #[default]
    NewCertificate,
    /// Add domains to an existing SAN certificate (modSan).
    AddDomains,
    /// A secure edge hostname on an existing certificate.
    EdgeHost,
}

impl Flow {
    pub const ALL: [Flow; 3] = [Flow::NewCertificate, Flow::AddDomains, Flow::EdgeHost];

    pub fn label(self) -> &'static str {
        match self {
            Flow::NewCertificate => {
                "New certificate (single, wildcard or SAN) + secure edge hostname"
            }
            Flow::AddDomains => "Add domains to an existing SAN certificate",
            Flow::EdgeHost => "Secure edge hostname on an existing certificate",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Flow::NewCertificate => "New certificate",
            Flow::AddDomains => "Add domains",
            Flow::EdgeHost => "Secure edge hostname",
        }
    }

    pub fn steps(self) -> &'static [Step] {
        match self {
            Flow::NewCertificate => &[
                Step::Flow,
                Step::Kind,
                Step::Validation,
                Step::Names,
                Step::EdgeHostname,
                Step::Signature,
                Step::SniOnly,
                Step::IpVersion,
                Step::Subject,
                Step::Organization,
                Step::AdminContact,
                Step::TechnicalContact,
                Step::Review,
            ],
            Flow::AddDomains => &[
                Step::Flow,
                Step::AddTarget,
                Step::Validation,
                Step::AddNames,
                Step::Review,
            ],
            Flow::EdgeHost => &[Step::Flow, Step::EdgeTarget, Step::IpVersion, Step::Review],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    #[default]
    Flow,
    Kind,
    Validation,
    Names,
    EdgeHostname,
    Signature,
    SniOnly,
    IpVersion,
    Subject,
    Organization,
    AdminContact,
    TechnicalContact,
    AddTarget,
    AddNames,
    EdgeTarget,
    Review,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Flow => "What to do",
            Step::Kind => "Certificate kind",
            Step::Validation => "Validation",
            Step::Names => "Names on the certificate",
            Step::EdgeHostname => "Secure edge hostname",
            Step::Signature => "Signature algorithm",
            Step::SniOnly => "SNI only",
            Step::IpVersion => "IP version",
            Step::Subject => "Certificate subject",
            Step::Organization => "Organization",
            Step::AdminContact => "Admin contact",
            Step::TechnicalContact => "Technical contact",
            Step::AddTarget => "Certificate to add to",
            Step::AddNames => "Domains to add",
            Step::EdgeTarget => "Existing certificate",
            Step::Review => "Review",
        }
    }

    /// The text fields of this step, in order (keys are REQ.toml field paths).
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            Step::Names => &NAMES,
            Step::EdgeHostname => &EDGE_HOSTNAME,
            Step::Subject => &SUBJECT,
            Step::Organization => &ORGANIZATION,
            Step::AdminContact => &ADMIN,
            Step::TechnicalContact => &TECHNICAL,
            Step::AddTarget => &ADD_TARGET,
            Step::AddNames => &ADD_NAMES,
            Step::EdgeTarget => &EDGE_TARGET,
            _ => &[],
        }
    }

    /// The problems of which fields keep the operator on this step (choice steps included).
    pub fn owns_problem_field(self, field: &str) -> bool {
        let base = field.split('[').next().unwrap_or(field);
        match self {
            Step::Kind => base == "kind",
            Step::Validation => base == "validation",
            Step::IpVersion => base == "ip_version",
            _ => self.fields().iter().any(|spec| spec.key == base),
        }
    }
}

/// How a text field takes input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One value.
    Text,
    /// A list of hostnames: Enter adds what was typed (or pasted), one per line.
    NameList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub optional: bool,
}

const fn text(key: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        label,
        kind: FieldKind::Text,
        optional: false,
    }
}

const fn optional(key: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        label,
        kind: FieldKind::Text,
        optional: true,
    }
}

const fn names(key: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        label,
        kind: FieldKind::NameList,
        optional: false,
    }
}

const NAMES: [FieldSpec; 2] = [
    text("common_name", "Common name"),
    names("sans", "Other names"),
];
/// The product is optional: left empty, SPS uses the contract's default product.
/// `group_id` only on CPS, where the edge hostname is PAPI's and needs its group.
const EDGE_HOSTNAME: [FieldSpec; 3] = [
    text("cname_hostname", "cnameHostname"),
    optional("product", "Product"),
    optional("group_id", "Group (PAPI)"),
];
const SUBJECT: [FieldSpec; 5] = [
    text("subject.country", "Country"),
    text("subject.state", "State"),
    text("subject.locality", "Locality"),
    text("subject.organization", "Organization"),
    text("subject.unit", "Unit"),
];
const ORGANIZATION: [FieldSpec; 8] = [
    text("organization.name", "Name"),
    text("organization.address_line_one", "Address"),
    optional("organization.address_line_two", "Address line 2"),
    text("organization.city", "City"),
    text("organization.region", "Region"),
    text("organization.postal_code", "Postal code"),
    text("organization.country", "Country"),
    text("organization.phone", "Phone"),
];
const ADMIN: [FieldSpec; 4] = [
    text("admin_contact.first_name", "First name"),
    text("admin_contact.last_name", "Last name"),
    text("admin_contact.phone", "Phone"),
    text("admin_contact.email", "Email"),
];
const TECHNICAL: [FieldSpec; 4] = [
    text("technical_contact.first_name", "First name"),
    text("technical_contact.last_name", "Last name"),
    text("technical_contact.phone", "Phone"),
    text("technical_contact.email", "Email"),
];
const ADD_TARGET: [FieldSpec; 2] = [
    text("cname_hostname", "cnameHostname"),
    text("job_id", "jobId"),
];
const ADD_NAMES: [FieldSpec; 1] = [names("domains", "Domains to add")];
const EDGE_TARGET: [FieldSpec; 3] = [
    text("cname_hostname", "cnameHostname"),
    text("enrollment_id", "enrollmentId"),
    optional("product", "Product"),
];

/// The label of a field key for messages (`sans[2]` → `Other names`).
pub fn label_of(field: &str) -> &'static str {
    let base = field.split('[').next().unwrap_or(field);
    let all: [&[FieldSpec]; 9] = [
        &NAMES,
        &EDGE_HOSTNAME,
        &SUBJECT,
        &ORGANIZATION,
        &ADMIN,
        &TECHNICAL,
        &ADD_TARGET,
        &ADD_NAMES,
        &EDGE_TARGET,
    ];
    all.iter()
        .flat_map(|specs| specs.iter())
        .find(|spec| spec.key == base)
        .map(|spec| spec.label)
        .unwrap_or(match base {
            "kind" => "Kind",
            "validation" => "Validation",
            "ip_version" => "IP version",
            "signature_algorithm" => "Signature",
            "sni_only" => "SNI only",
            _ => "Request",
        })
}
