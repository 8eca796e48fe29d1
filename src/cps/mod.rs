//! CPS v2, the Certificate Provisioning System: certificates (enrollments), the changes that
//! move them (and what each waits for: Let's Encrypt challenges, warnings, change
//! management), and what each network serves. SPS and CPS share the `enrollmentId`.
//!
//! The wire model is tolerant (unknown members kept in `extra`, missing ones optional,
//! numbers as strings); it converts into the neutral model in `facts`.

mod certificate_read;
pub mod change;
pub mod client;
pub mod error;
pub mod expiry;
pub mod facts;
pub mod model;

pub use change::{
    AllowedInput, Challenge, ChangeStatus, DomainChallenges, DvChallenges, StatusInfo,
};
pub use client::CpsClient;
pub use error::CpsError;
pub use facts::{certificate_facts, with_challenges, with_change};
pub use model::{DeployedCertificate, Deployment, Deployments, Enrollment, PendingChange};

/// Every CPS path starts here.
pub const CPS_BASE_PATH: &str = "/cps/v2";

/// `GET /cps/v2/enrollments/{id}`.
pub const ENROLLMENT_MEDIA_TYPE: &str = "application/vnd.akamai.cps.enrollment.v11+json";
/// `GET /cps/v2/enrollments/{id}/deployments`: both networks.
pub const DEPLOYMENTS_MEDIA_TYPE: &str = "application/vnd.akamai.cps.deployments.v8+json";
/// `GET /cps/v2/enrollments/{id}/deployments/production` (or `/staging`): one network.
pub const DEPLOYMENT_MEDIA_TYPE: &str = "application/vnd.akamai.cps.deployment.v8+json";
/// `GET` of a pending change's `location`.
pub const CHANGE_MEDIA_TYPE: &str = "application/vnd.akamai.cps.change.v2+json";
/// `GET` of the `info` path of a change's `lets-encrypt-challenges` allowed input.
pub const DV_CHALLENGES_MEDIA_TYPE: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";

/// The `allowedInput[].type` whose `info` lists the Let's Encrypt challenges.
pub const LETS_ENCRYPT_CHALLENGES: &str = "lets-encrypt-challenges";

/// `/cps/v2/enrollments/{id}`.
pub fn enrollment_path(enrollment_id: u64) -> String {
    format!("{CPS_BASE_PATH}/enrollments/{enrollment_id}")
}
