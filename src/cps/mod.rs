//! CPS v2, the Certificate Provisioning System: certificates (enrollments), the changes that
//! move them (and what each waits for: Let's Encrypt challenges, warnings, change
//! management), and what each network serves. SPS and CPS share the `enrollmentId`.
//!
//! The wire model is tolerant (unknown members kept in `extra`, missing ones optional,
//! numbers as strings); it converts into the neutral model in `facts`.

pub mod certificate_digest;
mod certificate_read;
pub mod change;
pub mod client;
mod enrollment_list;
pub mod error;
pub mod expiry;
pub mod facts;
pub mod history;
pub mod input;
mod listed;
pub mod location;
pub mod model;
pub mod name_update;
pub mod neutral;
pub mod order;
pub mod upload_check;
pub mod writes;

pub use change::{
    AllowedInput, Challenge, ChangeStatus, DomainChallenges, DvChallenges, StatusInfo,
};
pub use client::CpsClient;
pub use enrollment_list::{EnrollmentList, Enrollments, ListedEnrollments};
pub use error::CpsError;
pub use facts::{certificate_facts, with_challenges, with_change};
pub use history::{ChangeHistory, ChangeRecord};
pub use listed::ListedEnrollment;
pub use model::{DeployedCertificate, Deployment, Deployments, Enrollment, PendingChange};
pub use neutral::ChangeRead;

/// Every CPS path starts here.
pub const CPS_BASE_PATH: &str = "/cps/v2";

// Media types, each exactly as Akamai's published CPS v2 definitions give it for its
// operation (CPS answers 406 to any other `Accept`).

/// `GET /cps/v2/enrollments?contractId=C`: every enrollment of a contract.
pub const ENROLLMENTS_MEDIA_TYPE: &str = "application/vnd.akamai.cps.enrollments.v11+json";
/// `GET /cps/v2/enrollments/{id}`.
pub const ENROLLMENT_MEDIA_TYPE: &str = "application/vnd.akamai.cps.enrollment.v11+json";
/// `GET /cps/v2/enrollments/{id}/deployments`: both networks.
pub const DEPLOYMENTS_MEDIA_TYPE: &str = "application/vnd.akamai.cps.deployments.v7+json";
/// `GET /cps/v2/enrollments/{id}/deployments/production` (or `/staging`): one network.
pub const DEPLOYMENT_MEDIA_TYPE: &str = "application/vnd.akamai.cps.deployment.v7+json";
/// `GET` of a pending change's `location`.
pub const CHANGE_MEDIA_TYPE: &str = "application/vnd.akamai.cps.change.v2+json";
/// `GET` of the `info` path of a change's `lets-encrypt-challenges` allowed input.
pub const DV_CHALLENGES_MEDIA_TYPE: &str = "application/vnd.akamai.cps.dv-challenges.v2+json";
/// `GET` of the info of pre- and post-verification warnings.
pub const WARNINGS_MEDIA_TYPE: &str = "application/vnd.akamai.cps.warnings.v1+json";
/// `GET /cps/v2/enrollments/{id}/history/changes`.
pub const CHANGE_HISTORY_MEDIA_TYPE: &str = "application/vnd.akamai.cps.change-history.v5+json";

/// The `allowedInput[].type` whose `info` lists the Let's Encrypt challenges.
pub const LETS_ENCRYPT_CHALLENGES: &str = "lets-encrypt-challenges";

/// `/cps/v2/enrollments/{id}`.
pub fn enrollment_path(enrollment_id: u64) -> String {
    format!("{CPS_BASE_PATH}/enrollments/{enrollment_id}")
}
