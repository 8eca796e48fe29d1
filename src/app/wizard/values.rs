//! Everything the operator entered, and its translation into the request model, so the wizard
//! runs exactly the checks the commands run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tui_input::Input;

use super::steps::Flow;
use crate::config::ProfileConfig;
use crate::sps::hostname::split_name_list;
use crate::sps::request::{
    AddSans, CertificateKind, CheckedRequest, EdgeHost, FieldProblem, IpVersion, NewCertificate,
    SignatureAlgorithm, Validation,
};

/// The choices and typed text of one wizard, independent of where the cursor is.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub kind: CertificateKind,
    pub validation: Validation,
    pub signature: SignatureAlgorithm,
    pub sni_only: bool,
    pub ip_version: IpVersion,
    /// Text fields by key; a key not present is empty.
    pub inputs: BTreeMap<&'static str, Input>,
    /// The SAN list (new certificate) without the common name.
    pub sans: Vec<String>,
    /// Names to add (add-domains flow).
    pub domains: Vec<String>,
    /// Names already on the certificate (add-domains flow, when known).
    pub names_on_certificate: Vec<String>,
    /// The operator edited the cnameHostname; until then it follows the common name.
    pub cname_edited: bool,
}

/// The serialisable part of [`Values`], for drafts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedValues {
    pub kind: CertificateKind,
    pub validation: Validation,
    pub signature: SignatureAlgorithm,
    pub sni_only: bool,
    pub ip_version: IpVersion,
    pub text: BTreeMap<String, String>,
    pub sans: Vec<String>,
    pub domains: Vec<String>,
    pub names_on_certificate: Vec<String>,
    pub cname_edited: bool,
}

impl Values {
    pub fn from_profile(profile: &ProfileConfig) -> Values {
        let blank = profile.blank_certificate();
        let mut values = Values {
            sni_only: true,
            ..Values::default()
        };
        let prefills = [
            ("subject.country", &blank.subject.country),
            ("subject.state", &blank.subject.state),
            ("subject.locality", &blank.subject.locality),
            ("subject.organization", &blank.subject.organization),
            ("subject.unit", &blank.subject.unit),
            ("organization.name", &blank.organization.name),
            (
                "organization.address_line_one",
                &blank.organization.address_line_one,
            ),
            (
                "organization.address_line_two",
                &blank.organization.address_line_two,
            ),
            ("organization.city", &blank.organization.city),
            ("organization.region", &blank.organization.region),
            ("organization.postal_code", &blank.organization.postal_code),
            ("organization.country", &blank.organization.country),
            ("organization.phone", &blank.organization.phone),
            ("admin_contact.first_name", &blank.admin_contact.first_name),
            ("admin_contact.last_name", &blank.admin_contact.last_name),
            ("admin_contact.phone", &blank.admin_contact.phone),
            ("admin_contact.email", &blank.admin_contact.email),
            (
                "technical_contact.first_name",
                &blank.technical_contact.first_name,
            ),
            (
                "technical_contact.last_name",
                &blank.technical_contact.last_name,
            ),
            ("technical_contact.phone", &blank.technical_contact.phone),
            ("technical_contact.email", &blank.technical_contact.email),
        ];
        for (key, value) in prefills {
            values.set(key, value);
        }
        values
    }

    pub fn get(&self, key: &str) -> &str {
        self.inputs.get(key).map(Input::value).unwrap_or("")
    }

    pub fn set(&mut self, key: &'static str, value: &str) {
        self.inputs.insert(key, Input::new(value.to_string()));
    }

    pub fn input_mut(&mut self, key: &'static str) -> &mut Input {
        self.inputs.entry(key).or_default()
    }

    /// The list behind a name-list field.
    pub fn list(&self, key: &str) -> &[String] {
        match key {
            "domains" => &self.domains,
            _ => &self.sans,
        }
    }

    fn list_mut(&mut self, key: &str) -> &mut Vec<String> {
        match key {
            "domains" => &mut self.domains,
            _ => &mut self.sans,
        }
    }

    /// Adds pasted or typed names (commas, spaces, newlines) to a list: trimmed, lower-cased,
    /// de-duplicated, and the common name left out (it is always included once). Returns how
    /// many were new.
    pub fn add_names(&mut self, key: &'static str, text: &str) -> usize {
        let common_name = self.get("common_name").trim().to_ascii_lowercase();
        let skip_common_name = key == "sans";
        let mut added = 0;
        for name in split_name_list(text) {
            let name = name.to_lowercase();
            let list = self.list_mut(key);
            if (skip_common_name && name == common_name) || list.contains(&name) {
                continue;
            }
            list.push(name);
            added += 1;
        }
        added
    }

    /// Takes the last name back off a list (to edit it).
    pub fn pop_name(&mut self, key: &'static str) -> Option<String> {
        self.list_mut(key).pop()
    }

    /// Drops every name of a list that has a problem.
    pub fn drop_names_with_problems(
        &mut self,
        key: &'static str,
        problems: &[FieldProblem],
    ) -> usize {
        let bad: Vec<usize> = problems
            .iter()
            .filter_map(|problem| {
                problem
                    .field
                    .strip_prefix(key)?
                    .strip_prefix('[')?
                    .strip_suffix(']')?
                    .parse()
                    .ok()
            })
            .collect();
        let list = self.list_mut(key);
        let before = list.len();
        let mut index = 0;
        list.retain(|_| {
            let keep = !bad.contains(&index);
            index += 1;
            keep
        });
        before - list.len()
    }

    /// The cnameHostname shown while the operator has not typed one: the common name without
    /// a wildcard label.
    pub fn default_cname_hostname(&self) -> String {
        let cn = self.get("common_name").trim().to_lowercase();
        cn.strip_prefix("*.").unwrap_or(&cn).to_string()
    }

    fn optional(&self, key: &str) -> Option<String> {
        let value = self.get(key).trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    pub fn new_certificate(&self) -> NewCertificate {
        let mut request = NewCertificate {
            kind: self.kind,
            validation: self.validation,
            common_name: self.get("common_name").to_string(),
            sans: if self.kind == CertificateKind::San {
                self.sans.clone()
            } else {
                Vec::new()
            },
            cname_hostname: self.optional("cname_hostname"),
            signature_algorithm: self.signature,
            sni_only: self.sni_only,
            ip_version: self.ip_version,
            product: self.optional("product"),
            ..NewCertificate::default()
        };
        let text = |key: &str| self.get(key).to_string();
        request.subject.country = text("subject.country");
        request.subject.state = text("subject.state");
        request.subject.locality = text("subject.locality");
        request.subject.organization = text("subject.organization");
        request.subject.unit = text("subject.unit");
        let org = &mut request.organization;
        org.name = text("organization.name");
        org.address_line_one = text("organization.address_line_one");
        org.address_line_two = text("organization.address_line_two");
        org.city = text("organization.city");
        org.region = text("organization.region");
        org.postal_code = text("organization.postal_code");
        org.country = text("organization.country");
        org.phone = text("organization.phone");
        for (prefix, contact) in [
            ("admin_contact", &mut request.admin_contact),
            ("technical_contact", &mut request.technical_contact),
        ] {
            contact.first_name = text(&format!("{prefix}.first_name"));
            contact.last_name = text(&format!("{prefix}.last_name"));
            contact.phone = text(&format!("{prefix}.phone"));
            contact.email = text(&format!("{prefix}.email"));
        }
        request
    }

    pub fn add_sans(&self) -> AddSans {
        AddSans {
            cname_hostname: self.get("cname_hostname").to_string(),
            job_id: self.get("job_id").to_string(),
            domains: self.domains.clone(),
            validation: self.validation,
        }
    }

    pub fn edge_host(&self) -> EdgeHost {
        EdgeHost {
            cname_hostname: self.get("cname_hostname").to_string(),
            enrollment_id: self.get("enrollment_id").to_string(),
            ip_version: Some(self.ip_version),
            product: self.optional("product"),
        }
    }

    /// The one validation the commands use too.
    pub fn check(&self, flow: Flow) -> Result<CheckedRequest, Vec<FieldProblem>> {
        match flow {
            Flow::NewCertificate => self.new_certificate().check(),
            Flow::AddDomains => self.add_sans().check(&self.names_on_certificate),
            Flow::EdgeHost => self.edge_host().check(),
        }
    }

    pub fn save(&self) -> SavedValues {
        SavedValues {
            kind: self.kind,
            validation: self.validation,
            signature: self.signature,
            sni_only: self.sni_only,
            ip_version: self.ip_version,
            text: self
                .inputs
                .iter()
                .filter(|(_, input)| !input.value().is_empty())
                .map(|(key, input)| (key.to_string(), input.value().to_string()))
                .collect(),
            sans: self.sans.clone(),
            domains: self.domains.clone(),
            names_on_certificate: self.names_on_certificate.clone(),
            cname_edited: self.cname_edited,
        }
    }

    /// Restores saved values; keys this version does not know are dropped.
    pub fn restore(
        saved: &SavedValues,
        known_key: impl Fn(&str) -> Option<&'static str>,
    ) -> Values {
        let mut values = Values {
            kind: saved.kind,
            validation: saved.validation,
            signature: saved.signature,
            sni_only: saved.sni_only,
            ip_version: saved.ip_version,
            sans: saved.sans.clone(),
            domains: saved.domains.clone(),
            names_on_certificate: saved.names_on_certificate.clone(),
            cname_edited: saved.cname_edited,
            ..Values::default()
        };
        for (key, value) in &saved.text {
            if let Some(key) = known_key(key) {
                values.set(key, value);
            }
        }
        values
    }
}
