//! The checks of each request and the form body they produce, names exactly as in the API
//! contract (`csr.sans` repeated with the CN once, `slot-deployment.klass=esslType`, …).

use super::{
    AddSans, CertificateKind, CheckedRequest, EdgeHost, FieldProblem, MAX_SAN_NAMES,
    NewCertificate, Validation, check_email, check_phone, dv_refusal, hostname_field, optional,
    parse_country, required, shaped,
};
use crate::sps::client::PostEndpoint;
use crate::sps::form::FormBody;
use crate::sps::hostname::{Hostname, MAX_NAME_LEN, Wildcard};

/// REQ.toml field path ↔ wire name, for the fields that map one to one. Lets the wizard put a
/// server 400 (which names the wire field) next to the field the operator typed.
const FIELD_WIRE_NAMES: &[(&str, &str)] = &[
    ("cname_hostname", "cnameHostname"),
    ("kind", "createType"),
    ("validation", "issuer"),
    ("common_name", "csr.cn"),
    ("subject.country", "csr.c"),
    ("subject.state", "csr.st"),
    ("subject.locality", "csr.l"),
    ("subject.organization", "csr.o"),
    ("subject.unit", "csr.ou"),
    ("sans", "csr.sans"),
    ("domains", "add.sans"),
    ("job_id", "jobId"),
    ("enrollment_id", "enrollmentId"),
    (
        "organization.name",
        "organization-information.organization-name",
    ),
    (
        "organization.address_line_one",
        "organization-information.address-line-one",
    ),
    (
        "organization.address_line_two",
        "organization-information.address-line-two",
    ),
    ("organization.city", "organization-information.city"),
    ("organization.region", "organization-information.region"),
    (
        "organization.postal_code",
        "organization-information.postal-code",
    ),
    ("organization.country", "organization-information.country"),
    ("organization.phone", "organization-information.phone"),
    ("admin_contact.first_name", "admin-contact.first-name"),
    ("admin_contact.last_name", "admin-contact.last-name"),
    ("admin_contact.phone", "admin-contact.phone"),
    ("admin_contact.email", "admin-contact.email"),
    (
        "technical_contact.first_name",
        "technical-contact.first-name",
    ),
    ("technical_contact.last_name", "technical-contact.last-name"),
    ("technical_contact.phone", "technical-contact.phone"),
    ("technical_contact.email", "technical-contact.email"),
    ("ip_version", "ipVersion"),
    ("signature_algorithm", "signature-algorithm"),
    ("sni_only", "sni-only"),
    ("product", "product"),
];

/// The REQ.toml field a wire name (as a server 400 names it) belongs to.
pub fn field_for_wire_name(wire: &str) -> Option<&'static str> {
    FIELD_WIRE_NAMES
        .iter()
        .find(|(_, name)| *name == wire)
        .map(|(field, _)| *field)
        .or(match wire {
            "slot-deployment.class" | "slot-deployment.klass" => Some("kind"),
            _ => None,
        })
}

/// The wire name of a REQ.toml field (`sans[3]` → `csr.sans`).
pub fn wire_name_for_field(field: &str) -> Option<&'static str> {
    let base = field.split('[').next().unwrap_or(field);
    FIELD_WIRE_NAMES
        .iter()
        .find(|(name, _)| *name == base)
        .map(|(_, wire)| *wire)
}

/// `.edgekey.net` is appended by SPS; the cnameHostname must leave room for it.
const EDGE_SUFFIX: &str = ".edgekey.net";

fn cname_field(problems: &mut Vec<FieldProblem>, input: &str) -> Option<Hostname> {
    let name = hostname_field(problems, "cname_hostname", input, Wildcard::Refused)?;
    for suffix in [EDGE_SUFFIX, ".edgesuite.net", ".akamaized.net"] {
        if name.ascii.ends_with(suffix) {
            problems.push(FieldProblem::new(
                "cname_hostname",
                format!(
                    "give the name without `{suffix}`: SPS builds `<cnameHostname>{EDGE_SUFFIX}` itself"
                ),
            ));
            return None;
        }
    }
    if name.ascii.len() + EDGE_SUFFIX.len() > MAX_NAME_LEN {
        problems.push(FieldProblem::new(
            "cname_hostname",
            format!(
                "too long: `<cnameHostname>{EDGE_SUFFIX}` must fit in {MAX_NAME_LEN} characters"
            ),
        ));
        return None;
    }
    Some(name)
}

fn product_field(problems: &mut Vec<FieldProblem>, product: Option<&str>) -> Option<String> {
    let product = product.map(str::trim).filter(|p| !p.is_empty())?;
    if product
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Some(product.to_string())
    } else {
        problems.push(FieldProblem::new(
            "product",
            format!(
                "`{product}` is not a product id (letters, digits, _ and -; e.g. alta, ion_premier)"
            ),
        ));
        None
    }
}

/// Checks a list of names to add or to put on a SAN certificate. Names equal to one in
/// `already` are reported with `already_message`; names twice in the list are reported at the
/// second one. Returns the new names, in order.
fn name_list(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    names: &[String],
    already: &[String],
    already_message: &str,
) -> Vec<Hostname> {
    let mut checked: Vec<(usize, Hostname)> = Vec::new();
    for (index, raw) in names.iter().enumerate() {
        let item = format!("{field}[{index}]");
        let Some(name) = hostname_field(problems, &item, raw, Wildcard::Refused) else {
            continue;
        };
        if already.contains(&name.ascii) {
            if !already_message.is_empty() {
                problems.push(FieldProblem::new(
                    item,
                    format!("`{}` {already_message}", name.ascii),
                ));
            }
            continue;
        }
        if let Some((first, _)) = checked.iter().find(|(_, seen)| seen.ascii == name.ascii) {
            problems.push(FieldProblem::new(
                item,
                format!("`{}` is listed twice (also {field}[{first}])", name.ascii),
            ));
            continue;
        }
        checked.push((index, name));
    }
    checked.into_iter().map(|(_, name)| name).collect()
}

pub(super) fn check_new_certificate(
    request: &NewCertificate,
) -> Result<CheckedRequest, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let kind = request.kind;
    if request.validation == Validation::Dv
        && let Some(reason) = dv_refusal(kind)
    {
        problems.push(FieldProblem::new("validation", reason));
    }
    let cn_wildcard = if kind == CertificateKind::Wildcard {
        Wildcard::Allowed
    } else {
        Wildcard::Refused
    };
    let cn = hostname_field(
        &mut problems,
        "common_name",
        &request.common_name,
        cn_wildcard,
    );
    if kind == CertificateKind::Wildcard && cn.as_ref().is_some_and(|cn| !cn.is_wildcard()) {
        problems.push(FieldProblem::new(
            "common_name",
            "a wildcard certificate's common name starts with `*.` (e.g. *.example.com)",
        ));
    }
    let mut sans = Vec::new();
    if kind == CertificateKind::San {
        let cn_ascii: Vec<String> = cn.iter().map(|cn| cn.ascii.clone()).collect();
        sans = name_list(&mut problems, "sans", &request.sans, &cn_ascii, "");
        let total = 1 + sans.len();
        if total > MAX_SAN_NAMES {
            problems.push(FieldProblem::new(
                "sans",
                format!(
                    "{total} names with the common name; a SAN certificate holds at most {MAX_SAN_NAMES}"
                ),
            ));
        }
    } else if !request.sans.is_empty() {
        problems.push(FieldProblem::new(
            "sans",
            "only a SAN certificate lists extra names; remove them or use kind = \"san\"",
        ));
    }
    // A defaulted cnameHostname is only worth checking when the common name it comes from is
    // fine; otherwise the common name's problem says it all.
    let explicit_cname = request
        .cname_hostname
        .as_deref()
        .is_some_and(|cname| !cname.trim().is_empty());
    let cname = if explicit_cname || cn.is_some() {
        cname_field(&mut problems, &request.effective_cname_hostname())
    } else {
        None
    };
    let product = product_field(&mut problems, request.product.as_deref());

    let subject = &request.subject;
    let country = shaped(
        &mut problems,
        "subject.country",
        &subject.country,
        parse_country,
    );
    let state = required(&mut problems, "subject.state", &subject.state);
    let locality = required(&mut problems, "subject.locality", &subject.locality);
    let subject_org = required(&mut problems, "subject.organization", &subject.organization);
    let unit = required(&mut problems, "subject.unit", &subject.unit);

    let org = &request.organization;
    let org_fields = [
        required(&mut problems, "organization.name", &org.name),
        required(
            &mut problems,
            "organization.address_line_one",
            &org.address_line_one,
        ),
        optional(
            &mut problems,
            "organization.address_line_two",
            &org.address_line_two,
        ),
        required(&mut problems, "organization.city", &org.city),
        required(&mut problems, "organization.region", &org.region),
        required(&mut problems, "organization.postal_code", &org.postal_code),
        shaped(
            &mut problems,
            "organization.country",
            &org.country,
            parse_country,
        ),
        shaped(&mut problems, "organization.phone", &org.phone, check_phone),
    ];
    let mut contacts = Vec::new();
    for (field, contact) in [
        ("admin_contact", &request.admin_contact),
        ("technical_contact", &request.technical_contact),
    ] {
        contacts.push([
            required(
                &mut problems,
                &format!("{field}.first_name"),
                &contact.first_name,
            ),
            required(
                &mut problems,
                &format!("{field}.last_name"),
                &contact.last_name,
            ),
            shaped(
                &mut problems,
                &format!("{field}.phone"),
                &contact.phone,
                check_phone,
            ),
            shaped(
                &mut problems,
                &format!("{field}.email"),
                &contact.email,
                check_email,
            ),
        ]);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Every value is present: each `None` above pushed a problem.
    let (
        Some(cn),
        Some(cname),
        Some(country),
        Some(state),
        Some(locality),
        Some(subject_org),
        Some(unit),
    ) = (cn, cname, country, state, locality, subject_org, unit)
    else {
        return Err(vec![FieldProblem::new("request", "incomplete")]);
    };

    let mut form = FormBody::new();
    form.push("cnameHostname", cname.ascii.as_str())
        .push("createType", kind.create_type())
        .push("issuer", request.validation.issuer())
        .push("csr.cn", cn.ascii.as_str())
        .push("csr.c", country)
        .push("csr.st", state)
        .push("csr.l", locality)
        .push("csr.o", subject_org)
        .push("csr.ou", unit);
    if kind == CertificateKind::San {
        form.push("csr.sans", cn.ascii.as_str());
        for san in &sans {
            form.push("csr.sans", san.ascii.as_str());
        }
    }
    let org_names = [
        "organization-name",
        "address-line-one",
        "address-line-two",
        "city",
        "region",
        "postal-code",
        "country",
        "phone",
    ];
    for (name, value) in org_names.iter().zip(&org_fields) {
        form.push_opt(
            &format!("organization-information.{name}"),
            value.as_deref(),
        );
    }
    for (prefix, values) in ["admin-contact", "technical-contact"].iter().zip(&contacts) {
        for (name, value) in ["first-name", "last-name", "phone", "email"]
            .iter()
            .zip(values)
        {
            form.push_opt(&format!("{prefix}.{name}"), value.as_deref());
        }
    }
    form.push("ipVersion", request.ip_version.as_str())
        .push("slot-deployment.klass", "esslType")
        .push("signature-algorithm", request.signature_algorithm.as_str())
        .push("sni-only", if request.sni_only { "true" } else { "false" })
        .push_opt("product", product.as_deref());

    let mut names = vec![cn];
    names.extend(sans);
    Ok(CheckedRequest {
        endpoint: PostEndpoint::SpsRequests,
        form,
        cname_hostname: cname.ascii,
        names,
    })
}

fn number_field(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    input: &str,
    what: &str,
) -> Option<u64> {
    let text = input.trim();
    if text.is_empty() {
        problems.push(FieldProblem::new(field, format!("required: the {what}")));
        return None;
    }
    match text.parse::<u64>() {
        Ok(number) => Some(number),
        Err(_) => {
            problems.push(FieldProblem::new(
                field,
                format!("`{text}` is not a number; the {what} is a whole number"),
            ));
            None
        }
    }
}

pub(super) fn check_add_sans(
    request: &AddSans,
    names_on_certificate: &[String],
) -> Result<CheckedRequest, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let cname = hostname_field(
        &mut problems,
        "cname_hostname",
        &request.cname_hostname,
        Wildcard::Refused,
    );
    let job_id = number_field(
        &mut problems,
        "job_id",
        &request.job_id,
        "jobId of the certificate's previous request",
    );
    let existing: Vec<String> = names_on_certificate
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let domains = name_list(
        &mut problems,
        "domains",
        &request.domains,
        &existing,
        "is already on the certificate",
    );
    if request.domains.is_empty() {
        problems.push(FieldProblem::new(
            "domains",
            "required: at least one hostname to add",
        ));
    }
    let total = existing.len() + domains.len();
    if total > MAX_SAN_NAMES {
        problems.push(FieldProblem::new(
            "domains",
            format!(
                "the certificate would hold {total} names; a SAN certificate holds at most {MAX_SAN_NAMES}"
            ),
        ));
    }
    let (Some(cname), Some(job_id), true) = (cname, job_id, problems.is_empty()) else {
        return Err(problems);
    };
    let mut form = FormBody::new();
    form.push("cnameHostname", cname.ascii.as_str())
        .push("createType", crate::sps::model::CREATE_TYPE_MOD_SAN)
        .push("issuer", request.validation.issuer())
        .push("jobId", job_id.to_string());
    for domain in &domains {
        form.push("add.sans", domain.ascii.as_str());
    }
    Ok(CheckedRequest {
        endpoint: PostEndpoint::SpsRequests,
        form,
        cname_hostname: cname.ascii,
        names: domains,
    })
}

pub(super) fn check_edge_host(request: &EdgeHost) -> Result<CheckedRequest, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let cname = cname_field(&mut problems, &request.cname_hostname);
    let enrollment_id = number_field(
        &mut problems,
        "enrollment_id",
        &request.enrollment_id,
        "certificate's enrollmentId",
    );
    let product = product_field(&mut problems, request.product.as_deref());
    let (Some(cname), Some(enrollment_id), true) = (cname, enrollment_id, problems.is_empty())
    else {
        return Err(problems);
    };
    let mut form = FormBody::new();
    form.push("cnameHostname", cname.ascii.as_str())
        .push("enrollmentId", enrollment_id.to_string())
        .push_opt("ipVersion", request.ip_version.map(|v| v.as_str()))
        .push_opt("product", product.as_deref());
    Ok(CheckedRequest {
        endpoint: PostEndpoint::SecureEdgeHosts,
        form,
        cname_hostname: cname.ascii.clone(),
        names: vec![cname],
    })
}
