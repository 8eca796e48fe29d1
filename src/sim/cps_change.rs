//! One change of the CPS world's own enrollments, as a pure function of its plan and the clock
//! (the same idea as `lifecycle.rs` for SPS requests): a change is a row of steps, each ending
//! after a planned time, when its domains are valid, or when the customer gives the input it
//! waits for. The outside inputs are the operator serving a domain's challenge
//! (`DomainPlan::fixed_at`) and what clients wrote (`ChangePlan::answers`: acknowledgements,
//! uploads, a cancellation), each kept with the moment it arrived.

use chrono::{DateTime, Duration, Utc};

use super::cps_names::{InputKind, change_type, state, status};
use super::lifecycle::{self, DomainPlan, DomainSnapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    NewCertificate,
    Renewal,
    ModifySan,
}

impl ChangeKind {
    /// `pendingChanges[].changeType`.
    pub fn change_type(self) -> &'static str {
        match self {
            ChangeKind::NewCertificate => change_type::NEW_CERTIFICATE,
            ChangeKind::Renewal => change_type::RENEWAL,
            ChangeKind::ModifySan => change_type::MODIFY_SAN,
        }
    }

    /// Change history's `action` (its own enum: a renewal is `renew` there).
    pub fn history_action(self) -> &'static str {
        match self {
            ChangeKind::NewCertificate => "new-certificate",
            ChangeKind::Renewal => "renew",
            ChangeKind::ModifySan => "modify-san",
        }
    }

    pub fn history_description(self) -> &'static str {
        match self {
            ChangeKind::NewCertificate => "Create New Certificate",
            ChangeKind::Renewal => "Renew Certificate",
            ChangeKind::ModifySan => "Modify SAN names",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// CPS's own checks before anything is ordered (running).
    Checks(Duration),
    /// The checks found something the customer must acknowledge (awaiting input, no end).
    PreVerificationWarnings,
    /// Let's Encrypt's challenges: ends once every domain is valid; an error if they lapse.
    DomainValidation,
    /// OV/EV: the CA validates the organization (running).
    CaValidation(Duration),
    /// The issued certificate has warnings to acknowledge (awaiting input, no end).
    PostVerificationWarnings,
    /// Third-party: the customer uploads the certificate signed for CPS's CSR (no end).
    ThirdPartyUpload,
    /// Deploying to staging; staging serves the new certificate when this ends.
    Staging(Duration),
    /// Change management: waits for an acknowledgement. [ours] The world's operator gives it
    /// in Control Center `acknowledged_after` the wait began; `None` waits for a write.
    ChangeManagement {
        acknowledged_after: Option<Duration>,
    },
    /// Deploying to production; the change completes when this ends.
    Production(Duration),
    /// The change stops with this error (state `error`) and stays there.
    Fail { code: String, description: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangePlan {
    pub id: u64,
    pub kind: ChangeKind,
    pub created: DateTime<Utc>,
    pub created_by: String,
    pub steps: Vec<Step>,
    /// DV: one per name on the certificate.
    pub domains: Vec<DomainPlan>,
    /// The names on the certificate this change issues.
    pub names: Vec<String>,
    pub answers: Answers,
}

/// What clients wrote to a change, with when: none for a change nobody touched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    /// Each input given (`…/input/update/…` acknowledged or uploaded): the step waiting for
    /// that kind of input ends at that moment.
    pub given: Vec<(InputKind, DateTime<Utc>)>,
    /// Cancelled (a `deny`, `DELETE …/changes/{c}`, or a newer change that replaced it).
    pub cancelled: Option<DateTime<Utc>>,
    /// `deploy-not-before` / `deploy-not-after` as the client gave them (`statusInfo`'s
    /// `deploymentSchedule`).
    pub not_before: Option<String>,
    pub not_after: Option<String>,
}

impl Answers {
    /// When the step of `kind` that began at `began` got its input, if it has.
    fn given_for(&self, kind: InputKind, began: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.given
            .iter()
            .filter(|(given, at)| *given == kind && *at >= began)
            .map(|(_, at)| *at)
            .min()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeError {
    pub code: String,
    pub description: String,
    pub timestamp: DateTime<Utc>,
}

/// Where a change stands at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSnapshot {
    pub state: &'static str,
    pub status: &'static str,
    pub description: String,
    pub error: Option<ChangeError>,
    pub waits_for: Option<InputKind>,
    /// When the current step began (or the change completed).
    pub since: DateTime<Utc>,
    /// When staging got the new certificate, if it has.
    pub staged: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
    /// Every domain's challenge once they opened (DV).
    pub domains: Vec<DomainSnapshot>,
}

impl ChangeSnapshot {
    /// Still listed in the enrollment's `pendingChanges` (an errored change is, until it is
    /// cancelled).
    pub fn is_pending(&self) -> bool {
        self.completed.is_none() && self.state != state::CANCELLED
    }
}

/// [ours] The error code when Let's Encrypt's challenges lapse before every domain is valid.
pub const CHALLENGES_EXPIRED: &str = "lets-encrypt-challenges-expired";

/// The change at `now` (which should not be before `plan.created`).
pub fn snapshot(plan: &ChangePlan, now: DateTime<Utc>) -> ChangeSnapshot {
    match plan.answers.cancelled {
        Some(cancelled) if cancelled <= now => {
            // Where it stood when it was cancelled, and that it stops there.
            let before = running(plan, cancelled);
            ChangeSnapshot {
                state: state::CANCELLED,
                status: status::CANCELLED,
                description: "The change was cancelled.".to_string(),
                error: None,
                waits_for: None,
                since: cancelled,
                staged: before.staged,
                completed: None,
                domains: before.domains,
            }
        }
        _ => running(plan, now),
    }
}

/// The change at `now` as its steps and the inputs given make it.
fn running(plan: &ChangePlan, now: DateTime<Utc>) -> ChangeSnapshot {
    let mut at = plan.created;
    let mut staged = None;
    let mut domains = Vec::new();
    let mut last_status = status::PRE_VERIFICATION;
    for step in &plan.steps {
        let current = |shown_state, shown_status, description: String, waits_for| ChangeSnapshot {
            state: shown_state,
            status: shown_status,
            description,
            error: None,
            waits_for,
            since: at,
            staged,
            completed: None,
            domains: Vec::new(),
        };
        let timed = |length: Duration| Some(at + length);
        let given = |kind| plan.answers.given_for(kind, at);
        let (ends, shown) = match step {
            Step::Checks(length) => (
                timed(*length),
                current(
                    state::RUNNING,
                    status::PRE_VERIFICATION,
                    "CPS is running its pre-verification safety checks.".to_string(),
                    None,
                ),
            ),
            Step::PreVerificationWarnings => (
                given(InputKind::PreVerificationWarnings),
                current(
                    state::AWAITING_INPUT,
                    status::REVIEW_PRE_VERIFICATION,
                    "The pre-verification safety checks found warnings: review and acknowledge \
                     them so the change can go on."
                        .to_string(),
                    Some(InputKind::PreVerificationWarnings),
                ),
            ),
            Step::DomainValidation => {
                let (ends, mut shown) = domain_validation(plan, at, now);
                shown.staged = staged;
                domains.clone_from(&shown.domains);
                if shown.state == state::ERROR {
                    return shown;
                }
                (ends, shown)
            }
            Step::CaValidation(length) => (
                timed(*length),
                current(
                    state::RUNNING,
                    status::CA_VALIDATION,
                    "The certificate authority is validating your organization.".to_string(),
                    None,
                ),
            ),
            Step::PostVerificationWarnings => (
                given(InputKind::PostVerificationWarnings),
                current(
                    state::AWAITING_INPUT,
                    status::REVIEW_CERT_WARNING,
                    "The new certificate has warnings: review and acknowledge them so it can \
                     be deployed."
                        .to_string(),
                    Some(InputKind::PostVerificationWarnings),
                ),
            ),
            Step::ThirdPartyUpload => (
                given(InputKind::ThirdPartyCertificate),
                current(
                    state::AWAITING_INPUT,
                    status::UPLOAD_THIRD_PARTY,
                    "Waiting for you to upload the certificate your CA signed for this CSR, \
                     with its trust chain."
                        .to_string(),
                    Some(InputKind::ThirdPartyCertificate),
                ),
            ),
            Step::Staging(length) => (
                timed(*length),
                current(
                    state::RUNNING,
                    status::DEPLOY_STAGING,
                    "Deploying the new certificate to the staging network.".to_string(),
                    None,
                ),
            ),
            Step::ChangeManagement { acknowledged_after } => (
                match (
                    acknowledged_after.map(|length| at + length),
                    given(InputKind::ChangeManagement),
                ) {
                    (Some(planned), Some(given)) => Some(planned.min(given)),
                    (planned, given) => planned.or(given),
                },
                current(
                    state::AWAITING_INPUT,
                    status::ACK_CHANGE_MANAGEMENT,
                    "The new certificate is on the staging network: test it there, then \
                     acknowledge change management to deploy it to production."
                        .to_string(),
                    Some(InputKind::ChangeManagement),
                ),
            ),
            Step::Production(length) => (
                timed(*length),
                current(
                    state::RUNNING,
                    status::DEPLOY_PRODUCTION,
                    "Deploying the new certificate to the production network.".to_string(),
                    None,
                ),
            ),
            Step::Fail { code, description } => {
                // The change stops in the step it failed in, and says so.
                let mut failed = current(state::ERROR, last_status, description.clone(), None);
                failed.error = Some(ChangeError {
                    code: code.clone(),
                    description: description.clone(),
                    timestamp: at,
                });
                failed.domains = domains;
                return failed;
            }
        };
        match ends {
            Some(end) if end <= now => {
                if matches!(step, Step::Staging(_)) {
                    staged = Some(end);
                }
                at = end;
                last_status = shown.status;
            }
            _ => {
                let mut shown = shown;
                if shown.domains.is_empty() {
                    shown.domains = domains;
                }
                return shown;
            }
        }
    }
    ChangeSnapshot {
        state: state::COMPLETED,
        status: status::COMPLETE,
        description: "The change is complete: the new certificate is on the production network."
            .to_string(),
        error: None,
        waits_for: None,
        since: at,
        staged: staged.or(Some(at)),
        completed: Some(at),
        domains,
    }
}

/// The challenges opened at `opened`: when they are all valid (the step's end), or where they
/// stand; an error once they lapse.
fn domain_validation(
    plan: &ChangePlan,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, ChangeSnapshot) {
    let expires = opened + lifecycle::challenge_lifetime();
    let domains: Vec<DomainSnapshot> = plan
        .domains
        .iter()
        .map(|domain| lifecycle::domain_at(domain, opened, now))
        .collect();
    let all_valid = plan.domains.iter().try_fold(opened, |latest, domain| {
        lifecycle::valid_at(domain, opened)
            .filter(|time| *time < expires)
            .map(|time| latest.max(time))
    });
    let waiting = domains
        .iter()
        .filter(|domain| domain.status != lifecycle::DOMAIN_VALID)
        .count();
    let mut shown = ChangeSnapshot {
        state: state::AWAITING_INPUT,
        status: status::DOMAIN_VALIDATION,
        description: format!(
            "Waiting for Let's Encrypt to validate {waiting} of {} domains: serve each \
             domain's HTTP or DNS challenge.",
            domains.len()
        ),
        error: None,
        waits_for: Some(InputKind::LetsEncryptChallenges),
        since: opened,
        staged: None,
        completed: None,
        domains,
    };
    if all_valid.is_none() && now >= expires {
        shown.state = state::ERROR;
        shown.waits_for = None;
        shown.description =
            "Let's Encrypt's challenges expired before every domain was validated.".to_string();
        shown.error = Some(ChangeError {
            code: CHALLENGES_EXPIRED.to_string(),
            description: shown.description.clone(),
            timestamp: expires,
        });
    }
    (all_valid, shown)
}

/// The operator served `domain`'s challenge: if this change waits for it, Let's Encrypt checks
/// it again. Returns whether anything changed.
pub fn fix_domain(plan: &mut ChangePlan, domain: &str, now: DateTime<Utc>) -> bool {
    if plan.created > now {
        return false;
    }
    let shown = snapshot(plan, now);
    if shown.waits_for != Some(InputKind::LetsEncryptChallenges) {
        return false;
    }
    let mut changed = false;
    for planned in plan.domains.iter_mut() {
        let open = shown
            .domains
            .iter()
            .any(|seen| seen.domain == planned.domain && seen.status != lifecycle::DOMAIN_VALID);
        if planned.domain == domain && open && planned.fixed_at.is_none() {
            planned.fixed_at = Some(now);
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
#[path = "cps_change_tests.rs"]
mod tests;
