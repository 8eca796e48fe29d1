//! Plans for the CPS world's own enrollments, drawn from a seeded RNG: each story places an
//! enrollment so that when it is drawn (`now`) it shows what the story is named after, and the
//! clock moves it on from there (like `stories.rs` for SPS requests). The demo file picks
//! stories by name; `--enrollments N` draws them.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::cps_book::{Certificate, Ra, Validity};
use super::cps_change::{Answers, ChangeKind, ChangePlan, Step};
use super::lifecycle::{DomainFate, DomainPlan};
use super::stories::token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpsStory {
    /// A certificate on the network, no change pending.
    Deployed,
    /// A new certificate ordered a moment ago: it runs through every step within the hour.
    New,
    /// A new DV certificate whose last domain waits for the operator to serve its challenge.
    AwaitingChallenges,
    /// A new certificate being deployed to staging.
    Staging,
    /// On staging, waiting for the change management acknowledgement.
    ChangeManagement,
    /// A certificate entering its renewal window within the first minutes: the renewal
    /// appears, validates on its own and deploys.
    Renewal,
    /// A renewal under way, one domain waiting for the operator.
    Renewing,
    /// A third-party enrollment waiting for the customer's certificate.
    ThirdParty,
    /// Waiting for the pre-verification warnings to be acknowledged.
    PreVerificationWarnings,
    /// Waiting for the post-verification (certificate) warnings to be acknowledged.
    PostVerificationWarnings,
    /// A change that stopped with an error.
    Error,
    /// OV: the CA validating the organization, for days.
    OvValidating,
}

impl CpsStory {
    pub fn from_name(name: &str) -> Option<CpsStory> {
        Some(match name {
            "deployed" => CpsStory::Deployed,
            "new" => CpsStory::New,
            "awaiting-challenges" => CpsStory::AwaitingChallenges,
            "staging" => CpsStory::Staging,
            "change-management" => CpsStory::ChangeManagement,
            "renewal" => CpsStory::Renewal,
            "renewing" => CpsStory::Renewing,
            "third-party" => CpsStory::ThirdParty,
            "pre-verification-warnings" => CpsStory::PreVerificationWarnings,
            "post-verification-warnings" => CpsStory::PostVerificationWarnings,
            "error" => CpsStory::Error,
            "ov-validating" => CpsStory::OvValidating,
            _ => return None,
        })
    }

    /// Whether the story can happen to a certificate from this authority.
    pub fn fits(self, ra: Ra) -> bool {
        match self {
            CpsStory::AwaitingChallenges | CpsStory::Renewal | CpsStory::Renewing => {
                ra == Ra::LetsEncrypt
            }
            CpsStory::ThirdParty => ra == Ra::ThirdParty,
            CpsStory::OvValidating => ra == Ra::Symantec,
            CpsStory::PostVerificationWarnings => ra != Ra::ThirdParty,
            _ => true,
        }
    }
}

/// One enrollment to place: who issues it, its type and names, and its story.
pub struct Wanted {
    pub ra: Ra,
    pub certificate_type: &'static str,
    pub names: Vec<String>,
    pub story: CpsStory,
}

/// What a story needs besides the draw.
pub struct Setting<'a> {
    pub ra: Ra,
    pub names: &'a [String],
    pub change_management: bool,
    /// Change management acknowledged this long after it began waiting (`None`: drawn for
    /// the stories that move on, never for `change-management`).
    pub acknowledge_after: Option<Duration>,
    /// The deployed certificate's days left (stories with one; drawn when absent).
    pub expires_in_days: Option<i64>,
    pub error: Option<(String, String)>,
    pub created_by: &'a str,
    pub validity: Validity,
    pub renewal_lead: Duration,
}

/// An enrollment's past and future as a story places it.
pub struct Planned {
    pub initial: Option<Certificate>,
    pub changes: Vec<ChangePlan>,
    pub auto_renewal_start: Option<DateTime<Utc>>,
}

fn minutes(rng: &mut StdRng, low: i64, high: i64) -> Duration {
    Duration::seconds(rng.random_range(low * 60..=high * 60))
}

/// [ours] What CPS says when a change fails, unless the world file says otherwise.
const DEFAULT_ERROR: (&str, &str) = (
    "le-order-finalize-failed",
    "Let's Encrypt refused to issue the certificate: a CAA record of the domain does not \
     allow letsencrypt.org. Fix the CAA record, then cancel this change and start a new one.",
);

/// Draws the enrollment's plan; `next_change_id` hands out change ids.
pub fn plan(
    story: CpsStory,
    setting: &Setting<'_>,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    next_change_id: &mut u64,
) -> Planned {
    let validity_days = match setting.ra {
        Ra::LetsEncrypt => setting.validity.lets_encrypt_days,
        Ra::Symantec => setting.validity.ov_days,
        Ra::ThirdParty => setting.validity.third_party_days,
    };
    let deployed = |expires: DateTime<Utc>| Certificate {
        issued: expires - Duration::days(validity_days),
        expires,
        names: setting.names.to_vec(),
    };
    let days_left = |rng: &mut StdRng, low: i64, high: i64| {
        setting
            .expires_in_days
            .unwrap_or_else(|| rng.random_range(low..=high))
    };
    let mut change = |kind: ChangeKind, created: DateTime<Utc>, rng: &mut StdRng| {
        let id = *next_change_id;
        *next_change_id += 1;
        let domains = if setting.ra == Ra::LetsEncrypt {
            setting
                .names
                .iter()
                .map(|name| DomainPlan {
                    domain: name.clone(),
                    token: token(rng),
                    fate: DomainFate::Automatic {
                        after: minutes(rng, 2, 12),
                    },
                    fixed_at: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let created_by = match kind {
            ChangeKind::Renewal => "cps-auto-renewal".to_string(),
            _ => setting.created_by.to_string(),
        };
        ChangePlan {
            id,
            kind,
            created,
            created_by,
            steps: Vec::new(),
            domains,
            names: setting.names.to_vec(),
            answers: Answers::default(),
        }
    };
    let ack = |rng: &mut StdRng| {
        Some(
            setting
                .acknowledge_after
                .unwrap_or_else(|| minutes(rng, 5, 15)),
        )
    };
    let mut planned = Planned {
        initial: None,
        changes: Vec::new(),
        auto_renewal_start: None,
    };
    match story {
        CpsStory::Deployed => {
            let low = if setting.ra == Ra::LetsEncrypt {
                setting.renewal_lead.num_days() + 5
            } else {
                40
            };
            let expires = now + Duration::days(days_left(rng, low, validity_days.max(low)));
            planned.initial = Some(deployed(expires));
            if setting.ra == Ra::LetsEncrypt {
                planned.auto_renewal_start = Some(expires - setting.renewal_lead);
            }
        }
        CpsStory::New | CpsStory::Staging | CpsStory::ChangeManagement => {
            let created = match story {
                CpsStory::New => now - minutes(rng, 0, 1),
                CpsStory::Staging => now - minutes(rng, 20, 40),
                _ => now - minutes(rng, 120, 360),
            };
            let mut plan = change(ChangeKind::NewCertificate, created, rng);
            let acknowledged_after = match story {
                CpsStory::ChangeManagement => setting.acknowledge_after,
                _ => ack(rng),
            };
            let management = setting.change_management || story == CpsStory::ChangeManagement;
            plan.steps = pipeline(setting.ra, management, acknowledged_after, rng);
            if story == CpsStory::Staging {
                // Everything before staging is over by now; staging ends a few minutes on.
                let before = start_of_staging(&plan);
                let length = (now - before) + minutes(rng, 3, 8);
                for step in plan.steps.iter_mut() {
                    if let Step::Staging(staging) = step {
                        *staging = length;
                    }
                }
            }
            planned.changes.push(plan);
        }
        CpsStory::AwaitingChallenges => {
            let mut plan = change(
                ChangeKind::NewCertificate,
                now - minutes(rng, 60, 30 * 60),
                rng,
            );
            if let Some(last) = plan.domains.last_mut() {
                last.fate = DomainFate::NeedsUser;
            }
            plan.steps = pipeline(setting.ra, setting.change_management, ack(rng), rng);
            planned.changes.push(plan);
        }
        CpsStory::Renewal | CpsStory::Renewing => {
            let renews = match story {
                CpsStory::Renewal => now + minutes(rng, 5, 15),
                _ => now - minutes(rng, 60 * 24, 60 * 24 * 3),
            };
            let expires = renews + setting.renewal_lead;
            planned.initial = Some(deployed(expires));
            planned.auto_renewal_start = Some(renews);
            let mut plan = change(ChangeKind::Renewal, renews, rng);
            if story == CpsStory::Renewing
                && let Some(last) = plan.domains.last_mut()
            {
                last.fate = DomainFate::NeedsUser;
            }
            plan.steps = pipeline(setting.ra, setting.change_management, ack(rng), rng);
            planned.changes.push(plan);
        }
        CpsStory::ThirdParty | CpsStory::PreVerificationWarnings => {
            if let Some(days) = setting.expires_in_days {
                planned.initial = Some(deployed(now + Duration::days(days)));
            }
            // CPS does not renew third-party certificates: the customer orders a new one
            // (Akamai's own third-party example shows a `new-certificate` change).
            let kind = if planned.initial.is_some() && story != CpsStory::ThirdParty {
                ChangeKind::Renewal
            } else {
                ChangeKind::NewCertificate
            };
            let mut plan = change(kind, now - minutes(rng, 60, 60 * 24 * 4), rng);
            plan.steps = pipeline(setting.ra, setting.change_management, ack(rng), rng);
            if story == CpsStory::PreVerificationWarnings {
                plan.steps.insert(1, Step::PreVerificationWarnings);
            }
            planned.changes.push(plan);
        }
        CpsStory::PostVerificationWarnings => {
            let mut plan = change(
                ChangeKind::NewCertificate,
                now - minutes(rng, 60 * 24, 60 * 24 * 2),
                rng,
            );
            plan.steps = pipeline(setting.ra, setting.change_management, ack(rng), rng);
            // After validation, before staging: the issued certificate is what has warnings.
            let at = plan
                .steps
                .iter()
                .position(|step| matches!(step, Step::Staging(_)))
                .unwrap_or(plan.steps.len());
            plan.steps.insert(at, Step::PostVerificationWarnings);
            if let Some(Step::CaValidation(length)) = plan.steps.get_mut(1) {
                *length = minutes(rng, 60, 120);
            }
            planned.changes.push(plan);
        }
        CpsStory::Error => {
            if let Some(days) = setting.expires_in_days {
                planned.initial = Some(deployed(now + Duration::days(days)));
            }
            let kind = if planned.initial.is_some() {
                ChangeKind::Renewal
            } else {
                ChangeKind::NewCertificate
            };
            let mut plan = change(kind, now - minutes(rng, 180, 480), rng);
            let (code, description) = setting
                .error
                .clone()
                .unwrap_or_else(|| (DEFAULT_ERROR.0.to_string(), DEFAULT_ERROR.1.to_string()));
            plan.steps = vec![Step::Checks(minutes(rng, 1, 3))];
            plan.steps.push(match setting.ra {
                Ra::LetsEncrypt => Step::DomainValidation,
                _ => Step::CaValidation(minutes(rng, 30, 90)),
            });
            plan.steps.push(Step::Fail { code, description });
            planned.changes.push(plan);
        }
        CpsStory::OvValidating => {
            let mut plan = change(
                ChangeKind::NewCertificate,
                now - minutes(rng, 60 * 12, 60 * 36),
                rng,
            );
            plan.steps = pipeline(setting.ra, setting.change_management, ack(rng), rng);
            if let Some(Step::CaValidation(length)) = plan.steps.get_mut(1) {
                *length = Duration::days(2) + minutes(rng, 0, 60 * 24 * 2);
            }
            planned.changes.push(plan);
        }
    }
    planned
}

/// The usual row of steps for a certificate from `ra`.
pub(super) fn pipeline(
    ra: Ra,
    change_management: bool,
    acknowledged_after: Option<Duration>,
    rng: &mut StdRng,
) -> Vec<Step> {
    let mut steps = vec![Step::Checks(minutes(rng, 1, 3))];
    steps.push(match ra {
        Ra::LetsEncrypt => Step::DomainValidation,
        Ra::Symantec => Step::CaValidation(minutes(rng, 60 * 24, 60 * 24 * 3)),
        Ra::ThirdParty => Step::ThirdPartyUpload,
    });
    steps.push(Step::Staging(minutes(rng, 4, 10)));
    if change_management {
        steps.push(Step::ChangeManagement { acknowledged_after });
    }
    steps.push(Step::Production(minutes(rng, 4, 10)));
    steps
}

/// When a plan reaches its staging step, its domains validating on their own.
fn start_of_staging(plan: &ChangePlan) -> DateTime<Utc> {
    let mut at = plan.created;
    for step in &plan.steps {
        match step {
            Step::Checks(length) | Step::CaValidation(length) => at += *length,
            Step::DomainValidation => {
                let opened = at;
                for domain in &plan.domains {
                    if let DomainFate::Automatic { after } = domain.fate {
                        at = at.max(opened + after);
                    }
                }
            }
            _ => break,
        }
    }
    at
}
