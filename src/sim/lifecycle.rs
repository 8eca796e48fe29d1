//! One request's life as a pure function of the world's time: nothing ticks, every read
//! computes where a request stands from its plan (drawn once, when it was created) and the
//! clock. The only outside input is the operator fixing a domain (`DomainPlan::fixed_at`).

use chrono::{DateTime, Duration, Utc};

/// How long Let's Encrypt keeps a challenge open.
pub fn challenge_lifetime() -> Duration {
    Duration::days(7)
}

/// How long Let's Encrypt takes to check again after the operator fixed a domain.
pub fn recheck_delay() -> Duration {
    Duration::seconds(90)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    Single,
    Wildcard,
    San,
    ModSan,
    /// `POST /secure-edge-hosts`: an edge hostname on an existing certificate.
    EdgeHost,
}

impl CertKind {
    /// The `createType` token (or what an edge-host request is known as).
    pub fn create_type(self) -> &'static str {
        match self {
            CertKind::Single => "single",
            CertKind::Wildcard => "wildcard",
            CertKind::San => "san",
            CertKind::ModSan => "modSan",
            CertKind::EdgeHost => "secureEdgeHost",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// OV: organization validation by Symantec, days long.
    Symantec,
    /// DV: domain validation by Let's Encrypt, SAN only.
    LetsEncrypt,
}

impl Issuer {
    pub fn token(self) -> &'static str {
        match self {
            Issuer::Symantec => "symantec",
            Issuer::LetsEncrypt => "lets-encrypt",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DomainFate {
    /// Already CNAMEd to the edge (automated completion): valid `after` the challenge opens.
    Automatic { after: Duration },
    /// Stays `Awaiting User` until the operator acts.
    NeedsUser,
    /// Let's Encrypt's check fails `after` the challenge opens, until the operator acts.
    Invalid { after: Duration, error: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct DomainPlan {
    pub domain: String,
    pub token: String,
    pub fate: DomainFate,
    /// When the operator said they fixed it (`POST /_sim/validate`).
    pub fixed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How a simulated request ends, decided when it is made.
pub enum PlannedEnd {
    Complete,
    Cancelled,
    /// Edge-host requests only: the hostname already exists (a terminal failure).
    EdgeHostExists,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub created: DateTime<Utc>,
    /// Time in `Pending` before challenges open (DV) or CPS starts (OV).
    pub pending: Duration,
    /// DV only: one per domain.
    pub domains: Vec<DomainPlan>,
    /// Time CPS takes once validation is done (OV: days).
    pub cps: Duration,
    pub outcome: PlannedEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub status: &'static str,
    pub progress: String,
    pub last_change: DateTime<Utc>,
    /// Whether CPS has assigned the enrollment yet.
    pub enrolled: bool,
    pub domains: Vec<DomainSnapshot>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DomainSnapshot {
    pub domain: String,
    pub token: String,
    pub status: &'static str,
    pub expires: DateTime<Utc>,
    pub validated: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

pub const PENDING: &str = "Pending";
pub const AWAITING_USER: &str = "Awaiting User";
pub const CPS_RUNNING: &str = "CPS running";
pub const EDGE_HOST_EXISTS: &str = "edge host already created or pending";
pub const CANCELLED: &str = "CPS cancelled";
pub const COMPLETE: &str = "SPS Request Complete";

pub const DOMAIN_VALID: &str = "Valid";
pub const DOMAIN_INVALID: &str = "Invalid";
pub const DOMAIN_EXPIRED: &str = "Expired";

/// What a request looks like at `now`.
pub fn snapshot(
    kind: CertKind,
    issuer: Issuer,
    cname_hostname: &str,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Snapshot {
    let opened = plan.created + plan.pending;
    if kind == CertKind::EdgeHost {
        return edge_host(cname_hostname, plan, opened, now);
    }
    // Enrollments of modSan requests exist already; new ones appear once CPS has them.
    let enrolled = kind == CertKind::ModSan || now >= opened;
    if now < opened {
        let progress = match issuer {
            Issuer::LetsEncrypt => "Waiting for Let's Encrypt to open the domain challenges.",
            Issuer::Symantec => "Submitting the enrollment to CPS.",
        };
        return Snapshot {
            status: PENDING,
            progress: progress.to_string(),
            last_change: plan.created,
            enrolled,
            domains: Vec::new(),
        };
    }
    match issuer {
        Issuer::Symantec => cps_phase(issuer, cname_hostname, plan, opened, now, Vec::new()),
        Issuer::LetsEncrypt => domain_validation(cname_hostname, plan, opened, now),
    }
}

fn domain_validation(
    cname_hostname: &str,
    plan: &Plan,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Snapshot {
    let expires = opened + challenge_lifetime();
    let domains: Vec<DomainSnapshot> = plan
        .domains
        .iter()
        .map(|domain| domain_at(domain, opened, now))
        .collect();
    let valid_times: Vec<Option<DateTime<Utc>>> = plan
        .domains
        .iter()
        .map(|domain| valid_at(domain, opened).filter(|time| *time < expires))
        .collect();
    let all_valid_at = valid_times
        .iter()
        .try_fold(opened, |latest, time| time.map(|time| latest.max(time)));
    if let Some(validated) = all_valid_at.filter(|time| *time <= now) {
        return cps_phase(
            Issuer::LetsEncrypt,
            cname_hostname,
            plan,
            validated,
            now,
            domains,
        );
    }
    if now >= expires {
        let lapsed: Vec<&str> = domains
            .iter()
            .filter(|domain| domain.status != DOMAIN_VALID)
            .map(|domain| domain.domain.as_str())
            .collect();
        return Snapshot {
            status: CANCELLED,
            progress: format!(
                "Domain validation expired for {}; the request was cancelled.",
                lapsed.join(", ")
            ),
            last_change: expires,
            enrolled: true,
            domains,
        };
    }
    let waiting = domains
        .iter()
        .filter(|domain| domain.status != DOMAIN_VALID)
        .count();
    let failed: Vec<&str> = domains
        .iter()
        .filter(|domain| domain.status == DOMAIN_INVALID)
        .map(|domain| domain.domain.as_str())
        .collect();
    let progress = if failed.is_empty() {
        format!(
            "Waiting for domain validation of {waiting} of {} domains.",
            domains.len()
        )
    } else {
        format!(
            "Domain validation failed for {} of {} domains ({}): fix them and Let's Encrypt will check again.",
            failed.len(),
            domains.len(),
            failed.join(", ")
        )
    };
    Snapshot {
        status: AWAITING_USER,
        progress,
        last_change: opened,
        enrolled: true,
        domains,
    }
}

/// CPS takes over at `started` (OV: after Pending; DV: once every domain is valid).
fn cps_phase(
    issuer: Issuer,
    cname_hostname: &str,
    plan: &Plan,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
    domains: Vec<DomainSnapshot>,
) -> Snapshot {
    let finished = started + plan.cps;
    if now < finished {
        let progress = match issuer {
            Issuer::LetsEncrypt => {
                "All domains validated; CPS is issuing the certificate and deploying it."
            }
            Issuer::Symantec => "Organization validation by Symantec is in progress.",
        };
        return Snapshot {
            status: CPS_RUNNING,
            progress: progress.to_string(),
            last_change: started,
            enrolled: true,
            domains,
        };
    }
    let (status, progress) = match plan.outcome {
        PlannedEnd::Complete | PlannedEnd::EdgeHostExists => (
            COMPLETE,
            format!("Certificate deployed; {cname_hostname}.edgekey.net is ready."),
        ),
        PlannedEnd::Cancelled => (
            CANCELLED,
            "The CPS enrollment was cancelled before the certificate was deployed.".to_string(),
        ),
    };
    Snapshot {
        status,
        progress,
        last_change: finished,
        enrolled: true,
        domains,
    }
}

fn edge_host(
    cname_hostname: &str,
    plan: &Plan,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Snapshot {
    let edge_hostname = format!("{cname_hostname}.edgekey.net");
    let (status, progress, last_change) = if now < opened {
        (PENDING, "Queued.".to_string(), plan.created)
    } else if plan.outcome == PlannedEnd::EdgeHostExists {
        (
            EDGE_HOST_EXISTS,
            format!("error: the edge hostname {edge_hostname} already exists."),
            opened,
        )
    } else if now < opened + plan.cps {
        (
            EDGE_HOST_EXISTS,
            format!("Creating the edge hostname {edge_hostname}."),
            opened,
        )
    } else if plan.outcome == PlannedEnd::Cancelled {
        (
            CANCELLED,
            format!("Creating {edge_hostname} was cancelled."),
            opened + plan.cps,
        )
    } else {
        (
            COMPLETE,
            format!("{edge_hostname} is ready."),
            opened + plan.cps,
        )
    };
    Snapshot {
        status,
        progress,
        last_change,
        enrolled: true,
        domains: Vec::new(),
    }
}

/// When a domain's challenge passes, if it ever does (ignoring expiry).
pub(super) fn valid_at(domain: &DomainPlan, opened: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let fixed = domain
        .fixed_at
        .map(|fixed| fixed.max(opened) + recheck_delay());
    match &domain.fate {
        DomainFate::Automatic { after } => {
            let automatic = opened + *after;
            Some(fixed.map_or(automatic, |fixed| fixed.min(automatic)))
        }
        DomainFate::NeedsUser | DomainFate::Invalid { .. } => fixed,
    }
}

/// Where one domain's challenge stands at `now`, its challenge opened at `opened` (shared by the
/// SPS requests and the CPS world's own changes).
pub(super) fn domain_at(
    domain: &DomainPlan,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DomainSnapshot {
    let expires = opened + challenge_lifetime();
    let valid = valid_at(domain, opened).filter(|time| *time <= now && *time < expires);
    let rechecking = domain.fixed_at.is_some_and(|fixed| fixed <= now);
    let failure = match &domain.fate {
        DomainFate::Invalid { after, error } if opened + *after <= now && !rechecking => {
            Some(error.clone())
        }
        _ => None,
    };
    let status = if valid.is_some() {
        DOMAIN_VALID
    } else if now >= expires {
        DOMAIN_EXPIRED
    } else if failure.is_some() {
        DOMAIN_INVALID
    } else if rechecking || matches!(domain.fate, DomainFate::Automatic { .. }) {
        // Let's Encrypt is checking: nothing for the operator to do.
        PENDING
    } else {
        AWAITING_USER
    };
    DomainSnapshot {
        domain: domain.domain.clone(),
        token: domain.token.clone(),
        status,
        expires,
        validated: valid,
        error: if status == DOMAIN_INVALID {
            failure
        } else {
            None
        },
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
