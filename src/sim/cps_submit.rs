//! What a client's enrollment body does to the CPS world: checked against the published
//! `enrollment.v11` schema and then for meaning, it becomes a new enrollment with a
//! `new-certificate` change, or (`PUT`) replaces an enrollment and, when the names on the
//! certificate change, starts a change of its own.
//!
//! The changes clients cause wait for the customer wherever CPS lets them: every name of a
//! Let's Encrypt change waits for the operator to serve its challenge, OV/EV changes stop at
//! pre-verification warnings [ours: CPS raises them only when its checks find something; the
//! simulator always does, so a client meets the acknowledgement], third-party changes wait for
//! the upload, and change management waits for its acknowledgement.

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use serde_json::Value;

use super::cps_book::{NativeEnrollment, Ra, Validity};
use super::cps_change::{Answers, ChangeKind, ChangePlan, Step};
use super::cps_names::Network;
use super::cps_shapes;
use super::cps_stories::pipeline;
use super::json_shape::{self, Violation};
use super::lifecycle::{DOMAIN_VALID, DomainFate, DomainPlan};
use super::stories::token;
use super::validate::hostname_problem;

/// The most names a certificate takes (what enrollments answer as `maxAllowedSanNames`).
pub const MAX_NAMES: usize = 100;

/// [ours] Who the change history says created a change a client asked for.
const CREATED_BY: &str = "api-client";

/// An enrollment body that passed every check.
#[derive(Debug, Clone)]
pub struct Requested {
    pub ra: Ra,
    pub validation_type: String,
    pub certificate_type: &'static str,
    /// The common name first, then the other names, lower case, once each.
    pub names: Vec<String>,
    pub change_management: bool,
    pub sni_only: bool,
    pub body: Value,
}

/// Reads a body: the published schema first, then what its values mean together.
pub fn read(body: Value) -> Result<Requested, Vec<Violation>> {
    let violations = json_shape::check(&body, &cps_shapes::ENROLLMENT_V11);
    if !violations.is_empty() {
        return Err(violations);
    }
    let text = |pointer: &str| body.pointer(pointer).and_then(Value::as_str).unwrap_or("");
    let flag = |pointer: &str| body.pointer(pointer).and_then(Value::as_bool) == Some(true);
    let Some(ra) = Ra::parse(text("/ra")) else {
        return Err(vec![Violation::refused(
            "ra",
            "unknown certificate authority",
        )]);
    };
    let validation_type = text("/validationType").to_string();
    let certificate_type = certificate_type(text("/certificateType"));
    let mut violations = Vec::new();
    let fits = match ra {
        Ra::LetsEncrypt => validation_type == "dv",
        Ra::ThirdParty => validation_type == "third-party",
        Ra::Symantec => validation_type == "ov" || validation_type == "ev",
    };
    if !fits {
        let wanted = match ra {
            Ra::LetsEncrypt => "dv",
            Ra::ThirdParty => "third-party",
            Ra::Symantec => "ov or ev",
        };
        violations.push(Violation::refused(
            "validationType",
            format!("must be {wanted} with ra {}.", ra.token()),
        ));
    }
    let wildcards =
        matches!(certificate_type, "wildcard" | "wildcard-san") && ra != Ra::LetsEncrypt;
    let type_fits = match ra {
        Ra::ThirdParty => certificate_type == "third-party",
        Ra::LetsEncrypt => matches!(certificate_type, "san" | "single"),
        Ra::Symantec => certificate_type != "third-party",
    };
    if !type_fits {
        violations.push(Violation::refused(
            "certificateType",
            format!(
                "{certificate_type} is not a certificate type ra {} issues{}.",
                ra.token(),
                if ra == Ra::LetsEncrypt {
                    " (Let's Encrypt certificates are san or single, without wildcards)"
                } else {
                    ""
                }
            ),
        ));
    }
    let names = names(&body, certificate_type, wildcards, &mut violations);
    if !violations.is_empty() {
        return Err(violations);
    }
    Ok(Requested {
        ra,
        validation_type,
        certificate_type,
        names,
        change_management: flag("/changeManagement"),
        sni_only: flag("/networkConfiguration/sniOnly"),
        body,
    })
}

fn certificate_type(text: &str) -> &'static str {
    match text {
        "single" => "single",
        "wildcard" => "wildcard",
        "wildcard-san" => "wildcard-san",
        "third-party" => "third-party",
        _ => "san",
    }
}

/// `csr.cn` then `csr.sans`, each a hostname (a wildcard only on wildcard types).
fn names(
    body: &Value,
    certificate_type: &str,
    wildcards: bool,
    violations: &mut Vec<Violation>,
) -> Vec<String> {
    let cn = body
        .pointer("/csr/cn")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let sans: Vec<String> = body
        .pointer("/csr/sans")
        .and_then(Value::as_array)
        .map(|sans| {
            sans.iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let mut names = vec![cn.clone()];
    for san in &sans {
        if !names.contains(san) {
            names.push(san.clone());
        }
    }
    let problem = |name: &str| {
        let bare = match name.strip_prefix("*.") {
            Some(base) if wildcards => base,
            Some(_) => {
                return Some(format!(
                    "'{name}' is a wildcard, which a {certificate_type} certificate cannot hold."
                ));
            }
            None => name,
        };
        hostname_problem(bare)
    };
    if let Some(why) = problem(&cn) {
        violations.push(Violation::refused("csr.cn", why));
    }
    for (index, san) in sans.iter().enumerate() {
        if let Some(why) = problem(san) {
            violations.push(Violation::refused(&format!("csr.sans[{index}]"), why));
        }
    }
    if names.len() > MAX_NAMES {
        violations.push(Violation::refused(
            "csr.sans",
            format!("a certificate takes at most {MAX_NAMES} names."),
        ));
    }
    if certificate_type == "single" && names.len() > 1 {
        violations.push(Violation::refused(
            "csr.sans",
            "a single certificate holds only its common name: use certificateType san.",
        ));
    }
    names
}

/// The change a client's write starts: `validate` are the names whose challenges Let's
/// Encrypt must see served.
pub fn change(
    id: u64,
    kind: ChangeKind,
    requested: &Requested,
    validate: &[String],
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> ChangePlan {
    let mut steps = pipeline(requested.ra, requested.change_management, None, rng);
    let domains: Vec<DomainPlan> = match requested.ra {
        Ra::LetsEncrypt => validate
            .iter()
            .map(|name| DomainPlan {
                domain: name.clone(),
                token: token(rng),
                fate: DomainFate::NeedsUser,
                fixed_at: None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if requested.ra == Ra::LetsEncrypt && domains.is_empty() {
        // Every name is proven already: nothing for Let's Encrypt to check.
        steps.retain(|step| *step != Step::DomainValidation);
    }
    if requested.ra == Ra::Symantec {
        steps.insert(1, Step::PreVerificationWarnings);
    }
    ChangePlan {
        id,
        kind,
        created: now,
        created_by: CREATED_BY.to_string(),
        steps,
        domains,
        names: requested.names.clone(),
        answers: Answers::default(),
    }
}

/// A new enrollment of `contract_id` whose `new-certificate` change `plan` is.
pub fn new_enrollment(
    id: u64,
    contract_id: &str,
    requested: Requested,
    plan: ChangePlan,
) -> NativeEnrollment {
    NativeEnrollment {
        id,
        contract_id: contract_id.to_string(),
        ra: requested.ra,
        certificate_type: requested.certificate_type,
        warnings: warnings(&requested),
        names: requested.names,
        change_management: requested.change_management,
        sni_only: requested.sni_only,
        legacy_shape: false,
        initial: None,
        changes: vec![plan],
        auto_renewal_start: None,
        written: Some(requested.body),
    }
}

/// What the pre-verification checks of an OV/EV change say [ours].
fn warnings(requested: &Requested) -> Option<String> {
    (requested.ra == Ra::Symantec).then(|| {
        format!(
            "The certificate authority will validate the organization in csr.o and org before \
             it issues a certificate for {}; acknowledge to go on, or deny and correct them.",
            requested.names.join(", ")
        )
    })
}

/// The `PUT` flags that change what an update does.
#[derive(Debug, Clone, Default)]
pub struct UpdateFlags {
    pub allow_cancel_pending_changes: bool,
    pub force_renewal: bool,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
}

/// Why an update was refused.
#[derive(Debug)]
pub enum Refused {
    Body(Vec<Violation>),
    /// A change would start while these are pending, and the client did not allow cancelling
    /// them.
    Pending(Vec<u64>),
}

/// Replaces `enrollment` with what the client sent; the id of the change it starts, if the
/// certificate changes (names added or removed, or a forced renewal).
pub fn update(
    enrollment: &mut NativeEnrollment,
    requested: Requested,
    flags: &UpdateFlags,
    validity: Validity,
    change_id: u64,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Result<Option<u64>, Refused> {
    let was_validation = enrollment
        .written
        .as_ref()
        .and_then(|body| body.get("validationType"))
        .and_then(Value::as_str)
        .unwrap_or(enrollment.ra.validation_type())
        .to_string();
    let mut fixed = Vec::new();
    for (field, was, now_sent) in [
        ("ra", enrollment.ra.token(), requested.ra.token()),
        (
            "validationType",
            was_validation.as_str(),
            requested.validation_type.as_str(),
        ),
        (
            "certificateType",
            enrollment.certificate_type,
            requested.certificate_type,
        ),
    ] {
        if was != now_sent {
            fixed.push(Violation::refused(
                field,
                format!(
                    "is {was} for enrollment {} and cannot change; create a new enrollment for a \
                     {now_sent} certificate.",
                    enrollment.id
                ),
            ));
        }
    }
    if !fixed.is_empty() {
        return Err(Refused::Body(fixed));
    }
    let names_changed = {
        let mut before = enrollment.names.clone();
        let mut after = requested.names.clone();
        before.sort();
        after.sort();
        before != after
    };
    let mut started = None;
    if names_changed || flags.force_renewal {
        let pending: Vec<u64> = enrollment
            .pending(now)
            .iter()
            .map(|(plan, _)| plan.id)
            .collect();
        if !pending.is_empty() && !flags.allow_cancel_pending_changes {
            return Err(Refused::Pending(pending));
        }
        let proven = proven_names(enrollment, validity, now);
        let issued_before = enrollment.initial.is_some()
            || enrollment
                .changes_at(now)
                .any(|(_, shown)| shown.completed.is_some());
        let kind = if !issued_before {
            ChangeKind::NewCertificate
        } else if names_changed {
            ChangeKind::ModifySan
        } else {
            ChangeKind::Renewal
        };
        let validate: Vec<String> = requested
            .names
            .iter()
            .filter(|name| !proven.contains(name))
            .cloned()
            .collect();
        for plan in enrollment.changes.iter_mut() {
            if pending.contains(&plan.id) {
                plan.answers.cancelled = Some(now);
            }
        }
        let mut plan = change(change_id, kind, &requested, &validate, now, rng);
        plan.answers.not_before.clone_from(&flags.not_before);
        plan.answers.not_after.clone_from(&flags.not_after);
        enrollment.changes.push(plan);
        started = Some(change_id);
    }
    enrollment.warnings = warnings(&requested).or(enrollment.warnings.take());
    enrollment.names = requested.names;
    enrollment.change_management = requested.change_management;
    enrollment.sni_only = requested.sni_only;
    enrollment.written = Some(requested.body);
    Ok(started)
}

/// Names Let's Encrypt need not see again: on the certificate production serves, or valid in
/// one of the enrollment's changes.
fn proven_names(
    enrollment: &NativeEnrollment,
    validity: Validity,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut proven: Vec<String> = enrollment
        .deployed(Network::Production, now, validity)
        .map(|certificate| certificate.names)
        .unwrap_or_default();
    for (_, shown) in enrollment.changes_at(now) {
        for domain in shown.domains {
            if domain.status == DOMAIN_VALID {
                proven.push(domain.domain);
            }
        }
    }
    proven
}

#[cfg(test)]
#[path = "cps_submit_tests.rs"]
mod tests;
