//! One certificate's facts read whole: the enrollment, its deployments, and for a pending
//! change its status and (for Let's Encrypt) its challenges. A pending change that cannot be
//! read leaves the rest shown.

use super::facts::{certificate_facts, with_challenges, with_change};
use super::{CpsClient, CpsError};
use crate::model::CertificateFacts;

impl CpsClient {
    /// Two to four calls; returns how many were made with the outcome, so a caller that
    /// paces its calls can count them.
    pub async fn read_certificate(
        &self,
        enrollment_id: u64,
    ) -> (u32, Result<CertificateFacts, CpsError>) {
        let mut calls = 1;
        let enrollment = match self.enrollment(enrollment_id).await {
            Ok(enrollment) => enrollment,
            Err(error) => return (calls, Err(error)),
        };
        calls += 1;
        let deployments = match self.deployments(enrollment_id).await {
            Ok(deployments) => deployments,
            Err(error) => return (calls, Err(error)),
        };
        let mut facts = certificate_facts(enrollment_id, &enrollment, &deployments);
        if let Some(location) = enrollment.change_locations().next() {
            calls += 1;
            match self.change_status(location).await {
                Ok(change) => {
                    facts = with_change(facts, &change);
                    if let Some(info) = change.lets_encrypt_challenges_info() {
                        calls += 1;
                        facts = match self.lets_encrypt_challenges(info).await {
                            Ok(challenges) => with_challenges(facts, &challenges),
                            Err(error) => facts.with_unread_change(error.to_string()),
                        };
                    }
                }
                Err(error) => facts = facts.with_unread_change(error.to_string()),
            }
        }
        (calls, Ok(facts))
    }
}
