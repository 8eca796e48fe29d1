//! Reads that take more than one call: a pending change with its challenges, and one
//! certificate's facts (the enrollment, its deployments, its pending change).

use super::facts::{certificate_facts, with_challenges, with_change};
use super::location::change_path;
use super::neutral::ChangeRead;
use super::{CHANGE_MEDIA_TYPE, CpsClient, CpsError, Enrollment};
use crate::model::CertificateFacts;

impl CpsClient {
    /// The change at `location` (a pending change of `enrollment_id`), and when it offers
    /// the Let's Encrypt challenges, those too: one or two calls, counted in the answer.
    pub async fn read_change(
        &self,
        enrollment_id: u64,
        location: &str,
    ) -> (u32, Result<ChangeRead, CpsError>) {
        let what = format!("change {location}");
        let path = match change_path(&self.origin(), location, Some(enrollment_id)) {
            Ok(path) => path,
            Err(error) => return (0, Err(CpsError::from_api(error, &what, CHANGE_MEDIA_TYPE))),
        };
        let status = match self.change_status(&path, enrollment_id).await {
            Ok(status) => status,
            Err(error) => return (1, Err(error)),
        };
        let Some(info) = status.lets_encrypt_challenges_info().map(str::to_string) else {
            return (
                1,
                Ok(ChangeRead {
                    location: path,
                    status,
                    challenges: None,
                }),
            );
        };
        let challenges = self.lets_encrypt_challenges(&path, &info).await;
        (
            2,
            challenges.map(|challenges| ChangeRead {
                location: path,
                status,
                challenges: Some(challenges),
            }),
        )
    }

    /// An enrollment and its first pending change (with its challenges): one to three calls.
    pub async fn read_enrollment(
        &self,
        enrollment_id: u64,
    ) -> Result<(Enrollment, Option<ChangeRead>), CpsError> {
        let enrollment = self.enrollment(enrollment_id).await?;
        let Some(location) = enrollment.change_locations().next().map(str::to_string) else {
            return Ok((enrollment, None));
        };
        let (_, change) = self.read_change(enrollment_id, &location).await;
        Ok((enrollment, Some(change?)))
    }

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
        if let Some(location) = enrollment.change_locations().next().map(str::to_string) {
            let (made, change) = self.read_change(enrollment_id, &location).await;
            calls += made;
            facts = match change {
                Ok(read) => {
                    let facts = with_change(facts, &read.status);
                    match &read.challenges {
                        Some(challenges) => with_challenges(facts, challenges),
                        None => facts,
                    }
                }
                Err(error) => facts.with_unread_change(error.to_string()),
            };
        }
        (calls, Ok(facts))
    }
}
