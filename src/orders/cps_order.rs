//! The operator's order (REQ.toml, the wizard: `sps::request::NewCertificate`, checked by its
//! one validation) as CPS and PAPI take it: the enrollment body and the secure edge hostname.
//! Every value comes from the checked order (names in their ASCII form, countries and phones
//! normalised); CPS's own rules are checked on top (`cps::order`).

use crate::cps::order::{
    Authority, ContactOrder, CsrOrder, DnsNameSettingsOrder, EnrollmentOrder, NetworkOrder,
    OrgOrder, certificate_type,
};
use crate::model::FieldProblem;
use crate::papi::EdgeHostnameOrder;
use crate::sps::FormBody;
use crate::sps::request::{IpVersion, NewCertificate, Validation};

/// What a CPS create sends: the enrollment, then its edge hostname.
#[derive(Debug, Clone, PartialEq)]
pub struct CpsOrder {
    pub enrollment: EnrollmentOrder,
    /// The edge hostname's prefix (the cnameHostname), product and IP versions; its
    /// enrollment id is known once CPS made the enrollment.
    pub edge_prefix: String,
    pub product: String,
    pub ipv6: bool,
}

impl CpsOrder {
    /// The common name: how the new enrollment is found in its contract's list.
    pub fn common_name(&self) -> &str {
        &self.enrollment.csr.cn
    }

    /// The edge hostname for the enrollment CPS made.
    pub fn edge_hostname(&self, enrollment_id: u64) -> EdgeHostnameOrder {
        EdgeHostnameOrder::enhanced_tls(&self.product, &self.edge_prefix, self.ipv6, enrollment_id)
    }
}

/// Checks `request` for CPS and builds what is sent; every problem, one per field, otherwise.
/// `change_management`: stop after staging for the operator's acknowledgement.
pub fn cps_order_of(
    request: &NewCertificate,
    change_management: bool,
) -> Result<CpsOrder, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let product = request
        .product
        .as_deref()
        .map(str::trim)
        .filter(|product| !product.is_empty());
    if product.is_none() {
        problems.push(FieldProblem::new(
            "product",
            "required for the edge hostname: the PAPI product it is for, e.g. prd_SPM or \
             prd_Fresca (`spsdash api GET '/papi/v1/products?contractId=C'` lists them)",
        ));
    }
    let checked = match request.check() {
        Ok(checked) => checked,
        Err(mut more) => {
            more.append(&mut problems);
            return Err(more);
        }
    };
    let form = &checked.form;
    let names: Vec<String> = checked
        .names
        .iter()
        .map(|name| name.ascii.clone())
        .collect();
    let authority = match request.validation {
        Validation::Dv => Authority::LetsEncrypt,
        Validation::Ov => Authority::Symantec,
    };
    let contact = |prefix: &str| ContactOrder {
        first_name: value(form, &format!("{prefix}.first-name")),
        last_name: value(form, &format!("{prefix}.last-name")),
        phone: value(form, &format!("{prefix}.phone")),
        email: value(form, &format!("{prefix}.email")),
        organization_name: optional(form, "organization-information.organization-name"),
    };
    let org = |name: &str| value(form, &format!("organization-information.{name}"));
    let enrollment = EnrollmentOrder {
        ra: authority.ra(),
        validation_type: authority.validation_type(),
        certificate_type: certificate_type(request.kind.create_type(), &names),
        signature_algorithm: request.signature_algorithm.as_str(),
        csr: CsrOrder {
            cn: names.first().cloned().unwrap_or_default(),
            sans: names.clone(),
            c: optional(form, "csr.c"),
            st: optional(form, "csr.st"),
            l: optional(form, "csr.l"),
            o: optional(form, "csr.o"),
            ou: optional(form, "csr.ou"),
        },
        network_configuration: NetworkOrder {
            geography: "core",
            secure_network: "enhanced-tls",
            sni_only: request.sni_only,
            quic_enabled: false,
            dns_name_settings: DnsNameSettingsOrder {
                clone_dns_names: true,
                dns_names: names,
            },
        },
        org: Some(OrgOrder {
            name: org("organization-name"),
            address_line_one: org("address-line-one"),
            address_line_two: optional(form, "organization-information.address-line-two"),
            city: org("city"),
            region: org("region"),
            postal_code: org("postal-code"),
            country: org("country"),
            phone: org("phone"),
        }),
        admin_contact: Some(contact("admin-contact")),
        tech_contact: Some(contact("technical-contact")),
        change_management,
        enable_multi_stacked_certificates: false,
    };
    problems.extend(enrollment.problems());
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(CpsOrder {
        enrollment,
        edge_prefix: checked.cname_hostname,
        product: product.unwrap_or_default().to_string(),
        ipv6: request.ip_version == IpVersion::Ipv6,
    })
}

fn value(form: &FormBody, name: &str) -> String {
    form.get(name).unwrap_or_default().to_string()
}

fn optional(form: &FormBody, name: &str) -> Option<String> {
    form.get(name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
#[path = "cps_order_tests.rs"]
mod tests;
