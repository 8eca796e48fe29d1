//! Plans drawn from a seeded RNG: each story places a request so that at the moment it is drawn
//! (`now`) it shows the status the story is named after, and then moves on as the clock runs.
//! The demo world picks stories by name; generated worlds and API submissions draw them.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::lifecycle::{CertKind, DomainFate, DomainPlan, Issuer, Plan, PlannedEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// Just submitted through the API: the usual path, ends complete.
    Submitted,
    /// `Pending`, about to move on.
    Pending,
    /// DV `Awaiting User`, domains validating on their own over the next minutes.
    Validating,
    /// DV `Awaiting User`, some domains waiting for the operator.
    NeedsUser,
    /// DV `Awaiting User`, one domain failed its check.
    Invalid,
    /// `CPS running` (DV: validated, deploying; OV: organization validation, days).
    CpsRunning,
    Complete,
    Cancelled,
    /// DV whose challenges lapsed: `CPS cancelled`, domains `Expired`.
    Expired,
    /// Edge host being created (`edge host already created or pending`, no error).
    EdgeCreating,
    /// Edge host that failed: the hostname already existed.
    EdgeExists,
}

impl Story {
    pub fn from_name(name: &str) -> Option<Story> {
        Some(match name {
            "submitted" => Story::Submitted,
            "pending" => Story::Pending,
            "validating" => Story::Validating,
            "needs-user" => Story::NeedsUser,
            "invalid" => Story::Invalid,
            "cps-running" => Story::CpsRunning,
            "complete" => Story::Complete,
            "cancelled" => Story::Cancelled,
            "expired" => Story::Expired,
            "edge-creating" => Story::EdgeCreating,
            "edge-exists" => Story::EdgeExists,
            _ => return None,
        })
    }

    /// Whether the story can happen to a request of this kind and issuer.
    pub fn fits(self, kind: CertKind, issuer: Issuer) -> bool {
        let dv = issuer == Issuer::LetsEncrypt && matches!(kind, CertKind::San | CertKind::ModSan);
        match self {
            Story::EdgeCreating | Story::EdgeExists => kind == CertKind::EdgeHost,
            Story::Validating | Story::NeedsUser | Story::Invalid | Story::Expired => dv,
            _ => true,
        }
    }
}

/// 43 characters of base64url, like an ACME token or thumbprint.
pub fn token(rng: &mut StdRng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..43)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

fn minutes(rng: &mut StdRng, low: i64, high: i64) -> Duration {
    Duration::seconds(rng.random_range(low * 60..=high * 60))
}

const LE_ERRORS: &[&str] = &[
    "Invalid response from http://{d}/.well-known/acme-challenge/: 404 Not Found",
    "DNS problem: NXDOMAIN looking up A for {d}",
    "Fetching http://{d}/.well-known/acme-challenge/: Timeout during connect (likely firewall problem)",
    "Invalid response from http://{d}/.well-known/acme-challenge/: the body did not match the key authorization",
];

/// Draws the plan of a request that is at `now` where `story` says.
pub fn plan(
    story: Story,
    kind: CertKind,
    issuer: Issuer,
    names: &[String],
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Plan {
    let dv = issuer == Issuer::LetsEncrypt && kind != CertKind::EdgeHost;
    let mut domains: Vec<DomainPlan> = if dv {
        names
            .iter()
            .map(|name| DomainPlan {
                domain: name.clone(),
                token: token(rng),
                fate: DomainFate::Automatic {
                    after: minutes(rng, 1, 12),
                },
                fixed_at: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let cps = if kind == CertKind::EdgeHost {
        minutes(rng, 4, 15)
    } else if dv {
        minutes(rng, 5, 25)
    } else {
        minutes(rng, 60 * 24, 60 * 24 * 4)
    };
    let mut plan = Plan {
        created: now,
        pending: minutes(rng, 1, 4),
        domains: Vec::new(),
        cps,
        outcome: PlannedEnd::Complete,
    };
    match story {
        Story::Submitted => {
            // A quarter of the domains of a new DV request need the operator.
            for domain in domains.iter_mut() {
                if rng.random_bool(0.25) {
                    domain.fate = DomainFate::NeedsUser;
                }
            }
        }
        Story::Pending => {
            plan.created = now - minutes(rng, 0, 1);
            plan.pending = minutes(rng, 2, 6);
        }
        Story::Validating => {
            plan.created = now - minutes(rng, 6, 20);
            for domain in domains.iter_mut() {
                domain.fate = DomainFate::Automatic {
                    after: minutes(rng, 3, 40),
                };
            }
            // At least one domain still open at `now`.
            if let Some(last) = domains.last_mut() {
                last.fate = DomainFate::Automatic {
                    after: Duration::minutes(25) + minutes(rng, 0, 20),
                };
            }
        }
        Story::NeedsUser => {
            plan.created = now - minutes(rng, 60, 60 * 48);
            let count = domains.len();
            for (index, domain) in domains.iter_mut().enumerate() {
                if index == count - 1 || rng.random_bool(0.3) {
                    domain.fate = DomainFate::NeedsUser;
                }
            }
        }
        Story::Invalid => {
            plan.created = now - minutes(rng, 60, 60 * 24);
            if let Some(first) = domains.first_mut() {
                let error =
                    LE_ERRORS[rng.random_range(0..LE_ERRORS.len())].replace("{d}", &first.domain);
                first.fate = DomainFate::Invalid {
                    after: minutes(rng, 2, 20),
                    error,
                };
            }
        }
        Story::CpsRunning => {
            if dv {
                plan.created = now - minutes(rng, 40, 90);
                plan.pending = minutes(rng, 2, 4);
                for domain in domains.iter_mut() {
                    domain.fate = DomainFate::Automatic {
                        after: minutes(rng, 1, 20),
                    };
                }
                // Validated by now-10min at the latest; deployment runs past `now`.
                plan.cps = Duration::minutes(90) + minutes(rng, 5, 60);
            } else {
                plan.created = now - minutes(rng, 60, 60 * 36);
                plan.cps = Duration::days(2) + minutes(rng, 0, 60 * 24 * 3);
            }
        }
        Story::Complete | Story::Cancelled | Story::EdgeExists => {
            plan.created = now - minutes(rng, 60 * 24 * 6, 60 * 24 * 300);
            plan.outcome = match story {
                Story::Complete => PlannedEnd::Complete,
                Story::Cancelled => PlannedEnd::Cancelled,
                _ => PlannedEnd::EdgeHostExists,
            };
        }
        Story::Expired => {
            plan.created = now - minutes(rng, 60 * 24 * 8, 60 * 24 * 60);
            if let Some(last) = domains.last_mut() {
                last.fate = DomainFate::NeedsUser;
            }
        }
        Story::EdgeCreating => {
            plan.created = now - minutes(rng, 1, 4);
            plan.pending = Duration::seconds(30);
            plan.cps = minutes(rng, 6, 20);
        }
    }
    plan.domains = domains;
    plan
}
